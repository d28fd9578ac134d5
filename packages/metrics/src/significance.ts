/**
 * Is the candidate really better than the baseline on the same rows? McNemar's test on who gets
 * which rows right, a seeded paired bootstrap CI for any metric difference, and DeLong's test for
 * the difference of two correlated ROC AUCs.
 */

import { MetricsOptionsError } from './errors.ts';
import { metricEvaluator, METRIC_DIRECTIONS } from './evaluators.ts';
import { pairTables, type JoinOptions } from './join.ts';
import { CompensatedSum } from './numeric.ts';
import { classProblem, requireClassification, type ClassificationOptions } from './problem.ts';
import { createRandom } from './random.ts';
import { binomialHalfCdf, chiSquareSf, erfc as erfcOf, normalTwoSidedP } from './special.ts';
import type { PredictionTable } from './table.ts';

/** McNemar's test on discordant pairs. */
export interface McNemarResult {
  /** Rows the candidate gets right and the baseline wrong. */
  b: number;
  /** Rows the baseline gets right and the candidate wrong. */
  c: number;
  rows: number;
  /** Exact two-sided p = min(1, 2·P(X ≤ min(b,c))), X ~ Binomial(b + c, ½); 1 when b + c = 0. */
  exactP: number;
  /** Continuity-corrected statistic max(0, |b − c| − 1)² / (b + c); null when b + c = 0. */
  chiSquare: number | null;
  /** P(χ²₁ ≥ chiSquare); null when b + c = 0. */
  chiSquareP: number | null;
  candidateAccuracy: number;
  baselineAccuracy: number;
}

/** McNemar's test from the discordant counts alone. */
export function mcnemarFromCounts(
  b: number,
  c: number,
): Pick<McNemarResult, 'b' | 'c' | 'exactP' | 'chiSquare' | 'chiSquareP'> {
  const n = b + c;
  if (n === 0) return { b, c, exactP: 1, chiSquare: null, chiSquareP: null };
  const exactP = Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  const corrected = Math.max(0, Math.abs(b - c) - 1);
  const chiSquare = (corrected * corrected) / n;
  return { b, c, exactP, chiSquare, chiSquareP: chiSquareSf(chiSquare, 1) };
}

/** Options of the paired tests. */
export type PairedOptions = ClassificationOptions & JoinOptions;

/**
 * McNemar's test of a candidate against a baseline classifier on the same rows (unweighted: it is a
 * test on counts of rows).
 */
export function mcnemar(
  candidate: PredictionTable,
  baseline: PredictionTable,
  options: PairedOptions = {},
): McNemarResult {
  const paired = pairTables(requireClassification(candidate), requireClassification(baseline), options);
  const a = classProblem(paired.candidate, options);
  const z = classProblem(paired.baseline, options);
  const nameA = (k: number) => a.names[k];
  const nameZ = (k: number) => z.names[k];
  let b = 0;
  let c = 0;
  let rightA = 0;
  let rightZ = 0;
  for (let i = 0; i < a.y.length; i++) {
    const truth = nameA(a.y[i]!);
    const candidateRight = nameA(a.yPred[i]!) === truth;
    const baselineRight = nameZ(z.yPred[i]!) === truth;
    if (candidateRight) rightA++;
    if (baselineRight) rightZ++;
    if (candidateRight && !baselineRight) b++;
    else if (!candidateRight && baselineRight) c++;
  }
  const rows = a.y.length;
  return {
    ...mcnemarFromCounts(b, c),
    rows,
    candidateAccuracy: rightA / rows,
    baselineAccuracy: rightZ / rows,
  };
}

/** Options of {@link pairedBootstrap}. */
export interface BootstrapOptions extends PairedOptions {
  /** Metric key, e.g. `roc_auc`, `f1_macro`, `log_loss`, `rmse`. */
  metric: string;
  /** Number of resamples. Default 1000. */
  resamples?: number;
  /** Seed of the generator; the same seed gives the same interval. Default 0. */
  seed?: number;
  /** Confidence level of the percentile interval. Default 0.95. */
  confidence?: number;
  /** Non-inferiority margin (≥ 0) on the difference. Default 0. */
  margin?: number;
}

/** Result of {@link pairedBootstrap}; plain JSON. */
export interface BootstrapResult {
  metric: string;
  greaterIsBetter: boolean;
  candidate: number | null;
  baseline: number | null;
  /** candidate − baseline on the full data. */
  difference: number | null;
  /** Percentile interval of the difference over resamples (numpy's linear percentile). */
  lower: number | null;
  upper: number | null;
  confidence: number;
  /** The two percentiles used, in percent (e.g. 2.5 and 97.5). */
  percentiles: [number, number];
  /** Standard deviation (ddof = 1) of the resampled differences. */
  standardError: number | null;
  resamples: number;
  /** Resamples where the metric was undefined for either model (e.g. one class drawn); not used. */
  undefinedResamples: number;
  seed: number;
  margin: number;
  /**
   * Non-inferiority: higher-is-better metrics pass when lower > −margin; lower-is-better ones when
   * upper < margin. null when the interval is undefined.
   */
  nonInferior: boolean | null;
}

