/**
 * `drift`: per-column distribution shift between a reference and a current dataset — PSI, KS,
 * Wasserstein distance normed by the reference std, Jensen–Shannon distance and χ² — with a
 * type- and size-dependent default test (Evidently's conventions):
 *   numeric,     reference ≤ 1000 rows: KS p-value < 0.05;  otherwise: normed Wasserstein ≥ 0.1
 *   categorical, reference ≤ 1000 rows: χ² p-value < 0.05;  otherwise: Jensen–Shannon ≥ 0.1
 */

import { MetricsOptionsError } from './errors.ts';
import { CompensatedSum, numpySum } from './numeric.ts';
import { chiSquareSf, kolmogorovSf, ksTwoSampleExactP } from './special.ts';
import type { CategoricalColumn, DataTable, NumericColumn } from './table.ts';

/** The statistics a column's drift decision can use. */
export type DriftTest = 'ks' | 'wasserstein_normed' | 'chi_square' | 'jensen_shannon' | 'psi';

/** Options of {@link drift}. */
export interface DriftOptions {
  /** Columns to compare (default: every column of the reference table). */
  columns?: string[];
  /** Equal-width bins over the pooled range for numeric PSI and Jensen–Shannon. Default 30. */
  bins?: number;
  /** Reference size up to which the small-sample tests (KS, χ²) decide. Default 1000. */
  smallSampleSize?: number;
  /** Override the test and/or threshold of a column. */
  tests?: Record<string, { test?: DriftTest; threshold?: number }>;
}

/** Drift of one column; plain JSON. */
export interface ColumnDrift {
  column: string;
  type: 'numeric' | 'categorical';
  referenceRows: number;
  currentRows: number;
  /** psi, jensen_shannon; numeric: ks_statistic, ks_p_value, wasserstein, wasserstein_normed; categorical: chi_square, chi_square_p_value. */
  stats: Record<string, number | null>;
  undefinedReasons: Record<string, string>;
  /** Test deciding drift, its value and threshold. */
  test: DriftTest;
  value: number | null;
  threshold: number;
  /** p-value tests drift below the threshold, distances at or above it. */
  drifted: boolean | null;
}

/** Result of {@link drift}. */
export interface DriftReport {
  columns: ColumnDrift[];
  driftedColumns: string[];
  /** Share of compared columns that drifted. */
  driftShare: number;
}

const PSI_FLOOR = 1e-4;

/** PSI = Σ (r − c)·ln(r/c), with empty bins floored at 1e-4. */
export function populationStabilityIndex(reference: number[], current: number[]): number {
  const terms = reference.map((r, i) => {
    const a = r === 0 ? PSI_FLOOR : r;
    const b = current[i] === 0 ? PSI_FLOOR : current[i]!;
    return (a - b) * Math.log(a / b);
  });
  return numpySum(terms);
}

/** scipy's `jensenshannon(p, q)` (natural log): √(½·KL(p‖m) + ½·KL(q‖m)), m = (p + q)/2. */
export function jensenShannonDistance(p: number[], q: number[]): number {
  const sp = numpySum(p);
  const sq = numpySum(q);
  const pn = p.map((value) => value / sp);
  const qn = q.map((value) => value / sq);
  const m = pn.map((value, i) => (value + qn[i]!) / 2);
  const relative = (x: number, y: number) => (x > 0 ? x * Math.log(x / y) : 0);
  const left = numpySum(pn.map((value, i) => relative(value, m[i]!)));
  const right = numpySum(qn.map((value, i) => relative(value, m[i]!)));
  return Math.sqrt((left + right) / 2);
}

