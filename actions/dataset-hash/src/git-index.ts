/**
 * Git's listings joined with the dataset's entries, byte for byte: `git ls-files` lists files sorted
 * by the bytes of their path, and the entry table is sorted by code point, which is the same order
 * for UTF-8. One merge pass finds each listed file's entry, with no string or object per file (100k
 * tracked files cost milliseconds, not a second).
 */
import { compareBytes, decodeHex, nulSeparatedStarts } from './bytes.ts';
import { compareCodePoints } from './paths.ts';
import type { EntryTable } from './table.ts';

const TAB = 0x09;
const SPACE = 0x20;
const TAG_CACHED = 0x48; // 'H'
const DIGIT_ZERO = 0x30;
const DIGIT_ONE = 0x31;
const DIGIT_SIX = 0x36;

/** The index of the first `byte` in `bytes[from, to)`, or -1. */
function find(bytes: Uint8Array, byte: number, from: number, to: number): number {
  for (let k = from; k < to; k++) if (bytes[k] === byte) return k;
  return -1;
}

/**
 * Merges NUL-terminated records of `listing`, sorted by the path each holds, with the table's paths
 * (`pathBytes`: UTF-8, joined by NUL, in table order): calls `onMatch` with the table index and the
 * record's bounds for every record whose path is an entry. `pathStart` gives where a record's path
 * begins (-1: skip the record). Records out of step (a name that is not NFC on disk) are missed,
 * never matched to the wrong entry.
 */
function mergeWithTable(
  listing: Buffer,
  count: number,
  pathBytes: Uint8Array,
  pathStart: (recordStart: number, recordEnd: number) => number,
  onMatch: (i: number, recordStart: number, pathStart: number) => void,
): void {
  const starts = nulSeparatedStarts(pathBytes, count);
  let i = 0;
  for (let at = 0; at < listing.length && i < count;) {
    let recordEnd = at;
    while (recordEnd < listing.length && listing[recordEnd] !== 0) recordEnd++;
    const start = pathStart(at, recordEnd);
    if (start !== -1) {
      // Advance the table to this path (`order` < 0: the entry's path sorts before the record's).
      let order = -1;
      while (i < count) {
        order = compareBytes(
          pathBytes,
          starts[i] as number,
          (starts[i + 1] as number) - 1,
          listing,
          start,
          recordEnd,
        );
        if (order >= 0) break;
        i++;
      }
      if (order === 0) onMatch(i, at, start);
    }
    at = recordEnd + 1;
  }
}

/**
 * Puts the blob id of every table entry that git tracks in the ordinary way into the table's blob
 * column and returns a flag per entry: 1 where it does. `listing` is the output of
 * `git ls-files -s -v -z` run in the dataset root (`<tag> <mode> <blob> <stage>\t<path>`);
 * `pathBytes` the table's on-disk paths as UTF-8 joined by NUL, in table order. Only tag `H` counts: git
 * does not look at skip-worktree (`S`) or assume-unchanged (lower case) files, so it cannot vouch
 * for them; nor for conflicted stages or submodules. Records that do not parse are skipped: an
 * entry git does not vouch for is just hashed.
 */
export function joinIndexListing(listing: Buffer, table: EntryTable, pathBytes: Uint8Array): Uint8Array {
  const tracked = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    pathBytes,
    (at, end) => {
      const tab = find(listing, TAB, at, end);
      return tab === -1 ? -1 : tab + 1;
    },
    (i, at, pathStart) => {
      // `<tag> <mode> <blob> <stage>`, up to the tab, read in place.
      const tab = pathStart - 1;
      const afterTag = find(listing, SPACE, at, tab);
      const afterMode = afterTag === -1 ? -1 : find(listing, SPACE, afterTag + 1, tab);
      const afterBlob = afterMode === -1 ? -1 : find(listing, SPACE, afterMode + 1, tab);
      if (afterBlob === -1) return;
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
export function markListedPaths(listing: Buffer, table: EntryTable, pathBytes: Uint8Array): Uint8Array {
  const listed = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    pathBytes,
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
