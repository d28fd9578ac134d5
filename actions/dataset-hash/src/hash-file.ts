/**
 * Hashing of one batch of dataset entries, the unit of work of a hashing thread: stat each entry,
 * keep the cached hash when (size, mtime, inode) still match, else read the file with big
 * synchronous reads into one reused buffer (no per-file allocations) and hash it. Symlinks are hashed
 * as links (the hash of their target text); Git LFS pointers are recognised while reading.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import type { Algorithm, DigestFactory } from './digests.ts';
import { LFS_POINTER_MAX_BYTES, lfsObjectPath, parseLfsPointer } from './lfs.ts';

/** How Git LFS pointers are treated. */
export type LfsMode = 'auto' | 'content' | 'pointer';

/** Entry kinds as the walk saw them. */
export const Kind = {
  /** A regular file. */
  File: 1,
  /** A symlink, hashed as a link. */
  Link: 2,
  /** A symlink to a file inside the dataset, hashed by its target's content (dvc mode). */
  FollowedLink: 3,
} as const;

/** What happened to an entry. */
export const Status = {
  /** Hashed now; the digest is filled in. */
  Hashed: 0,
  /** Stat matched the cached key; the cached hash stands. */
  Unchanged: 1,
  /** Failed: see the batch's errors. */
  Failed: 2,
} as const;

/** Flags of an entry's hash. */
export const Flag = {
  /** The file on disk is an LFS pointer (its oid is in `lfsOids`). */
  LfsPointer: 1,
  /** The hash token is `sha256:<oid>` from the pointer rather than a digest of this algorithm. */
  OidToken: 2,
  /** The entry is a symlink hashed as a link (its target is in `targets`). */
  Link: 4,
} as const;

/** Settings a hashing thread gets once (it may start before the dataset is found). */
export interface HashSettings {
  algorithm: Algorithm;
  lfs: LfsMode;
  /** Read size in bytes (default 1 MiB, measured as the fastest here). */
  readSize?: number;
}

/** A batch of entries to stat and, where the stat key does not match, hash. */
export interface HashBatch {
  id: number;
  /** The dataset root (absolute, or relative to the working folder); `paths` are relative to it. */
  root: string;
  /** The repository's common git dir, where `lfs/objects` lives (for `lfs: content`). */
  gitDir?: string;
  /** On-disk paths relative to the root (POSIX). */
  paths: string[];
  /** {@link Kind} per entry. */
  kinds: Uint8Array;
  /** Cached (size, mtimeMs, inode) per entry, NaN where there is none. */
  keys?: Float64Array;
}

/** One failure in a batch. */
export interface EntryError {
  index: number;
  /** errno code (ENOENT, EACCES, …) or a word of ours (`not-a-file`, `lfs-missing`). */
  code: string;
  message: string;
}

/** What a batch produced, index-aligned with the request. */
export interface BatchResult {
  id: number;
  /** {@link Status} per entry. */
  status: Uint8Array;
  /** {@link Flag} bits per entry. */
  flags: Uint8Array;
  /** On-disk (size, mtimeMs, inode) per entry. */
  stats: Float64Array;
  /** Content size per entry (the real size for an LFS pointer hashed by oid). */
  sizes: Float64Array;
  /** 32 bytes per entry (md5 uses the first 16). */
  digests: Uint8Array;
  /** Bytes read from disk for this batch. */
  bytesRead: number;
  lfsOids: [number, string][];
  targets: [number, string][];
  errors: EntryError[];
}

/** Digest slot width in the batch and table arrays. */
export const SLOT = 32;

// Opening with O_NOFOLLOW and fstat'ing the descriptor costs one path lookup instead of two
// (lstat + open); where the flag does not exist (Windows) files are lstat'ed first.
const OPEN_NO_FOLLOW =
  constants.O_NOFOLLOW === undefined ? undefined : constants.O_RDONLY | constants.O_NOFOLLOW;

/** Hashes batches for one thread; keeps the read buffer and digest factory. */
export class BatchHasher {
  private readonly buffer: Buffer;
  private gitDir: string | undefined;
  /** The batch's root with a trailing separator ('' for the working folder). */
  private prefix = '';

