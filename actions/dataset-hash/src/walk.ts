/**
 * Finds the files of a dataset: the `path` input's paths and globs (list semantics: includes, `!`
 * excludes in order, then the `ignore` globs), below a root that is the common folder of all of
 * them. Symlinks are listed as links and never followed out of the dataset; folders reached twice
 * (bind mounts, overlapping paths) are walked once; `.git` is never part of a dataset.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import {
  UserError,
  createPathFilter,
  globBase,
  isGlob,
  normalizeRelative,
  type PathFilter,
} from '@modelops/core';
import { FolderRecorder, walkFingerprint, wallClockMs, type FolderSnapshot } from './folder-snapshot.ts';
import { Kind } from './hash-file.ts';
import { joinPosix, sortByCodePoint, toNfc } from './paths.ts';

/** Options of {@link walkDataset}. */
export interface WalkOptions {
  /** The workspace: patterns are relative to it. */
  cwd: string;
  /** The `path` input: paths and globs, `!` lines exclude. */
  patterns: readonly string[];
  /** The `ignore` input: globs excluded last. */
  ignore?: readonly string[];
  /** Follow symlinks to files inside the dataset and hash their content (DVC does). */
  followFileLinks?: boolean;
  /** Absolute paths never to include (the action's own state files). */
  exclude?: readonly string[];
  /**
   * How long a folder must have been left alone before the walk for a {@link FolderSnapshot} to
   * hold it (default: `SETTLE_MS` of folder-snapshot.ts; tests shorten it).
   */
  settleMs?: number;
}

/** The files of a dataset, sorted by code point of their NFC path. */
export interface WalkResult {
  /** Absolute dataset root. */
  root: string;
  /** The root relative to the workspace, POSIX (`.` for the workspace itself). */
  rootRelative: string;
  /** NFC paths relative to the root, sorted by code point. */
  paths: string[];
  /**
   * On-disk path per entry (differs from `paths` only where a name is not NFC on disk; the same
   * array as `paths` when none does).
   */
  diskPaths: string[];
  /** {@link Kind} per entry. */
  kinds: Uint8Array;
  /** Things skipped, for warnings. */
  warnings: string[];
  /**
   * The folders read and their stamps, when the next walk may be replayed from them: none was
   * racy, nothing was skipped with a warning, every name is NFC and no link was followed.
   */
  folders?: FolderSnapshot;
}

interface Special {
  disk: string;
  kind: number;
}

