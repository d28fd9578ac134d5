/**
 * Entry points that read files: `readPredictions` (label, scores, weights, ids, groups) and
 * `readFeatures` (columns for drift). The format comes from the file extension or the `format` option.
 */

import { stat } from 'node:fs/promises';
import { ByteDictionary } from './dictionary.ts';
import { MetricsOptionsError, PredictionsFileError } from './errors.ts';
import { readCsv } from './csv.ts';
import { readJsonLines } from './jsonl.ts';
import { readParquet } from './parquet.ts';
import { CategoricalSink, NumericSink, type ColumnSink } from './sinks.ts';
import type {
  CategoricalColumn,
  ClassificationTable,
  Column,
  DataTable,
  NumericColumn,
  PredictionColumns,
  PredictionTable,
  RegressionTable,
} from './table.ts';

/** File formats `readPredictions` and `readFeatures` understand. */
export type FileFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** How to read a file. */
export interface ReadOptions {
  /** Format; by default from the extension (.csv, .tsv, .jsonl/.ndjson, .parquet/.pq). */
  format?: FileFormat;
  /** CSV field delimiter (default `,`; `\t` for .tsv). */
  delimiter?: string;
  /**
   * Every class the model can predict, when the file may not show all of them (sklearn's `labels`).
   * Needed for example to score log loss on a file whose rows are all of one class.
   */
  labels?: (string | number)[];
}

/** One column to read and how to store it. */
export interface ColumnSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Reject negative numbers (weights). */
  nonNegative?: boolean;
  /** Categorical columns given the same dictionary share codes (labels and predicted classes). */
  dictionary?: ByteDictionary;
}

function formatOf(path: string, options: ReadOptions): FileFormat {
  if (options.format) return options.format;
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  throw new PredictionsFileError(
    'UNKNOWN_FORMAT',
    `${path}: cannot tell the file format from its name.`,
    'Name it .csv, .tsv, .jsonl or .parquet, or pass `format` in the read options.',
    { file: path },
  );
}

/** Read the given columns of a CSV, TSV, JSON Lines or Parquet file into a column-oriented table. */
export async function readTable(
  path: string,
  specs: ColumnSpec[],
  options: ReadOptions = {},
): Promise<DataTable> {
  const format = formatOf(path, options);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    throw new PredictionsFileError(
      'FILE_NOT_FOUND',
      `${path}: no such file.`,
      'Check the path (relative paths start at the working directory).',
      { file: path },
    );
  }
  const sinks = new Map<string, ColumnSink>();
  const kinds = new Map<string, ColumnSpec>();
  for (const spec of specs) {
    const known = kinds.get(spec.name);
    if (known) {
      if (known.kind !== spec.kind || known.dictionary !== spec.dictionary) {
        throw new MetricsOptionsError(
          `Column "${spec.name}" is mapped to two roles that need different types.`,
          'Map each role (label, score, predicted, weight, id, groups) to its own column.',
        );
      }
      continue;
    }
    kinds.set(spec.name, spec);
    sinks.set(
      spec.name,
      spec.kind === 'numeric'
        ? new NumericSink(spec.name, path, { nonNegative: spec.nonNegative ?? false })
        : new CategoricalSink(spec.name, path, spec.dictionary),
    );
  }
  let rows: number;
  if (format === 'parquet') rows = await readParquet(path, sinks);
  else if (format === 'jsonl') rows = await readJsonLines(path, sinks);
  else rows = await readCsv(path, sinks, { delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : ',') });
  const columns: Record<string, Column> = {};
  for (const [name, sink] of sinks) columns[name] = sink.finish(rows);
  return { source: path, rows, columns };
}

/** Compare strings by Unicode code point, the order numpy and Python give `np.unique` of strings. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const left = [...a];
  const right = [...b];
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Whether a label spells a decimal number (so it is compared and sorted as one). */
export function isNumericText(value: string): boolean {
  return NUMBER_TEXT.test(value);
}

/**
 * Canonical class labels: when every value is a number, labels are numbers (so "1" and "1.0" are one
 * class, as pandas reads them) sorted numerically; otherwise text sorted by code point.
 */
export function canonicalClasses(values: string[]): {
  classes: string[];
  canonical: (value: string) => string;
} {
  const numeric = values.length > 0 && values.every(isNumericText);
  const canonical = numeric ? (value: string) => String(Number(value)) : (value: string) => value;
  const distinct = [...new Set(values.map(canonical))];
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : compareCodePoints);
  return { classes: distinct, canonical };
}

/**
 * Read a predictions file. Classification when `prediction` is not given: labels (and predicted
 * classes) become class indexes into `classes`; regression when it is: labels are numbers.
 *
 * @example
 * const table = await readPredictions('preds.csv', { label: 'y', score: 'p', groups: ['region'] });
 */
