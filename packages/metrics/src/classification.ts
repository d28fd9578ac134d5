/**
 * `classificationMetrics`: every classification metric of a predictions table in one pass over the
 * rows plus one sort of the scores, with sklearn's semantics (see the package README for each rule).
 */

import { calibration, type CalibrationReport } from './calibration.ts';
import {
  classTotals,
  confusion,
  macroAverage,
  microAverage,
  prf,
  weightedAverage,
  type AveragedPrf,
} from './confusion.ts';
import { CompensatedSum, FLOAT64_EPS, numpyAverage, numpySum } from './numeric.ts';
import {
  classProblem,
  requireClassification,
  type ClassificationOptions,
  type ClassProblem,
} from './problem.ts';
import { binaryRanking } from './ranking.ts';
import type { PredictionTable } from './table.ts';

export type { ClassificationOptions } from './problem.ts';

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Total weight of rows whose true class is this one. */
  support: number;
}

/** Binary confusion counts (weighted when the table has weights). */
export interface BinaryCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Result of {@link classificationMetrics}; plain JSON (numbers, strings, null). */
export interface ClassificationReport {
  task: 'binary' | 'multiclass';
  rows: number;
  /** Total sample weight (= rows without weights). */
  weightTotal: number;
  /** Every class of the problem (binary: negative, positive). */
  classes: string[];
  /** Classes present in y ∪ ŷ: the labels macro/weighted averages run over. */
  labels: string[];
  positiveLabel: string | null;
  /** Score threshold used to predict the positive class (binary without a predicted column). */
  threshold: number | null;
  /**
   * Metric values by stable key (see docs/metrics.md): accuracy, precision, recall, f1,
   * precision_macro, …, roc_auc, average_precision, log_loss, brier, ece. `null` = undefined.
   */
  metrics: Record<string, number | null>;
  /** Why a metric is null. */
  undefinedReasons: Record<string, string>;
  /** Remarks on defined values, e.g. where `zero_division` replaced 0/0. */
  notes: Record<string, string>;
  /** Binary problems: weighted TP, FP, FN, TN of the positive class. */
  counts: BinaryCounts | null;
  perClass: ClassMetrics[];
  /** Rows: true class; columns: predicted class; over `labels`. */
  confusionMatrix: { labels: string[]; matrix: number[][] };
  calibration: CalibrationReport | null;
}

/** Binary log loss of one row as sklearn computes it: clip p, take 1 − p, renormalize. */
export function binaryLogLoss(p: number, positive: boolean): number {
  const q1 = p < FLOAT64_EPS ? FLOAT64_EPS : p > 1 - FLOAT64_EPS ? 1 - FLOAT64_EPS : p;
  const q0 = 1 - q1;
  const sum = q0 + q1;
  return -Math.log((positive ? q1 : q0) / sum);
}

/** Multiclass log loss of one row: clip every probability, renormalize, −log p(true class). */
export function multiclassLogLoss(probabilities: Float64Array[], row: number, label: number): number {
  const K = probabilities.length;
  const clipped = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const p = probabilities[k]![row]!;
    clipped[k] = p < FLOAT64_EPS ? FLOAT64_EPS : p > 1 - FLOAT64_EPS ? 1 - FLOAT64_EPS : p;
  }
  return -Math.log(clipped[label]! / numpySum(clipped));
}

function describe(names: string[], codes: number[]): string {
  return codes.map((k) => `"${names[k]}"`).join(', ');
}

function noteZeroDivision(
  notes: Record<string, string>,
  key: string,
  names: string[],
  average: AveragedPrf,
  zeroDivision: number,
  which: 'precision' | 'recall' | 'f1',
): void {
  const parts: string[] = [];
  if ((which === 'precision' || which === 'f1') && average.noPredicted.length > 0) {
    parts.push(
      `no predicted samples for ${describe(names, average.noPredicted)}: precision set to ${zeroDivision}`,
    );
  }
  if ((which === 'recall' || which === 'f1') && average.noActual.length > 0) {
    parts.push(`no true samples for ${describe(names, average.noActual)}: recall set to ${zeroDivision}`);
  }
  if (parts.length > 0) notes[key] = `zero_division: ${parts.join('; ')}`;
}

