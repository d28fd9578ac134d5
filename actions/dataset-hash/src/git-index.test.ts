import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexOfPath, joinIndexListing } from './git-index.ts';
import { EntryTable } from './table.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'git-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('joining git index listings with the entry table', () => {
  it("takes each tracked file's blob id from real `git ls-files -s -z` output", () => {
    const files: Record<string, string> = {
      'a b.csv': '1',
      'data/x.csv': '2',
      'data/é.csv': '3', // non-ASCII: byte order and code-point order agree
      'data-2/y.csv': '4', // '-' sorts before '/': git's order, not a folder walk's
      'z.csv': '5',
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
    git('init', '-q');
    git('add', '.');
    writeFileSync(path.join(dir, 'untracked.csv'), '6');
    const listing = git('ls-files', '-s', '-z');
    const paths = [...Object.keys(files), 'untracked.csv'].sort();
    const table = new EntryTable(paths, 32);
    const tracked = joinIndexListing(listing, table, paths.join('\0'));
    expect(Array.from(tracked)).toEqual(paths.map((p) => (p === 'untracked.csv' ? 0 : 1)));
    for (const [i, p] of paths.entries()) {
      const expected = p === 'untracked.csv' ? undefined : git('hash-object', p).toString().trim();
      expect(table.blob(i)).toBe(expected);
    }
  });

  it('skips submodules, conflicted stages and garbage, and finds paths by binary search', () => {
    const blob = 'ab'.repeat(20);
    const listing = Buffer.from(
      [
        `100644 ${blob} 1\tconflict.csv`,
        'garbage without a tab',
        `160000 ${blob} 0\tmodule`,
        `100644 ${blob} 0\tok.csv`,
      ].join('\0') + '\0',
    );
    const table = new EntryTable(['conflict.csv', 'module', 'ok.csv'], 32);
    expect(Array.from(joinIndexListing(listing, table, table.paths.join('\0')))).toEqual([0, 0, 1]);
    expect(table.blob(2)).toBe(blob);
    expect(indexOfPath(table.paths, 'ok.csv')).toBe(2);
    expect(indexOfPath(table.paths, 'nope')).toBe(-1);
  });
});
