/**
 * Metric analysis: the configured checks (`metrics:`), how one measurement is judged against its
 * bounds, and how the measurements of one check combine into its outcome.
 *
 * A value that is missing (no series, `null`) or NaN is **inconclusive**, never a pass: "no traffic,
 * no data" must not promote a model. A check fails when any metric is out of bounds; it is
 * inconclusive when nothing failed but some metric had no data or could not be read.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  UserError,
  parseStructured,
  readConfigFile,
  validateOrThrow,
  type AnalysisResult,
  type JsonSchema,
  type RolloutMetric,
} from '@modelops/core';

/** One metric check as configured. */
export interface MetricCheck {
  /** Name shown in the record and summary. */
  name: string;
  /** Query for query-based observers (Prometheus); may use the placeholders of {@link QueryVariables}. */
  query?: string;
  /** Key in a metrics file or GateReport (default: the name). */
  key?: string;
  /** Lowest acceptable value (inclusive). */
  min?: number;
  /** Highest acceptable value (inclusive). */
  max?: number;
}

/** What an observer measured for one metric. */
export interface Measurement {
  /** The value; `null` when there was no data (no series, missing key, NaN). */
  value: number | null;
  /** Set when the value could not be read at all (a failing service, an ambiguous answer). */
  error?: string;
  /** Why there is no value, for the record. */
  note?: string;
}

/** JSON Schema of the `metrics` input. */
export const METRICS_SCHEMA: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      query: { type: 'string', minLength: 1 },
      key: { type: 'string', minLength: 1 },
      min: { type: 'number' },
      max: { type: 'number' },
    },
    required: ['name'],
    additionalProperties: false,
  },
};