function probabilityRange(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || values[i]! > 1) return false;
  return true;
}

function weightedMean(loss: (row: number) => number, rows: number, weight?: Float64Array): number {
  const total = new CompensatedSum();
  if (!weight) {
    for (let i = 0; i < rows; i++) total.add(loss(i));
    return total.value / rows;
  }
  const weights = new CompensatedSum();
  for (let i = 0; i < rows; i++) {
    total.add(loss(i) * weight[i]!);
    weights.add(weight[i]!);
  }
  return total.value / weights.value;
}

/**
 * Compute every classification metric of a table: accuracy; precision, recall and F1 (binary for
 * the positive class, and macro / micro / weighted); ROC AUC and average precision; log loss; Brier
 * score; calibration (ECE); confusion matrix. Undefined values are `null` with a reason, never thrown.
 */
export function classificationMetrics(
  table: PredictionTable,
  options: ClassificationOptions = {},
): ClassificationReport {
  const problem = classProblem(requireClassification(table), options);
  return reportOf(problem, table.rows, options);
}

/** The report of a prepared problem (shared with slices). */
export function reportOf(
  problem: ClassProblem,
  rows: number,
  options: ClassificationOptions,
): ClassificationReport {
  const zeroDivision = options.zeroDivision ?? 0;
  const K = problem.names.length;
  const metrics: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const notes: Record<string, string> = {};
  const setUndefined = (key: string, reason: string) => {
    metrics[key] = null;
    undefinedReasons[key] = reason;
  };

  const c = confusion(problem.y, problem.yPred, K, problem.weight);
  const totals = classTotals(c);
  const labels = c.present;
  if (rows === 0 || c.weightTotal === 0) {
    setUndefined('accuracy', rows === 0 ? 'no rows' : 'total sample weight is 0');
  } else {
    let correct = 0;
    for (let k = 0; k < K; k++) correct += c.matrix[k * K + k]!;
    metrics.accuracy = correct / c.weightTotal;
  }

  const perLabel = prf(totals.tp, totals.predicted, totals.actual, labels, zeroDivision);
  if (problem.kind === 'binary') {
    const binary = prf(totals.tp, totals.predicted, totals.actual, [1], zeroDivision);
    metrics.precision = binary.precision[0]!;
    metrics.recall = binary.recall[0]!;
    metrics.f1 = binary.f1[0]!;
    const average: AveragedPrf = { ...binary, precision: 0, recall: 0, f1: 0 };
    noteZeroDivision(notes, 'precision', problem.names, average, zeroDivision, 'precision');
    noteZeroDivision(notes, 'recall', problem.names, average, zeroDivision, 'recall');
    noteZeroDivision(notes, 'f1', problem.names, average, zeroDivision, 'f1');
  }
  if (labels.length > 0) {
    const averages: [string, AveragedPrf][] = [
      ['macro', macroAverage(perLabel)],
      ['micro', microAverage(totals, labels, zeroDivision)],
      [
        'weighted',
        weightedAverage(
          perLabel,
          labels.map((k) => totals.actual[k]!),
          zeroDivision,
        ),
      ],
    ];
    for (const [name, average] of averages) {
      for (const which of ['precision', 'recall', 'f1'] as const) {
        metrics[`${which}_${name}`] = average[which];
        noteZeroDivision(notes, `${which}_${name}`, problem.names, average, zeroDivision, which);
      }
    }
  } else {
    for (const name of ['macro', 'micro', 'weighted']) {
      for (const which of ['precision', 'recall', 'f1']) setUndefined(`${which}_${name}`, 'no rows');
    }
  }

  let calibrationReport: CalibrationReport | null = null;
  if (problem.kind === 'binary') {
    const { score, y, weight } = problem;
    if (!score) {
      const reason = 'needs a score column (only predicted classes were given)';
      for (const key of ['roc_auc', 'average_precision', 'log_loss', 'brier', 'ece'])
        setUndefined(key, reason);
    } else {
      const ranking = binaryRanking(score, y, 1, weight);
      if (ranking.rocAuc === null) setUndefined('roc_auc', ranking.rocAucReason ?? 'undefined');
      else metrics.roc_auc = ranking.rocAuc;
      if (ranking.averagePrecision === null) {
        setUndefined('average_precision', ranking.averagePrecisionReason ?? 'undefined');
      } else metrics.average_precision = ranking.averagePrecision;
      if (rows === 0) setUndefined('log_loss', 'no rows');
      else metrics.log_loss = weightedMean((i) => binaryLogLoss(score[i]!, y[i] === 1), rows, weight);
      if (!probabilityRange(score)) {
        const reason = 'scores fall outside [0, 1], so they are not probabilities';
        setUndefined('brier', reason);
        setUndefined('ece', reason);
      } else if (rows === 0) {
        setUndefined('brier', 'no rows');
        setUndefined('ece', 'no rows');
      } else {
        metrics.brier = weightedMean((i) => (y[i]! - score[i]!) ** 2, rows, weight);
        calibrationReport = calibration(score, y, weight, options.calibrationBins ?? 10);
        if (calibrationReport.ece === null) setUndefined('ece', 'total sample weight is 0');
        else metrics.ece = calibrationReport.ece;
      }
    }
  } else {
    const { probabilities, y, weight } = problem;
    if (!probabilities) {
      const reason = 'needs per-class probability columns (only predicted classes were given)';
      for (const key of ['roc_auc_ovr', 'roc_auc_ovr_weighted', 'log_loss']) setUndefined(key, reason);
    } else {
      multiclassRanking(problem, probabilities, metrics, undefinedReasons);
      if (rows === 0) setUndefined('log_loss', 'no rows');
      else metrics.log_loss = weightedMean((i) => multiclassLogLoss(probabilities, i, y[i]!), rows, weight);
    }
  }

  const perClass: ClassMetrics[] = labels.map((k, index) => ({
    label: problem.names[k]!,
    precision: perLabel.precision[index]!,
    recall: perLabel.recall[index]!,
    f1: perLabel.f1[index]!,
    support: totals.actual[k]!,
  }));
  const counts: BinaryCounts | null =
    problem.kind === 'binary'
      ? { tp: c.matrix[3]!, fp: c.matrix[1]!, fn: c.matrix[2]!, tn: c.matrix[0]! }
      : null;
  return {
    task: problem.kind,
    rows,
    weightTotal: c.weightTotal,
    classes: problem.names,
    labels: labels.map((k) => problem.names[k]!),
    positiveLabel: problem.positiveLabel,
    threshold: problem.threshold,
    metrics,
    undefinedReasons,
    notes,
    counts,
    perClass,
    confusionMatrix: {
      labels: labels.map((k) => problem.names[k]!),
      matrix: labels.map((t) => labels.map((p) => c.matrix[t * K + p]!)),
    },
    calibration: calibrationReport,
  };
}

