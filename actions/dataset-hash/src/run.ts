/**
 * The dataset-hash step: restore the hash cache, hash the dataset, write the manifest, compare with
 * the baseline, write the diff, set the outputs, the job summary, upload the manifest and save the
 * cache. Services come in through {@link DatasetHashDeps} so tests can give local ones.
 */
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Progress,
  UserError,
  globBase,
  isGlob,
  readContext,
  writeDocument,
  type DatasetDiff,
  type FetchResult,
  type OutputValue,
  type PublishResult,
  documentProducer,
} from '@modelops/core';
import type { Algorithm } from './digests.ts';
import { askGit, hashDataset, startHashPool, type GitSource, type HashedDataset } from './dataset.ts';
import type { LfsMode } from './hash-file.ts';
import { machineId, writeHashCache } from './hash-cache.ts';
import { readBaseline } from './baseline.ts';
import { datasetTotals, diffAgainst, writeManifest, type DiffBody } from './manifest.ts';
import { summaryMarkdown } from './summary.ts';

/** The step's inputs, parsed. */
export interface DatasetHashInputs {
  /** Paths and globs (`!` excludes). */
  path: string[];
  /** Globs excluded last. */
  ignore: string[];
  algorithm: Algorithm;
  lfs: LfsMode;
  /** Dataset name; default from the path. */
  name?: string;
  /** `none`, `artifact`, or a manifest file. */
  baseline: string;
  /** Persist the hash cache with the Actions cache. */
  cache: boolean;
  /** Upload the manifest as artifact `dataset-manifest-<name>`. */
  upload: boolean;
}

/** What the step needs from the outside world. */
export interface DatasetHashDeps {
  /** The workspace. */
  cwd: string;
  env: Record<string, string | undefined>;
  restoreCache(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<boolean>;
  /** Fetches artifact `name` from the latest successful run on the default branch. */
  fetchBaselineArtifact(name: string, destination: string): Promise<FetchResult | undefined>;
  publishArtifact(name: string, files: string[], rootDirectory: string): Promise<PublishResult>;
  appendSummary(markdown: string): Promise<unknown>;
  setOutputs(outputs: Record<string, OutputValue>): void;
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
  /** Hashing lanes (default: one per core, the calling thread being one). */
  threads?: number;
  /** The `settleMs` option of `hashDataset` (tests shorten it). */
  settleMs?: number;
  git?: GitSource;
}

/** What the step produced. */
export interface DatasetHashOutcome {
  name: string;
  dataset: HashedDataset;
  diff: DiffBody;
  /** Absolute paths of the written files. */
  manifestFile: string;
  diffFile: string;
  outputs: Record<string, string>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The dataset name: the input, or the last segment of the dataset's folder. */
export function datasetName(
  input: string | undefined,
  patterns: readonly string[],
  cwd: string,
  env: DatasetHashDeps['env'],
): string {
  if (input !== undefined && input !== '') {
    if (!NAME.test(input)) {
      throw new UserError(
        `Input 'name' must be letters, digits, '.', '_' or '-' (at most 100), got '${input}'.`,
        {
          input: 'name',
          fix: 'Choose a name such as `train-images`; it becomes part of the artifact name.',
        },
      );
    }
    return input;
  }
  const first = patterns.find((p) => !p.trim().startsWith('!'))?.trim() ?? '.';
  const base = isGlob(first) ? globBase(first) : first;
  let segment = path.basename(path.resolve(cwd, base));
  if (path.resolve(cwd, base) === path.resolve(cwd)) {
    segment = (env.GITHUB_REPOSITORY ?? '').split('/')[1] || path.basename(path.resolve(cwd)) || 'dataset';
  }
  const cleaned = segment
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return cleaned || 'dataset';
}

/** Where the step keeps its files for dataset `name`, relative to the workspace. */
export function stateFolder(name: string): string {
  return `.modelops/dataset-hash/${name}`;
}

/** Runs the step. */
export async function runDatasetHash(
  inputs: DatasetHashInputs,
  deps: DatasetHashDeps,
): Promise<DatasetHashOutcome> {
  const cwd = path.resolve(deps.cwd);
  const name = datasetName(inputs.name, inputs.path, cwd, deps.env);
  const folder = stateFolder(name);
  const stateDir = path.join(cwd, folder);
  const manifestFile = path.join(stateDir, `dataset-manifest-${name}.json`);
  const diffFile = path.join(stateDir, `dataset-diff-${name}.json`);
  const cacheFile = path.join(stateDir, 'hash-cache.bin');
  const context = readContext(deps.env);

  // Cache keys: one entry per run (entries are immutable), restored by prefix.
  const keyPrefix = `modelops-dataset-hash-v3-${process.platform}-${process.arch}-${name}-${inputs.algorithm}-${inputs.lfs}-`;
  const cachePaths = [cacheFile];
  // The hashing threads boot while the baseline and the cache are fetched.
  const pool = startHashPool({ ...inputs, ...(deps.threads === undefined ? {} : { threads: deps.threads }) });
  let baseline: Baseline;
  let dataset: HashedDataset;
  try {
    const hasCacheFile = await exists(cacheFile);
    // Without a cache (`cache: false` and no file) git's blob ids would key nothing: git is not asked.
    const keepsCache = inputs.cache || hasCacheFile;
    // No cache file here yet (a fresh runner): the cache comes from another machine, so git's
    // blob ids will key it. Git is asked ahead, in its own processes, while the cache is restored.
    const asksGitAhead = inputs.cache && !hasCacheFile;
    // A broken baseline fails the step; one that fails while the threads hash stops them.
    const stop = new AbortController();
    let baselineLoad: Promise<Baseline> | undefined;
    const loadBaselineOnce = (): Promise<Baseline> =>
      (baselineLoad ??= loadBaseline(inputs.baseline, name, cwd, deps).catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }));
    // Before git is asked, the baseline is read first (no git process is left running behind a
    // failed step); else it is read while the threads hash, its parsing between their batches.
    if (asksGitAhead) await loadBaselineOnce();
    const gitAnswers = asksGitAhead
      ? askGit({
          cwd,
          patterns: inputs.path,
          ignore: inputs.ignore,
          ...(deps.git ? { git: deps.git } : {}),
        })
      : undefined;
    if (gitAnswers) deps.debug('git: asked ahead, while the cache is restored');
    if (inputs.cache) {
      try {
        const hit = await deps.restoreCache(
          cachePaths,
          `${keyPrefix}${context.runId || 'local'}-${context.runAttempt}`,
          [keyPrefix],
        );
        deps.info(hit ? `Hash cache restored from ${hit}.` : 'No hash cache yet: every file is hashed.');
      } catch (error) {
        deps.warning(`Could not restore the hash cache (${(error as Error).message}); hashing every file.`);
      }
    }

