/**
 * Interns categorical values straight from file bytes: a value seen before costs one hash and one
 * byte comparison, and no string is created for it. Only new values are decoded to text.
 */

const EMPTY = -1;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Maps distinct byte strings (UTF-8 text) to dense codes 0, 1, 2, … in order of first appearance. */
export class ByteDictionary {
  /** The distinct values, indexed by code. */
  readonly categories: string[] = [];
  private readonly byText = new Map<string, number>();
  private readonly singleByte = new Int32Array(256).fill(EMPTY);
  private slots = new Int32Array(1024).fill(EMPTY);
  private hashes: Int32Array = new Int32Array(256);
  private keyStart: Int32Array = new Int32Array(256);
  private keyLength: Int32Array = new Int32Array(256);
  private arena = new Uint8Array(4096);
  private arenaUsed = 0;

  /** Number of distinct values. */
  get size(): number {
    return this.categories.length;
  }

  /** Code of the value spelled by `bytes[start, end)`, adding it when new. */
  internBytes(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 1) {
      const code = this.singleByte[bytes[start]!]!;
      if (code !== EMPTY) return code;
    }
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const code = this.slots[slot]!;
      if (code === EMPTY) break;
      if (
        this.hashes[code] === hash &&
        this.keyLength[code] === length &&
        this.sameBytes(code, bytes, start)
      ) {
        return code;
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(bytes, start, end, hash, slot);
  }

  /** Code of `text`, adding it when new. */
  internText(text: string): number {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const bytes = encoder.encode(text);
    return this.internBytes(bytes, 0, bytes.length);
  }

  private sameBytes(code: number, bytes: Uint8Array, start: number): boolean {
    const offset = this.keyStart[code]!;
    const length = this.keyLength[code]!;
    for (let i = 0; i < length; i++) if (this.arena[offset + i] !== bytes[start + i]) return false;
    return true;
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const code = this.categories.length;
    const length = end - start;
    if (code === this.hashes.length) {
      this.hashes = grow(this.hashes, code * 2);
      this.keyStart = grow(this.keyStart, code * 2);
      this.keyLength = grow(this.keyLength, code * 2);
    }
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.keyStart[code] = this.arenaUsed;
    this.keyLength[code] = length;
    this.hashes[code] = hash;
    this.arenaUsed += length;
    this.slots[slot] = code;
    const text = decoder.decode(bytes.subarray(start, end));
    this.categories.push(text);
    this.byText.set(text, code);
    if (length === 1) this.singleByte[bytes[start]!] = code;
    if ((code + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let code = 0; code < this.categories.length; code++) {
      let slot = this.hashes[code]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
  }
}

function grow(values: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(values);
  return next;
}