/** One-vs-rest ROC AUC, macro and support-weighted, as sklearn's `multi_class='ovr'`. */
function multiclassRanking(
  problem: ClassProblem,
  probabilities: Float64Array[],
  metrics: Record<string, number | null>,
  undefinedReasons: Record<string, string>,
): void {
  const { y, weight, names } = problem;
  const K = names.length;
  const rows = y.length;
  const fail = (reason: string) => {
    for (const key of ['roc_auc_ovr', 'roc_auc_ovr_weighted']) {
      metrics[key] = null;
      undefinedReasons[key] = reason;
    }
  };
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += probabilities[k]![i]!;
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      fail(`probabilities of row ${i + 1} sum to ${sum}, not 1 (one-vs-rest AUC needs probabilities)`);
      return;
    }
  }
  const aucs: number[] = [];
  const support: number[] = [];
  for (let k = 0; k < K; k++) {
    const ranking = binaryRanking(probabilities[k]!, y, k, weight);
    if (ranking.rocAuc === null) {
      fail(`class "${names[k]}": ${ranking.rocAucReason}`);
      return;
    }
    aucs.push(ranking.rocAuc);
    const classWeight = new CompensatedSum();
    for (let i = 0; i < rows; i++) if (y[i] === k) classWeight.add(weight ? weight[i]! : 1);
    support.push(classWeight.value);
  }
  metrics.roc_auc_ovr = numpyAverage(aucs);
  metrics.roc_auc_ovr_weighted = numpyAverage(aucs, support);
}
