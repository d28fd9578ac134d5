/** Rate limit state of one caller, as sent in the `x-ratelimit-*` headers. */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** Epoch seconds when the window resets. */
  readonly reset: number;
  readonly exceeded: boolean;
}

/** Kind of caller; GitHub gives each a different hourly limit. */
export type CallerKind = 'installation' | 'user' | 'anonymous';

/** Hourly primary limits: `GITHUB_TOKEN` 1,000 per repository, personal tokens 5,000, anonymous 60. */
const DEFAULT_LIMITS: Readonly<Record<CallerKind, number>> = {
  installation: 1000,
  user: 5000,
  anonymous: 60,
};

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** One limit for every caller instead of GitHub's defaults. */
  readonly limit?: number;
}

/** Counts requests per caller in hourly windows (GitHub's primary rate limit). */
export class RateLimiter {
  private readonly windows = new Map<string, { used: number; reset: number }>();
  private exhaustedUntil = 0;

  constructor(private readonly options: RateLimiterOptions = {}) {}

  /** Counts one request of `caller` and returns the state to report. */
  consume(caller: string, kind: CallerKind): RateLimitState {
    const now = Math.floor(Date.now() / 1000);
    const limit = this.options.limit ?? DEFAULT_LIMITS[kind];
    let window = this.windows.get(caller);
    if (!window || window.reset <= now) {
      window = { used: 0, reset: now + 3600 };
      this.windows.set(caller, window);
    }
    if (this.exhaustedUntil > now) {
      return { limit, remaining: 0, used: limit, reset: this.exhaustedUntil, exceeded: true };
    }
    if (window.used >= limit)
      return { limit, remaining: 0, used: window.used, reset: window.reset, exceeded: true };
    window.used += 1;
    return { limit, remaining: limit - window.used, used: window.used, reset: window.reset, exceeded: false };
  }

  /** Makes every caller exceed the primary limit until `resetInSeconds` from now. */
  exhaust(resetInSeconds = 60): void {
    this.exhaustedUntil = Math.floor(Date.now() / 1000) + resetInSeconds;
  }

  /** Ends an {@link exhaust} early and clears every window. */
  reset(): void {
    this.exhaustedUntil = 0;
    this.windows.clear();
  }

  /** The `x-ratelimit-*` headers for `state`. */
  static headers(state: RateLimitState): Record<string, string> {
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-reset': String(state.reset),
      'x-ratelimit-used': String(state.used),
      'x-ratelimit-resource': 'core',
    };
  }
}
