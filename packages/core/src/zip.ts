/**
 * A small, strict zip reader for artifacts: reads the central directory first and refuses the whole
 * archive when any entry would land outside the target folder (zip-slip), so nothing is written
 * for a malicious archive. Handles the two methods artifact zips use: stored and deflate.
 */
import { open, mkdir, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { UserError } from './errors.ts';
import { isInside } from './safe-path.ts';

/** One entry of a zip archive. */
export interface ZipEntry {
  /** Name as stored (POSIX separators). */
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  localHeaderOffset: number;
  /** True for folders (name ends with `/`). */
  directory: boolean;
  /** True when the entry is a symbolic link (Unix mode in the external attributes). */
  symlink: boolean;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function corrupt(file: string, why: string): UserError {
  return new UserError(`The archive '${file}' is not a valid zip file (${why}).`, {
    file,
    fix: 'Re-upload the artifact; it may have been truncated or is not a zip.',
  });
}

/** Lists the entries of a zip file from its central directory. */
export async function readZipEntries(file: string): Promise<ZipEntry[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = await readAt(handle, size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw corrupt(file, 'no end of central directory');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) {
      // Zip64: the locator sits right before the EOCD record.
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw corrupt(file, 'bad zip64 locator');
      const zip64Offset = Number(tail.readBigUInt64LE(locator + 8));
      const record = await readAt(handle, zip64Offset, 56);
      if (record.readUInt32LE(0) !== 0x06064b50) throw corrupt(file, 'bad zip64 record');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    const cd = await readAt(handle, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw corrupt(file, 'bad central directory entry');
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const external = cd.readUInt32LE(p + 38);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      // Zip64 extended information: sizes/offset that overflowed 32 bits, in this order.
      let q = p + 46 + nameLength;
      const extraEnd = q + extraLength;
      while (q + 4 <= extraEnd) {
        const id = cd.readUInt16LE(q);
        const len = cd.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          if (uncompressed === 0xffffffff) {
            uncompressed = Number(cd.readBigUInt64LE(r));
            r += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(cd.readBigUInt64LE(r));
            r += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(r));
        }
        q += 4 + len;
      }
      const unixMode = external >>> 16;
      entries.push({
        name,
        method,
        compressedSize,
        size: uncompressed,
        localHeaderOffset,
        directory: name.endsWith('/'),
        symlink: (unixMode & 0o170000) === 0o120000,
      });
      p = extraEnd + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Options of {@link extractZip}. */
export interface ExtractZipOptions {
  /** Where the archive came from, for messages (e.g. `artifact 'dataset-manifest-x'`). */
  source?: string;
}

/**
 * Extracts a zip into `destination` after checking every entry name: absolute paths, `..`
 * segments and symbolic links are refused before anything is written. Returns the file names.
 */
export async function extractZip(
  file: string,
  destination: string,
  options: ExtractZipOptions = {},
): Promise<string[]> {
  const entries = await readZipEntries(file);
  const source = options.source ?? `archive '${path.basename(file)}'`;
  for (const entry of entries) {
    if (!isInside(destination, entry.name) || entry.name.split(/[\\/]/).includes('..')) {
      throw new UserError(
        `${source} holds the entry '${entry.name}', which escapes the target folder; nothing was extracted.`,
        {
          file,
          fix: 'Do not use this artifact: it was not produced by modelops-actions. Re-run the workflow that publishes it.',
        },
      );
    }
    if (entry.symlink) {
      throw new UserError(`${source} holds a symbolic link '${entry.name}'; nothing was extracted.`, {
        file,
        fix: 'Artifacts read by modelops-actions hold plain files only; re-publish it without links.',
      });
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw corrupt(file, `entry '${entry.name}' uses compression method ${entry.method}`);
    }
  }
  await mkdir(destination, { recursive: true });
  const handle = await open(file, 'r');
  const names: string[] = [];
  try {
    for (const entry of entries) {
      const target = path.resolve(destination, entry.name);
      if (entry.directory) {
        await mkdir(target, { recursive: true });
        continue;
      }
      const header = await readAt(handle, entry.localHeaderOffset, 30);
      if (header.readUInt32LE(0) !== 0x04034b50) throw corrupt(file, `bad local header for '${entry.name}'`);
      const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const compressed = await readAt(handle, dataStart, entry.compressedSize);
      const data = entry.method === 8 ? inflateRawSync(compressed) : compressed;
      if (data.length !== entry.size) throw corrupt(file, `size mismatch for '${entry.name}'`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
      names.push(entry.name);
    }
  } finally {
    await handle.close();
  }
  return names.sort();
}
