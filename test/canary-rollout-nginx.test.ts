/**
 * The nginx router against a real nginx (Debian `nginx-light`) started on a loopback port in front of
 * two local backends, "stable" and "canary". Each test sends a bounded number of requests and counts
 * where they went: `split_clients` draws each request on its own (a binomial count), the weighted
 * upstream is smooth round-robin (an exact count). One rollout goes through the committed bundle.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RemoteError } from '@modelops/core';
import { NginxRouter, type NginxConfig } from '../actions/canary-rollout/src/routers/nginx.ts';
import { renderSplit } from '../actions/canary-rollout/src/routers/nginx-config.ts';
import { runAction } from './harness/index.ts';

/** The nginx binary; the test fails (never skips) when the package is missing. */
function nginxBinary(): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'nginx')),
    '/usr/sbin/nginx',
  ];
  const found = candidates.find((c) => existsSync(c) && spawnSync(c, ['-v']).status === 0);
  if (!found)
    throw new Error(
      'nginx is not installed. Fix: apt-get install -y nginx-light (the test setup installs it as root).',
    );
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

function backend(body: string): Promise<http.Server> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => res.end(body));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function get(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A new connection per request (no keep-alive), so every request sees the newest workers.
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (d: string) => (data += d));
      res.on('end', () => resolve(data));
    });
    req.on('error', reject);
  });
}

let nginx: ChildProcess;
let prefix: string;
let port: number;
let binary: string;
const backends: http.Server[] = [];
let reloads = 0;

/** Counts the answers of `n` requests. */
async function measure(urlPath: string, n: number): Promise<{ stable: number; canary: number }> {
  const counts = { stable: 0, canary: 0 };
  for (let i = 0; i < n; i++) counts[(await get(port, urlPath)) as 'stable' | 'canary']++;
  return counts;
}