/** Parses the `metrics` input: inline YAML/JSON (a list) or the path of a file holding it. */
export async function readMetricChecks(value: string | undefined, cwd: string): Promise<MetricCheck[]> {
  if (!value) return [];
  const parsed = parseStructured(value, { input: 'metrics', what: "input 'metrics'" });
  let checks: MetricCheck[];
  if (typeof parsed === 'string') {
    const file = path.resolve(cwd, parsed);
    if (!existsSync(file)) {
      throw new UserError(
        `Input 'metrics' is neither a list of metric checks nor an existing file ('${parsed}').`,
        {
          input: 'metrics',
          fix: 'Give the checks inline (`metrics: |` then `- name: error_rate` …) or the path of a YAML file holding them.',
        },
      );
    }
    const content = await readConfigFile<unknown>(file, { input: 'metrics', what: 'metrics file' });
    const list = isRecord(content) && Array.isArray(content.metrics) ? content.metrics : content;
    checks = validateOrThrow<MetricCheck[]>(METRICS_SCHEMA, list, {
      input: 'metrics',
      file: parsed,
      what: 'metric checks',
    });
  } else {
    const list = isRecord(parsed) && Array.isArray(parsed.metrics) ? parsed.metrics : parsed;
    checks = validateOrThrow<MetricCheck[]>(METRICS_SCHEMA, list, {
      input: 'metrics',
      what: 'metric checks',
    });
  }
  const seen = new Set<string>();
  for (const check of checks) {
    if (check.min === undefined && check.max === undefined) {
      throw new UserError(`Metric '${check.name}' has neither 'min' nor 'max', so it can never fail.`, {
        input: 'metrics',
        fix: `Add \`min:\` and/or \`max:\` to '${check.name}' (inclusive bounds), or remove it.`,
      });
    }
    if (check.min !== undefined && check.max !== undefined && check.min > check.max) {
      throw new UserError(`Metric '${check.name}' has min ${check.min} above max ${check.max}.`, {
        input: 'metrics',
        fix: `Swap the bounds of '${check.name}'.`,
      });
    }
    if (seen.has(check.name)) {
      throw new UserError(`Metric '${check.name}' is listed twice.`, {
        input: 'metrics',
        fix: 'Give every metric check its own name.',
      });
    }
    seen.add(check.name);
  }
  return checks;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bounds of a check for a reader, e.g. `≤ 0.01`, `0.8 … 1`. */
export function describeBounds(check: Pick<MetricCheck, 'min' | 'max'>): string {
  if (check.min !== undefined && check.max !== undefined) return `${check.min} … ${check.max}`;
  if (check.min !== undefined) return `≥ ${check.min}`;
  return `≤ ${check.max}`;
}

/** Formats a metric value compactly. */
export function formatValue(value: number | null): string {
  if (value === null) return 'no data';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Judges one measurement against its check. */
export function judge(check: MetricCheck, measurement: Measurement, at: Date): AnalysisResult {
  const base = {
    metric: check.name,
    at: at.toISOString(),
    ...(check.min === undefined ? {} : { min: check.min }),
    ...(check.max === undefined ? {} : { max: check.max }),
  };
  if (measurement.error !== undefined) {
    return { ...base, value: null, status: 'error', message: measurement.error };
  }
  const { value } = measurement;
  if (value === null || Number.isNaN(value)) {
    return {
      ...base,
      value: null,
      status: 'inconclusive',
      message:
        measurement.note ?? 'no data: the metric has no value yet (no traffic, or the query matches nothing)',
    };
  }
  const low = check.min !== undefined && value < check.min;
  const high = check.max !== undefined && value > check.max;
  // JSON has no infinities: the record keeps them as null with the value in the message.
  const recorded = Number.isFinite(value) ? value : null;
  if (low || high) {
    return {
      ...base,
      value: recorded,
      status: 'failed',
      message: `${check.name} ${formatValue(value)} is ${low ? 'below' : 'above'} the bound ${describeBounds(check)}`,
    };
  }
  return {
    ...base,
    value: recorded,
    status: 'successful',
    message: `${check.name} ${formatValue(value)} within ${describeBounds(check)}`,
  };
}

/** The outcome of a check from its metric results (no metrics: successful). */
export function checkOutcome(results: readonly AnalysisResult[]): 'successful' | 'failed' | 'inconclusive' {
  if (results.some((r) => r.status === 'failed')) return 'failed';
  if (results.some((r) => r.status === 'inconclusive' || r.status === 'error')) return 'inconclusive';
  return 'successful';
}

/** The checks as the record stores them. */
export function toRecordMetrics(checks: readonly MetricCheck[]): RolloutMetric[] {
  return checks.map((c) => ({
    name: c.name,
    ...(c.query === undefined ? {} : { query: c.query }),
    ...(c.key === undefined ? {} : { key: c.key }),
    ...(c.min === undefined ? {} : { min: c.min }),
    ...(c.max === undefined ? {} : { max: c.max }),
  }));
}

/** Values a query may refer to as `{{name}}`. */
export interface QueryVariables {
  /** Label of the canary, e.g. `models:/churn/4` or `img:v2`. */
  canary: string;
  /** Label of the stable version. */
  stable: string;
  /** Bare version id of the canary (`4` for `models:/churn/4`; the label for other routers). */
  canary_version: string;
  /** Bare version id of the stable version. */
  stable_version: string;
  weight: number;
  /** The analysis interval as a Prometheus duration, e.g. `60s`. */
  interval: string;
  /** 1-based step number. */
  step: number;
}

/** Replaces the `{{name}}` placeholders of {@link QueryVariables} in a query. */
export function renderQuery(query: string, variables: QueryVariables): string {
  return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in variables)) {
      throw new UserError(`Query placeholder '${whole}' is unknown.`, {
        input: 'metrics',
        fix: 'Use {{canary}}, {{stable}}, {{canary_version}}, {{stable_version}}, {{weight}}, {{interval}} or {{step}}.',
      });
    }
    return String(variables[name as keyof QueryVariables]);
  });
}
