import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatLfsPointer, parseLfsPointer } from './lfs.ts';

const OID = '6c17f2007cbe934aee6e309b28b2dba3c119c5dff2ef813ed124699efe319868';

describe('Git LFS pointers', () => {
  it('parses the spec example, whose oid is the sha256 of the content', () => {
    expect(createHash('sha256').update('simple\n').digest('hex')).toBe(OID);
    const text = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 7\n`;
    expect(parseLfsPointer(Buffer.from(text))).toEqual({ oid: OID, size: 7 });
    expect(formatLfsPointer({ oid: OID, size: 7 })).toBe(text);
  });

  it('accepts extension keys sorted before oid', () => {
    const text = `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${'0'.repeat(64)}\noid sha256:${OID}\nsize 7\n`;
    expect(parseLfsPointer(Buffer.from(text))?.oid).toBe(OID);
  });

  it.each([
    ['no trailing newline', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 7`],
    ['keys out of order', `version https://git-lfs.github.com/spec/v1\nsize 7\noid sha256:${OID}\n`],
    ['unknown version', `version https://example.com/spec/v9\noid sha256:${OID}\nsize 7\n`],
    ['short oid', `version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 7\n`],
    ['bad size', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 07\n`],
    ['no size', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\n`],
    ['CRLF', `version https://git-lfs.github.com/spec/v1\r\noid sha256:${OID}\r\nsize 7\r\n`],
    ['plain text', 'hello world\n'],
  ])('rejects %s', (_, text) => {
    expect(parseLfsPointer(Buffer.from(text))).toBeUndefined();
  });

  it('rejects anything of 1024 bytes or more', () => {
    const text = `version https://git-lfs.github.com/spec/v1\next-0-x ${'a'.repeat(1000)}\noid sha256:${OID}\nsize 7\n`;
    expect(parseLfsPointer(Buffer.from(text))).toBeUndefined();
  });
});
