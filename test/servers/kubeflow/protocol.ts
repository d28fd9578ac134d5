/**
 * Pieces the local training-engine servers (Kubeflow Pipelines, Argo Workflows) share: a request
 * log, fault injection that can fail a call before or after it took effect, schema validation of
 * requests and answers with recorded violations, and bearer-token checks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { FaultInjector, type FaultSpec } from '../shared/faults.ts';
import { parseJsonBody, readBody, sendJson } from '../shared/http.ts';

/** One request an engine server answered. */
export interface EngineRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Operation id, e.g. `RunService_CreateRun`. */
  operation: string | undefined;
  body: unknown;
  status: number;
  /** True when an injected fault produced (or replaced) the answer. */
  injected: boolean;
  headers: Record<string, string | string[] | undefined>;
}

/** A fault; `afterCommit` applies the call first and then answers the fault (an ambiguous failure). */
export interface EngineFaultSpec extends FaultSpec {
  readonly afterCommit?: boolean;
}

/** Faults aimed by operation id or `METHOD /path/template`. */
export class EngineFaults {
  private readonly injector = new FaultInjector();

  /** Registers a fault; returns a live view of its hits. */
  inject(spec: EngineFaultSpec): ReturnType<FaultInjector['inject']> {
    return this.injector.inject(spec);
  }

  /** Consumes the first matching fault. */
  take(method: string, path: string, names: string[]): EngineFaultSpec | undefined {
    return this.injector.take({ method, path, names }) as EngineFaultSpec | undefined;
  }

  clear(): void {
    this.injector.clear();
  }
}

/** A request or answer that broke the API description. */
export interface Violation {
  operation: string;
  direction: 'request' | 'response';
  problems: string[];
}

/** Validates bodies against JSON Schemas and collects violations. */
export class SchemaChecker {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly violations: Violation[] = [];

  constructor(schemas: readonly Record<string, unknown>[]) {
    (addFormats as unknown as (a: Ajv2020) => void)(this.ajv);
    for (const schema of schemas) this.ajv.addSchema(schema);
  }

  /** Problems of `value` against the schema with `$id` `id` (empty when valid). */
  check(id: string, value: unknown): string[] {
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.ajv.getSchema(id);
      if (!fn) throw new Error(`no schema ${id}`);
      this.compiled.set(id, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }

  /** Checks and records a violation; returns the problems. */
  record(operation: string, direction: Violation['direction'], id: string, value: unknown): string[] {
    const problems = this.check(id, value);
    if (problems.length > 0) this.violations.push({ operation, direction, problems });
    return problems;
  }

  /** Forgets the recorded violations. */
  clear(): void {
    this.violations.length = 0;
  }

  /** Throws when any request or answer broke the description. */
  assertNoViolations(): void {
    if (this.violations.length > 0) {
      throw new Error(
        `API description violations:\n${this.violations.map((v) => `  ${v.direction} of ${v.operation}: ${v.problems.join('; ')}`).join('\n')}`,
      );
    }
  }
}

/** The bearer token of a request, without the `Bearer ` prefix. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1];
}

/** gRPC status codes and the HTTP status grpc-gateway maps them to (both engines' API servers use it). */
export const GRPC = {
  INVALID_ARGUMENT: { code: 3, http: 400 },
  NOT_FOUND: { code: 5, http: 404 },
  ALREADY_EXISTS: { code: 6, http: 409 },
  PERMISSION_DENIED: { code: 7, http: 403 },
  /** grpc-gateway's answer for a known path with another method. */
  METHOD_NOT_ALLOWED: { code: 12, http: 405 },
  INTERNAL: { code: 13, http: 500 },
  UNAVAILABLE: { code: 14, http: 503 },
  UNAUTHENTICATED: { code: 16, http: 401 },
} as const;

/** An error of an engine API: a gRPC status with its HTTP mapping, and the body to send. */
export interface EngineApiError {
  readonly grpc: { code: number; http: number };
  readonly message: string;
  toBody(): Record<string, unknown>;
}

/** An engine API error with grpc-gateway's `runtime.Error` body. */
export class GrpcApiError extends Error implements EngineApiError {
  constructor(
    readonly grpc: (typeof GRPC)[keyof typeof GRPC],
    message: string,
  ) {
    super(message);
  }

