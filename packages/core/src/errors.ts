/**
 * The three kinds of failure an action reports, each with what the user should do next.
 *
 * - {@link UserError}: the workflow asked for something wrong (an input, a file, a spec). Reported as
 *   one line naming the input and the fix; no stack trace.
 * - {@link RemoteError}: a service the action talks to failed or refused (after retries where that
 *   makes sense). Names the service and the call.
 * - anything else is a bug in the action: reported with its stack trace in the debug log.
 */

/** Options shared by the suite's error classes. */
export interface ModelopsErrorOptions {
  /** What the user should change to make the step pass. */
  fix?: string;
  /** The action input (as written in the workflow, e.g. `params-file`) the problem is about. */
  input?: string;
  /** The file the problem is about. */
  file?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error the suite raises on purpose. */
export abstract class ModelopsError extends Error {
  /** What the user should change to make the step pass. */
  readonly fix?: string;
  /** The action input the problem is about. */
  readonly input?: string;
  /** The file the problem is about. */
  readonly file?: string;

  protected constructor(message: string, options: ModelopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.fix !== undefined) this.fix = options.fix;
    if (options.input !== undefined) this.input = options.input;
    if (options.file !== undefined) this.file = options.file;
  }

  /** The message as shown to the user: where, what, and the fix. */
  describe(): string {
    const where = [this.input && `input '${this.input}'`, this.file && `file '${this.file}'`]
      .filter(Boolean)
      .join(', ');
    const head = where && !this.message.includes(`'${this.input ?? this.file}'`) ? `${where}: ` : '';
    return `${head}${this.message}${this.fix ? ` Fix: ${this.fix}` : ''}`;
  }
}

/** Bad input from the workflow: a wrong value, a missing file, an invalid spec. */
export class UserError extends ModelopsError {
  constructor(message: string, options: ModelopsErrorOptions = {}) {
    super(message, options);
  }
}

/** Options of {@link RemoteError}. */
export interface RemoteErrorOptions extends ModelopsErrorOptions {
  /** The service, e.g. `GitHub API`, `MLflow at http://mlflow:5000`. */
  service: string;
  /** The call, e.g. `POST /repos/o/r/dispatches`. */
  call: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Whether trying again later may succeed (5xx, 429, connection errors). */
  retryable?: boolean;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

/** A remote service failed or refused a call. */
export class RemoteError extends ModelopsError {
  /** The service that failed. */
  readonly service: string;
  /** The call that failed. */
  readonly call: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(message: string, options: RemoteErrorOptions) {
    super(message, options);
    this.service = options.service;
    this.call = options.call;
    if (options.status !== undefined) this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.attempts = options.attempts ?? 1;
  }

  override describe(): string {
    const status = this.status === undefined ? '' : ` (HTTP ${this.status})`;
    const tries = this.attempts > 1 ? ` after ${this.attempts} attempts` : '';
    return `${this.service}: ${this.call} failed${status}${tries}: ${this.message}${this.fix ? ` Fix: ${this.fix}` : ''}`;
  }
}

/** True for the errors the suite raises on purpose (as opposed to bugs). */
export function isModelopsError(error: unknown): error is ModelopsError {
  return error instanceof ModelopsError;
}

/** A short, single-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ModelopsError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
