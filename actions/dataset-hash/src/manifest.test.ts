import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Flag, SLOT } from './hash-file.ts';
import { manifestEntry, writeManifest, type ManifestHeader } from './manifest.ts';
import { EntryTable } from './table.ts';

const header: ManifestHeader = {
  schemaVersion: 1,
  kind: 'DatasetManifest',
  createdAt: '2026-11-27T00:00:00.000Z',
  producer: { action: 'dataset-hash', version: '1.0.0' },
  name: 'data',
  algorithm: 'sha256',
  lfs: 'auto',
  hash: `sha256:${'0'.repeat(64)}`,
  root: 'data',
  patterns: { path: ['data'], ignore: [] },
  totals: { files: 0, bytes: 0, symlinks: 0, lfsPointers: 0 },
  directories: {},
};

describe('writeManifest', () => {
  it('writes each entry as JSON.stringify of its manifest entry, names JSON must escape included', () => {
    const paths = [
      'a "quoted" name',
      'back\\slash',
      'caf\u00e9/\u2603 snow\u2028man \ud83d\ude00',
      'ctl\u0001\u007f/tab\there',
      'link',
      'lfs/pointer.bin',
      'oid-token',
      'plain/file.csv',
    ].sort();
    const table = new EntryTable(paths, 32);
    const sizes = [0, 9, 10, 1000, 123456789012, 2 ** 53 - 1, 5, 42];
    for (let i = 0; i < table.count; i++) {
      table.sizes[i] = sizes[i] as number;
      for (let k = 0; k < SLOT; k++) table.digests[i * SLOT + k] = (i * 37 + k * 11) & 255;
    }
    const at = (p: string): number => paths.indexOf(p);
    table.flags[at('link')] = Flag.Link;
    table.targets.set(at('link'), '../outside "target"');
    table.flags[at('lfs/pointer.bin')] = Flag.LfsPointer | Flag.OidToken;
    table.lfsOids.set(at('lfs/pointer.bin'), 'ab'.repeat(32));
    table.flags[at('oid-token')] = Flag.OidToken;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'manifest-')), 'm.json');

    writeManifest(file, { ...header, totals: { ...header.totals, files: table.count } }, table);

    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const first = lines.indexOf('  "files": [') + 1;
    const expected = paths.map(
      (_, i) => `    ${JSON.stringify(manifestEntry(table, i))}${i + 1 < paths.length ? ',' : ''}`,
    );
    expect(lines.slice(first, first + paths.length)).toEqual(expected);
    const parsed = JSON.parse(text) as { files: { path: string; hash: string; target?: string }[] };
    expect(parsed.files.map((f) => f.path)).toEqual(paths);
    expect(parsed.files[at('oid-token')]?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parsed.files[at('link')]?.target).toBe('../outside "target"');
  });
});