/** A folder being walked: its entries in order (folders with a trailing '/'), and the next one. */
interface Frame {
  dir: string;
  dirRootRel: string;
  keys: string[];
  /** Kind of each symlink among the entries. */
  links: Map<string, number> | undefined;
  next: number;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

const posix = (p: string): string => p.split(path.sep).join('/');

/** Where a dataset is, before it is walked: its root and what the patterns name. */
export interface DatasetPlan {
  /** The workspace, absolute. */
  cwd: string;
  /** Absolute dataset root: the common folder of everything named. */
  root: string;
  /** The `path` patterns, workspace-relative (`!` excludes). */
  patterns: string[];
  /** The `ignore` globs, workspace-relative. */
  ignore: string[];
  /** The including patterns. */
  includes: string[];
  /** Files named literally (absolute). */
  literalFiles: string[];
  /** Folders to walk (absolute): named folders and the bases of globs. */
  bases: string[];
}

/**
 * Finds the dataset's root and what to walk (cheap: one stat per literal path), so work that only
 * needs the root (asking git about it) can start before the walk. Throws {@link UserError} for
 * paths that do not exist.
 */
export function planDataset(options: Pick<WalkOptions, 'cwd' | 'patterns' | 'ignore'>): DatasetPlan {
  const cwd = path.resolve(options.cwd);
  const patterns = options.patterns
    .map((p) => toCwdRelative(cwd, p.trim()))
    .filter((p) => p !== '' && p !== '!');
  const ignore = (options.ignore ?? []).map((p) => toCwdRelative(cwd, p.trim())).filter((p) => p !== '');
  const includes = patterns.filter((p) => !p.startsWith('!'));
  if (includes.length === 0) {
    throw new UserError("Input 'path' names no files or folders.", {
      input: 'path',
      fix: 'List the dataset folder(s), files or globs, one per line, e.g. `path: data/`.',
    });
  }

  const literalFiles: string[] = [];
  const bases: string[] = [];
  for (const pattern of includes) {
    if (isGlob(pattern)) {
      const base = path.resolve(cwd, globBase(pattern));
      if (!statOrUndefined(base)?.isDirectory()) {
        throw new UserError(
          `The pattern '${pattern}' in input 'path' matched no files: its folder '${globBase(pattern)}' does not exist.`,
          {
            input: 'path',
            fix: 'Check the path (relative to the workspace) and that an earlier step created or checked out the data.',
          },
        );
      }
      bases.push(base);
      continue;
    }
    const abs = path.resolve(cwd, pattern);
    const st = statOrUndefined(abs);
    if (!st) {
      throw new UserError(`Path '${pattern}' does not exist.`, {
        input: 'path',
        file: pattern,
        fix: 'Check the path (relative to the workspace) and that an earlier step created or checked out the data.',
      });
    }
    if (st.isDirectory()) bases.push(abs);
    else literalFiles.push(abs);
  }

  const root = commonFolder([...bases, ...literalFiles.map((f) => path.dirname(f))]);
  return { cwd, root, patterns, ignore, includes, literalFiles, bases };
}

/** The dataset root relative to the workspace, POSIX (`.` for the workspace itself). */
export function rootRelativeOf(plan: Pick<DatasetPlan, 'cwd' | 'root'>): string {
  return posix(path.relative(plan.cwd, plan.root)) || '.';
}

/** What a walk with these options and this plan is asked, hashed ({@link walkFingerprint}). */
export function walkQuestionOf(options: WalkOptions, plan: DatasetPlan): string {
  return walkFingerprint({
    root: plan.root,
    patterns: plan.patterns,
    ignore: plan.ignore,
    literalFiles: plan.literalFiles,
    bases: plan.bases,
    exclude: (options.exclude ?? []).map((p) => path.resolve(p)),
    followFileLinks: options.followFileLinks === true,
  });
}

/**
 * Lists the dataset's files; throws {@link UserError} for paths that match nothing. With
 * `recordFolders`, the result carries the {@link FolderSnapshot} that lets the next run skip it.
 */
export function walkDataset(
  options: WalkOptions,
  plan: DatasetPlan = planDataset(options),
  recordFolders = false,
): WalkResult {
  const { cwd, root, patterns, ignore, includes, literalFiles, bases } = plan;
  const recorder = recordFolders
    ? new FolderRecorder(walkQuestionOf(options, plan), wallClockMs(), options.settleMs)
    : undefined;
  const filter = needsFilter(patterns, ignore) ? createPathFilter(patterns, ignore) : undefined;
  const prune = ignore.length > 0 ? createPathFilter(ignore) : undefined;
  const exclude = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const excludedNames = new Map<string, Set<string>>(); // parent folder → names, to skip without joining paths
  for (const p of exclude) {
    const names = excludedNames.get(path.dirname(p)) ?? new Set<string>();
    names.add(path.basename(p));
    excludedNames.set(path.dirname(p), names);
  }
  // Per-entry strings are only built when something needs them: a million files make a lot of garbage.
  const needCwdRel = filter !== undefined || prune !== undefined;
  const warnings: string[] = [];
  const nfc: string[] = [];
  const specials = new Map<string, Special>();
  const seenDirs = new Set<string>();
  let rootReal: string | undefined;

  const add = (disk: string, kind: number): void => {
    const name = toNfc(disk);
    nfc.push(name);
    if (kind !== Kind.File || name !== disk) {
      if (specials.has(name)) duplicate(name);
      specials.set(name, { disk, kind });
    }
  };

  const linkKind = (abs: string, cwdRel: string): number => {
    if (!options.followFileLinks) return Kind.Link;
    rootReal ??= realpathSync(root);
    try {
      const target = realpathSync(abs);
      if (isInsideFolder(rootReal, target) && statSync(target).isFile()) return Kind.FollowedLink;
    } catch {
      // dangling link or a loop (ELOOP): hashed as a link
    }
    warnings.push(
      `${cwdRel}: symlink not to a file inside the dataset; hashed as a link (DVC would differ).`,
    );
    return Kind.Link;
  };

  // A file named literally and also reached by a walk is listed once (the literal one).
  const literalDisk = new Set<string>();
  for (const file of literalFiles) {
    const cwdRel = posix(path.relative(cwd, file));
    if (exclude.has(file) || (filter && !filter.matches(cwdRel))) continue;
    // Its folder is stamped (not listed): replacing the file by a link, a folder or a FIFO moves it.
    if (recorder) recorder.add(posix(path.relative(root, path.dirname(file))), statSync(path.dirname(file)));
    const st = lstatSync(file);
    const disk = posix(path.relative(root, file));
    if (literalDisk.has(disk)) continue;
    literalDisk.add(disk);
    if (st.isSymbolicLink()) add(disk, linkKind(file, cwdRel));
    else if (st.isFile()) add(disk, Kind.File);
    else warnings.push(`${cwdRel}: not a regular file; skipped.`);
  }

  // Each folder's entries are sorted by name, a folder's as if its name ended in '/', and visited
  // depth first in that order: the files then come out in code-point order of their whole paths
  // (two paths compare as their names in the first folder where they part), with no sort of the
  // whole list. With several bases, literal files or names that are not NFC on disk, the list is
  // sorted at the end instead.
  const roots = [...new Set(bases)].sort();
  let skippedFolder = false;
  let inOrder = roots.length <= 1 && literalDisk.size === 0;
  const frames: Frame[] = [];
  const enter = (dir: string): void => {
    const dirCwdRel = posix(path.relative(cwd, dir)) || '.';
    let st: Stats;
    try {
      st = statSync(dir);
    } catch (error) {
      throw unreadable(dirCwdRel, error);
    }
    const id = `${st.dev}:${st.ino}`;
    if (seenDirs.has(id)) {
      if (!bases.includes(dir))
        warnings.push(`${dirCwdRel}: folder reached twice (a bind mount or loop); walked once.`);
      // Nothing stamps the path it was reached by (a base linked to a folder walked already).
      skippedFolder = true;
      return;
    }
    seenDirs.add(id);
    const dirRootRel = posix(path.relative(root, dir));
    // Stamped before it is read: an entry added in between moves the stamp on.
    recorder?.add(dirRootRel, st);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw unreadable(dirCwdRel, error);
    }
    const skipNames = excludedNames.get(dir);
    const keys: string[] = [];
    let links: Map<string, number> | undefined;
    for (const entry of entries) {
      const name = entry.name;
      if (name === '.git') continue;
      if (skipNames?.has(name)) continue;
      const cwdRel = needCwdRel ? (dirCwdRel === '.' ? name : `${dirCwdRel}/${name}`) : '';
      if (entry.isDirectory()) {
        // Ignores are applied last, so nothing below an ignored folder can be selected again.
        if (!prune?.matches(cwdRel)) keys.push(`${name}/`);
        continue;
      }
      const isLink = entry.isSymbolicLink();
      if (!isLink && !entry.isFile()) {
        const shown = dirCwdRel === '.' ? name : `${dirCwdRel}/${name}`;
        if (!filter || filter.matches(shown))
          warnings.push(`${shown}: not a regular file (socket, FIFO or device); skipped.`);
        continue;
      }
      if (filter && !filter.matches(cwdRel)) continue;
      keys.push(name);
      if (isLink) {
        const shown = dirCwdRel === '.' ? name : `${dirCwdRel}/${name}`;
        (links ??= new Map()).set(name, linkKind(path.join(dir, name), shown));
      }
    }
    // ASCII names (the usual case) are NFC and order by code unit as by code point. A name that is
    // not NFC, or holds U+FFFD (the stand-in for bytes that are not UTF-8: two names may turn into
    // one), sends the list through the sort and its duplicate check.
    if (NON_ASCII.test(keys.join(''))) {
      if (keys.some((key) => toNfc(key) !== key || key.includes('\ufffd'))) inOrder = false;
      sortByCodePoint(keys);
    } else keys.sort();
    frames.push({ dir, dirRootRel, keys, links, next: 0 });
  };
  for (const base of roots) {
    enter(base);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as Frame;
      if (frame.next === frame.keys.length) {
        frames.pop();
        continue;
      }
      const key = frame.keys[frame.next++] as string;
      if (key.endsWith('/')) {
        enter(path.join(frame.dir, key.slice(0, -1)));
        continue;
      }
      const disk = joinPosix(frame.dirRootRel, key);
      if (literalDisk.size > 0 && literalDisk.has(disk)) continue;
      const kind = frame.links?.get(key) ?? Kind.File;
      // In order, every name on the way was found NFC already.
      if (inOrder && kind === Kind.File) nfc.push(disk);
      else add(disk, kind);
    }
  }

  const renamed = [...specials].some(([name, special]) => special.disk !== name);
  const sorted = inOrder && !renamed;
  const paths = sorted ? nfc : sortByCodePoint(nfc);
  // In order, names are unique per folder and each folder is read once: no path can repeat.
  if (!sorted)
    for (let i = 1; i < paths.length; i++) if (paths[i] === paths[i - 1]) duplicate(paths[i] as string);
  if (paths.length === 0) {
    throw new UserError(`Input 'path' matched no files (${includes.join(', ')}).`, {
      input: 'path',
      fix: 'Check the paths and globs (relative to the workspace) and the `ignore` globs; empty folders are not part of a dataset.',
    });
  }
  if (filter) checkEveryGlobMatched(includes, paths, root, cwd);

  const kinds = new Uint8Array(paths.length).fill(Kind.File);
  const diskPaths = renamed ? paths.slice() : paths;
  if (specials.size > 0) {
    for (let i = 0; i < paths.length; i++) {
      const special = specials.get(paths[i] as string);
      if (!special) continue;
      kinds[i] = special.kind;
      diskPaths[i] = special.disk;
    }
  }
  const replayable =
    warnings.length === 0 &&
    !renamed &&
    !skippedFolder &&
    !(options.followFileLinks && kinds.some((k) => k !== Kind.File));
  const folders = replayable ? recorder?.snapshot() : undefined;
  return {
    root,
    rootRelative: rootRelativeOf(plan),
    paths,
    diskPaths,
    kinds,
    warnings,
    ...(folders ? { folders } : {}),
  };
}

