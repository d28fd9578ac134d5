/**
 * Observers read metrics for the analysis. Each is a small object behind {@link Observer}, so adding
 * one (Datadog, CloudWatch, an HTTP webhook…) is one file and one line in `index.ts`.
 */
import type { Measurement, MetricCheck, QueryVariables } from '../analysis.ts';

/** What an observer knows about the moment it measures. */
export interface MeasureContext {
  /** Placeholders for queries. */
  variables: QueryVariables;
  /** When the measurement is taken. */
  now: Date;
}

/** Reads one metric at a time. */
export interface Observer {
  /** Kind as written in the `observer` input, e.g. `prometheus`. */
  readonly kind: string;
  /** One line for the log, e.g. `Prometheus at http://prometheus:9090`. */
  readonly description: string;
  /** Refuses metric checks this observer cannot measure (throws a `UserError` naming the metric). */
  validate(checks: readonly MetricCheck[]): void;
  /** Checks that the source can be read at all, before any traffic moves (optional). */
  preflight?(): Promise<void>;
  /** Measures a metric; `value: null` when there is no data. Throws only for configuration errors. */
  measure(check: MetricCheck, context: MeasureContext): Promise<Measurement>;
}
