/**
 * The dataset's entries in columns (typed arrays and one array of path strings) rather than one
 * object per file: a million files cost about 150 MB instead of several hundred, and no file content
 * is ever held.
 */
import { Flag, SLOT } from './hash-file.ts';

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
  /** Git blob id per entry where known (sparse). */
  readonly blobs: (string | undefined)[];
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
    this.blobs = new Array<string | undefined>(this.count);
  }

  /** The entry's hash token as the manifest and listing write it. */
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
