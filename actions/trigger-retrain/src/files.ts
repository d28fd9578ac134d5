/**
 * The code and config files a fingerprint covers, each with its git blob id. Blob ids are content
 * addresses, so a file that did not change has the same id on a full clone, a shallow clone, after a
 * force push, or in a folder that is not a git repository at all: unrelated commits never change a
 * fingerprint, and no git history is needed.
 *
 * Inside a work tree the files are what git sees: tracked files (their index blob, or the blob of
 * the work-tree content when modified) and untracked files that are not ignored. Outside one, every
 * file under the patterns' folders counts.
 */
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import {
  UserError,
  createPathFilter,
  git,
  gitBlobId,
  gitIndexEntries,
  gitModifiedPaths,
  gitTopLevel,
  globBase,
  normalizeRelative,
} from '@modelops/core';
import { compareCodePoints } from './canonical.ts';

/** A file and its git blob id. */
export interface TrackedFile {
  /** POSIX path relative to the workspace. */
  path: string;
  /** Git blob id (sha1 hex), or the commit of a submodule. */
  blob: string;
}

/** Where the file list came from. */
export type FileSource = 'git' | 'filesystem';

/** Folders never part of a fingerprint: git's own and the suite's state (decisions, lock files). */
export const ALWAYS_EXCLUDED = ['.git', '.modelops'];

/** Options of {@link listTrackedFiles}. */
export interface ListFilesOptions {
  /** The workspace; patterns and returned paths are relative to it. */
  cwd: string;
  /** Globs with list semantics (`!` excludes what the lines before it matched). */
  patterns: readonly string[];
}

/** Lists the files matched by `patterns` with their blob ids, sorted by path. */
export async function listTrackedFiles(
  options: ListFilesOptions,
): Promise<{ files: TrackedFile[]; source: FileSource }> {
  if (options.patterns.length === 0) return { files: [], source: 'filesystem' };
  const filter = createPathFilter(options.patterns, ALWAYS_EXCLUDED);
  const cwd = path.resolve(options.cwd);
  const inRepo = (await gitTopLevel(cwd)) !== undefined;
  const files = inRepo
    ? await fromGit(cwd, filter.matches)
    : await fromFilesystem(cwd, options.patterns, filter.matches);
  files.sort((a, b) => compareCodePoints(a.path, b.path));
  return { files, source: inRepo ? 'git' : 'filesystem' };
}

async function fromGit(cwd: string, matches: (p: string) => boolean): Promise<TrackedFile[]> {
  const index = await gitIndexEntries(cwd);
  const modified = await gitModifiedPaths(cwd);
  if (modified === undefined) {
    // Without it no index blob can be trusted, and hashing the work tree would skip git's
    // conversions (end of line, filters): a fingerprint must not change silently.
    throw new UserError(`git could not compare the work tree with its index in '${cwd}' (git diff failed).`, {
      fix: 'Run the step in a healthy clone (after actions/checkout); `git diff --name-only` must succeed there.',
    });
  }
  const untracked = ((await git(cwd, ['ls-files', '-o', '--exclude-standard', '-z'])) ?? '')
    .split('\0')
    .filter(Boolean);
  const out: TrackedFile[] = [];
  for (const [file, entry] of index) {
    if (!matches(file)) continue;
    if (entry.mode === '160000') {
      out.push({ path: file, blob: entry.blob }); // a submodule: its commit is its content address
      continue;
    }
    if (!modified.has(file)) {
      out.push({ path: file, blob: entry.blob });
      continue;
    }
    const blob = await blobOfPath(path.join(cwd, file));
    if (blob !== undefined) out.push({ path: file, blob }); // undefined: deleted in the work tree
  }
  for (const file of untracked) {
    if (index.has(file) || !matches(file)) continue;
    const blob = await blobOfPath(path.join(cwd, file));
    if (blob !== undefined) out.push({ path: file, blob });
  }
  return out;
}

/** The blob id of a file or symlink on disk; undefined when it is missing or not a file. */
export async function blobOfPath(file: string): Promise<string | undefined> {
  try {
    const stats = await lstat(file);
    if (stats.isSymbolicLink()) return gitBlobId(Buffer.from(await readlink(file), 'utf8'));
    if (!stats.isFile()) return undefined;
    return gitBlobId(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function fromFilesystem(
  cwd: string,
  patterns: readonly string[],
  matches: (p: string) => boolean,
): Promise<TrackedFile[]> {
  // Walk only the static folders the patterns start from, not the whole workspace.
  const bases = [
    ...new Set(patterns.filter((p) => !p.startsWith('!')).map((p) => normalizeRelative(globBase(p)))),
  ]
    .map((b) => (b === '' ? '.' : b.replace(/\/+$/, '')))
    .sort();
  const roots = bases.filter(
    (base, i) => !bases.slice(0, i).some((other) => other === '.' || base.startsWith(`${other}/`)),
  );
  const seen = new Set<string>();
  const out: TrackedFile[] = [];
  for (const root of roots) {
    for (const file of await walk(cwd, root === '.' ? '' : root)) {
      if (seen.has(file) || !matches(file)) continue;
      seen.add(file);
      const blob = await blobOfPath(path.join(cwd, file));
      if (blob !== undefined) out.push({ path: file, blob });
    }
  }
  return out;
}

async function walk(cwd: string, relative: string): Promise<string[]> {
  const absolute = path.join(cwd, relative);
  let stats;
  try {
    stats = await lstat(absolute);
  } catch {
    return [];
  }
  if (!stats.isDirectory()) return relative ? [relative] : [];
  const out: string[] = [];
  for (const entry of await readdir(absolute, { withFileTypes: true })) {
    if (entry.isDirectory() && ALWAYS_EXCLUDED.includes(entry.name)) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(cwd, child)));
    else out.push(child);
  }
  return out;
}
