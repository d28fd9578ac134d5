import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError, parseRetryAfter } from './http.ts';
import { retry, RetriesExhausted, backoffDelay } from './retry.ts';

/** A tiny stateful server: each route answers a scripted sequence of statuses. */
let server: http.Server;
let base: string;
const scripts = new Map<string, { status: number; body: unknown; headers?: Record<string, string> }[]>();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const queue = scripts.get(key) ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      if (!next) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_code":"NOT_FOUND"}');
        return;
      }
      const payload =
        next.body === 'echo'
          ? { received: JSON.parse(body || 'null'), auth: req.headers.authorization }
          : next.body;
      res
        .writeHead(next.status, { 'content-type': 'application/json', ...next.headers })
        .end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

describe('HttpClient', () => {
  it('recovers from injected 502s with retries', async () => {
    scripts.set('POST /api/runs', [
      { status: 502, body: { message: 'bad gateway' } },
      { status: 502, body: { message: 'bad gateway' } },
      { status: 200, body: 'echo' },
    ]);
    const client = new HttpClient({
      service: 'Test',
      baseUrl: base,
      retry: fast,
      headers: { authorization: 'Bearer t' },
    });
    const body = await client.json<{ received: unknown; auth: string }>('POST', '/runs', { a: 1 });
    expect(body).toEqual({ received: { a: 1 }, auth: 'Bearer t' });
    expect(hits.get('POST /api/runs')).toBe(3);
  });

  it('gives up after the bound with an error naming the server, call, status and attempts', async () => {
    scripts.set('GET /api/down', [
      { status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'down' } },
    ]);
    const client = new HttpClient({
      service: 'MLflow',
      baseUrl: base,
      retry: { ...fast, attempts: 3 },
      describeErrorBody: (_, b) => (b as { message?: string }).message,
    });
    const error = await client.json('GET', 'down').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).describe()).toMatch(
      /^MLflow at http:\/\/127\.0\.0\.1:\d+: GET \/api\/down failed \(HTTP 503\) after 3 attempts: down Fix: Check that/,
    );
    expect(hits.get('GET /api/down')).toBe(3);
  });

  it('does not retry client errors and allows expected statuses', async () => {
    const client = new HttpClient({ service: 'T', baseUrl: base, retry: fast });
    const error = (await client.json('GET', 'missing').catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(404);
    expect(error.attempts).toBe(1);
    expect(hits.get('GET /api/missing')).toBe(1);
    const response = await client.request({ path: 'missing', allowStatus: [404] });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error_code: 'NOT_FOUND' });
  });

  it('honours Retry-After on 429', async () => {
    scripts.set('GET /api/limited', [
      { status: 429, body: {}, headers: { 'retry-after': '0' } },
      { status: 200, body: { ok: true } },
    ]);
    const waits: number[] = [];
    const client = new HttpClient({
      service: 'T',
      baseUrl: base,
      retry: { ...fast, onRetry: (i) => waits.push(i.delayMs) },
    });
    expect(await client.json('GET', 'limited')).toEqual({ ok: true });
    expect(waits).toEqual([0]);
  });

  it('retries connection errors, then reports them', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new HttpClient({
      service: 'KFP',
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { ...fast, attempts: 2 },
    });
    const error = (await client.json('GET', 'x').catch((e: unknown) => e)) as HttpError;
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.attempts).toBe(2);
  });

  it('rejects a base URL that is not a URL', () => {
    expect(() => new HttpClient({ service: 'Argo', baseUrl: 'argo:2746' })).not.toThrow();
    expect(() => new HttpClient({ service: 'Argo', baseUrl: 'not a url' })).toThrow(/not a valid URL/);
  });
});

describe('retry', () => {
  it('uses jittered exponential backoff below the cap', () => {
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0.999 })).toBe(100);
    expect(backoffDelay(4, { baseDelayMs: 100, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
  });

  it('stops on non-retryable errors and reports exhaustion', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('fatal');
        },
        { isRetryable: () => false },
      ),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
    const error = await retry(async () => Promise.reject(new Error('flaky')), {
      attempts: 3,
      sleep: async () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).attempts).toBe(3);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
