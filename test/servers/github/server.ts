import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { FaultInjector, type FaultSpec, type InjectedFault } from '../shared/faults.ts';
import { isRecord, listen, parseJsonBody, readBody, sendJson, type ListeningServer } from '../shared/http.ts';
import { RequestLog } from '../shared/request-log.ts';
import type { GitHubWorld, PermissionScope, RepoRecord, TokenRecord, UserRecord } from '../shared/world.ts';
import { OpenApiCatalog, type MatchedOperation, type SchemaIssue } from './openapi.ts';
import { RateLimiter, type CallerKind } from './rate-limit.ts';
import type { RenderContext } from './render.ts';
import { actionsRoutes } from './routes/actions.ts';
import { checkRoutes } from './routes/checks.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { issueRoutes } from './routes/issues.ts';
import { repoRoutes } from './routes/repos.ts';
import { GitHubApiError, type RouteDefinition, type RouteResult } from './routing.ts';

/** Every route the server implements, by OpenAPI operation id. */
const ROUTES: ReadonlyMap<string, RouteDefinition> = new Map(
  [...repoRoutes, ...issueRoutes, ...deploymentRoutes, ...actionsRoutes, ...checkRoutes].map((route) => [
    route.operationId,
    route,
  ]),
);

/** Operation ids the server implements. */
export const IMPLEMENTED_OPERATIONS: readonly string[] = [...ROUTES.keys()];

/** What kind of contract breach a {@link Violation} is. */
export type ViolationKind =
  | 'unknown-route'
  | 'method-not-allowed'
  | 'unimplemented-operation'
  | 'invalid-parameter'
  | 'undocumented-query-parameter'
  | 'invalid-json'
  | 'invalid-body'
  | 'invalid-response';

/** A request (or one of the server's own answers) that does not follow GitHub's OpenAPI description. */
export interface Violation {
  readonly kind: ViolationKind;
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly message: string;
}

/** Options of {@link GitHubServer.start}. */
export interface GitHubServerOptions {
  readonly world: GitHubWorld;
  /** Validate every answer against the documented response schema (default true). */
  readonly validateResponses?: boolean;
  /** One hourly primary rate limit for every caller (default: GitHub's per-kind limits). */
  readonly rateLimit?: number;
  /** Port to listen on (default: a free one). */
  readonly port?: number;
}

/** Options of {@link GitHubServer.injectSecondaryRateLimit}. */
export interface SecondaryRateLimitOptions {
  /** How many requests are refused (default 1). */
  readonly times?: number;
  /** 403 (default) or 429, both of which GitHub uses. */
  readonly status?: 403 | 429;
  /** `retry-after` in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** Which requests (default: any). */
  readonly match?: FaultSpec['match'];
}

const ANONYMOUS: UserRecord = { login: 'ghost', id: 10137, type: 'User' };
const PERMISSION_HEADER_NAMES: Readonly<Record<PermissionScope, string>> = {
  actions: 'actions',
  checks: 'checks',
  contents: 'contents',
  deployments: 'deployments',
  issues: 'issues',
  metadata: 'metadata',
  'pull-requests': 'pull_requests',
  statuses: 'statuses',
};
const LEVEL = { none: 0, read: 1, write: 2 } as const;

interface Caller {
  readonly token: TokenRecord | undefined;
  readonly id: string;
  readonly kind: CallerKind;
}

/**
 * A stateful local stand-in for GitHub's REST API on 127.0.0.1, backed by a {@link GitHubWorld}.
 *
 * Every request is matched against GitHub's OpenAPI description; an unknown route, an operation
 * the server does not implement, or invalid parameters/bodies answer what GitHub would (404, 422,
 * 400) and are recorded in {@link violations}. Answers carry `x-ratelimit-*` headers; faults and
 * secondary rate limits can be injected.
 */
