import { describe, expect, it } from 'vitest';
import { LineageImportError, type LineageImportProblem } from '../../src/lib/lineage/errors';
import {
  fromTriplesCsv,
  fromTriplesJson,
  parsePredicate,
  toTriplesCsv,
  toTriplesJson,
  tripleEdgeId,
} from '../../src/lib/lineage/triples';
import type { LineageEdge } from '../../src/lib/lineage/types';

const edges: LineageEdge[] = [
  { id: '1', from: 'bert-base', to: 'bert-ner', relation: 'fine-tuned-from', note: 'plain' },
  {
    id: '2',
    from: 'conll, 2003',
    to: 'bert-ner',
    relation: 'trained-on',
    note: 'said "hi", twice',
  },
  { id: '3', from: 'bert-ner', to: 'bert-ner-q8', relation: 'quantized-from', note: 'line\nbreak' },
  { id: '4', from: 'a', to: 'soup', relation: 'merged-from', weight: 0.25 },
  { id: '5', from: ' padded ', to: 'soup', relation: 'merged-from', note: '  spaced  ' },
  { id: '6', from: 'modèle/ü', to: 'soup', relation: 'derived-from', note: '' },
];

/** Triples carry no edge ids; import gives each triple its own stable id. */
function withTripleIds(list: LineageEdge[]): LineageEdge[] {
  return list.map((edge) => {
    const copy: LineageEdge = { ...edge, from: edge.from.trim(), to: edge.to.trim() };
    copy.id = tripleEdgeId(copy.to, copy.relation, copy.from);
    if (copy.note === '') delete copy.note;
    return copy;
  });
}

function problemsOf(run: () => unknown): LineageImportProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LineageImportError);
    return (error as LineageImportError).problems;
  }
  throw new Error('expected the import to fail');
}

describe('triples export and import', () => {
  it('reads a triple as a sentence about the child', () => {
    const [first] = toTriplesJson(edges).triples;
    expect(first).toEqual({
      subject: 'bert-ner',
      predicate: 'fine-tuned-from',
      object: 'bert-base',
      note: 'plain',
    });
  });

  it('round-trips through JSON', () => {
    const text = JSON.stringify(toTriplesJson(edges));
    expect(fromTriplesJson(text)).toEqual(withTripleIds(edges));
  });

  it('round-trips through CSV, quotes, commas, line breaks and weights included', () => {
    const csv = toTriplesCsv(edges);
    expect(csv.split('\r\n')[0]).toBe('subject,predicate,object,note,weight');
    expect(fromTriplesCsv(csv)).toEqual(withTripleIds(edges));
  });

  it('writes the four-column header when no edge has a weight', () => {
    const csv = toTriplesCsv(edges.filter((edge) => edge.weight === undefined));
    expect(csv.startsWith('subject,predicate,object,note\r\n')).toBe(true);
  });

  it('reads a hand-written CSV with a BOM, LF line ends and lenient predicates', () => {
    const csv =
      '\ufeffSubject,Predicate,Object,Note\nv2,Fine tuned from,v1,\nv3,quantised_from,v2,q4\n';
    expect(fromTriplesCsv(csv).map((edge) => [edge.to, edge.relation, edge.from])).toEqual([
      ['v2', 'fine-tuned-from', 'v1'],
      ['v3', 'quantized-from', 'v2'],
    ]);
    expect(parsePredicate('finetuned')).toBeNull();
  });

  it('collapses a triple listed twice into one edge', () => {
    const csv = 'subject,predicate,object,note\nb,derived-from,a,\nb,derived-from,a,again\n';
    expect(fromTriplesCsv(csv)).toHaveLength(1);
  });
});

describe('triples import errors', () => {
  it('names every bad row by its line, counting lines inside quoted fields', () => {
    const csv = [
      'subject,predicate,object,note',
      'b,derived-from,a,"a note',
      'over two lines"',
      'c,finetuned,b,',
      'd,derived-from,,',
      'e,derived-from,e,',
      'f,derived-from,a',
      'g,trained-on,b,ok',
    ].join('\n');
    expect(problemsOf(() => fromTriplesCsv(csv))).toEqual([
      {
        line: 4,
        column: 'predicate',
        message: expect.stringMatching(/^"finetuned" is not a lineage relation; use one of/),
      },
      { line: 5, column: 'object', message: 'the object (the parent entity) is empty' },
      { line: 6, column: 'object', message: '"e" cannot come from itself' },
      { line: 7, column: null, message: '3 fields where the header has 4' },
    ]);
  });

  it('says which line a bad row is on in the error message', () => {
    const csv = 'subject,predicate,object,note\nb,derived-from,a,\nc,bogus,b,\n';
    expect(() => fromTriplesCsv(csv)).toThrow(/the CSV file, line 3: "bogus" is not a lineage/);
  });

  it('checks weights', () => {
    const csv =
      'subject,predicate,object,note,weight\nm,merged-from,a,,heavy\nm,trained-on,d,,0.5\n';
    expect(problemsOf(() => fromTriplesCsv(csv))).toEqual([
      { line: 2, column: 'weight', message: 'the weight "heavy" is not a number' },
      {
        line: 3,
        column: 'weight',
        message: 'a weight belongs on merged-from only, not on trained-on',
      },
    ]);
  });

  it('checks the header', () => {
    expect(problemsOf(() => fromTriplesCsv('from,predicate,object\n'))).toEqual([
      expect.objectContaining({ line: 1, column: 'from' }),
      expect.objectContaining({ line: 1, column: 'subject' }),
    ]);
    expect(problemsOf(() => fromTriplesCsv('\n\n'))).toEqual([
      { line: 1, column: null, message: 'the file is empty' },
    ]);
  });

  it('reports broken quoting', () => {
    const unclosed = 'subject,predicate,object,note\nb,derived-from,a,"never closed\n';
    expect(problemsOf(() => fromTriplesCsv(unclosed))[0]).toEqual({
      line: 2,
      column: null,
      message: 'a quoted field is never closed',
    });
    const stray = 'subject,predicate,object,note\nb,derived-from,a,say "hi"\n';
    expect(problemsOf(() => fromTriplesCsv(stray))[0].line).toBe(2);
  });

  it('names bad JSON triples by their position in the list', () => {
    const list = [
      { subject: 'b', predicate: 'derived-from', object: 'a' },
      { subject: 'c', predicate: 7, object: 'b' },
      'not a triple',
      { subject: 'd', predicate: 'merged-from', object: 'c', weight: 'x' },
    ];
    expect(problemsOf(() => fromTriplesJson(list)).map((p) => [p.line, p.column])).toEqual([
      [2, 'predicate'],
      [3, null],
      [4, 'weight'],
    ]);
    expect(() => fromTriplesJson('{"triples": [')).toThrow(/the JSON file, item 1: it is not JSON/);
    expect(() => fromTriplesJson('{"edges": []}')).toThrow(/no "triples" list/);
  });
});
