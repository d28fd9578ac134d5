/**
 * The engine: walk the dataset, reuse what the hash cache knows, hash the rest on all cores, and
 * compute the dataset hash. Everything here is independent of GitHub Actions (see run.ts for that).
 */
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError, findWorkTreeTop, git, gitBytes, gitIndexListing, gitModifiedPaths } from '@modelops/core';
import { TreeBuilder, type TreeHashes } from './aggregate.ts';
import { digestFactory, digestLength, loadNativeBlake3, type Algorithm } from './digests.ts';
import { HashCacheFile, applyByBlob, applyByPath, machineId } from './hash-cache.ts';
import { Flag, Kind, SLOT, Status, type BatchResult, type EntryError, type LfsMode } from './hash-file.ts';
import { BatchFrontier, HashPool, createJob, sharedUtf8 } from './pool.ts';
import { EntryTable } from './table.ts';
import { indexOfPath, joinIndexListing, markListedPaths } from './git-index.ts';
import { isStrictlyIncreasing, joinedPathsProblem, toNfc } from './paths.ts';
import { SETTLE_MS, snapshotHolds, wallClockMs, type FolderSnapshot } from './folder-snapshot.ts';
import {
  planDataset,
  rootRelativeOf,
  walkDataset,
  walkQuestionOf,
  type DatasetPlan,
  type WalkResult,
} from './walk.ts';

/** What git says about the files under a folder (injectable for tests). */
export interface GitSource {
  /** `git ls-files -s -z` in `cwd` (raw bytes); undefined outside a repository. */
  indexListing(cwd: string): Promise<Buffer | undefined>;
  /** Tracked paths under `cwd` whose work-tree content differs from the index; undefined when unknown. */
  modifiedPaths(cwd: string): Promise<Set<string> | undefined>;
  /**
   * `git ls-files -z` of the tracked files under `cwd` that git stores byte for byte: no filter
   * (Git LFS, git-crypt), no end-of-line conversion (no text attribute, or `-text`), no encoding,
   * no `ident`. Undefined when git cannot say, or when `core.autocrlf` may convert any file.
   */
  plainPaths(cwd: string): Promise<Buffer | undefined>;
  /** The common git dir of the repository holding `cwd` (where `lfs/objects` lives). */
  gitDir(cwd: string): Promise<string | undefined>;
}

