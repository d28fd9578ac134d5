/**
 * The baseline manifest a run is compared with, read into columns: its header as a document, and
 * its files as byte ranges, sizes and digest bytes rather than one object per file. A manifest in
 * the form this action writes (one compact entry per line) is read straight from its bytes; any
 * other form of valid JSON takes the general route (parse, schema check, sort), with the same
 * checks and the same messages.
 */
import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { UserError, parseDocument, readDocument, type DatasetFile } from '@modelops/core';
import { compareBytes, decodeHex, nulSeparatedStarts } from './bytes.ts';
import { Flag, SLOT } from './hash-file.ts';
import {
  compareCodePoints,
  isStrictlyIncreasing,
  manifestPathProblem,
  manifestPathsSuspect,
} from './paths.ts';
import type { ManifestHeader } from './manifest.ts';
import type { EntryTable } from './table.ts';

/** A baseline manifest: its header, and its files in code-point order of their paths. */
export interface BaselineManifest {
  header: ManifestHeader;
  files: ManifestFiles;
}

/** Options of {@link readBaseline}. */
export interface ReadBaselineOptions {
  /** The input that named it (for messages). */
  input?: string;
  /** Where it came from, e.g. `artifact 'dataset-manifest-train' of run 42`. */
  origin?: string;
}

/** A manifest's files in columns, index-aligned, in code-point order of their paths. */
export class ManifestFiles {
  /** Entries. */
  readonly count: number;

  /** Columns for `capacity` entries; {@link take} then keeps the first ones filled. */
  constructor(
    /** UTF-8 bytes holding the paths. */
    private readonly bytes: Uint8Array,
    capacity: number,
    /** Path `i` is `bytes[pathStarts[i], pathEnds[i])`. */
    private readonly pathStarts = new Int32Array(capacity),
    private readonly pathEnds = new Int32Array(capacity),
    /** Sizes (bytes of content). */
    readonly sizes = new Float64Array(capacity),
    /** The digest bytes of each hash token, {@link SLOT} bytes per entry. */
    readonly digests = new Uint8Array(capacity * SLOT),
    /** Bytes of each digest (16 or 32). */
    readonly digestLengths = new Uint8Array(capacity),
    /** 1 where the token is `sha256:<oid>` (an LFS oid under another algorithm). */
    readonly oidTokens = new Uint8Array(capacity),
  ) {
    this.count = capacity;
  }

  /** The first `count` entries (the same memory). */
  take(count: number): ManifestFiles {
    return new ManifestFiles(
      this.bytes,
      count,
      this.pathStarts.subarray(0, count),
      this.pathEnds.subarray(0, count),
      this.sizes.subarray(0, count),
      this.digests.subarray(0, count * SLOT),
      this.digestLengths.subarray(0, count),
      this.oidTokens.subarray(0, count),
    );
  }

  /** Sets path `i` to `bytes[start, end)`. */
  setPath(i: number, start: number, end: number): void {
    this.pathStarts[i] = start;
    this.pathEnds[i] = end;
  }

