/**
 * Observers that read numbers from files, for pipelines that judge a model by offline numbers (the
 * local example pipeline) or by numbers another process keeps writing:
 *
 * - `metrics-file`: a JSON/YAML object of flat keys (`{"error_rate": 0.004}`, or the same under a
 *   `metrics` key). The file is read again at every check, so a sidecar can refresh it.
 * - `gate-report`: a GateReport of model-gate; the candidate's metrics, plus `gate.passed` (1 or 0).
 *
 * A key that is missing, `null` or `"NaN"` is no data (inconclusive); a file that cannot be read is
 * an error of that check, so a half-written file does not stop the rollout on its own.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  UserError,
  describeError,
  didYouMean,
  parseStructured,
  readDocument,
  type JsonSchema,
} from '@modelops/core';
import type { Measurement, MetricCheck } from '../analysis.ts';
import type { Observer } from './types.ts';

/** `observer-config` of the file observers. */
export interface FileObserverConfig {
  /** Path of the file, relative to the workspace. */
  file: string;
}

/** JSON Schema of {@link FileObserverConfig}. */
export const FILE_OBSERVER_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { file: { type: 'string', minLength: 1 } },
  required: ['file'],
  additionalProperties: false,
};

/** A flat table of metric values read from a file. */
type MetricTable = Record<string, number | null>;

function toNumber(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (value === 'NaN' || value === 'nan') return null;
    if (value === '+Inf' || value === 'inf' || value === 'Inf') return Infinity;
    if (value === '-Inf' || value === '-inf') return -Infinity;
    const n = Number(value);
    return value.trim() !== '' && !Number.isNaN(n) ? n : undefined;
  }
  return undefined;
}

/** Flattens `{"a": {"b": 1}}` into `{"a/b": 1}` (the suite's flat metric keys). */
export function flattenMetrics(value: unknown, prefix = '', out: MetricTable = {}): MetricTable {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      flattenMetrics(inner, prefix ? `${prefix}/${key}` : key, out);
    return out;
  }
  const n = toNumber(value);
  if (n !== undefined && prefix) out[prefix] = n;
  return out;
}

abstract class FileObserver implements Observer {
  abstract readonly kind: string;
  readonly description: string;
  protected readonly file: string;
  protected readonly display: string;

  constructor(config: FileObserverConfig, cwd: string) {
    this.file = path.resolve(cwd, config.file);
    this.display = config.file;
    this.description = `${config.file}`;
  }

  validate(checks: readonly MetricCheck[]): void {
    for (const check of checks) {
      if (check.query !== undefined) {
        throw new UserError(
          `Metric '${check.name}' has a 'query', which the ${this.kind} observer does not run.`,
          {
            input: 'metrics',
            fix: `Remove \`query:\` from '${check.name}' (the value is read from ${this.display} under \`key:\`, default the name), or use \`observer: prometheus\`.`,
          },
        );
      }
    }
  }

  /** Reads the file into a flat table; throws a `UserError` naming the file when it is unusable. */
  protected abstract load(): Promise<MetricTable>;

  /** Fails early when the file is missing or malformed, before any traffic moves. */
  async preflight(): Promise<void> {
    await this.load();
  }

  async measure(check: MetricCheck): Promise<Measurement> {
    let table: MetricTable;
    try {
      table = await this.load();
    } catch (error) {
      return { value: null, error: describeError(error) };
    }
    const key = check.key ?? check.name;
    if (!(key in table)) {
      return {
        value: null,
        note: `no data: ${this.display} has no metric '${key}'.${didYouMean(key, Object.keys(table))}`.trim(),
      };
    }
    const value = table[key] ?? null;
    return value === null
      ? { value, note: `no data: '${key}' is null or NaN in ${this.display}` }
      : { value };
  }
}

/** Reads a flat metrics file at every check. */
export class MetricsFileObserver extends FileObserver {
  readonly kind = 'metrics-file';

  protected async load(): Promise<MetricTable> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(
        `Cannot read the metrics file '${this.display}' (${code === 'ENOENT' ? 'no such file' : code}).`,
        {
          input: 'observer-config',
          file: this.display,
          fix: 'Check `file:` in observer-config and that the step writing the metrics ran before this one.',
        },
      );
    }
    const parsed = parseStructured(text, { file: this.display, what: 'metrics file' });
    const root =
      parsed !== null && typeof parsed === 'object' && 'metrics' in parsed
        ? (parsed as { metrics: unknown }).metrics
        : parsed;
    if (root === null || typeof root !== 'object' || Array.isArray(root)) {
      throw new UserError(`The metrics file '${this.display}' is not an object of metric values.`, {
        input: 'observer-config',
        file: this.display,
        fix: 'Write an object such as {"error_rate": 0.004, "p99_ms": 180}.',
      });
    }
    return flattenMetrics(root);
  }
}

/** Reads the candidate metrics of a model-gate GateReport. */
export class GateReportObserver extends FileObserver {
  readonly kind = 'gate-report';

  protected async load(): Promise<MetricTable> {
    const report = await readDocument('GateReport', this.file, { input: 'observer-config' });
    return { ...report.candidate.metrics, 'gate.passed': report.passed ? 1 : 0 };
  }
}
