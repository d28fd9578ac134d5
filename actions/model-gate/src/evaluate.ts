/**
 * The gate's decision, as a pure function of the spec's checks, the candidate's and the baseline's
 * metric maps and the significance tests: no I/O, no clock.
 *
 * Semantics (docs/model-gate.md has the reader's version):
 * - value bounds are inclusive: `min ≤ value ≤ max` (TFMA's GenericValueThreshold; MLflow's
 *   `threshold` is the one-sided case);
 * - change bounds compare with the baseline after turning the difference into an improvement
 *   (`cand − base` when higher is better, `base − cand` when lower is): `max-regression: a` passes when
 *   improvement ≥ −a, `min-improvement: a` when improvement ≥ a (MLflow's `min_absolute_change`);
 *   relative amounts are fractions of |base|; a relative `min-improvement` on a zero baseline needs
 *   an improvement of 1e-10 (MLflow's fallback). Comparisons allow 1e-12 (relative) for rounding;
 * - without a baseline a change bound is not evaluated and says so (`no-baseline`, TFMA's first-run
 *   rule); when not a single bound of any check could be evaluated the gate does not pass
 *   ("with no thresholds at all nothing is blessed");
 * - a missing or undefined candidate value fails the check (MLflow: a metric missing from the
 *   candidate fails);
 * - significance (`mode: regression`): a change beyond the bound fails only when the test finds the
 *   difference significant and against the candidate; (`mode: improvement`): the candidate must also
 *   be significantly better. When the test could not run, the check falls back to failing safe;
 * - `severity: warn` turns a failure into a warning that never fails the gate.
 */
import type { GateCheckResult, SignificanceResult } from '@modelops/core';
import type { ChangeBound, GateCheck } from './spec.ts';
import { didYouMean } from '@modelops/core';
import { formatNumber, formatPercent as percent, formatSigned } from './format.ts';
import { driftKey, fairnessKey, metricKey, sliceKey, slicesInMap, type Direction } from './metric-keys.ts';

/** Numbers of one side (candidate or baseline) under flat keys. */
export interface MetricSet {
  metrics: Readonly<Record<string, number | null>>;
  /** Why a value is null, by key. */
  undefinedReasons?: Readonly<Record<string, string>>;
  /** Slices left out as too small: slice key → rows. */
  skippedSlices?: Readonly<Record<string, number>>;
  /**
   * True when the keys are every metric the source can give (computed from predictions), so a
   * missing key is a mistake in the spec rather than a missing value.
   */
  complete?: boolean;
}

/** A significance test outcome for a check, or why there is none. */
export type SignificanceOutcome = SignificanceResult;

/** What {@link evaluateChecks} needs. */
export interface EvaluateInput {
  checks: readonly GateCheck[];
  candidate: MetricSet;
  /** null: no baseline at all (first run). */
  baseline: MetricSet | null;
  /** Significance tests by check name. */
  significance?: Readonly<Record<string, SignificanceOutcome>>;
}

/** The verdict. */
export interface Verdict {
  passed: boolean;
  /** Results of `fail` checks that failed (status fail or undefined). */
  failed: GateCheckResult[];
  /** Results of `warn` checks that failed. */
  warnings: GateCheckResult[];
  /** Results whose change bound had no baseline and nothing else was evaluated. */
  noBaseline: GateCheckResult[];
  /** How many results had at least one bound evaluated. */
  evaluated: number;
  /** The verdict in one line (no markdown). */
  line: string;
}

/** Relative tolerance of bound comparisons, for floating-point rounding (0.89 vs 0.90 − 0.01). */
const TOLERANCE = 1e-12;
/** MLflow's fallback for a relative change against a zero baseline. */
const ZERO_BASELINE_STEP = 1e-10;

function atLeast(value: number, bound: number): boolean {
  return value >= bound - TOLERANCE * Math.max(1, Math.abs(value), Math.abs(bound));
}

/** The value bound for a reader: `≥ 0.85`, `≤ 0.1`, `in [0.8, 0.9]`. */
export function valueBoundText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `in [${formatNumber(min)}, ${formatNumber(max)}]`;
  if (min !== undefined) return `≥ ${formatNumber(min)}`;
  if (max !== undefined) return `≤ ${formatNumber(max)}`;
  return '';
}