  /** Builds the columns from entries already checked (schema, paths, order). */
  static fromEntries(files: readonly DatasetFile[]): ManifestFiles {
    const bytes = Buffer.from(files.map((f) => f.path).join('\0'), 'utf8');
    const starts = nulSeparatedStarts(bytes, files.length);
    const out = new ManifestFiles(bytes, files.length);
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as DatasetFile;
      out.setPath(i, starts[i] as number, (starts[i + 1] as number) - 1);
      out.sizes[i] = file.size;
      const text = Buffer.from(file.hash, 'latin1');
      out.setToken(i, text, 0, text.length);
    }
    return out;
  }

  /** Path `i`. */
  path(i: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      'utf8',
      this.pathStarts[i] as number,
      this.pathEnds[i] as number,
    );
  }

  /** Hash token `i` as the manifest wrote it. */
  token(i: number): string {
    const hex = Buffer.from(this.digests.buffer, this.digests.byteOffset + i * SLOT, this.digestLengths[i]);
    return `${this.oidTokens[i] ? 'sha256:' : ''}${hex.toString('hex')}`;
  }

  /** Compares path `i` with the UTF-8 bytes `other[start, end)` (code-point order). */
  comparePath(i: number, other: Uint8Array, start: number, end: number): number {
    return compareBytes(
      this.bytes,
      this.pathStarts[i] as number,
      this.pathEnds[i] as number,
      other,
      start,
      end,
    );
  }

  /** Whether entry `i` has the hash token of table entry `t`. */
  sameToken(i: number, table: EntryTable, t: number): boolean {
    const oid = ((table.flags[t] as number) & Flag.OidToken) !== 0;
    const length = oid ? 32 : table.digestLength;
    if ((this.oidTokens[i] === 1) !== oid || this.digestLengths[i] !== length) return false;
    return (
      compareBytes(this.digests, i * SLOT, i * SLOT + length, table.digests, t * SLOT, t * SLOT + length) ===
      0
    );
  }

  /**
   * Sets entry `i`'s token from its text `source[start, end)`; false (nothing set) when it is not
   * `[sha256:]` and 32 or 64 lowercase hex digits.
   */
  setToken(i: number, source: Uint8Array, start: number, end: number): boolean {
    let at = start;
    const oid =
      end - start > OID_PREFIX.length &&
      compareBytes(source, start, start + OID_PREFIX.length, OID_PREFIX, 0, OID_PREFIX.length) === 0;
    if (oid) at += OID_PREFIX.length;
    const digits = end - at;
    if (digits !== 32 && digits !== 64) return false;
    if (!decodeHex(source, at, this.digests, i * SLOT, digits / 2)) return false;
    this.digestLengths[i] = digits / 2;
    this.oidTokens[i] = oid ? 1 : 0;
    return true;
  }
}

const OID_PREFIX = Buffer.from('sha256:', 'latin1');

/**
 * Reads and checks a baseline manifest: schema-valid, no path escaping the dataset (absolute, `..`,
 * backslashes, non-NFC) and no duplicates; files come back in code-point order.
 */
export async function readBaseline(
  file: string,
  options: ReadBaselineOptions = {},
): Promise<BaselineManifest> {
  const source = {
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  };
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(file);
  } catch {
    // readDocument below says what is wrong with the file.
  }
  const fast = bytes ? readWrittenForm(bytes, file, source) : undefined;
  if (fast) return fast;
  const manifest = await readDocument('DatasetManifest', file, source);
  const { files, ...header } = manifest;
  const where = { ...(options.input === undefined ? {} : { input: options.input }), file };
  const paths = files.map((entry) => entry.path);
  const joined = paths.join('\0');
  checkPaths(paths, joined, where);
  const sorted = isStrictlyIncreasing(paths, joined)
    ? files
    : files.slice().sort((a, b) => compareCodePoints(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i - 1] as DatasetFile).path === (sorted[i] as DatasetFile).path) {
      throw new UserError(`Baseline manifest lists '${(sorted[i] as DatasetFile).path}' twice.`, {
        ...where,
        fix: 'Regenerate the baseline manifest with dataset-hash.',
      });
    }
  }
  return { header, files: ManifestFiles.fromEntries(sorted) };
}

/** Throws naming the first path that would leave the dataset (checked in a few scans of them all). */
function checkPaths(paths: readonly string[], joined: string, where: { input?: string; file: string }): void {
  if (!manifestPathsSuspect(paths.length, joined)) return;
  for (const path of paths) {
    const problem = manifestPathProblem(path);
    if (problem) {
      throw new UserError(`Baseline manifest lists the path '${path}', which ${problem}.`, {
        ...where,
        fix: 'Use a manifest written by dataset-hash; a path in it must stay inside the dataset. Regenerate the baseline if it was edited.',
      });
    }
  }
}

const FILES_OPEN = Buffer.from('\n  "files": [\n', 'latin1');
const FILES_CLOSE = Buffer.from('  ]\n}', 'latin1');
const ENTRY_START = Buffer.from('    {"path":"', 'latin1');
const SIZE_KEY = Buffer.from('","size":', 'latin1');
const HASH_KEY = Buffer.from(',"hash":"', 'latin1');

/**
 * The manifest read from its bytes when it is in the form `writeManifest` writes — pretty header,
 * `"files"` last, one `{"path","size","hash"}` entry per line with nothing to unescape, in strict
 * order — and its paths pass the checks; undefined for anything else (the general route then reads
 * it and reports what is wrong). The header is parsed and checked against the schema as a document
 * with no files; each entry line is checked byte by byte against the same rules (non-empty path,
 * a non-negative integer size, a hash token of 32 or 64 lowercase hex digits). Exported for tests.
 */
