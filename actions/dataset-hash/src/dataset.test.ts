import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '@modelops/core';
import { askGit, cliGit, hashDataset, type GitSource, type HashDatasetOptions } from './dataset.ts';
import { formatLfsPointer } from './lfs.ts';
import { machineId } from './hash-cache.ts';
import { SETTLE_MS } from './folder-snapshot.ts';

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dataset-hash-test-'));
  temps.push(dir);
  return dir;
}

/** Writes files (path → content) in the given order. */
function writeTree(root: string, files: Record<string, string>, order = Object.keys(files)): void {
  for (const rel of order) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, files[rel] as string);
  }
}

function run(cwd: string, options: Partial<HashDatasetOptions> = {}) {
  return hashDataset({
    cwd,
    patterns: ['data'],
    algorithm: 'sha256',
    lfs: 'auto',
    threads: 0,
    useGit: false,
    // Files and folders written by a test are moments old: trusted at once here (see the racy tests).
    settleMs: 0,
    ...options,
  });
}

const FILES: Record<string, string> = {
  'data/train/a.csv': 'x,y\n1,2\n',
  'data/train/b.csv': 'x,y\n3,4\n',
  'data/test/c.csv': 'x,y\n5,6\n',
  'data/README.md': '# data\n',
  'data/empty.bin': '',
  'data/z/deep/er/file.txt': 'deep',
};

