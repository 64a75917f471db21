import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/lib/store/canonical';
import { sha256Hex, fromBase64Url, toBase64Url } from '../../src/lib/store/bytes';

describe('canonical JSON', () => {
  test('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  test('equal values in different key order give equal text', () => {
    const one = canonicalJson({ name: 'bert', tags: { team: 'nlp', stage: 'dev' } });
    const two = canonicalJson({ tags: { stage: 'dev', team: 'nlp' }, name: 'bert' });
    expect(one).toBe(two);
  });

  test('prints numbers as ECMAScript does and escapes strings as JSON', () => {
    expect(canonicalJson([1e21, 0.1, -0, 5, 'é"\n'])).toBe('[1e+21,0.1,0,5,"é\\"\\n"]');
  });

  test('drops undefined members but refuses values JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(() => canonicalJson({ a: NaN })).toThrow(/\$\.a is NaN/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/Date, not plain data/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe('hashing and encodings', () => {
  test('SHA-256 of known text matches the published digest', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test('base64url round-trips every byte value', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect([...fromBase64Url(text)]).toEqual([...bytes]);
  });
});
