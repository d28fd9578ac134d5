/** Twirp error codes and the HTTP status each one maps to (Twirp specification). */
export const TWIRP_STATUS = {
  canceled: 408,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
} as const;

/** A Twirp error code. */
export type TwirpCode = keyof typeof TWIRP_STATUS;

/** An error answered as Twirp JSON `{code, msg}` with the mapped HTTP status. */
export class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
  ) {
    super(message);
    this.name = 'TwirpError';
  }

  /** The HTTP status Twirp maps the code to. */
  get status(): number {
    return TWIRP_STATUS[this.code];
  }

  /** The JSON error body `{code, msg}` the toolkit clients read. */
  toBody(): { code: TwirpCode; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** The Twirp code for an HTTP status (used for injected faults). */
export function twirpCodeFor(status: number): TwirpCode {
  const found = (Object.entries(TWIRP_STATUS) as [TwirpCode, number][]).find(([, code]) => code === status);
  return found?.[0] ?? (status >= 500 ? 'internal' : 'invalid_argument');
}

/** Reads a string field of a Twirp JSON request. */
export function stringField(body: Readonly<Record<string, unknown>>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** Reads an int64 field (JSON string or number) of a Twirp JSON request. */
export function int64Field(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = body[name];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}
