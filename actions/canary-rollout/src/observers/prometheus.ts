/**
 * The Prometheus observer: one instant query per metric (`POST /api/v1/query`, form-encoded so long
 * queries fit), through the core HTTP client (timeouts, retries with jittered backoff).
 *
 * Prometheus answers a vector, a scalar, a matrix or a string, with values as strings (`"0.19"`,
 * `"NaN"`, `"+Inf"`). An empty vector (the series does not exist yet: no traffic) and `NaN` (0/0: no
 * requests in the window) are **no data**, which the analysis treats as inconclusive — never as a
 * pass. A vector of several series is ambiguous and reported as an error with the fix (aggregate it).
 * A query Prometheus refuses (400 `bad_data`, 422 `execution`) is a configuration error and stops the
 * rollout at once.
 */
import {
  HttpClient,
  HttpError,
  UserError,
  formatDuration,
  parseDuration,
  type JsonSchema,
} from '@modelops/core';
import { renderQuery, type Measurement, type MetricCheck } from '../analysis.ts';
import type { MeasureContext, Observer } from './types.ts';

/** `observer-config` of the Prometheus observer. */
export interface PrometheusConfig {
  /** Base URL, e.g. `http://prometheus:9090` (a path prefix is kept). */
  url: string;
  /** Extra headers, e.g. `Authorization: Bearer …` (pass secrets through `${{ secrets.X }}`). */
  headers?: Record<string, string>;
  /** Per-attempt timeout, e.g. `30s` (default 30 s). */
  timeout?: string;
}

/** JSON Schema of {@link PrometheusConfig}. */
export const PROMETHEUS_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', pattern: '^https?://' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    timeout: { type: 'string' },
  },
  required: ['url'],
  additionalProperties: false,
};

/** The parts of a Prometheus `/api/v1/query` answer the observer reads. */
interface QueryResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: unknown;
  };
}

type Sample = [number, string];
interface Series {
  metric?: Record<string, string>;
  value?: Sample;
}

/** Parses a Prometheus sample value: `"NaN"` is no data, `"+Inf"`/`"-Inf"` are infinities. */
export function parseSampleValue(text: string): number | null {
  if (text === 'NaN') return null;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

function labels(series: Series): string {
  const entries = Object.entries(series.metric ?? {});
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** Turns a successful `/api/v1/query` answer into a measurement. */
export function measurementFromResponse(body: unknown, query: string): Measurement {
  const response = (body ?? {}) as QueryResponse;
  if (response.status !== 'success' || !response.data) {
    return {
      value: null,
      error: `Prometheus answered status '${response.status ?? 'missing'}' for ${query}`,
    };
  }
  const { resultType, result } = response.data;
  if (resultType === 'scalar') {
    const sample = result as Sample;
    const value = parseSampleValue(String(sample?.[1]));
    return value === null ? { value, note: 'NaN: no samples in the window (0/0)' } : { value };
  }
  if (resultType === 'vector') {
    const series = (Array.isArray(result) ? result : []) as Series[];
    if (series.length === 0) {
      return {
        value: null,
        note: 'no data: the query returned no series (no traffic yet, or the labels match nothing)',
      };
    }
    if (series.length > 1) {
      const shown = series.slice(0, 3).map(labels).join(', ');
      return {
        value: null,
        error: `the query returned ${series.length} series (${shown}${series.length > 3 ? ', …' : ''}); aggregate it to one, e.g. sum(…) or max(…)`,
      };
    }
    const value = parseSampleValue(String(series[0]?.value?.[1]));
    return value === null ? { value, note: 'NaN: no samples in the window (0/0)' } : { value };
  }
  return {
    value: null,
    error: `the query returned a ${resultType ?? 'missing'} result; an instant query must give one number (wrap range vectors in rate(…) or avg_over_time(…))`,
  };
}

/** Reads metrics from Prometheus; see the module comment. */
export class PrometheusObserver implements Observer {
  readonly kind = 'prometheus';
  readonly description: string;
  private readonly http: HttpClient;

  constructor(config: PrometheusConfig, options: { log?: (line: string) => void } = {}) {
    const timeoutMs = config.timeout === undefined ? 30_000 : parseDuration(config.timeout);
    if (timeoutMs === undefined || timeoutMs <= 0) {
      throw new UserError(`observer-config timeout '${config.timeout}' is not a duration.`, {
        input: 'observer-config',
        fix: 'Write a duration such as `10s`.',
      });
    }
    this.http = new HttpClient({
      service: 'Prometheus',
      baseUrl: config.url,
      ...(config.headers ? { headers: config.headers } : {}),
      timeoutMs,
      ...(options.log ? { log: options.log } : {}),
    });
    this.description = `${this.http.serviceName} (timeout ${formatDuration(timeoutMs)})`;
  }

  validate(checks: readonly MetricCheck[]): void {
    for (const check of checks) {
      if (!check.query) {
        throw new UserError(`Metric '${check.name}' has no 'query', which the prometheus observer needs.`, {
          input: 'metrics',
          fix: `Add \`query:\` (PromQL giving one number) to '${check.name}'.`,
        });
      }
      if (check.key !== undefined) {
        throw new UserError(`Metric '${check.name}' has a 'key', which only file observers read.`, {
          input: 'metrics',
          fix: `Remove \`key:\` from '${check.name}'; the prometheus observer runs its \`query\`.`,
        });
      }
    }
  }

  /** Fails before any traffic moves when Prometheus cannot be reached (after retries). */
  async preflight(): Promise<void> {
    await this.http.request({ path: 'api/v1/status/buildinfo' });
  }

  async measure(check: MetricCheck, context: MeasureContext): Promise<Measurement> {
    const query = renderQuery(check.query ?? '', context.variables);
    const form = new URLSearchParams({ query, time: (context.now.getTime() / 1000).toFixed(3) });
    try {
      const response = await this.http.request({
        method: 'POST',
        path: 'api/v1/query',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      return measurementFromResponse(response.body, query);
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 422)) {
        const body = error.body as QueryResponse | undefined;
        throw new UserError(
          `Prometheus refused the query of metric '${check.name}' (${body?.errorType ?? `HTTP ${error.status}`}: ${body?.error ?? error.message}).`,
          {
            input: 'metrics',
            fix: `Fix the PromQL of '${check.name}'; try it in the Prometheus UI first. Query: ${query}`,
          },
        );
      }
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
        throw new UserError(`Prometheus refused access (HTTP ${error.status}) for metric '${check.name}'.`, {
          input: 'observer-config',
          fix: 'Pass credentials under `headers:` in observer-config (e.g. `Authorization: Bearer ${{ secrets.PROM_TOKEN }}`).',
        });
      }
      if (error instanceof HttpError) {
        // The service stayed unavailable after retries: this check cannot judge the canary.
        return { value: null, error: error.describe() };
      }
      throw error;
    }
  }
}
