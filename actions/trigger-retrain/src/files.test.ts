import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blobOfPath, listTrackedFiles } from './files.ts';

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
}

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

const PATTERNS = ['src/**', '!src/vendor/**', 'conf/*.yaml'];
let origin: string;

beforeAll(() => {
  origin = mkdtempSync(path.join(os.tmpdir(), 'files-origin-'));
  git(origin, 'init', '-q');
  write(origin, 'src/train.py', 'print("train")\n');
  write(origin, 'src/util.py', 'X = 1\n');
  write(origin, 'src/vendor/lib.py', 'vendored\n');
  write(origin, 'conf/model.yaml', 'depth: 3\n');
  write(origin, 'README.md', 'docs\n');
  write(origin, '.gitignore', '__pycache__/\n');
  git(origin, 'add', '.');
  git(origin, 'commit', '-qm', 'one');
  // History that the fingerprint must not care about.
  write(origin, 'README.md', 'more docs\n');
  git(origin, 'commit', '-qam', 'two');
});

describe('listTrackedFiles', () => {
  it('lists matched files with git blob ids, list semantics, sorted', async () => {
    const { files, source } = await listTrackedFiles({ cwd: origin, patterns: PATTERNS });
    expect(source).toBe('git');
    expect(files.map((f) => f.path)).toEqual(['conf/model.yaml', 'src/train.py', 'src/util.py']);
    expect(files[1]?.blob).toBe(git(origin, 'hash-object', 'src/train.py').trim());
  });

  it('gives the same list on a full clone, a shallow clone and a plain folder without git', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'files-clones-'));
    git(base, 'clone', '-q', origin, 'full');
    git(base, 'clone', '-q', '--depth', '1', `file://${origin}`, 'shallow');
    expect(git(path.join(base, 'shallow'), 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    cpSync(path.join(base, 'full'), path.join(base, 'plain'), { recursive: true });
    rmSync(path.join(base, 'plain', '.git'), { recursive: true });
    const lists = await Promise.all(
      ['full', 'shallow', 'plain'].map((dir) =>
        listTrackedFiles({ cwd: path.join(base, dir), patterns: PATTERNS }),
      ),
    );
    expect(lists.map((l) => l.source)).toEqual(['git', 'git', 'filesystem']);
    expect(lists[1]?.files).toEqual(lists[0]?.files);
    expect(lists[2]?.files).toEqual(lists[0]?.files);
  });

  it('sees work-tree edits, untracked files and deletions, but not ignored files or .modelops', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'files-work-'));
    git(work, 'clone', '-q', origin, '.');
    write(work, 'src/train.py', 'print("changed")\n'); // modified, not staged
    write(work, 'src/new.py', 'new\n'); // untracked
    write(work, 'src/__pycache__/train.cpython-312.pyc', 'bytecode'); // ignored
    write(work, '.modelops/churn.lock.json', '{}'); // the suite's own state
    rmSync(path.join(work, 'src/util.py')); // deleted
    const { files } = await listTrackedFiles({ cwd: work, patterns: ['src/**', '.modelops/**'] });
    expect(files.map((f) => f.path)).toEqual(['src/new.py', 'src/train.py', 'src/vendor/lib.py']);
    expect(files.find((f) => f.path === 'src/train.py')?.blob).toBe(
      git(work, 'hash-object', 'src/train.py').trim(),
    );
  });

  it('hashes a symlink by its target text, as git does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'files-link-'));
    write(dir, 'src/real.py', 'x\n');
    symlinkSync('real.py', path.join(dir, 'src/link.py'));
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'links');
    const fromGit = await listTrackedFiles({ cwd: dir, patterns: ['src/**'] });
    rmSync(path.join(dir, '.git'), { recursive: true });
    const fromDisk = await listTrackedFiles({ cwd: dir, patterns: ['src/**'] });
    expect(fromDisk.files).toEqual(fromGit.files);
    expect(await blobOfPath(path.join(dir, 'src/missing.py'))).toBeUndefined();
  });

  it('fails clearly, rather than guess, when git cannot tell modified files', async () => {
    // A git that lists the index but cannot diff (a damaged work tree, a broken wrapper).
    const bin = mkdtempSync(path.join(os.tmpdir(), 'files-git-'));
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\n[ "$1" = diff ] && exit 1\nexec ${real} "$@"\n`, {
      mode: 0o755,
    });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved}`;
    try {
      const error = await listTrackedFiles({ cwd: origin, patterns: PATTERNS }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/git could not compare the work tree with its index/);
    } finally {
      process.env.PATH = saved;
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('returns nothing for no patterns', async () => {
    expect((await listTrackedFiles({ cwd: origin, patterns: [] })).files).toEqual([]);
  });
});
