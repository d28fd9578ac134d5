import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexOfPath, joinIndexListing, markListedPaths } from './git-index.ts';
import { EntryTable } from './table.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'git-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('joining git index listings with the entry table', () => {
  it("takes each tracked file's blob id from real `git ls-files -s -v -z` output", () => {
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
    // Git does not look at these in the work tree, so it cannot vouch for them.
    git('update-index', '--skip-worktree', 'z.csv');
    git('update-index', '--assume-unchanged', 'a b.csv');
    const listing = git('ls-files', '-s', '-v', '-z');
    const paths = [...Object.keys(files), 'untracked.csv'].sort();
    const unvouched = new Set(['untracked.csv', 'z.csv', 'a b.csv']);
    const table = new EntryTable(paths, 32);
    const tracked = joinIndexListing(listing, table, Buffer.from(paths.join('\0')));
    expect(Array.from(tracked)).toEqual(paths.map((p) => (unvouched.has(p) ? 0 : 1)));
    for (const [i, p] of paths.entries()) {
      const expected = unvouched.has(p) ? undefined : git('hash-object', p).toString().trim();
      expect(table.blob(i)).toBe(expected);
    }
    // A plain path list (`git ls-files -z`) marks the entries it names.
    const listed = markListedPaths(git('ls-files', '-z', '--', 'data'), table, Buffer.from(paths.join('\0')));
    expect(paths.filter((_, i) => listed[i] === 1)).toEqual(['data/x.csv', 'data/é.csv']);
  });

  it('skips submodules, conflicted stages and garbage, and finds paths by binary search', () => {
    const blob = 'ab'.repeat(20);
    const listing = Buffer.from(
      [
        `H 100644 ${blob} 1\tconflict.csv`,
        'garbage without a tab',
        `H 160000 ${blob} 0\tmodule`,
        `H 100644 ${blob} 0\tok.csv`,
      ].join('\0') + '\0',
    );
    const table = new EntryTable(['conflict.csv', 'module', 'ok.csv'], 32);
    expect(Array.from(joinIndexListing(listing, table, Buffer.from(table.paths.join('\0'))))).toEqual([
      0, 0, 1,
    ]);
    expect(table.blob(2)).toBe(blob);
    expect(indexOfPath(table.paths, 'ok.csv')).toBe(2);
    expect(indexOfPath(table.paths, 'nope')).toBe(-1);
  });
});
