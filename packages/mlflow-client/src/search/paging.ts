/**
 * Offset pagination as MLflow's file store and search utilities do it: the page token is base64 of
 * `{"offset": N}`. Tokens are opaque to callers; only the stores read them.
 */
import { InvalidParameterValue } from '../invalid.ts';

/** Encodes the offset of the next page. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }).replace(':', ': '), 'utf8').toString('base64');
}

/** Decodes a page token into an offset (0 for none); throws {@link InvalidParameterValue} if malformed. */
export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) {
    throw new InvalidParameterValue('Invalid page token, could not base64-decode');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw new InvalidParameterValue(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset <= 0) {
    throw new InvalidParameterValue(`Invalid page token, parsed value=${decoded}`);
  }
  return offset;
}

/** Cuts one page out of a sorted list. */
export function paginate<T>(
  items: readonly T[],
  pageToken: string | undefined,
  maxResults: number,
): { items: T[]; nextPageToken?: string } {
  const start = decodePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}

/** Checks a `max_results` against MLflow's limit for the call, with MLflow's messages. */
export function checkMaxResults(maxResults: number, limit: number): void {
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new InvalidParameterValue(
      `Invalid value for max_results. It must be a positive integer, but got ${maxResults}`,
    );
  }
  if (maxResults > limit) {
    throw new InvalidParameterValue(
      `Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${maxResults}`,
    );
  }
}

/** MLflow's page-size defaults and limits per call. */
export const SEARCH_LIMITS = {
  runs: { default: 1000, max: 50_000 },
  modelVersions: { default: 200_000, max: 200_000 },
  registeredModels: { default: 100, max: 1000 },
  experiments: { default: 1000, max: 50_000 },
  metricHistory: { default: 25_000, max: 25_000 },
} as const;