    let progress: Progress | undefined;
    dataset = await hashDataset({
      pool,
      cwd,
      patterns: inputs.path,
      ignore: inputs.ignore,
      algorithm: inputs.algorithm,
      lfs: inputs.lfs,
      ...(keepsCache ? { cacheFile } : { useGit: false }),
      exclude: [path.join(cwd, '.modelops')],
      ...(deps.git ? { git: deps.git } : {}),
      ...(gitAnswers ? { gitAnswers } : {}),
      ...(deps.settleMs === undefined ? {} : { settleMs: deps.settleMs }),
      onWalked: (entries) => {
        progress = new Progress({ label: 'hashing', unit: 'files', totalItems: entries, write: deps.info });
      },
      onProgress: (entries, bytes) => progress?.add(entries, bytes),
      onHashing: () => void loadBaselineOnce().catch(() => undefined), // awaited below
      signal: stop.signal,
      log: deps.debug,
    });
    progress?.done();
    baseline = await loadBaselineOnce();
  } finally {
    await pool.close();
  }
  for (const warning of dataset.warnings) deps.warning(warning);

  const producer = documentProducer('dataset-hash', context);
  const createdAt = new Date().toISOString();
  writeManifest(
    manifestFile,
    {
      schemaVersion: 1,
      kind: 'DatasetManifest',
      createdAt,
      producer,
      name,
      algorithm: inputs.algorithm,
      lfs: inputs.lfs,
      hash: dataset.hash,
      root: dataset.rootRelative,
      patterns: { path: inputs.path, ignore: inputs.ignore },
      totals: datasetTotals(dataset.table),
      directories: dataset.directories,
    },
    dataset.table,
    dataset.pathBytes,
  );
  if (
    baseline &&
    !(baseline.manifest.header.algorithm === inputs.algorithm && baseline.manifest.header.lfs === inputs.lfs)
  ) {
    deps.warning(
      `The baseline was made with algorithm '${baseline.manifest.header.algorithm}' and lfs '${baseline.manifest.header.lfs}', this step uses '${inputs.algorithm}' and '${inputs.lfs}': contents cannot be compared, so every file counts as changed.`,
    );
  }
  const diff = diffAgainst(dataset, name, baseline);
  const diffDocument: DatasetDiff = { schemaVersion: 1, kind: 'DatasetDiff', createdAt, producer, ...diff };
  await writeDocument('DatasetDiff', diffFile, diffDocument);

