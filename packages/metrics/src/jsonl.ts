/**
 * Streaming JSON Lines reader: one JSON object per line, read in 1 MiB blocks. Each line is parsed on
 * its own and dropped after its fields are delivered, so memory holds columns, never rows.
 */

import { open } from 'node:fs/promises';
import { PredictionsFileError } from './errors.ts';
import { FileWindow } from './file-window.ts';
import { missingColumns } from './csv.ts';
import type { ColumnSink } from './sinks.ts';

const LF = 10;
const decoder = new TextDecoder();

/** Read a JSON Lines file into `sinks` (keyed by property name). Returns the number of rows. */
export async function readJsonLines(file: string, sinks: Map<string, ColumnSink>): Promise<number> {
  const handle = await open(file, 'r');
  const entries = [...sinks.entries()];
  try {
    const window = await FileWindow.of(handle);
    let rows = 0;
    let reserved = false;
    while (!window.done) {
      await window.refill();
      const { bytes, end, eof } = window;
      let start = window.start;
      for (;;) {
        let lineEnd = bytes.indexOf(LF, start);
        if (lineEnd === -1 || lineEnd >= end) {
          if (!eof || start >= end) break;
          lineEnd = end;
        }
        const text = decoder.decode(bytes.subarray(start, lineEnd)).trim();
        start = Math.min(lineEnd + 1, end);
        if (text === '') continue;
        rows++;
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch (error) {
          throw new PredictionsFileError(
            'MALFORMED_FILE',
            `${file}: row ${rows} is not valid JSON (${(error as Error).message}).`,
            'Each line of a JSON Lines file must be one complete JSON object.',
            { file, row: rows },
          );
        }
        if (typeof record !== 'object' || record === null || Array.isArray(record)) {
          throw new PredictionsFileError(
            'MALFORMED_FILE',
            `${file}: row ${rows} is not a JSON object.`,
            'Each line of a JSON Lines file must be an object such as {"label": 1, "score": 0.8}.',
            { file, row: rows },
          );
        }
        const object = record as Record<string, unknown>;
        if (rows === 1) {
          const missing = entries.map(([name]) => name).filter((name) => !(name in object));
          if (missing.length > 0) throw missingColumns(file, missing, Object.keys(object));
        }
        for (const [name, sink] of entries) sink.pushValue(object[name], rows);
      }
      window.start = start;
      if (!reserved && rows > 0) {
        reserved = true;
        window.reserveColumns(sinks.values(), rows);
      }
    }
    return rows;
  } finally {
    await handle.close();
  }
}