/** The git CLI. */
export const cliGit: GitSource = {
  indexListing: (cwd) => gitIndexListing(cwd),
  modifiedPaths: (cwd) => gitModifiedPaths(cwd),
  async plainPaths(cwd) {
    // Unset, or one of git's spellings of false: anything else (true, input, yes, 1, a bare key)
    // may convert line endings of files that have no attributes at all.
    const autocrlf = (await git(cwd, ['config', '--get', 'core.autocrlf']))?.trim().toLowerCase();
    if (autocrlf !== undefined && !['false', 'no', 'off', '0'].includes(autocrlf)) return undefined;
    // From a subfolder, git 2.39 matches `attr:` pathspecs only with `top` and the prefix. Git
    // sees its working folder with symlinks resolved: so does the prefix.
    const real = realpathSync(cwd);
    const top = findWorkTreeTop(real);
    const prefix =
      top === null
        ? undefined
        : top === undefined
          ? (await git(cwd, ['rev-parse', '--show-prefix']))?.trim()
          : path.relative(top, real).split(path.sep).join('/');
    if (prefix === undefined) return undefined;
    // No filter, no encoding or `ident`, and either no text attribute at all or `-text` (binary,
    // as data files often are marked): either spec; git merges and sorts the two lists. `literal`:
    // a folder named `a*b` must not widen the pathspec.
    const specs = ['!text', '-text'].map(
      (text) => `:(top,literal,attr:!filter ${text} !crlf !eol !ident !working-tree-encoding)${prefix}`,
    );
    return gitBytes(cwd, ['ls-files', '-z', '--', ...specs]);
  },
  async gitDir(cwd) {
    const out = (await git(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']))?.trim();
    return out || undefined;
  },
};

/** Git's three answers about a dataset root: index listing, modified paths, byte-for-byte paths. */
type GitFactList = [Buffer | undefined, Set<string> | undefined, Buffer | undefined];

/** What git says about a dataset root, asked ahead of the hashing with {@link askGit}. */
export interface GitAnswers {
  /** The dataset root asked about (absolute). */
  root: string;
  answers: Promise<GitFactList>;
}

function askGitAt(source: GitSource, root: string): Promise<GitFactList> {
  const answers = Promise.all([
    source.indexListing(root),
    source.modifiedPaths(root),
    source.plainPaths(root),
  ]);
  answers.catch(() => undefined); // awaited, or not needed after all
  return answers;
}

/**
 * Asks git about the dataset's root now, in its own processes, so that the answers are in by the
 * time {@link hashDataset} needs them (pass them as `gitAnswers`): a step asks while it restores
 * the cache. Undefined outside a git work tree, or when the paths name nothing (the hashing then
 * says so).
 */
export function askGit(
  options: Pick<HashDatasetOptions, 'cwd' | 'patterns' | 'ignore' | 'git'>,
): GitAnswers | undefined {
  let root: string;
  try {
    root = planDataset({
      cwd: options.cwd,
      patterns: options.patterns,
      ...(options.ignore ? { ignore: options.ignore } : {}),
    }).root;
  } catch {
    return undefined;
  }
  if (options.git === undefined && findWorkTreeTop(root) === null) return undefined;
  return { root, answers: askGitAt(options.git ?? cliGit, root) };
}

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
  /** Hashing lanes (default: one per core), the calling thread being one; 0 or 1: it alone. */
  threads?: number;
  /**
   * Hashing threads started earlier with {@link startHashPool} (they boot while the caller does
   * other work, such as restoring the cache). Used for this call only, and closed by it.
   */
  pool?: HashPool;
  /** Absolute paths never part of the dataset (the action's own files). */
  exclude?: readonly string[];
  /**
   * How long before this run a file or folder must have last changed for its stat key or stamp to
   * be kept for the next run (default: `SETTLE_MS` of folder-snapshot.ts, 2 s; tests shorten it).
   */
  settleMs?: number;
  /** Called once the walk is done, with the number of entries. */
  onWalked?: (entries: number) => void;
  /**
   * Called once the hashing threads have the job (after the walk and the cache are read), while
   * the hashing runs: other work of this thread can go in between batches from then on.
   */
  onHashing?: () => void;
  /** Stops the hashing: the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Progress callback: entries done, bytes read. */
  onProgress?: (entries: number, bytes: number) => void;
  /** Log lines (debug detail). */
  log?: (line: string) => void;
  git?: GitSource;
  /** Git's answers asked ahead with {@link askGit} (used when they are about this dataset's root). */
  gitAnswers?: GitAnswers;
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
  /** Hashing lanes used: the calling thread and the worker threads. */
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
  /** The folders the walk read, for the next run on this machine to skip the walk. */
  folders?: FolderSnapshot;
  /** The walk was skipped: no folder had changed since the cache was written. */
  walkReplayed: boolean;
  /** The table's paths as UTF-8 joined by NUL (what the cache file stores). */
  pathBytes: Uint8Array;
}

/** Datasets below this many entries (and 64 MiB) are hashed on the main thread: no thread start-up. */
const INLINE_MAX_ENTRIES = 256;
const INLINE_MAX_BYTES = 64 << 20;

/** Starts the hashing threads for {@link hashDataset}: one lane per core (`threads`), this thread being one. */
export function startHashPool(options: Pick<HashDatasetOptions, 'algorithm' | 'lfs' | 'threads'>): HashPool {
  const lanes = Math.max(1, options.threads ?? os.availableParallelism());
  return new HashPool({ algorithm: options.algorithm, lfs: options.lfs }, lanes - 1);
}

/** Walks and hashes a dataset. */
export async function hashDataset(options: HashDatasetOptions): Promise<HashedDataset> {
  const started = performance.now();
  // Worker threads boot while this thread walks the dataset (or earlier, when the caller started
  // the pool); this thread is a lane too. They are let go if the dataset turns out small, and
  // whatever happens, once the call ends.
  const pool = options.pool ?? startHashPool(options);
  try {
    if (pool.settings.algorithm !== options.algorithm || pool.settings.lfs !== options.lfs) {
      throw new Error('internal: the hashing pool was started for another algorithm or LFS mode');
    }
    return await hashWith(pool, options, started);
  } finally {
    await pool.close();
  }
}

async function hashWith(
  pool: HashPool,
  options: HashDatasetOptions,
  started: number,
): Promise<HashedDataset> {
  const startedWall = wallClockMs();
  const log = options.log ?? (() => undefined);
  const gitSource = options.git ?? cliGit;
  const walkOptions = {
    cwd: options.cwd,
    patterns: options.patterns,
    ...(options.ignore ? { ignore: options.ignore } : {}),
    followFileLinks: options.algorithm === 'dvc',
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
  };
  const plan = planDataset(walkOptions);
  const rootReal = realpathSync(plan.root);

  // What the cache can give: stat keys on the machine that wrote it, blob ids anywhere. Its
  // columns are read straight into the table.
  const expect = { algorithm: options.algorithm, lfs: options.lfs };
  const cache = options.cacheFile ? HashCacheFile.open(options.cacheFile, expect, log) : undefined;
  const header = cache?.header;
  const sameMachine = header !== undefined && header.machine === machineId() && header.root === rootReal;
  // Elsewhere (and for entries a git-keyed run left without a stat key), git's blob ids key the
  // cache, and are recorded for the next run: git runs in its own processes while this thread walks.
  // (Outside any work tree, git is not even started: each process costs a fork.)
  const useGit =
    options.useGit !== false &&
    (!sameMachine || (header?.partialKeys ?? 0) > 0) &&
    (options.git !== undefined || findWorkTreeTop(plan.root) !== null);
  const gitFacts = useGit
    ? options.gitAnswers?.root === plan.root
      ? options.gitAnswers.answers
      : askGitAt(gitSource, plan.root)
    : undefined;
  let walk: WalkResult | undefined;
  // The paths as one string: compared with the cache's and posted to the threads.
  let joinedPaths: string | undefined;
  let replayedBytes: Uint8Array | undefined;
  const walkStartedAt = performance.now();
  try {
    // On the machine that wrote the cache, a walk whose folders are all unchanged is not redone.
    walk = cache && sameMachine ? replayWalk(cache, plan, walkQuestionOf(walkOptions, plan), log) : undefined;
    if (walk && cache) {
      joinedPaths = cache.joinedPaths;
      replayedBytes = cache.pathBytes;
    }
    walk ??= walkDataset(walkOptions, plan, true);
  } catch (error) {
    cache?.close();
    await gitFacts?.catch(() => undefined);
    throw error;
  }
  const n = walk.paths.length;
  const walkedAt = performance.now();
  options.onWalked?.(n);
  const walked = walk;
  const replayed = joinedPaths !== undefined;
  const table = new EntryTable(walk.paths, digestLength(options.algorithm));
  const joined = (): string => (joinedPaths ??= walked.paths.join('\0'));
  // The paths as UTF-8 (shared memory), made once: for git's listings, the threads and the tree hash.
  let encodedPaths = replayedBytes;
  const bytesOfPaths = (): Uint8Array => (encodedPaths ??= sharedUtf8(joined()));
  // In shared memory: the hashing threads read the keys without a copy.
  const keys = new Float64Array(new SharedArrayBuffer(n * 24)).fill(Number.NaN);
  let reusableByBlob = 0;
  let vouched: Uint8Array | undefined;
  try {
    const facts = await gitFacts;
    if (facts) log(`git: answered ${ms(performance.now() - walkStartedAt)} after the walk started`);
    vouched = facts ? vouchedByGit(facts, walk, table, bytesOfPaths, log) : undefined;
    try {
      if (cache && sameMachine) applyByPath(cache, table, keys, joined(), { blobs: !useGit });
      if (cache && vouched) reusableByBlob = applyByBlob(cache, table, keys, vouched, joined(), walk.kinds);
    } catch (error) {
      // Damaged: forget everything it said.
      log(`hash cache ${options.cacheFile} ignored: ${(error as Error).message}`);
      keys.fill(Number.NaN);
      table.lfsOids.clear();
      table.targets.clear();
      if (sameMachine && !useGit) table.blobIds.fill(0);
      reusableByBlob = 0;
    }
  } finally {
    cache?.close();
  }
  const cacheEntries = header?.count;
  const gitDir = options.lfs === 'content' ? await gitSource.gitDir(walk.root) : undefined;
  // Files git vouches for that no filter rewrites have exactly their blob's bytes: their cached
  // hash stands without even a stat (git stat'ed them when asked, within this step). The others
  // are stat'ed, hashed where the key does not match.
  const trusted = trustedEntries(vouched, keys);

  const preparedAt = performance.now();
  if (pool.workers > 0 && isSmall(walk, keys)) await pool.close();
  const stats: HashStats = {
    hashed: 0,
    reusedByStat: 0,
    reusedByBlob: 0,
    bytesRead: 0,
    threads: pool.workers + 1,
    implementation: options.algorithm === 'blake3' ? (loadNativeBlake3() ? 'native' : 'wasm') : 'openssl',
    elapsedMs: 0,
  };
  for (const i of trusted) {
    table.stats[i * 3] = keys[i * 3] as number; // the size; no mtime: not a stat key for next time
    stats.reusedByBlob++;
  }
  const work = trusted.length === 0 ? undefined : complement(trusted, n);
  const errors: { path: string; error: EntryError }[] = [];
  const paths = work ? Array.from(work, (i) => walk.diskPaths[i] as string) : walk.diskPaths;
  // The paths as UTF-8, once: for the tree hash, and for the threads when they hash every entry.
  const pathBytes = bytesOfPaths();
  joinedPaths = undefined; // not needed any more: a million paths make a large string
  const job = createJob(
    {
      root: lookupRoot(walk.root),
      ...(gitDir ? { gitDir } : {}),
      kinds: work ? Uint8Array.from(work, (i) => walk.kinds[i] as number) : walk.kinds,
      keys: work ? subsetKeys(keys, work) : keys,
      paths,
      ...(!work && walk.diskPaths === walk.paths ? { pathBytes } : {}),
    },
    pool.workers + 1,
    pool.slots,
  );
  const target: AbsorbTarget = {
    table,
    blobsFromCache: sameMachine && !useGit,
    keys,
    stats,
    errors,
    paths: walk.paths,
    work,
  };
  // The tree hash takes entries as soon as they and all before them are final, between batches:
  // its work overlaps with the hashing instead of following it.
  const tree = new TreeBuilder(
    table,
    options.algorithm,
    await digestFactory(options.algorithm, 2),
    pathBytes,
  );
  const frontier = new BatchFrontier(job.bounds.length - 1);
  const jobEntries = paths.length;
  const running = pool.run(
    job,
    paths,
    (batch, start, result) => {
      absorb(result, start, target);
      options.onProgress?.(result.status.length, result.bytesRead);
      if (errors.length > 0) return;
      const k = job.bounds[frontier.done(batch)] as number; // job entries below k are final
      tree.advance(k === jobEntries ? n : work ? (work[k] as number) : k);
    },
    options.signal,
  );
  options.onHashing?.(); // the job is with the threads: run() posted it before its first wait
  await running;
  await pool.close();
  if (errors.length > 0) throw hashingError(errors);

  forgetRacyKeys(table.stats, startedWall - (options.settleMs ?? SETTLE_MS));
  const hashedAt = performance.now();
  const hashes = tree.finish();
  stats.elapsedMs = performance.now() - started;
  log(
    `dataset-hash: start ${ms(walkStartedAt - started)}, walk ${ms(walkedAt - walkStartedAt)}, cache+git ${ms(preparedAt - walkedAt)}, hash ${ms(hashedAt - preparedAt)}, tree ${ms(performance.now() - hashedAt)}`,
  );
  log(
    `dataset-hash: ${n} entries, ${stats.hashed} hashed, ${stats.reusedByStat} reused by stat, ${stats.reusedByBlob} reused by git blob id (of ${reusableByBlob} candidates), ${stats.threads} thread(s), ${stats.implementation}`,
  );
  return {
    ...hashes,
    root: walk.root,
    rootRelative: walk.rootRelative,
    algorithm: options.algorithm,
    lfs: options.lfs,
    table,
    stats,
    warnings: walk.warnings,
    // A new folder snapshot is worth saving too: the next run can skip its walk.
    cacheChanged: stats.hashed > 0 || cacheEntries !== n || !sameMachine || (!replayed && !!walk.folders),
    ...(walk.folders ? { folders: walk.folders } : {}),
    walkReplayed: replayed,
    pathBytes,
  };
}

/**
 * The previous walk's result, from the cache, when it was asked the same question and every folder
 * it read still has its stamp; undefined otherwise (or when the cache cannot say).
 */
function replayWalk(
  cache: HashCacheFile,
  plan: DatasetPlan,
  question: string,
  log: (line: string) => void,
): WalkResult | undefined {
  try {
    const folders = cache.folders();
    if (!folders || folders.fingerprint !== question) return undefined;
    if (!snapshotHolds(plan.root, folders)) {
      log('walk: a folder changed since the cache was written; walking the dataset');
      return undefined;
    }
    // The list must be one a walk could have made (the digest in the header guards against damage,
    // not against a writer with a bug), and the rest of the cache readable: else walk.
    const problem = joinedPathsProblem(cache.joinedPaths);
    if (problem) throw new Error(`the paths include ${problem}`);
    const paths = cache.paths();
    if (!isStrictlyIncreasing(paths, cache.joinedPaths)) throw new Error('paths out of order');
    cache.extras();
    const flags = cache.read<Uint8Array>('flags');
    const kinds = new Uint8Array(paths.length);
    for (let i = 0; i < kinds.length; i++)
      kinds[i] = (flags[i] as number) & Flag.Link ? Kind.Link : Kind.File;
    log(
      `walk: no folder changed since the cache was written (${folders.paths.length} checked); the walk is skipped`,
    );
    return {
      root: plan.root,
      rootRelative: rootRelativeOf(plan),
      paths,
      diskPaths: paths,
      kinds,
      warnings: [],
      folders,
    };
  } catch (error) {
    log(`walk: the cache's folder snapshot is unusable (${(error as Error).message}); walking the dataset`);
    return undefined;
  }
}

/**
 * A tracked file that git says is unmodified has the content of its index blob, so a cached hash
 * for that blob applies. Records the blob ids in the table and returns a flag per entry: 2 where
 * git vouches for the file's bytes (stored as they are: no filter or conversion), 1 where it vouches
 * for its content through a filter or conversion (the work tree may hold other bytes, such as an
 * LFS pointer or its object: the size on disk is checked), 0 elsewhere.
 */
function vouchedByGit(
  [listing, modified, plain]: [Buffer | undefined, Set<string> | undefined, Buffer | undefined],
  walk: WalkResult,
  table: EntryTable,
  bytesOfPaths: () => Uint8Array,
  log: (line: string) => void,
): Uint8Array {
  if (listing === undefined || listing.length === 0 || modified === undefined) {
    if (listing !== undefined && modified === undefined)
      log('git: cannot tell modified files; trusting none');
    return new Uint8Array(table.count);
  }
  const diskBytes = walk.diskPaths === walk.paths ? bytesOfPaths() : Buffer.from(walk.diskPaths.join('\0'));
  const vouched = joinIndexListing(listing, table, diskBytes);
  for (const p of modified) {
    const i = indexOfPath(walk.paths, toNfc(p));
    if (i === -1 || walk.diskPaths[i] !== p) continue;
    vouched[i] = 0;
    table.clearBlob(i);
  }
  const isPlain = plain ? markListedPaths(plain, table, diskBytes) : undefined;
  let tracked = 0;
  let bytewise = 0;
  for (let i = 0; i < vouched.length; i++) {
    if (vouched[i] === 0) continue;
    if (walk.kinds[i] === Kind.FollowedLink) {
      // Hashed by its target's content, which the link's blob (its target text) does not name.
      vouched[i] = 0;
      table.clearBlob(i);
      continue;
    }
    tracked++;
    if (isPlain?.[i] === 1) {
      vouched[i] = 2;
      bytewise++;
    }
  }
  log(`git: ${tracked} tracked and unmodified (${bytewise} stored byte for byte), ${modified.size} modified`);
  return vouched;
}

/** Few entries and bytes: starting threads would cost more than it saves. */
function isSmall(walk: { root: string; paths: string[]; diskPaths: string[] }, keys: Float64Array): boolean {
  const n = walk.paths.length;
  if (n > INLINE_MAX_ENTRIES) return false;
  let bytes = 0;
  for (let i = 0; i < n && bytes <= INLINE_MAX_BYTES; i++) {
    if (!Number.isNaN(keys[i * 3 + 1] as number)) continue; // reusable by stat: nothing to read
    try {
      bytes += statSync(path.join(walk.root, walk.diskPaths[i] as string)).size;
    } catch {
      // reported by the hashing pass
    }
  }
  return bytes <= INLINE_MAX_BYTES;
}

/**
 * The root as the hashing lanes look files up: relative to the process's working folder when it
 * is inside it (every lookup then walks fewer path components), else absolute.
 */
function lookupRoot(root: string): string {
  const relative = path.relative(process.cwd(), root);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? root : relative;
}

/** Where {@link absorb} puts a batch's results. */
interface AbsorbTarget {
  table: EntryTable;
  /** Blob ids came from the cache: a re-hashed entry's is stale. */
  blobsFromCache: boolean;
  keys: Float64Array;
  stats: HashStats;
  errors: { path: string; error: EntryError }[];
  paths: readonly string[];
  /** Table index of each job entry, when the job is a subset. */
  work: Int32Array | undefined;
}

function absorb(result: BatchResult, start: number, target: AbsorbTarget): void {
  const { table, keys, stats, work } = target;
  stats.bytesRead += result.bytesRead;
  const n = result.status.length;
  const at = (k: number): number => (work ? (work[start + k] as number) : start + k);
  if (work) {
    for (let k = 0; k < n; k++) table.stats.set(result.stats.subarray(k * 3, k * 3 + 3), at(k) * 3);
  } else table.stats.set(result.stats, start * 3);
  for (let k = 0; k < n; k++) {
    const i = at(k);
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
      // A blob id is only for content git vouched for; a file that changed while it was read (no
      // mtime recorded) may not be its blob's.
      if (target.blobsFromCache || Number.isNaN(table.stats[i * 3 + 1] as number)) table.clearBlob(i);
      stats.hashed++;
    }
  }
  for (const [k, oid] of result.lfsOids) table.lfsOids.set(at(k), oid);
  for (const [k, t] of result.targets) table.targets.set(at(k), t);
  for (const error of result.errors)
    target.errors.push({ path: target.paths[at(error.index)] as string, error });
}

