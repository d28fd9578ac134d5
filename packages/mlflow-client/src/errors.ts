/**
 * Typed MLflow errors. Both backends raise the same classes for the same mistakes, carrying MLflow's
 * `error_code` and message, so callers can branch on the class and users read MLflow's own words plus
 * what to do about it.
 */
import { RemoteError, type RemoteErrorOptions } from '@modelops/core';

/** MLflow's error codes that the client distinguishes (others pass through as strings). */
export type MlflowErrorCode =
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_PARAMETER_VALUE'
  | 'INVALID_STATE'
  | 'INTERNAL_ERROR'
  | (string & {});

/** Options of {@link MlflowError}. */
export interface MlflowErrorOptions extends RemoteErrorOptions {
  /** MLflow's `error_code`. */
  errorCode: MlflowErrorCode;
  /** Existing names close to the one asked for, when the store could list them cheaply. */
  suggestions?: string[];
}

/** An MLflow store refused a call; see the subclasses for the common cases. */
export class MlflowError extends RemoteError {
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  readonly errorCode: MlflowErrorCode;
  /** Existing names close to the one asked for (may be empty). */
  readonly suggestions: string[];

  constructor(message: string, options: MlflowErrorOptions) {
    super(message, options);
    this.errorCode = options.errorCode;
    this.suggestions = options.suggestions ?? [];
  }
}

/** `RESOURCE_DOES_NOT_EXIST`: an experiment, run, model, version or alias that is not there. */
export class MlflowNotFoundError extends MlflowError {}

/** `RESOURCE_ALREADY_EXISTS`: a name that is taken. */
export class MlflowAlreadyExistsError extends MlflowError {}

/** `INVALID_PARAMETER_VALUE`: a bad name, value, filter or page token. */
export class MlflowInvalidParameterError extends MlflowError {}

/**
 * A model alias that is not set. MLflow 2.x reports it as `INVALID_PARAMETER_VALUE` (HTTP 400), not
 * as a missing resource, so this is an {@link MlflowInvalidParameterError}.
 */
export class MlflowAliasNotFoundError extends MlflowInvalidParameterError {}

/** Builds the typed error for an MLflow `error_code`. */
export function mlflowErrorFor(message: string, options: MlflowErrorOptions): MlflowError {
  switch (options.errorCode) {
    case 'RESOURCE_DOES_NOT_EXIST':
      return new MlflowNotFoundError(message, options);
    case 'RESOURCE_ALREADY_EXISTS':
      return new MlflowAlreadyExistsError(message, options);
    case 'INVALID_PARAMETER_VALUE':
      return new MlflowInvalidParameterError(message, options);
    default:
      return new MlflowError(message, options);
  }
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates nearest to `wanted`, closest first by edit distance (ignoring case). Kept are small
 * edits (at most about a third of the longer name) and names that contain what was typed.
 */
export function nearestNames(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const target = wanted.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const lower = name.toLowerCase();
    const distance = editDistance(lower, target);
    const plausible = distance <= Math.max(2, Math.ceil(Math.max(lower.length, target.length) / 3));
    if (!plausible && !(target.length > 0 && lower.includes(target))) continue;
    scored.push({ name, score: distance });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}

/** `'a', 'b' and 'c'` — for messages. */
export function quoteList(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
