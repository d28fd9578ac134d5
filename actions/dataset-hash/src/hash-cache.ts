/**
 * The hash cache: what the previous run learned about each file, so unchanged files are not read
 * again. A text file, one JSON header line then one tab-separated line per entry in path order:
 *
 *   path  disk-size  mtime-ms  inode  size  flags  digest-hex  blob  lfs-oid  target
 *
 * Two keys make an entry reusable: (disk size, mtime, inode) on the machine that wrote it (a
 * self-hosted runner, a laptop), and the git blob id of a tracked, unmodified file on any machine
 * (a fresh runner after `actions/checkout`, where every mtime is new).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { Algorithm } from './digests.ts';
import { SLOT, type LfsMode } from './hash-file.ts';
import { toHex } from './digests.ts';
import { AtomicTextWriter, forEachLine } from './stream-file.ts';
import type { EntryTable } from './table.ts';

/** Identifies the cache format. */
export const CACHE_FORMAT = 'modelops-dataset-hash-cache';

/** The header line of a cache file. */
export interface CacheHeader {
  format: typeof CACHE_FORMAT;
  version: 1;
  algorithm: Algorithm;
  lfs: LfsMode;
  /** {@link machineId} of the writer: stat keys only mean something on the same machine and boot. */
  machine: string;
  /** Real path of the dataset root. */
  root: string;
  /** Entry lines that follow. */
  count: number;
}

/** One entry line of a cache file. */
export interface CacheRecord {
  /** NFC path relative to the dataset root. */
  path: string;
  /** On-disk size, mtime (ms) and inode when it was hashed. */
  diskSize: number;
  mtimeMs: number;
  ino: number;
  /** Content size. */
  size: number;
  flags: number;
  /** Digest slot as hex. */
  digestHex: string;
  blob?: string;
  lfsOid?: string;
  target?: string;
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

function escapeField(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

function unescapeField(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (_, c: string) =>
    c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c,
  );
}

/** The header of a cache file if it is one for this algorithm and LFS mode; undefined otherwise. */
export function readCacheHeader(
  file: string,
  expect: { algorithm: Algorithm; lfs: LfsMode },
): CacheHeader | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const lf = buffer.subarray(0, n).indexOf(10);
    if (lf === -1) return undefined;
    const header = JSON.parse(buffer.toString('utf8', 0, lf)) as CacheHeader;
    const ok =
      header.format === CACHE_FORMAT &&
      header.version === 1 &&
      header.algorithm === expect.algorithm &&
      header.lfs === expect.lfs &&
      Number.isSafeInteger(header.count);
    return ok ? header : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A copy of a string that does not keep the (much longer) line it was cut from alive. */
function own(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * Streams a cache file: `onHeader` sees the header (return false to stop), `onRecord` each entry in
 * path order. Nothing of the file is kept, so a cache of a million entries costs no memory. Returns
 * the header, or undefined when the file is missing, damaged, or made for another algorithm or LFS
 * mode (a cache is an optimisation: a bad one is ignored, never an error). Records already passed
 * to `onRecord` before damage was found must then be discarded by the caller.
 */
export function scanHashCache(
  file: string,
  expect: { algorithm: Algorithm; lfs: LfsMode },
  onHeader: (header: CacheHeader) => boolean,
  onRecord: (record: CacheRecord) => void,
  log: (line: string) => void = () => undefined,
): CacheHeader | undefined {
  let header: CacheHeader | undefined;
  let seen = 0;
  let stopped = false;
  try {
    forEachLine(file, (line, index) => {
      if (stopped) return;
      if (index === 0) {
        const parsed = JSON.parse(line) as CacheHeader;
        if (parsed.format !== CACHE_FORMAT || parsed.version !== 1) throw new Error('not a hash cache');
        if (parsed.algorithm !== expect.algorithm || parsed.lfs !== expect.lfs) {
          throw new Error(`made for ${parsed.algorithm}/${parsed.lfs}`);
        }
        header = parsed;
        stopped = !onHeader(parsed);
        return;
      }
      if (line === '') return;
      const f = line.split('\t');
      if (f.length !== 10 || !header) throw new Error(`line ${index + 1} is malformed`);
      if (++seen > header.count) throw new Error('more entries than the header says');
      onRecord({
        path: unescapeField(f[0] as string),
        diskSize: Number(f[1]),
        mtimeMs: Number(f[2]),
        ino: Number(f[3]),
        size: Number(f[4]),
        flags: Number(f[5]),
        digestHex: f[6] as string,
        ...(f[7] ? { blob: own(f[7]) } : {}),
        ...(f[8] ? { lfsOid: own(f[8]) } : {}),
        ...(f[9] ? { target: own(unescapeField(f[9])) } : {}),
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') log(`hash cache ${file} ignored: ${(error as Error).message}`);
    return undefined;
  }
  if (header && !stopped && seen !== header.count) {
    log(`hash cache ${file} ignored: truncated (${seen} of ${header.count} entries)`);
    return undefined;
  }
  return header;
}

/** Writes the cache for a hashed dataset (atomically). */
export function writeHashCache(
  file: string,
  table: EntryTable,
  header: Omit<CacheHeader, 'format' | 'version' | 'count'>,
): void {
  const writer = new AtomicTextWriter(file);
  try {
    const full: CacheHeader = { format: CACHE_FORMAT, version: 1, ...header, count: table.count };
    writer.write(`${JSON.stringify(full)}\n`);
    for (let i = 0; i < table.count; i++) {
      const hex = toHex(table.digests.subarray(i * SLOT, (i + 1) * SLOT));
      writer.write(
        `${escapeField(table.paths[i] as string)}\t${table.stats[i * 3]}\t${table.stats[i * 3 + 1]}\t${table.stats[i * 3 + 2]}\t${table.sizes[i]}\t${table.flags[i]}\t${hex}\t${table.blobs[i] ?? ''}\t${table.lfsOids.get(i) ?? ''}\t${escapeField(table.targets.get(i) ?? '')}\n`,
      );
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** Copies a cache record into table entry `i` (hash, size, flags, blob, LFS oid, target). */
export function applyRecord(record: CacheRecord, table: EntryTable, i: number, digestView: Buffer): void {
  digestView.write(record.digestHex, i * SLOT, 'hex');
  table.sizes[i] = record.size;
  table.flags[i] = record.flags;
  if (record.blob !== undefined && table.blobs[i] === undefined) table.blobs[i] = record.blob;
  if (record.lfsOid !== undefined) table.lfsOids.set(i, record.lfsOid);
  if (record.target !== undefined) table.targets.set(i, record.target);
}
