/**
 * Metrics from files, with the metrics package: a predictions file → model metrics, slice metrics and
 * fairness under flat keys; two feature files → drift; candidate and baseline predictions on the same
 * rows → significance tests. Problems with the files become {@link UserError}s naming the input, the
 * file and the fix.
 */
import path from 'node:path';
import { UserError } from '@modelops/core';
import type { DriftColumn, FairnessDetail, SignificanceResult } from '@modelops/core';
import {
  MetricsError,
  classificationMetrics,
  delong,
  drift,
  fairness,
  mcnemar,
  pairedBootstrap,
  readFeatures,
  readPredictions,
  regressionMetrics,
  sliceMetrics,
  type PredictionColumns,
  type PredictionTable,
} from '@modelops/metrics';
import type { DriftSpec, GateCheck, GateSpec, PredictionsSpec } from './spec.ts';
import { driftKey, fairnessKey, metricKey } from './metric-keys.ts';
import type { MetricSet } from './evaluate.ts';

/** Where a file came from, for messages. */
export interface FileOrigin {
  /** The action input that named the file (`predictions`, `baseline`) or `spec` for spec paths. */
  input: string;
  /** The workspace; relative paths resolve against it. */
  cwd: string;
}

/** Metrics computed from one predictions file. */
export interface ComputedPredictions {
  set: MetricSet & { metrics: Record<string, number | null>; undefinedReasons: Record<string, string> };
  table: PredictionTable;
  task: 'binary' | 'multiclass' | 'regression';
  rows: number;
  fairness: FairnessDetail[];
  skippedSlices: { key: string; rows: number }[];
}

/** Turns a metrics-package error into a user error naming the input and the file. */
export function asUserError(error: unknown, origin: { input: string; file?: string }): unknown {
  if (!(error instanceof MetricsError)) return error;
  const problem = error.message.endsWith(error.fix)
    ? error.message.slice(0, -error.fix.length).trim()
    : error.message;
  return new UserError(problem, {
    input: origin.input,
    ...(origin.file === undefined ? {} : { file: origin.file }),
    fix: error.fix,
    cause: error,
  });
}

function classificationOptions(p: PredictionsSpec) {
  return {
    ...(p.positiveLabel === undefined ? {} : { positiveLabel: p.positiveLabel }),
    ...(p.threshold === undefined ? {} : { threshold: p.threshold }),
    ...(p.zeroDivision === undefined ? {} : { zeroDivision: p.zeroDivision }),
  };
}

/** Slice column combinations the checks need, in the order they are written. */
export function sliceCombos(checks: readonly GateCheck[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const check of checks) {
    if (!check.slice) continue;
    const combo = check.slice.kind === 'one' ? Object.keys(check.slice.slice) : check.slice.columns;
    seen.set(combo.join('\u0000'), combo);
  }
  return [...seen.values()];
}

/** Fairness columns the checks need, with their minimum group size. */
export function fairnessGroups(checks: readonly GateCheck[]): Map<string, number> {
  const groups = new Map<string, number>();
  for (const check of checks) {
    if (check.kind === 'fairness' && check.group !== undefined)
      groups.set(check.group, check.minGroupSize ?? 1);
  }
  return groups;
}

/** Reads a predictions file and computes every metric the spec can check. */
export async function computeFromPredictions(
  file: string,
  spec: GateSpec,
  origin: FileOrigin,
): Promise<ComputedPredictions> {
  const columns = spec.predictions;
  if (!columns) {
    throw new UserError(`A predictions file was given, but the spec does not say which columns hold what.`, {
      input: 'spec',
      fix: 'Add `predictions: {label: <column>, score: <column>}` to the spec (see docs/gate-spec.md).',
    });
  }
  const combos = sliceCombos(spec.checks);
  const groups = fairnessGroups(spec.checks);
  const groupColumns = [...new Set([...combos.flat(), ...groups.keys()])];
  const mapping: PredictionColumns = {
    label: columns.label,
    ...(columns.score === undefined ? {} : { score: columns.score }),
    ...(columns.probabilities === undefined ? {} : { probabilities: columns.probabilities }),
    ...(columns.predicted === undefined ? {} : { predicted: columns.predicted }),
    ...(columns.prediction === undefined ? {} : { prediction: columns.prediction }),
    ...(columns.weight === undefined ? {} : { weight: columns.weight }),
    ...(columns.id === undefined ? {} : { id: columns.id }),
    ...(groupColumns.length > 0 ? { groups: groupColumns } : {}),
  };
  const absolute = path.resolve(origin.cwd, file);
  const where = { input: origin.input, file };
  let table: PredictionTable;
  try {
    table = await readPredictions(absolute, mapping, {
      ...(columns.format === undefined ? {} : { format: columns.format }),
      ...(columns.labels === undefined ? {} : { labels: columns.labels }),
    });
  } catch (error) {
    throw asUserError(error, where);
  }
  try {
    return metricsOf(table, spec, columns, combos, groups);
  } catch (error) {
    throw asUserError(error, where);
  }
}