export async function readPredictions(
  path: string,
  columns: PredictionColumns,
  options: ReadOptions = {},
): Promise<PredictionTable> {
  if (!columns.label) {
    throw new MetricsOptionsError(
      'No label column given.',
      'Set `label` to the column holding the true label.',
    );
  }
  const regression = columns.prediction !== undefined;
  if (!regression && !columns.score && !columns.probabilities && !columns.predicted) {
    throw new MetricsOptionsError(
      'No prediction column given.',
      'Set `score` (binary), `probabilities` or `predicted` (classification), or `prediction` (regression).',
    );
  }
  const classDictionary = new ByteDictionary();
  const specs: ColumnSpec[] = [];
  if (regression) {
    specs.push({ name: columns.label, kind: 'numeric' }, { name: columns.prediction!, kind: 'numeric' });
  } else {
    specs.push({ name: columns.label, kind: 'categorical', dictionary: classDictionary });
    if (columns.predicted)
      specs.push({ name: columns.predicted, kind: 'categorical', dictionary: classDictionary });
    if (columns.score) specs.push({ name: columns.score, kind: 'numeric' });
    for (const column of Object.values(columns.probabilities ?? {}))
      specs.push({ name: column, kind: 'numeric' });
  }
  if (columns.weight) specs.push({ name: columns.weight, kind: 'numeric', nonNegative: true });
  if (columns.id) specs.push({ name: columns.id, kind: 'categorical' });
  for (const group of columns.groups ?? []) specs.push({ name: group, kind: 'categorical' });

  const table = await readTable(path, specs, options);
  const numeric = (name: string) => (table.columns[name] as NumericColumn).values;
  const categorical = (name: string) => table.columns[name] as CategoricalColumn;
  const groups: Record<string, CategoricalColumn> = {};
  for (const group of columns.groups ?? []) groups[group] = categorical(group);
  const base = {
    source: path,
    rows: table.rows,
    columns,
    groups,
    ...(columns.weight ? { weight: numeric(columns.weight) } : {}),
    ...(columns.id ? { id: categorical(columns.id) } : {}),
  };
  if (regression) {
    const result: RegressionTable = {
      ...base,
      task: 'regression',
      label: numeric(columns.label),
      prediction: numeric(columns.prediction!),
    };
    return result;
  }

  const probabilityClasses = Object.keys(columns.probabilities ?? {});
  const extra = (options.labels ?? []).map(String);
  const { classes, canonical } = canonicalClasses([
    ...classDictionary.categories,
    ...probabilityClasses,
    ...extra,
  ]);
  const classIndex = new Map(classes.map((value, index) => [value, index]));
  const remap = Int32Array.from(classDictionary.categories, (value) => classIndex.get(canonical(value))!);
  // Remapped in place (no second copy of the column); a column used twice is remapped once.
  const remapped = new Set<Int32Array>();
  const toClasses = (codes: Int32Array) => {
    if (remapped.has(codes)) return codes;
    for (let i = 0; i < codes.length; i++) codes[i] = remap[codes[i]!]!;
    remapped.add(codes);
    return codes;
  };
  let probabilities: Float64Array[] | undefined;
  if (columns.probabilities) {
    const byClass = new Map<string, string>();
    for (const [label, column] of Object.entries(columns.probabilities))
      byClass.set(canonical(label), column);
    const unscored = classes.filter((value) => !byClass.has(value));
    if (unscored.length > 0) {
      throw new MetricsOptionsError(
        `${path}: class${unscored.length > 1 ? 'es' : ''} ${unscored.map((c) => `"${c}"`).join(', ')} appear in the data but have no probability column.`,
        'Map every class to its probability column in `probabilities`.',
      );
    }
    probabilities = classes.map((value) => numeric(byClass.get(value)!));
  }
  const result: ClassificationTable = {
    ...base,
    task: 'classification',
    classes,
    label: toClasses(categorical(columns.label).codes),
    ...(columns.predicted ? { predicted: toClasses(categorical(columns.predicted).codes) } : {}),
    ...(columns.score ? { score: numeric(columns.score) } : {}),
    ...(probabilities ? { probabilities } : {}),
  };
  return result;
}

/** Which columns of a features file to read for drift, by type. */
export interface FeatureColumns {
  /** Continuous columns (KS, Wasserstein, PSI on histogram bins, Jensen–Shannon). */
  numeric?: string[];
  /** Categorical columns (χ², PSI and Jensen–Shannon on category frequencies). */
  categorical?: string[];
}

/** Read feature columns (a reference or current dataset) for {@link drift}. */
export async function readFeatures(
  path: string,
  features: FeatureColumns,
  options: ReadOptions = {},
): Promise<DataTable> {
  const specs: ColumnSpec[] = [
    ...(features.numeric ?? []).map((name): ColumnSpec => ({ name, kind: 'numeric' })),
    ...(features.categorical ?? []).map((name): ColumnSpec => ({ name, kind: 'categorical' })),
  ];
  if (specs.length === 0) {
    throw new MetricsOptionsError(
      'No feature columns given.',
      'List the columns under `numeric` and/or `categorical`.',
    );
  }
  return readTable(path, specs, options);
}
