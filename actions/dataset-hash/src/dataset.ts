/**
 * The engine: walk the dataset, reuse what the hash cache knows, hash the rest on all cores, and
 * compute the dataset hash. Everything here is independent of GitHub Actions (see run.ts for that).
 */
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError, git, gitIndexEntries, gitModifiedPaths, type IndexEntry } from '@modelops/core';
import { hashTree, type TreeHashes } from './aggregate.ts';
import { digestFactory, digestLength, loadNativeBlake3, type Algorithm } from './digests.ts';
import { HashCacheFile, applyByBlob, applyByPath, machineId } from './hash-cache.ts';
import {
  SLOT,
  Status,
  type BatchResult,
  type EntryError,
  type HashSettings,
  type LfsMode,
} from './hash-file.ts';
import { inlineRunner, threadRunner, type BatchRunner } from './pool.ts';
import { EntryTable } from './table.ts';
import { walkDataset } from './walk.ts';

/** What git says about the files under a folder (injectable for tests). */
export interface GitSource {
  /** Index entries under `cwd`, paths relative to it. */
  indexEntries(cwd: string): Promise<Map<string, IndexEntry>>;
  /** Tracked paths under `cwd` whose work-tree content differs from the index. */
  modifiedPaths(cwd: string): Promise<Set<string>>;
  /** The common git dir of the repository holding `cwd` (where `lfs/objects` lives). */
  gitDir(cwd: string): Promise<string | undefined>;
}