/** The change bound for a reader, on Δ = candidate − baseline: `Δ ≥ −0.01`, `Δ ≤ +2 %`. */
export function changeBoundText(change: ChangeBound, direction: Direction): string {
  // Allowed improvement floor (in "better" units): −a for a regression allowance, +a for a required gain.
  const sign = change.kind === 'max-regression' ? -1 : 1;
  const op = direction === 'higher' ? '≥' : '≤';
  const towards = (amount: number, text: string) => {
    const signed = sign * (direction === 'higher' ? 1 : -1) * amount;
    return `${signed < 0 ? '−' : '+'}${text}`;
  };
  const parts: string[] = [];
  if (change.absolute !== undefined)
    parts.push(`Δ ${op} ${towards(change.absolute, formatNumber(change.absolute))}`);
  if (change.relative !== undefined)
    parts.push(`Δ ${op} ${towards(change.relative, percent(change.relative))}`);
  return parts.join(' and ');
}

function boundText(check: GateCheck): string {
  const parts: string[] = [];
  const value = valueBoundText(check.min, check.max);
  if (value) parts.push(value);
  if (check.change && check.direction) parts.push(changeBoundText(check.change, check.direction));
  if (check.significance) {
    parts.push(
      check.significance.mode === 'improvement'
        ? `significantly better (${check.significance.test}, α ${check.significance.alpha})`
        : `fails only if significant (${check.significance.test}, α ${check.significance.alpha})`,
    );
  }
  return parts.join(' · ');
}

/** One thing a check looks at: a key in the metric maps. */
interface Target {
  key: string;
  /** Shown name of the value, e.g. `roc_auc`, `roc_auc [region=eu]`. */
  label: string;
  slice?: string;
  column?: string;
}

function targetsOf(check: GateCheck, candidate: MetricSet): Target[] | string {
  if (check.kind === 'fairness') {
    return [
      { key: fairnessKey(check.group as string, check.metric), label: `${check.metric} over ${check.group}` },
    ];
  }
  if (check.kind === 'drift') {
    if (check.metric === 'drift_share') return [{ key: driftKey('drift_share'), label: 'drift share' }];
    return (check.columns ?? []).map((column) => ({
      key: driftKey(check.metric, column),
      label: `${check.metric} of ${column}`,
      column,
    }));
  }
  const slice = check.slice;
  if (!slice) return [{ key: check.metric, label: check.metric }];
  if (slice.kind === 'one') {
    const key = sliceKey(slice.slice);
    return [{ key: metricKey(check.metric, key), label: `${check.metric} [${key}]`, slice: key }];
  }
  const found = slicesInMap(candidate.metrics, check.metric, slice.columns);
  if (found.length === 0) {
    const skipped = Object.entries(candidate.skippedSlices ?? {}).filter(([key]) =>
      slice.columns.every((column) => key.split('&').some((part) => part.startsWith(`${column}=`))),
    );
    return skipped.length > 0
      ? `every slice of ${slice.columns.join(' × ')} is below the minimum slice size (${skipped.length} skipped)`
      : `the candidate has no '${check.metric}' slices of ${slice.columns.join(' × ')}`;
  }
  return found.map((values) => {
    const key = sliceKey(values);
    return { key: metricKey(check.metric, key), label: `${check.metric} [${key}]`, slice: key };
  });
}

function missingMessage(set: MetricSet, key: string, label: string, side: string): string {
  if (key in set.metrics) {
    const reason = set.undefinedReasons?.[key];
    return `${label} is undefined for the ${side}${reason ? `: ${reason}` : ''}`;
  }
  const slicePart = key.includes('/') ? key.slice(key.indexOf('/') + 1) : undefined;
  const skippedRows = slicePart !== undefined ? set.skippedSlices?.[slicePart] : undefined;
  if (skippedRows !== undefined) {
    return `${label} was not evaluated: the slice has ${skippedRows} rows, below the minimum slice size`;
  }
  return `${label} is missing from the ${side} metrics.${didYouMean(key, Object.keys(set.metrics))}`;
}

/** Evaluates every check; one result per check, or per slice/column for checks that cover several. */
export function evaluateChecks(input: EvaluateInput): GateCheckResult[] {
  const results: GateCheckResult[] = [];
  for (const check of input.checks) {
    const targets = targetsOf(check, input.candidate);
    const common = {
      name: check.name,
      metric: check.metric,
      severity: check.severity,
      kind: check.kind,
      bound: boundText(check),
      ...(check.min === undefined ? {} : { min: check.min }),
      ...(check.max === undefined ? {} : { max: check.max }),
      ...(check.group === undefined ? {} : { group: check.group }),
      ...(check.direction === undefined ? {} : { direction: check.direction }),
    };
    if (typeof targets === 'string') {
      results.push({
        ...common,
        status: 'undefined',
        candidate: null,
        baseline: null,
        delta: null,
        message: `${check.name}: ${targets}`,
        evaluated: false,
      });
      continue;
    }
    const significance = input.significance?.[check.name];
    for (const target of targets) results.push(evaluateTarget(check, target, common, input, significance));
  }
  return results;
}

