/**
 * Git facts the actions key on. Blob ids (`git ls-files -s`) are content addresses that survive
 * fresh checkouts, unlike mtimes, so they identify unchanged files across runners.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A file git tracks in the index. */
export interface IndexEntry {
  /** File mode, e.g. `100644`, `120000` for a symlink, `160000` for a submodule. */
  mode: string;
  /** Blob id (sha1, or sha256 in sha256 repositories). */
  blob: string;
}

/** Runs git and returns stdout; undefined when git fails (not a repository, git missing). */
export async function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return (await gitBytes(cwd, args))?.toString('utf8');
}

/**
 * The top of the git work tree holding `dir`, found without running git: the nearest folder with a
 * `.git` entry (a folder, or the file of a worktree or submodule). `null` when there is none up to
 * the file-system root; `undefined` when git's environment (`GIT_DIR`, `GIT_WORK_TREE`) may say
 * otherwise and only git can tell.
 */
export function findWorkTreeTop(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | null | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return undefined;
  for (let d = path.resolve(dir); ;) {
    if (existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

/** The repository's top-level folder containing `cwd`, or undefined outside a work tree. */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  return (await git(cwd, ['rev-parse', '--show-toplevel']))?.trim() || undefined;
}

/**
 * Index entries under `cwd` (paths relative to `cwd`, POSIX). Files changed in the work tree but
 * not staged keep their index blob, so callers compare sizes or re-hash when that matters.
 */
export async function gitIndexEntries(
  cwd: string,
  pathspecs: readonly string[] = [],
): Promise<Map<string, IndexEntry>> {
  const out = await git(cwd, ['ls-files', '-s', '-z', '--', ...pathspecs]);
  const entries = new Map<string, IndexEntry>();
  if (out === undefined) return entries;
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, blob, stage] = record.slice(0, tab).split(' ');
    if (stage !== '0' || !mode || !blob) continue; // conflicted entries have no single blob
    entries.set(record.slice(tab + 1), { mode, blob });
  }
  return entries;
}

/**
 * `git ls-files -s -v -z` in `cwd` as raw bytes (records `<tag> <mode> <blob> <stage>\t<path>\0`,
 * paths relative to `cwd`, sorted by their bytes; tag `H` for an ordinary entry, `S` for
 * skip-worktree, lower case for assume-unchanged), for callers that join it with their own sorted
 * list without making a string per file; undefined when git fails (not a repository, git missing).
 */
export async function gitIndexListing(cwd: string): Promise<Buffer | undefined> {
  return gitBytes(cwd, ['ls-files', '-s', '-v', '-z']);
}

/** Runs git and returns stdout as bytes; undefined when git fails. */
export async function gitBytes(cwd: string, args: readonly string[]): Promise<Buffer | undefined> {
  try {
    const { stdout } = await run('git', [...args], {
      cwd,
      maxBuffer: 1 << 30,
      encoding: 'buffer',
    });
    return stdout;
  } catch {
    return undefined;
  }
}

/**
 * Paths modified in the work tree relative to the index (their index blob is stale); undefined when
 * git cannot say, in which case no index blob may be trusted for a work-tree file.
 */
export async function gitModifiedPaths(cwd: string): Promise<Set<string> | undefined> {
  const out = await git(cwd, ['diff', '--name-only', '-z', '--relative']);
  return out === undefined ? undefined : new Set(out.split('\0').filter(Boolean));
}

/** Git's blob id of some content (sha1 of `blob <size>\0<content>`), as `git hash-object` prints. */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

/** The commit checked out in `cwd`, or undefined. */
export async function gitHead(cwd: string): Promise<string | undefined> {
  return (await git(cwd, ['rev-parse', 'HEAD']))?.trim() || undefined;
}
