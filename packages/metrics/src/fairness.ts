/**
 * `fairness`: Fairlearn's group metrics of a binary classifier — selection rate, TPR and FPR per
 * group; demographic parity, equalized odds and equal opportunity as differences (max − min) and
 * ratios (min / max); and the four-fifths rule. Unlike Fairlearn, a group with no positives has an
 * undefined TPR (not 0), and groups below a minimum size are left out of the comparisons.
 */

import { CompensatedSum } from './numeric.ts';
import { MetricsOptionsError } from './errors.ts';
import { classProblem, requireClassification, type ClassificationOptions } from './problem.ts';
import type { PredictionTable } from './table.ts';

/** Options of {@link fairness}. */
export interface FairnessOptions extends ClassificationOptions {
  /** The sensitive-feature column (one of the table's group columns). */
  group: string;
  /** Groups with fewer rows are reported but excluded from differences and ratios. Default 1. */
  minGroupSize?: number;
  /** Four-fifths rule threshold on selection-rate ratios. Default 0.8 (29 CFR 1607.4(D)). */
  fourFifthsThreshold?: number;
}

/** Rates of one group. */
export interface GroupRates {
  group: string;
  rows: number;
  /** Total weight of the group. */
  weight: number;
  /** Total weight of rows whose true class is positive. */
  positives: number;
  /** Total weight of rows whose true class is negative. */
  negatives: number;
  selectionRate: number | null;
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
  /** Why a rate is null. */
  undefinedReasons: Record<string, string>;
  /** Why the group is left out of the comparisons (too small), or null. */
  excluded: string | null;
}

/** The four-fifths (80 %) rule on selection rates. */
export interface FourFifthsRule {
  threshold: number;
  /** Group with the highest selection rate, the denominator of every ratio. */
  referenceGroup: string | null;
  /** Selection rate of each compared group ÷ the highest one. */
  ratios: Record<string, number>;
  /** Groups whose ratio is below the threshold. */
  failing: string[];
  /** null when undefined (no compared group, or nobody selected). */
  passes: boolean | null;
  reason: string | null;
}

/** Result of {@link fairness}; plain JSON. */
export interface FairnessReport {
  group: string;
  positiveLabel: string | null;
  minGroupSize: number;
  groups: GroupRates[];
  /**
   * demographic_parity_difference/_ratio, equal_opportunity_difference/_ratio (TPR),
   * false_positive_rate_difference/_ratio, equalized_odds_difference/_ratio.
   */
  metrics: Record<string, number | null>;
  undefinedReasons: Record<string, string>;
  fourFifths: FourFifthsRule;
}

function spread(
  values: (number | null)[],
  what: string,
): { difference: number | null; ratio: number | null; reason?: string; ratioReason?: string } {
  const defined = values.filter((value): value is number => value !== null);
  if (defined.length === 0)
    return {
      difference: null,
      ratio: null,
      reason: `no group has a defined ${what}`,
      ratioReason: `no group has a defined ${what}`,
    };
  const max = Math.max(...defined);
  const min = Math.min(...defined);
  if (max === 0)
    return {
      difference: max - min,
      ratio: null,
      ratioReason: `every group has ${what} 0, so the ratio is 0/0`,
    };
  return { difference: max - min, ratio: min / max };
}

