/**
 * `regressionMetrics`: MAE, MSE, RMSE, R² and MAPE with sklearn's rules — R² with `force_finite`
 * (constant target: 1.0 if perfect else 0.0; fewer than 2 rows: undefined), MAPE as a fraction with
 * |y| floored at float64 eps.
 */

import { CompensatedSum, FLOAT64_EPS } from './numeric.ts';
import { requireRegression } from './problem.ts';
import type { PredictionTable } from './table.ts';

/** Result of {@link regressionMetrics}; plain JSON. */
export interface RegressionReport {
  task: 'regression';
  rows: number;
  weightTotal: number;
  /** mae, mse, rmse, r2, mape; `null` = undefined. */
  metrics: Record<string, number | null>;
  undefinedReasons: Record<string, string>;
  notes: Record<string, string>;
}

/** The columns of a regression problem; `counts` marks bootstrap multiplicities (0 = row absent). */
export interface RegressionData {
  label: Float64Array;
  prediction: Float64Array;
  weight?: Float64Array;
  counts?: Int32Array;
}

/** Compute regression metrics from the raw columns. */
export function regressionValues(data: RegressionData): RegressionReport {
  const { label, prediction, weight, counts } = data;
  const absolute = new CompensatedSum();
  const squared = new CompensatedSum();
  const percentage = new CompensatedSum();
  const weights = new CompensatedSum();
  const targetSum = new CompensatedSum();
  let rows = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < label.length; i++) {
    const count = counts ? counts[i]! : 1;
    if (count === 0) continue;
    rows += count;
    const w = weight ? weight[i]! * count : count;
    const y = label[i]!;
    const error = y - prediction[i]!;
    absolute.add(w * Math.abs(error));
    squared.add(w * error * error);
    percentage.add((w * Math.abs(error)) / Math.max(Math.abs(y), FLOAT64_EPS));
    weights.add(w);
    targetSum.add(w * y);
    if (y < min) min = y;
    if (y > max) max = y;
  }
  const metrics: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const notes: Record<string, string> = {};
  const W = weights.value;
  if (rows === 0 || W === 0) {
    const reason = rows === 0 ? 'no rows' : 'total sample weight is 0';
    for (const key of ['mae', 'mse', 'rmse', 'r2', 'mape']) {
      metrics[key] = null;
      undefinedReasons[key] = reason;
    }
    return { task: 'regression', rows, weightTotal: W, metrics, undefinedReasons, notes };
  }
  metrics.mae = absolute.value / W;
  metrics.mse = squared.value / W;
  metrics.rmse = Math.sqrt(metrics.mse);
  metrics.mape = percentage.value / W;
  if (min === 0 || max === 0 || (min < 0 && max > 0)) {
    notes.mape = 'some targets are 0: their error is divided by float64 eps (≈2.2e-16), as sklearn does';
  }
  if (rows < 2) {
    metrics.r2 = null;
    undefinedReasons.r2 = 'R² is not defined with fewer than two samples';
  } else {
    const residual = squared.value;
    let total = 0;
    if (min !== max) {
      // Two passes: the weighted mean first, then squared deviations from it.
      const mean = targetSum.value / W;
      const deviations = new CompensatedSum();
      for (let i = 0; i < label.length; i++) {
        const count = counts ? counts[i]! : 1;
        if (count === 0) continue;
        const w = weight ? weight[i]! * count : count;
        const d = label[i]! - mean;
        deviations.add(w * d * d);
      }
      total = deviations.value;
    }
    if (residual === 0) metrics.r2 = 1;
    else if (total === 0) {
      metrics.r2 = 0;
      notes.r2 = 'constant target and imperfect predictions: R² set to 0.0 (sklearn force_finite)';
    } else metrics.r2 = 1 - residual / total;
    if (residual === 0 && total === 0)
      notes.r2 = 'constant target predicted perfectly: R² set to 1.0 (sklearn force_finite)';
  }
  return { task: 'regression', rows, weightTotal: W, metrics, undefinedReasons, notes };
}

/** Compute MAE, MSE, RMSE, R² and MAPE of a regression table. */
export function regressionMetrics(predictions: PredictionTable): RegressionReport {
  const table = requireRegression(predictions);
  return regressionValues({
    label: table.label,
    prediction: table.prediction,
    ...(table.weight ? { weight: table.weight } : {}),
  });
}