function metricsOf(
  table: PredictionTable,
  spec: GateSpec,
  columns: PredictionsSpec,
  combos: string[][],
  groups: Map<string, number>,
): ComputedPredictions {
  const options = classificationOptions(columns);
  const metrics: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const overall =
    table.task === 'regression' ? regressionMetrics(table) : classificationMetrics(table, options);
  Object.assign(metrics, overall.metrics);
  Object.assign(undefinedReasons, overall.undefinedReasons);
  const task = overall.task;

  const skippedSlices: { key: string; rows: number }[] = [];
  if (combos.length > 0) {
    const report = sliceMetrics(table, {
      ...options,
      by: combos.filter((combo) => combo.length === 1).map((combo) => combo[0] as string),
      crossed: combos.filter((combo) => combo.length > 1),
      minSize: spec.sliceMinSize,
    });
    for (const slice of report.slices) {
      if (!slice.report) {
        skippedSlices.push({ key: slice.key, rows: slice.rows });
        continue;
      }
      for (const [metric, value] of Object.entries(slice.report.metrics))
        metrics[metricKey(metric, slice.key)] = value;
      for (const [metric, reason] of Object.entries(slice.report.undefinedReasons)) {
        undefinedReasons[metricKey(metric, slice.key)] = reason;
      }
    }
  }

  const details: FairnessDetail[] = [];
  for (const [group, minGroupSize] of groups) {
    if (table.task !== 'classification') {
      throw new UserError(
        `Fairness checks on '${group}' need a binary classifier, but the predictions are a regression.`,
        {
          input: 'spec',
          fix: 'Remove the fairness checks, or give a classifier’s predictions (`score` or `predicted`).',
        },
      );
    }
    const report = fairness(table, { ...options, group, minGroupSize });
    for (const [metric, value] of Object.entries(report.metrics)) metrics[fairnessKey(group, metric)] = value;
    for (const [metric, reason] of Object.entries(report.undefinedReasons)) {
      undefinedReasons[fairnessKey(group, metric)] = reason;
    }
    details.push({
      group,
      minGroupSize,
      positiveLabel: report.positiveLabel,
      groups: report.groups.map((g) => ({
        group: g.group,
        rows: g.rows,
        selectionRate: g.selectionRate,
        truePositiveRate: g.truePositiveRate,
        falsePositiveRate: g.falsePositiveRate,
        excluded: g.excluded,
      })),
      metrics: report.metrics,
    });
  }

  return {
    set: {
      metrics,
      undefinedReasons,
      skippedSlices: Object.fromEntries(skippedSlices.map((s) => [s.key, s.rows])),
      complete: true,
    },
    table,
    task,
    rows: table.rows,
    fairness: details,
    skippedSlices,
  };
}

/** Drift of the configured feature columns, under `drift/<column>/<statistic>` and `drift/drift_share`. */
export interface ComputedDrift {
  metrics: Record<string, number | null>;
  undefinedReasons: Record<string, string>;
  columns: DriftColumn[];
  driftShare: number;
}

