import { describe, it, expect } from 'vitest';
import type { AnalysisResult, RolloutRecord } from '@modelops/core';
import { runController, type ControllerDeps, type ControllerEvent } from './controller.ts';
import { judge, type Measurement } from './analysis.ts';
import type { RolloutPlan } from './plan.ts';
import type { PreparedRollout, Router } from './routers/types.ts';

/** A router that keeps the traffic split in memory and records every call. */
class MemoryRouter implements Router {
  readonly kind = 'memory';
  readonly description = 'in-memory split';
  weight = 0;
  calls: string[] = [];
  failOn = new Set<string>();

  async prepare(): Promise<PreparedRollout> {
    return { stable: 'v1', canary: 'v2', alreadyStable: false, memo: {} };
  }
  private act(call: string): void {
    this.calls.push(call);
    if (this.failOn.has(call.split(' ')[0] as string)) throw new Error(`${call} refused`);
  }
  async setWeight(weight: number): Promise<void> {
    this.act(`set ${weight}`);
    this.weight = weight;
  }
  async promote(): Promise<void> {
    this.act('promote');
    this.weight = 100;
  }
  async rollback(): Promise<void> {
    this.act('rollback');
    this.weight = 0;
  }
}

function newRecord(weights: number[]): RolloutRecord {
  return {
    schemaVersion: 1,
    kind: 'RolloutRecord',
    createdAt: '2026-01-01T00:00:00.000Z',
    producer: { action: 'canary-rollout', version: 'test' },
    name: 'churn',
    strategy: 'canary',
    router: 'memory',
    observer: 'test',
    stable: 'v1',
    canary: 'v2',
    state: 'progressing',
    weight: 0,
    plan: { weights, intervalMs: 1000, iterations: 1, threshold: 1, inconclusiveLimit: 2 },
    metrics: [{ name: 'error_rate', max: 0.01 }],
    failedChecks: 0,
    inconclusiveChecks: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    steps: [],
  };
}

function plan(overrides: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    strategy: 'canary',
    weights: [10, 50],
    intervalMs: 1000,
    iterations: 1,
    threshold: 1,
    inconclusiveLimit: 2,
    ...overrides,
  };
}

/** Runs the controller with a virtual clock; `values` gives the error rate measured at each check. */
async function run(
  values: (number | null)[],
  options: {
    plan?: Partial<RolloutPlan>;
    router?: MemoryRouter;
    abortAtCheck?: number;
    analyseError?: Error;
  } = {},
) {
  const router = options.router ?? new MemoryRouter();
  const p = plan(options.plan);
  const record = newRecord(p.weights);
  const events: ControllerEvent[] = [];
  const controller = new AbortController();
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let checks = 0;
  const sleeps: number[] = [];
  const deps: ControllerDeps = {
    router,
    now: () => new Date(clock),
    signal: controller.signal,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (options.abortAtCheck === checks) controller.abort();
      if (signal.aborted) throw new DOMException('aborted', 'AbortError');
      clock += ms;
    },
    analyse: async (step): Promise<AnalysisResult[]> => {
      if (options.analyseError) throw options.analyseError;
      const value = values[checks++];
      if (value === undefined) throw new Error(`test: no value for check ${checks} at ${step.weight}%`);
      const measurement: Measurement = { value };
      return [judge({ name: 'error_rate', max: 0.01 }, measurement, new Date(clock))];
    },
    onChange: async (event) => {
      events.push(event);
    },
  };
  const result = await runController(record, p, deps);
  return { result, record, router, events, sleeps, checks: () => checks };
}

