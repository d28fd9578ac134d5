/**
 * Confusion matrices and the precision / recall / F1 family with sklearn's rules: labels are those
 * present in y ∪ ŷ (sorted), `zero_division` replaces 0/0, F1 = 2·P·R/(P+R) (0 when P+R = 0), and
 * averages over labels are taken in numpy's summation order.
 */

import { numpyAverage, numpySum } from './numeric.ts';

/** A (weighted) confusion matrix over K classes plus which classes occur at all. */
export interface Confusion {
  K: number;
  /** Row-major K×K: `matrix[t*K + p]` = total weight of rows with true class t predicted as p. */
  matrix: Float64Array;
  /** Classes occurring in y or ŷ (by row, whatever their weight), in code order. */
  present: number[];
  /** Number of rows counted. */
  rows: number;
  /** Total weight. */
  weightTotal: number;
}

/**
 * Tally y against ŷ. With `counts`, row i counts counts[i] times and rows with 0 are absent (used for
 * bootstrap resamples); effective weight = counts·weight.
 */
export function confusion(
  y: ArrayLike<number>,
  yPred: ArrayLike<number>,
  K: number,
  weight?: Float64Array,
  counts?: Int32Array,
): Confusion {
  const sum = new Float64Array(K * K);
  const compensation = new Float64Array(K * K);
  const seen = new Uint8Array(K);
  let rows = 0;
  for (let i = 0; i < y.length; i++) {
    const count = counts ? counts[i]! : 1;
    if (count === 0) continue;
    const t = y[i]!;
    const p = yPred[i]!;
    seen[t] = 1;
    seen[p] = 1;
    rows += count;
    const w = weight ? weight[i]! * count : count;
    const cell = t * K + p;
    const before = sum[cell]!;
    const total = before + w;
    compensation[cell] =
      compensation[cell]! + (Math.abs(before) >= Math.abs(w) ? before - total + w : w - total + before);
    sum[cell] = total;
  }
  const matrix = new Float64Array(K * K);
  let weightTotal = 0;
  for (let c = 0; c < K * K; c++) {
    matrix[c] = sum[c]! + compensation[c]!;
  }
  const totals: number[] = [];
  for (let c = 0; c < K * K; c++) totals.push(matrix[c]!);
  weightTotal = exactSum(totals);
  const present: number[] = [];
  for (let k = 0; k < K; k++) if (seen[k]) present.push(k);
  return { K, matrix, present, rows, weightTotal };
}

/** Sum of a short list with compensation (cell totals into a grand total). */
function exactSum(values: number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
  }
  return sum + compensation;
}

/** Per-class sufficient statistics: true positives, predicted totals, true totals. */
export interface ClassTotals {
  tp: Float64Array;
  predicted: Float64Array;
  actual: Float64Array;
}

/** Column and row totals of a confusion matrix. */
export function classTotals(c: Confusion): ClassTotals {
  const { K, matrix } = c;
  const tp = new Float64Array(K);
  const predicted = new Float64Array(K);
  const actual = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    tp[t] = matrix[t * K + t]!;
    const row: number[] = [];
    const column: number[] = [];
    for (let p = 0; p < K; p++) {
      row.push(matrix[t * K + p]!);
      column.push(matrix[p * K + t]!);
    }
    actual[t] = exactSum(row);
    predicted[t] = exactSum(column);
  }
  return { tp, predicted, actual };
}

/** Precision, recall and F1 of some labels, and which labels hit a zero denominator. */
export interface PrfValues {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Labels (codes) whose precision was 0/0. */
  noPredicted: number[];
  /** Labels (codes) whose recall was 0/0. */
  noActual: number[];
}

/** sklearn's `_prf_divide` and F-score for each label in `labels`. */
export function prf(
  tp: ArrayLike<number>,
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  labels: number[],
  zeroDivision: 0 | 1,
): PrfValues {
  const out: PrfValues = { precision: [], recall: [], f1: [], noPredicted: [], noActual: [] };
  for (const k of labels) {
    const t = tp[k]!;
    const pr = predicted[k]! === 0 ? zeroDivision : t / predicted[k]!;
    const rc = actual[k]! === 0 ? zeroDivision : t / actual[k]!;
    if (predicted[k]! === 0) out.noPredicted.push(k);
    if (actual[k]! === 0) out.noActual.push(k);
    const denominator = pr + rc;
    out.precision.push(pr);
    out.recall.push(rc);
    out.f1.push((2 * pr * rc) / (denominator === 0 ? 1 : denominator));
  }
  return out;
}

/** Averaged precision / recall / F1 as sklearn's `average=` modes, plus zero-division labels. */
export interface AveragedPrf {
  precision: number;
  recall: number;
  f1: number;
  noPredicted: number[];
  noActual: number[];
}

/** `average='macro'`: unweighted mean over the present labels. */
export function macroAverage(values: PrfValues): AveragedPrf {
  return {
    precision: numpyAverage(values.precision),
    recall: numpyAverage(values.recall),
    f1: numpyAverage(values.f1),
    noPredicted: values.noPredicted,
    noActual: values.noActual,
  };
}

/** `average='weighted'`: mean weighted by true support (sklearn's special case when it is all 0). */
export function weightedAverage(values: PrfValues, support: number[], zeroDivision: 0 | 1): AveragedPrf {
  if (numpySum(support) === 0) {
    const predictedNone = values.noPredicted.length === values.precision.length;
    return predictedNone
      ? {
          precision: zeroDivision,
          recall: zeroDivision,
          f1: zeroDivision,
          noPredicted: values.noPredicted,
          noActual: values.noActual,
        }
      : {
          precision: 0,
          recall: zeroDivision,
          f1: 0,
          noPredicted: values.noPredicted,
          noActual: values.noActual,
        };
  }
  return {
    precision: numpyAverage(values.precision, support),
    recall: numpyAverage(values.recall, support),
    f1: numpyAverage(values.f1, support),
    noPredicted: values.noPredicted,
    noActual: values.noActual,
  };
}

/** `average='micro'`: precision and recall of the pooled counts over the present labels. */
export function microAverage(totals: ClassTotals, labels: number[], zeroDivision: 0 | 1): AveragedPrf {
  const tp = [numpySum(labels.map((k) => totals.tp[k]!))];
  const predicted = [numpySum(labels.map((k) => totals.predicted[k]!))];
  const actual = [numpySum(labels.map((k) => totals.actual[k]!))];
  const values = prf(tp, predicted, actual, [0], zeroDivision);
  return {
    precision: values.precision[0]!,
    recall: values.recall[0]!,
    f1: values.f1[0]!,
    noPredicted: values.noPredicted.length > 0 ? labels : [],
    noActual: values.noActual.length > 0 ? labels : [],
  };
}
