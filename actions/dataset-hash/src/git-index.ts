/**
 * Git's listings joined with the dataset's entries, byte for byte: `git ls-files` lists files sorted
 * by the bytes of their path, and the entry table is sorted by code point, which is the same order
 * for UTF-8. One merge pass finds each listed file's entry, with no string or object per file (100k
 * tracked files cost milliseconds, not a second).
 */
import { compareCodePoints } from './paths.ts';
import type { EntryTable } from './table.ts';

const TAB = 0x09;
const SPACE = 0x20;
const TAG_CACHED = 0x48; // 'H'
const DIGIT_ZERO = 0x30;
const DIGIT_ONE = 0x31;
const DIGIT_SIX = 0x36;

/** Byte offsets of each path in `bytes`, the UTF-8 of paths joined by NUL (one more: the end). */
function pathOffsets(bytes: Buffer, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    const nul = bytes.indexOf(0, at);
    at = nul === -1 ? bytes.length : nul + 1;
  }
  starts[count] = bytes.length + 1;
  return starts;
}

/**
 * Merges NUL-terminated records of `listing`, sorted by the path each holds, with the table's paths
 * (`joinedPaths`: joined by NUL, in table order): calls `onMatch` with the table index and the
 * record's bounds for every record whose path is an entry. `pathStart` gives where a record's path
 * begins (-1: skip the record). Records out of step (a name that is not NFC on disk) are missed,
 * never matched to the wrong entry.
 */
function mergeWithTable(
  listing: Buffer,
  count: number,
  joinedPaths: string,
  pathStart: (recordStart: number, recordEnd: number) => number,
  onMatch: (i: number, recordStart: number, pathStart: number) => void,
): void {
  const paths = Buffer.from(joinedPaths, 'utf8');
  const starts = pathOffsets(paths, count);
  let i = 0;
  for (let at = 0; at < listing.length && i < count;) {
    const end = listing.indexOf(0, at);
    const recordEnd = end === -1 ? listing.length : end;
    const start = pathStart(at, recordEnd);
    if (start !== -1) {
      // Advance the table to this path (`order` > 0: the record's path sorts after the entry's).
      let order = 1;
      while (i < count) {
        order = listing.compare(paths, starts[i] as number, (starts[i + 1] as number) - 1, start, recordEnd);
        if (order <= 0) break;
        i++;
      }
      if (order === 0) onMatch(i, at, start);
    }
    at = recordEnd + 1;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function decodeHex(from: Buffer, start: number, into: Uint8Array, at: number, bytes: number): boolean {
  for (let k = 0; k < bytes; k++) {
    const hi = hexValue(from[start + 2 * k] as number);
    const lo = hexValue(from[start + 2 * k + 1] as number);
    if (hi < 0 || lo < 0) {
      into.fill(0, at, at + bytes);
      return false;
    }
    into[at + k] = (hi << 4) | lo;
  }
  return true;
}

/**
 * Puts the blob id of every table entry that git tracks in the ordinary way into the table's blob
 * column and returns a flag per entry: 1 where it does. `listing` is the output of
 * `git ls-files -s -v -z` run in the dataset root (`<tag> <mode> <blob> <stage>\t<path>`);
 * `joinedPaths` the table's on-disk paths joined by NUL, in table order. Only tag `H` counts: git
 * does not look at skip-worktree (`S`) or assume-unchanged (lower case) files, so it cannot vouch
 * for them; nor for conflicted stages or submodules. Records that do not parse are skipped: an
 * entry git does not vouch for is just hashed.
 */
export function joinIndexListing(listing: Buffer, table: EntryTable, joinedPaths: string): Uint8Array {
  const tracked = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    joinedPaths,
    (at, end) => {
      const tab = listing.indexOf(TAB, at);
      return tab === -1 || tab > end ? -1 : tab + 1;
    },
    (i, at, pathStart) => {
      // `<tag> <mode> <blob> <stage>`, up to the tab, read in place.
      const tab = pathStart - 1;
      const afterTag = listing.indexOf(SPACE, at);
      const afterMode = afterTag === -1 ? -1 : listing.indexOf(SPACE, afterTag + 1);
      const afterBlob = afterMode === -1 ? -1 : listing.indexOf(SPACE, afterMode + 1);
      if (afterBlob === -1 || afterBlob > tab) return;
      if (afterTag !== at + 1 || listing[at] !== TAG_CACHED) return;
      if (tab !== afterBlob + 2 || listing[afterBlob + 1] !== DIGIT_ZERO) return; // stage 0 only
      if (listing[afterTag + 1] === DIGIT_ONE && listing[afterTag + 2] === DIGIT_SIX) return; // 160000: a submodule
      const width = (afterBlob - afterMode - 1) / 2;
      if (width !== 20 && width !== 32) return;
      if (table.blobWidth === 0) table.useBlobWidth(width);
      if (width !== table.blobWidth) return;
      if (decodeHex(listing, afterMode + 1, table.blobIds, i * width, width)) tracked[i] = 1;
    },
  );
  return tracked;
}

/**
 * A flag per table entry: 1 where `listing` (NUL-separated paths in git's order, as
 * `git ls-files -z` prints them, relative to the dataset root) names it.
 */
export function markListedPaths(listing: Buffer, table: EntryTable, joinedPaths: string): Uint8Array {
  const listed = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    joinedPaths,
    (at) => at,
    (i) => {
      listed[i] = 1;
    },
  );
  return listed;
}

/** The table index of `path` (binary search over the sorted paths), or -1. */
export function indexOfPath(paths: readonly string[], path: string): number {
  let lo = 0;
  let hi = paths.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const order = compareCodePoints(paths[mid] as string, path);
    if (order === 0) return mid;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
