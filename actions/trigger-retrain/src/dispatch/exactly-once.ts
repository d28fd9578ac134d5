/**
 * Retrying a call that creates something, without creating it twice. A timeout or a 5xx answer to a
 * create call is ambiguous: the run may exist. So before each new attempt the caller's `recover`
 * looks for what the failed attempt may have created (by the dispatch's correlation id), and only
 * when nothing is there is the call sent again.
 */
import { RemoteError, backoffDelay, describeError, sleep as realSleep } from '@modelops/core';

/** Options of {@link createExactlyOnce}. */
export interface ExactlyOnceOptions<T> {
  /** Sends the create call once. */
  attempt: () => Promise<T>;
  /** After an ambiguous failure: what the failed attempt created, if anything. */
  recover: () => Promise<T | undefined>;
  /** True when a failure may have created the resource, or is transient (5xx, 429, timeouts). */
  isRetryable: (error: unknown) => boolean;
  /** For the final error: the service and the call. */
  service: string;
  call: string;
  /** Attempts in all (default 4). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each new attempt. */
  log?: (line: string) => void;
}

/** Runs the create call until it succeeds, a failure is final, or the attempts are used up. */
export async function createExactlyOnce<T>(options: ExactlyOnceOptions<T>): Promise<T> {
  const attempts = options.attempts ?? 4;
  const wait = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.attempt();
    } catch (error) {
      if (!options.isRetryable(error)) throw error;
      const landed = await options.recover();
      if (landed !== undefined) {
        options.log?.(
          `${options.call}: attempt ${attempt} failed (${describeError(error)}) but it had created the run.`,
        );
        return landed;
      }
      if (attempt >= attempts) {
        const status = (error as { status?: unknown }).status;
        throw new RemoteError(describeError(error), {
          service: options.service,
          call: options.call,
          ...(typeof status === 'number' ? { status } : {}),
          retryable: true,
          attempts: attempt,
          fix: 'Nothing was dispatched. Check that the service is up and reachable from the runner, then re-run the job.',
          cause: error,
        });
      }
      const delayMs = backoffDelay(attempt);
      options.log?.(
        `${options.call}: attempt ${attempt} failed (${describeError(error)}); nothing was created; retrying in ${delayMs} ms`,
      );
      await wait(delayMs);
    }
  }
}

/** A server's message as a sentence: trimmed, ending with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/[\s.]+$/, '');
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