/** Compute group rates, parity differences and ratios, and the four-fifths rule. */
export function fairness(predictions: PredictionTable, options: FairnessOptions): FairnessReport {
  const table = requireClassification(predictions);
  const column = table.groups[options.group];
  if (!column) {
    throw new MetricsOptionsError(
      `Group column "${options.group}" was not read.`,
      'List it under `groups` when reading the predictions.',
    );
  }
  const problem = classProblem(table, options);
  if (problem.kind !== 'binary') {
    throw new MetricsOptionsError(
      'Fairness rates need a binary classifier.',
      'Give a binary `score` or `predicted` column and, if needed, `positiveLabel`.',
    );
  }
  const minGroupSize = options.minGroupSize ?? 1;
  const G = column.categories.length;
  const rows = new Int32Array(G);
  const sums = Array.from({ length: G }, () => ({
    weight: new CompensatedSum(),
    selected: new CompensatedSum(),
    positives: new CompensatedSum(),
    negatives: new CompensatedSum(),
    truePositives: new CompensatedSum(),
    falsePositives: new CompensatedSum(),
  }));
  const { y, yPred, weight } = problem;
  for (let i = 0; i < table.rows; i++) {
    const g = column.codes[i]!;
    const w = weight ? weight[i]! : 1;
    const s = sums[g]!;
    rows[g] = rows[g]! + 1;
    s.weight.add(w);
    if (yPred[i] === 1) s.selected.add(w);
    if (y[i] === 1) {
      s.positives.add(w);
      if (yPred[i] === 1) s.truePositives.add(w);
    } else {
      s.negatives.add(w);
      if (yPred[i] === 1) s.falsePositives.add(w);
    }
  }
  const order = column.categories
    .map((name, g) => ({ name, g }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const groups: GroupRates[] = [];
  for (const { name, g } of order) {
    if (rows[g] === 0) continue;
    const s = sums[g]!;
    const reasons: Record<string, string> = {};
    const total = s.weight.value;
    const positives = s.positives.value;
    const negatives = s.negatives.value;
    const selectionRate = total > 0 ? s.selected.value / total : null;
    if (selectionRate === null) reasons.selectionRate = 'the group has zero total weight';
    const truePositiveRate = positives > 0 ? s.truePositives.value / positives : null;
    if (truePositiveRate === null)
      reasons.truePositiveRate = 'the group has no positive samples (Fairlearn would report 0)';
    const falsePositiveRate = negatives > 0 ? s.falsePositives.value / negatives : null;
    if (falsePositiveRate === null)
      reasons.falsePositiveRate = 'the group has no negative samples (Fairlearn would report 0)';
    groups.push({
      group: name,
      rows: rows[g]!,
      weight: total,
      positives,
      negatives,
      selectionRate,
      truePositiveRate,
      falsePositiveRate,
      undefinedReasons: reasons,
      excluded:
        rows[g]! < minGroupSize ? `${rows[g]} rows, below the minimum group size ${minGroupSize}` : null,
    });
  }
  const compared = groups.filter((group) => group.excluded === null);
  const metrics: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  const record = (name: string, values: (number | null)[], what: string) => {
    const result = spread(values, what);
    metrics[`${name}_difference`] = result.difference;
    metrics[`${name}_ratio`] = result.ratio;
    if (result.reason) undefinedReasons[`${name}_difference`] = result.reason;
    if (result.ratioReason) undefinedReasons[`${name}_ratio`] = result.ratioReason;
  };
  record(
    'demographic_parity',
    compared.map((group) => group.selectionRate),
    'selection rate',
  );
  record(
    'equal_opportunity',
    compared.map((group) => group.truePositiveRate),
    'true positive rate',
  );
  record(
    'false_positive_rate',
    compared.map((group) => group.falsePositiveRate),
    'false positive rate',
  );
  const tprDiff = metrics.equal_opportunity_difference ?? null;
  const fprDiff = metrics.false_positive_rate_difference ?? null;
  const tprRatio = metrics.equal_opportunity_ratio ?? null;
  const fprRatio = metrics.false_positive_rate_ratio ?? null;
  metrics.equalized_odds_difference =
    tprDiff === null || fprDiff === null ? null : Math.max(tprDiff, fprDiff);
  if (metrics.equalized_odds_difference === null) {
    undefinedReasons.equalized_odds_difference = 'needs both the TPR and the FPR difference';
  }
  metrics.equalized_odds_ratio = tprRatio === null || fprRatio === null ? null : Math.min(tprRatio, fprRatio);
  if (metrics.equalized_odds_ratio === null)
    undefinedReasons.equalized_odds_ratio = 'needs both the TPR and the FPR ratio';

  const threshold = options.fourFifthsThreshold ?? 0.8;
  const rated = compared.filter((group) => group.selectionRate !== null);
  let fourFifths: FourFifthsRule;
  if (rated.length === 0) {
    fourFifths = {
      threshold,
      referenceGroup: null,
      ratios: {},
      failing: [],
      passes: null,
      reason: 'no group to compare',
    };
  } else {
    const reference = rated.reduce((best, group) =>
      group.selectionRate! > best.selectionRate! ? group : best,
    );
    if (reference.selectionRate === 0) {
      fourFifths = {
        threshold,
        referenceGroup: reference.group,
        ratios: {},
        failing: [],
        passes: null,
        reason: 'no group has any positive prediction',
      };
    } else {
      const ratios: Record<string, number> = {};
      const failing: string[] = [];
      for (const group of rated) {
        const ratio = group.selectionRate! / reference.selectionRate!;
        ratios[group.group] = ratio;
        if (ratio < threshold) failing.push(group.group);
      }
      fourFifths = {
        threshold,
        referenceGroup: reference.group,
        ratios,
        failing,
        passes: failing.length === 0,
        reason: null,
      };
    }
  }
  return {
    group: options.group,
    positiveLabel: problem.positiveLabel,
    minGroupSize,
    groups,
    metrics,
    undefinedReasons,
    fourFifths,
  };
}
