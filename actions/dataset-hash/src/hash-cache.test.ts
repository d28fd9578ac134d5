import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashCacheFile, applyByBlob, applyByPath, matchPaths, writeHashCache } from './hash-cache.ts';
import { Flag, Kind, SLOT } from './hash-file.ts';
import { EntryTable } from './table.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hash-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BLOB_A = 'a'.repeat(40);
const BLOB_C = 'c'.repeat(40);
const expect_ = { algorithm: 'sha256' as const, lfs: 'auto' as const };

/** A table of three entries with every kind of cached fact: stat keys, a blob id, an LFS oid, a link. */
function sampleTable(): EntryTable {
  const table = new EntryTable(['a.csv', 'b/link', 'c.bin'], 32);
  for (let i = 0; i < 3; i++) {
    table.stats.set([100 + i, 1_700_000_000_000.5 + i, 4000 + i], i * 3);
    table.sizes[i] = 10 * (i + 1);
    table.digests.fill(i + 1, i * SLOT, (i + 1) * SLOT);
  }
  table.flags[1] = Flag.Link;
  table.targets.set(1, '../a.csv');
  table.flags[2] = Flag.LfsPointer;
  table.lfsOids.set(2, 'f'.repeat(64));
  table.setBlob(0, BLOB_A);
  table.setBlob(2, BLOB_C);
  return table;
}

function written(table: EntryTable, name: string): string {
  const file = path.join(dir, name);
  writeHashCache(file, table, { ...expect_, machine: 'm', root: '/data' });
  return file;
}

