/**
 * Octokit for the suite: `@actions/github`'s client with `@octokit/plugin-retry` (5xx and 429, with
 * backoff) and a rate-limit hook that waits out primary and secondary limits (`retry-after`,
 * `x-ratelimit-reset`) a bounded number of times. Errors become {@link RemoteError}s that say which
 * permission is missing.
 */
import type { getOctokit } from '@actions/github';
import { RemoteError } from './errors.ts';
import { defaultBaseDelayMs, sleep } from './retry.ts';

/** The Octokit type the suite uses. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Options of {@link createGitHubClient}. */
export interface GitHubClientOptions {
  /** REST base URL (default `GITHUB_API_URL`, then api.github.com). */
  apiUrl?: string;
  /** Retries for 5xx/429 (default 3). */
  retries?: number;
  /** Longest wait for a rate limit before giving up, ms (default 60 000). */
  maxRateLimitWaitMs?: number;
  /** Rate-limit waits before giving up (default 2). */
  maxRateLimitRetries?: number;
  /** Log line sink for waits and retries. */
  log?: (line: string) => void;
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Milliseconds to wait for a rate-limit error, or undefined when it is not one. */
export function rateLimitWaitMs(error: unknown, now = Date.now()): number | undefined {
  const e = error as RequestErrorLike;
  if (e?.status !== 403 && e?.status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) return Number(retryAfter) * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0' && headers['x-ratelimit-reset'] !== undefined) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - now) + 1000;
  }
  if (/secondary rate limit/i.test(e.message ?? '')) return 60_000;
  return undefined;
}

/**
 * Creates the suite's Octokit for a token. The client and its network stack (undici, Node's http
 * and tls) are imported here, on first use, not at start-up: a step that never calls GitHub does not
 * load them.
 */
export async function createGitHubClient(
  token: string,
  options: GitHubClientOptions = {},
): Promise<GitHubClient> {
  const [{ getOctokit }, { retry: retryPlugin }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-retry'),
  ]);
  const baseUrl = options.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
  const octokit = getOctokit(
    token,
    {
      baseUrl,
      retry: {
        retries: options.retries ?? 3,
        // plugin-retry waits retryCount² × base; keep the suite's base unless overridden.
        retryAfterBaseValue: defaultBaseDelayMs() * 2,
      },
      request: { retries: options.retries ?? 3 },
    },
    retryPlugin,
  );
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  const maxTries = options.maxRateLimitRetries ?? 2;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const wait = rateLimitWaitMs(error);
        if (wait === undefined || attempt >= maxTries || wait > maxWait) throw error;
        options.log?.(
          `GitHub API rate limit on ${requestOptions.method} ${requestOptions.url}; waiting ${Math.ceil(wait / 1000)} s`,
        );
        await sleep(wait);
      }
    }
  });
  return octokit;
}

/** True when the error means the token may not do this (fork PRs, missing `permissions:`). */
export function isPermissionError(error: unknown): boolean {
  const e = error as RequestErrorLike;
  return (
    (e?.status === 403 && rateLimitWaitMs(error) === undefined) ||
    /Resource not accessible by (integration|personal access token)/i.test(e?.message ?? '')
  );
}

/**
 * Wraps an Octokit error as a {@link RemoteError} naming the call, and for permission errors the
 * `permissions:` entry to add.
 */
export function toGitHubError(error: unknown, call: string, permission?: string): RemoteError {
  const e = error as RequestErrorLike;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const fix = isPermissionError(error)
    ? `Give the job's token ${permission ? `\`${permission}\`` : 'the needed'} permission (\`permissions:\` in the workflow); on pull requests from forks the token is read-only.`
    : status === 404
      ? 'Check the repository, number or file name, and that the token can see the repository.'
      : 'Check GitHub status and the token; the call was retried.';
  return new RemoteError(e?.message ?? String(error), {
    service: 'GitHub API',
    call,
    ...(status === undefined ? {} : { status }),
    fix,
    cause: error,
  });
}
