// Raw IndexedDB write and indexed-read speed through Dexie, without the registry on top: the
// floor that every registry operation stands on.
import Dexie from 'dexie';
import type { BenchSuite } from '../suite';

interface ModelRow {
  id: string;
  name: string;
  family: string;
  parameters: number;
}

const rowCount = 10_000;
const families = ['bert', 'gpt2', 'llama', 'resnet', 'vit', 'whisper', 't5', 'xgb'];

function modelRows(): ModelRow[] {
  return Array.from({ length: rowCount }, (_, index) => {
    const family = families[index % families.length];
    return {
      id: `model-${String(index).padStart(5, '0')}`,
      name: `${family}-${index}`,
      family,
      parameters: (index % 97) * 1_000_003,
    };
  });
}

const roundMs = (ms: number) => Math.round(ms * 10) / 10;

const suite: BenchSuite = {
  name: 'dexie-bulk-put',
  async run() {
    const rows = modelRows();
    const db = new Dexie(`stemma-bench-dexie-bulk-put-${Date.now()}`);
    db.version(1).stores({ models: 'id, name, family' });
    const models = db.table<ModelRow, string>('models');

    try {
      await db.open();
      const putStarted = performance.now();
      await models.bulkPut(rows);
      const bulkPutMs = performance.now() - putStarted;

      const stored = await models.count();
      if (stored !== rowCount) throw new Error(`stored ${stored} rows, expected ${rowCount}`);

      const queryStarted = performance.now();
      const matches = await models.where('name').startsWith('bert-').toArray();
      const startsWithMs = performance.now() - queryStarted;
      const expected = Math.ceil(rowCount / families.length);
      if (matches.length !== expected) {
        throw new Error(`startsWith('bert-') found ${matches.length} rows, expected ${expected}`);
      }

      return {
        rows: rowCount,
        bulkPutMs: roundMs(bulkPutMs),
        rowsPerSecond: Math.round(rowCount / (bulkPutMs / 1000)),
        startsWithMatches: matches.length,
        startsWithMs: roundMs(startsWithMs),
      };
    } finally {
      await db.delete();
    }
  },
};

export default suite;
