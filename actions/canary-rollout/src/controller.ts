/**
 * The rollout controller: a small state machine over a {@link Router} and an analysis function.
 *
 * ```
 * progressing ── every step passed ──────────────────────────▶ promoted
 *      │ ─────── failed checks reach `threshold` ───────────▶ rolled-back  (router.rollback)
 *      │ ─────── inconclusive checks reach the limit ───────▶ aborted      (router.rollback)
 *      │ ─────── a router or configuration error ───────────▶ aborted      (router.rollback)
 *      └──────── cancelled (signal) ────────────────────────▶ stays progressing: the post step
 *                                                              rolls back and ends it as aborted
 * ```
 *
 * For each weight of the plan the controller sets the weight, then repeats: wait `interval`, run one
 * check. A successful check counts toward the step's `iterations`; a failed or inconclusive one does
 * not advance and counts toward the rollout-wide `threshold` / inconclusive limit (as Flagger counts
 * failed checks). Every loop turn moves one of three bounded counters, so the loop always ends.
 *
 * The controller mutates the record it is given and calls `onChange` after every change, so the
 * caller can persist it (the post step of a cancelled job reads that file), report deployment
 * statuses and log. It never throws for router or analysis failures: they end the rollout.
 */
import { describeError, type AnalysisResult, type RolloutRecord, type RolloutStep } from '@modelops/core';
import { checkOutcome } from './analysis.ts';
import type { RolloutPlan } from './plan.ts';
import type { Router } from './routers/types.ts';

/** What changed, for `onChange`. */
export type ControllerEvent =
  | { type: 'step'; step: RolloutStep; number: number; of: number }
  | { type: 'check'; step: RolloutStep; number: number; of: number }
  | { type: 'end'; state: 'promoted' | 'rolled-back' | 'aborted'; reason: string }
  | { type: 'cancelled'; reason: string };

/** Dependencies of {@link runController}. */
export interface ControllerDeps {
  router: Router;
  /** One check at a step: measures and judges every metric (throws for configuration errors). */
  analyse(step: RolloutStep, number: number): Promise<AnalysisResult[]>;
  /** Waits; rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): Date;
  /** Aborts the rollout (the job was cancelled). */
  signal: AbortSignal;
  /** Called after each change of the record. */
  onChange(event: ControllerEvent, record: RolloutRecord): Promise<void>;
}

/** How the controller ended. */
export interface ControllerResult {
  /** The record's final state (`progressing` when cancelled). */
  state: RolloutRecord['state'];
  reason: string;
  /** True when the signal stopped it (traffic is left for the post step to roll back). */
  cancelled: boolean;
  /** Traffic is settled: promoted, or rolled back successfully. False when cancelled or the rollback failed. */
  settled: boolean;
  /** The error that aborted the rollout, if any. */
  error?: unknown;
  /** The error of the rollback itself, if it failed. */
  rollbackError?: unknown;
}

/** Thrown inside the controller when the signal aborts. */
class Cancelled extends Error {}

function failureSummary(results: readonly AnalysisResult[], status: AnalysisResult['status'][]): string {
  return results
    .filter((r) => status.includes(r.status))
    .map((r) => r.message ?? `${r.metric} ${r.status}`)
    .join('; ');
}

/** Runs the plan; see the module comment. */
export async function runController(
  record: RolloutRecord,
  plan: RolloutPlan,
  deps: ControllerDeps,
): Promise<ControllerResult> {
  const { router, signal } = deps;
  const of = plan.weights.length;
  const stamp = () => deps.now().toISOString();
  const checkCancelled = () => {
    if (signal.aborted) throw new Cancelled();
  };
  const wait = async (ms: number) => {
    checkCancelled();
    try {
      await deps.sleep(ms, signal);
    } catch (error) {
      if (signal.aborted) throw new Cancelled();
      throw error;
    }
  };

  const end = async (
    state: 'rolled-back' | 'aborted',
    reason: string,
    error?: unknown,
  ): Promise<ControllerResult> => {
    try {
      await router.rollback();
    } catch (rollbackError) {
      record.state = 'aborted';
      record.reason = `${reason}; the rollback failed too: ${describeError(rollbackError)}`;
      record.endedAt = stamp();
      await deps.onChange({ type: 'end', state: 'aborted', reason: record.reason }, record);
      return {
        state: 'aborted',
        reason: record.reason,
        cancelled: false,
        settled: false,
        ...(error === undefined ? {} : { error }),
        rollbackError,
      };
    }
    record.state = state;
    record.reason = reason;
    record.weight = 0;
    record.endedAt = stamp();
    await deps.onChange({ type: 'end', state, reason }, record);
    return { state, reason, cancelled: false, settled: true, ...(error === undefined ? {} : { error }) };
  };

  let current: RolloutStep | undefined;
  try {
    for (let index = 0; index < of; index++) {
      checkCancelled();
      const weight = plan.weights[index] as number;
      const number = index + 1;
      current = { index, weight, startedAt: stamp(), checks: [] };
      record.steps.push(current);
      await router.setWeight(weight, { step: number, steps: of });
      record.weight = weight;
      await deps.onChange({ type: 'step', step: current, number, of }, record);
      let passed = 0;
      while (passed < plan.iterations) {
        await wait(plan.intervalMs);
        const results = await deps.analyse(current, number);
        const outcome = checkOutcome(results);
        current.checks.push({ at: stamp(), outcome, results });
        if (outcome === 'successful') passed++;
        else if (outcome === 'failed') record.failedChecks++;
        else record.inconclusiveChecks++;
        await deps.onChange({ type: 'check', step: current, number, of }, record);
        const where = `at step ${number}/${of} (${weight}%)`;
        if (record.failedChecks >= plan.threshold) {
          current.outcome = 'failed';
          current.endedAt = stamp();
          const why = failureSummary(results, ['failed']) || 'earlier checks failed';
          return await end(
            'rolled-back',
            `${record.failedChecks} failed check(s) ${where} reached the threshold of ${plan.threshold}: ${why}`,
          );
        }
        if (record.inconclusiveChecks >= plan.inconclusiveLimit) {
          current.outcome = 'inconclusive';
          current.endedAt = stamp();
          const why =
            failureSummary(results, ['inconclusive', 'error']) || 'earlier checks were inconclusive';
          return await end(
            'aborted',
            `${record.inconclusiveChecks} inconclusive check(s) ${where} reached the limit of ${plan.inconclusiveLimit}: ${why}`,
          );
        }
      }
      current.outcome = 'passed';
      current.endedAt = stamp();
    }
    checkCancelled();
    await router.promote();
  } catch (error) {
    if (error instanceof Cancelled || signal.aborted) {
      if (current && !current.outcome) {
        current.outcome = 'stopped';
        current.endedAt = stamp();
      }
      const at = current ? ` at step ${current.index + 1}/${of} (${current.weight}%)` : '';
      const reason = `cancelled${at}`;
      record.reason = reason;
      await deps.onChange({ type: 'cancelled', reason }, record);
      return { state: record.state, reason, cancelled: true, settled: false };
    }
    if (current && !current.outcome) {
      current.outcome = 'stopped';
      current.endedAt = stamp();
    }
    return await end('aborted', `aborted: ${describeError(error)}`, error);
  }
  record.state = 'promoted';
  record.weight = 100;
  record.endedAt = stamp();
  record.reason = `every step passed its checks; ${record.canary} now serves all traffic`;
  await deps.onChange({ type: 'end', state: 'promoted', reason: record.reason }, record);
  return { state: 'promoted', reason: record.reason, cancelled: false, settled: true };
}
