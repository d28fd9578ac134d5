/**
 * The dataset's entries in columns (typed arrays and one array of path strings) rather than one
 * object per file: a million files cost about 150 MB instead of several hundred, and no file content
 * is ever held.
 */
import type { ByteWriter } from './bytes.ts';
import { Flag, SLOT } from './hash-file.ts';

const OID_PREFIX = Buffer.from('sha256:', 'latin1');

/** Entries of a dataset, index-aligned, sorted by code point of `paths`. */
export class EntryTable {
  /** Number of entries. */
  readonly count: number;
  /** On-disk (size, mtimeMs, inode) per entry: the same-machine cache key. */
  readonly stats: Float64Array;
  /** Content size per entry. */
  readonly sizes: Float64Array;
  /** Digest per entry, {@link SLOT} bytes each. */
  readonly digests: Uint8Array;
  /** {@link Flag} bits per entry. */
  readonly flags: Uint8Array;
  /**
   * Git blob id per entry, {@link blobWidth} bytes each (20 for SHA-1 repositories, 32 for
   * SHA-256 ones); all zero where unknown. Empty until the first blob id is set.
   */
  blobIds: Uint8Array = new Uint8Array(0);
  /** Bytes per blob id in {@link blobIds} (0: none set). */
  blobWidth = 0;
  /** The digests as a Buffer (same memory), for hex conversion without a copy. */
  readonly digestView: Buffer;
  /** LFS oid by entry index. */
  readonly lfsOids = new Map<number, string>();
  /** Symlink target by entry index. */
  readonly targets = new Map<number, string>();

  constructor(
    /** NFC paths relative to the root, sorted by code point. */
    readonly paths: string[],
    /** Digest length of the algorithm (32, or 16 for md5). */
    readonly digestLength: number,
  ) {
    this.count = paths.length;
    this.stats = new Float64Array(this.count * 3).fill(Number.NaN);
    this.sizes = new Float64Array(this.count);
    this.digests = new Uint8Array(this.count * SLOT);
    this.digestView = Buffer.from(this.digests.buffer, this.digests.byteOffset, this.digests.byteLength);
    this.flags = new Uint8Array(this.count);
  }

  /** Whether the blob id of entry `i` is known. */
  hasBlob(i: number): boolean {
    const w = this.blobWidth;
    return w > 0 && !isZeroRange(this.blobIds, i * w, w);
  }

  /** The git blob id of entry `i` (hex), if known. */
  blob(i: number): string | undefined {
    if (!this.hasBlob(i)) return undefined;
    const w = this.blobWidth;
    return Buffer.from(this.blobIds.buffer, this.blobIds.byteOffset + i * w, w).toString('hex');
  }

  /** Records the git blob id (hex) of entry `i`; ids of another width than the first are ignored. */
  setBlob(i: number, hex: string): void {
    const width = hex.length / 2;
    if (this.blobWidth === 0) {
      if (width !== 20 && width !== 32) return;
      this.useBlobWidth(width);
    }
    if (width !== this.blobWidth) return;
    Buffer.from(this.blobIds.buffer, this.blobIds.byteOffset).write(hex, i * width, width, 'hex');
  }

  /** Forgets the blob id of entry `i`. */
  clearBlob(i: number): void {
    if (this.blobWidth > 0) this.blobIds.fill(0, i * this.blobWidth, (i + 1) * this.blobWidth);
  }

  /** Allocates the blob id column with `width` bytes per entry (when none is set yet). */
  useBlobWidth(width: number): void {
    if (this.blobWidth !== 0) return;
    this.blobWidth = width;
    this.blobIds = new Uint8Array(this.count * width);
  }

  /** The entry's hash token as the manifest and listing write it. */
  /** Writes entry `i`'s {@link token} as bytes, from the digest column. */
  writeToken(out: ByteWriter, i: number): void {
    if (((this.flags[i] as number) & Flag.OidToken) !== 0) {
      out.bytes(OID_PREFIX, 0, OID_PREFIX.length);
      out.hex(this.digests, i * SLOT, 32);
    } else out.hex(this.digests, i * SLOT, this.digestLength);
  }

  token(i: number): string {
    const oid = ((this.flags[i] as number) & Flag.OidToken) !== 0;
    const hex = this.digestView.toString('hex', i * SLOT, i * SLOT + (oid ? 32 : this.digestLength));
    return oid ? `sha256:${hex}` : hex;
  }

  /** Total content bytes. */
  totalBytes(): number {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.sizes[i] as number;
    return sum;
  }
}

/** Whether `length` bytes from `start` are all zero (an unknown blob id in a column). */
export function isZeroRange(bytes: Uint8Array, start: number, length: number): boolean {
  for (let k = start; k < start + length; k++) if (bytes[k] !== 0) return false;
  return true;
}
