/**
 * Byte-level helpers for the dataset's paths as UTF-8 joined by NUL, the form the cache stores,
 * git lists and the hashing threads read: loops in JavaScript, with no native call per path.
 */

/**
 * Where each of the `count` NUL-separated items of `bytes` starts, plus one more entry: one past
 * the end (as if a NUL followed the last item).
 */
export function nulSeparatedStarts(bytes: Uint8Array, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  starts[count] = bytes.length + 1;
  return starts;
}

/** Compares `a[aStart, aEnd)` with `b[bStart, bEnd)` by bytes (negative, 0 or positive). */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = (a[aStart + k] as number) - (b[bStart + k] as number);
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}
