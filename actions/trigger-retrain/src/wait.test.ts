import { describe, expect, it } from 'vitest';
import type { EngineRun, RunState } from './dispatch/types.ts';
import { waitForRun } from './wait.ts';

/** A run whose state follows a script, and a clock that only moves when the waiter sleeps. */
function scripted(states: RunState[]) {
  let clock = 0;
  const sleeps: number[] = [];
  let polls = 0;
  return {
    sleeps,
    get polls() {
      return polls;
    },
    dispatcher: {
      status: async (id: string): Promise<EngineRun> => {
        const state = states[Math.min(polls++, states.length - 1)] as RunState;
        return { id, state, engineState: state.toUpperCase() };
      },
    },
    options: {
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      pollBaseMs: 5000,
      pollMaxMs: 60_000,
    },
  };
}

describe('waitForRun', () => {
  it('polls until the run succeeds, with a growing interval', async () => {
    const s = scripted(['pending', 'running', 'running', 'running', 'succeeded']);
    const result = await waitForRun(s.dispatcher, 'r1', { ...s.options, timeoutMs: 3_600_000 });
    expect(result.conclusion).toBe('success');
    expect(s.sleeps).toEqual([5000, 7500, 11250, 16875]);
  });

  it('reports failure and cancellation as they are', async () => {
    const failed = scripted(['running', 'failed']);
    expect(
      (await waitForRun(failed.dispatcher, 'r', { ...failed.options, timeoutMs: 60_000 })).conclusion,
    ).toBe('failure');
    const cancelled = scripted(['cancelled']);
    expect(
      (await waitForRun(cancelled.dispatcher, 'r', { ...cancelled.options, timeoutMs: 60_000 })).conclusion,
    ).toBe('cancelled');
    expect(cancelled.sleeps).toEqual([]);
  });

  it('times out without sleeping past the deadline, after a last look', async () => {
    const s = scripted(['running']);
    const result = await waitForRun(s.dispatcher, 'r', { ...s.options, timeoutMs: 20_000 });
    expect(result.conclusion).toBe('timed_out');
    expect(result.run.state).toBe('running');
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(s.sleeps).toEqual([5000, 7500, 7500]);
    expect(s.polls).toBe(4);
  });

  it('caps the interval', async () => {
    const s = scripted([...Array<RunState>(12).fill('running'), 'succeeded']);
    await waitForRun(s.dispatcher, 'r', { ...s.options, timeoutMs: 10 * 3_600_000 });
    expect(Math.max(...s.sleeps)).toBe(60_000);
  });
});
