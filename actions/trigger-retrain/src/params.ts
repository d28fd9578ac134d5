/**
 * Training parameters the way `dvc params diff` treats them: nested mappings are flattened to dotted
 * keys (`train.lr`), lists stay whole values, only the tracked keys count, and a changed key is
 * reported as `{old, new}` with `diff = new - old` when both sides are numbers.
 */
import { UserError, didYouMean, listNames, parseStructured, readInputFile } from '@modelops/core';
import { canonicalJson, compareCodePoints, type JsonValue } from './canonical.ts';

/** Parameters as dotted key → value, keys sorted. */
export type FlatParams = Record<string, JsonValue>;

/** One changed parameter. A side that does not have the key has no `old` / `new`. */
export interface ParamChange {
  key: string;
  old?: JsonValue;
  new?: JsonValue;
  /** `new - old`, when both sides are numbers. */
  diff?: number;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Normalises what a YAML parser returns into JSON values (dates become ISO strings). */
function toJson(value: unknown): JsonValue {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (isMapping(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJson(item);
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  return value as JsonValue;
}

/**
 * Flattens nested mappings to dotted keys. Lists are not flattened (DVC does the same); an empty
 * mapping is kept as the value `{}` so that adding the first key under it is a change.
 */
export function flattenParams(value: Record<string, unknown>, prefix = ''): FlatParams {
  const out: FlatParams = {};
  for (const [key, item] of Object.entries(value)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (isMapping(item) && Object.keys(item).length > 0) Object.assign(out, flattenParams(item, dotted));
    else out[dotted] = toJson(item);
  }
  return sortKeys(out);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = record[key] as T;
  return out;
}

/**
 * The tracked subset: each of `keys` selects the key itself and everything below it (`train`
 * selects `train.lr` and `train.epochs`). No keys means every parameter. A key that selects
 * nothing is an error: a typo would otherwise silently stop tracking a parameter.
 */
export function selectParams(flat: FlatParams, keys: readonly string[], file: string): FlatParams {
  if (keys.length === 0) return flat;
  const out: FlatParams = {};
  const all = Object.keys(flat);
  for (const key of keys) {
    const matched = all.filter((candidate) => candidate === key || candidate.startsWith(`${key}.`));
    if (matched.length === 0) {
      throw new UserError(`params-keys: '${key}' matches no parameter in '${file}'.${didYouMean(key, all)}`, {
        input: 'params-keys',
        file,
        fix: `Use dotted keys or prefixes that exist in the file (it has ${listNames(all, 8) || 'no keys'}).`,
      });
    }
    for (const candidate of matched) out[candidate] = flat[candidate] as JsonValue;
  }
  return sortKeys(out);
}

/** Reads a YAML or JSON params file and returns its tracked parameters. */
export async function readParamsFile(
  file: string,
  keys: readonly string[],
  displayPath = file,
): Promise<FlatParams> {
  const text = await readInputFile(file, {
    input: 'params-file',
    what: 'params file',
    displayPath,
    fix: 'Give the path of a YAML or JSON file relative to the workspace (e.g. params.yaml).',
  });
  const parsed = parseStructured(text, { input: 'params-file', file: displayPath, what: 'the params file' });
  if (parsed === null || parsed === undefined) return {};
  if (!isMapping(parsed)) {
    throw new UserError(
      `The params file '${displayPath}' must hold a mapping of names to values at the top level.`,
      {
        input: 'params-file',
        file: displayPath,
        fix: 'Write parameters as `name: value` pairs (nested mappings are fine), e.g. `train: {lr: 0.1}`.',
      },
    );
  }
  return selectParams(flattenParams(parsed), keys, displayPath);
}

/** Rounds a float difference to 12 significant digits (`0.3 - 0.1` is `0.2`, not `0.19999999999999998`). */
export function roundDiff(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

/** The changed keys between two parameter sets, sorted by key; unchanged keys are left out. */
export function diffParams(before: FlatParams, after: FlatParams): ParamChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareCodePoints);
  const changes: ParamChange[] = [];
  for (const key of keys) {
    const hasOld = Object.hasOwn(before, key);
    const hasNew = Object.hasOwn(after, key);
    const oldValue = before[key];
    const newValue = after[key];
    if (hasOld && hasNew && canonicalJson(oldValue) === canonicalJson(newValue)) continue;
    const change: ParamChange = { key };
    if (hasOld) change.old = oldValue as JsonValue;
    if (hasNew) change.new = newValue as JsonValue;
    if (
      typeof oldValue === 'number' &&
      typeof newValue === 'number' &&
      Number.isFinite(oldValue - newValue)
    ) {
      change.diff = roundDiff(newValue - oldValue);
    }
    changes.push(change);
  }
  return changes;
}

/** A parameter value for people: strings as they are, `-` for a missing side, else JSON. */
export function formatParamValue(value: JsonValue | undefined, present = value !== undefined): string {
  if (!present) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

/** `train.lr: 0.1 → 0.05 (Δ -0.05)`. */
export function describeParamChange(change: ParamChange): string {
  const from = formatParamValue(change.old, 'old' in change);
  const to = formatParamValue(change.new, 'new' in change);
  const delta = change.diff === undefined ? '' : ` (Δ ${change.diff > 0 ? '+' : ''}${change.diff})`;
  return `${change.key}: ${from} → ${to}${delta}`;
}
