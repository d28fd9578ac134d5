/**
 * A real Prometheus (Debian's `prometheus` package) for tests, on a loopback port with its own
 * storage folder, scraping a small exporter the test controls. Not a stand-in: the queries, the
 * answers, NaN and empty results are Prometheus's own.
 *
 * ```ts
 * const exporter = await startExporter('model_error_ratio{version="v2"} 0.002\n');
 * const prometheus = await startPrometheus({ targets: [exporter.target] });
 * await prometheus.waitFor('model_error_ratio');
 * // … query prometheus.url …
 * await prometheus.close(); await exporter.close();
 * ```
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A metrics endpoint serving text the test sets. */
export interface Exporter {
  /** `127.0.0.1:<port>` for a scrape config. */
  target: string;
  /** Replaces the exposition text served from now on. */
  set(text: string): void;
  close(): Promise<void>;
}

/** Serves Prometheus text exposition at `/metrics`. */
export function startExporter(text: string): Promise<Exporter> {
  let body = text;
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        target: `127.0.0.1:${port}`,
        set: (next) => {
          body = next;
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Resolves once an instant query of `query` returns at least one series. */
  waitFor(query: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** `host:port` targets of the one scrape job (`job="exporter"`). */
  targets: string[];
  /** Scrape interval (default `250ms`). */
  scrapeInterval?: string;
}

/** The prometheus binary; throws with the fix when the Debian package is missing. */
export function prometheusBinary(): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'prometheus')),
    '/usr/bin/prometheus',
  ];
  const found = candidates.find((c) => existsSync(c) && spawnSync(c, ['--version']).status === 0);
  if (!found) {
    throw new Error(
      'prometheus is not installed. Fix: apt-get install -y prometheus (the test setup installs it as root).',
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function query(url: string, promql: string): Promise<unknown[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { data?: { result?: unknown[] } };
  return body.data?.result ?? [];
}

/** Starts Prometheus scraping `targets`; resolves when it is ready. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const binary = prometheusBinary();
  const home = mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  const interval = options.scrapeInterval ?? '250ms';
  const config = path.join(home, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      'scrape_configs:',
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: [${options.targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(home, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`prometheus did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    close,
    waitFor: async (promql, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      while ((await query(url, promql)).length === 0) {
        if (Date.now() > until)
          throw new Error(`prometheus: no series for ${promql} after ${timeoutMs} ms\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
