/**
 * `sliceMetrics`: every metric overall, per value of each slice column, and per combination of
 * crossed slice columns (TFMA's slicing), skipping slices below a minimum size.
 */

import { classificationMetrics, type ClassificationReport } from './classification.ts';
import { MetricsOptionsError } from './errors.ts';
import type { ClassificationOptions } from './problem.ts';
import { regressionMetrics, type RegressionReport } from './regression.ts';
import { selectRows, type PredictionTable } from './table.ts';

/** Which slices to evaluate. */
export interface SliceOptions extends ClassificationOptions {
  /** Slice columns evaluated one at a time. Default: every group column of the table. */
  by?: string[];
  /** Column combinations evaluated jointly, e.g. `[["region", "device"]]`. */
  crossed?: string[][];
  /** Slices with fewer rows are listed but not evaluated (TFMA's `min_slice_size`). Default 1. */
  minSize?: number;
}

/** Metrics of one slice. */
export interface SliceResult {
  /** Column → value defining the slice. */
  slice: Record<string, string>;
  /** Stable text key, e.g. `region=eu` or `region=eu&device=ios`. */
  key: string;
  rows: number;
  /** Why the slice was not evaluated (too small). */
  skipped: string | null;
  report: ClassificationReport | RegressionReport | null;
}

/** Result of {@link sliceMetrics}. */
export interface SliceReport {
  overall: ClassificationReport | RegressionReport;
  minSize: number;
  slices: SliceResult[];
}

function reportFor(
  table: PredictionTable,
  options: ClassificationOptions,
): ClassificationReport | RegressionReport {
  return table.task === 'regression' ? regressionMetrics(table) : classificationMetrics(table, options);
}

/** Compute the metrics of the whole table and of each slice. */
export function sliceMetrics(table: PredictionTable, options: SliceOptions = {}): SliceReport {
  const minSize = options.minSize ?? 1;
  const combos: string[][] = [
    ...(options.by ?? Object.keys(table.groups)).map((name) => [name]),
    ...(options.crossed ?? []),
  ];
  const slices: SliceResult[] = [];
  for (const combo of combos) {
    const columns = combo.map((name) => {
      const column = table.groups[name];
      if (!column) {
        throw new MetricsOptionsError(
          `Slice column "${name}" was not read.`,
          'List it under `groups` when reading the predictions.',
        );
      }
      return column;
    });
    // Composite code per row (mixed radix over the columns' dictionaries), then a counting sort into
    // one row list per slice.
    const radix = columns.reduce((product, column) => product * Math.max(1, column.categories.length), 1);
    if (radix > Number.MAX_SAFE_INTEGER) {
      throw new MetricsOptionsError(
        `Too many combinations of ${combo.join(' × ')} to slice by.`,
        'Cross fewer or coarser columns.',
      );
    }
    const keyOf = new Map<number, number>();
    const members: number[][] = [];
    const sliceOfRow = new Int32Array(table.rows);
    for (let i = 0; i < table.rows; i++) {
      let key = 0;
      for (const column of columns) key = key * column.categories.length + column.codes[i]!;
      let slice = keyOf.get(key);
      if (slice === undefined) {
        slice = members.length;
        keyOf.set(key, slice);
        members.push(columns.map((column) => column.codes[i]!));
      }
      sliceOfRow[i] = slice;
    }
    const sizes = new Int32Array(members.length);
    for (let i = 0; i < table.rows; i++) sizes[sliceOfRow[i]!]!++;
    const order = members
      .map((codes, slice) => ({ slice, values: codes.map((code, c) => columns[c]!.categories[code]!) }))
      .sort((a, b) => {
        for (let c = 0; c < a.values.length; c++) {
          const diff = a.values[c]! < b.values[c]! ? -1 : a.values[c]! > b.values[c]! ? 1 : 0;
          if (diff !== 0) return diff;
        }
        return 0;
      });
    const rowsOf = members.map((_, slice) => new Int32Array(sizes[slice]!));
    const filled = new Int32Array(members.length);
    for (let i = 0; i < table.rows; i++) {
      const slice = sliceOfRow[i]!;
      rowsOf[slice]![filled[slice]!++] = i;
    }
    for (const { slice, values } of order) {
      const definition: Record<string, string> = {};
      combo.forEach((name, c) => (definition[name] = values[c]!));
      const key = combo.map((name, c) => `${name}=${values[c]}`).join('&');
      const rows = sizes[slice]!;
      if (rows < minSize) {
        slices.push({
          slice: definition,
          key,
          rows,
          skipped: `${rows} rows, below the minimum slice size ${minSize}`,
          report: null,
        });
        continue;
      }
      slices.push({
        slice: definition,
        key,
        rows,
        skipped: null,
        report: reportFor(selectRows(table, rowsOf[slice]!), options),
      });
    }
  }
  return { overall: reportFor(table, options), minSize, slices };
}