describe('dataset hash', () => {
  it('equals sha256sum of the sorted sha256sum listing (checked with coreutils)', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const result = await run(cwd);
    const listing = execFileSync(
      'sh',
      ['-c', "find . -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum"],
      {
        cwd: path.join(cwd, 'data'),
      },
    );
    const expected = createHash('sha256').update(listing).digest('hex');
    expect(result.hash).toBe(`sha256:${expected}`);
    expect(result.table.paths).toEqual([
      'README.md',
      'empty.bin',
      'test/c.csv',
      'train/a.csv',
      'train/b.csv',
      'z/deep/er/file.txt',
    ]);
    expect(result.table.totalBytes()).toBe(Object.values(FILES).reduce((n, s) => n + s.length, 0));
    // A top-level folder's hash is the dataset hash of that folder alone.
    const train = await hashDataset({
      cwd,
      patterns: ['data/train'],
      algorithm: 'sha256',
      lfs: 'auto',
      threads: 0,
      useGit: false,
    });
    expect(result.directories.train).toBe(train.hash);
    expect(result.directories['README.md']).toBe(
      `sha256:${createHash('sha256').update('# data\n').digest('hex')}`,
    );
  });

  it('matches sha256sum for names it must escape and for non-ASCII names, folders included', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      'data/a\\b.txt': 'backslash',
      'data/new\nline.txt': 'newline',
      'data/wé/ü.csv': 'umlaut',
      'data/wé/plain.csv': 'plain',
      'data/😀/x': 'astral',
      'data/z.txt': 'z',
    });
    const result = await run(cwd);
    const listing = execFileSync(
      'sh',
      ['-c', "find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum"],
      { cwd: path.join(cwd, 'data') },
    );
    expect(listing.toString()).toContain('\\'); // coreutils escaped two of the lines
    expect(result.hash).toBe(`sha256:${createHash('sha256').update(listing).digest('hex')}`);
    const folder = await run(cwd, { patterns: ['data/wé'] });
    expect(result.directories['wé']).toBe(folder.hash);
    expect(Object.keys(result.directories).sort()).toEqual([
      'a\\b.txt',
      'new\nline.txt',
      'wé',
      'z.txt',
      '😀',
    ]);
  });

  it('lists paths in code-point order however folder and file names interleave (checked with sort)', async () => {
    const cwd = tempDir();
    const names = [
      'a.txt',
      'a/b-',
      'a/b.c',
      'a/b/c',
      'a/b0',
      'a-b/c',
      'a0',
      'ab',
      'A',
      'é/x',
      'e\u0301x',
      '\ue000',
      '😀/y',
      '😀.z',
    ];
    writeTree(cwd, Object.fromEntries(names.map((n) => [`data/${n}`, n])));
    const result = await run(cwd);
    // The names as found, made NFC, then sorted by coreutils: UTF-8 byte order is code-point order.
    const found = execFileSync('find', ['.', '-type', 'f', '-printf', '%P\\0'], {
      cwd: path.join(cwd, 'data'),
    })
      .toString('utf8')
      .split('\0')
      .filter((p) => p !== '')
      .map((p) => p.normalize('NFC'));
    const expected = execFileSync('sort', ['-z'], {
      input: found.join('\0'),
      env: { ...process.env, LC_ALL: 'C' },
    })
      .toString('utf8')
      .split('\0')
      .filter((p) => p !== '');
    expect(result.table.paths).toEqual(expected);
    expect(result.table.paths.indexOf('\ue000')).toBeLessThan(result.table.paths.indexOf('😀.z'));
    // Without the decomposed name, the walk comes out in order by itself: the same list.
    rmSync(path.join(cwd, 'data', 'e\u0301x'));
    expect((await run(cwd)).table.paths).toEqual(expected.filter((p) => p !== 'e\u0301x'.normalize('NFC')));
  });

  it('refuses two names that are not UTF-8 and would read as one', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'data/ok': 'ok' });
    for (const byte of [0xfe, 0xff]) {
      writeFileSync(Buffer.concat([Buffer.from(path.join(cwd, 'data/')), Buffer.from([byte])]), 'x');
    }
    const error = await run(cwd).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/Two files have the path '\ufffd'/);
  });

  it('is the same for any creation order, mtime and thread count', async () => {
    const a = tempDir();
    const b = tempDir();
    writeTree(a, FILES);
    writeTree(b, FILES, Object.keys(FILES).reverse());
    utimesSync(path.join(b, 'data/train/a.csv'), new Date('2001-01-01'), new Date('2001-01-01'));
    const [ra, rb, rc] = await Promise.all([
      run(a),
      run(b, { threads: 2 }),
      run(a, { threads: 2, algorithm: 'blake3' }),
    ]);
    expect(rb.hash).toBe(ra.hash);
    expect(rb.directories).toEqual(ra.directories);
    const rd = await run(b, { threads: 0, algorithm: 'blake3' });
    expect(rd.hash).toBe(rc.hash);
    expect(rc.hash).toMatch(/^blake3:[0-9a-f]{64}$/);
  });

  it('hashes many files on threads exactly as on the main thread', async () => {
    const cwd = tempDir();
    const many: Record<string, string> = {};
    for (let i = 0; i < 600; i++) many[`data/d${i % 7}/f${i}.txt`] = `content ${i}\n`.repeat(i % 5);
    writeTree(cwd, many);
    const [inline, threaded] = await Promise.all([run(cwd, { threads: 0 }), run(cwd, { threads: 2 })]);
    expect(threaded.stats.threads).toBe(2);
    expect(threaded.hash).toBe(inline.hash);
  });

  it('tells when the threads have the job, and stops when its signal aborts', async () => {
    const cwd = tempDir();
    const many: Record<string, string> = {};
    for (let i = 0; i < 600; i++) many[`data/d${i % 7}/f${i}.txt`] = `content ${i}\n`;
    writeTree(cwd, many);
    const stop = new AbortController();
    const reason = new Error('stopped by the caller');
    let hashing = 0;
    const stopped = run(cwd, {
      threads: 2,
      signal: stop.signal,
      onHashing: () => {
        hashing++;
        stop.abort(reason);
      },
    });
    await expect(stopped).rejects.toBe(reason);
    expect(hashing).toBe(1);
    const done = await run(cwd, { threads: 2, onHashing: () => void hashing++ });
    expect(done.table.count).toBe(600);
    expect(hashing).toBe(2);
  });

  it("reproduces DVC's .dir hash vector in dvc mode", async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'data/1': '1', 'data/2': '2' });
    const result = await run(cwd, { algorithm: 'dvc' });
    expect(result.hash).toBe('md5:5fb6b29836c388e093ca0715c872fe2a.dir');
    expect(result.table.token(0)).toBe('c4ca4238a0b923820dcc509a6f75849b');
  });

  it('hashes a Git LFS pointer by its oid: the same dataset hash as the real content', async () => {
    const withPointer = tempDir();
    const withContent = tempDir();
    const oid = createHash('sha256').update('simple\n').digest('hex');
    writeTree(withPointer, { 'data/model.bin': formatLfsPointer({ oid, size: 7 }), 'data/x.txt': 'x' });
    writeTree(withContent, { 'data/model.bin': 'simple\n', 'data/x.txt': 'x' });
    const [p, c] = await Promise.all([run(withPointer), run(withContent)]);
    expect(p.table.token(0)).toBe(oid);
    expect(p.table.lfsOids.get(0)).toBe(oid);
    expect(p.table.sizes[0]).toBe(7);
    expect(p.hash).toBe(c.hash);
    // pointer mode hashes the pointer text; blake3 keeps the oid as sha256:<oid>
    const asPointer = await run(withPointer, { lfs: 'pointer' });
    expect(asPointer.hash).not.toBe(c.hash);
    const blake = await run(withPointer, { algorithm: 'blake3' });
    expect(blake.table.token(0)).toBe(`sha256:${oid}`);
  });

  it('lfs: content hashes the local LFS object and fails clearly when it is missing', async () => {
    const cwd = tempDir();
    const oid = createHash('sha256').update('simple\n').digest('hex');
    writeTree(cwd, { 'data/model.bin': formatLfsPointer({ oid, size: 7 }) });
    const gitDir = path.join(cwd, '.git');
    const git = {
      indexListing: async () => undefined,
      plainPaths: async () => undefined,
      modifiedPaths: async () => new Set<string>(),
      gitDir: async () => gitDir,
    };
    await expect(run(cwd, { lfs: 'content', git })).rejects.toThrow(
      /model\.bin' is a Git LFS pointer and its object 6c17f2007cbe/,
    );
    writeTree(cwd, { [`.git/lfs/objects/6c/17/${oid}`]: 'simple\n' });
    const result = await run(cwd, { lfs: 'content', git, algorithm: 'blake3' });
    const content = tempDir();
    writeTree(content, { 'data/model.bin': 'simple\n' });
    expect(result.hash).toBe((await run(content, { algorithm: 'blake3' })).hash);
  });

  it('hashes symlinks as links, never following them out of the dataset, and survives link loops', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'data/real.txt': 'real', 'outside/secret.txt': 'secret' });
    symlinkSync('../outside', path.join(cwd, 'data/out-dir'));
    symlinkSync('../outside/secret.txt', path.join(cwd, 'data/out-file'));
    symlinkSync('loop-b', path.join(cwd, 'data/loop-a'));
    symlinkSync('loop-a', path.join(cwd, 'data/loop-b'));
    const result = await run(cwd);
    expect(result.table.paths).toEqual(['loop-a', 'loop-b', 'out-dir', 'out-file', 'real.txt']);
    const i = result.table.paths.indexOf('out-file');
    expect(result.table.targets.get(i)).toBe('../outside/secret.txt');
    expect(result.table.token(i)).toBe(createHash('sha256').update('../outside/secret.txt').digest('hex'));
    expect(result.table.paths.some((p) => p.includes('secret'))).toBe(false);
  });

  it('records NFC paths whatever the on-disk normalisation', async () => {
    const nfd = tempDir();
    const nfc = tempDir();
    writeTree(nfd, { 'data/caf\u0065\u0301.txt': 'x' });
    writeTree(nfc, { 'data/caf\u00e9.txt': 'x' });
    const [a, b] = await Promise.all([run(nfd), run(nfc)]);
    expect(a.table.paths).toEqual(['caf\u00e9.txt']);
    expect(a.hash).toBe(b.hash);
  });

  it('applies globs with list semantics, then ignore', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const result = await run(cwd, {
      patterns: ['data/**/*.csv', '!data/train/**', 'data/train/b.csv'],
      ignore: ['**/c.csv'],
    });
    expect(result.table.paths).toEqual(['train/b.csv']);
    expect(result.rootRelative).toBe('data');
  });

  it('fails clearly on a path or glob that matches nothing', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    await expect(run(cwd, { patterns: ['nope'] })).rejects.toThrow(UserError);
    await expect(run(cwd, { patterns: ['nope'] })).rejects.toThrow(/Path 'nope' does not exist/);
    await expect(run(cwd, { patterns: ['data', 'data/**/*.parquet'] })).rejects.toThrow(
      /'data\/\*\*\/\*\.parquet' in input 'path' matched no files/,
    );
    mkdirSync(path.join(cwd, 'empty'));
    await expect(run(cwd, { patterns: ['empty'] })).rejects.toThrow(/matched no files/);
    // A glob below a folder that does not exist: the same kind of error, not a file-system one.
    const noFolder = await run(cwd, { patterns: ['nothere/**/*.csv'] }).catch((e: unknown) => e);
    expect(noFolder).toBeInstanceOf(UserError);
    expect((noFolder as UserError).describe()).toMatch(
      /'nothere\/\*\*\/\*\.csv' in input 'path' matched no files: its folder 'nothere' does not exist/,
    );
  });

  it('names an unreadable file in a clear error', async () => {
    // /proc/self/mem is a regular file whose first page cannot be read (EIO), even as root.
    const error = await run('/proc/self', { patterns: ['mem'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).describe()).toMatch(/File 'mem' cannot be read \(EIO/);
    expect((error as UserError).file).toBe('mem');
  });

  it('re-hashes only what changed, with the cache from the same machine', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const cacheFile = path.join(cwd, 'cache.bin');
    const { writeHashCache } = await import('./hash-cache.ts');
    const first = await run(cwd, { cacheFile });
    const header = {
      algorithm: 'sha256' as const,
      lfs: 'auto' as const,
      machine: machineId(),
      root: first.root,
    };
    writeHashCache(cacheFile, first.table, header);
    const second = await run(cwd, { cacheFile });
    expect(second.stats).toMatchObject({ hashed: 0, reusedByStat: 6 });
    expect(second.hash).toBe(first.hash);
    writeFileSync(path.join(cwd, 'data/train/a.csv'), 'x,y\n9,9\n');
    const third = await run(cwd, { cacheFile });
    expect(third.stats).toMatchObject({ hashed: 1, reusedByStat: 5 });
    expect(third.hash).not.toBe(first.hash);
    // a cache for another algorithm is ignored, not trusted
    const blake = await run(cwd, { cacheFile, algorithm: 'blake3' });
    expect(blake.stats.hashed).toBe(6);
  });

  describe('skipping the walk on the same machine', () => {
    /** Past the file system's timestamp granularity, so a change moves a folder's stamp on. */
    const later = () => new Promise((resolve) => setTimeout(resolve, 30));
    /** A run with the cache, writing it back with the folder snapshot, as the step does. */
    async function cachedRun(cwd: string, cacheFile: string, options: Partial<HashDatasetOptions> = {}) {
      const result = await run(cwd, { cacheFile, settleMs: 0, ...options });
      const { writeHashCache } = await import('./hash-cache.ts');
      writeHashCache(
        cacheFile,
        result.table,
        {
          algorithm: result.algorithm,
          lfs: result.lfs,
          machine: machineId(),
          root: realpathSync(result.root),
        },
        result.folders,
      );
      return result;
    }
    /** The hash and paths of a walk and hash from scratch. */
    async function fresh(cwd: string, options: Partial<HashDatasetOptions> = {}) {
      const result = await run(cwd, options);
      return { hash: result.hash, paths: result.table.paths };
    }

    it('replays the walk when no folder changed, still seeing a file rewritten in place', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const cacheFile = path.join(cwd, 'cache.bin');
      await later();
      const first = await cachedRun(cwd, cacheFile);
      expect(first.walkReplayed).toBe(false);
      expect(first.folders?.paths.slice().sort()).toEqual(['', 'test', 'train', 'z', 'z/deep', 'z/deep/er']);
      await later();
      writeFileSync(path.join(cwd, 'data/train/a.csv'), 'x,y\n7,7\n'); // in place: the folder is untouched
      const logs: string[] = [];
      const second = await cachedRun(cwd, cacheFile, { log: (l) => logs.push(l) });
      expect(second.walkReplayed).toBe(true);
      expect(logs.join('\n')).toMatch(/no folder changed since the cache was written \(6 checked\)/);
      expect(second.stats).toMatchObject({ hashed: 1, reusedByStat: 5 });
      const scratch = await fresh(cwd);
      expect(second.hash).toBe(scratch.hash);
      expect(second.hash).not.toBe(first.hash);
      expect(second.table.paths).toEqual(scratch.paths);
    });

    it('walks again after a file is added, removed or renamed anywhere, or a folder time is set back', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const cacheFile = path.join(cwd, 'cache.bin');
      await later();
      await cachedRun(cwd, cacheFile);
      const deep = path.join(cwd, 'data/z/deep/er');
      const changes: [string, () => void][] = [
        ['add deep down', () => writeFileSync(path.join(deep, 'new.txt'), 'new')],
        ['remove', () => rmSync(path.join(cwd, 'data/test/c.csv'))],
        ['rename', () => renameSync(path.join(cwd, 'data/train/b.csv'), path.join(cwd, 'data/train/b2.csv'))],
        ['new folder', () => writeTree(cwd, { 'data/z/more/x.txt': 'x' })],
        [
          // As tar and rsync -a restore folder times: the mtime is back, the ctime is not.
          'add, then set the folder mtime back',
          () => {
            const before = statSync(deep, { bigint: true }).mtimeNs;
            writeFileSync(path.join(deep, 'restored.txt'), 'r');
            const stamp = `@${before / 1_000_000_000n}.${String(before % 1_000_000_000n).padStart(9, '0')}`;
            execFileSync('touch', ['-m', '-d', stamp, deep]); // to the nanosecond, as tar does
            expect(statSync(deep, { bigint: true }).mtimeNs).toBe(before);
          },
        ],
      ];
      for (const [what, change] of changes) {
        await later();
        change();
        const again = await cachedRun(cwd, cacheFile);
        const scratch = await fresh(cwd);
        expect({ what, replayed: again.walkReplayed, paths: again.table.paths, hash: again.hash }).toEqual({
          what,
          replayed: false,
          paths: scratch.paths,
          hash: scratch.hash,
        });
        await later();
        expect((await cachedRun(cwd, cacheFile)).walkReplayed).toBe(true); // settled again
      }
    });

    it('does not replay a walk that met a base twice, nor miss a literal file that changed kind', async () => {
      const cwd = tempDir();
      const caches = tempDir(); // the cache files must not move the workspace's own stamp
      writeTree(cwd, { 'a/sub/x.txt': 'x', 'c/y.txt': 'y', 'extra.txt': 'e' });
      // A base linked to a folder another base walks already: nothing stamps the link.
      symlinkSync('a/sub', path.join(cwd, 'b'));
      await later();
      expect(
        (await cachedRun(cwd, path.join(caches, '1.bin'), { patterns: ['a', 'b'] })).folders,
      ).toBeUndefined();
      // A literal file's folder is stamped: replacing the file by a link is seen (dvc follows links).
      const options = { patterns: ['c', 'extra.txt'], algorithm: 'dvc' as const };
      const cacheFile = path.join(caches, '2.bin');
      await cachedRun(cwd, cacheFile, options);
      await later();
      expect((await cachedRun(cwd, cacheFile, options)).walkReplayed).toBe(true);
      await later();
      rmSync(path.join(cwd, 'extra.txt'));
      symlinkSync('c/y.txt', path.join(cwd, 'extra.txt'));
      const again = await cachedRun(cwd, cacheFile, options);
      expect(again.walkReplayed).toBe(false);
      expect(again.hash).toBe((await fresh(cwd, options)).hash);
    });

    it('walks instead of replaying a path list no walk could have made', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const cacheFile = path.join(tempDir(), 'cache.bin');
      await later();
      const real = await cachedRun(cwd, cacheFile);
      // Valid folder stamps, a matching digest, but a path out of the dataset (a writer with a bug).
      const { writeHashCache } = await import('./hash-cache.ts');
      const { EntryTable } = await import('./table.ts');
      const forged = new EntryTable(['../secret.txt', 'README.md'], 32);
      const header = { algorithm: 'sha256' as const, lfs: 'auto' as const, machine: machineId() };
      writeHashCache(cacheFile, forged, { ...header, root: realpathSync(real.root) }, real.folders);
      const logs: string[] = [];
      const again = await run(cwd, { cacheFile, log: (l) => logs.push(l) });
      expect(again.walkReplayed).toBe(false);
      expect(logs.join('\n')).toMatch(
        /unusable \(the paths include a "\." or "\.\." segment\); walking the dataset/,
      );
      expect(again.table.paths).toEqual(real.table.paths);
      expect(again.hash).toBe(real.hash);
    });

    it('keeps no stat key for a file changed moments before the run: the next run reads it again', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const cacheFile = path.join(tempDir(), 'cache.bin');
      await cachedRun(cwd, cacheFile, { settleMs: SETTLE_MS }); // written just now: racy
      expect((await run(cwd, { cacheFile })).stats).toMatchObject({ hashed: 6, reusedByStat: 0 });
      await cachedRun(cwd, cacheFile); // moments are enough when the settle time is 0
      expect((await run(cwd, { cacheFile })).stats).toMatchObject({ hashed: 0, reusedByStat: 6 });
    });

    it('walks again for other patterns or ignores, on another machine, and after racy or link-following walks', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const cacheFile = path.join(cwd, 'cache.bin');
      await later();
      await cachedRun(cwd, cacheFile);
      const ignored = await run(cwd, { cacheFile, settleMs: 0, ignore: ['data/test/**'] });
      expect(ignored.walkReplayed).toBe(false);
      expect(ignored.table.paths).not.toContain('test/c.csv');
      expect((await run(cwd, { cacheFile, patterns: ['data/train', 'data/test'] })).walkReplayed).toBe(false);
      expect((await run(cwd, { cacheFile })).walkReplayed).toBe(true);
      // Another machine's stamps say nothing here.
      const { writeHashCache } = await import('./hash-cache.ts');
      const here = await run(cwd, { settleMs: 0 });
      writeHashCache(
        cacheFile,
        here.table,
        { algorithm: 'sha256', lfs: 'auto', machine: 'another-runner', root: realpathSync(here.root) },
        here.folders,
      );
      expect((await run(cwd, { cacheFile })).walkReplayed).toBe(false);
      // Folders changed moments before the walk (default settle time) leave no snapshot.
      writeFileSync(path.join(cwd, 'data/test/d.csv'), 'd');
      expect((await run(cwd, { settleMs: SETTLE_MS })).folders).toBeUndefined();
      // Followed links depend on their targets, which no folder stamp covers.
      symlinkSync('train/a.csv', path.join(cwd, 'data/link.csv'));
      await later();
      expect((await run(cwd, { algorithm: 'dvc', settleMs: 0 })).folders).toBeUndefined();
      expect((await run(cwd, { settleMs: 0 })).folders).toBeDefined();
    });
  });

  it('ignores a damaged cache instead of trusting half of it', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const cacheFile = path.join(cwd, 'cache.bin');
    const { writeHashCache } = await import('./hash-cache.ts');
    const first = await run(cwd, { cacheFile });
    writeHashCache(cacheFile, first.table, {
      algorithm: 'sha256',
      lfs: 'auto',
      machine: machineId(),
      root: first.root,
    });
    const whole = readFileSync(cacheFile);
    const logs: string[] = [];
    // Cut short: nothing of it may be used.
    writeFileSync(cacheFile, whole.subarray(0, whole.length - 40));
    const second = await run(cwd, { cacheFile, log: (l) => logs.push(l) });
    expect(second.stats).toMatchObject({ hashed: 6, reusedByStat: 0 });
    expect(second.hash).toBe(first.hash);
    expect(logs.join('\n')).toMatch(/ignored: truncated \(\d+ bytes, \d+ expected\)/);
    // Paths out of order (edited by hand or by a bug): ignored as a whole, even the entries before.
    const lf = whole.indexOf(10);
    const header = JSON.parse(whole.toString('utf8', 0, lf)) as { pathBytes: number };
    const paths = whole.toString('utf8', lf + 1, lf + 1 + header.pathBytes).split('\0');
    expect(paths).toHaveLength(6);
    const swapped = [paths[0], paths[2], paths[1], ...paths.slice(3)].join('\0');
    const reordered = Buffer.concat([
      whole.subarray(0, lf + 1),
      Buffer.from(swapped),
      whole.subarray(lf + 1 + header.pathBytes),
    ]);
    writeFileSync(cacheFile, reordered);
    writeFileSync(path.join(cwd, 'data/extra.csv'), 'x\n1\n'); // not the same path list: a merge join
    const third = await run(cwd, { cacheFile, log: (l) => logs.push(l) });
    expect(third.stats).toMatchObject({ hashed: 7, reusedByStat: 0 });
    expect(logs.join('\n')).toMatch(/ignored: the paths column does not match its digest/);
    // The same written with a matching digest (a writer with a bug): the order is checked too.
    const digest = createHash('sha256').update(swapped).digest('hex');
    writeFileSync(
      cacheFile,
      Buffer.from(
        reordered.toString('latin1').replace(/"pathsDigest":"[0-9a-f]{64}"/, `"pathsDigest":"${digest}"`),
        'latin1',
      ),
    );
    const resigned = await run(cwd, { cacheFile, log: (l) => logs.push(l) });
    expect(resigned.stats).toMatchObject({ hashed: 7, reusedByStat: 0 });
    expect(logs.join('\n')).toMatch(/ignored: paths out of order/);
    // A cache in the previous text format is ignored the same way.
    writeFileSync(
      cacheFile,
      `${JSON.stringify({ format: 'modelops-dataset-hash-cache', version: 1, algorithm: 'sha256', lfs: 'auto' })}\n`,
    );
    const fourth = await run(cwd, { cacheFile, log: (l) => logs.push(l) });
    expect(fourth.stats.hashed).toBe(7);
    expect(logs.join('\n')).toMatch(/ignored: format version 1/);
  });

  it('reuses hashes on another machine through git blob ids, re-hashing modified files', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'data');
    const cacheFile = path.join(cwd, 'cache.bin');
    const { writeHashCache } = await import('./hash-cache.ts');
    const first = await run(cwd, { cacheFile, useGit: true });
    expect(first.table.paths.filter((_, i) => first.table.blob(i) !== undefined)).toHaveLength(6);
    // Written by "another machine": stat keys must not be trusted, blob ids may.
    writeHashCache(cacheFile, first.table, {
      algorithm: 'sha256',
      lfs: 'auto',
      machine: 'another-runner',
      root: first.root,
    });
    writeFileSync(path.join(cwd, 'data/test/c.csv'), 'x,y\n7,7\n'); // modified, not staged
    const second = await run(cwd, { cacheFile, useGit: true, threads: 2 });
    expect(second.stats).toMatchObject({ hashed: 1, reusedByBlob: 5, reusedByStat: 0 });
    const fresh = await run(cwd);
    expect(second.hash).toBe(fresh.hash);
    expect(readFileSync(cacheFile).toString('utf8', 0, 400).split('\n')[0]).toContain('another-runner');
  });

  it('on the same machine, asks git again for files a git-keyed run did not stat', async () => {
    const cwd = tempDir();
    writeTree(cwd, FILES);
    const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'data');
    const cacheFile = path.join(cwd, 'cache.bin');
    const { writeHashCache } = await import('./hash-cache.ts');
    const first = await run(cwd, { cacheFile, useGit: true });
    const header = { algorithm: 'sha256' as const, lfs: 'auto' as const, root: realpathSync(first.root) };
    writeHashCache(cacheFile, first.table, { ...header, machine: 'another-runner' });
    // Another machine: git vouches for all six; none is even stat'ed, so none has a stat key.
    const second = await run(cwd, { cacheFile, useGit: true });
    expect(second.stats).toMatchObject({ hashed: 0, reusedByBlob: 6 });
    expect(Array.from({ length: 6 }, (_, i) => second.table.stats[i * 3 + 1])).toEqual(
      Array(6).fill(Number.NaN),
    );
    writeHashCache(cacheFile, second.table, { ...header, machine: machineId() });
    // Back on this machine: a same-size rewrite must not pass for unchanged on the size alone.
    writeFileSync(path.join(cwd, 'data/test/c.csv'), 'x,y\n6,5\n');
    const third = await run(cwd, { cacheFile, useGit: true });
    expect(third.stats).toMatchObject({ hashed: 1, reusedByBlob: 5, reusedByStat: 0 });
    expect(third.hash).toBe((await run(cwd)).hash);
  });

  it('checks the size on disk of files behind the Git LFS filter (pointer or object)', async () => {
    const cwd = tempDir();
    const content = 'simple\n';
    const oid = createHash('sha256').update(content).digest('hex');
    const pointer = formatLfsPointer({ oid, size: content.length });
    writeTree(cwd, {
      'data/model.bin': pointer,
      'data/notes.txt': 'plain\n',
      '.gitattributes': '*.bin filter=lfs\n',
    });
    // A clean filter like git-lfs's: whatever is on disk, the blob is the pointer.
    writeFileSync(path.join(cwd, 'pointer.txt'), pointer);
    const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'filter.lfs.clean', `sh -c 'cat >/dev/null; cat "${path.join(cwd, 'pointer.txt')}"'`);
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', 'data', '.gitattributes');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'data');
    const cacheFile = path.join(cwd, 'cache.bin');
    const { writeHashCache } = await import('./hash-cache.ts');
    const options = { cacheFile, useGit: true, algorithm: 'blake3' as const, patterns: ['data'] };
    const first = await run(cwd, options);
    writeHashCache(cacheFile, first.table, {
      algorithm: 'blake3',
      lfs: 'auto',
      machine: 'another-runner',
      root: first.root,
    });
    // `git lfs pull`: the object replaces the pointer; git still sees the same blob.
    writeFileSync(path.join(cwd, 'data/model.bin'), content);
    expect(git('diff', '--name-only').toString()).toBe('');
    const second = await run(cwd, options);
    expect(second.stats).toMatchObject({ hashed: 1, reusedByBlob: 1 });
    expect(second.hash).toBe((await run(cwd, { algorithm: 'blake3', patterns: ['data'] })).hash);
    expect(second.hash).not.toBe(first.hash);
  });

  describe('trusting git', () => {
    const commitAll = (cwd: string, ...paths: string[]) => {
      const git = (...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });
      git('init', '-q');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', ...(paths.length ? paths : ['.']));
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'data');
      return git;
    };
    const elsewhere = async (cwd: string, options: Partial<HashDatasetOptions> = {}) => {
      const cacheFile = path.join(cwd, 'cache.bin');
      const { writeHashCache } = await import('./hash-cache.ts');
      const first = await run(cwd, { ...options, cacheFile, useGit: true });
      writeHashCache(cacheFile, first.table, {
        algorithm: first.algorithm,
        lfs: first.lfs,
        machine: 'another-runner',
        root: first.root,
      });
      return { cacheFile, first };
    };

    it('checks the size of files git converts on checkout (end of line)', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const git = commitAll(cwd);
      const { cacheFile } = await elsewhere(cwd); // written where the files have LF
      // This runner checks out CRLF: git still calls them unmodified.
      writeFileSync(path.join(cwd, '.gitattributes'), '*.csv eol=crlf\n');
      for (const name of ['data/train/a.csv', 'data/train/b.csv', 'data/test/c.csv'])
        rmSync(path.join(cwd, name));
      git('checkout', '--', 'data');
      expect(readFileSync(path.join(cwd, 'data/test/c.csv'), 'utf8')).toBe('x,y\r\n5,6\r\n');
      expect(git('diff', '--name-only', '--', 'data').toString()).toBe('');
      const second = await run(cwd, { cacheFile, useGit: true });
      expect(second.stats).toMatchObject({ hashed: 3, reusedByBlob: 3 });
      expect(second.hash).toBe((await run(cwd)).hash);
    });

    it('checks the size of every file when core.autocrlf may convert any of them', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      const git = commitAll(cwd);
      const { cacheFile } = await elsewhere(cwd);
      git('config', 'core.autocrlf', 'yes'); // git's spellings of true vary
      for (const name of ['data/train/a.csv', 'data/test/c.csv']) rmSync(path.join(cwd, name));
      git('checkout', '--', 'data');
      expect(readFileSync(path.join(cwd, 'data/test/c.csv'), 'utf8')).toBe('x,y\r\n5,6\r\n');
      const second = await run(cwd, { cacheFile, useGit: true });
      expect(second.stats.hashed).toBe(2);
      expect(second.hash).toBe((await run(cwd)).hash);
    });

    it('takes binary-marked files on git word alone, and size-checks text=auto ones', async () => {
      const cwd = tempDir();
      writeTree(cwd, {
        '.gitattributes': '* text=auto\n*.bin binary\n',
        'data/a.csv': 'x,y\n1,2\n',
        'data/b.bin': 'raw bytes',
      });
      commitAll(cwd);
      const { cacheFile } = await elsewhere(cwd);
      const second = await run(cwd, { cacheFile, useGit: true });
      expect(second.stats).toMatchObject({ hashed: 0, reusedByBlob: 2 });
      // Not stat'ed (no mtime recorded) only where git stores the bytes as they are.
      const mtime = (p: string) => second.table.stats[second.table.paths.indexOf(p) * 3 + 1] as number;
      expect(Number.isNaN(mtime('b.bin'))).toBe(true);
      expect(Number.isNaN(mtime('a.csv'))).toBe(false);
    });

    it('does not take a followed symlink on its blob (dvc)', async () => {
      const cwd = tempDir();
      writeTree(cwd, { 'data/a.bin': 'one' });
      symlinkSync('a.bin', path.join(cwd, 'data/link'));
      const git = commitAll(cwd);
      const { cacheFile } = await elsewhere(cwd, { algorithm: 'dvc' });
      writeFileSync(path.join(cwd, 'data/a.bin'), 'two');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'two'); // clean again
      const second = await run(cwd, { cacheFile, useGit: true, algorithm: 'dvc' });
      expect(second.hash).toBe((await run(cwd, { algorithm: 'dvc' })).hash);
      expect(second.stats.hashed).toBe(2);
    });

    it('takes the answers git gave when asked ahead, without asking again', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      commitAll(cwd);
      const { cacheFile, first } = await elsewhere(cwd);
      writeFileSync(path.join(cwd, 'data/test/c.csv'), 'x,y\n6,5\n');
      const asked: string[] = [];
      const counting: GitSource = {
        ...cliGit,
        indexListing: (dir) => (asked.push('index'), cliGit.indexListing(dir)),
        modifiedPaths: (dir) => (asked.push('diff'), cliGit.modifiedPaths(dir)),
        plainPaths: (dir) => (asked.push('plain'), cliGit.plainPaths(dir)),
      };
      const gitAnswers = askGit({ cwd, patterns: ['data'], git: counting });
      expect(gitAnswers?.root).toBe(first.root);
      expect(asked).toEqual(['index', 'diff', 'plain']);
      const second = await run(cwd, {
        cacheFile,
        useGit: true,
        git: counting,
        ...(gitAnswers ? { gitAnswers } : {}),
      });
      expect(asked).toHaveLength(3); // not asked again
      expect(second.stats).toMatchObject({ hashed: 1, reusedByBlob: 5 });
      // Answers about another root are not taken for this one.
      const other = askGit({ cwd, patterns: ['data/train'], git: counting });
      await run(cwd, { cacheFile, useGit: true, git: counting, ...(other ? { gitAnswers: other } : {}) });
      expect(asked).toHaveLength(9);
      // Outside a work tree, or for paths that name nothing, git is not asked at all.
      expect(askGit({ cwd: tempDir(), patterns: ['.'] })).toBeUndefined();
      expect(askGit({ cwd, patterns: ['missing'] })).toBeUndefined();
    });

    it('trusts no blob when git cannot say what is modified, and never hangs on a git failure', async () => {
      const cwd = tempDir();
      writeTree(cwd, FILES);
      commitAll(cwd);
      const { cacheFile } = await elsewhere(cwd);
      writeFileSync(path.join(cwd, 'data/test/c.csv'), 'x,y\n6,5\n');
      const blind = { ...cliGit, modifiedPaths: async () => undefined };
      const second = await run(cwd, { cacheFile, useGit: true, git: blind });
      expect(second.stats).toMatchObject({ hashed: 6, reusedByBlob: 0 });
      expect(second.hash).toBe((await run(cwd)).hash);
      const broken = { ...cliGit, modifiedPaths: () => Promise.reject(new Error('git diff crashed')) };
      await expect(run(cwd, { cacheFile, useGit: true, git: broken, threads: 2 })).rejects.toThrow(
        /git diff crashed/,
      );
    });
  });
});