describe('runController', () => {
  it('promotes after every step passes, waiting the interval before each check', async () => {
    const { result, record, router, sleeps, events } = await run([0.001, 0.002]);
    expect(result).toMatchObject({ state: 'promoted', settled: true, cancelled: false });
    expect(router.calls).toEqual(['set 10', 'set 50', 'promote']);
    expect(router.weight).toBe(100);
    expect(sleeps).toEqual([1000, 1000]);
    expect(record.state).toBe('promoted');
    expect(record.weight).toBe(100);
    expect(record.steps.map((s) => [s.weight, s.outcome, s.checks.length])).toEqual([
      [10, 'passed', 1],
      [50, 'passed', 1],
    ]);
    expect(record.endedAt).toBe('2026-01-01T00:00:02.000Z');
    expect(events.map((e) => e.type)).toEqual(['step', 'check', 'step', 'check', 'end']);
  });

  it('rolls back when a metric breaks its bound, naming the metric and value', async () => {
    const { result, record, router } = await run([0.001, 0.05]);
    expect(result).toMatchObject({ state: 'rolled-back', settled: true });
    expect(router.calls).toEqual(['set 10', 'set 50', 'rollback']);
    expect(router.weight).toBe(0);
    expect(record.weight).toBe(0);
    expect(record.failedChecks).toBe(1);
    expect(record.reason).toBe(
      '1 failed check(s) at step 2/2 (50%) reached the threshold of 1: error_rate 0.05 is above the bound ≤ 0.01',
    );
    expect(record.steps[1]?.outcome).toBe('failed');
  });

  it('holds the weight after a failed check below the threshold, and counts failures over the rollout', async () => {
    const held = await run([0.05, 0.001, 0.001], { plan: { threshold: 2 } });
    expect(held.result.state).toBe('promoted');
    expect(held.router.calls).toEqual(['set 10', 'set 50', 'promote']);
    expect(held.record.steps[0]?.checks.map((c) => c.outcome)).toEqual(['failed', 'successful']);
    expect(held.record.failedChecks).toBe(1);

    const second = await run([0.05, 0.001, 0.2], { plan: { threshold: 2 } });
    expect(second.result.state).toBe('rolled-back');
    expect(second.record.failedChecks).toBe(2);
    expect(second.router.calls).toEqual(['set 10', 'set 50', 'rollback']);
  });

  it('never promotes without data: no-data checks are inconclusive and abort at the limit', async () => {
    const { result, record, router } = await run([null, null, null, null]);
    expect(result).toMatchObject({ state: 'aborted', settled: true });
    expect(router.calls).toEqual(['set 10', 'rollback']);
    expect(record.inconclusiveChecks).toBe(2);
    expect(record.failedChecks).toBe(0);
    expect(record.steps[0]?.outcome).toBe('inconclusive');
    expect(record.reason).toMatch(
      /^2 inconclusive check\(s\) at step 1\/2 \(10%\) reached the limit of 2: no data/,
    );
    expect(record.steps[0]?.checks[0]?.results[0]).toMatchObject({ status: 'inconclusive', value: null });
  });

  it('lets data arrive late: an inconclusive check below the limit holds the weight', async () => {
    const { result, record } = await run([Number.NaN, 0.001, 0.001]);
    expect(result.state).toBe('promoted');
    expect(record.inconclusiveChecks).toBe(1);
    expect(record.steps[0]?.checks.map((c) => c.outcome)).toEqual(['inconclusive', 'successful']);
  });

  it('needs `iterations` successful checks per step', async () => {
    const { result, checks, record } = await run([0.001, 0.001, 0.001, 0.001], { plan: { iterations: 2 } });
    expect(result.state).toBe('promoted');
    expect(checks()).toBe(4);
    expect(record.steps.map((s) => s.checks.length)).toEqual([2, 2]);
  });

  it('stops on cancellation without touching traffic: the post step rolls back', async () => {
    const { result, record, router, events } = await run([0.001, 0.001], { abortAtCheck: 1 });
    expect(result).toMatchObject({ cancelled: true, settled: false, state: 'progressing' });
    expect(result.reason).toBe('cancelled at step 2/2 (50%)');
    expect(router.calls).toEqual(['set 10', 'set 50']);
    expect(router.weight).toBe(50);
    expect(record.state).toBe('progressing');
    expect(record.steps[1]?.outcome).toBe('stopped');
    expect(events.at(-1)).toEqual({ type: 'cancelled', reason: 'cancelled at step 2/2 (50%)' });
  });

  it('aborts and rolls back when the router fails to move traffic', async () => {
    const router = new MemoryRouter();
    router.failOn.add('promote');
    const { result, record } = await run([0.001, 0.001], { router });
    expect(result).toMatchObject({ state: 'aborted', settled: true });
    expect((result.error as Error).message).toBe('promote refused');
    expect(router.calls).toEqual(['set 10', 'set 50', 'promote', 'rollback']);
    expect(record.reason).toBe('aborted: promote refused');
  });

  it('aborts and rolls back on a configuration error raised by the analysis', async () => {
    const { result, router, record } = await run([], { analyseError: new Error('bad query') });
    expect(result.state).toBe('aborted');
    expect(router.calls).toEqual(['set 10', 'rollback']);
    expect(record.steps[0]?.outcome).toBe('stopped');
  });

  it('reports an unsettled rollout when the rollback itself fails', async () => {
    const router = new MemoryRouter();
    router.failOn.add('rollback');
    const { result, record } = await run([0.5], { router });
    expect(result).toMatchObject({ state: 'aborted', settled: false });
    expect((result.rollbackError as Error).message).toBe('rollback refused');
    expect(record.reason).toMatch(
      /error_rate 0.5 is above the bound ≤ 0.01; the rollback failed too: rollback refused$/,
    );
    expect(record.weight).toBe(10);
  });
});