type Common = Pick<
  GateCheckResult,
  'name' | 'metric' | 'severity' | 'kind' | 'bound' | 'min' | 'max' | 'group' | 'direction'
>;

function evaluateTarget(
  check: GateCheck,
  target: Target,
  common: Common,
  input: EvaluateInput,
  significance: SignificanceOutcome | undefined,
): GateCheckResult {
  const candidate = input.candidate.metrics[target.key];
  const baselineValue = input.baseline?.metrics[target.key];
  const base = {
    ...common,
    key: target.key,
    ...(target.slice === undefined ? {} : { slice: target.slice }),
    ...(target.column === undefined ? {} : { column: target.column }),
    ...(significance ? { significance, pValue: significance.pValue } : {}),
  };
  const baseline = typeof baselineValue === 'number' ? baselineValue : null;
  const delta = typeof candidate === 'number' && baseline !== null ? candidate - baseline : null;
  const failStatus = check.severity === 'fail' ? 'fail' : 'warn';

  if (typeof candidate !== 'number') {
    return {
      ...base,
      status: 'undefined',
      candidate: null,
      baseline,
      delta: null,
      message: `${check.name}: ${missingMessage(input.candidate, target.key, target.label, 'candidate')}`,
      evaluated: false,
    };
  }

  const failures: string[] = [];
  const passes: string[] = [];
  let evaluated = false;

  if (check.min !== undefined || check.max !== undefined) {
    evaluated = true;
    if (check.min !== undefined && !atLeast(candidate, check.min)) {
      failures.push(
        `${target.label} = ${formatNumber(candidate)}, below the minimum ${formatNumber(check.min)}`,
      );
    } else if (check.max !== undefined && !atLeast(check.max, candidate)) {
      failures.push(
        `${target.label} = ${formatNumber(candidate)}, above the maximum ${formatNumber(check.max)}`,
      );
    } else {
      passes.push(`${target.label} = ${formatNumber(candidate)} ${valueBoundText(check.min, check.max)}`);
    }
  }

  const comparesWithBaseline = check.change !== undefined || check.significance?.mode === 'improvement';
  let noBaselineReason: string | undefined;
  if (comparesWithBaseline) {
    if (input.baseline === null) noBaselineReason = 'no baseline to compare with';
    else if (baseline === null) {
      noBaselineReason =
        baselineValue === null
          ? `undefined in the baseline${input.baseline.undefinedReasons?.[target.key] ? ` (${input.baseline.undefinedReasons[target.key]})` : ''}`
          : `the baseline has no '${target.key}'`;
    }
  }

  if (comparesWithBaseline && noBaselineReason === undefined && baseline !== null) {
    evaluated = true;
    const direction = check.direction as Direction;
    const improvement = direction === 'higher' ? candidate - baseline : baseline - candidate;
    const versus = `${target.label} = ${formatNumber(candidate)} vs baseline ${formatNumber(baseline)} (Δ ${formatSigned(candidate - baseline)})`;
    const changeFailure = check.change ? changeFailureOf(check.change, improvement, baseline) : undefined;
    const sig = check.significance;
    if (sig && sig.mode === 'improvement') {
      const confirmed = significance?.significant === true && significance.better === true;
      if (changeFailure) failures.push(`${versus}: ${changeFailure}`);
      else if (!confirmed)
        failures.push(`${versus}: not a significant improvement (${significanceText(significance)})`);
      else passes.push(`${versus}: significant improvement (${significanceText(significance)})`);
    } else if (changeFailure && sig) {
      if (significance?.note !== undefined || significance === undefined) {
        failures.push(
          `${versus}: ${changeFailure}; significance not computed (${significance?.note ?? 'no test result'})`,
        );
      } else if (significance.significant === true && significance.better === false) {
        failures.push(`${versus}: ${changeFailure}, and significant (${significanceText(significance)})`);
      } else {
        passes.push(`${versus}: ${changeFailure}, but not significant (${significanceText(significance)})`);
      }
    } else if (changeFailure) failures.push(`${versus}: ${changeFailure}`);
    else passes.push(`${versus} within ${changeBoundText(check.change as ChangeBound, direction)}`);
  }

  const noBaselineNote = noBaselineReason ? `change bound not evaluated: ${noBaselineReason}` : undefined;
  if (failures.length > 0) {
    return {
      ...base,
      status: failStatus,
      candidate,
      baseline,
      delta,
      message: `${check.name}: ${[...failures, ...(noBaselineNote ? [noBaselineNote] : [])].join('; ')}`,
      evaluated: true,
    };
  }
  if (!evaluated) {
    return {
      ...base,
      status: 'no-baseline',
      candidate,
      baseline,
      delta,
      message: `${check.name}: ${target.label} = ${formatNumber(candidate)}; ${noBaselineNote ?? 'nothing to evaluate'}`,
      evaluated: false,
    };
  }
  return {
    ...base,
    status: 'pass',
    candidate,
    baseline,
    delta,
    message: `${check.name}: ${[...passes, ...(noBaselineNote ? [noBaselineNote] : [])].join('; ')}`,
    evaluated: true,
  };
}

