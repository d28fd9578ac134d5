import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dvcEntryJson, escapeListingPath, listingLine, pythonJsonString } from './aggregate.ts';

describe("Python's json.dumps string form", () => {
  it('escapes like json.dumps(ensure_ascii=True)', () => {
    // python3 -c 'import json; print(json.dumps("é\n\"\\☃😀\x7f\x01\t/"))'
    expect(pythonJsonString('é\n"\\☃😀\x7f\x01\t/')).toBe(
      String.raw`"\u00e9\n\"\\\u2603\ud83d\ude00\u007f\u0001\t/"`,
    );
  });

  it("reproduces DVC's own .dir vector: files 1 and 2 holding 1 and 2", () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const text = `[${dvcEntryJson(md5('1'), '1')}, ${dvcEntryJson(md5('2'), '2')}]`;
    expect(text).toBe(
      '[{"md5": "c4ca4238a0b923820dcc509a6f75849b", "relpath": "1"}, {"md5": "c81e728d9d4c2f636f067f89cc14862c", "relpath": "2"}]',
    );
    expect(md5(text)).toBe('5fb6b29836c388e093ca0715c872fe2a');
  });
});

describe('listing lines', () => {
  it('match sha256sum output for files and mark symlinks with @', () => {
    expect(listingLine('ab', 'x/y.bin', false)).toBe('ab  x/y.bin\n');
    expect(listingLine('ab', 'link', true)).toBe('ab @link\n');
  });

  it('escape backslash and newlines the coreutils way', () => {
    expect(escapeListingPath('a\\b\nc')).toEqual({ text: 'a\\\\b\\nc', escaped: true });
    expect(listingLine('ab', 'a\nb', false)).toBe('\\ab  a\\nb\n');
  });
});