/**
 * Drops the stat keys of files changed at or after `settled` (ms since the epoch): a file written
 * again within the same timestamp tick after it was read would keep its key and its stale hash.
 * Such a file is read again by the next run (git's "racy" entries get the same care).
 */
function forgetRacyKeys(stats: Float64Array, settled: number): void {
  for (let k = 1; k < stats.length; k += 3) {
    if ((stats[k] as number) >= settled) stats.fill(Number.NaN, k - 1, k + 2);
  }
}

/** Entries git vouches for as unfiltered (2) that took a cached hash by blob id (size-only key). */
function trustedEntries(vouched: Uint8Array | undefined, keys: Float64Array): number[] {
  const trusted: number[] = [];
  if (!vouched) return trusted;
  for (let i = 0; i < vouched.length; i++) {
    if (vouched[i] === 2 && !Number.isNaN(keys[i * 3] as number) && Number.isNaN(keys[i * 3 + 1] as number)) {
      trusted.push(i);
    }
  }
  return trusted;
}

/** The indexes below `n` not in the sorted list `skip`. */
function complement(skip: readonly number[], n: number): Int32Array {
  const out = new Int32Array(n - skip.length);
  let s = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (s < skip.length && skip[s] === i) s++;
    else out[o++] = i;
  }
  return out;
}

function subsetKeys(keys: Float64Array, work: Int32Array): Float64Array {
  const out = new Float64Array(work.length * 3);
  for (let k = 0; k < work.length; k++) out.set(keys.subarray(work[k]! * 3, work[k]! * 3 + 3), k * 3);
  return out;
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
