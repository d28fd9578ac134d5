/**
 * A local MLflow 2.x tracking server for tests: the REST API 2.0 endpoints the client uses (tracking
 * and model registry) over the stateful {@link MlflowState}, answering like MLflow's Flask handlers —
 * JSON bodies `{error_code, message}` with MLflow's statuses, a 400 for a POST without a JSON
 * content type, plain-text 404/405 for unknown routes and methods, and 401 from the basic-auth app.
 *
 * For tests it adds fault injection (the next N calls answer 503 or another status) and a log of
 * every request received.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, MlflowState } from './state.ts';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/api/2.0/mlflow/runs/get`. */
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON body (undefined when none or not JSON). */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** Status the server answered. */
  status?: number;
}

/** Options of {@link startMlflowServer}. */
export interface MlflowServerOptions {
  /** Port to listen on (default: any free port). */
  port?: number;
  /** Require credentials, like `mlflow server --app-name basic-auth` (or a token-checking proxy). */
  auth?: { token?: string; username?: string; password?: string };
}

/** Options of a fault. */
export interface FaultOptions {
  /** Status to answer (default 503). */
  status?: number;
  /** A `Retry-After` header value to send. */
  retryAfter?: string;
}

/** A running server. */
export interface MlflowServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` — the tracking URI. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The server's data. */
  readonly state: MlflowState;
  /** Makes the next `count` requests fail with a 503 (or the given status) before reaching a handler. */
  failNext(count: number, options?: FaultOptions): void;
  /** Clears data, faults and the request log. */
  reset(): void;
  close(): Promise<void>;
}

type Handler = (state: MlflowState, request: Record<string, unknown>) => Record<string, unknown>;

const API = '/api/2.0/mlflow/';

/** Endpoint → method → handler, as MLflow's `get_endpoints()` registers them. */
const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  'experiments/create': { POST: (s, r) => s.createExperiment(r) },
  'experiments/get': { GET: (s, r) => s.getExperiment(r) },
  'experiments/get-by-name': { GET: (s, r) => s.getExperimentByName(r) },
  'experiments/search': { POST: (s, r) => s.searchExperiments(r), GET: (s, r) => s.searchExperiments(r) },
  'runs/create': { POST: (s, r) => s.createRun(r) },
  'runs/get': { GET: (s, r) => s.getRun(r) },
  'runs/update': { POST: (s, r) => s.updateRun(r) },
  'runs/log-metric': { POST: (s, r) => s.logMetric(r) },
  'runs/log-parameter': { POST: (s, r) => s.logParam(r) },
  'runs/set-tag': { POST: (s, r) => s.setTag(r) },
  'runs/log-batch': { POST: (s, r) => s.logBatch(r) },
  'runs/search': { POST: (s, r) => s.searchRuns(r) },
  'metrics/get-history': { GET: (s, r) => s.getMetricHistory(r) },
  'registered-models/create': { POST: (s, r) => s.createRegisteredModel(r) },
  'registered-models/get': { GET: (s, r) => s.getRegisteredModel(r) },
  'registered-models/search': { GET: (s, r) => s.searchRegisteredModels(r) },
  'registered-models/set-tag': { POST: (s, r) => s.setRegisteredModelTag(r) },
  'registered-models/alias': {
    POST: (s, r) => s.setAlias(r),
    DELETE: (s, r) => s.deleteAlias(r),
    GET: (s, r) => s.getAlias(r),
  },
  'model-versions/create': { POST: (s, r) => s.createModelVersion(r) },
  'model-versions/get': { GET: (s, r) => s.getModelVersion(r) },
  'model-versions/search': { GET: (s, r) => s.searchModelVersions(r) },
  'model-versions/set-tag': { POST: (s, r) => s.setModelVersionTag(r) },
};

/** Fields that are lists in MLflow's protos (repeated query keys in GET requests). */
const LIST_FIELDS = new Set(['experiment_ids', 'order_by']);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const isText = typeof body === 'string';
  response.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
  });
  response.end(isText ? body : JSON.stringify(body));
}

function authorized(header: string | undefined, auth: NonNullable<MlflowServerOptions['auth']>): boolean {
  if (!header) return false;
  if (auth.token !== undefined && header === `Bearer ${auth.token}`) return true;
  if (auth.username !== undefined && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    return decoded === `${auth.username}:${auth.password ?? ''}`;
  }
  return false;
}

/** Starts the server on 127.0.0.1. */
export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowServer> {
  const state = new MlflowState();
  const requests: RecordedRequest[] = [];
  const faults: FaultOptions[] = [];

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const text = await readBody(request);
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key);
        query[key] = LIST_FIELDS.has(key) || values.length > 1 ? values : (values[0] ?? '');
      }
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query,
        body,
        headers: request.headers,
      };
      requests.push(record);
      const answer = (status: number, payload: unknown, headers?: Record<string, string>) => {
        record.status = status;
        send(response, status, payload, headers);
      };

      const fault = faults.shift();
      if (fault) {
        answer(fault.status ?? 503, '<html><body><h1>503 Service Unavailable</h1></body></html>', {
          'content-type': 'text/html',
          ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
        });
        return;
      }
      if (options.auth && !authorized(request.headers.authorization, options.auth)) {
        answer(
          401,
          'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
          { 'www-authenticate': 'Basic realm="mlflow"' },
        );
        return;
      }
      const prefix = url.pathname.startsWith(API) ? API : undefined;
      const route = prefix ? ROUTES[url.pathname.slice(prefix.length)] : undefined;
      if (!route) {
        answer(404, `The requested URL ${url.pathname} was not found on the server.`);
        return;
      }
      const method = (request.method ?? 'GET').toUpperCase();
      const handler = route[method];
      if (!handler) {
        answer(405, `The method ${method} is not allowed for the requested URL.`);
        return;
      }
      try {
        let payload: Record<string, unknown>;
        if (method === 'GET') payload = query;
        else {
          const contentType = request.headers['content-type'] ?? '';
          if (!contentType.includes('application/json')) {
            throw new ApiError(
              400,
              'INVALID_PARAMETER_VALUE',
              "Bad Request. Content-Type must be one of ['application/json'].",
            );
          }
          if (text && body === undefined) {
            throw new ApiError(
              400,
              'INVALID_PARAMETER_VALUE',
              'Malformed request: the body is not valid JSON.',
            );
          }
          payload = { ...query, ...((body ?? {}) as Record<string, unknown>) };
        }
        answer(200, handler(state, payload));
      } catch (error) {
        if (error instanceof ApiError) {
          answer(error.status, { error_code: error.errorCode, message: error.message });
        } else {
          answer(500, { error_code: 'INTERNAL_ERROR', message: (error as Error).message });
        }
      }
    })();
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    failNext(count, fault = {}) {
      for (let index = 0; index < count; index++) faults.push(fault);
    },
    reset() {
      state.reset();
      faults.length = 0;
      requests.length = 0;
    },
    close() {
      return new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
