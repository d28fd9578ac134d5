/**
 * The `post:` step (`post-if: always()`): when the main step moved traffic and did not settle it —
 * the job was cancelled, the runner killed the step, the process crashed, or its own rollback failed
 * — roll the router back, finish the record as `aborted`, publish it, and close the deployment.
 *
 * It builds the router again from the same inputs plus the memo the main step saved, so no secret is
 * ever written to the step state. The rollback is retried a few times: this is the last chance to
 * take traffic off a canary nobody is watching any more.
 */
import { existsSync } from 'node:fs';
import {
  describeError,
  readContext,
  readDocument,
  retry,
  RetriesExhausted,
  writeDocument,
  type GitHubClient,
  type PublishResult,
  type RolloutRecord,
} from '@modelops/core';
import type { MlflowClient } from '@modelops/mlflow-client';
import { DeploymentTracker } from './deployment.ts';
import type { RolloutInputs } from './inputs.ts';
import { artifactName, routerFor } from './run.ts';
import { decodeSavedRollout, STATE_KEYS } from './state.ts';
import { renderSummary } from './summary.ts';

/** Services of the post step. */
export interface CleanupDeps {
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Reads a value saved by the main step. */
  getState: (name: string) => string;
  /** Reads the inputs again (the post step sees the same `INPUT_*`). */
  readInputs: () => RolloutInputs;
  mlflow: (trackingUri: string | undefined) => MlflowClient;
  github: (token: string) => Promise<GitHubClient>;
  publishRecord: (name: string, record: RolloutRecord) => Promise<PublishResult>;
  appendSummary: (markdown: string) => Promise<unknown>;
  info: (message: string) => void;
  warning: (message: string) => void;
  debug: (message: string) => void;
  /** Backoff base of the rollback retries in ms (default 1000). */
  retryBaseMs?: number;
}

/** What the post step did. */
export interface CleanupOutcome {
  /** `nothing`: no traffic had moved or it was settled; `rolled-back`; `failed`: the rollback failed. */
  action: 'nothing' | 'rolled-back' | 'failed';
  line: string;
}

/** Runs the post step; see the module comment. */
export async function runCleanup(deps: CleanupDeps): Promise<CleanupOutcome> {
  const saved = decodeSavedRollout(deps.getState(STATE_KEYS.rollout));
  if (!saved) {
    const line = 'Nothing to clean up: the rollout never moved traffic.';
    deps.info(line);
    return { action: 'nothing', line };
  }
  if (deps.getState(STATE_KEYS.finished) === 'true') {
    const line = `Nothing to clean up: the main step settled the traffic of rollout ${saved.name}.`;
    deps.info(line);
    return { action: 'nothing', line };
  }
  const cancelled = deps.getState(STATE_KEYS.cancelled) === 'true';
  const inputs = deps.readInputs();
  deps.info(
    `The main step did not finish the rollout ${saved.name} (${cancelled ? 'the job was cancelled' : 'it stopped or failed before settling traffic'}): rolling back.`,
  );
  const router = routerFor(inputs, deps, saved.memo);
  let rollbackError: unknown;
  try {
    await retry(() => router.rollback(), {
      attempts: 3,
      baseDelayMs: deps.retryBaseMs ?? 1000,
      onRetry: ({ error, attempt }) =>
        deps.warning(`Rollback attempt ${attempt} failed: ${describeError(error)}; retrying.`),
    });
  } catch (error) {
    rollbackError = error instanceof RetriesExhausted ? error.lastError : error;
  }

  let record: RolloutRecord | undefined;
  if (existsSync(saved.recordFile)) {
    try {
      record = await readDocument('RolloutRecord', saved.recordFile);
    } catch (error) {
      deps.warning(`The record ${saved.recordFile} could not be read: ${describeError(error)}`);
    }
  }
  const at = record?.steps.length
    ? ` at step ${record.steps.length}/${record.plan.weights.length} (${record.steps[record.steps.length - 1]?.weight}%)`
    : '';
  const why = cancelled ? `cancelled${at}` : `the main step stopped${at} before settling traffic`;
  const outcome = rollbackError
    ? `${why}; the rollback by the post step failed: ${describeError(rollbackError)}`
    : `${why}; the post step sent all traffic back to the stable version`;

  if (record) {
    const now = deps.now().toISOString();
    const last = record.steps[record.steps.length - 1];
    if (last && !last.outcome) {
      last.outcome = 'stopped';
      last.endedAt = now;
    }
    record.state = 'aborted';
    record.reason = outcome;
    if (!rollbackError) record.weight = 0;
    record.endedAt = now;
    try {
      await writeDocument('RolloutRecord', saved.recordFile, record);
      if (inputs.upload) {
        const published = await deps.publishRecord(artifactName(saved.name), record);
        deps.info(`Record: ${saved.recordFile} (artifact ${published.name}, ${published.location}).`);
      }
      await deps.appendSummary(renderSummary(record));
    } catch (error) {
      deps.warning(`Could not publish the final record: ${describeError(error)}`);
    }
  }
  if (saved.deploymentId !== undefined && inputs.githubToken) {
    const context = readContext(deps.env);
    const tracker = DeploymentTracker.attach(
      saved.deploymentId,
      await deps.github(inputs.githubToken),
      context,
      inputs.environmentUrl,
      deps.warning,
    );
    await tracker.status('error', `aborted: ${outcome}`);
  }
  if (rollbackError) {
    return {
      action: 'failed',
      line:
        `Rollout ${saved.name}: ${outcome}. Traffic may still reach the canary: send it back by hand ` +
        `(${router.description}), then re-run the job to record the state.`,
    };
  }
  const line = `Rollout ${saved.name}: ${outcome}.`;
  deps.info(line);
  return { action: 'rolled-back', line };
}
