/**
 * The hash of a whole dataset (and of each top-level folder) from its entries.
 *
 * - sha256 / blake3: the hash of a listing with one line per entry in code-point order of its path,
 *   `<hex>  <path>\n` for a file — exactly what `sha256sum` / `b3sum` print — and `<hex> @<path>\n`
 *   for a symlink (hex: the hash of its target text). A path holding `\`, LF or CR is written with
 *   those escaped as `\\`, `\n`, `\r` and the line starts with `\`, as coreutils does.
 * - dvc: DVC 3's `.dir` hash: md5 of Python's `json.dumps(entries, sort_keys=True)` where entries is
 *   the list of `{"md5": <hex>, "relpath": <path>}` sorted by relpath, with the suffix `.dir`.
 */
import { ByteWriter } from './bytes.ts';
import type { Algorithm, Digest, DigestFactory } from './digests.ts';
import { toHex } from './digests.ts';
import { Flag } from './hash-file.ts';
import type { EntryTable } from './table.ts';

/** Escapes a path for a listing line; `escaped` tells whether the line needs the `\` prefix. */
export function escapeListingPath(path: string): { text: string; escaped: boolean } {
  if (!/[\\\n\r]/.test(path)) return { text: path, escaped: false };
  return {
    text: path.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r'),
    escaped: true,
  };
}

/** One listing line (sha256/blake3) for an entry. */
export function listingLine(token: string, path: string, isLink: boolean): string {
  const { text, escaped } = escapeListingPath(path);
  return `${escaped ? '\\' : ''}${token}${isLink ? ' @' : '  '}${text}\n`;
}

/** A string as Python's `json.dumps` writes it with the default `ensure_ascii=True`. */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += value[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += `\\u${c.toString(16).padStart(4, '0')}`; // UTF-16 units: astral chars become surrogate pairs
  }
  return `${out}"`;
}

/** One DVC `.dir` list item as `json.dumps(..., sort_keys=True)` writes it. */
export function dvcEntryJson(md5: string, relpath: string): string {
  return `{"md5": "${md5}", "relpath": ${pythonJsonString(relpath)}}`;
}

const SLASH = 0x2f;

/**
 * Writes the listing line of table entry `i`, whose path is `bytes[start, end)` (UTF-8), from the
 * table's digest column. Returns false, writing nothing, when the path needs escaping (the caller
 * writes the line as text).
 */
function writeListingLine(
  out: ByteWriter,
  table: EntryTable,
  i: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  isLink: boolean,
): boolean {
  for (let k = start; k < end; k++) {
    const byte = bytes[k] as number;
    if (byte === 0x5c || byte === 0x0a || byte === 0x0d) return false; // \, LF, CR: escaped as text
  }
  table.writeToken(out, i);
  out.byte(0x20); // ' '
  out.byte(isLink ? 0x40 : 0x20); // '@' or ' '
  out.bytes(bytes, start, end);
  out.byte(0x0a);
  return true;
}

/** Builds one dataset (or folder) hash from entries given in order. */
class TreeHasher {
  private readonly digest: Digest;
  private readonly sink: ByteWriter;
  private first = true;
  constructor(
    factory: DigestFactory,
    private readonly algorithm: Algorithm,
    /** A buffer to build the listing in (shared by hashers that run one after the other). */
    buffer?: Buffer,
  ) {
    const digest = factory.create();
    this.digest = digest;
    this.sink = new ByteWriter((chunk) => digest.update(chunk), buffer);
    if (algorithm === 'dvc') this.sink.text('[');
  }
  /** Adds entry `i`, named by the UTF-8 bytes `bytes[start, end)`. */
  add(table: EntryTable, i: number, bytes: Buffer, start: number, end: number, isLink: boolean): void {
    if (this.algorithm === 'dvc') {
      const relpath = bytes.toString('utf8', start, end);
      this.sink.text(`${this.first ? '' : ', '}${dvcEntryJson(table.token(i), relpath)}`);
    } else if (!writeListingLine(this.sink, table, i, bytes, start, end, isLink)) {
      this.sink.text(listingLine(table.token(i), bytes.toString('utf8', start, end), isLink));
    }
    this.first = false;
  }
  finish(): string {
    if (this.algorithm === 'dvc') this.sink.text(']');
    this.sink.flush();
    const hex = toHex(this.digest.finish());
    return this.algorithm === 'dvc' ? `md5:${hex}.dir` : `${this.algorithm}:${hex}`;
  }
}

