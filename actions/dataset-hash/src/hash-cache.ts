/**
 * The hash cache: what the previous run learned about each file, so unchanged files are not read
 * again. One JSON header line, then the entries as binary columns, index-aligned and in code-point
 * order of their paths:
 *
 *   paths    UTF-8, NUL-separated (NUL cannot occur in a file name)
 *   folders  UTF-8, NUL-separated: the folders the walk read (see folder-snapshot.ts)
 *   stats    float64 × 3 per entry: on-disk size, mtime (ms), inode when it was hashed
 *   sizes    float64 per entry: content size (the real size for an LFS pointer)
 *   flags    uint8 per entry
 *   digests  32 bytes per entry (md5 uses the first 16)
 *   blobs    `blobWidth` bytes per entry: the git blob id, all zero when unknown
 *   stamps   float64 × 4 per folder: device, inode, mtime, ctime when the walk read it
 *   extras   UTF-8 JSON `{"lfsOids": [[index, oid], …], "targets": [[index, target], …]}`
 *
 * Columns are read straight into the typed arrays of the entry table (no object, string or hex
 * conversion per entry): a warm run over 100k files loads its cache in milliseconds.
 *
 * Two keys make an entry reusable: (disk size, mtime, inode) on the machine that wrote it (a
 * self-hosted runner, a laptop), and the git blob id of a tracked, unmodified file on any machine
 * (a fresh runner after `actions/checkout`, where every mtime is new). On the writer's machine, the
 * folder stamps also let the next run skip the walk when no folder has changed.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import { compareBytes } from './bytes.ts';
import type { Algorithm } from './digests.ts';
import { STAMP_WIDTH, type FolderSnapshot } from './folder-snapshot.ts';
import { Flag, Kind, SLOT, type LfsMode } from './hash-file.ts';
import { compareCodePoints } from './paths.ts';
import { AtomicFileWriter } from './stream-file.ts';
import { isZeroRange, type EntryTable } from './table.ts';

/** Identifies the cache format. */
export const CACHE_FORMAT = 'modelops-dataset-hash-cache';
/** The format version this build reads and writes. */
export const CACHE_VERSION = 3;

/** The header line of a cache file. */
export interface CacheHeader {
  format: typeof CACHE_FORMAT;
  version: typeof CACHE_VERSION;
  algorithm: Algorithm;
  lfs: LfsMode;
  /** {@link machineId} of the writer: stat keys only mean something on the same machine and boot. */
  machine: string;
  /** Real path of the dataset root. */
  root: string;
  /** Entries in the columns. */
  count: number;
  /** Byte order of the number columns. */
  endian: 'LE' | 'BE';
  /** Bytes of the paths column. */
  pathBytes: number;
  /** SHA-256 of the paths column (hex): a replayed walk takes its file list from it. */
  pathsDigest: string;
  /** Bytes per git blob id (0: no blob ids). */
  blobWidth: number;
  /** Bytes of the extras JSON. */
  extraBytes: number;
  /** The fingerprint of the walk the folder stamps stand for ('' when there are none). */
  walk: string;
  /** Folders with a stamp. */
  folderCount: number;
  /** Bytes of the folders column. */
  folderBytes: number;
  /**
   * Entries without a whole stat key (only the size: git vouched for them and they were not
   * stat'ed). On the writer's machine they need git again.
   */
  partialKeys: number;
}

/** The per-entry columns of a cache file. */
export type CacheColumn = 'stats' | 'sizes' | 'flags' | 'digests' | 'blobs';

/** The sparse per-entry strings of a cache, keyed by the cache's entry index. */
export interface CacheExtras {
  lfsOids: Map<number, string>;
  targets: Map<number, string>;
}

/** Who wrote a cache: the host and its boot, hashed (inodes and mtimes are only stable within one). */
export function machineId(): string {
  let boot = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    boot = String(Math.round((Date.now() - os.uptime() * 1000) / 60_000)); // boot time to the minute
  }
  return createHash('sha256').update(`${os.hostname()}\0${boot}`).digest('hex').slice(0, 16);
}

const ENDIAN = os.endianness();

/** Bytes per entry of each fixed-width column, in file order. */
function columnWidths(blobWidth: number): [CacheColumn, number][] {
  return [
    ['stats', 24],
    ['sizes', 8],
    ['flags', 1],
    ['digests', SLOT],
    ['blobs', blobWidth],
  ];
}

