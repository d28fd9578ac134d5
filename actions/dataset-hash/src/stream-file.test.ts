import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileWriter, forEachLine } from './stream-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forEachLine', () => {
  it('yields every line, across 4 MiB chunks, longer than a chunk, and a last line without LF', () => {
    const lines = [
      'α first',
      'x'.repeat(5 << 20),
      ...Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'y'.repeat(i % 90)}`),
      'last',
    ];
    const file = path.join(dir, 'lines.txt');
    writeFileSync(file, lines.join('\n'));
    const seen: string[] = [];
    forEachLine(file, (line, index) => {
      expect(index).toBe(seen.length);
      seen.push(line);
    });
    expect(seen.length).toBe(lines.length);
    expect(seen).toEqual(lines);
  });
});

describe('AtomicFileWriter', () => {
  it('shows the file only once committed, and leaves nothing when aborted', () => {
    const file = path.join(dir, 'out', 'doc.json');
    const writer = new AtomicFileWriter(file);
    writer.write('{"a":');
    expect(existsSync(file)).toBe(false);
    writer.write('1}\n');
    writer.commit();
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    const failed = new AtomicFileWriter(file);
    failed.write('half');
    failed.abort();
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(path.dirname(file))).toEqual(['doc.json']);
  });

  it('writes text and binary columns in the order given', () => {
    const file = path.join(dir, 'mixed.bin');
    const writer = new AtomicFileWriter(file);
    writer.write('head\n');
    writer.writeBytes(new Float64Array([1.5, -2]));
    writer.write('tail');
    writer.writeBytes(new Uint8Array([7, 8, 9]).subarray(1));
    writer.commit();
    const bytes = readFileSync(file);
    expect(bytes.toString('latin1', 0, 5)).toBe('head\n');
    expect(
      Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset + 5, bytes.byteOffset + 21))),
    ).toEqual([1.5, -2]);
    expect(bytes.toString('latin1', 21, 25)).toBe('tail');
    expect(Array.from(bytes.subarray(25))).toEqual([8, 9]);
  });
});