/** numpy's default ('linear') percentile of sorted values, including its lerp rounding. */
export function percentileLinear(sorted: Float64Array, percent: number): number {
  const n = sorted.length;
  const virtual = (percent / 100) * (n - 1);
  const previous = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const next = Math.min(previous + 1, n - 1);
  const gamma = virtual - previous;
  const a = sorted[previous]!;
  const b = sorted[next]!;
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}

/**
 * Multiplicities of each row in successive bootstrap resamples: `draw()` fills `counts` with how
 * often each of the n rows was drawn in n draws with replacement. Exposed so tests and callers can
 * reproduce a resample.
 */
export function bootstrapResampler(rows: number, seed: number): { counts: Int32Array; draw(): Int32Array } {
  const random = createRandom(seed);
  const counts = new Int32Array(rows);
  return {
    counts,
    draw() {
      counts.fill(0);
      for (let i = 0; i < rows; i++) {
        const row = random.nextInt(rows);
        counts[row] = counts[row]! + 1;
      }
      return counts;
    },
  };
}

/**
 * Paired bootstrap of `metric(candidate) − metric(baseline)`: each resample draws the same rows for
 * both models, so the interval reflects the models' difference, not the test set's luck.
 */
export function pairedBootstrap<T extends PredictionTable>(
  candidate: T,
  baseline: T,
  options: BootstrapOptions,
): BootstrapResult {
  const direction = METRIC_DIRECTIONS[options.metric];
  if (!direction) {
    throw new MetricsOptionsError(
      `Unknown metric "${options.metric}".`,
      `Use one of ${Object.keys(METRIC_DIRECTIONS).join(', ')}.`,
    );
  }
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  const margin = options.margin ?? 0;
  if (!(confidence > 0 && confidence < 1) || !Number.isInteger(resamples) || resamples < 1) {
    throw new MetricsOptionsError(
      'Bootstrap needs 0 < confidence < 1 and a positive whole number of resamples.',
      'Fix `confidence` / `resamples`.',
    );
  }
  const paired = pairTables(candidate, baseline, options);
  const evaluateCandidate = metricEvaluator(paired.candidate, options.metric, options);
  const evaluateBaseline = metricEvaluator(paired.baseline, options.metric, options);
  const full = { candidate: evaluateCandidate(), baseline: evaluateBaseline() };
  const sampler = bootstrapResampler(candidate.rows, seed);
  const differences: number[] = [];
  let undefinedResamples = 0;
  for (let r = 0; r < resamples; r++) {
    const counts = sampler.draw();
    const a = evaluateCandidate(counts);
    const b = evaluateBaseline(counts);
    if (a === null || b === null) undefinedResamples++;
    else differences.push(a - b);
  }
  const alpha = 1 - confidence;
  const percentiles: [number, number] = [(alpha / 2) * 100, (1 - alpha / 2) * 100];
  const sorted = Float64Array.from(differences).sort();
  const lower = sorted.length > 0 ? percentileLinear(sorted, percentiles[0]) : null;
  const upper = sorted.length > 0 ? percentileLinear(sorted, percentiles[1]) : null;
  let standardError: number | null = null;
  if (sorted.length > 1) {
    const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
    const squares = new CompensatedSum();
    for (const value of sorted) squares.add((value - mean) ** 2);
    standardError = Math.sqrt(squares.value / (sorted.length - 1));
  }
  const greaterIsBetter = direction === 'higher';
  let nonInferior: boolean | null = null;
  if (lower !== null && upper !== null) nonInferior = greaterIsBetter ? lower > -margin : upper < margin;
  return {
    metric: options.metric,
    greaterIsBetter,
    candidate: full.candidate,
    baseline: full.baseline,
    difference: full.candidate === null || full.baseline === null ? null : full.candidate - full.baseline,
    lower,
    upper,
    confidence,
    percentiles,
    standardError,
    resamples,
    undefinedResamples,
    seed,
    margin,
    nonInferior,
  };
}

/** Result of {@link delong}; plain JSON. */
export interface DeLongResult {
  candidateAuc: number | null;
  baselineAuc: number | null;
  /** candidateAuc − baselineAuc. */
  difference: number | null;
  /** Var(Δ) from the placement covariances (DeLong et al. 1988, fast form of Sun & Xu 2014). */
  variance: number | null;
  z: number | null;
  /** Two-sided p-value of H₀: equal AUCs. */
  pValue: number | null;
  /** Normal confidence interval of the difference. */
  lower: number | null;
  upper: number | null;
  confidence: number;
  positives: number;
  negatives: number;
  /** Why values are null. */
  reason: string | null;
}