/** Why an improvement breaks a change bound, or undefined when it holds. */
function changeFailureOf(change: ChangeBound, improvement: number, baseline: number): string | undefined {
  const reasons: string[] = [];
  const magnitude = Math.abs(baseline);
  if (change.kind === 'max-regression') {
    if (change.absolute !== undefined && !atLeast(improvement, -change.absolute)) {
      reasons.push(
        `a regression of ${formatNumber(-improvement)}, more than the allowed ${formatNumber(change.absolute)}`,
      );
    }
    if (change.relative !== undefined && !atLeast(improvement, -change.relative * magnitude)) {
      const relative =
        magnitude === 0 ? 'any regression from 0' : `a regression of ${percent(-improvement / magnitude)}`;
      reasons.push(`${relative}, more than the allowed ${percent(change.relative)}`);
    }
  } else {
    if (change.absolute !== undefined && !atLeast(improvement, change.absolute)) {
      reasons.push(
        `needs an improvement of at least ${formatNumber(change.absolute)}, got ${formatSigned(improvement)}`,
      );
    }
    if (change.relative !== undefined) {
      const needed = magnitude === 0 ? ZERO_BASELINE_STEP : change.relative * magnitude;
      if (magnitude === 0 ? improvement < needed : !atLeast(improvement, needed)) {
        reasons.push(
          magnitude === 0
            ? `the baseline is 0, so it must be beaten by at least ${ZERO_BASELINE_STEP}`
            : `needs an improvement of at least ${percent(change.relative)}, got ${percent(improvement / magnitude)}`,
        );
      }
    }
  }
  return reasons.length > 0 ? reasons.join(' and ') : undefined;
}

/** `p = 0.012, α 0.05` or the interval for the bootstrap. */
export function significanceText(result: SignificanceOutcome | undefined): string {
  if (!result) return 'no test result';
  if (result.note !== undefined) return result.note;
  const interval =
    result.lower !== undefined && result.lower !== null && result.upper !== undefined && result.upper !== null
      ? `${percent(1 - result.alpha).replace(' ', '')} CI [${formatSigned(result.lower)}, ${formatSigned(result.upper)}]`
      : undefined;
  const p = result.pValue === null ? undefined : `p = ${formatNumber(result.pValue)}`;
  return [result.test, p, interval, `α ${result.alpha}`].filter(Boolean).join(', ');
}

/** The verdict over every result. */
export function verdictOf(gate: string, results: readonly GateCheckResult[]): Verdict {
  const failing = (r: GateCheckResult) =>
    r.status === 'fail' || r.status === 'warn' || r.status === 'undefined';
  const failed = results.filter((r) => r.severity === 'fail' && failing(r));
  const warnings = results.filter((r) => r.severity === 'warn' && failing(r));
  const noBaseline = results.filter((r) => r.status === 'no-baseline');
  const evaluated = results.filter((r) => r.evaluated !== false).length;
  const names = (list: GateCheckResult[]) => [...new Set(list.map((r) => r.name))];
  let line: string;
  let passed: boolean;
  if (failed.length > 0) {
    passed = false;
    const checks = names(failed);
    line = `Gate '${gate}' failed: ${checks.length} check${checks.length === 1 ? '' : 's'} failed (${checks.join(', ')}).`;
  } else if (evaluated === 0) {
    passed = false;
    line = `Gate '${gate}' did not pass: no bound could be evaluated (no baseline and no value bound), so nothing is approved.`;
  } else {
    passed = true;
    const warned = names(warnings);
    line = `Gate '${gate}' passed${warned.length > 0 ? ` with ${warned.length} warning${warned.length === 1 ? '' : 's'} (${warned.join(', ')})` : ''}.`;
  }
  return { passed, failed, warnings, noBaseline, evaluated, line };
}
