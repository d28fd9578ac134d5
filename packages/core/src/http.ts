/**
 * A small JSON-over-HTTP client for the services the suite talks to (MLflow, Kubeflow, Argo,
 * Prometheus, routers): timeouts, bounded retries with jittered backoff on 429/5xx/connection
 * errors (honouring `Retry-After`), and typed errors that name the server and the call.
 */
import { RemoteError, type RemoteErrorOptions } from './errors.ts';
import { retry, RetriesExhausted, type RetryOptions } from './retry.ts';

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Human name of the service for messages, e.g. `MLflow`. The base URL is added to it. */
  service: string;
  /** Base URL every request path is resolved against. */
  baseUrl: string;
  /** Headers sent with every request (e.g. authorization). */
  headers?: Record<string, string>;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy; `attempts: 1` disables retries. */
  retry?: RetryOptions;
  /** Turns an error response body into a readable message (e.g. MLflow's `{error_code, message}`). */
  describeErrorBody?: (status: number, body: unknown) => string | undefined;
  /** Called with a line per retry, for the debug log. */
  log?: (line: string) => void;
  /** The fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** One request. */
export interface HttpRequest {
  /** HTTP method (default GET). */
  method?: string;
  /** Path relative to the base URL (a leading `/` is relative to the base path too). */
  path: string;
  /** Query parameters; `undefined` values are left out, arrays repeat the key. */
  query?: Record<string, string | number | boolean | undefined | readonly string[]>;
  /** JSON body (serialised) or raw text. */
  body?: unknown;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Statuses that are not errors besides 2xx (e.g. 404 for a lookup). */
  allowStatus?: readonly number[];
  /** Set false to make exactly one attempt (for calls that must not repeat). */
  retry?: boolean;
}

/** A response with its parsed body (JSON when the server says so, else text). */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Options of {@link HttpError}. */
export interface HttpErrorOptions extends RemoteErrorOptions {
  /** The parsed error body, when there was a response. */
  body?: unknown;
  /** Milliseconds the server asked us to wait (`Retry-After`). */
  retryAfterMs?: number;
}

/** An HTTP call failed: a non-2xx status, a timeout or a connection error. */
export class HttpError extends RemoteError {
  /** The parsed error body, when there was a response. */
  readonly body: unknown;
  /** Milliseconds the server asked us to wait, when it said. */
  readonly retryAfterMs?: number;
  constructor(message: string, options: HttpErrorOptions) {
    super(message, options);
    this.body = options.body;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** JSON-over-HTTP client with retries and typed errors; see the module comment. */
export class HttpClient {
  private readonly options: HttpClientOptions;
  private readonly base: URL;

  constructor(options: HttpClientOptions) {
    this.options = options;
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new RemoteError(`'${options.baseUrl}' is not a valid URL.`, {
        service: options.service,
        call: 'configure',
        fix: 'Give an absolute http(s) URL, e.g. http://localhost:5000.',
      });
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
  }

  /** The service name used in messages, with the server's origin. */
  get serviceName(): string {
    return `${this.options.service} at ${this.base.origin}`;
  }

  /** Builds the absolute URL of a request. */
  url(path: string, query?: HttpRequest['query']): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** Sends a request, retrying transient failures; throws {@link HttpError} on failure. */
  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    const method = (request.method ?? 'GET').toUpperCase();
    const call = `${method} ${this.url(request.path).pathname}`;
    const policy = this.options.retry ?? {};
    try {
      return await retry(() => this.once<T>(request, method, call), {
        ...policy,
        attempts: request.retry === false ? 1 : (policy.attempts ?? 4),
        isRetryable: (error) => error instanceof HttpError && error.retryable,
        retryAfterMs: (error) => (error instanceof HttpError ? error.retryAfterMs : undefined),
        onRetry: ({ error, attempt, delayMs }) => {
          this.options.log?.(
            `${this.serviceName}: ${call} attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms`,
          );
          policy.onRetry?.({ error, attempt, delayMs });
        },
      });
    } catch (error) {
      if (error instanceof RetriesExhausted && error.lastError instanceof HttpError) {
        const last = error.lastError;
        throw new HttpError(last.message, {
          service: last.service,
          call: last.call,
          ...(last.status === undefined ? {} : { status: last.status }),
          body: last.body,
          retryable: true,
          attempts: error.attempts,
          fix: `Check that ${this.serviceName} is up and reachable from the runner; the call was retried ${error.attempts} times.`,
        });
      }
      throw error;
    }
  }

  /** Sends a request and returns only the parsed body. */
  async json<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    query?: HttpRequest['query'],
  ): Promise<T> {
    return (await this.request<T>({ method, path, body, query })).body;
  }

  private async once<T>(request: HttpRequest, method: string, call: string): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'modelops-actions',
      ...this.options.headers,
      ...request.headers,
    };
    let payload: string | undefined;
    if (request.body !== undefined) {
      if (typeof request.body === 'string') payload = request.body;
      else {
        payload = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.url(request.path, request.query), {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        redirect: 'follow',
      });
    } catch (error) {
      const reason = connectionReason(error);
      throw new HttpError(reason, { service: this.serviceName, call, retryable: true, cause: error });
    }
    const text = await response.text();
    const body = parseBody(text, response.headers.get('content-type'));
    if (response.ok || request.allowStatus?.includes(response.status)) {
      return { status: response.status, headers: response.headers, body: body as T };
    }
    const described = this.options.describeErrorBody?.(response.status, body);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new HttpError(described ?? (text.slice(0, 300) || response.statusText || 'no body'), {
      service: this.serviceName,
      call,
      status: response.status,
      body,
      retryable: isRetryableStatus(response.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function connectionReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'timed out';
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `connection failed (${cause.code})`;
  return error instanceof Error ? error.message : String(error);
}
