import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractZip, readZipEntries } from './zip.ts';

/** Builds a zip with Python's zipfile, which (unlike archivers) writes hostile names as given. */
function makeZip(entries: { name: string; data: string; symlink?: boolean }[], compress = true): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-'));
  const file = path.join(dir, 'a.zip');
  const script = `
import json, sys, zipfile
entries = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED if ${compress ? 'True' : 'False'} else zipfile.ZIP_STORED) as z:
    for e in entries:
        info = zipfile.ZipInfo(e['name'])
        info.compress_type = z.compression
        if e.get('symlink'):
            info.external_attr = (0o120777 << 16)
        z.writestr(info, e['data'])
`;
  execFileSync('python3', ['-c', script, file, JSON.stringify(entries)]);
  return file;
}

describe('extractZip', () => {
  it('extracts deflated and stored entries', async () => {
    for (const compress of [true, false]) {
      const zip = makeZip(
        [
          { name: 'a.json', data: '{"x":1}' },
          { name: 'sub/b.txt', data: 'hello '.repeat(100) },
        ],
        compress,
      );
      const out = mkdtempSync(path.join(os.tmpdir(), 'out-'));
      expect(await extractZip(zip, out)).toEqual(['a.json', 'sub/b.txt']);
      expect(readFileSync(path.join(out, 'sub/b.txt'), 'utf8')).toBe('hello '.repeat(100));
      expect((await readZipEntries(zip)).map((e) => e.method)).toEqual(compress ? [8, 8] : [0, 0]);
    }
  });

  it.each(['../evil.txt', 'ok/../../evil.txt', '/etc/evil.txt'])(
    'refuses the whole archive when an entry (%s) escapes, writing nothing',
    async (name) => {
      const zip = makeZip([
        { name: 'good.txt', data: 'fine' },
        { name, data: 'pwned' },
      ]);
      const parent = mkdtempSync(path.join(os.tmpdir(), 'slip-'));
      const out = path.join(parent, 'out');
      await expect(extractZip(zip, out, { source: "artifact 'x'" })).rejects.toThrow(
        /artifact 'x' holds the entry .* which escapes the target folder; nothing was extracted/,
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(parent)).toEqual([]);
    },
  );

  it('refuses symbolic links', async () => {
    const zip = makeZip([{ name: 'link', data: '/etc/passwd', symlink: true }]);
    await expect(extractZip(zip, mkdtempSync(path.join(os.tmpdir(), 'out-')))).rejects.toThrow(
      /symbolic link 'link'/,
    );
  });

  it('reports a file that is not a zip', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nz-'));
    const file = path.join(dir, 'x.zip');
    execFileSync('sh', ['-c', `printf 'not a zip' > ${file}`]);
    await expect(extractZip(file, dir)).rejects.toThrow(/not a valid zip file/);
  });
});