export class GitHubServer {
  /** Requests answered so far. */
  readonly requests = new RequestLog();
  /** Injected faults (e.g. `faults.inject({ match: 'issues/list-comments', status: 502, times: 2 })`). */
  readonly faults = new FaultInjector();
  /** Contract breaches seen so far; see {@link assertNoViolations}. */
  readonly violations: Violation[] = [];
  readonly rateLimiter: RateLimiter;
  readonly world: GitHubWorld;
  /** Whether answers are validated against the documented response schemas. */
  validateResponses: boolean;

  private readonly catalog = OpenApiCatalog.shared();
  private listening: ListeningServer | undefined;

  private constructor(options: GitHubServerOptions) {
    this.world = options.world;
    this.validateResponses = options.validateResponses ?? true;
    this.rateLimiter = new RateLimiter(options.rateLimit === undefined ? {} : { limit: options.rateLimit });
  }

  /** Starts a server for `options.world` on 127.0.0.1. */
  static async start(options: GitHubServerOptions): Promise<GitHubServer> {
    const server = new GitHubServer(options);
    server.listening = await listen((req, res) => server.handle(req, res), options.port);
    return server;
  }

  /** Origin of the server: use it as `GITHUB_API_URL` or Octokit's `baseUrl`. */
  get url(): string {
    if (!this.listening) throw new Error('The GitHub server is not listening.');
    return this.listening.url;
  }

