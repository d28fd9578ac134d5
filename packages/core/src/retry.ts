/**
 * Bounded retries with full-jitter exponential backoff: attempt n waits a random time in
 * [0, min(maxDelay, baseDelay·2ⁿ)], so many clients that failed together do not retry together.
 */

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Total attempts, including the first (default 4). */
  attempts?: number;
  /** Backoff base in milliseconds (default 500). */
  baseDelayMs?: number;
  /** Backoff cap in milliseconds (default 10 000). */
  maxDelayMs?: number;
  /** Whether an error is worth another attempt (default: every error). */
  isRetryable?: (error: unknown) => boolean;
  /** A server-requested wait (e.g. `Retry-After`) for this error, in milliseconds, if any. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** Called before each wait; use it to log. */
  onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  /** Source of randomness in [0, 1) (tests pass a fixed one). */
  random?: () => number;
  /** Sleep function (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

/** Thrown by {@link retry} when every attempt failed: carries the last error and the count. */
export class RetriesExhausted extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(lastError instanceof Error ? lastError.message : String(lastError), { cause: lastError });
    this.name = 'RetriesExhausted';
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Default backoff base: 500 ms, or `MODELOPS_RETRY_BASE_MS` when set (a knob for slow networks
 * and for tests that inject faults).
 */
export function defaultBaseDelayMs(env: Record<string, string | undefined> = process.env): number {
  const fromEnv = Number(env.MODELOPS_RETRY_BASE_MS);
  return env.MODELOPS_RETRY_BASE_MS !== undefined && Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 500;
}

/** The jittered backoff delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? defaultBaseDelayMs();
  const cap = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.round((options.random ?? Math.random)() * ceiling);
}

/**
 * Runs `fn` until it succeeds, the error is not retryable (rethrown as is), or the attempts are
 * used up ({@link RetriesExhausted}).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = options.isRetryable ? options.isRetryable(error) : true;
      if (!retryable) throw error;
      if (attempt >= attempts) throw new RetriesExhausted(error, attempt);
      const requested = options.retryAfterMs?.(error);
      const delayMs =
        requested !== undefined
          ? Math.min(requested, options.maxDelayMs ?? 60_000)
          : backoffDelay(attempt, options);
      options.onRetry?.({ error, attempt, delayMs });
      await wait(delayMs);
    }
  }
}
