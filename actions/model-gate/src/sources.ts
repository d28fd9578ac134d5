/**
 * Where the numbers come from: the `candidate` and `baseline` inputs parsed into sources, metrics
 * files (a flat map, `{metrics: …}`, or a GateReport) read and checked, and MLflow runs and model
 * versions read through the MLflow client.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, parseDocument, parseStructured, type GateReport } from '@modelops/core';
import {
  MlflowAliasNotFoundError,
  MlflowNotFoundError,
  parseModelUri,
  type MlflowClient,
  type ModelUri,
  type ModelVersion,
  type Run,
} from '@modelops/mlflow-client';

/** Extensions of predictions files (the metrics package's readers). */
const PREDICTION_EXTENSIONS = ['.csv', '.tsv', '.jsonl', '.ndjson', '.parquet', '.pq'];

/** A parsed `baseline` input. */
export type BaselineInput =
  | { kind: 'none' }
  | { kind: 'auto' }
  | { kind: 'artifact' }
  | { kind: 'mlflow'; uri: ModelUri }
  | { kind: 'metrics-file'; file: string }
  | { kind: 'predictions-file'; file: string };

/** What kind of file a path names, by extension. */
export function fileKind(file: string): 'metrics-file' | 'predictions-file' | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json') || lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'metrics-file';
  if (PREDICTION_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'predictions-file';
  return undefined;
}

/** Parses the `baseline` input. */
export function parseBaselineInput(text: string): BaselineInput {
  const value = text.trim();
  if (value === '' || value === 'auto') return { kind: 'auto' };
  if (value === 'none') return { kind: 'none' };
  if (value === 'artifact') return { kind: 'artifact' };
  if (value.startsWith('models:') || value.startsWith('runs:')) {
    return { kind: 'mlflow', uri: parseModelUri(value, 'baseline') };
  }
  const kind = fileKind(value);
  if (!kind) {
    throw new UserError(
      `Input 'baseline' must be auto, none, artifact, an MLflow URI or a file, got '${value}'.`,
      {
        input: 'baseline',
        fix: 'Use `models:/<name>@champion`, `artifact`, `none`, a metrics file (.json) or a predictions file (.csv, .jsonl, .parquet).',
      },
    );
  }
  return { kind, file: value };
}

/** The numbers of one side, and where they came from. */
export interface SourceMetrics {
  source: 'predictions' | 'metrics' | 'mlflow' | 'artifact' | 'report';
  uri?: string;
  label: string;
  metrics: Record<string, number | null>;
  undefinedReasons?: Record<string, string>;
  runId?: string;
  modelVersion?: { name: string; version: string };
  /** The GateReport the numbers came from (artifact or report file), for history. */
  report?: GateReport;
}

/**
 * Reads a metrics file: a flat JSON/YAML object of metric key → number or null, the same under a
 * `metrics` key, or a GateReport (its candidate's metrics).
 */
