/**
 * Parquet reader on hyparquet (pure JavaScript): the footer is read first, then one row group at a
 * time, only the requested columns, so memory holds one row group's pages plus the output columns.
 */

import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { PredictionsFileError } from './errors.ts';
import { missingColumns } from './csv.ts';
import type { ColumnSink } from './sinks.ts';

/** Read the requested columns of a Parquet file into `sinks`. Returns the number of rows. */
export async function readParquet(file: string, sinks: Map<string, ColumnSink>): Promise<number> {
  const buffer = await asyncBufferFromFile(file);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new PredictionsFileError(
      'MALFORMED_FILE',
      `${file}: not a readable Parquet file (${(error as Error).message}).`,
      'Check that the file is complete Parquet, or give its real format with the `format` option.',
      { file },
    );
  }
  const available = parquetSchema(metadata).children.map((child) => child.element.name);
  const names = [...sinks.keys()];
  const missing = names.filter((name) => !available.includes(name));
  if (missing.length > 0) throw missingColumns(file, missing, available);
  const rows = Number(metadata.num_rows);
  for (const sink of sinks.values()) sink.reserve(rows);
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    if (groupRows === 0) continue;
    // Column chunks may arrive in any order; keep each column's chunks and deliver them in row order.
    const pending = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    await parquetRead({
      file: buffer,
      metadata,
      columns: names,
      rowStart: groupStart,
      rowEnd: groupStart + groupRows,
      compressors,
      onChunk: (chunk) => {
        const list = pending.get(chunk.columnName) ?? [];
        list.push({ rowStart: chunk.rowStart, data: chunk.columnData });
        pending.set(chunk.columnName, list);
      },
    });
    for (const name of names) {
      const sink = sinks.get(name)!;
      const chunks = (pending.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart);
      let delivered = 0;
      for (const { rowStart, data } of chunks) {
        for (let i = 0; i < data.length; i++) sink.pushValue(data[i], rowStart + i + 1);
        delivered += data.length;
      }
      if (delivered !== groupRows) {
        throw new PredictionsFileError(
          'MALFORMED_FILE',
          `${file}: column "${name}" has ${delivered} values in a row group of ${groupRows} rows.`,
          'Columns must be flat (not nested) and every row group complete.',
          { file, column: name },
        );
      }
    }
    groupStart += groupRows;
  }
  return rows;
}
