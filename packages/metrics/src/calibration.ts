/**
 * Calibration of a binary classifier: sklearn's `calibration_curve(strategy='uniform')` bins and the
 * expected calibration error ECE = Σ_b (n_b / N)·|mean(y)_b − mean(p)_b| over the non-empty bins.
 */

import { CompensatedSum } from './numeric.ts';

/** One non-empty calibration bin. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  /** Rows in the bin. */
  rows: number;
  /** Total weight in the bin. */
  weight: number;
  meanScore: number;
  fractionPositive: number;
}

/** Reliability table and ECE. */
export interface CalibrationReport {
  strategy: 'uniform';
  /** Number of equal-width bins on [0, 1]. */
  binCount: number;
  ece: number | null;
  bins: CalibrationBin[];
}

/**
 * Bin index as sklearn: `searchsorted(edges[1:-1], p)` (left side), edges = i·(1/bins) as numpy's
 * `linspace(0, 1, bins + 1)`, so a score equal to an edge falls in the lower bin.
 */
export function calibrationBin(p: number, bins: number, step: number): number {
  let b = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
  while (b > 0 && b * step >= p) b--;
  while (b < bins - 1 && (b + 1) * step < p) b++;
  return b;
}

/** Calibration table and ECE of scores in [0, 1] against 0/1 labels. */
export function calibration(
  score: Float64Array,
  y: ArrayLike<number>,
  weight: Float64Array | undefined,
  bins: number,
): CalibrationReport {
  const step = 1 / bins;
  const rows = new Float64Array(bins);
  const total = Array.from({ length: bins }, () => new CompensatedSum());
  const scoreSum = Array.from({ length: bins }, () => new CompensatedSum());
  const positive = Array.from({ length: bins }, () => new CompensatedSum());
  for (let i = 0; i < score.length; i++) {
    const p = score[i]!;
    const b = calibrationBin(p, bins, step);
    const w = weight ? weight[i]! : 1;
    rows[b] = rows[b]! + 1;
    total[b]!.add(w);
    scoreSum[b]!.add(w * p);
    if (y[i] === 1) positive[b]!.add(w);
  }
  const out: CalibrationBin[] = [];
  const ece = new CompensatedSum();
  const grand = new CompensatedSum();
  for (let b = 0; b < bins; b++) grand.add(total[b]!.value);
  for (let b = 0; b < bins; b++) {
    if (rows[b] === 0) continue;
    const weightInBin = total[b]!.value;
    const meanScore = scoreSum[b]!.value / weightInBin;
    const fractionPositive = positive[b]!.value / weightInBin;
    out.push({
      lower: b * step,
      upper: b === bins - 1 ? 1 : (b + 1) * step,
      rows: rows[b]!,
      weight: weightInBin,
      meanScore,
      fractionPositive,
    });
    if (weightInBin > 0) ece.add((weightInBin / grand.value) * Math.abs(fractionPositive - meanScore));
  }
  return { strategy: 'uniform', binCount: bins, ece: grand.value > 0 ? ece.value : null, bins: out };
}