/** Compares the reference and current feature files of the spec. */
export async function computeDrift(config: DriftSpec, cwd: string): Promise<ComputedDrift> {
  const features = { numeric: config.numeric, categorical: config.categorical };
  const read = async (file: string, key: 'reference' | 'current') => {
    try {
      return await readFeatures(path.resolve(cwd, file), features, {
        ...(config.format === undefined ? {} : { format: config.format }),
      });
    } catch (error) {
      throw asUserError(error, { input: 'spec', file: `${file} (drift.${key})` });
    }
  };
  const reference = await read(config.reference, 'reference');
  const current = await read(config.current, 'current');
  let report;
  try {
    report = drift(reference, current, { ...(config.bins === undefined ? {} : { bins: config.bins }) });
  } catch (error) {
    throw asUserError(error, { input: 'spec' });
  }
  const metrics: Record<string, number | null> = { [driftKey('drift_share')]: report.driftShare };
  const undefinedReasons: Record<string, string> = {};
  for (const column of report.columns) {
    for (const [statistic, value] of Object.entries(column.stats))
      metrics[driftKey(statistic, column.column)] = value;
    for (const [statistic, reason] of Object.entries(column.undefinedReasons)) {
      undefinedReasons[driftKey(statistic, column.column)] = reason;
    }
  }
  return {
    metrics,
    undefinedReasons,
    driftShare: report.driftShare,
    columns: report.columns.map((c) => ({
      column: c.column,
      type: c.type,
      test: c.test,
      value: c.value,
      threshold: c.threshold,
      drifted: c.drifted,
      stats: c.stats,
    })),
  };
}

/**
 * Runs the significance test of a check on candidate and baseline predictions of the same rows. A
 * problem pairing the rows (different test sets) is reported in `note`, and the check fails safe.
 */
export function significanceOf(
  check: GateCheck,
  candidate: PredictionTable,
  baseline: PredictionTable | undefined,
  columns: PredictionsSpec,
): SignificanceResult {
  const sig = check.significance;
  if (!sig) throw new Error(`internal: check '${check.name}' has no significance settings`);
  const head = { test: sig.test, alpha: sig.alpha, mode: sig.mode };
  const none = (note: string): SignificanceResult => ({
    ...head,
    pValue: null,
    difference: null,
    significant: null,
    better: null,
    note,
  });
  if (!baseline) return none('the test needs the baseline as a predictions file (baseline: <file>)');
  const options = classificationOptions(columns);
  const higher = check.direction !== 'lower';
  const sideOf = (difference: number | null) =>
    difference === null || difference === 0 ? null : higher ? difference > 0 : difference < 0;
  try {
    if (sig.test === 'mcnemar') {
      if (candidate.task !== 'classification' || baseline.task !== 'classification') {
        return none("McNemar's test needs classifiers");
      }
      const result = mcnemar(candidate, baseline, options);
      const difference = result.candidateAccuracy - result.baselineAccuracy;
      return {
        ...head,
        pValue: result.exactP,
        difference,
        significant: result.exactP < sig.alpha,
        better: sideOf(difference),
      };
    }
    if (sig.test === 'delong') {
      if (candidate.task !== 'classification' || baseline.task !== 'classification') {
        return none("DeLong's test needs binary classifiers with a score");
      }
      const result = delong(candidate, baseline, { ...options, confidence: 1 - sig.alpha });
      if (result.pValue === null) return none(result.reason ?? 'DeLong’s test is undefined here');
      return {
        ...head,
        pValue: result.pValue,
        lower: result.lower,
        upper: result.upper,
        difference: result.difference,
        significant: result.pValue < sig.alpha,
        better: sideOf(result.difference),
      };
    }
    const result = pairedBootstrap(candidate, baseline, {
      ...options,
      metric: check.metric,
      resamples: sig.resamples,
      seed: sig.seed,
      confidence: 1 - sig.alpha,
    });
    if (result.lower === null || result.upper === null) return none('the bootstrap interval is undefined');
    const significant = result.lower > 0 || result.upper < 0;
    return {
      ...head,
      pValue: null,
      lower: result.lower,
      upper: result.upper,
      difference: result.difference,
      significant,
      better: significant ? sideOf(result.lower > 0 ? 1 : -1) : sideOf(result.difference),
    };
  } catch (error) {
    if (error instanceof MetricsError) return none(`${error.message}`);
    throw error;
  }
}
