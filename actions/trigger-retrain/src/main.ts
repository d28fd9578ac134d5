/** Entry of the trigger-retrain action: reads the inputs and runs the step with the real services. */
import * as core from '@actions/core';
import { appendJobSummary, publishDocument, runStep, setOutputs } from '@modelops/core';
import { createMlflowClient } from '@modelops/mlflow-client';
import { createDispatcher } from './dispatch/index.ts';
import { ignoredSettings, readInputs } from './inputs.ts';
import { runTriggerRetrain } from './run.ts';
import { defaultPollBaseMs } from './wait.ts';

await runStep(
  async () => {
    const inputs = readInputs();
    for (const name of ignoredSettings(process.env)) {
      core.warning(`Input '${name}' is ignored with \`dispatch: ${inputs.dispatch.engine}\`.`);
    }
    if (inputs.dispatch.engine !== 'none' && inputs.dispatch.token) core.setSecret(inputs.dispatch.token);
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const pollBaseMs = defaultPollBaseMs();
    await runTriggerRetrain(inputs, {
      cwd,
      env: process.env,
      now: () => new Date(),
      dispatcher: await createDispatcher(inputs.dispatch, {
        model: inputs.model,
        ...(process.env.GITHUB_API_URL ? { githubApiUrl: process.env.GITHUB_API_URL } : {}),
        log: core.debug,
        pollIntervalMs: Math.min(3000, pollBaseMs),
        discoveryTimeoutMs: Math.min(120_000, inputs.timeoutMs),
      }),
      mlflowClient: (trackingUri) =>
        createMlflowClient({
          ...(trackingUri ? { trackingUri } : {}),
          env: process.env,
          cwd,
          log: core.debug,
        }),
      publishDecision: (name, decision) => publishDocument('RetrainDecision', name, decision),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      info: core.info,
      warning: core.warning,
      debug: core.debug,
      pollBaseMs,
    });
  },
  { action: 'trigger-retrain' },
);