/** The git CLI. */
export const cliGit: GitSource = {
  indexEntries: (cwd) => gitIndexEntries(cwd),
  modifiedPaths: (cwd) => gitModifiedPaths(cwd),
  async gitDir(cwd) {
    const out = (await git(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']))?.trim();
    return out || undefined;
  },
};

/** Options of {@link hashDataset}. */
export interface HashDatasetOptions {
  /** The workspace; patterns are relative to it. */
  cwd: string;
  /** Paths and globs (`!` excludes). */
  patterns: readonly string[];
  /** Globs excluded last. */
  ignore?: readonly string[];
  algorithm: Algorithm;
  lfs: LfsMode;
  /** Hash cache file to read (missing is fine). */
  cacheFile?: string;
  /** Use git blob ids to reuse cached hashes on another machine (default true). */
  useGit?: boolean;
  /** Hashing threads (default: one per core; 0 hashes on the main thread). */
  threads?: number;
  /** Absolute paths never part of the dataset (the action's own files). */
  exclude?: readonly string[];
  /** Called once the walk is done, with the number of entries. */
  onWalked?: (entries: number) => void;
  /** Progress callback: entries done, bytes read. */
  onProgress?: (entries: number, bytes: number) => void;
  /** Log lines (debug detail). */
  log?: (line: string) => void;
  git?: GitSource;
}

/** Counters of a run. */
export interface HashStats {
  /** Entries hashed now. */
  hashed: number;
  /** Entries whose (size, mtime, inode) matched the cache. */
  reusedByStat: number;
  /** Entries reused through their git blob id. */
  reusedByBlob: number;
  /** Bytes read from disk. */
  bytesRead: number;
  /** Hashing threads used (0: main thread). */
  threads: number;
  /** Hash implementation (`openssl`, `native`, `wasm`). */
  implementation: string;
  /** Milliseconds spent, total. */
  elapsedMs: number;
}

/** The hashed dataset. */
export interface HashedDataset extends TreeHashes {
  /** Absolute root. */
  root: string;
  /** Root relative to the workspace (POSIX). */
  rootRelative: string;
  algorithm: Algorithm;
  lfs: LfsMode;
  table: EntryTable;
  stats: HashStats;
  warnings: string[];
  /** False when every entry came from the cache unchanged (no need to save it again). */
  cacheChanged: boolean;
}

/** Datasets below this many entries (and 64 MiB) are hashed on the main thread: no thread start-up. */
const INLINE_MAX_ENTRIES = 256;
const INLINE_MAX_BYTES = 64 << 20;
const BATCH_MAX_ENTRIES = 1000;

/** Walks and hashes a dataset. */
export async function hashDataset(options: HashDatasetOptions): Promise<HashedDataset> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const gitSource = options.git ?? cliGit;
  const threads = options.threads ?? os.availableParallelism();
  const settings = { algorithm: options.algorithm, lfs: options.lfs };
  // Threads start now, while this thread walks the dataset; they are let go if it turns out small.
  const early = threads > 0 ? threadRunner(settings, threads) : undefined;
  early?.catch(() => undefined);
  let walk: ReturnType<typeof walkDataset>;
  try {
    walk = walkDataset({
      cwd: options.cwd,
      patterns: options.patterns,
      ...(options.ignore ? { ignore: options.ignore } : {}),
      followFileLinks: options.algorithm === 'dvc',
      ...(options.exclude ? { exclude: options.exclude } : {}),
    });
  } catch (error) {
    await early?.then((r) => r.close()).catch(() => undefined);
    throw error;
  }
  const n = walk.paths.length;
  const walkedAt = performance.now();
  options.onWalked?.(n);
  const table = new EntryTable(walk.paths, digestLength(options.algorithm));
  const rootReal = realpathSync(walk.root);

  // What the cache can give: stat keys on the machine that wrote it, blob ids anywhere. Its
  // columns are read straight into the table.
  const expect = { algorithm: options.algorithm, lfs: options.lfs };
  const cache = options.cacheFile ? HashCacheFile.open(options.cacheFile, expect, log) : undefined;
  const header = cache?.header;
  const sameMachine = header !== undefined && header.machine === machineId() && header.root === rootReal;
  const keys = new Float64Array(n * 3).fill(Number.NaN);
  let reusableByBlob = 0;
  try {
    const useGit = options.useGit !== false && !sameMachine;
    const byBlob = useGit ? await gitBlobs(gitSource, walk.root, walk.diskPaths, table, log) : undefined;
    try {
      if (cache && sameMachine) applyByPath(cache, table, keys);
      else if (cache && byBlob) reusableByBlob = applyByBlob(cache, table, keys, byBlob);
    } catch (error) {
      // Damaged: forget everything it said.
      log(`hash cache ${options.cacheFile} ignored: ${(error as Error).message}`);
      keys.fill(Number.NaN);
      table.lfsOids.clear();
      table.targets.clear();
      if (sameMachine) table.blobIds.fill(0);
      reusableByBlob = 0;
    }
  } finally {
    cache?.close();
  }
  const cacheEntries = header?.count;
  const gitDir = options.lfs === 'content' ? await gitSource.gitDir(walk.root) : undefined;

  const preparedAt = performance.now();
  const runner = await chooseRunner(settings, early, walk, keys);
  const stats: HashStats = {
    hashed: 0,
    reusedByStat: 0,
    reusedByBlob: 0,
    bytesRead: 0,
    threads: runner.threads,
    implementation: options.algorithm === 'blake3' ? (loadNativeBlake3() ? 'native' : 'wasm') : 'openssl',
    elapsedMs: 0,
  };
  const errors: { path: string; error: EntryError }[] = [];
  try {
    const batchSize = Math.max(
      1,
      Math.min(BATCH_MAX_ENTRIES, Math.ceil(n / Math.max(1, runner.threads * 8))),
    );
    const pending: Promise<void>[] = [];
    for (let start = 0, id = 0; start < n; start += batchSize, id++) {
      const end = Math.min(n, start + batchSize);
      const batch = {
        id,
        root: walk.root,
        ...(gitDir ? { gitDir } : {}),
        paths: walk.diskPaths.slice(start, end),
        kinds: walk.kinds.slice(start, end),
        keys: keys.slice(start * 3, end * 3),
      };
      pending.push(
        runner.run(batch).then((result) => {
          absorb(result, start, table, sameMachine, keys, stats, errors, walk.paths);
          options.onProgress?.(end - start, result.bytesRead);
        }),
      );
    }
    await Promise.all(pending);
  } finally {
    await runner.close();
  }
  if (errors.length > 0) throw hashingError(errors);

  const hashedAt = performance.now();
  const factory = await digestFactory(options.algorithm, 2);
  const tree = hashTree(table, options.algorithm, factory);
  stats.elapsedMs = performance.now() - started;
  log(
    `dataset-hash: walk ${ms(walkedAt - started)}, cache+git ${ms(preparedAt - walkedAt)}, hash ${ms(hashedAt - preparedAt)}, tree ${ms(performance.now() - hashedAt)}`,
  );
  log(
    `dataset-hash: ${n} entries, ${stats.hashed} hashed, ${stats.reusedByStat} reused by stat, ${stats.reusedByBlob} reused by git blob id (of ${reusableByBlob} candidates), ${stats.threads} thread(s), ${stats.implementation}`,
  );
  return {
    ...tree,
    root: walk.root,
    rootRelative: walk.rootRelative,
    algorithm: options.algorithm,
    lfs: options.lfs,
    table,
    stats,
    warnings: walk.warnings,
    cacheChanged: stats.hashed > 0 || cacheEntries !== n || !sameMachine,
  };
}

/**
 * On a machine other than the cache's: a tracked file that git says is unmodified has the content
 * of its index blob, so a cached hash for that blob applies. Records the blob ids in the table and
 * returns blob → table index (or indexes, for files with the same content).
 */
async function gitBlobs(
  gitSource: GitSource,
  root: string,
  diskPaths: readonly string[],
  table: EntryTable,
  log: (line: string) => void,
): Promise<Map<string, number | number[]>> {
  const [index, modified] = await Promise.all([gitSource.indexEntries(root), gitSource.modifiedPaths(root)]);
  const byBlob = new Map<string, number | number[]>();
  if (index.size === 0) return byBlob;
  for (let i = 0; i < diskPaths.length; i++) {
    const p = diskPaths[i] as string;
    const entry = index.get(p);
    if (!entry || entry.mode === '160000' || modified.has(p)) continue;
    table.setBlob(i, entry.blob);
    const seen = byBlob.get(entry.blob);
    if (seen === undefined) byBlob.set(entry.blob, i);
    else if (typeof seen === 'number') byBlob.set(entry.blob, [seen, i]);
    else seen.push(i);
  }
  log(`git: ${index.size} tracked, ${modified.size} modified`);
  return byBlob;
}

/** Threads, unless the dataset is small enough that starting them costs more than it saves. */
async function chooseRunner(
  settings: HashSettings,
  early: Promise<BatchRunner> | undefined,
  walk: { root: string; paths: string[]; diskPaths: string[] },
  keys: Float64Array,
): Promise<BatchRunner> {
  const n = walk.paths.length;
  if (!early) return inlineRunner(settings);
  if (n <= INLINE_MAX_ENTRIES) {
    // Few entries: a quick stat tells whether the bytes justify the threads.
    let bytes = 0;
    for (let i = 0; i < n && bytes <= INLINE_MAX_BYTES; i++) {
      if (!Number.isNaN(keys[i * 3 + 1] as number)) continue; // reusable by stat: nothing to read
      try {
        bytes += statSync(path.join(walk.root, walk.diskPaths[i] as string)).size;
      } catch {
        // reported by the hashing pass
      }
    }
    if (bytes <= INLINE_MAX_BYTES) {
      void early.then((r) => r.close()).catch(() => undefined);
      return inlineRunner(settings);
    }
  }
  // A thread that cannot start (an unusual runtime) is not fatal: the main thread does the work.
  return early.catch(() => inlineRunner(settings));
}

function absorb(
  result: BatchResult,
  start: number,
  table: EntryTable,
  sameMachine: boolean,
  keys: Float64Array,
  stats: HashStats,
  errors: { path: string; error: EntryError }[],
  paths: readonly string[],
): void {
  stats.bytesRead += result.bytesRead;
  table.stats.set(result.stats, start * 3);
  const n = result.status.length;
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const status = result.status[k];
    if (status === Status.Unchanged) {
      // Blob-id keys carry only the size (mtime NaN); stat keys carry all three.
      if (Number.isNaN(keys[i * 3 + 1] as number)) stats.reusedByBlob++;
      else stats.reusedByStat++;
    } else if (status === Status.Hashed) {
      table.digests.set(result.digests.subarray(k * SLOT, (k + 1) * SLOT), i * SLOT);
      table.sizes[i] = result.sizes[k] as number;
      table.flags[i] = result.flags[k] as number;
      // What the cache said about this entry is stale now (a blob id from git is current).
      table.lfsOids.delete(i);
      table.targets.delete(i);
      if (sameMachine) table.clearBlob(i);
      stats.hashed++;
    }
  }
  for (const [k, oid] of result.lfsOids) table.lfsOids.set(start + k, oid);
  for (const [k, target] of result.targets) table.targets.set(start + k, target);
  for (const error of result.errors) errors.push({ path: paths[start + error.index] as string, error });
}