/** A cache file opened for reading: the header and paths are read, the columns on demand. */
export class HashCacheFile {
  private constructor(
    private readonly fd: number,
    /** The validated header. */
    readonly header: CacheHeader,
    private joined: string,
    /** The paths column as it is in the file: UTF-8, NUL-separated, in shared memory. */
    readonly pathBytes: Uint8Array,
    private readonly offsets: Map<CacheColumn | 'folders' | 'stamps' | 'extras', number>,
  ) {}

  private parsedExtras: CacheExtras | undefined;

  /** The entries' paths joined by NUL (one string: cheap to compare with the walk's). */
  get joinedPaths(): string {
    return this.joined;
  }

  /**
   * Opens a cache file if it is one for this algorithm and LFS mode and is complete; undefined
   * otherwise (a cache is an optimisation: a missing, foreign or damaged one is ignored, never an
   * error). The reason a file was ignored goes to `log`.
   */
  static open(
    file: string,
    expect: { algorithm: Algorithm; lfs: LfsMode },
    log: (line: string) => void = () => undefined,
  ): HashCacheFile | undefined {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const head = Buffer.allocUnsafe(64 * 1024);
      const got = readSync(fd, head, 0, head.length, 0);
      const lf = head.subarray(0, got).indexOf(10);
      if (lf === -1) throw new Error('no header line');
      const header = JSON.parse(head.toString('utf8', 0, lf)) as Partial<CacheHeader>;
      if (header.format !== CACHE_FORMAT) throw new Error('not a hash cache');
      if (header.version !== CACHE_VERSION) throw new Error(`format version ${String(header.version)}`);
      if (header.algorithm !== expect.algorithm || header.lfs !== expect.lfs) {
        throw new Error(`made for ${header.algorithm}/${header.lfs}`);
      }
      if (header.endian !== ENDIAN) throw new Error(`written on a ${header.endian} machine`);
      const count = header.count as number;
      const sizes = [
        count,
        header.pathBytes,
        header.blobWidth,
        header.extraBytes,
        header.partialKeys,
        header.folderCount,
        header.folderBytes,
      ] as number[];
      if (
        !sizes.every((v) => Number.isSafeInteger(v) && v >= 0) ||
        ![0, 20, 32].includes(header.blobWidth as number) ||
        typeof header.walk !== 'string' ||
        typeof header.pathsDigest !== 'string'
      ) {
        throw new Error('bad header');
      }
      const offsets = new Map<CacheColumn | 'folders' | 'stamps' | 'extras', number>();
      let at = lf + 1 + (header.pathBytes as number);
      offsets.set('folders', at);
      at += header.folderBytes as number;
      for (const [column, width] of columnWidths(header.blobWidth as number)) {
        offsets.set(column, at);
        at += width * count;
      }
      offsets.set('stamps', at);
      at += (header.folderCount as number) * STAMP_WIDTH * 8;
      offsets.set('extras', at);
      const size = fstatSync(fd).size;
      if (size !== at + (header.extraBytes as number)) {
        throw new Error(`truncated (${size} bytes, ${at + (header.extraBytes as number)} expected)`);
      }
      // In shared memory: when the walk is replayed these bytes go to the hashing threads as they are.
      const pathBytes = Buffer.from(new SharedArrayBuffer(header.pathBytes as number));
      readExactly(fd, pathBytes, lf + 1);
      if (createHash('sha256').update(pathBytes).digest('hex') !== header.pathsDigest) {
        throw new Error('the paths column does not match its digest');
      }
      // ASCII (the usual case) decodes much faster as Latin-1, into a compact one-byte string.
      const ascii = isAscii(pathBytes);
      // Invalid UTF-8 would decode to other names than the bytes spell.
      if (!ascii && !isUtf8(pathBytes)) throw new Error('paths are not valid UTF-8');
      const joined = ascii ? pathBytes.toString('latin1') : pathBytes.toString('utf8');
      return new HashCacheFile(fd, header as CacheHeader, joined, pathBytes, offsets);
    } catch (error) {
      closeSync(fd);
      log(`hash cache ${file} ignored: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The entries' paths (splits {@link joinedPaths}); throws when they are not `count` many. */
  paths(): string[] {
    const paths = this.header.count === 0 ? [] : this.joinedPaths.split('\0');
    if (paths.length !== this.header.count) {
      throw new Error(`${paths.length} paths for ${this.header.count} entries`);
    }
    return paths;
  }

  /** Reads a column into `into` (allocated when not given) and returns it. */
  read<T extends Float64Array | Uint8Array>(column: CacheColumn, into?: T): T {
    const { count, blobWidth } = this.header;
    const width = (columnWidths(blobWidth).find(([c]) => c === column) as [CacheColumn, number])[1];
    const target =
      into ??
      ((column === 'stats' || column === 'sizes'
        ? new Float64Array((count * width) / 8)
        : new Uint8Array(count * width)) as T);
    if (target.byteLength !== count * width) throw new Error(`internal: ${column} column size`);
    readExactly(this.fd, target, this.offsets.get(column) as number);
    return target;
  }

  /**
   * The folder snapshot of the walk that wrote the cache, if it left one; throws when the column
   * does not hold `folderCount` folders.
   */
  folders(): FolderSnapshot | undefined {
    const { walk, folderCount, folderBytes } = this.header;
    if (walk === '' || folderCount === 0) return undefined;
    const bytes = Buffer.allocUnsafe(folderBytes);
    readExactly(this.fd, bytes, this.offsets.get('folders') as number);
    const paths = bytes.toString('utf8').split('\0');
    if (paths.length !== folderCount) throw new Error(`${paths.length} folders for ${folderCount}`);
    const stamps = new Float64Array(folderCount * STAMP_WIDTH);
    readExactly(this.fd, stamps, this.offsets.get('stamps') as number);
    return { fingerprint: walk, paths, stamps };
  }

  /** The LFS oids and symlink targets, by cache entry index. */
  extras(): CacheExtras {
    // Read and parsed once: a replayed walk checks them before the entries take them.
    if (this.parsedExtras) return this.parsedExtras;
    const bytes = Buffer.allocUnsafe(this.header.extraBytes);
    readExactly(this.fd, bytes, this.offsets.get('extras') as number);
    const parsed = JSON.parse(bytes.toString('utf8')) as {
      lfsOids: [number, string][];
      targets: [number, string][];
    };
    this.parsedExtras = { lfsOids: new Map(parsed.lfsOids), targets: new Map(parsed.targets) };
    return this.parsedExtras;
  }

  /** Releases the file, and the paths string (a large one for a large dataset). */
  close(): void {
    closeSync(this.fd);
    this.joined = '';
  }
}

function readExactly(fd: number, target: ArrayBufferView, position: number): void {
  const view = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  for (let at = 0; at < view.length;) {
    const n = readSync(fd, view, at, view.length - at, position + at);
    if (n === 0) throw new Error('truncated');
    at += n;
  }
}

/**
 * Writes the cache for a hashed dataset (atomically), with the walk's folder snapshot when there
 * is one.
 */
export function writeHashCache(
  file: string,
  table: EntryTable,
  header: Pick<CacheHeader, 'algorithm' | 'lfs' | 'machine' | 'root'>,
  folders?: FolderSnapshot,
  /** The table's paths as UTF-8 joined by NUL, when the caller has them (saves making them again). */
  pathBytes?: Uint8Array,
): void {
  const paths = pathBytes ?? Buffer.from(table.paths.join('\0'), 'utf8');
  const folderPaths = Buffer.from(folders ? folders.paths.join('\0') : '', 'utf8');
  const extras = Buffer.from(
    JSON.stringify({ lfsOids: [...table.lfsOids], targets: [...table.targets] }),
    'utf8',
  );
  let partialKeys = 0;
  for (let i = 0; i < table.count; i++) {
    // A size without mtime: git vouched for the file (a key with neither is no key at all).
    if (!Number.isNaN(table.stats[i * 3] as number) && Number.isNaN(table.stats[i * 3 + 1] as number)) {
      partialKeys++;
    }
  }
  const full: CacheHeader = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    ...header,
    count: table.count,
    endian: ENDIAN,
    pathBytes: paths.byteLength,
    pathsDigest: createHash('sha256').update(paths).digest('hex'),
    blobWidth: table.blobWidth,
    extraBytes: extras.byteLength,
    partialKeys,
    walk: folders?.fingerprint ?? '',
    folderCount: folders?.paths.length ?? 0,
    folderBytes: folderPaths.byteLength,
  };
  const writer = new AtomicFileWriter(file);
  try {
    writer.write(`${JSON.stringify(full)}\n`);
    writer.writeBytes(paths);
    writer.writeBytes(folderPaths);
    writer.writeBytes(table.stats);
    writer.writeBytes(table.sizes);
    writer.writeBytes(table.flags);
    writer.writeBytes(table.digests);
    writer.writeBytes(table.blobIds);
    writer.writeBytes(folders?.stamps ?? new Float64Array(0));
    writer.writeBytes(extras);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/**
 * For each table entry, the index of the cache entry with the same path, or -1. Both lists are in
 * code-point order, so this is a merge join; a cache whose paths are out of order is damaged.
 */
export function matchPaths(tablePaths: readonly string[], cachePaths: readonly string[]): Int32Array {
  const match = new Int32Array(tablePaths.length).fill(-1);
  let c = 0;
  for (let i = 0; i < tablePaths.length; i++) {
    const p = tablePaths[i] as string;
    while (c < cachePaths.length && compareCodePoints(cachePaths[c] as string, p) < 0) {
      if (c > 0 && compareCodePoints(cachePaths[c - 1] as string, cachePaths[c] as string) >= 0) {
        throw new Error('paths out of order');
      }
      c++;
    }
    if (c < cachePaths.length && cachePaths[c] === p) match[i] = c;
  }
  return match;
}

/**
 * Same machine: gives every entry whose path is in the cache its cached (size, mtime, inode) key
 * in `keys` and its cached hash, size, flags, blob id, LFS oid and link target in the table. An
 * entry whose file turns out to have another stat key is hashed again and overwrites all of it.
 * `joinedPaths` is the table's paths joined by NUL (computed when not given). Blob ids are taken
 * unless `blobs` is false (git has given current ones). A key without mtime (the entry was not
 * stat'ed) is no key here: it is left NaN, for git to vouch for the entry or the hash to redo it.
 */
export function applyByPath(
  cache: HashCacheFile,
  table: EntryTable,
  keys: Float64Array,
  joinedPaths = table.paths.join('\0'),
  options: { blobs?: boolean } = {},
): void {
  const { blobWidth } = cache.header;
  const withBlobs = options.blobs !== false && blobWidth > 0;
  if (withBlobs) table.useBlobWidth(blobWidth);
  const sameBlobWidth = withBlobs && table.blobWidth === blobWidth;
  try {
    copyByPath(cache, table, keys, joinedPaths, sameBlobWidth);
  } finally {
    // Whatever the header says: a size alone must never pass for a stat key.
    for (let i = 0; i < table.count; i++) {
      if (Number.isNaN(keys[i * 3 + 1] as number) || Number.isNaN(keys[i * 3 + 2] as number)) {
        keys[i * 3] = Number.NaN;
      }
    }
  }
}

function copyByPath(
  cache: HashCacheFile,
  table: EntryTable,
  keys: Float64Array,
  joinedPaths: string,
  sameBlobWidth: boolean,
): void {
  const { count } = cache.header;
  const extras = cache.extras();
  if (count === table.count && cache.joinedPaths === joinedPaths) {
    // The usual case, nothing added or removed: the columns are the table's, byte for byte.
    cache.read('stats', keys);
    cache.read('sizes', table.sizes);
    cache.read('flags', table.flags);
    cache.read('digests', table.digests);
    if (sameBlobWidth) cache.read('blobs', table.blobIds);
    for (const [i, oid] of extras.lfsOids) table.lfsOids.set(i, oid);
    for (const [i, target] of extras.targets) table.targets.set(i, target);
    return;
  }
  const match = matchPaths(table.paths, cache.paths());
  const stats = cache.read<Float64Array>('stats');
  const sizes = cache.read<Float64Array>('sizes');
  const flags = cache.read<Uint8Array>('flags');
  const digests = cache.read<Uint8Array>('digests');
  const blobs = sameBlobWidth ? cache.read<Uint8Array>('blobs') : undefined;
  for (let i = 0; i < table.count; i++) {
    const c = match[i] as number;
    if (c === -1) continue;
    keys.set(stats.subarray(c * 3, c * 3 + 3), i * 3);
    copyEntry(table, i, c, { sizes, flags, digests, blobs, extras });
  }
}

/**
 * Another machine: an entry that git vouches for (`vouched[i]` not 0: tracked, unmodified, its blob
 * id in the table) takes the hash of a cache entry with the same blob id, and that entry's on-disk
 * size as its key (an LFS file is a pointer before `git lfs pull`: the size tells them apart).
 * Entries are first matched by path and their blob ids compared in place; only those left over
 * (renamed or copied files) are looked up by blob id. `joinedPaths` is the table's paths joined by
 * NUL; `kinds` the entries' {@link Kind}s (a link only takes a link's hash, a file a file's).
 * Returns how many entries took a cached hash.
 */
export function applyByBlob(
  cache: HashCacheFile,
  table: EntryTable,
  keys: Float64Array,
  vouched: Uint8Array,
  joinedPaths: string,
  kinds?: Uint8Array,
): number {
  const { count, blobWidth: w } = cache.header;
  if (w === 0 || w !== table.blobWidth) return 0;
  const blobs = cache.read<Uint8Array>('blobs');
  const stats = cache.read<Float64Array>('stats');
  const columns = {
    sizes: cache.read<Float64Array>('sizes'),
    flags: cache.read<Uint8Array>('flags'),
    digests: cache.read<Uint8Array>('digests'),
    blobs: undefined,
    extras: cache.extras(),
  };
  const identity = count === table.count && cache.joinedPaths === joinedPaths;
  const match = identity ? undefined : matchPaths(table.paths, cache.paths());
  // A symlink and a file holding its target text have the same blob id: the kinds must agree.
  const sameKind = (i: number, c: number): boolean =>
    (((columns.flags[c] as number) & Flag.Link) !== 0) === (kinds?.[i] === Kind.Link);
  const take = (i: number, c: number): boolean => {
    if (kinds && !sameKind(i, c)) return false;
    keys[i * 3] = stats[c * 3] as number;
    copyEntry(table, i, c, columns);
    return true;
  };
  let applied = 0;
  const rest: number[] = [];
  for (let i = 0; i < table.count; i++) {
    if (vouched[i] === 0 || !Number.isNaN(keys[i * 3] as number)) continue;
    const c = match ? (match[i] as number) : i;
    if (
      c !== -1 &&
      compareBytes(blobs, c * w, (c + 1) * w, table.blobIds, i * w, (i + 1) * w) === 0 &&
      take(i, c)
    )
      applied++;
    else rest.push(i);
  }
  if (rest.length > 0) {
    // Keyed by blob id and whether it is a link.
    const byBlob = new Map<string, number>();
    const view = Buffer.from(blobs.buffer, blobs.byteOffset, blobs.byteLength);
    for (let c = 0; c < count; c++) {
      if (isZeroRange(blobs, c * w, w)) continue;
      const link = ((columns.flags[c] as number) & Flag.Link) !== 0 ? '@' : '';
      const key = link + view.toString('hex', c * w, (c + 1) * w);
      if (!byBlob.has(key)) byBlob.set(key, c);
    }
    for (const i of rest) {
      const link = kinds?.[i] === Kind.Link ? '@' : '';
      const c = byBlob.get(link + (table.blob(i) as string));
      if (c !== undefined && take(i, c)) applied++;
    }
  }
  return applied;
}

/** Copies cache entry `c` into table entry `i` (hash, size, flags, blob id, LFS oid, target). */
function copyEntry(
  table: EntryTable,
  i: number,
  c: number,
  from: {
    sizes: Float64Array;
    flags: Uint8Array;
    digests: Uint8Array;
    blobs: Uint8Array | undefined;
    extras: CacheExtras;
  },
): void {
  // Byte loops, not subarray copies: this runs once per reused entry.
  const digests = table.digests;
  for (let k = 0; k < SLOT; k++) digests[i * SLOT + k] = from.digests[c * SLOT + k] as number;
  table.sizes[i] = from.sizes[c] as number;
  table.flags[i] = from.flags[c] as number;
  const w = table.blobWidth;
  if (from.blobs && w > 0 && !table.hasBlob(i)) {
    for (let k = 0; k < w; k++) table.blobIds[i * w + k] = from.blobs[c * w + k] as number;
  }
  if (from.extras.lfsOids.size > 0) {
    const oid = from.extras.lfsOids.get(c);
    if (oid !== undefined) table.lfsOids.set(i, oid);
  }
  if (from.extras.targets.size === 0) return;
  const target = from.extras.targets.get(c);
  if (target !== undefined) table.targets.set(i, target);
}
