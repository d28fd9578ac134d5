/**
 * Metric keys: every number the gate compares has one flat key, the same in metrics files, GateReports
 * and MLflow runs, so a baseline from any source lines up with a candidate from any other.
 *
 * | what | key |
 * |---|---|
 * | a model metric | `roc_auc` |
 * | a model metric on a slice | `roc_auc/region=eu`, `roc_auc/region=eu&device=ios` |
 * | a fairness metric over the groups of a column | `fairness/gender/demographic_parity_ratio` |
 * | a drift statistic of a feature column | `drift/age/psi` |
 * | the share of drifted feature columns | `drift/drift_share` |
 *
 * And whether a higher value is better, from the metric's name.
 */
import { METRIC_DIRECTIONS } from '@modelops/metrics';

/** Whether a higher or a lower value is better. */
export type Direction = 'higher' | 'lower';

/** A slice: column → value, in the order written. */
export type SliceValues = Record<string, string>;

/** The canonical text of a slice, e.g. `region=eu&device=ios` (the metrics package's slice key). */
export function sliceKey(slice: SliceValues): string {
  return Object.entries(slice)
    .map(([column, value]) => `${column}=${value}`)
    .join('&');
}

/** Parses `region=eu&device=ios` into column → value; undefined when a part has no `=`. */
export function parseSliceKey(key: string): SliceValues | undefined {
  const out: SliceValues = {};
  for (const part of key.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** Key of a metric, optionally on a slice. */
export function metricKey(metric: string, slice?: SliceValues | string): string {
  if (slice === undefined) return metric;
  return `${metric}/${typeof slice === 'string' ? slice : sliceKey(slice)}`;
}

/** Key of a fairness metric (snake_case name) over the groups of `group`. */
export function fairnessKey(group: string, metric: string): string {
  return `fairness/${group}/${metric}`;
}

/** Key of a drift statistic (snake_case name) of a column, or of the drift share. */
export function driftKey(statistic: string, column?: string): string {
  return column === undefined ? `drift/${statistic}` : `drift/${column}/${statistic}`;
}

/** `demographic-parity-ratio` → `demographic_parity_ratio`. */
export function snake(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * The slices of `metric` present in a flat metrics map whose columns are exactly `columns` (in any
 * order), e.g. every `roc_auc/region=…`.
 */
export function slicesInMap(
  metrics: Readonly<Record<string, number | null>>,
  metric: string,
  columns: readonly string[],
): SliceValues[] {
  const prefix = `${metric}/`;
  const wanted = [...columns].sort().join('\u0000');
  const out: SliceValues[] = [];
  for (const key of Object.keys(metrics)) {
    if (!key.startsWith(prefix)) continue;
    const slice = parseSliceKey(key.slice(prefix.length));
    if (!slice || Object.keys(slice).sort().join('\u0000') !== wanted) continue;
    // Keep the column order of the spec so keys are built the same way for every source.
    const ordered: SliceValues = {};
    for (const column of columns) ordered[column] = slice[column] as string;
    out.push(ordered);
  }
  return out.sort((a, b) => (sliceKey(a) < sliceKey(b) ? -1 : sliceKey(a) > sliceKey(b) ? 1 : 0));
}

const LOWER_IS_BETTER =
  /(^|[_./-])(loss|log_loss|error|err|mae|mse|rmse|mape|brier|ece|latency|latency_ms|latency_s|cost|fpr|fnr)$/i;
const HIGHER_IS_BETTER =
  /(^|[_./-])(accuracy|acc|auc|roc_auc|pr_auc|precision|recall|f1|f1_score|r2|average_precision|ap|tpr|tnr|specificity|sensitivity)$/i;

/**
 * The direction of a model metric known from its name: the metrics package's table first, then the
 * name's ending (`*_loss`, `*_error`, `*_rmse` are lower-is-better; `*_auc`, `*_f1` higher).
 */
export function metricDirection(metric: string): Direction | undefined {
  const known = METRIC_DIRECTIONS[metric];
  if (known) return known;
  if (LOWER_IS_BETTER.test(metric)) return 'lower';
  if (HIGHER_IS_BETTER.test(metric)) return 'higher';
  return undefined;
}

/** Differences between groups are better small, ratios better close to 1 (high). */
export function fairnessDirection(metric: string): Direction {
  return metric.endsWith('ratio') ? 'higher' : 'lower';
}

/** p-values are better high (no evidence of drift); distances and shares are better low. */
export function driftDirection(statistic: string): Direction {
  return statistic.endsWith('p_value') || statistic.endsWith('p-value') ? 'higher' : 'lower';
}

/** Metrics a paired bootstrap can resample (the metrics package's evaluators). */
export const RESAMPLEABLE_METRICS: readonly string[] = [
  'accuracy',
  ...['precision', 'recall', 'f1'].flatMap((m) => [m, `${m}_macro`, `${m}_micro`, `${m}_weighted`]),
  'roc_auc',
  'average_precision',
  'log_loss',
  'brier',
  'mae',
  'mse',
  'rmse',
  'r2',
  'mape',
];
