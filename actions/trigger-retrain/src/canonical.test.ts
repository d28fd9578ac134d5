import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, compareCodePoints, contentDigest, isDigest } from './canonical.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('does not depend on insertion order', () => {
    const one = { model: 'm', params: { 'train.lr': 0.1, 'train.epochs': 10 } };
    const two = { params: { 'train.epochs': 10, 'train.lr': 0.1 }, model: 'm' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(contentDigest(one)).toBe(contentDigest(two));
  });

  it('keeps non-finite numbers apart from each other and from null', () => {
    const values = [Infinity, -Infinity, NaN, null].map((v) => canonicalJson({ v }));
    expect(new Set(values).size).toBe(4);
    expect(canonicalJson({ v: Infinity })).toBe('{"v":"Infinity"}');
  });

  it('orders keys by code point, not UTF-16 units', () => {
    // U+FF5E is one unit; U+1F600 is a surrogate pair starting at 0xD83D, which sorts lower as units.
    expect(['\u{1F600}', '\uFF5E'].sort(compareCodePoints)).toEqual(['\uFF5E', '\u{1F600}']);
  });

  it('digests are sha256 of the canonical text', () => {
    const value = { b: [1, 2], a: 'x' };
    const expected = createHash('sha256').update('{"a":"x","b":[1,2]}').digest('hex');
    expect(contentDigest(value)).toBe(`sha256:${expected}`);
    expect(isDigest(contentDigest(value))).toBe(true);
    expect(isDigest('sha256:abc')).toBe(false);
  });
});
