import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument } from '@modelops/core';
import { ManifestFiles, readBaseline, readWrittenForm } from './baseline.ts';
import type { HashedDataset } from './dataset.ts';
import { Flag, SLOT } from './hash-file.ts';
import { diffAgainst, writeManifest, type ManifestHeader } from './manifest.ts';
import { EntryTable } from './table.ts';

const header: ManifestHeader = {
  schemaVersion: 1,
  kind: 'DatasetManifest',
  createdAt: '2026-11-27T00:00:00.000Z',
  producer: { action: 'dataset-hash', version: '1.0.0', sha: 'abc' },
  name: 'data',
  algorithm: 'sha256',
  lfs: 'auto',
  hash: `sha256:${'1'.repeat(64)}`,
  root: 'data',
  patterns: { path: ['data'], ignore: [] },
  totals: { files: 0, bytes: 0, symlinks: 0, lfsPointers: 0 },
  directories: { a: `sha256:${'2'.repeat(64)}` },
};

/** A table of plain entries (what most manifests hold); `c` is hashed by LFS oid (an oid token). */
function table(paths: string[], seed: number): EntryTable {
  const t = new EntryTable(paths, 32);
  for (let i = 0; i < t.count; i++) {
    t.sizes[i] = i === 1 ? 0 : 1000 * i + seed;
    for (let k = 0; k < SLOT; k++) t.digests[i * SLOT + k] = (i * 31 + k * 7 + seed) & 255;
  }
  const c = paths.indexOf('c');
  if (c !== -1) t.flags[c] = Flag.OidToken;
  return t;
}

function manifestFile(t: EntryTable, extra: Partial<ManifestHeader> = {}): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'baseline-')), 'm.json');
  writeManifest(file, { ...header, ...extra, totals: { ...header.totals, files: t.count } }, t);
  return file;
}

function columns(files: ManifestFiles): { path: string; size: number; hash: string }[] {
  return Array.from({ length: files.count }, (_, i) => ({
    path: files.path(i),
    size: files.sizes[i] as number,
    hash: files.token(i),
  }));
}

const PATHS = ['a/1.csv', 'a/2.csv', 'b/caf\u00e9.bin', 'b/x y', 'c', '\u{1F600}'];