function hashingError(errors: { path: string; error: EntryError }[]): UserError {
  const first = errors[0] as { path: string; error: EntryError };
  const what = (e: EntryError): string =>
    e.code === 'EACCES' || e.code === 'EPERM'
      ? 'is not readable (permission denied)'
      : e.code === 'ENOENT'
        ? 'disappeared while the dataset was hashed'
        : e.code === 'lfs-missing' || e.code === 'lfs-corrupt' || e.code === 'not-a-file'
          ? e.message
          : `cannot be read (${e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`})`;
  const more =
    errors.length > 1
      ? ` (and ${errors.length - 1} more: ${errors
          .slice(1, 4)
          .map((e) => `'${e.path}'`)
          .join(', ')}${errors.length > 4 ? ', …' : ''})`
      : '';
  const fix =
    first.error.code === 'lfs-missing'
      ? 'Run `git lfs pull` (or `actions/checkout` with `lfs: true`) before this step, or use `lfs: auto` to hash pointers by their oid.'
      : first.error.code === 'ENOENT'
        ? 'Make sure no other step writes to the dataset while it is hashed.'
        : 'Give the runner user read access to the file, or exclude it with the `ignore` input.';
  return new UserError(`File '${first.path}' ${what(first.error)}${more}.`, { file: first.path, fix });
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