  /** Throws an error listing every violation (use at the end of a test). */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map(
      (v) => `- [${v.kind}] ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ''}: ${v.message}`,
    );
    throw new Error(
      `The local GitHub server saw ${this.violations.length} request(s) that break GitHub's OpenAPI description:\n${lines.join('\n')}`,
    );
  }

  /** Forgets recorded violations. */
  clearViolations(): void {
    this.violations.length = 0;
  }

  /** Makes the next matching request(s) fail with GitHub's secondary rate limit answer. */
  injectSecondaryRateLimit(options: SecondaryRateLimitOptions = {}): InjectedFault {
    const status = options.status ?? 403;
    return this.faults.inject({
      match: options.match ?? (() => true),
      status,
      times: options.times ?? 1,
      headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(status),
      },
    });
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.listening?.close();
  }

  private violation(
    kind: ViolationKind,
    req: http.IncomingMessage,
    path: string,
    op: MatchedOperation | undefined,
    message: string,
  ): void {
    this.violations.push({ kind, method: req.method ?? 'GET', path, operationId: op?.operationId, message });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const baseHeaders: Record<string, string> = {
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-github-api-version-selected': String(req.headers['x-github-api-version'] ?? '2022-11-28'),
      'x-github-media-type': 'github.v3; format=json',
    };
    let loggedBody: unknown;
    try {
      loggedBody = parseJsonBody(raw);
    } catch {
      loggedBody = raw.toString('utf8');
    }
    const finish = (
      status: number,
      body: unknown,
      headers: Record<string, string>,
      op: MatchedOperation | undefined,
      injected = false,
    ): void => {
      sendJson(res, status, body, { ...baseHeaders, ...headers });
      this.requests.add({
        server: 'github',
        kind: 'rest',
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        name: op?.operationId,
        status,
        body: loggedBody,
        injected,
        at: new Date(),
      });
    };
    const fail = (
      error: GitHubApiError,
      op: MatchedOperation | undefined,
      extra: Record<string, string> = {},
    ): void => finish(error.status, error.toBody(), { ...extra, ...error.headers }, op);

    const match = this.catalog.match(method, url.pathname);
    if (match.kind !== 'operation') {
      const message =
        match.kind === 'unknown-path'
          ? `No operation in GitHub's OpenAPI description matches ${method} ${url.pathname}.`
          : `${match.template} has no ${method} operation in GitHub's OpenAPI description.`;
      this.violation(
        match.kind === 'unknown-path' ? 'unknown-route' : 'method-not-allowed',
        req,
        url.pathname,
        undefined,
        message,
      );
      const fault = this.faults.take({ method, path: url.pathname, names: [`${method} ${url.pathname}`] });
      if (fault) return this.answerFault(fault, finish, undefined, {});
      fail(new GitHubApiError(404, 'Not Found', 'https://docs.github.com/rest'), undefined);
      return;
    }
    const op = match.operation;

    const caller = this.identify(req);
    if (caller === 'bad-credentials') {
      fail(new GitHubApiError(401, 'Bad credentials', 'https://docs.github.com/rest'), op);
      return;
    }
    const limit = this.rateLimiter.consume(caller.id, caller.kind);
    const limitHeaders = RateLimiter.headers(limit);
    const fault = this.faults.take({
      method,
      path: url.pathname,
      names: [op.operationId, `${method} ${op.template}`],
    });
    if (fault) return this.answerFault(fault, finish, op, limitHeaders);
    if (limit.exceeded) {
      const who = caller.token ? `installation ID ${caller.token.repoId ?? caller.token.user.id}` : 'this IP';
      fail(
        new GitHubApiError(
          403,
          `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID.`,
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        ),
        op,
        limitHeaders,
      );
      return;
    }

    const problem = this.checkRequest(req, url, raw, op);
    if (problem) {
      fail(problem.error, op, limitHeaders);
      return;
    }

    const route = ROUTES.get(op.operationId);
    if (!route) {
      this.violation(
        'unimplemented-operation',
        req,
        url.pathname,
        op,
        `${op.operationId} is in GitHub's OpenAPI description but the local server does not implement it; add it under test/servers/github/routes.`,
      );
      fail(new GitHubApiError(404, 'Not Found', op.documentationUrl), op, limitHeaders);
      return;
    }

    let result: RouteResult;
    try {
      const repo = this.authorize(route, op, caller);
      // Bodies of operations that document none were not checked; GitHub ignores them.
      const body = typeof loggedBody === 'object' ? loggedBody : undefined;
      result = route.handle({
        world: this.world,
        render: this.renderContext(),
        op,
        params: op.pathParams,
        query: url.searchParams,
        body: isRecord(body) ? body : {},
        repo,
        actor: caller.token?.user ?? ANONYMOUS,
        token: caller.token,
        headers: req.headers,
        requestUrl: url,
      });
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      const accepted = route.access
        .map(([scope, level]) => `${PERMISSION_HEADER_NAMES[scope]}=${level}`)
        .join('; ');
      fail(error, op, { ...limitHeaders, 'x-accepted-github-permissions': accepted });
      return;
    }
    if (this.validateResponses && !result.skipResponseValidation) {
      for (const issue of this.catalog.validateResponse(op, result.status, result.body)) {
        this.violation('invalid-response', req, url.pathname, op, `${issue.location}: ${issue.message}`);
      }
    }
    finish(result.status, result.body, { ...limitHeaders, ...result.headers }, op);
  }

  private answerFault(
    fault: FaultSpec,
    finish: (
      status: number,
      body: unknown,
      headers: Record<string, string>,
      op: MatchedOperation | undefined,
      injected: boolean,
    ) => void,
    op: MatchedOperation | undefined,
    limitHeaders: Record<string, string>,
  ): void {
    const body =
      fault.body ??
      ({
        message: http.STATUS_CODES[fault.status] ?? 'Error',
        documentation_url: 'https://docs.github.com/rest',
        status: String(fault.status),
      } satisfies Record<string, unknown>);
    finish(
      fault.status,
      typeof body === 'string' ? { message: body } : body,
      { ...limitHeaders, ...fault.headers },
      op,
      true,
    );
  }

  /** Validates parameters and body against the description; returns GitHub's error for the first problem. */
  private checkRequest(
    req: http.IncomingMessage,
    url: URL,
    raw: Buffer,
    op: MatchedOperation,
  ): { readonly error: GitHubApiError } | undefined {
    const paramIssues = this.catalog.validateParameters(op, url.searchParams);
    const record = (kind: ViolationKind, issues: readonly SchemaIssue[]): void => {
      for (const issue of issues)
        this.violation(kind, req, url.pathname, op, `${issue.location}: ${issue.message}`);
    };
    record(
      'undocumented-query-parameter',
      paramIssues.filter((issue) => issue.undocumented),
    );
    const invalid = paramIssues.filter((issue) => !issue.undocumented);
    if (invalid.length > 0) {
      record('invalid-parameter', invalid);
      // GitHub answers 404 for a malformed path parameter and 422 for a bad query value.
      if (invalid.some((issue) => issue.location.startsWith('path.'))) {
        return { error: new GitHubApiError(404, 'Not Found', op.documentationUrl) };
      }
      return {
        error: new GitHubApiError(
          422,
          `Invalid request.\n\n${invalid.map((issue) => issue.message).join('\n')}`,
          op.documentationUrl,
        ),
      };
    }
    const info = this.catalog.requestBodyInfo(op);
    if (!info.documented) return undefined;
    let body: unknown;
    try {
      body = parseJsonBody(raw);
    } catch {
      record('invalid-json', [{ location: 'body', message: 'The body is not valid JSON.' }]);
      return { error: new GitHubApiError(400, 'Problems parsing JSON', op.documentationUrl) };
    }
    const bodyIssues = this.catalog.validateBody(op, body ?? {});
    if (bodyIssues.length > 0) {
      record('invalid-body', bodyIssues);
      return {
        error: new GitHubApiError(
          422,
          `Invalid request.\n\n${bodyIssues.map((issue) => issue.message).join('\n')}`,
          op.documentationUrl,
        ),
      };
    }
    return undefined;
  }

  private identify(req: http.IncomingMessage): Caller | 'bad-credentials' {
    const header = req.headers.authorization;
    if (!header)
      return { token: undefined, id: `anonymous:${req.socket.remoteAddress ?? ''}`, kind: 'anonymous' };
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? this.world.tokenInfo(match[1]) : undefined;
    if (!token) return 'bad-credentials';
    return {
      token,
      id: token.repoId !== undefined ? `installation:${token.repoId}` : `user:${token.user.login}`,
      kind: token.repoId !== undefined ? 'installation' : 'user',
    };
  }

  /** Resolves the repository and checks the caller may use the route on it. */
  private authorize(route: RouteDefinition, op: MatchedOperation, caller: Caller): RepoRecord {
    const { owner, repo: name } = op.pathParams;
    const repo = owner && name ? this.world.findRepo(owner, name) : undefined;
    if (!repo) throw new GitHubApiError(404, 'Not Found', op.documentationUrl);
    const writes = route.access.every(([, level]) => level === 'write');
    const token = caller.token;
    if (!token) {
      if (repo.private) throw new GitHubApiError(404, 'Not Found', op.documentationUrl);
      if (writes || route.requiresAuth)
        throw new GitHubApiError(401, 'Requires authentication', op.documentationUrl);
      return repo;
    }
    if (token.repoId !== undefined && token.repoId !== repo.id) {
      // A GITHUB_TOKEN only reaches its own repository (and public ones, read-only).
      if (repo.private) throw new GitHubApiError(404, 'Not Found', op.documentationUrl);
      if (writes)
        throw new GitHubApiError(403, 'Resource not accessible by integration', op.documentationUrl);
      return repo;
    }
    const allowed = route.access.some(([scope, level]) => LEVEL[token.permissions[scope]] >= LEVEL[level]);
    if (!allowed)
      throw new GitHubApiError(403, 'Resource not accessible by integration', op.documentationUrl);
    return repo;
  }

  private renderContext(): RenderContext {
    return { world: this.world, api: this.url };
  }
}

/** Starts a {@link GitHubServer}; shorthand for `GitHubServer.start(options)`. */
export function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  return GitHubServer.start(options);
}
