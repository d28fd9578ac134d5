/**
 * canary-rollout with the Prometheus observer, through the committed bundle, against a real
 * Prometheus (Debian `prometheus`) scraping a local exporter: a healthy canary is promoted, a
 * breaching one rolled back, no series and NaN are inconclusive (never a pass), a query Prometheus
 * refuses stops the rollout at once, and an unreachable Prometheus stops it before traffic moves.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '@modelops/core';
import { runAction } from './harness/index.ts';
import {
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from './servers/prometheus/index.ts';

let exporter: Exporter;
let prometheus: PrometheusServer;

beforeAll(async () => {
  exporter = await startExporter(
    [
      '# TYPE model_error_ratio gauge',
      'model_error_ratio{version="v2"} 0.002',
      'model_error_ratio{version="v3"} 0.2',
      '# TYPE model_latency_p99_seconds gauge',
      'model_latency_p99_seconds{version="v4"} NaN',
      '',
    ].join('\n'),
  );
  prometheus = await startPrometheus({ targets: [exporter.target] });
  await prometheus.waitFor('model_latency_p99_seconds');
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await exporter?.close();
});

const ERROR_RATIO = '- name: error_ratio\n  query: max(model_error_ratio{version="{{canary}}"})\n  max: 0.01';

function rollout(model: string, metrics: string, url = prometheus.url) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'rollout-prom-'));
  return runAction('canary-rollout', {
    cwd,
    env: { MODELOPS_RETRY_BASE_MS: '5' },
    inputs: {
      model,
      stable: 'v1',
      name: 'churn',
      router: 'command',
      'router-config': 'command: echo "$ROLLOUT_ACTION $ROLLOUT_WEIGHT" >> routes.log',
      steps: '10,50',
      interval: '50ms',
      'inconclusive-limit': 2,
      observer: 'prometheus',
      'observer-config': JSON.stringify({ url, timeout: '5s' }),
      metrics,
    },
  });
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const routes = (cwd: string) => readFileSync(path.join(cwd, 'routes.log'), 'utf8').trim().split('\n');
const record = (cwd: string) =>
  readDocument('RolloutRecord', path.join(cwd, '.modelops/canary-rollout/churn/rollout-record.json'));

describe('canary-rollout with Prometheus', () => {
  it('promotes a canary whose metric stays within bounds ({{canary}} in the query)', async () => {
    const run = await rollout('v2', ERROR_RATIO);
    expect(run.errors).toEqual([]);
    expect(run.outputs.state).toBe('promoted');
    expect(routes(run.cwd)).toEqual(['set-weight 10', 'set-weight 50', 'promote 100']);
    const doc = await record(run.cwd);
    expect(doc.steps[0]?.checks[0]?.results[0]).toMatchObject({
      metric: 'error_ratio',
      value: 0.002,
      status: 'successful',
    });
    expect(doc.metrics).toEqual([
      { name: 'error_ratio', query: 'max(model_error_ratio{version="{{canary}}"})', max: 0.01 },
    ]);
  });

  it('rolls back a canary whose metric breaks its bound', async () => {
    const run = await rollout('v3', ERROR_RATIO);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ state: 'rolled-back', 'failed-checks': '1' });
    expect(run.errors[0]).toContain('error_ratio 0.2 is above the bound ≤ 0.01');
    expect(routes(run.cwd)).toEqual(['set-weight 10', 'rollback 0']);
  });

  it('treats no series and NaN as inconclusive, never as a pass, and aborts at the limit', async () => {
    const run = await rollout(
      'v4',
      [
        '- {name: error_ratio, query: "max(model_error_ratio{version=\\"{{canary}}\\"})", max: 0.01}',
        '- {name: latency_p99, query: "max(model_latency_p99_seconds{version=\\"{{canary}}\\"})", max: 0.5}',
      ].join('\n'),
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ state: 'aborted', 'inconclusive-checks': '2', 'failed-checks': '0' });
    expect(routes(run.cwd)).toEqual(['set-weight 10', 'rollback 0']);
    const doc = await record(run.cwd);
    const [empty, nan] = doc.steps[0]?.checks[0]?.results ?? [];
    expect(empty).toMatchObject({ metric: 'error_ratio', value: null, status: 'inconclusive' });
    expect(empty?.message).toMatch(/^no data: the query returned no series/);
    expect(nan).toMatchObject({ metric: 'latency_p99', value: null, status: 'inconclusive' });
    expect(nan?.message).toMatch(/^NaN/);
  });

  it('stops at once, rolling back, when Prometheus refuses the query', async () => {
    const run = await rollout('v2', '- {name: broken, query: "sum(model_error_ratio", max: 1}');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.state).toBe('aborted');
    expect(run.errors[0]).toMatch(/Prometheus refused the query of metric 'broken' \(bad_data: .*\)/);
    expect(run.errors[0]).toContain("Fix the PromQL of 'broken'");
    expect(routes(run.cwd)).toEqual(['set-weight 10', 'rollback 0']);
  });

  it('does not move traffic when Prometheus cannot be reached', async () => {
    const port = await closedPort();
    const run = await rollout('v2', ERROR_RATIO, `http://127.0.0.1:${port}`);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toBe(
      `Prometheus at http://127.0.0.1:${port}: GET /api/v1/status/buildinfo failed after 4 attempts: connection failed (ECONNREFUSED) ` +
        `Fix: Check that Prometheus at http://127.0.0.1:${port} is up and reachable from the runner; the call was retried 4 times.`,
    );
    expect(run.post?.stdout).toContain('Nothing to clean up: the rollout never moved traffic.');
  });
});
