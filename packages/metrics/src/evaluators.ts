/**
 * Single-metric evaluators for resampling: everything that does not depend on the resample (the
 * class problem, per-row losses, the score ranking) is computed once; each resample is then one pass
 * over its multiplicities (`counts[i]` copies of row i; 0 = absent).
 */

import { binaryLogLoss, multiclassLogLoss } from './classification.ts';
import { classTotals, confusion, macroAverage, microAverage, prf, weightedAverage } from './confusion.ts';
import { MetricsOptionsError } from './errors.ts';
import { CompensatedSum } from './numeric.ts';
import { classProblem, type ClassificationOptions } from './problem.ts';
import { binaryRankingWeighted, rankIndex } from './ranking.ts';
import { regressionValues } from './regression.ts';
import type { PredictionTable } from './table.ts';

/** A metric of one table as a function of row multiplicities (undefined: null). */
export type MetricEvaluator = (counts?: Int32Array) => number | null;

/** Metric keys and whether a higher value is better. */
export const METRIC_DIRECTIONS: Readonly<Record<string, 'higher' | 'lower'>> = {
  accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  precision_macro: 'higher',
  recall_macro: 'higher',
  f1_macro: 'higher',
  precision_micro: 'higher',
  recall_micro: 'higher',
  f1_micro: 'higher',
  precision_weighted: 'higher',
  recall_weighted: 'higher',
  f1_weighted: 'higher',
  roc_auc: 'higher',
  roc_auc_ovr: 'higher',
  roc_auc_ovr_weighted: 'higher',
  average_precision: 'higher',
  log_loss: 'lower',
  brier: 'lower',
  ece: 'lower',
  mae: 'lower',
  mse: 'lower',
  rmse: 'lower',
  r2: 'higher',
  mape: 'lower',
};

const REGRESSION = new Set(['mae', 'mse', 'rmse', 'r2', 'mape']);
const PRF = /^(precision|recall|f1)(_(macro|micro|weighted))?$/;

function weightedAverageOf(
  values: Float64Array,
  weight: Float64Array | undefined,
  counts?: Int32Array,
): number | null {
  const total = new CompensatedSum();
  const weights = new CompensatedSum();
  for (let i = 0; i < values.length; i++) {
    const count = counts ? counts[i]! : 1;
    if (count === 0) continue;
    const w = weight ? weight[i]! * count : count;
    total.add(values[i]! * w);
    weights.add(w);
  }
  return weights.value === 0 ? null : total.value / weights.value;
}

/** Build a resampling evaluator of `metric` on `table`. Throws for a metric the table cannot give. */
export function metricEvaluator(
  table: PredictionTable,
  metric: string,
  options: ClassificationOptions = {},
): MetricEvaluator {
  if (table.task === 'regression') {
    if (!REGRESSION.has(metric)) {
      throw new MetricsOptionsError(
        `"${metric}" is not a regression metric.`,
        `Use one of ${[...REGRESSION].join(', ')}.`,
      );
    }
    const { label, prediction, weight } = table;
    return (counts) =>
      regressionValues({ label, prediction, ...(weight ? { weight } : {}), ...(counts ? { counts } : {}) })
        .metrics[metric] ?? null;
  }
  const problem = classProblem(table, options);
  const { y, yPred, weight, names } = problem;
  const K = names.length;
  const zeroDivision = options.zeroDivision ?? 0;
  if (metric === 'accuracy') {
    return (counts) => {
      const c = confusion(y, yPred, K, weight, counts);
      if (c.weightTotal === 0) return null;
      let correct = 0;
      for (let k = 0; k < K; k++) correct += c.matrix[k * K + k]!;
      return correct / c.weightTotal;
    };
  }
  const prfMatch = PRF.exec(metric);
  if (prfMatch) {
    const which = prfMatch[1] as 'precision' | 'recall' | 'f1';
    const average = prfMatch[3];
    if (!average && problem.kind !== 'binary') {
      throw new MetricsOptionsError(
        `"${metric}" needs a binary problem.`,
        `Use ${metric}_macro, _micro or _weighted.`,
      );
    }
    return (counts) => {
      const c = confusion(y, yPred, K, weight, counts);
      const totals = classTotals(c);
      if (!average) return prf(totals.tp, totals.predicted, totals.actual, [1], zeroDivision)[which][0]!;
      if (c.present.length === 0) return null;
      const perLabel = prf(totals.tp, totals.predicted, totals.actual, c.present, zeroDivision);
      if (average === 'macro') return macroAverage(perLabel)[which];
      if (average === 'micro') return microAverage(totals, c.present, zeroDivision)[which];
      return weightedAverage(
        perLabel,
        c.present.map((k) => totals.actual[k]!),
        zeroDivision,
      )[which];
    };
  }
  if (problem.kind === 'binary' && problem.score) {
    const score = problem.score;
    if (metric === 'roc_auc' || metric === 'average_precision') {
      const index = rankIndex(score);
      return (counts) => {
        const ranking = binaryRankingWeighted(
          index,
          y,
          1,
          weight,
          counts ?? new Int32Array(y.length).fill(1),
        );
        return metric === 'roc_auc' ? ranking.rocAuc : ranking.averagePrecision;
      };
    }
    if (metric === 'log_loss' || metric === 'brier') {
      const losses = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) {
        losses[i] = metric === 'log_loss' ? binaryLogLoss(score[i]!, y[i] === 1) : (y[i]! - score[i]!) ** 2;
      }
      return (counts) => weightedAverageOf(losses, weight, counts);
    }
  }
  if (problem.kind === 'multiclass' && problem.probabilities && metric === 'log_loss') {
    const probabilities = problem.probabilities;
    const losses = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) losses[i] = multiclassLogLoss(probabilities, i, y[i]!);
    return (counts) => weightedAverageOf(losses, weight, counts);
  }
  throw new MetricsOptionsError(
    `"${metric}" cannot be resampled for this ${problem.kind} table.`,
    'Use accuracy, precision/recall/f1 (with _macro/_micro/_weighted), roc_auc, average_precision, log_loss or brier (binary with a score), or a regression metric.',
  );
}
