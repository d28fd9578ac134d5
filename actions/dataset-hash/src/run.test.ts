import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  UserError,
  fetchArtifact,
  publishArtifact,
  readDocument,
  restoreCache,
  saveCache,
  type OutputValue,
} from '@modelops/core';
import { datasetName, runDatasetHash, type DatasetHashDeps, type DatasetHashInputs } from './run.ts';

const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dataset-hash-run-'));
  temps.push(dir);
  return dir;
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

/** Local services: the core's local cache and artifact folders, one "run" per call. */
function localDeps(cwd: string, services: string, runId: string) {
  const env = {
    MODELOPS_CACHE_DIR: path.join(services, 'cache'),
    MODELOPS_ARTIFACT_DIR: path.join(services, 'artifacts'),
    GITHUB_RUN_ID: runId,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REPOSITORY: 'acme/ml',
    GITHUB_SHA: 'f'.repeat(40),
  };
  const outputs: Record<string, string> = {};
  const lines: string[] = [];
  const summaries: string[] = [];
  const deps: DatasetHashDeps = {
    cwd,
    env,
    threads: 0,
    settleMs: 0, // files written moments ago keep their stat keys (see the racy tests of dataset.test.ts)
    restoreCache: (paths, key, restoreKeys) => restoreCache(paths, key, restoreKeys, env),
    saveCache: (paths, key) => saveCache(paths, key, env),
    fetchBaselineArtifact: (name, destination) =>
      fetchArtifact(name, destination, { kind: 'latest-successful' }, { env }),
    publishArtifact: (name, files, root) => publishArtifact(name, files, root, { env }),
    appendSummary: async (markdown) => summaries.push(markdown),
    setOutputs: (o: Record<string, OutputValue>) => Object.assign(outputs, o),
    info: (l) => lines.push(l),
    warning: (l) => lines.push(`warning: ${l}`),
    debug: (l) => lines.push(`debug: ${l}`),
  };
  return { deps, outputs, lines, summaries };
}

const inputs = (over: Partial<DatasetHashInputs> = {}): DatasetHashInputs => ({
  path: ['data'],
  ignore: [],
  algorithm: 'sha256',
  lfs: 'auto',
  baseline: 'none',
  cache: true,
  upload: true,
  ...over,
});