export function readWrittenForm(
  bytes: Buffer,
  file: string,
  options: ReadBaselineOptions,
): BaselineManifest | undefined {
  const open = bytes.indexOf(FILES_OPEN);
  if (open === -1) return undefined;
  let header: ManifestHeader;
  try {
    // What precedes `"files"` ends with the comma before it (or is `{` when it is the only key).
    const value = JSON.parse(`${bytes.toString('utf8', 0, open)}\n"files": []}`) as unknown;
    const parsed = parseDocument('DatasetManifest', value, file, options);
    const { files: _none, ...rest } = parsed;
    header = rest;
  } catch {
    return undefined;
  }
  // One pass over the entry lines: each is parsed field by field, its path copied into `joined`
  // (NUL between paths) and compared with the one before.
  const capacity = Math.ceil((bytes.length - open) / MIN_ENTRY_LINE) + 1;
  const files = new ManifestFiles(bytes, capacity);
  const joined = Buffer.allocUnsafe(bytes.length - open);
  let out = 0;
  let n = 0;
  let at = open + FILES_OPEN.length;
  let previousStart = 0;
  let previousEnd = -1;
  for (;;) {
    if (startsWith(bytes, at, FILES_CLOSE)) break;
    if (!startsWith(bytes, at, ENTRY_START) || n === capacity) return undefined;
    let k = at + ENTRY_START.length;
    const start = k;
    if (n > 0) joined[out++] = 0;
    for (; k < bytes.length; k++) {
      const byte = bytes[k] as number;
      if (byte === 0x22) break; // '"'
      if (byte < 0x20 || byte === 0x5c) return undefined; // an escape: the general route
      joined[out++] = byte;
    }
    if (k === start || k >= bytes.length) return undefined; // empty or unterminated
    if (previousEnd !== -1 && compareBytes(bytes, previousStart, previousEnd, bytes, start, k) >= 0) {
      return undefined; // out of order or twice: the general route sorts and says
    }
    files.setPath(n, start, k);
    previousStart = start;
    previousEnd = k;
    if (!startsWith(bytes, k, SIZE_KEY)) return undefined;
    k += SIZE_KEY.length;
    const digits = k;
    let size = 0;
    for (; (bytes[k] as number) >= 0x30 && (bytes[k] as number) <= 0x39; k++) {
      size = size * 10 + ((bytes[k] as number) - 0x30);
    }
    // JSON has no leading zeros; past 15 digits the general route rounds as JSON.parse does.
    if (k === digits || k - digits > 15 || (bytes[digits] === 0x30 && k - digits > 1)) return undefined;
    files.sizes[n] = size;
    if (!startsWith(bytes, k, HASH_KEY)) return undefined;
    k += HASH_KEY.length;
    let end = -1;
    for (const length of TOKEN_LENGTHS) {
      if (bytes[k + length] === 0x22) {
        end = k + length;
        break;
      }
    }
    if (end === -1 || !files.setToken(n, bytes, k, end)) return undefined;
    k = end + 1;
    if (bytes[k++] !== 0x7d) return undefined; // '}'
    const comma = bytes[k] === 0x2c;
    if (comma) k++;
    if (bytes[k] !== 10) return undefined;
    at = k + 1;
    n++;
    // A comma between entries, none after the last.
    if (comma === startsWith(bytes, at, FILES_CLOSE)) return undefined;
  }
  const close = at + FILES_CLOSE.length;
  if (!(close === bytes.length || (close + 1 === bytes.length && bytes[close] === 10))) return undefined;
  // Paths: valid UTF-8 (JSON text) and safe.
  const paths = joined.subarray(0, out);
  if (!isUtf8(paths)) return undefined;
  if (n > 0 && manifestPathsSuspect(n, paths.toString('utf8'))) return undefined;
  return { header, files: files.take(n) };
}

/** The shortest entry line: a one-byte path, size 0, a 32-digit token. */
const MIN_ENTRY_LINE = '    {"path":"a","size":0,"hash":"}\n'.length + 32;
/** Hash token lengths: 32 or 64 hex digits, with or without `sha256:` (shortest first). */
const TOKEN_LENGTHS = [32, 39, 64, 71];

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  return compareBytes(bytes, at, at + prefix.length, prefix, 0, prefix.length) === 0;
}