/** Equal-width bin edges over [min, max] as numpy's `histogram_bin_edges(…, bins)`. */
export function histogramEdges(min: number, max: number, bins: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** Counts per bin as `np.histogram(values, edges)`: [e_i, e_{i+1}), the last bin closed. */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): number[] {
  const counts: number[] = [];
  const firstAtOrAbove = (value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const firstAbove = (value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! <= value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const bins = edges.length - 1;
  let previous = firstAtOrAbove(edges[0]!);
  for (let i = 1; i <= bins; i++) {
    const position = i === bins ? firstAbove(edges[i]!) : firstAtOrAbove(edges[i]!);
    counts.push(position - previous);
    previous = position;
  }
  return counts;
}

/** Two-sample KS statistic D = max |F_ref − F_cur| (sorted inputs), as scipy computes it. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    const gap = Math.abs(i / a.length - j / b.length);
    if (gap > d) d = gap;
  }
  return d;
}

/**
 * p-value of the two-sample KS test: exact (scipy's `method='exact'`) when both samples have at
 * most 10 000 rows, otherwise the limiting Kolmogorov distribution at √(nm/(n+m))·D.
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (Math.max(n, m) <= 10000) return ksTwoSampleExactP(d, n, m);
  const en = (n * m) / (n + m);
  return kolmogorovSf(Math.sqrt(en) * d);
}

/** scipy's `wasserstein_distance(u, v)` = ∫ |F_u − F_v| on sorted inputs. */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  let i = 0;
  let j = 0;
  const total = new CompensatedSum();
  let current = Math.min(u[0]!, v[0]!);
  while (i < u.length || j < v.length) {
    while (i < u.length && u[i] === current) i++;
    while (j < v.length && v[j] === current) j++;
    if (i >= u.length && j >= v.length) break;
    const next = Math.min(i < u.length ? u[i]! : Infinity, j < v.length ? v[j]! : Infinity);
    total.add(Math.abs(i / u.length - j / v.length) * (next - current));
    current = next;
  }
  return total.value;
}

function standardDeviation(values: Float64Array): number {
  const sum = new CompensatedSum();
  for (let i = 0; i < values.length; i++) sum.add(values[i]!);
  const mean = sum.value / values.length;
  const squares = new CompensatedSum();
  for (let i = 0; i < values.length; i++) squares.add((values[i]! - mean) ** 2);
  return Math.sqrt(squares.value / values.length);
}

function decide(test: DriftTest, value: number | null, threshold: number): boolean | null {
  if (value === null) return null;
  return test === 'ks' || test === 'chi_square' ? value < threshold : value >= threshold;
}

const DEFAULT_THRESHOLDS: Record<DriftTest, number> = {
  ks: 0.05,
  chi_square: 0.05,
  wasserstein_normed: 0.1,
  jensen_shannon: 0.1,
  psi: 0.1,
};

function numericDrift(
  name: string,
  reference: NumericColumn,
  current: NumericColumn,
  options: DriftOptions,
): ColumnDrift {
  const a = Float64Array.from(reference.values).sort();
  const b = Float64Array.from(current.values).sort();
  const stats: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const small = a.length <= (options.smallSampleSize ?? 1000);
  const override = options.tests?.[name] ?? {};
  const test: DriftTest = override.test ?? (small ? 'ks' : 'wasserstein_normed');
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[test];
  if (a.length === 0 || b.length === 0) {
    const reason = `the ${a.length === 0 ? 'reference' : 'current'} data has no rows`;
    for (const key of [
      'psi',
      'jensen_shannon',
      'ks_statistic',
      'ks_p_value',
      'wasserstein',
      'wasserstein_normed',
    ]) {
      stats[key] = null;
      undefinedReasons[key] = reason;
    }
  } else {
    const edges = histogramEdges(
      Math.min(a[0]!, b[0]!),
      Math.max(a[a.length - 1]!, b[b.length - 1]!),
      options.bins ?? 30,
    );
    const r = histogramCounts(a, edges).map((count) => count / a.length);
    const c = histogramCounts(b, edges).map((count) => count / b.length);
    stats.psi = populationStabilityIndex(r, c);
    stats.jensen_shannon = jensenShannonDistance(r, c);
    const d = ksStatistic(a, b);
    stats.ks_statistic = d;
    stats.ks_p_value = ksPValue(d, a.length, b.length);
    const distance = wassersteinDistance(a, b);
    stats.wasserstein = distance;
    stats.wasserstein_normed = distance / Math.max(standardDeviation(a), 0.001);
  }
  const key = test === 'ks' ? 'ks_p_value' : test;
  const value = stats[key] ?? null;
  return {
    column: name,
    type: 'numeric',
    referenceRows: a.length,
    currentRows: b.length,
    stats,
    undefinedReasons,
    test,
    value,
    threshold,
    drifted: decide(test, value, threshold),
  };
}

function categoricalDrift(
  name: string,
  reference: CategoricalColumn,
  current: CategoricalColumn,
  options: DriftOptions,
): ColumnDrift {
  const counts = new Map<string, [number, number]>();
  const tally = (column: CategoricalColumn, side: 0 | 1) => {
    const perCode = new Float64Array(column.categories.length);
    for (let i = 0; i < column.codes.length; i++) perCode[column.codes[i]!] = perCode[column.codes[i]!]! + 1;
    column.categories.forEach((category, code) => {
      if (perCode[code] === 0) return;
      const entry = counts.get(category) ?? [0, 0];
      entry[side] += perCode[code]!;
      counts.set(category, entry);
    });
  };
  tally(reference, 0);
  tally(current, 1);
  const categories = [...counts.keys()].sort();
  const n = reference.codes.length;
  const m = current.codes.length;
  const stats: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const small = n <= (options.smallSampleSize ?? 1000);
  const override = options.tests?.[name] ?? {};
  const test: DriftTest = override.test ?? (small ? 'chi_square' : 'jensen_shannon');
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[test];
  if (n === 0 || m === 0) {
    const reason = `the ${n === 0 ? 'reference' : 'current'} data has no rows`;
    for (const key of ['psi', 'jensen_shannon', 'chi_square', 'chi_square_p_value']) {
      stats[key] = null;
      undefinedReasons[key] = reason;
    }
  } else {
    const r = categories.map((category) => counts.get(category)![0] / n);
    const c = categories.map((category) => counts.get(category)![1] / m);
    stats.psi = populationStabilityIndex(r, c);
    stats.jensen_shannon = jensenShannonDistance(r, c);
    // χ² test of homogeneity on the 2 × k table, without continuity correction.
    const total = n + m;
    const statistic = new CompensatedSum();
    for (const category of categories) {
      const [refCount, curCount] = counts.get(category)!;
      const column = refCount + curCount;
      const expectedRef = (n * column) / total;
      const expectedCur = (m * column) / total;
      statistic.add((refCount - expectedRef) ** 2 / expectedRef);
      statistic.add((curCount - expectedCur) ** 2 / expectedCur);
    }
    const dof = categories.length - 1;
    stats.chi_square = statistic.value;
    stats.chi_square_p_value = dof === 0 ? 1 : chiSquareSf(statistic.value, dof);
  }
  const key = test === 'chi_square' ? 'chi_square_p_value' : test;
  const value = stats[key] ?? null;
  return {
    column: name,
    type: 'categorical',
    referenceRows: n,
    currentRows: m,
    stats,
    undefinedReasons,
    test,
    value,
    threshold,
    drifted: decide(test, value, threshold),
  };
}

/** Compare every column of `current` with `reference`. */
export function drift(reference: DataTable, current: DataTable, options: DriftOptions = {}): DriftReport {
  const names = options.columns ?? Object.keys(reference.columns);
  const columns: ColumnDrift[] = [];
  for (const name of names) {
    const ref = reference.columns[name];
    const cur = current.columns[name];
    if (!ref || !cur) {
      throw new MetricsOptionsError(
        `Column "${name}" is missing from the ${ref ? 'current' : 'reference'} data (${ref ? current.source : reference.source}).`,
        'Read the same feature columns from both files.',
      );
    }
    if (ref.kind !== cur.kind) {
      throw new MetricsOptionsError(
        `Column "${name}" is read as ${ref.kind} in one file and ${cur.kind} in the other.`,
        'Read it with the same type from both files.',
      );
    }
    columns.push(
      ref.kind === 'numeric'
        ? numericDrift(name, ref, cur as NumericColumn, options)
        : categoricalDrift(name, ref, cur as CategoricalColumn, options),
    );
  }
  const driftedColumns = columns.filter((column) => column.drifted === true).map((column) => column.column);
  return {
    columns,
    driftedColumns,
    driftShare: columns.length === 0 ? 0 : driftedColumns.length / columns.length,
  };
}
