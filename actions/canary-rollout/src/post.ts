/**
 * Post step of the canary-rollout action (`post-if: always()`): rolls traffic back when the main step
 * moved it and did not settle it (cancelled job, killed or crashed step). See cleanup.ts.
 */
import * as core from '@actions/core';
import { appendJobSummary, createGitHubClient, publishDocument, readContext, runStep } from '@modelops/core';
import { createMlflowClient } from '@modelops/mlflow-client';
import { readInputs } from './inputs.ts';
import { runCleanup } from './cleanup.ts';

await runStep(
  async () => {
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const outcome = await runCleanup({
      cwd,
      env: process.env,
      now: () => new Date(),
      getState: (name) => core.getState(name),
      readInputs: () => readInputs(),
      mlflow: (trackingUri) =>
        createMlflowClient({
          ...(trackingUri ? { trackingUri } : {}),
          env: process.env,
          cwd,
          log: core.debug,
        }),
      github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: core.info }),
      publishRecord: (name, record) => {
        const token = process.env['INPUT_GITHUB-TOKEN'];
        return publishDocument('RolloutRecord', name, record, token ? { token } : {});
      },
      appendSummary: (markdown) => appendJobSummary(markdown),
      info: core.info,
      warning: (message) => core.warning(message),
      debug: core.debug,
    });
    if (outcome.action === 'failed') core.setFailed(outcome.line);
  },
  { action: 'canary-rollout (post step)' },
);
