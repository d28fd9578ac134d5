/**
 * @modelops/metrics — exact, streaming model-quality, fairness, significance and drift metrics that
 * match scikit-learn and Fairlearn. Results are plain JSON: numbers, strings and `null` (undefined,
 * with a reason alongside). Metric keys are stable; see docs/metrics.md.
 */

export { readPredictions, readFeatures, readTable, canonicalClasses } from './read.ts';
export type { ReadOptions, FileFormat, ColumnSpec, FeatureColumns } from './read.ts';
export type {
  PredictionColumns,
  PredictionTable,
  ClassificationTable,
  RegressionTable,
  DataTable,
  Column,
  NumericColumn,
  CategoricalColumn,
} from './table.ts';
export { selectRows } from './table.ts';

export { classificationMetrics, binaryLogLoss } from './classification.ts';
export type {
  ClassificationReport,
  ClassificationOptions,
  ClassMetrics,
  BinaryCounts,
} from './classification.ts';
export type { CalibrationReport, CalibrationBin } from './calibration.ts';
export { regressionMetrics } from './regression.ts';
export type { RegressionReport } from './regression.ts';
export { sliceMetrics } from './slices.ts';
export type { SliceOptions, SliceReport, SliceResult } from './slices.ts';
export { fairness } from './fairness.ts';
export type { FairnessOptions, FairnessReport, GroupRates, FourFifthsRule } from './fairness.ts';

export { pairTables } from './join.ts';
export type { JoinOptions, PairedTables } from './join.ts';
export {
  mcnemar,
  mcnemarFromCounts,
  pairedBootstrap,
  bootstrapResampler,
  percentileLinear,
  delong,
} from './significance.ts';
export type {
  McNemarResult,
  PairedOptions,
  BootstrapOptions,
  BootstrapResult,
  DeLongResult,
} from './significance.ts';
export { metricEvaluator, METRIC_DIRECTIONS } from './evaluators.ts';
export type { MetricEvaluator } from './evaluators.ts';

export { drift } from './drift.ts';
export type { DriftOptions, DriftReport, ColumnDrift, DriftTest } from './drift.ts';

export { MetricsError, PredictionsFileError, MetricsOptionsError, JoinError } from './errors.ts';
export type { MetricsErrorCode, InputLocation } from './errors.ts';
