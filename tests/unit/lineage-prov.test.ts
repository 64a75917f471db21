import { describe, expect, it } from 'vitest';
import { LineageImportError } from '../../src/lib/lineage/errors';
import { fromProvJson, toProvJson, type ProvNodeInput } from '../../src/lib/lineage/prov';
import type { LineageEdge } from '../../src/lib/lineage/types';

/*
 * The PROV-JSON structure, as the W3C member submission's JSON schema (2013) states it:
 * which sections a document may have, and which fields each relation must carry.
 */
const REQUIRED_FIELDS: Record<string, string[]> = {
  wasGeneratedBy: ['prov:entity'],
  used: ['prov:activity'],
  wasInformedBy: ['prov:informed', 'prov:informant'],
  wasDerivedFrom: ['prov:generatedEntity', 'prov:usedEntity'],
  wasAttributedTo: ['prov:entity', 'prov:agent'],
  wasInfluencedBy: ['prov:influencer', 'prov:influencee'],
};
const ELEMENT_SECTIONS = ['entity', 'activity', 'agent'];
const ALLOWED_SECTIONS = ['prefix', ...ELEMENT_SECTIONS, ...Object.keys(REQUIRED_FIELDS)];

function isLiteral(value: unknown): boolean {
  if (['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value).sort();
  const typed = value as { $?: unknown; type?: unknown; lang?: unknown };
  return (
    ['$', 'type'].every((key) => keys.includes(key)) &&
    keys.every((key) => ['$', 'type', 'lang'].includes(key)) &&
    typeof typed.type === 'string' &&
    ['string', 'number', 'boolean'].includes(typeof typed.$)
  );
}

/** Every structural problem of a PROV-JSON document (empty when it conforms). */
function provProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const prefixes = new Set(['prov', 'xsd', ...Object.keys(document.prefix ?? {})]);
  const declared = (qname: string) => qname.startsWith('_:') || prefixes.has(qname.split(':')[0]);
  for (const [prefix, uri] of Object.entries((document.prefix ?? {}) as Record<string, unknown>)) {
    if (!/^[a-zA-Z0-9_-]+$/.test(prefix)) problems.push(`bad prefix ${prefix}`);
    if (typeof uri !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(uri))
      problems.push(`bad uri ${uri}`);
  }

  const elements = new Set<string>();
  for (const [section, records] of Object.entries(document)) {
    if (!ALLOWED_SECTIONS.includes(section)) problems.push(`unknown section ${section}`);
    if (section === 'prefix') continue;
    for (const [key, record] of Object.entries(
      records as Record<string, Record<string, unknown>>,
    )) {
      if (!declared(key)) problems.push(`${section} ${key}: undeclared prefix`);
      if (ELEMENT_SECTIONS.includes(section)) elements.add(key);
      for (const field of REQUIRED_FIELDS[section] ?? []) {
        if (typeof record[field] !== 'string') problems.push(`${section} ${key}: no ${field}`);
      }
      for (const [attribute, value] of Object.entries(record)) {
        if (!declared(attribute)) problems.push(`${key}.${attribute}: undeclared prefix`);
        if (!isLiteral(value)) problems.push(`${key}.${attribute}: not a PROV literal`);
      }
    }
  }

  for (const section of Object.keys(REQUIRED_FIELDS)) {
    const records = (document[section] ?? {}) as Record<string, Record<string, string>>;
    for (const [key, record] of Object.entries(records)) {
      for (const field of REQUIRED_FIELDS[section].concat(['prov:activity', 'prov:entity'])) {
        if (record[field] !== undefined && !elements.has(record[field])) {
          problems.push(`${section} ${key}: ${field} names nothing declared`);
        }
      }
    }
  }
  return problems;
}

const nodes: ProvNodeInput[] = [
  { id: 'base', kind: 'version', label: 'llama v1', attributedTo: 'alice' },
  { id: 'org/ft 2', kind: 'version', label: 'llama-chat v2', attributedTo: 'bob' },
  { id: 'merged', kind: 'version', label: 'merged v1' },
  { id: 'squad', kind: 'dataset', attributes: { sha256: 'ab12', uri: 'hf://datasets/squad' } },
  { id: 'run-7', kind: 'run', label: 'run 7' },
  { id: 'run-8', kind: 'run' },
  { id: 'git@abc', kind: 'code', label: 'repo@abc' },
];
const edges: LineageEdge[] = [
  { id: 'e1', from: 'base', to: 'org/ft 2', relation: 'fine-tuned-from', note: 'SFT, 3 epochs' },
  { id: 'e2', from: 'squad', to: 'run-7', relation: 'trained-on' },
  { id: 'e3', from: 'run-7', to: 'org/ft 2', relation: 'produced-by' },
  { id: 'e4', from: 'git@abc', to: 'run-7', relation: 'derived-from' },
  { id: 'e5', from: 'org/ft 2', to: 'merged', relation: 'merged-from', weight: 0.7 },
  { id: 'e6', from: 'base', to: 'merged', relation: 'merged-from', weight: 0.3 },
  { id: 'e7', from: 'squad', to: 'merged', relation: 'evaluated-on' },
  { id: 'e8', from: 'run-7', to: 'run-8', relation: 'derived-from' },
];
const agents = [{ id: 'alice', name: 'Alice' }];

describe('PROV-JSON export', () => {
  it('writes a document with the PROV-JSON structure', () => {
    const document = toProvJson({ nodes, edges, agents });
    expect(provProblems(JSON.parse(JSON.stringify(document)))).toEqual([]);
  });

  it('finds the structural checker strict enough to catch a broken document', () => {
    const document = JSON.parse(JSON.stringify(toProvJson({ nodes, edges, agents })));
    delete Object.values(document.wasDerivedFrom as Record<string, Record<string, string>>)[0][
      'prov:usedEntity'
    ];
    document.wasGeneratedBy['edge:e3']['prov:activity'] = 'node:missing';
    expect(provProblems(document)).toHaveLength(2);
  });

  it('maps datasets, runs and people to entities, activities and agents', () => {
    const document = toProvJson({ nodes, edges, agents });
    expect(Object.keys(document.activity ?? {}).sort()).toEqual(['node:run-7', 'node:run-8']);
    expect(document.entity?.['node:squad']).toMatchObject({
      'prov:type': { $: 'stemma:dataset', type: 'prov:QUALIFIED_NAME' },
      'stemma:sha256': 'ab12',
    });
    expect(document.entity?.['node:org%2Fft%202']?.['prov:label']).toBe('llama-chat v2');
    expect(document.agent?.['agent:alice']?.['prov:label']).toBe('Alice');
    expect(document.agent?.['agent:bob']?.['prov:label']).toBe('bob');
    expect(Object.values(document.wasAttributedTo ?? {})).toContainEqual({
      'prov:entity': 'node:base',
      'prov:agent': 'agent:alice',
    });
  });

  it('uses the PROV relation each edge allows', () => {
    const document = toProvJson({ nodes, edges, agents });
    expect(document.wasDerivedFrom?.['edge:e1']).toEqual({
      'prov:generatedEntity': 'node:org%2Fft%202',
      'prov:usedEntity': 'node:base',
      'stemma:relation': 'fine-tuned-from',
      'stemma:note': 'SFT, 3 epochs',
    });
    expect(document.wasDerivedFrom?.['edge:e5']?.['stemma:weight']).toBe(0.7);
    expect(document.used?.['edge:e2']).toMatchObject({
      'prov:activity': 'node:run-7',
      'prov:entity': 'node:squad',
    });
    expect(document.used?.['edge:e4']?.['prov:entity']).toBe('node:git%40abc');
    expect(document.wasGeneratedBy?.['edge:e3']).toMatchObject({
      'prov:entity': 'node:org%2Fft%202',
      'prov:activity': 'node:run-7',
    });
    expect(document.wasInfluencedBy?.['edge:e7']?.['prov:influencee']).toBe('node:merged');
    expect(document.wasInformedBy?.['edge:e8']?.['prov:informed']).toBe('node:run-8');
  });
});

describe('PROV-JSON import', () => {
  it('reads back the same nodes and edges it wrote', () => {
    const text = JSON.stringify(toProvJson({ nodes, edges, agents }));
    const back = fromProvJson(JSON.parse(text));
    const byId = <T extends { id: string }>(list: T[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(back.edges)).toEqual(byId(edges));
    expect(byId(back.nodes)).toEqual(
      byId(nodes.map(({ id, kind, label }) => ({ id, kind, label: label ?? id }))),
    );
  });

  it('reads a foreign document with the closest relations', () => {
    const back = fromProvJson({
      prefix: { ex: 'http://example.org/' },
      entity: { 'ex:chart': {}, 'ex:data': {} },
      activity: { 'ex:compile': {} },
      wasDerivedFrom: {
        '_:d1': { 'prov:generatedEntity': 'ex:chart', 'prov:usedEntity': 'ex:data' },
      },
      used: { '_:u1': { 'prov:activity': 'ex:compile', 'prov:entity': 'ex:data' } },
    });
    expect(back.edges).toEqual([
      { id: '_:d1', from: 'ex:data', to: 'ex:chart', relation: 'derived-from' },
      { id: '_:u1', from: 'ex:data', to: 'ex:compile', relation: 'derived-from' },
    ]);
    expect(back.nodes.find((node) => node.id === 'ex:compile')?.kind).toBe('run');
  });

  it('lists every relation that lacks an end', () => {
    const broken = {
      prefix: {},
      wasDerivedFrom: { a: { 'prov:generatedEntity': 'x' }, b: { 'prov:usedEntity': 'y' } },
    };
    expect(() => fromProvJson(broken)).toThrow(LineageImportError);
    try {
      fromProvJson(broken);
    } catch (error) {
      expect((error as LineageImportError).problems.map((p) => p.message)).toEqual([
        'no prov:usedEntity',
        'no prov:generatedEntity',
      ]);
    }
  });
});