/** Patterns are matched against workspace-relative paths; an absolute pattern is made relative too. */
function toCwdRelative(cwd: string, pattern: string): string {
  const negate = pattern.startsWith('!');
  const body = negate ? pattern.slice(1) : pattern;
  const relative = path.isAbsolute(body) ? posix(path.relative(cwd, body)) || '.' : normalizeRelative(body);
  return negate ? `!${relative}` : relative;
}

function needsFilter(patterns: readonly string[], ignore: readonly string[]): boolean {
  return ignore.length > 0 || patterns.some((p) => p.startsWith('!') || isGlob(p));
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function commonFolder(folders: readonly string[]): string {
  let common = folders[0] as string;
  for (const folder of folders.slice(1)) {
    while (!isInsideFolder(common, folder)) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}

function isInsideFolder(folder: string, p: string): boolean {
  return p === folder || p.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

function duplicate(name: string): never {
  throw new UserError(`Two files have the path '${name}' once Unicode-normalised (NFC).`, {
    file: name,
    fix: 'Rename one of them: the same name in composed and decomposed Unicode cannot be told apart on other systems.',
  });
}

function unreadable(where: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new UserError(`Cannot read the folder '${where}' (${code}).`, {
    file: where,
    fix: 'Give the runner user read access to the folder, or exclude it with the `ignore` input.',
  });
}

function checkEveryGlobMatched(
  includes: readonly string[],
  paths: readonly string[],
  root: string,
  cwd: string,
): void {
  const prefix = posix(path.relative(cwd, root));
  for (const pattern of includes) {
    if (!isGlob(pattern)) continue;
    const single: PathFilter = createPathFilter([pattern]);
    const hit = paths.some((p) => single.matches(prefix ? `${prefix}/${p}` : p));
    if (!hit) {
      throw new UserError(`The pattern '${pattern}' in input 'path' matched no files.`, {
        input: 'path',
        fix: 'Fix or remove the pattern; globs are relative to the workspace, and `ignore` may exclude what it matched.',
      });
    }
  }
}
