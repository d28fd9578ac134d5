/**
 * Streaming files: an atomic writer that buffers text in ~1 MiB chunks (and takes binary columns
 * as they are) and renames a finished temporary file over the target (readers and a cancelled step
 * never see half a file), and a line reader that holds one chunk at a time. Manifests and caches of
 * a million files stay out of memory.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Writes a file in chunks; {@link commit} makes it appear atomically. */
export class AtomicFileWriter {
  private readonly temp: string;
  private readonly fd: number;
  private pending = '';
  private closed = false;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    this.fd = openSync(this.temp, 'w');
  }

  /** Appends text. */
  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 20) this.flush();
  }

  /** Appends bytes (after any text written before). */
  writeBytes(bytes: ArrayBufferView): void {
    this.flush();
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < view.length;) at += writeSync(this.fd, view, at, view.length - at);
  }

  private flush(): void {
    if (this.pending) writeSync(this.fd, this.pending);
    this.pending = '';
  }

  /** Flushes, syncs and renames the file into place. */
  commit(): void {
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      this.close();
    }
    renameSync(this.temp, this.file);
  }

  /** Drops the temporary file (after a failure). */
  abort(): void {
    this.close();
    rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Calls `onLine` for each line of a UTF-8 file (without the LF), reading 4 MiB at a time. */
export function forEachLine(file: string, onLine: (line: string, index: number) => void): void {
  const fd = openSync(file, 'r');
  let buffer = Buffer.allocUnsafe(4 << 20);
  let carry = 0; // bytes of an unfinished line kept at the start of the buffer
  let index = 0;
  try {
    for (;;) {
      if (carry === buffer.length) {
        // A line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carry);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, carry, buffer.length - carry, null);
      const end = carry + n;
      let start = 0;
      for (let lf = buffer.indexOf(10, start); lf !== -1 && lf < end; lf = buffer.indexOf(10, start)) {
        onLine(buffer.toString('utf8', start, lf), index++);
        start = lf + 1;
      }
      if (n === 0) {
        if (end > start) onLine(buffer.toString('utf8', start, end), index);
        break;
      }
      buffer.copy(buffer, 0, start, end);
      carry = end - start;
    }
  } finally {
    closeSync(fd);
  }
}
