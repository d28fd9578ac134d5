import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request handler that may be async; thrown errors become a 500 answer. */
export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

/** A running HTTP server bound to 127.0.0.1 on a random port. */
export interface ListeningServer {
  /** Origin of the server, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and drops keep-alive sockets, so tests end promptly. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1; `port` 0 (the default) picks a free port. */
export async function listen(handler: RequestHandler, port = 0): Promise<ListeningServer> {
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        }
        res.end(JSON.stringify({ message: `Local server error: ${message}` }));
      });
  });
  // Clients keep sockets alive between calls; without this `close()` would wait for their idle timeout.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole request body. */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** Writes a JSON answer (or an empty one when `body` is undefined). */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Parses a JSON body, answering `undefined` for an empty one and throwing `SyntaxError` for bad JSON. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  return JSON.parse(raw.toString('utf8')) as unknown;
}

/** Narrows `value` to a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
