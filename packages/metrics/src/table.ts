/**
 * In-memory, column-oriented tables of predictions: typed arrays for numbers, dictionary codes for
 * categories. A row is never an object, so ten million rows stay a few hundred megabytes at most.
 */

/** A numeric column: one float64 per row. */
export interface NumericColumn {
  kind: 'numeric';
  /** Column name in the file. */
  name: string;
  values: Float64Array;
}

/** A categorical column: one dictionary code per row; `categories[code]` is the value as text. */
export interface CategoricalColumn {
  kind: 'categorical';
  /** Column name in the file. */
  name: string;
  codes: Int32Array;
  categories: string[];
}

/** Any column of a {@link DataTable}. */
export type Column = NumericColumn | CategoricalColumn;

/** A generic table read from a file: the requested columns by name. */
export interface DataTable {
  /** Path the table was read from (for messages). */
  source: string;
  rows: number;
  columns: Record<string, Column>;
}

/**
 * Which columns of a predictions file hold what. Only `label` is required; give `score` for a binary
 * classifier, `probabilities` (and/or `predicted`) for a multiclass one, `prediction` for a regressor.
 */
export interface PredictionColumns {
  /** True label (classification) or true target (regression). */
  label: string;
  /** Binary classifiers: probability (or any score) of the positive class. */
  score?: string;
  /** Multiclass classifiers: class label → column holding that class's probability. */
  probabilities?: Record<string, string>;
  /** Predicted class, when the file has it (otherwise derived from `score`/`probabilities`). */
  predicted?: string;
  /** Regressors: predicted value. */
  prediction?: string;
  /** Optional non-negative sample weight. */
  weight?: string;
  /** Optional row id, used to join a candidate with a baseline. */
  id?: string;
  /** Group / slice columns (categorical), e.g. `["region", "device"]`. */
  groups?: string[];
}

/** Fields shared by classification and regression tables. */
interface PredictionTableBase {
  /** Path the table was read from (for messages). */
  source: string;
  rows: number;
  /** The column mapping the table was read with. */
  columns: PredictionColumns;
  /** Sample weights, when a weight column was given. */
  weight?: Float64Array;
  /** Row ids, when an id column was given. */
  id?: CategoricalColumn;
  /** Group / slice columns by name. */
  groups: Record<string, CategoricalColumn>;
}

/** Predictions of a classifier. Class labels are canonical text, sorted the way sklearn sorts them. */
export interface ClassificationTable extends PredictionTableBase {
  task: 'classification';
  /** Every class seen in labels, predictions or probability columns, in sklearn's sorted order. */
  classes: string[];
  /** True class of each row, as an index into `classes`. */
  label: Int32Array;
  /** Predicted class of each row (index into `classes`), when the file has a predicted column. */
  predicted?: Int32Array;
  /** Score of the positive class (binary), when a score column was given. */
  score?: Float64Array;
  /** Per-class probabilities aligned with `classes` (multiclass), when probability columns were given. */
  probabilities?: Float64Array[];
}

/** Predictions of a regressor. */
export interface RegressionTable extends PredictionTableBase {
  task: 'regression';
  /** True target. */
  label: Float64Array;
  /** Predicted value. */
  prediction: Float64Array;
}

/** Predictions read by `readPredictions`. */
export type PredictionTable = ClassificationTable | RegressionTable;

/** A table restricted to the rows in `index` (in that order); used by slices and joins. */
export function selectRows<T extends PredictionTable>(table: T, index: Int32Array | Uint32Array): T {
  const pickF = (values: Float64Array): Float64Array => {
    const out = new Float64Array(index.length);
    for (let i = 0; i < index.length; i++) out[i] = values[index[i]!]!;
    return out;
  };
  const pickI = (values: Int32Array): Int32Array => {
    const out = new Int32Array(index.length);
    for (let i = 0; i < index.length; i++) out[i] = values[index[i]!]!;
    return out;
  };
  const pickC = (column: CategoricalColumn): CategoricalColumn => ({ ...column, codes: pickI(column.codes) });
  const groups: Record<string, CategoricalColumn> = {};
  for (const [name, column] of Object.entries(table.groups)) groups[name] = pickC(column);
  const base = {
    source: table.source,
    rows: index.length,
    columns: table.columns,
    groups,
    ...(table.weight ? { weight: pickF(table.weight) } : {}),
    ...(table.id ? { id: pickC(table.id) } : {}),
  };
  if (table.task === 'regression') {
    return {
      ...base,
      task: 'regression',
      label: pickF(table.label),
      prediction: pickF(table.prediction),
    } as T;
  }
  return {
    ...base,
    task: 'classification',
    classes: table.classes,
    label: pickI(table.label),
    ...(table.predicted ? { predicted: pickI(table.predicted) } : {}),
    ...(table.score ? { score: pickF(table.score) } : {}),
    ...(table.probabilities ? { probabilities: table.probabilities.map(pickF) } : {}),
  } as T;
}