/**
 * Placements of one model: for each positive, the share of negatives it outranks (ties ½), and for
 * each negative, the share of positives that outrank it. Returned doubled (integers, exact).
 */
function placements(
  score: Float64Array,
  y: Uint8Array | Int32Array,
  m: number,
  n: number,
): { pos: Float64Array; neg: Float64Array } {
  const posScores = new Float64Array(m);
  const negScores = new Float64Array(n);
  let p = 0;
  let q = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) posScores[p++] = score[i]!;
    else negScores[q++] = score[i]!;
  }
  const sortedPos = Float64Array.from(posScores).sort();
  const sortedNeg = Float64Array.from(negScores).sort();
  const below = (sorted: Float64Array, value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const atOrBelow = (sorted: Float64Array, value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! <= value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const pos = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const value = posScores[i]!;
    pos[i] = below(sortedNeg, value) + atOrBelow(sortedNeg, value);
  }
  const neg = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const value = negScores[j]!;
    neg[j] = 2 * m - below(sortedPos, value) - atOrBelow(sortedPos, value);
  }
  return { pos, neg };
}

function covariance(a: Float64Array, b: Float64Array, scale: number): number {
  const n = a.length;
  const meanA = new CompensatedSum();
  const meanB = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    meanA.add(a[i]! / scale);
    meanB.add(b[i]! / scale);
  }
  const ma = meanA.value / n;
  const mb = meanB.value / n;
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) sum.add((a[i]! / scale - ma) * (b[i]! / scale - mb));
  return sum.value / (n - 1);
}

/**
 * DeLong's test for two correlated ROC AUCs on the same rows. Unweighted (the test is defined on
 * rows); a weight column is ignored.
 */
export function delong(
  candidate: PredictionTable,
  baseline: PredictionTable,
  options: PairedOptions & { confidence?: number } = {},
): DeLongResult {
  const paired = pairTables(requireClassification(candidate), requireClassification(baseline), options);
  const a = classProblem(paired.candidate, options);
  const z = classProblem(paired.baseline, options);
  const confidence = options.confidence ?? 0.95;
  if (a.kind !== 'binary' || z.kind !== 'binary' || !a.score || !z.score) {
    throw new MetricsOptionsError(
      'DeLong compares binary classifiers by their scores.',
      'Read both files with a `score` column.',
    );
  }
  let m = 0;
  for (let i = 0; i < a.y.length; i++) if (a.y[i] === 1) m++;
  const n = a.y.length - m;
  const empty = (reason: string): DeLongResult => ({
    candidateAuc: null,
    baselineAuc: null,
    difference: null,
    variance: null,
    z: null,
    pValue: null,
    lower: null,
    upper: null,
    confidence,
    positives: m,
    negatives: n,
    reason,
  });
  if (m === 0 || n === 0) return empty('only one class present: ROC AUC is undefined');
  const first = placements(a.score, a.y, m, n);
  const second = placements(z.score, a.y, m, n);
  const auc = (placement: Float64Array) => {
    let total = 0; // integers below 2^53: exact
    for (let i = 0; i < placement.length; i++) total += placement[i]!;
    return total / (2 * m * n);
  };
  const aucA = auc(first.pos);
  const aucZ = auc(second.pos);
  const difference = aucA - aucZ;
  if (m < 2 || n < 2) {
    return {
      ...empty('DeLong needs at least two positives and two negatives'),
      candidateAuc: aucA,
      baselineAuc: aucZ,
      difference,
    };
  }
  const s10 = [
    covariance(first.pos, first.pos, 2 * n),
    covariance(second.pos, second.pos, 2 * n),
    covariance(first.pos, second.pos, 2 * n),
  ];
  const s01 = [
    covariance(first.neg, first.neg, 2 * m),
    covariance(second.neg, second.neg, 2 * m),
    covariance(first.neg, second.neg, 2 * m),
  ];
  const variance = (s10[0]! + s10[1]! - 2 * s10[2]!) / m + (s01[0]! + s01[1]! - 2 * s01[2]!) / n;
  if (!(variance > 0)) {
    return {
      ...empty('the two models rank every pair the same way: the variance of the difference is 0'),
      candidateAuc: aucA,
      baselineAuc: aucZ,
      difference,
      variance,
    };
  }
  const se = Math.sqrt(variance);
  const zValue = difference / se;
  const quantile = normalQuantile(1 - (1 - confidence) / 2);
  return {
    candidateAuc: aucA,
    baselineAuc: aucZ,
    difference,
    variance,
    z: zValue,
    pValue: normalTwoSidedP(zValue),
    lower: difference - quantile * se,
    upper: difference + quantile * se,
    confidence,
    positives: m,
    negatives: n,
    reason: null,
  };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation refined by one Halley step). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // Halley refinement against the accurate normal tail.
  const e = 0.5 * erfcOf(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
