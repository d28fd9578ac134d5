import type { IncomingHttpHeaders } from 'node:http';
import type {
  GitHubWorld,
  Permission,
  PermissionScope,
  RepoRecord,
  TokenRecord,
  UserRecord,
} from '../shared/world.ts';
import type { MatchedOperation } from './openapi.ts';
import type { RenderContext } from './render.ts';

/** Everything a route handler gets for one request. */
export interface RouteContext {
  readonly world: GitHubWorld;
  readonly render: RenderContext;
  readonly op: MatchedOperation;
  /** Decoded path parameters (`owner`, `repo`, `run_id`, …). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body, `{}` when the request had none. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The repository of `/repos/{owner}/{repo}/…` (resolved and access-checked). */
  readonly repo: RepoRecord;
  /** The account the token acts as (`ghost` when unauthenticated). */
  readonly actor: UserRecord;
  readonly token: TokenRecord | undefined;
  readonly headers: IncomingHttpHeaders;
  /** Absolute URL of the request on the REST server (for `Link` headers). */
  readonly requestUrl: URL;
}

/** What a handler answers. `body` undefined means no content. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Skip response-schema validation (for answers that mimic another server version, e.g. GHES). */
  readonly skipResponseValidation?: boolean;
}

/** One `scope=level` pair; a route lists the pairs any one of which grants access. */
export type AccessRequirement = readonly [PermissionScope, Exclude<Permission, 'none'>];

/** A route the REST server implements, keyed by the OpenAPI operation id. */
export interface RouteDefinition {
  readonly operationId: string;
  readonly access: readonly AccessRequirement[];
  /** Answer 401 without a token even on a public repository (artifact downloads). */
  readonly requiresAuth?: boolean;
  handle(ctx: RouteContext): RouteResult;
}

/** An error answered with GitHub's error body `{message, documentation_url, status}`. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** The JSON body GitHub sends for this error. */
  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...this.extra,
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

/** 404 `Not Found` with the operation's documentation URL. */
export function notFound(ctx: Pick<RouteContext, 'op'>): GitHubApiError {
  return new GitHubApiError(404, 'Not Found', ctx.op.documentationUrl);
}

/** 422 `Validation Failed` with one `errors` item, as GitHub answers semantic errors. */
export function validationFailed(
  ctx: Pick<RouteContext, 'op'>,
  resource: string,
  field: string,
  message: string,
): GitHubApiError {
  return new GitHubApiError(422, 'Validation Failed', ctx.op.documentationUrl, {
    errors: [{ resource, code: 'custom', field, message }],
  });
}

/** A path parameter that the OpenAPI check already proved to be an integer. */
export function intParam(ctx: RouteContext, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isSafeInteger(value)) throw notFound(ctx);
  return value;
}

/** A string field of the body, or `fallback`. */
export function bodyString(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.body[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Slices `items` by `per_page` (default 30, at most 100) and `page` (default 1) and builds the
 * `Link` header GitHub sends (`prev`, `next`, `last`, `first`), using the request's own URL.
 */
export function paginate<T>(
  items: readonly T[],
  ctx: Pick<RouteContext, 'query' | 'requestUrl'>,
): { readonly page: T[]; readonly headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const pageUrl = (n: number): string => {
    const url = new URL(ctx.requestUrl.href);
    url.searchParams.set('page', String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
  return { page: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