/** Waits until nginx has applied every reload so far (each old worker logs "gracefully shutting down"). */
async function settled(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const log = readFileSync(path.join(prefix, 'error.log'), 'utf8');
    if ((log.match(/gracefully shutting down/g) ?? []).length >= reloads) return;
    if (Date.now() > deadline) throw new Error(`nginx did not apply reload ${reloads}:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function router(config: Partial<NginxConfig> & { file: string }): NginxRouter {
  return new NginxRouter({
    config: { nginx: binary, args: ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], ...config },
    cwd: prefix,
    stable: 'v1',
    canary: 'v2',
  });
}

/** Sets a weight through the router and waits for nginx to apply it. */
async function apply(action: () => Promise<unknown>): Promise<void> {
  await action();
  reloads++;
  await settled();
}

const SPLIT = {
  mode: 'split-clients' as const,
  key: '${request_id}',
  variable: 'model_pool',
  stableUpstream: 'stable',
  canaryUpstream: 'canary',
};
const UPSTREAM_SETTINGS = (stablePort: number, canaryPort: number) => ({
  mode: 'upstream' as const,
  upstream: 'model',
  stableServers: [`127.0.0.1:${stablePort}`],
  canaryServers: [`127.0.0.1:${canaryPort}`],
});

beforeAll(async () => {
  binary = nginxBinary();
  prefix = mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
  mkdirSync(path.join(prefix, 'tmp'));
  const [stable, canary] = await Promise.all([backend('stable'), backend('canary')]);
  backends.push(stable, canary);
  const stablePort = (stable.address() as net.AddressInfo).port;
  const canaryPort = (canary.address() as net.AddressInfo).port;
  port = await freePort();
  // The files the routers own start at 0 %, as a first `prepare` would leave them.
  writeFileSync(path.join(prefix, 'split.conf'), renderSplit(SPLIT, 0));
  writeFileSync(
    path.join(prefix, 'upstream.conf'),
    renderSplit(UPSTREAM_SETTINGS(stablePort, canaryPort), 0),
  );
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, 'tmp', name)};`;
  writeFileSync(
    path.join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'error.log')} notice;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  upstream stable { server 127.0.0.1:${stablePort}; }
  upstream canary { server 127.0.0.1:${canaryPort}; }
  include ${path.join(prefix, 'split.conf')};
  include ${path.join(prefix, 'upstream.conf')};
  server {
    listen 127.0.0.1:${port};
    location /split { proxy_pass http://$model_pool; }
    location /upstream { proxy_pass http://model; }
  }
}
`,
  );
  nginx = spawn(binary, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await get(port, '/split')) === 'stable') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || nginx.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 30_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  await Promise.all(backends.map((b) => new Promise((r) => b.close(r))));
});

describe('nginx router, split_clients', () => {
  it('sends about the weight to the canary, all of it on promote, none on rollback', async () => {
    const r = router({ file: 'split.conf' });
    expect(await r.prepare()).toEqual({ stable: 'v1', canary: 'v2', alreadyStable: false, memo: {} });
    expect(await measure('/split', 50)).toEqual({ stable: 50, canary: 0 });

    await apply(() => r.setWeight(10));
    const at10 = await measure('/split', 1000);
    // Binomial(1000, 0.1): mean 100, sd 9.5; the bounds are 4 sd.
    expect(at10.canary).toBeGreaterThanOrEqual(62);
    expect(at10.canary).toBeLessThanOrEqual(138);

    await apply(() => r.setWeight(50));
    const at50 = await measure('/split', 400);
    // Binomial(400, 0.5): mean 200, sd 10.
    expect(at50.canary).toBeGreaterThanOrEqual(160);
    expect(at50.canary).toBeLessThanOrEqual(240);

    await apply(() => r.promote());
    expect(await measure('/split', 50)).toEqual({ stable: 0, canary: 50 });
    await apply(() => r.rollback());
    expect(await measure('/split', 50)).toEqual({ stable: 50, canary: 0 });
  });
});

describe('nginx router, weighted upstream', () => {
  const ports = () => [
    (backends[0]?.address() as net.AddressInfo).port,
    (backends[1]?.address() as net.AddressInfo).port,
  ];

  it('splits exactly (smooth weighted round-robin)', async () => {
    const [stablePort, canaryPort] = ports();
    const r = router({
      file: 'upstream.conf',
      mode: 'upstream',
      'stable-servers': [`127.0.0.1:${stablePort}`],
      'canary-servers': [`127.0.0.1:${canaryPort}`],
    });
    await r.prepare();
    await apply(() => r.setWeight(10));
    expect(await measure('/upstream', 1000)).toEqual({ stable: 900, canary: 100 });
    await apply(() => r.setWeight(25));
    expect(await measure('/upstream', 400)).toEqual({ stable: 300, canary: 100 });
    await apply(() => r.rollback());
    expect(await measure('/upstream', 100)).toEqual({ stable: 100, canary: 0 });
  });

  it('puts the previous file back when nginx -t refuses the new one, and traffic stays as it was', async () => {
    const [stablePort, canaryPort] = ports();
    const good = router({
      file: 'upstream.conf',
      mode: 'upstream',
      'stable-servers': [`127.0.0.1:${stablePort}`],
      'canary-servers': [`127.0.0.1:${canaryPort}`],
    });
    await apply(() => good.setWeight(50));
    const before = readFileSync(path.join(prefix, 'upstream.conf'), 'utf8');
    const bad = router({
      file: 'upstream.conf',
      mode: 'upstream',
      'stable-servers': [`127.0.0.1:${stablePort}`],
      'canary-servers': [`127.0.0.1:${canaryPort}`],
      'server-parameters': 'bogus=1',
    });
    const error = await bad.setWeight(10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).describe()).toMatch(
      /^nginx: test the configuration failed: .* -t exited with status 1:\n.*invalid parameter "bogus=1"/s,
    );
    expect(readFileSync(path.join(prefix, 'upstream.conf'), 'utf8')).toBe(before);
    expect(await measure('/upstream', 100)).toEqual({ stable: 50, canary: 50 });
    await apply(() => good.rollback());
  });
});

describe('nginx router through the bundle', () => {
  it('promotes after the checks pass, then every request reaches the canary', async () => {
    const [stablePort, canaryPort] = [0, 1].map((i) => (backends[i]?.address() as net.AddressInfo).port);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'rollout-nginx-'));
    writeFileSync(path.join(cwd, 'metrics.json'), '{"error_rate": 0.001}');
    const config = {
      file: path.join(prefix, 'upstream.conf'),
      mode: 'upstream',
      'stable-servers': [`127.0.0.1:${stablePort}`],
      'canary-servers': [`127.0.0.1:${canaryPort}`],
      nginx: binary,
      args: ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')],
    };
    const run = await runAction('canary-rollout', {
      cwd,
      env: { MODELOPS_RETRY_BASE_MS: '5' },
      inputs: {
        model: 'v2',
        stable: 'v1',
        name: 'churn',
        router: 'nginx',
        'router-config': JSON.stringify(config),
        steps: '10,50',
        interval: '50ms',
        observer: 'metrics-file',
        'observer-config': 'file: metrics.json',
        metrics: '- {name: error_rate, max: 0.01}',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ state: 'promoted', weight: '100', stable: 'v2' });
    reloads += 3; // 10 %, 50 %, promote
    await settled();
    expect(await measure('/upstream', 100)).toEqual({ stable: 0, canary: 100 });
    expect(readFileSync(path.join(prefix, 'upstream.conf'), 'utf8')).toMatch(
      /^# modelops canary-rollout: canary weight 100%/,
    );
  });
});
