/**
 * Turns a classification table plus options into the problem metrics are computed on: binary
 * (negative = 0, positive = 1, with a score) or multiclass (class indexes, per-class probabilities),
 * with the predicted class of every row.
 */

import { MetricsOptionsError } from './errors.ts';
import { isNumericText } from './read.ts';
import type { ClassificationTable, PredictionTable, RegressionTable } from './table.ts';

/** Options shared by every classification metric. */
export interface ClassificationOptions {
  /**
   * The positive class of a binary problem. Default: `1` when labels are numbers, otherwise the last
   * of the two classes in sorted order (as sklearn's `roc_auc_score`).
   */
  positiveLabel?: string | number;
  /** Binary problems without a predicted column: predict positive when score ≥ threshold. Default 0.5. */
  threshold?: number;
  /** Value of precision/recall when their denominator is 0 (sklearn's `zero_division`). Default 0. */
  zeroDivision?: 0 | 1;
  /** Number of equal-width bins on [0, 1] for calibration (ECE). Default 10. */
  calibrationBins?: number;
}

/** A binary or multiclass problem ready for the metric kernels. */
export interface ClassProblem {
  kind: 'binary' | 'multiclass';
  /** Class names by code; binary: `[negative, positive]`. */
  names: string[];
  /** True class code of each row. */
  y: Uint8Array | Int32Array;
  /** Predicted class code of each row. */
  yPred: Uint8Array | Int32Array;
  /** Binary: score of the positive class. */
  score?: Float64Array;
  /** Multiclass: probability of each class, aligned with `names`. */
  probabilities?: Float64Array[];
  weight?: Float64Array;
  positiveLabel: string | null;
  threshold: number | null;
}

function codes(length: number, classes: number): Uint8Array | Int32Array {
  return classes <= 255 ? new Uint8Array(length) : new Int32Array(length);
}

/** Build the binary or multiclass problem of a classification table. */
export function classProblem(table: ClassificationTable, options: ClassificationOptions = {}): ClassProblem {
  const { classes } = table;
  const numericLabels = classes.length > 0 && classes.every(isNumericText);
  const hasScore = table.score !== undefined;
  const twoProbabilities = table.probabilities !== undefined && classes.length === 2;
  const binary = hasScore || twoProbabilities || (table.probabilities === undefined && classes.length <= 2);
  const weight = table.weight;
  if (!binary) {
    const K = classes.length;
    let yPred: Uint8Array | Int32Array;
    if (table.predicted) {
      yPred = codes(table.rows, K);
      yPred.set(table.predicted);
    } else {
      const probabilities = table.probabilities!;
      yPred = codes(table.rows, K);
      for (let i = 0; i < table.rows; i++) {
        let best = 0;
        let bestValue = probabilities[0]![i]!;
        for (let k = 1; k < K; k++) {
          const value = probabilities[k]![i]!;
          if (value > bestValue) {
            best = k;
            bestValue = value;
          }
        }
        yPred[i] = best;
      }
    }
    const y = codes(table.rows, K);
    y.set(table.label);
    return {
      kind: 'multiclass',
      names: classes,
      y,
      yPred,
      ...(table.probabilities ? { probabilities: table.probabilities } : {}),
      ...(weight ? { weight } : {}),
      positiveLabel: null,
      threshold: null,
    };
  }

  // Binary: find the positive class and the negative one.
  let positive: string;
  if (options.positiveLabel !== undefined) {
    const text = String(options.positiveLabel);
    positive = (numericLabels || classes.length === 0) && isNumericText(text) ? String(Number(text)) : text;
  } else if (numericLabels || classes.length === 0) {
    positive = '1';
  } else if (classes.length === 2) {
    positive = classes[1]!;
  } else {
    throw new MetricsOptionsError(
      `Cannot tell the positive class: the labels have the single class "${classes[0]}".`,
      'Set `positiveLabel` in the metric options.',
    );
  }
  const others = classes.filter((value) => value !== positive);
  if (others.length > 1) {
    throw new MetricsOptionsError(
      `${table.source}: a binary score was given but the labels have ${classes.length} classes (${classes.join(', ')}) and the positive class is "${positive}".`,
      'Give per-class `probabilities` for a multiclass model, or set `positiveLabel` to one of the two classes.',
    );
  }
  const negative =
    others[0] ?? (numericLabels || classes.length === 0 ? (positive === '0' ? '1' : '0') : `not ${positive}`);
  const positiveIndex = classes.indexOf(positive);
  const y = new Uint8Array(table.rows);
  for (let i = 0; i < table.rows; i++) y[i] = table.label[i] === positiveIndex ? 1 : 0;
  let score = table.score;
  if (!score && twoProbabilities) score = table.probabilities![positiveIndex];
  const threshold = options.threshold ?? 0.5;
  const yPred = new Uint8Array(table.rows);
  if (table.predicted) {
    for (let i = 0; i < table.rows; i++) yPred[i] = table.predicted[i] === positiveIndex ? 1 : 0;
  } else if (score) {
    for (let i = 0; i < table.rows; i++) yPred[i] = score[i]! >= threshold ? 1 : 0;
  }
  return {
    kind: 'binary',
    names: [negative, positive],
    y,
    yPred,
    ...(score ? { score } : {}),
    ...(weight ? { weight } : {}),
    positiveLabel: positive,
    threshold: table.predicted ? null : threshold,
  };
}

/** Narrow a table to classification, or explain that it was read as regression. */
export function requireClassification(table: PredictionTable): ClassificationTable {
  if (table.task !== 'classification') {
    throw new MetricsOptionsError(
      `${table.source} was read as regression predictions (a \`prediction\` column was given).`,
      'Read it with `score`, `probabilities` or `predicted` to compute classification metrics.',
    );
  }
  return table;
}

/** Narrow a table to regression, or explain that it was read as classification. */
export function requireRegression(table: PredictionTable): RegressionTable {
  if (table.task !== 'regression') {
    throw new MetricsOptionsError(
      `${table.source} was read as classification predictions.`,
      'Read it with a `prediction` column to compute regression metrics.',
    );
  }
  return table;
}