/** The dataset hash and the hash of each top-level entry. */
export interface TreeHashes {
  /** `sha256:<hex>`, `blake3:<hex>` or `md5:<hex>.dir`. */
  hash: string;
  /** Top-level entry → its hash: a folder's tree hash, a file's `<algorithm>:<hex>`. */
  directories: Record<string, string>;
}

/** A file's hash in qualified form: `sha256:<hex>`, `blake3:<hex>`, `md5:<hex>`. */
export function qualifiedFileHash(algorithm: Algorithm, token: string): string {
  if (token.startsWith('sha256:')) return token;
  return `${algorithm === 'dvc' ? 'md5' : algorithm}:${token}`;
}

/**
 * Builds the dataset hash and the per-top-level hashes in one pass over the entries, in order. The
 * entries can be added as their hashes become final ({@link advance}), so the work overlaps with
 * the hashing of later ones.
 */
export class TreeBuilder {
  private readonly bytes: Buffer;
  private readonly whole: TreeHasher;
  // No prototype: a top-level entry may be called `__proto__`.
  private readonly directories = Object.create(null) as Record<string, string>;
  private group: { name: string; hasher: TreeHasher } | undefined;
  /** One listing buffer for the folder hashers, which run one after the other. */
  private readonly groupBuffer = Buffer.allocUnsafe(1 << 16);
  /** The next entry to add, and where its path starts in {@link bytes}. */
  private next = 0;
  private start = 0;

  constructor(
    private readonly table: EntryTable,
    private readonly algorithm: Algorithm,
    private readonly factory: DigestFactory,
    /** The table's paths as UTF-8 joined by NUL (computed when not given). */
    pathBytes?: Uint8Array,
  ) {
    this.bytes = pathBytes
      ? Buffer.from(pathBytes.buffer, pathBytes.byteOffset, pathBytes.byteLength)
      : Buffer.from(table.paths.join('\0'), 'utf8');
    this.whole = new TreeHasher(factory, algorithm);
  }

  /** Adds the entries below `end` not added yet; their hashes must be final. */
  advance(end: number): void {
    const { table, bytes, algorithm } = this;
    const last = Math.min(end, table.count);
    let start = this.start;
    for (let i = this.next; i < last; i++) {
      // The entry's bytes end at the next NUL; its top-level name at the first '/' (a byte that is
      // never part of a longer UTF-8 sequence).
      let stop = start;
      let slash = -1;
      for (; stop < bytes.length; stop++) {
        const byte = bytes[stop] as number;
        if (byte === 0) break;
        if (byte === SLASH && slash === -1) slash = stop;
      }
      const isLink = ((table.flags[i] as number) & Flag.Link) !== 0;
      this.whole.add(table, i, bytes, start, stop, isLink);
      if (slash === -1) {
        this.closeGroup();
        this.directories[table.paths[i] as string] = qualifiedFileHash(algorithm, table.token(i));
      } else {
        // Entries of one top-level folder are adjacent: a new name starts a new group.
        if (this.group === undefined || !sameName(bytes, start, slash, this.group.name)) {
          this.closeGroup();
          this.group = {
            name: bytes.toString('utf8', start, slash),
            hasher: new TreeHasher(this.factory, algorithm, this.groupBuffer),
          };
        }
        this.group.hasher.add(table, i, bytes, slash + 1, stop, isLink);
      }
      start = stop + 1;
    }
    this.next = Math.max(this.next, last);
    this.start = start;
  }

  /** Adds the remaining entries and returns the hashes. */
  finish(): TreeHashes {
    this.advance(this.table.count);
    this.closeGroup();
    return { hash: this.whole.finish(), directories: this.directories };
  }

  private closeGroup(): void {
    if (this.group) this.directories[this.group.name] = this.group.hasher.finish();
    this.group = undefined;
  }
}

/** Whether `bytes[start, end)` spell `name` (ASCII compared in place; anything else decoded). */
function sameName(bytes: Buffer, start: number, end: number, name: string): boolean {
  if (end - start < name.length) return false;
  if (end - start === name.length) {
    let ascii = true;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      if (bytes[start + k] !== c) return false;
    }
    if (ascii) return true;
  }
  return bytes.toString('utf8', start, end) === name;
}
