/**
 * What a walk saw of the dataset's folders, so that the next walk on the same machine can be
 * skipped. A folder's modification and change times move whenever an entry is created, removed or
 * renamed in it (ctime also when its mtime is set back, as `tar` and `rsync -a` do), so when every
 * folder the walk read still has the same (device, inode, mtime, ctime), and the walk would be
 * asked the same thing, its list of files is the same; only the files' own content may differ, and
 * the hashing pass stats each file for that. Git's untracked cache relies on the same property.
 *
 * A folder changed less than {@link SETTLE_MS} before the walk started is "racy": a file added
 * right after it was read could leave its mtime unchanged at the file system's timestamp
 * granularity, so a snapshot holding such a folder is not kept.
 */
import { createHash } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** The folders a walk read and what identified each then. */
export interface FolderSnapshot {
  /** What the walk was asked (see {@link walkFingerprint}): another question, another walk. */
  fingerprint: string;
  /** Folder paths relative to the dataset root, POSIX (`` for the root itself). */
  paths: string[];
  /** (device, inode, mtimeMs, ctimeMs) per folder. */
  stamps: Float64Array;
}

/**
 * The wall-clock time in ms with a fraction, as file times have it: `Date.now()` drops the
 * fraction, so a file written a moment before would look written after.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Numbers per folder in {@link FolderSnapshot.stamps}. */
export const STAMP_WIDTH = 4;

/**
 * How long a folder must have been left alone before the walk for its stamp to stand: covers
 * timestamp granularity (1 s on some file systems, 2 s on FAT) and a coarse kernel clock.
 */
export const SETTLE_MS = 2000;

/** What decides a walk's result besides the folders' contents, as one string. */
export interface WalkQuestion {
  root: string;
  patterns: readonly string[];
  ignore: readonly string[];
  literalFiles: readonly string[];
  bases: readonly string[];
  exclude: readonly string[];
  followFileLinks: boolean;
}

/**
 * The version of the walk's rules (what it lists, skips or follows): a change to them must bump
 * it, so that no snapshot made under the old rules is replayed.
 */
export const WALK_RULES_VERSION = 1;

/** A hash of everything a walk is asked: its result can be replayed only for the same question. */
export function walkFingerprint(question: WalkQuestion): string {
  const canonical = JSON.stringify([
    WALK_RULES_VERSION,
    question.root,
    question.patterns,
    question.ignore,
    question.literalFiles,
    [...new Set(question.bases)].sort(),
    [...question.exclude].sort(),
    question.followFileLinks,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Collects the stamps of the folders a walk reads; gives up at the first racy one. */
export class FolderRecorder {
  private readonly paths: string[] = [];
  private stamps = new Float64Array(64 * STAMP_WIDTH);
  private racy = false;

  constructor(
    private readonly fingerprint: string,
    /** Wall-clock time the walk started (ms since the epoch). */
    private readonly walkStartedMs: number,
    /** How long before the walk a folder must have last changed. */
    private readonly settleMs = SETTLE_MS,
  ) {}

  /** Records a folder (relative to the root, POSIX) with the stat taken before it was read. */
  add(relative: string, st: Stats): void {
    if (this.racy) return;
    const settled = this.walkStartedMs - this.settleMs;
    if (!(st.mtimeMs < settled && st.ctimeMs < settled)) {
      this.racy = true;
      return;
    }
    const k = this.paths.length;
    if ((k + 1) * STAMP_WIDTH > this.stamps.length) {
      const grown = new Float64Array(this.stamps.length * 2);
      grown.set(this.stamps);
      this.stamps = grown;
    }
    this.stamps.set([st.dev, st.ino, st.mtimeMs, st.ctimeMs], k * STAMP_WIDTH);
    this.paths.push(relative);
  }

  /** The snapshot, or undefined when a folder was racy. */
  snapshot(): FolderSnapshot | undefined {
    if (this.racy) return undefined;
    return {
      fingerprint: this.fingerprint,
      paths: this.paths,
      stamps: this.stamps.slice(0, this.paths.length * STAMP_WIDTH),
    };
  }
}

/**
 * Whether every folder of the snapshot under `root` still has its stamp (one stat per folder, no
 * listing). A folder that is gone or unreadable has not.
 */
export function snapshotHolds(root: string, snapshot: FolderSnapshot): boolean {
  const { paths, stamps } = snapshot;
  if (paths.length === 0) return false;
  for (let k = 0; k < paths.length; k++) {
    let st: Stats;
    try {
      st = statSync(paths[k] === '' ? root : path.join(root, paths[k] as string));
    } catch {
      return false;
    }
    const at = k * STAMP_WIDTH;
    if (
      st.dev !== stamps[at] ||
      st.ino !== stamps[at + 1] ||
      st.mtimeMs !== stamps[at + 2] ||
      st.ctimeMs !== stamps[at + 3]
    ) {
      return false;
    }
  }
  return true;
}