  const outputs: Record<string, string> = {
    hash: dataset.hash,
    manifest: path.relative(cwd, manifestFile).split(path.sep).join('/'),
    files: String(dataset.table.count),
    bytes: String(dataset.table.totalBytes()),
    changed: String(diff.changed),
    added: String(diff.counts.added),
    removed: String(diff.counts.removed),
    modified: String(diff.counts.modified),
    diff: path.relative(cwd, diffFile).split(path.sep).join('/'),
    hashes: JSON.stringify(dataset.directories),
  };
  deps.setOutputs(outputs);
  deps.info(
    `${name}: ${dataset.hash} (${dataset.table.count} files${diff.baseline ? `; ${diff.counts.added} added, ${diff.counts.removed} removed, ${diff.counts.modified} modified` : ''})`,
  );
  await deps.appendSummary(summaryMarkdown(name, dataset, diff));

  if (inputs.upload) {
    const artifact = `dataset-manifest-${name}`;
    try {
      const published = await deps.publishArtifact(artifact, [path.basename(manifestFile)], stateDir);
      deps.info(`Manifest uploaded as artifact '${artifact}' (${published.location}).`);
    } catch (error) {
      throw new UserError(
        `Could not upload the manifest as artifact '${artifact}': ${(error as Error).message}`,
        {
          input: 'upload',
          fix: 'An artifact name can be uploaded once per run: give each dataset-hash step its own `name`, or set `upload: false`.',
          cause: error,
        },
      );
    }
  }

  if (inputs.cache || (await exists(cacheFile))) {
    if (dataset.cacheChanged) {
      writeHashCache(
        cacheFile,
        dataset.table,
        {
          algorithm: inputs.algorithm,
          lfs: inputs.lfs,
          machine: machineId(),
          root: await realpath(dataset.root),
        },
        dataset.folders,
        dataset.pathBytes,
      );
      if (inputs.cache) {
        const key = `${keyPrefix}${context.runId || `local-${Date.now()}`}-${context.runAttempt}`;
        try {
          const saved = await deps.saveCache(cachePaths, key);
          deps.info(saved ? `Hash cache saved as ${key}.` : `Hash cache not saved (${key} exists).`);
        } catch (error) {
          deps.warning(`Could not save the hash cache (${(error as Error).message}).`);
        }
      }
    } else deps.info('Hash cache unchanged: not saved again.');
  }
  return { name, dataset, diff, manifestFile, diffFile, outputs };
}

/** The baseline manifest and where it came from (undefined: none). */
type Baseline = Parameters<typeof diffAgainst>[2];

async function loadBaseline(
  baseline: string,
  name: string,
  cwd: string,
  deps: DatasetHashDeps,
): Promise<Baseline> {
  if (baseline === '' || baseline === 'none') return undefined;
  if (baseline === 'artifact') {
    const artifact = `dataset-manifest-${name}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dataset-hash-baseline-'));
    try {
      const found = await deps.fetchBaselineArtifact(artifact, dir);
      if (!found) {
        deps.info(`No baseline: no successful run on the default branch has artifact '${artifact}' yet.`);
        return undefined;
      }
      const file = `${artifact}.json`;
      if (!found.files.includes(file)) {
        throw new UserError(`Artifact '${artifact}' of run ${found.runId} has no '${file}'.`, {
          input: 'baseline',
          fix: 'The artifact must come from dataset-hash; set `baseline: none` once to start over.',
        });
      }
      const manifest = await readBaseline(path.join(dir, file), {
        input: 'baseline',
        origin: `artifact '${artifact}' of run ${found.runId}`,
      });
      return { manifest, info: { source: 'artifact', location: artifact, runId: found.runId } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const file = path.resolve(cwd, baseline);
  const manifest = await readBaseline(file, { input: 'baseline' });
  return { manifest, info: { source: 'file', location: baseline } };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
