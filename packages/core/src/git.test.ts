import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkTreeTop, gitIndexListing, gitTopLevel } from './git.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'core-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('git facts', () => {
  it('finds the work tree top without git, as git itself does', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'data', 'deep'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const deep = path.join(repo, 'data', 'deep');
    expect(findWorkTreeTop(deep, {})).toBe(await gitTopLevel(deep));
    // Outside any work tree (the temp folder's ancestors have no .git).
    const outside = path.join(dir, 'plain');
    mkdirSync(outside);
    expect(findWorkTreeTop(outside, {})).toBeNull();
    // Git's environment can move the work tree: only git can tell then.
    expect(findWorkTreeTop(deep, { GIT_DIR: '/elsewhere/.git' })).toBeUndefined();
  });

  it('lists the index as raw records, paths relative to the folder asked', async () => {
    const repo = path.join(dir, 'listing');
    mkdirSync(path.join(repo, 'data'), { recursive: true });
    writeFileSync(path.join(repo, 'data', 'a.csv'), 'a\n');
    writeFileSync(path.join(repo, 'top.txt'), 't\n');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '.'], { cwd: repo });
    const listing = await gitIndexListing(path.join(repo, 'data'));
    const blob = execFileSync('git', ['hash-object', 'data/a.csv'], { cwd: repo }).toString().trim();
    expect(listing?.toString('utf8')).toBe(`H 100644 ${blob} 0\ta.csv\0`);
    expect(await gitIndexListing(path.join(dir, 'plain'))).toBeUndefined();
  });
});
