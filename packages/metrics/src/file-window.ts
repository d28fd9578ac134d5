/**
 * The read buffer the streaming text readers (CSV, JSON Lines) share: a window over a file read in
 * 1 MiB blocks, where the unread tail moves to the front before the next block and the buffer
 * doubles only when one record does not fit.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ColumnSink } from './sinks.ts';

const BLOCK = 1 << 20;

/** A window of unread bytes `[start, end)` of a file. */
export class FileWindow {
  /** The buffer; replaced when it grows. */
  bytes: Uint8Array;
  /** First unread byte. */
  start = 0;
  /** End of the bytes read. */
  end = 0;
  /** True once the file has no more bytes. */
  eof = false;
  /** Bytes before `bytes[0]` that were read and dropped. */
  private consumed = 0;

  constructor(
    private readonly handle: FileHandle,
    /** The file's size, for the buffer and the column estimate. */
    readonly size: number,
  ) {
    this.bytes = new Uint8Array(Math.min(BLOCK * 2, Math.max(size + 1, 1024)));
  }

  /** Opens a window on an open file. */
  static async of(handle: FileHandle): Promise<FileWindow> {
    return new FileWindow(handle, (await handle.stat()).size);
  }

  /** True when everything read has been consumed and the file is at its end. */
  get done(): boolean {
    return this.eof && this.start >= this.end;
  }

  /** Moves the unread bytes to the front (growing the buffer when full) and reads the next block. */
  async refill(): Promise<void> {
    if (this.eof) return;
    if (this.start > 0) {
      this.bytes.copyWithin(0, this.start, this.end);
      this.consumed += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.bytes.length) {
      const larger = new Uint8Array(this.bytes.length * 2);
      larger.set(this.bytes.subarray(0, this.end));
      this.bytes = larger;
    }
    const { bytesRead } = await this.handle.read(this.bytes, this.end, this.bytes.length - this.end, null);
    if (bytesRead === 0) this.eof = true;
    this.end += bytesRead;
  }

  /**
   * Sizes the column buffers once from the bytes per row seen so far, so they are not regrown while
   * the rest of the file is read.
   */
  reserveColumns(sinks: Iterable<ColumnSink>, rows: number): void {
    const estimate = Math.ceil((this.size / Math.max(1, this.consumed + this.start)) * rows * 1.02) + 1024;
    for (const sink of sinks) sink.reserve(estimate);
  }
}
