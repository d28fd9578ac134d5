import { t as retry, u as describeError, v as RetriesExhausted, x as readDocument, y as writeDocument, z as readContext, l as runStep, A as getState, q as setFailed } from '../../../dist/shared.js';
import 'node:fs/promises';
import 'node:crypto';
import { existsSync } from 'node:fs';
import 'node:path';
import 'node:zlib';
import 'node:os';
import { d as decodeSavedRollout, S as STATE_KEYS, c as routerFor, e as artifactName, f as renderSummary, D as DeploymentTracker, r as readInputs, b as realServices } from './services.js';
import 'path';
import 'process';
import 'buffer';
import 'os';
import 'crypto';
import 'fs';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:child_process';
import 'node:util';
import 'node:url';
import '../../../dist/shared-canary-rollout_model-gate_trigger-retrain.js';

async function runCleanup(deps) {
  const saved = decodeSavedRollout(deps.getState(STATE_KEYS.rollout));
  if (!saved) {
    const line2 = "Nothing to clean up: the rollout never moved traffic.";
    deps.info(line2);
    return { action: "nothing", line: line2 };
  }
  if (deps.getState(STATE_KEYS.finished) === "true") {
    const line2 = `Nothing to clean up: the main step settled the traffic of rollout ${saved.name}.`;
    deps.info(line2);
    return { action: "nothing", line: line2 };
  }
  const cancelled = deps.getState(STATE_KEYS.cancelled) === "true";
  const inputs = deps.readInputs();
  deps.info(
    `The main step did not finish the rollout ${saved.name} (${cancelled ? "the job was cancelled" : "it stopped or failed before settling traffic"}): rolling back.`
  );
  const router = routerFor(inputs, deps, saved.memo);
  let rollbackError;
  try {
    await retry(() => router.rollback(), {
      attempts: 3,
      baseDelayMs: deps.retryBaseMs ?? 1e3,
      onRetry: ({ error, attempt }) => deps.warning(`Rollback attempt ${attempt} failed: ${describeError(error)}; retrying.`)
    });
  } catch (error) {
    rollbackError = error instanceof RetriesExhausted ? error.lastError : error;
  }
  let record;
  if (existsSync(saved.recordFile)) {
    try {
      record = await readDocument("RolloutRecord", saved.recordFile);
    } catch (error) {
      deps.warning(`The record ${saved.recordFile} could not be read: ${describeError(error)}`);
    }
  }
  const at = record?.steps.length ? ` at step ${record.steps.length}/${record.plan.weights.length} (${record.steps[record.steps.length - 1]?.weight}%)` : "";
  const why = cancelled ? `cancelled${at}` : `the main step stopped${at} before settling traffic`;
  const outcome = rollbackError ? `${why}; the rollback by the post step failed: ${describeError(rollbackError)}` : `${why}; the post step sent all traffic back to the stable version`;
  if (record) {
    const now = deps.now().toISOString();
    const last = record.steps[record.steps.length - 1];
    if (last && !last.outcome) {
      last.outcome = "stopped";
      last.endedAt = now;
    }
    record.state = "aborted";
    record.reason = outcome;
    if (!rollbackError) record.weight = 0;
    record.endedAt = now;
    try {
      await writeDocument("RolloutRecord", saved.recordFile, record);
      if (inputs.upload) {
        const published = await deps.publishRecord(artifactName(saved.name), record);
        deps.info(`Record: ${saved.recordFile} (artifact ${published.name}, ${published.location}).`);
      }
      await deps.appendSummary(renderSummary(record));
    } catch (error) {
      deps.warning(`Could not publish the final record: ${describeError(error)}`);
    }
  }
  if (saved.deploymentId !== void 0 && inputs.githubToken) {
    const context = readContext(deps.env);
    const tracker = DeploymentTracker.attach(
      saved.deploymentId,
      await deps.github(inputs.githubToken),
      context,
      inputs.environmentUrl,
      deps.warning
    );
    await tracker.status("error", `aborted: ${outcome}`);
  }
  if (rollbackError) {
    return {
      action: "failed",
      line: `Rollout ${saved.name}: ${outcome}. Traffic may still reach the canary: send it back by hand (${router.description}), then re-run the job to record the state.`
    };
  }
  const line = `Rollout ${saved.name}: ${outcome}.`;
  deps.info(line);
  return { action: "rolled-back", line };
}

await runStep(
  async () => {
    const outcome = await runCleanup({
      ...realServices(process.env["INPUT_GITHUB-TOKEN"]),
      getState: (name) => getState(name),
      readInputs: () => readInputs()
    });
    if (outcome.action === "failed") setFailed(outcome.line);
  },
  { action: "canary-rollout (post step)" }
);
