/**
 * Git's index joined with the dataset's entries, byte for byte: `git ls-files -s -z` lists tracked
 * files sorted by the bytes of their path, and the entry table is sorted by code point, which is the
 * same order for UTF-8. One merge pass puts each tracked file's blob id into the table's blob
 * column, with no string or object per file (100k tracked files cost milliseconds, not a second).
 */
import { compareCodePoints } from './paths.ts';
import type { EntryTable } from './table.ts';

const TAB = 0x09;
const SPACE = 0x20;

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

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Puts the blob id of every table entry that git tracks (stage 0, not a submodule) into the
 * table's blob column and returns a flag per entry: 1 where git tracks it. `listing` is the output
 * of `git ls-files -s -z` run in the dataset root; `joinedPaths` the table's on-disk paths joined
 * by NUL, in table order. Records that do not parse, and paths out of step (a name that is not NFC
 * on disk), are skipped: an entry git does not vouch for is just hashed.
 */
export function joinIndexListing(listing: Buffer, table: EntryTable, joinedPaths: string): Uint8Array {
  const n = table.count;
  const tracked = new Uint8Array(n);
  const paths = Buffer.from(joinedPaths, 'utf8');
  const starts = pathOffsets(paths, n);
  let i = 0;
  for (let at = 0; at < listing.length && i < n;) {
    const end = listing.indexOf(0, at);
    const recordEnd = end === -1 ? listing.length : end;
    const next = recordEnd + 1;
    // `<mode> <blob> <stage>\t<path>`
    const tab = listing.indexOf(TAB, at);
    const firstSpace = listing.indexOf(SPACE, at);
    const secondSpace = firstSpace === -1 ? -1 : listing.indexOf(SPACE, firstSpace + 1);
    if (tab === -1 || tab > recordEnd || firstSpace === -1 || secondSpace === -1 || secondSpace > tab) {
      at = next;
      continue;
    }
    const submodule = listing.toString('latin1', at, firstSpace) === '160000';
    const stageZero = tab - secondSpace === 2 && listing[secondSpace + 1] === 0x30;
    // Advance the table to this path (`order` > 0: git's path sorts after the table's).
    let order = 1;
    while (i < n) {
      order = listing.compare(paths, starts[i] as number, (starts[i + 1] as number) - 1, tab + 1, recordEnd);
      if (order <= 0) break;
      i++;
    }
    if (order === 0 && stageZero && !submodule) {
      const hexStart = firstSpace + 1;
      const width = (secondSpace - hexStart) / 2;
      if (width === 20 || width === 32) {
        if (table.blobWidth === 0) table.useBlobWidth(width);
        if (width === table.blobWidth && decodeHex(listing, hexStart, table.blobIds, i * width, width)) {
          tracked[i] = 1;
        }
      }
    }
    at = next;
  }
  return tracked;
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