  /** The `grpc.gateway.runtime.Error` body. */
  toBody(): Record<string, unknown> {
    return { error: this.message, code: this.grpc.code, message: this.message, details: [] };
  }
}

const ERROR_KINDS = {
  invalid: GRPC.INVALID_ARGUMENT,
  'not-found': GRPC.NOT_FOUND,
  method: GRPC.METHOD_NOT_ALLOWED,
  unauthenticated: GRPC.UNAUTHENTICATED,
} as const;

/** What a route handler answers: a status, a body, and the schema (`$id`) the body must match. */
export interface RouteAnswer {
  status: number;
  body: unknown;
  schema?: string;
}

/** One operation of an engine API. */
export interface EngineRoute {
  operation: string;
  method: string;
  /** Path template, e.g. `/apis/v2beta1/runs/{run_id}`. */
  template: string;
  pattern: RegExp;
  handle(ctx: { params: Record<string, string>; query: URLSearchParams; body: unknown }): RouteAnswer;
}

/** Builds a route; `{name}` in the template matches one path segment (up to `/` or `:`). */
export function engineRoute(
  operation: string,
  method: string,
  template: string,
  handle: EngineRoute['handle'],
): EngineRoute {
  const pattern = new RegExp(
    `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '(?<$1>[^/:]+)')}$`,
  );
  return { operation, method, template, pattern, handle };
}

/** Options of {@link serveEngineApi}. */
export interface ServeEngineOptions {
  routes: EngineRoute[];
  checker: SchemaChecker;
  faults: EngineFaults;
  requests: EngineRequest[];
  /** `$id` of the error body schema. */
  errorSchema: string;
  /** Makes an API error (default: a {@link GrpcApiError}). */
  error?(kind: keyof typeof ERROR_KINDS, message: string): EngineApiError;
  /** Whether a thrown value is an API error (default: a {@link GrpcApiError}). */
  isApiError?(error: unknown): error is EngineApiError;
  /** Required bearer token. */
  token?: string;
}

/** The request handler of an engine API server (see {@link ServeEngineOptions}). */
export function serveEngineApi(options: ServeEngineOptions) {
  const makeError =
    options.error ??
    ((kind: keyof typeof ERROR_KINDS, message: string) => new GrpcApiError(ERROR_KINDS[kind], message));
  const isApiError =
    options.isApiError ?? ((error: unknown): error is EngineApiError => error instanceof GrpcApiError);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const entry: EngineRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      operation: undefined,
      body: undefined,
      status: 0,
      injected: false,
      headers: req.headers,
    };
    options.requests.push(entry);
    const answer = (status: number, body: unknown) => {
      entry.status = status;
      sendJson(res, status, body);
    };
    const fail = (error: EngineApiError) => {
      options.checker.record(entry.operation ?? 'unknown', 'response', options.errorSchema, error.toBody());
      answer(error.grpc.http, error.toBody());
    };
    try {
      entry.body = parseJsonBody(raw);
    } catch {
      fail(makeError('invalid', 'invalid character in request body: not JSON'));
      return;
    }
    const matched = options.routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    const hit = matched.find((x) => x.r.method === method);
    if (!hit) {
      // grpc-gateway: an unknown path is 404, a known path with another method 405.
      fail(
        matched.length > 0 ? makeError('method', 'Method Not Allowed') : makeError('not-found', 'Not Found'),
      );
      return;
    }
    entry.operation = hit.r.operation;
    if (options.token && bearerToken(req.headers.authorization) !== options.token) {
      fail(makeError('unauthenticated', 'token not valid: send Authorization: Bearer <token>'));
      return;
    }
    const fault = options.faults.take(method, url.pathname, [hit.r.operation, `${method} ${hit.r.template}`]);
    if (fault && !fault.afterCommit) {
      entry.injected = true;
      answer(fault.status, fault.body ?? { error: 'injected fault', code: 14, message: 'injected fault' });
      return;
    }
    try {
      const result = hit.r.handle({
        params: { ...hit.m?.groups },
        query: url.searchParams,
        body: entry.body ?? {},
      });
      if (result.schema) options.checker.record(hit.r.operation, 'response', result.schema, result.body);
      if (fault) {
        // The call took effect but its answer is lost (a proxy timeout, a dropped connection).
        entry.injected = true;
        answer(
          fault.status,
          fault.body ?? { error: 'upstream timeout', code: 14, message: 'upstream timeout' },
        );
        return;
      }
      answer(result.status, result.body);
    } catch (error) {
      if (isApiError(error)) fail(error);
      else throw error;
    }
  };
}
