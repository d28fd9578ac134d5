/**
 * MLflow's input rules (mlflow/utils/validation.py), shared by the file store and the test server so
 * both refuse the same things with the same words. Names matter doubly for the file store: metric,
 * param and tag keys and run ids become file paths, so these checks also keep writes inside `mlruns/`.
 */
import { posix } from 'node:path';
import { InvalidParameterValue } from './invalid.ts';

/** Longest metric/param/tag key. */
export const MAX_ENTITY_KEY_LENGTH = 250;
/** Longest param value. */
export const MAX_PARAM_VALUE_LENGTH = 6000;
/** Longest run tag value. */
export const MAX_TAG_VALUE_LENGTH = 5000;
/** Most metrics in one `log-batch`. */
export const MAX_METRICS_PER_BATCH = 1000;
/** Most params, and most tags, in one `log-batch`. */
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
/** Most entities of all kinds in one `log-batch`. */
export const MAX_ENTITIES_PER_BATCH = 1000;

const KEY_PATTERN = /^[/\w.\- :]*$/;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,63}$/;
const ALIAS_PATTERN = /^[\w-]*$/;
const VERSION_ALIAS_PATTERN = /^[vV]\d+$/;

/** Checks a metric, param or tag key (`kind` is `metric`, `param` or `tag`). */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown): asserts key is string {
  const label = kind === 'metric' ? 'Metric' : kind === 'param' ? 'Param' : 'Tag';
  if (key === undefined || key === null || key === '') {
    throw new InvalidParameterValue(`${label} name cannot be None. A key name must be provided.`);
  }
  if (typeof key !== 'string') throw new InvalidParameterValue(`Invalid ${kind} name: '${String(key)}'.`);
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const normalized = posix.normalize(key);
  if (
    normalized !== key ||
    normalized === '.' ||
    normalized.startsWith('..') ||
    key.startsWith('/') ||
    key.endsWith('/')
  ) {
    throw new InvalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`,
    );
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    throw new InvalidParameterValue(
      `${label} key '${key.slice(0, 20)}...' had length ${key.length}, which exceeded length limit of ${MAX_ENTITY_KEY_LENGTH}`,
    );
  }
}

/** Checks a param value's length. */
export function validateParamValue(value: string): void {
  if (value.length > MAX_PARAM_VALUE_LENGTH) {
    throw new InvalidParameterValue(
      `Param value '${value.slice(0, 20)}...' had length ${value.length}, which exceeded length limit of ${MAX_PARAM_VALUE_LENGTH}`,
    );
  }
}

/** Checks a run tag value's length. */
export function validateTagValue(value: string): void {
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    throw new InvalidParameterValue(
      `Tag value '${value.slice(0, 20)}...' had length ${value.length}, which exceeded length limit of ${MAX_TAG_VALUE_LENGTH}`,
    );
  }
}

/** Checks a metric point's value, timestamp and step. */
export function validateMetric(key: string, value: unknown, timestamp: unknown, step: unknown): void {
  validateKey('metric', key);
  if (typeof value !== 'number') {
    throw new InvalidParameterValue(
      `Got invalid value ${String(value)} for metric '${key}' (timestamp=${String(timestamp)}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) {
    throw new InvalidParameterValue(
      `Got invalid timestamp ${String(timestamp)} for metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer) `,
    );
  }
  if (typeof step !== 'number' || !Number.isInteger(step)) {
    throw new InvalidParameterValue(
      `Got invalid step ${String(step)} for metric '${key}' (value=${value}). Step must be a valid long (64-bit integer).`,
    );
  }
}

/** Checks a run id (it is a directory name in the file store). */
export function validateRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new InvalidParameterValue(`Invalid run ID: '${String(runId)}'`);
  }
}

/** Checks an experiment id (it is a directory name in the file store). */
export function validateExperimentId(experimentId: unknown): asserts experimentId is string {
  if (typeof experimentId !== 'string' || !EXPERIMENT_ID_PATTERN.test(experimentId)) {
    throw new InvalidParameterValue(`Invalid experiment ID: '${String(experimentId)}'`);
  }
}

/** Checks an experiment name. */
export function validateExperimentName(name: unknown): asserts name is string {
  if (typeof name !== 'string') {
    throw new InvalidParameterValue(`Invalid experiment name: ${String(name)}. Expects a string.`);
  }
  if (name === '') throw new InvalidParameterValue(`Invalid experiment name: '${name}'`);
}

/** Checks a registered model name. */
export function validateModelName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidParameterValue('Registered model name cannot be empty.');
  }
}

/** Checks a model version number (a positive integer, as a number or decimal string). */
export function validateModelVersion(version: unknown): string {
  const text = String(version);
  if (!/^\d+$/.test(text.trim())) {
    throw new InvalidParameterValue(`Model version must be an integer, got '${text}'`);
  }
  return String(Number(text.trim()));
}

/** Checks a model alias name: `latest` and `v<number>` are reserved for version references. */
export function validateAliasName(alias: unknown): asserts alias is string {
  if (alias === undefined || alias === null || alias === '') {
    throw new InvalidParameterValue('Registered model alias name cannot be empty.');
  }
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    throw new InvalidParameterValue(
      `Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if (alias.length > 255) {
    throw new InvalidParameterValue(
      `Registered model alias name '${alias.slice(0, 20)}...' had length ${alias.length}, which exceeded length limit of 255`,
    );
  }
  if (alias.toLowerCase() === 'latest') {
    throw new InvalidParameterValue("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS_PATTERN.test(alias)) {
    throw new InvalidParameterValue(`Version alias name '${alias}' is reserved.`);
  }
}

/** Checks the sizes of a `log-batch` request and that params are not given twice with two values. */
export function validateBatch(
  metrics: readonly unknown[],
  params: readonly { key: string; value: string }[],
  tags: readonly unknown[],
): void {
  const over = (count: number, limit: number, what: string) => {
    if (count > limit) {
      throw new InvalidParameterValue(
        `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`,
      );
    }
  };
  over(metrics.length, MAX_METRICS_PER_BATCH, 'metrics');
  over(params.length, MAX_PARAMS_TAGS_PER_BATCH, 'params');
  over(tags.length, MAX_PARAMS_TAGS_PER_BATCH, 'tags');
  const total = metrics.length + params.length + tags.length;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw new InvalidParameterValue(
      `A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} metrics, params, and tags in total. Got ${total} metrics, params, and tags in total.`,
    );
  }
  const seen = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const { key, value } of params) {
    const previous = seen.get(key);
    if (previous !== undefined && previous !== value) duplicates.add(key);
    seen.set(key, value);
  }
  if (duplicates.size > 0) {
    throw new InvalidParameterValue(
      `Duplicate parameter keys have been submitted: ${JSON.stringify([...duplicates])}. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/** MLflow's message for logging a param twice with different values (params are immutable). */
export function paramChangedMessage(key: string, oldValue: string, newValue: string, runId: string): string {
  return `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`;
}
