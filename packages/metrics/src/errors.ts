/**
 * Typed errors of the metrics package. Every error names what was wrong and how to fix it, so callers
 * (model-gate, canary-rollout) can print `message` as is, without a stack trace.
 */

/** Machine-readable reason of a {@link MetricsError}. */
export type MetricsErrorCode =
  | 'FILE_NOT_FOUND'
  | 'UNKNOWN_FORMAT'
  | 'MALFORMED_FILE'
  | 'MISSING_COLUMN'
  | 'MISSING_VALUE'
  | 'NON_NUMERIC'
  | 'INVALID_VALUE'
  | 'INVALID_OPTIONS'
  | 'JOIN_MISMATCH';

/** Where in an input file a problem was found. */
export interface InputLocation {
  /** Path of the predictions file. */
  file?: string;
  /** Column name as given in the options. */
  column?: string;
  /** 1-based data row (the header is not counted). */
  row?: number;
  /** The offending raw value, as text. */
  value?: string;
}

/** Base class of every error thrown by `@modelops/metrics`. */
export class MetricsError extends Error {
  /** Machine-readable reason. */
  readonly code: MetricsErrorCode;
  /** What the user should change. */
  readonly fix: string;
  /** Where the problem is, when it comes from an input file. */
  readonly location: InputLocation;

  constructor(code: MetricsErrorCode, problem: string, fix: string, location: InputLocation = {}) {
    super(`${problem} ${fix}`.trim());
    this.name = 'MetricsError';
    this.code = code;
    this.fix = fix;
    this.location = location;
  }
}

/** A predictions or features file cannot be read as asked: missing, malformed, a bad or missing value. */
export class PredictionsFileError extends MetricsError {
  constructor(code: MetricsErrorCode, problem: string, fix: string, location: InputLocation = {}) {
    super(code, problem, fix, location);
    this.name = 'PredictionsFileError';
  }
}

/** The options passed to a metrics function do not fit the data (no score column for ROC AUC, …). */
export class MetricsOptionsError extends MetricsError {
  constructor(problem: string, fix: string) {
    super('INVALID_OPTIONS', problem, fix);
    this.name = 'MetricsOptionsError';
  }
}

/** Two tables to compare (candidate and baseline) cannot be paired row by row. */
export class JoinError extends MetricsError {
  constructor(problem: string, fix: string) {
    super('JOIN_MISMATCH', problem, fix);
    this.name = 'JoinError';
  }
}

/** Quote a raw value for an error message, shortened so a huge field cannot flood the log. */
export function quoteValue(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}