  constructor(
    private readonly settings: HashSettings,
    private readonly digests: DigestFactory,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(64 * 1024, settings.readSize ?? 1 << 20));
  }

  /** Processes one batch. */
  run(batch: HashBatch): BatchResult {
    const n = batch.paths.length;
    this.gitDir = batch.gitDir;
    this.prefix =
      batch.root === '.' ? '' : batch.root.endsWith(path.sep) ? batch.root : batch.root + path.sep;
    const result: BatchResult = {
      id: batch.id,
      status: new Uint8Array(n),
      flags: new Uint8Array(n),
      stats: new Float64Array(n * 3),
      sizes: new Float64Array(n),
      digests: new Uint8Array(n * SLOT),
      bytesRead: 0,
      lfsOids: [],
      targets: [],
      errors: [],
    };
    for (let i = 0; i < n; i++) {
      try {
        this.entry(batch, i, result);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        result.status[i] = Status.Failed;
        result.errors.push({ index: i, code: e.code ?? 'error', message: e.message });
      }
    }
    return result;
  }

  private entry(batch: HashBatch, i: number, out: BatchResult): void {
    const rel = batch.paths[i] as string;
    const abs = this.prefix + rel;
    const kind = batch.kinds[i];
    const keys = batch.keys;
    const hasKey = keys !== undefined && !Number.isNaN(keys[i * 3] as number);
    if (kind === Kind.File && !hasKey && OPEN_NO_FOLLOW !== undefined) {
      let fd: number | undefined;
      try {
        fd = openSync(abs, OPEN_NO_FOLLOW);
      } catch (error) {
        // ELOOP: it became a symlink since the walk; the general path below handles it.
        if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
      }
      if (fd !== undefined) {
        try {
          const st = fstatSync(fd);
          this.record(st, i, out);
          if (!st.isFile()) throw notAFile();
          this.hashOpenFile(fd, abs, st.size, i, out);
        } finally {
          closeSync(fd);
        }
        return;
      }
    }
    const st: Stats = kind === Kind.FollowedLink ? statSync(abs) : lstatSync(abs);
    this.record(st, i, out);
    const unchanged =
      hasKey &&
      keys[i * 3] === st.size &&
      (Number.isNaN(keys[i * 3 + 1] as number) || keys[i * 3 + 1] === st.mtimeMs) &&
      (Number.isNaN(keys[i * 3 + 2] as number) || keys[i * 3 + 2] === st.ino);
    if (st.isSymbolicLink()) {
      out.flags[i] = Flag.Link;
      if (unchanged) return void (out.status[i] = Status.Unchanged);
      const target = readlinkSync(abs);
      const bytes = Buffer.from(target, 'utf8');
      out.digests.set(this.digests.hashWhole(bytes), i * SLOT);
      out.sizes[i] = bytes.byteLength;
      out.targets.push([i, target]);
      out.status[i] = Status.Hashed;
      return;
    }
    if (!st.isFile()) throw notAFile();
    if (unchanged) return void (out.status[i] = Status.Unchanged);
    const fd = openSync(abs, 'r');
    try {
      this.hashOpenFile(fd, abs, st.size, i, out);
    } finally {
      closeSync(fd);
    }
  }

  private record(st: Stats, i: number, out: BatchResult): void {
    out.stats[i * 3] = st.size;
    out.stats[i * 3 + 1] = st.mtimeMs;
    out.stats[i * 3 + 2] = st.ino;
  }

  private hashOpenFile(fd: number, abs: string, size: number, i: number, out: BatchResult): void {
    const { lfs, algorithm } = this.settings;
    // Small files (and every possible LFS pointer) are read whole first, so the pointer check
    // costs nothing extra.
    const first = readSync(fd, this.buffer, 0, this.buffer.length, null);
    let total = first;
    if (lfs !== 'pointer' && first < LFS_POINTER_MAX_BYTES && first === size) {
      const pointer = parseLfsPointer(this.buffer.subarray(0, first));
      if (pointer) {
        out.flags[i] = Flag.LfsPointer;
        out.lfsOids.push([i, pointer.oid]);
        if (lfs === 'auto' && algorithm !== 'dvc') {
          // The oid is the sha256 of the real content: no fetch needed.
          out.digests.set(Buffer.from(pointer.oid, 'hex'), i * SLOT);
          if (algorithm !== 'sha256') out.flags[i] |= Flag.OidToken;
          out.sizes[i] = pointer.size;
          out.bytesRead += first;
          out.status[i] = Status.Hashed;
          return;
        }
        if (lfs === 'content') {
          this.hashLfsObject(pointer.oid, pointer.size, abs, i, out);
          out.bytesRead += first;
          return;
        }
      }
    }
    if (first < this.buffer.length) {
      // The whole file in one read: one call hashes it (no digest object per file).
      out.digests.set(this.digests.hashWhole(this.buffer.subarray(0, first)), i * SLOT);
    } else {
      const digest = this.digests.create();
      digest.update(this.buffer);
      for (;;) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, null);
        if (n === 0) break;
        total += n;
        digest.update(n === this.buffer.length ? this.buffer : this.buffer.subarray(0, n));
      }
      out.digests.set(digest.finish(), i * SLOT);
    }
    out.sizes[i] = total;
    out.bytesRead += total;
    // A file that changed while it was read must not be cached under its old stat key.
    if (total !== size) out.stats[i * 3 + 1] = Number.NaN;
    out.status[i] = Status.Hashed;
  }

  private hashLfsObject(oid: string, size: number, pointerPath: string, i: number, out: BatchResult): void {
    const object = this.gitDir ? lfsObjectPath(this.gitDir, oid) : undefined;
    let fd: number;
    try {
      if (!object) throw Object.assign(new Error('no git dir'), { code: 'ENOENT' });
      fd = openSync(object, 'r');
    } catch {
      const error = new Error(
        `is a Git LFS pointer and its object ${oid.slice(0, 12)}… is not fetched (looked in ${object ?? 'no git repository'})`,
      ) as NodeJS.ErrnoException;
      error.code = 'lfs-missing';
      throw error;
    }
    const digest = this.digests.create();
    let total = 0;
    try {
      for (;;) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, null);
        if (n === 0) break;
        total += n;
        digest.update(n === this.buffer.length ? this.buffer : this.buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    if (total !== size) {
      digest.finish();
      const error = new Error(
        `is a Git LFS pointer whose local object has ${total} bytes, not ${size} (${pointerPath})`,
      ) as NodeJS.ErrnoException;
      error.code = 'lfs-corrupt';
      throw error;
    }
    out.digests.set(digest.finish(), i * SLOT);
    out.sizes[i] = total;
    out.bytesRead += total;
    out.status[i] = Status.Hashed;
  }
}

function notAFile(): NodeJS.ErrnoException {
  const error = new Error('is no longer a regular file') as NodeJS.ErrnoException;
  error.code = 'not-a-file';
  return error;
}
