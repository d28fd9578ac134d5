import type http from 'node:http';
import { BLOB_ACCOUNT } from '../shared/blob-store.ts';
import { FaultInjector, type FaultSpec } from '../shared/faults.ts';
import { isRecord, listen, readBody, sendJson, type ListeningServer } from '../shared/http.ts';
import { RequestLog } from '../shared/request-log.ts';
import type { GitHubWorld } from '../shared/world.ts';
import { artifactService, type TwirpMethod } from './artifact-service.ts';
import { blobError, blobOperation, handleBlobRequest, type BlobAnswer } from './blob-service.ts';
import { cacheService } from './cache-service.ts';
import { readRuntimeToken, RuntimeTokenError } from './runtime-token.ts';
import { twirpCodeFor, TwirpError } from './twirp.ts';

/** Twirp services the server answers, by fully qualified service name. */
const SERVICES: Readonly<Record<string, Readonly<Record<string, TwirpMethod>>>> = {
  'github.actions.results.api.v1.ArtifactService': artifactService,
  'github.actions.results.api.v1.CacheService': cacheService,
};

/** Options of {@link ResultsServer.start}. */
export interface ResultsServerOptions {
  readonly world: GitHubWorld;
  /** Port to listen on (default: a free one). */
  readonly port?: number;
}

/**
 * A stateful local stand-in for the Actions results service: the Twirp JSON `ArtifactService` and
 * `CacheService` used by `@actions/artifact` and `@actions/cache` (v2), plus the blob storage their
 * signed URLs point to. It serves the blobs of its {@link GitHubWorld}, so artifacts uploaded here
 * are downloadable through the REST server's `…/artifacts/{id}/zip` redirect.
 */
export class ResultsServer {
  /** Requests answered so far (Twirp calls and blob operations). */
  readonly requests = new RequestLog();
  /**
   * Injected faults, aimed by Twirp method (`CreateCacheEntry`), `Service/Method` or blob
   * operation (`PutBlock`, `PutBlockList`, `PutBlob`, `GetBlob`). The artifact client retries 5xx
   * for about 30 s, so aim 4xx at artifact calls in tests.
   */
  readonly faults = new FaultInjector();
  readonly world: GitHubWorld;
  private listening: ListeningServer | undefined;

  private constructor(options: ResultsServerOptions) {
    this.world = options.world;
  }

  /** Starts a server for `options.world` on 127.0.0.1 and makes it serve the world's blobs. */
  static async start(options: ResultsServerOptions): Promise<ResultsServer> {
    const server = new ResultsServer(options);
    server.listening = await listen((req, res) => server.handle(req, res), options.port);
    options.world.blobs.attach(server.listening.url);
    return server;
  }

  /** Origin of the server: `ACTIONS_RESULTS_URL` (the clients only use the origin). */
  get url(): string {
    if (!this.listening) throw new Error('The results server is not listening.');
    return this.listening.url;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    if (this.listening) this.world.blobs.detach(this.listening.url);
    await this.listening?.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/twirp/')) {
      this.handleTwirp(req, res, method, url, raw);
      return;
    }
    this.handleBlob(req, res, method, url, raw);
  }

  private handleTwirp(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    url: URL,
    raw: Buffer,
  ): void {
    const [, , service = '', name = ''] = url.pathname.split('/');
    let body: unknown;
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
    } catch {
      body = undefined;
    }
    const answer = (
      status: number,
      json: unknown,
      injected = false,
      headers: Record<string, string> = {},
    ): void => {
      sendJson(res, status, json, headers);
      this.requests.add({
        server: 'results',
        kind: 'twirp',
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        name,
        status,
        body,
        injected,
        at: new Date(),
      });
    };
    const fault = this.faults.take({
      method,
      path: url.pathname,
      names: [name, `${service.split('.').pop() ?? ''}/${name}`],
    });
    if (fault) {
      answer(fault.status, this.faultBody(fault), true, { ...fault.headers });
      return;
    }
    try {
      const handler = SERVICES[service]?.[name];
      if (method !== 'POST' || !handler) {
        throw new TwirpError('bad_route', `no handler for ${method} ${url.pathname}`);
      }
      const contentType = String(req.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/json')) {
        throw new TwirpError(
          'bad_route',
          `unexpected Content-Type: ${contentType || 'none'} (only JSON is served)`,
        );
      }
      if (!isRecord(body)) throw new TwirpError('malformed', 'the request body is not a JSON object');
      const authorization = String(req.headers.authorization ?? '');
      if (!authorization.startsWith('Bearer '))
        throw new TwirpError('unauthenticated', 'missing bearer token');
      let caller;
      try {
        caller = readRuntimeToken(this.world, authorization.slice('Bearer '.length));
      } catch (error) {
        if (error instanceof RuntimeTokenError) throw new TwirpError('unauthenticated', error.message);
        throw error;
      }
      answer(200, handler(this.world, caller, body));
    } catch (error) {
      if (!(error instanceof TwirpError)) throw error;
      answer(error.status, error.toBody());
    }
  }

  private handleBlob(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    url: URL,
    raw: Buffer,
  ): void {
    const path = decodeURIComponent(url.pathname);
    const operation = blobOperation(method, url.searchParams, req.headers);
    let answer: BlobAnswer;
    let injected = false;
    const fault = this.faults.take({ method, path, names: [operation] });
    if (fault) {
      injected = true;
      answer = blobError(
        fault.status,
        fault.status >= 500 ? 'InternalError' : 'InjectedFault',
        'Injected fault.',
        req.headers,
      );
      answer = { ...answer, headers: { ...answer.headers, ...fault.headers } };
    } else if (!path.startsWith(`/${BLOB_ACCOUNT}/`)) {
      answer = blobError(
        400,
        'InvalidUri',
        'The requested URI does not represent any resource on the server.',
        req.headers,
      );
    } else {
      answer = handleBlobRequest(this.world.blobs, operation, path, url.searchParams, req.headers, raw);
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    this.requests.add({
      server: 'results',
      kind: 'blob',
      method,
      path,
      query: Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'sig')),
      name: operation,
      status: answer.status,
      body: undefined,
      injected,
      at: new Date(),
    });
  }

  private faultBody(fault: FaultSpec): unknown {
    if (fault.body === undefined) return { code: twirpCodeFor(fault.status), msg: 'injected fault' };
    return typeof fault.body === 'string'
      ? { code: twirpCodeFor(fault.status), msg: fault.body }
      : fault.body;
  }
}

/** Starts a {@link ResultsServer}; shorthand for `ResultsServer.start(options)`. */
export function startResultsServer(options: ResultsServerOptions): Promise<ResultsServer> {
  return ResultsServer.start(options);
}