describe('dataset-hash step', () => {
  it('writes manifest, diff, outputs and summary, then diffs against the previous run’s artifact', async () => {
    const cwd = tempDir();
    const services = tempDir();
    writeTree(cwd, { 'data/train/a.csv': 'a', 'data/train/b.csv': 'b', 'data/test/c.csv': 'c' });

    const first = localDeps(cwd, services, '100');
    const r1 = await runDatasetHash(inputs({ baseline: 'artifact' }), first.deps);
    expect(r1.name).toBe('data');
    expect(first.outputs).toMatchObject({
      files: '3',
      bytes: '3',
      changed: 'true',
      added: '3',
      removed: '0',
      modified: '0',
    });
    expect(first.outputs.hash).toBe(r1.dataset.hash);
    expect(first.outputs.manifest).toBe('.modelops/dataset-hash/data/dataset-manifest-data.json');
    expect(JSON.parse(first.outputs.hashes as string)).toEqual(r1.dataset.directories);
    const manifest = await readDocument('DatasetManifest', path.join(cwd, first.outputs.manifest as string));
    expect(manifest.files.map((f) => f.path)).toEqual(['test/c.csv', 'train/a.csv', 'train/b.csv']);
    expect(manifest).toMatchObject({
      name: 'data',
      hash: r1.dataset.hash,
      root: 'data',
      producer: { runId: '100', repository: 'acme/ml' },
    });
    const diff1 = await readDocument('DatasetDiff', path.join(cwd, first.outputs.diff as string));
    expect(diff1).toMatchObject({ baseline: null, changed: true, counts: { added: 3 } });
    expect(first.summaries[0]).toContain(r1.dataset.hash);
    expect(first.lines.join('\n')).toContain(
      "no successful run on the default branch has artifact 'dataset-manifest-data'",
    );

    // Next run: one file modified, one added, one removed.
    writeFileSync(path.join(cwd, 'data/train/a.csv'), 'A');
    writeFileSync(path.join(cwd, 'data/train/d.csv'), 'd');
    rmSync(path.join(cwd, 'data/test/c.csv'));
    const second = localDeps(cwd, services, '101');
    const r2 = await runDatasetHash(inputs({ baseline: 'artifact' }), second.deps);
    expect(second.outputs).toMatchObject({ changed: 'true', added: '1', removed: '1', modified: '1' });
    expect(r2.dataset.stats).toMatchObject({ hashed: 2, reusedByStat: 1 });
    const diff2 = await readDocument('DatasetDiff', path.join(cwd, second.outputs.diff as string));
    expect(diff2.baseline).toMatchObject({ source: 'artifact', runId: '100', hash: r1.dataset.hash });
    expect(diff2.added.map((f) => f.path)).toEqual(['train/d.csv']);
    expect(diff2.removed.map((f) => f.path)).toEqual(['test/c.csv']);
    expect(diff2.modified).toEqual([
      {
        path: 'train/a.csv',
        before: { size: 1, hash: expect.any(String) },
        after: { size: 1, hash: expect.any(String) },
      },
    ]);
    expect(diff2.directories.map((d) => d.path)).toEqual(['test', 'train']);
    expect(second.summaries[0]).toMatch(/1 added, 1 removed, 1 modified, 1 unchanged/);

    // No change since run 101: not changed, and the cache is not saved again.
    const third = localDeps(cwd, services, '102');
    await runDatasetHash(inputs({ baseline: 'artifact' }), third.deps);
    expect(third.outputs).toMatchObject({ changed: 'false', added: '0', removed: '0', modified: '0' });
    expect(third.lines).toContain('Hash cache unchanged: not saved again.');
  });

  it('skips the walk on the next run on this machine once the folders have settled', async () => {
    const cwd = tempDir();
    const services = tempDir();
    writeTree(cwd, { 'data/train/a.csv': 'a', 'data/test/b.csv': 'b' });
    // Folders changed less than two seconds before a walk are not trusted to stay listed as seen.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const first = localDeps(cwd, services, '400');
    delete first.deps.settleMs; // the step's own rule
    const r1 = await runDatasetHash(inputs({ upload: false }), first.deps);
    expect(r1.dataset.walkReplayed).toBe(false);
    expect(r1.dataset.folders?.paths).toHaveLength(3);
    writeFileSync(path.join(cwd, 'data/train/a.csv'), 'A'); // in place
    const second = localDeps(cwd, services, '401');
    delete second.deps.settleMs;
    const r2 = await runDatasetHash(inputs({ upload: false }), second.deps);
    expect(second.lines.join('\n')).toMatch(/debug: walk: no folder changed .*the walk is skipped/);
    expect(r2.dataset.walkReplayed).toBe(true);
    expect(r2.dataset.stats).toMatchObject({ hashed: 1, reusedByStat: 1 });
    expect(second.outputs).toMatchObject({ files: '2' });
    expect(r2.dataset.hash).not.toBe(r1.dataset.hash);
  });

  it('restores the hash cache on a fresh workspace and reuses it by git blob id', async () => {
    const services = tempDir();
    const { execFileSync } = await import('node:child_process');
    const makeCheckout = () => {
      const cwd = tempDir();
      writeTree(cwd, { 'data/a.bin': 'alpha', 'data/b.bin': 'beta' });
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', ...args], { cwd, stdio: 'pipe' });
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'data');
      return cwd;
    };
    // The same relative workspace path keeps the cache paths equal, as on hosted runners.
    const one = makeCheckout();
    const first = localDeps(one, services, '200');
    await runDatasetHash(inputs({ upload: false }), first.deps);
    const cacheFile = path.join(one, '.modelops/dataset-hash/data/hash-cache.bin');
    expect(readFileSync(cacheFile, 'utf8')).toContain('alpha'.length.toString());
    // Same workspace wiped (a fresh runner): the cache comes back from the cache service.
    rmSync(path.join(one, '.modelops'), { recursive: true });
    const second = localDeps(one, services, '201');
    const r2 = await runDatasetHash(inputs({ upload: false }), second.deps);
    expect(second.lines.join('\n')).toMatch(
      /Hash cache restored from modelops-dataset-hash-v3-.*-data-sha256-auto-200-1/,
    );
    expect(second.lines).toContain('debug: git: asked ahead, while the cache is restored');
    expect(r2.dataset.stats.hashed).toBe(0);
    expect(r2.dataset.stats.reusedByStat + r2.dataset.stats.reusedByBlob).toBe(2);
    // Without a cache, blob ids would key nothing: git is not asked at all.
    const bare = makeCheckout();
    const third = localDeps(bare, services, '202');
    const asked: string[] = [];
    third.deps.git = {
      indexListing: async () => void asked.push('index'),
      modifiedPaths: async () => void asked.push('diff'),
      plainPaths: async () => void asked.push('plain'),
      gitDir: async () => void asked.push('dir'),
    };
    await runDatasetHash(inputs({ upload: false, cache: false }), third.deps);
    expect(asked).toEqual([]);
  });

  it('fails on a broken baseline before writing anything', async () => {
    const cwd = tempDir();
    writeTree(cwd, {
      'data/a': 'a',
      'base/broken.json': '{"kind": "DatasetManifest", ',
      'base/wrong.json': '{"kind":"Other"}',
    });
    const { deps } = localDeps(cwd, tempDir(), '300');
    // Nor is git asked: no process is left running behind the failed step.
    const asked: string[] = [];
    deps.git = {
      indexListing: async () => void asked.push('index'),
      modifiedPaths: async () => void asked.push('diff'),
      plainPaths: async () => void asked.push('plain'),
      gitDir: async () => void asked.push('dir'),
    };
    const broken = await runDatasetHash(inputs({ baseline: 'base/broken.json' }), deps).catch(
      (e: unknown) => e,
    );
    expect(broken).toBeInstanceOf(UserError);
    expect((broken as UserError).describe()).toMatch(
      /input 'baseline', file '.*base\/broken.json'.*not valid JSON/,
    );
    const wrong = await runDatasetHash(inputs({ baseline: 'base/wrong.json' }), deps).catch(
      (e: unknown) => e,
    );
    expect((wrong as UserError).describe()).toMatch(/not a DatasetManifest/);
    const missing = await runDatasetHash(inputs({ baseline: 'base/none.json' }), deps).catch(
      (e: unknown) => e,
    );
    expect((missing as UserError).describe()).toMatch(/no such file/);
    expect(existsSync(path.join(cwd, '.modelops/dataset-hash/data/dataset-manifest-data.json'))).toBe(false);
    expect(asked).toEqual([]);
  });

  it('on a re-run with a hash cache here, a broken baseline read during the hashing fails the step', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'data/a': 'a', 'data/b': 'b', 'base/broken.json': '{"kind": "DatasetManifest", ' });
    const { deps } = localDeps(cwd, tempDir(), '310');
    await runDatasetHash(inputs({ upload: false }), deps);
    const manifest = path.join(cwd, '.modelops/dataset-hash/data/dataset-manifest-data.json');
    const written = readFileSync(manifest, 'utf8');
    writeFileSync(path.join(cwd, 'data/a'), 'changed');
    const error = await runDatasetHash(inputs({ upload: false, baseline: 'base/broken.json' }), deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).describe()).toMatch(/base\/broken.json.*not valid JSON/);
    expect(readFileSync(manifest, 'utf8')).toBe(written); // nothing written by the failed step
    // A good baseline read the same way gives the diff.
    const good = await runDatasetHash(
      inputs({ upload: false, baseline: '.modelops/dataset-hash/data/dataset-manifest-data.json' }),
      deps,
    );
    expect(good.outputs).toMatchObject({ changed: 'true', added: '0', removed: '0', modified: '1' });
  });

  it('refuses a baseline manifest with a path escaping the dataset', async () => {
    const cwd = tempDir();
    writeTree(cwd, { 'data/a': 'a' });
    const { deps, outputs } = localDeps(cwd, tempDir(), '400');
    await runDatasetHash(inputs({ upload: false, cache: false }), deps);
    const manifestPath = path.join(cwd, outputs.manifest as string);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: { path: string }[] };
    (manifest.files[0] as { path: string }).path = '../../etc/passwd';
    writeFileSync(path.join(cwd, 'evil.json'), JSON.stringify(manifest));
    const error = await runDatasetHash(inputs({ baseline: 'evil.json', upload: false }), deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).describe()).toMatch(
      /evil\.json.*'\.\.\/\.\.\/etc\/passwd', which climbs out of the dataset/,
    );
  });

  it('derives and validates the dataset name', () => {
    expect(datasetName(undefined, ['data/train/'], '/w', {})).toBe('train');
    expect(datasetName('', ['data/**/*.csv'], '/w', {})).toBe('data');
    expect(datasetName(undefined, ['.'], '/w', { GITHUB_REPOSITORY: 'acme/ml' })).toBe('ml');
    expect(datasetName(undefined, ['données bio/'], '/w', {})).toBe('donn-es-bio');
    expect(() => datasetName('a/b', ['x'], '/w', {})).toThrow(/Input 'name' must be letters/);
  });
});