describe('hash cache', () => {
  it('round-trips every column when the paths are unchanged', () => {
    const source = sampleTable();
    const cache = HashCacheFile.open(written(source, 'same.bin'), expect_) as HashCacheFile;
    expect(cache.header).toMatchObject({ count: 3, blobWidth: 20, machine: 'm', root: '/data' });
    const table = new EntryTable(['a.csv', 'b/link', 'c.bin'], 32);
    const keys = new Float64Array(9).fill(Number.NaN);
    applyByPath(cache, table, keys);
    cache.close();
    expect(Array.from(keys)).toEqual(Array.from(source.stats));
    expect(table.digests).toEqual(source.digests);
    expect(Array.from(table.sizes)).toEqual([10, 20, 30]);
    expect(table.blob(0)).toBe(BLOB_A);
    expect(table.blob(1)).toBeUndefined();
    expect(table.targets.get(1)).toBe('../a.csv');
    expect(table.lfsOids.get(2)).toBe('f'.repeat(64));
  });

  it('maps entries by path when files were added and removed', () => {
    const cache = HashCacheFile.open(written(sampleTable(), 'moved.bin'), expect_) as HashCacheFile;
    const table = new EntryTable(['0-new.csv', 'b/link', 'c.bin'], 32);
    const keys = new Float64Array(9).fill(Number.NaN);
    applyByPath(cache, table, keys);
    cache.close();
    expect(Number.isNaN(keys[0] as number)).toBe(true); // new: no key, it gets hashed
    expect(Array.from(keys.subarray(3))).toEqual([
      101, 1_700_000_000_001.5, 4001, 102, 1_700_000_000_002.5, 4002,
    ]);
    expect(table.digests[SLOT]).toBe(2);
    expect(table.targets.get(1)).toBe('../a.csv');
    expect(table.lfsOids.get(2)).toBe('f'.repeat(64));
    expect(table.blob(2)).toBe(BLOB_C);
    expect(table.blob(0)).toBeUndefined();
  });

  it('gives hashes to files git vouches for by blob id, on any machine and path', () => {
    const cache = HashCacheFile.open(written(sampleTable(), 'blob.bin'), expect_) as HashCacheFile;
    const table = new EntryTable(['a.csv', 'b.bin', 'renamed.bin', 'unknown.bin', 'z.bin'], 32);
    table.setBlob(0, BLOB_A); // same path, same blob: compared in place
    table.setBlob(1, BLOB_A); // a copy of a.csv under another name: found by blob id
    table.setBlob(2, BLOB_C); // c.bin renamed
    table.setBlob(3, 'd'.repeat(40)); // content the cache never saw
    table.setBlob(4, BLOB_C); // git does not vouch for it (modified in the work tree)
    const keys = new Float64Array(15).fill(Number.NaN);
    const applied = applyByBlob(cache, table, keys, new Uint8Array([1, 1, 1, 1, 0]), table.paths.join('\0'));
    cache.close();
    expect(applied).toBe(3);
    expect(keys[0]).toBe(100); // the on-disk size only: mtime and inode mean nothing here
    expect(Number.isNaN(keys[1]! + keys[2]!)).toBe(true);
    expect(keys[3]).toBe(100);
    expect(keys[6]).toBe(102);
    expect(Number.isNaN(keys[9]!) && Number.isNaN(keys[12]!)).toBe(true);
    expect(table.digests[0]).toBe(1);
    expect(table.digests[SLOT]).toBe(1);
    expect(table.digests[2 * SLOT]).toBe(3);
    expect(table.lfsOids.get(2)).toBe('f'.repeat(64));
  });

  it('does not give a symlink the hash of a file with the same blob id, nor the reverse', () => {
    // A file holding `a.csv` and a link to `a.csv` are the same git blob.
    const source = new EntryTable(['file', 'link'], 32);
    source.setBlob(0, BLOB_A);
    source.setBlob(1, BLOB_C);
    source.flags[1] = Flag.Link;
    source.digests.fill(7, 0, SLOT);
    source.digests.fill(9, SLOT, 2 * SLOT);
    const cache = HashCacheFile.open(written(source, 'kinds.bin'), expect_) as HashCacheFile;
    const table = new EntryTable(['new-link', 'new-file'], 32);
    table.setBlob(0, BLOB_A); // a link whose target text is the file's content
    table.setBlob(1, BLOB_C); // a file whose content is the link's target text
    const keys = new Float64Array(6).fill(Number.NaN);
    const kinds = new Uint8Array([Kind.Link, Kind.File]);
    expect(applyByBlob(cache, table, keys, new Uint8Array([2, 2]), table.paths.join('\0'), kinds)).toBe(0);
    cache.close();
    expect(Number.isNaN(keys[0]!) && Number.isNaN(keys[3]!)).toBe(true);
  });

  it("keeps the walk's folder snapshot beside the entries, and says when its column is damaged", () => {
    const folders = {
      fingerprint: 'e'.repeat(64),
      paths: ['', 'b'],
      stamps: Float64Array.from([66, 1234, 1_700_000_000_000.25, 1_700_000_000_000.5, 66, 1235, 1, 2]),
    };
    const file = path.join(dir, 'folders.bin');
    const source = sampleTable();
    writeHashCache(file, source, { ...expect_, machine: 'm', root: '/data' }, folders);
    const cache = HashCacheFile.open(file, expect_) as HashCacheFile;
    expect(cache.folders()).toEqual(folders);
    const table = new EntryTable(['a.csv', 'b/link', 'c.bin'], 32);
    const keys = new Float64Array(9).fill(Number.NaN);
    applyByPath(cache, table, keys); // the entry columns around the folder ones are intact
    cache.close();
    expect(Array.from(keys)).toEqual(Array.from(source.stats));
    expect(table.digests).toEqual(source.digests);
    expect(table.targets.get(1)).toBe('../a.csv');
    const none = HashCacheFile.open(written(sampleTable(), 'no-folders.bin'), expect_) as HashCacheFile;
    expect(none.folders()).toBeUndefined();
    none.close();
    // Two folder names replaced by three of the same byte length: refused, not misread.
    const whole = readFileSync(file);
    const lf = whole.indexOf(10);
    const header = JSON.parse(whole.toString('utf8', 0, lf)) as { pathBytes: number };
    const at = lf + 1 + header.pathBytes;
    expect(whole.toString('utf8', at, at + 2)).toBe('\0b');
    whole.write('\0\0', at, 'latin1');
    writeFileSync(file, whole);
    const damaged = HashCacheFile.open(file, expect_) as HashCacheFile;
    expect(() => damaged.folders()).toThrow(/3 folders for 2/);
    damaged.close();
    // A path that is not valid UTF-8 (a lone continuation byte): the whole cache is ignored.
    whole[lf + 1] = 0x80;
    writeFileSync(file, whole);
    const logs: string[] = [];
    expect(HashCacheFile.open(file, expect_, (l) => logs.push(l))).toBeUndefined();
    expect(logs.join()).toMatch(/the paths column does not match its digest/);
    // Even with a digest that matches (written so by a writer with a bug).
    const digest = createHash('sha256')
      .update(whole.subarray(lf + 1, lf + 1 + header.pathBytes))
      .digest('hex');
    const resigned = whole
      .toString('latin1')
      .replace(/"pathsDigest":"[0-9a-f]{64}"/, `"pathsDigest":"${digest}"`);
    writeFileSync(file, Buffer.from(resigned, 'latin1'));
    expect(HashCacheFile.open(file, expect_, (l) => logs.push(l))).toBeUndefined();
    expect(logs.join()).toMatch(/not valid UTF-8/);
  });

  it('refuses a cache made for another algorithm, and paths out of order', () => {
    const file = written(sampleTable(), 'other.bin');
    const logs: string[] = [];
    expect(
      HashCacheFile.open(file, { algorithm: 'blake3', lfs: 'auto' }, (l) => logs.push(l)),
    ).toBeUndefined();
    expect(logs[0]).toMatch(/made for sha256\/auto/);
    expect(HashCacheFile.open(path.join(dir, 'missing.bin'), expect_)).toBeUndefined();
    expect(() => matchPaths(['a', 'z'], ['b', 'a', 'c'])).toThrow(/out of order/);
    expect(Array.from(matchPaths(['a', 'b', 'd'], ['b', 'c', 'd']))).toEqual([-1, 0, 2]);
  });
});
