/**
 * Waiting for a dispatched training run: poll its state with a growing interval (5 s, ×1.5, at
 * most 1 min by default) until it ends or the timeout passes. A slow poll keeps long trainings from
 * eating the API rate limit; the first polls come quickly for short ones.
 */
import { formatDuration, sleep as realSleep } from '@modelops/core';
import { isTerminal, type Dispatcher, type EngineRun } from './dispatch/types.ts';

/** How a wait ended. */
export type WaitConclusion = 'success' | 'failure' | 'cancelled' | 'timed_out';

/** Options of {@link waitForRun}. */
export interface WaitOptions {
  timeoutMs: number;
  /** First interval (default 5000, or `MODELOPS_POLL_BASE_MS`). */
  pollBaseMs?: number;
  /** Longest interval (default 60 000). */
  pollMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called with each state read. */
  onPoll?: (run: EngineRun, elapsedMs: number) => void;
}

/** The first poll interval: `MODELOPS_POLL_BASE_MS` when set, else 5 s. */
export function defaultPollBaseMs(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.MODELOPS_POLL_BASE_MS);
  return env.MODELOPS_POLL_BASE_MS !== undefined && Number.isFinite(value) && value >= 0 ? value : 5000;
}

/** The conclusion for a terminal run state. */
export function conclusionOf(run: EngineRun): WaitConclusion {
  if (run.state === 'succeeded') return 'success';
  if (run.state === 'cancelled') return 'cancelled';
  return 'failure';
}

/** Polls `runId` until it ends or `timeoutMs` passes; returns the last state read and the conclusion. */
export async function waitForRun(
  dispatcher: Pick<Dispatcher, 'status'>,
  runId: string,
  options: WaitOptions,
): Promise<{ run: EngineRun; conclusion: WaitConclusion; elapsedMs: number }> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? realSleep;
  const base = options.pollBaseMs ?? defaultPollBaseMs();
  const max = options.pollMaxMs ?? 60_000;
  const start = now();
  let interval = base;
  for (;;) {
    const run = await dispatcher.status(runId);
    const elapsedMs = now() - start;
    options.onPoll?.(run, elapsedMs);
    if (isTerminal(run.state)) return { run, conclusion: conclusionOf(run), elapsedMs };
    const left = options.timeoutMs - elapsedMs;
    if (left <= 0) return { run, conclusion: 'timed_out', elapsedMs };
    await wait(Math.min(interval, left));
    interval = Math.min(max, Math.max(1, Math.round(interval * 1.5)));
  }
}

/** `in_progress for 12m30s`. */
export function describeWait(run: EngineRun, elapsedMs: number): string {
  return `${run.engineState} after ${formatDuration(elapsedMs)}`;
}
