/**
 * Entry of the canary-rollout action: reads the inputs and runs the rollout with the real services.
 * SIGINT/SIGTERM (the runner cancelling the job) stop the rollout at the next safe point; the `post:`
 * step then sends traffic back to the stable version. A second signal, or 5 s without stopping, ends
 * the process at once — the post step still runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as core from '@actions/core';
import {
  appendJobSummary,
  createGitHubClient,
  publishDocument,
  readContext,
  runStep,
  setOutputs,
} from '@modelops/core';
import { createMlflowClient } from '@modelops/mlflow-client';
import { readInputs } from './inputs.ts';
import { runRollout } from './run.ts';

const cancel = new AbortController();
let signals = 0;
function onSignal(signal: NodeJS.Signals): void {
  signals++;
  if (signals > 1) process.exit(1);
  core.info(`Received ${signal}: stopping the rollout; the post step rolls traffic back.`);
  cancel.abort();
  setTimeout(() => process.exit(1), 5000).unref();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

await runStep(
  async () => {
    const inputs = readInputs();
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const token = inputs.githubToken;
    const outcome = await runRollout(inputs, {
      cwd,
      env: process.env,
      now: () => new Date(),
      sleep: (ms, signal) => sleep(ms, undefined, { signal }),
      signal: cancel.signal,
      mlflow: (trackingUri) =>
        createMlflowClient({
          ...(trackingUri ? { trackingUri } : {}),
          env: process.env,
          cwd,
          log: core.debug,
        }),
      github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: core.info }),
      publishRecord: (name, record) => publishDocument('RolloutRecord', name, record, token ? { token } : {}),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      saveState: (name, value) => core.saveState(name, value),
      info: core.info,
      notice: (message) => core.notice(message),
      warning: (message) => core.warning(message),
      debug: core.debug,
    });
    if (outcome.failStep) core.setFailed(outcome.line);
  },
  { action: 'canary-rollout' },
);
