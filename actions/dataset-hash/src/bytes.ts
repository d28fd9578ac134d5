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

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The value of each lowercase hex digit by byte (what git and the manifests write), -1 for any other. */
const HEX_VALUE = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let d = 0; d < 16; d++) table[HEX_DIGITS[d] as number] = d;
  return table;
})();

/**
 * Decodes `bytes` bytes written as lowercase hex at `from[start…]` into `into[at…]`; false (the
 * target range zeroed) when a character is not a lowercase hex digit.
 */
export function decodeHex(
  from: Uint8Array,
  start: number,
  into: Uint8Array,
  at: number,
  bytes: number,
): boolean {
  for (let k = 0; k < bytes; k++) {
    const hi = HEX_VALUE[from[start + 2 * k] as number] as number;
    const lo = HEX_VALUE[from[start + 2 * k + 1] as number] as number;
    if (hi < 0 || lo < 0) {
      into.fill(0, at, at + bytes);
      return false;
    }
    into[at + k] = (hi << 4) | lo;
  }
  return true;
}

/**
 * Builds text out of bytes in one reused buffer and hands each full buffer to `sink` (a digest's
 * update, a file write), which must consume it before returning. Lines of a listing or a manifest
 * are written from the table's columns as they are — digests as hex, paths as their UTF-8 bytes —
 * so no string is made per entry.
 */
export class ByteWriter {
  private length = 0;

  constructor(
    private readonly sink: (chunk: Uint8Array) => void,
    /**
     * The buffer to build in (a longer single write replaces it); writers used one after the other
     * can share one.
     */
    private buffer: Buffer = Buffer.allocUnsafe(1 << 16),
  ) {}

  /** Appends text as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** Appends one byte. */
  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  /** Appends a non-negative safe integer in decimal (anything else as `String(value)`). */
  decimal(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) return this.text(String(value));
    this.room(16);
    const out = this.buffer;
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    do {
      out[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** Appends `source[start, end)` as they are. */
  bytes(source: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    const out = this.buffer;
    let at = this.length;
    for (let k = start; k < end; k++) out[at++] = source[k] as number;
    this.length = at;
  }

  /** Appends `source[start, start + count)` as lowercase hex. */
  hex(source: Uint8Array, start: number, count: number): void {
    this.room(2 * count);
    const out = this.buffer;
    let at = this.length;
    for (let k = start, last = start + count; k < last; k++) {
      const byte = source[k] as number;
      out[at++] = HEX_DIGITS[byte >> 4] as number;
      out[at++] = HEX_DIGITS[byte & 15] as number;
    }
    this.length = at;
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.length > 0) this.sink(this.buffer.subarray(0, this.length));
    this.length = 0;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }
}