describe('reading a baseline', () => {
  it('reads the form writeManifest writes from its bytes, as the general route reads it', async () => {
    const file = manifestFile(table(PATHS, 3));
    const fast = readWrittenForm(readFileSync(file), file, {});
    expect(fast).toBeDefined();
    const general = await readDocument('DatasetManifest', file);
    const { files, ...rest } = general;
    expect(fast?.header).toEqual(rest);
    expect(columns(fast?.files as ManifestFiles)).toEqual(files);
    expect(columns((await readBaseline(file)).files)).toEqual(files);
    // No files at all.
    const empty = manifestFile(table([], 0));
    expect(readWrittenForm(readFileSync(empty), empty, {})?.files.count).toBe(0);
  });

  it.each([
    ['one line of JSON', (text: string) => JSON.stringify(JSON.parse(text))],
    ['a trailing comma', (text: string) => text.replace(/"}\n {2}\]/, '"},\n  ]')],
    ['a size with a leading zero', (text: string) => text.replace('"size":0,', '"size":00,')],
    ['an uppercase hex digit', (text: string) => text.replace(/"hash":"([0-9a-f])/, '"hash":"F')],
    [
      'an LFS oid',
      (text: string) => text.replace(/("c","size":\d+,"hash":"[^"]+")/, `$1,"lfs":"${'a'.repeat(64)}"`),
    ],
    ['an escaped name', (text: string) => text.replace('"b/x y"', '"b/x\\u0020y"')],
    ['names out of order', (text: string) => text.replace('"a/1.csv"', '"a/3.csv"')],
    ['a name climbing out', (text: string) => text.replace('"c"', '"../c"')],
    ['an empty name', (text: string) => text.replace('"c"', '""')],
    [
      '"files" before other keys',
      (text: string) =>
        text
          .replace('  "files": [\n', '  "files": [\n')
          .replace(/\n {2}\]\n\}\n$/, '\n  ],\n  "extra": 1\n}\n'),
    ],
    ['text after the end', (text: string) => `${text}\n{}`],
  ])('takes the general route for %s', async (_what, edit) => {
    const file = manifestFile(table(PATHS, 5));
    const edited = edit(readFileSync(file, 'utf8'));
    writeFileSync(file, edited);
    expect(readWrittenForm(Buffer.from(edited), file, {})).toBeUndefined();
    // …which accepts what is valid and refuses the rest with its own message.
    const general = await readBaseline(file).then(
      (m) => columns(m.files),
      (e: unknown) => (e as Error).message,
    );
    if (typeof general === 'string') expect(general).toMatch(/Baseline|DatasetManifest|JSON|twice/);
    else expect(general.length).toBe(PATHS.length);
  });

  it('diffs the same against a baseline read either way', async () => {
    const before = table(PATHS, 7);
    const file = manifestFile(before);
    const nowPaths = ['a/1.csv', 'a/2.csv', 'a/3.csv', 'b/x y', 'c', '\u{1F600}'];
    const now = table(nowPaths, 7);
    now.digests[0] = (now.digests[0] as number) ^ 1; // a/1.csv modified
    const dataset = {
      table: now,
      algorithm: 'sha256',
      lfs: 'auto',
      hash: `sha256:${'3'.repeat(64)}`,
      directories: { a: `sha256:${'4'.repeat(64)}` },
      pathBytes: Buffer.from(nowPaths.join('\0')),
    } as unknown as HashedDataset;
    const info = { source: 'file' as const, location: 'm.json' };
    const fast = readWrittenForm(readFileSync(file), file, {});
    const general = await readDocument('DatasetManifest', file);
    const { files, ...rest } = general;
    const slow = { header: rest, files: ManifestFiles.fromEntries(files) };
    const a = diffAgainst(dataset, 'data', { manifest: fast as NonNullable<typeof fast>, info });
    const b = diffAgainst(dataset, 'data', { manifest: slow, info });
    expect(a).toEqual(b);
    expect(a.counts).toEqual({ added: 1, removed: 1, modified: 1, unchanged: 4 });
    expect(a.added.map((f) => f.path)).toEqual(['a/3.csv']);
    expect(a.removed.map((f) => f.path)).toEqual(['b/caf\u00e9.bin']);
    expect(a.modified[0]).toMatchObject({ path: 'a/1.csv', before: { size: 7 }, after: { size: 7 } });
    expect(a.modified[0]?.before.hash).not.toBe(a.modified[0]?.after.hash);
    expect(a.baseline).toMatchObject({ hash: header.hash, sha: 'abc' });
    // c's token is an oid token (`sha256:<hex>`) on both sides: equal, as its text is.
    expect(files[4]).toMatchObject({ path: 'c', hash: expect.stringMatching(/^sha256:/) as unknown });
  });
});

describe('readBaseline', () => {
  const entry = (p: string) => ({ path: p, size: 1, hash: 'ab'.repeat(32) });
  const write = (files: { path: string }[]): string => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'baseline-')), 'b.json');
    const totals = { ...header.totals, files: files.length, bytes: files.length };
    writeFileSync(file, JSON.stringify({ ...header, totals, files }));
    return file;
  };

  it('puts the entries of a baseline written in another order in code-point order', async () => {
    const paths = ['b/x', '\u{1F600}', 'a', '\uFFFD', 'a.b'];
    const { files } = await readBaseline(write(paths.map(entry)));
    expect(Array.from({ length: files.count }, (_, i) => files.path(i))).toEqual([
      'a',
      'a.b',
      'b/x',
      '\uFFFD',
      '\u{1F600}',
    ]);
  });

  it('refuses a path listed twice, in order or not', async () => {
    await expect(readBaseline(write(['a', 'b', 'b'].map(entry)))).rejects.toThrow("lists 'b' twice");
    await expect(readBaseline(write(['b', 'a', 'b'].map(entry)))).rejects.toThrow("lists 'b' twice");
  });

  it('refuses a path that is not valid Unicode (a lone surrogate would read as U+FFFD)', async () => {
    await expect(readBaseline(write(['a', 'b\ud800'].map(entry)))).rejects.toThrow(
      "lists the path 'b\ud800', which is not valid Unicode",
    );
  });

  it('names the first path that would leave the dataset', async () => {
    await expect(readBaseline(write(['a', 'b/../../etc', 'c'].map(entry)))).rejects.toThrow(
      "lists the path 'b/../../etc', which climbs out",
    );
  });
});
