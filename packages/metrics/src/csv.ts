/**
 * Streaming RFC 4180 CSV reader: a header line, comma-separated fields, optional double quotes with
 * `""` escapes and embedded delimiters or line breaks, LF or CRLF line ends. The file is read in
 * 1 MiB blocks; fields go straight from the block's bytes into column sinks.
 */

import { open } from 'node:fs/promises';
import { PredictionsFileError } from './errors.ts';
import type { ColumnSink } from './sinks.ts';
import { FileWindow } from './file-window.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const decoder = new TextDecoder();

/** Options of {@link readCsv}. */
export interface CsvOptions {
  /** Field delimiter, one ASCII character. Default `,`. */
  delimiter?: string;
}

/** Field boundaries of one record, filled by the scanner before any field is delivered. */
interface RecordFields {
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** 0: plain, 1: quoted, 2: quoted with `""` escapes. */
  quoting: Uint8Array;
}

const INCOMPLETE = -1;

/**
 * Scan one record starting at `pos`. Returns the position after its line end, or INCOMPLETE when the
 * block ends first (and `final` is false). Throws on a stray quote.
 */
function scanRecord(
  bytes: Uint8Array,
  pos: number,
  end: number,
  final: boolean,
  delimiter: number,
  fields: RecordFields,
  file: string,
  row: number,
): number {
  fields.count = 0;
  for (;;) {
    if (fields.count === fields.start.length) {
      const size = fields.start.length * 2;
      const start = new Int32Array(size);
      const stop = new Int32Array(size);
      const quoting = new Uint8Array(size);
      start.set(fields.start);
      stop.set(fields.end);
      quoting.set(fields.quoting);
      fields.start = start;
      fields.end = stop;
      fields.quoting = quoting;
    }
    const index = fields.count++;
    if (pos < end && bytes[pos] === QUOTE) {
      let p = pos + 1;
      let escaped = false;
      for (;;) {
        while (p < end && bytes[p] !== QUOTE) p++;
        if (p >= end) {
          if (!final) return INCOMPLETE;
          throw new PredictionsFileError(
            'MALFORMED_FILE',
            `${file}: a quoted field opened at row ${row} is never closed.`,
            'Close the quote or escape quotes inside fields as "" (RFC 4180).',
            { file, row },
          );
        }
        if (p + 1 < end && bytes[p + 1] === QUOTE) {
          escaped = true;
          p += 2;
          continue;
        }
        if (p + 1 >= end && !final) return INCOMPLETE;
        break;
      }
      fields.start[index] = pos + 1;
      fields.end[index] = p;
      fields.quoting[index] = escaped ? 2 : 1;
      pos = p + 1;
      if (pos < end && bytes[pos] !== delimiter && bytes[pos] !== LF && bytes[pos] !== CR) {
        throw new PredictionsFileError(
          'MALFORMED_FILE',
          `${file}: unexpected text after a closing quote at row ${row}.`,
          'A quoted field must be followed by the delimiter or the end of the line (RFC 4180).',
          { file, row },
        );
      }
    } else {
      let p = pos;
      while (p < end) {
        const c = bytes[p]!;
        if (c === delimiter || c === LF || c === CR) break;
        p++;
      }
      fields.start[index] = pos;
      fields.end[index] = p;
      fields.quoting[index] = 0;
      pos = p;
    }
    if (pos >= end) {
      if (!final) return INCOMPLETE;
      return pos;
    }
    const c = bytes[pos]!;
    if (c === delimiter) {
      pos++;
      continue;
    }
    if (c === CR) {
      if (pos + 1 >= end && !final) return INCOMPLETE;
      return pos + 1 < end && bytes[pos + 1] === LF ? pos + 2 : pos + 1;
    }
    return pos + 1;
  }
}

function fieldText(bytes: Uint8Array, fields: RecordFields, index: number): string {
  const text = decoder.decode(bytes.subarray(fields.start[index], fields.end[index]));
  return fields.quoting[index] === 2 ? text.replaceAll('""', '"') : text;
}

/**
 * Read a CSV file into `sinks` (keyed by header name). Columns not asked for are skipped without
 * being decoded. Returns the number of data rows. Blank lines are skipped, as pandas does.
 */
export async function readCsv(
  file: string,
  sinks: Map<string, ColumnSink>,
  options: CsvOptions = {},
): Promise<number> {
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const handle = await open(file, 'r');
  try {
    const window = await FileWindow.of(handle);
    let header: (ColumnSink | null)[] | undefined;
    let headerNames: string[] = [];
    const fields: RecordFields = {
      count: 0,
      start: new Int32Array(64),
      end: new Int32Array(64),
      quoting: new Uint8Array(64),
    };
    let rows = 0;
    let reserved = false;
    while (!window.done) {
      await window.refill();
      const { bytes, end, eof } = window;
      let start = window.start;
      for (;;) {
        if (start >= end) break;
        const next = scanRecord(bytes, start, end, eof, delimiter, fields, file, rows + 1);
        if (next === INCOMPLETE) break;
        const blank = fields.count === 1 && fields.quoting[0] === 0 && fields.start[0] === fields.end[0];
        if (!header) {
          if (fields.count === 1 && fields.start[0] === fields.end[0] && fields.quoting[0] === 0) {
            start = next;
            continue;
          }
          headerNames = [];
          for (let i = 0; i < fields.count; i++)
            headerNames.push(fieldText(bytes, fields, i).replace(/^\uFEFF/, ''));
          header = headerNames.map((name) => sinks.get(name) ?? null);
          const missing = [...sinks.keys()].filter((name) => !headerNames.includes(name));
          if (missing.length > 0) throw missingColumns(file, missing, headerNames);
          start = next;
          continue;
        }
        if (blank) {
          start = next;
          continue;
        }
        rows++;
        if (fields.count !== header.length) {
          throw new PredictionsFileError(
            'MALFORMED_FILE',
            `${file}: row ${rows} has ${fields.count} fields but the header has ${header.length}.`,
            'Every line must have one field per header column; quote fields that contain the delimiter.',
            { file, row: rows },
          );
        }
        for (let i = 0; i < fields.count; i++) {
          const sink = header[i];
          if (!sink) continue;
          if (fields.quoting[i] === 2) sink.pushValue(fieldText(bytes, fields, i), rows);
          else sink.pushBytes(bytes, fields.start[i]!, fields.end[i]!, rows);
        }
        start = next;
      }
      window.start = start;
      if (!reserved && header && rows > 0) {
        reserved = true;
        window.reserveColumns(sinks.values(), rows);
      }
    }
    if (!header) throw missingColumns(file, [...sinks.keys()], []);
    return rows;
  } finally {
    await handle.close();
  }
}

function missingColumns(file: string, missing: string[], available: string[]): PredictionsFileError {
  return new PredictionsFileError(
    'MISSING_COLUMN',
    `${file}: column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} not found` +
      ` (the header has ${available.length > 0 ? available.map((name) => `"${name}"`).join(', ') : 'no columns'}).`,
    'Fix the column names in the options, or the header of the file.',
    { file, column: missing[0] },
  );
}

export { missingColumns };
