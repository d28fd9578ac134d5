/** Entry of the model-gate action: reads the inputs and runs the gate with the real services. */
import * as core from '@actions/core';
import {
  appendJobSummary,
  createGitHubClient,
  fetchDocument,
  getBooleanInput,
  getChoiceInput,
  getInput,
  getOptionalInput,
  publishDocument,
  readContext,
  runStep,
  setOutputs,
} from '@modelops/core';
import { createMlflowClient } from '@modelops/mlflow-client';
import { runGate } from './run.ts';

await runStep(
  async () => {
    // Until the gate has decided, it has not passed: a crash never leaves `passed` unset or true.
    setOutputs({ passed: 'false' });
    const token = getOptionalInput('github-token');
    const outcome = await runGate(
      {
        spec: getOptionalInput('spec'),
        predictions: getOptionalInput('predictions'),
        metrics: getOptionalInput('metrics'),
        candidate: getOptionalInput('candidate'),
        baseline: getInput('baseline', { fallback: 'auto' }),
        comment: getChoiceInput('comment', ['auto', 'always', 'never'] as const, { fallback: 'auto' }),
        failOn: getChoiceInput('fail-on', ['fail', 'warn', 'never'] as const, { fallback: 'fail' }),
        promoteAlias: getOptionalInput('promote-alias'),
        trackingUri: getOptionalInput('tracking-uri'),
        mlflowTags: getBooleanInput('mlflow-tags', { fallback: true }),
        history: getBooleanInput('history', { fallback: true }),
        fromReport: getOptionalInput('from-report'),
        githubToken: token,
      },
      {
        cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
        env: process.env,
        now: () => new Date(),
        mlflow: (trackingUri) =>
          createMlflowClient({
            ...(trackingUri ? { trackingUri } : {}),
            env: process.env,
            cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
            log: core.info,
          }),
        github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: core.info }),
        fetchPreviousReport: (name) =>
          fetchDocument('GateReport', name, { kind: 'latest-successful' }, token ? { token } : {}),
        publishReport: (name, report) => publishDocument('GateReport', name, report, token ? { token } : {}),
        appendSummary: (markdown) => appendJobSummary(markdown),
        setOutputs,
        info: core.info,
        warning: (message, properties) => core.warning(message, properties ?? {}),
        error: (message, properties) => core.error(message, properties ?? {}),
        debug: core.debug,
      },
    );
    if (outcome.failStep) core.setFailed(outcome.line);
  },
  { action: 'model-gate' },
);