export async function readMetricsFile(file: string, input: string, cwd: string): Promise<SourceMetrics> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `The metrics file '${file}' does not exist.` : `Cannot read '${file}' (${code}).`,
      {
        input,
        file,
        fix: 'Check the path (relative to the workspace) and that the step writing it ran before this one.',
      },
    );
  }
  const value = parseStructured(text, { input, file, what: 'metrics file' });
  if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'GateReport') {
    const report = parseDocument('GateReport', value, file, { input });
    return {
      source: 'report',
      uri: file,
      label: `${file} (GateReport of ${report.producer.sha ? report.producer.sha.slice(0, 7) : report.createdAt})`,
      metrics: report.candidate.metrics,
      ...(report.candidate.undefinedReasons ? { undefinedReasons: report.candidate.undefinedReasons } : {}),
      report,
    };
  }
  const map =
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'metrics' in value
      ? (value as { metrics: unknown }).metrics
      : value;
  const pointerBase = map === value ? '' : '/metrics';
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new UserError(`The metrics file '${file}' must hold an object of metric name → number.`, {
      input,
      file,
      fix: 'Write e.g. {"roc_auc": 0.91, "f1": 0.84}, or a GateReport written by model-gate.',
    });
  }
  const metrics: Record<string, number | null> = {};
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(map as Record<string, unknown>)) {
    if (entry === null || (typeof entry === 'number' && Number.isFinite(entry)))
      metrics[key] = entry as number | null;
    else if (typeof entry === 'string' && /^(nan|NaN)$/.test(entry)) metrics[key] = null;
    else {
      const found =
        typeof entry === 'object'
          ? Array.isArray(entry)
            ? 'an array'
            : 'an object'
          : `${typeof entry} ${JSON.stringify(entry)}`;
      problems.push(
        `at ${pointerBase}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}: expected a number or null, got ${found}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new UserError(
      `Invalid metrics file: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`,
      {
        input,
        file,
        fix: 'Every metric must be a number (or null when undefined); nest nothing else under metric names.',
      },
    );
  }
  return { source: 'metrics', uri: file, label: file, metrics };
}

/** The latest value of every metric of a run; NaN (which MLflow stores) becomes null. */
export function runMetrics(run: Run): {
  metrics: Record<string, number | null>;
  undefinedReasons: Record<string, string>;
} {
  const metrics: Record<string, number | null> = {};
  const undefinedReasons: Record<string, string> = {};
  for (const [key, metric] of Object.entries(run.data.metrics)) {
    if (Number.isFinite(metric.value)) metrics[key] = metric.value;
    else {
      metrics[key] = null;
      undefinedReasons[key] = `logged as ${metric.value} in MLflow`;
    }
  }
  return { metrics, undefinedReasons };
}

/** A model URI resolved to the run (and model version) behind it. */
export interface ResolvedModel {
  uri: ModelUri;
  run: Run;
  modelVersion?: ModelVersion;
  label: string;
}

/**
 * Resolves `runs:/<id>`, `models:/<name>/<version>`, `models:/<name>@<alias>`; undefined when the URI
 * names an alias that is not set (or a model that is not registered) and `missingIsNone` is set.
 */
export async function resolveModel(
  client: MlflowClient,
  uri: ModelUri,
  input: string,
  missingIsNone = false,
): Promise<ResolvedModel | undefined> {
  if (uri.kind === 'run-artifact') {
    const run = await client.getRun(uri.runId);
    return { uri, run, label: `${uri.uri} (run ${run.info.runName || uri.runId})` };
  }
  let resolved;
  try {
    resolved = await client.resolveModelUri(uri);
  } catch (error) {
    if (
      missingIsNone &&
      (error instanceof MlflowAliasNotFoundError || error instanceof MlflowNotFoundError)
    ) {
      return undefined;
    }
    throw error;
  }
  if (resolved.kind !== 'model-version') throw new Error('internal: a models:/ URI resolved to a run');
  const version = resolved.modelVersion;
  if (!version.runId) {
    throw new UserError(
      `${uri.uri} (version ${version.version}) has no MLflow run, so it has no metrics to read.`,
      {
        input,
        fix: 'Register the version from a run (`mlflow.register_model("runs:/<run_id>/model", …)`), or give its metrics with `metrics:` / `predictions:`.',
      },
    );
  }
  const run = await client.getRun(version.runId);
  const label = uri.kind === 'model-version' ? uri.uri : `${uri.uri} (version ${version.version})`;
  return { uri, run, modelVersion: version, label };
}

/** The metrics of a resolved model. */
export function modelMetrics(model: ResolvedModel): SourceMetrics {
  const { metrics, undefinedReasons } = runMetrics(model.run);
  return {
    source: 'mlflow',
    uri: model.uri.uri,
    label: model.label,
    metrics,
    ...(Object.keys(undefinedReasons).length > 0 ? { undefinedReasons } : {}),
    runId: model.run.info.runId,
    ...(model.modelVersion
      ? { modelVersion: { name: model.modelVersion.name, version: model.modelVersion.version } }
      : {}),
  };
}

/** The default baseline of a candidate: the `champion` alias of its registered model, if it names one. */
export function defaultBaselineUri(candidate: ModelUri | undefined): ModelUri | undefined {
  if (!candidate || candidate.kind === 'run-artifact') return undefined;
  return parseModelUri(`models:/${candidate.name}@champion`, 'baseline');
}
