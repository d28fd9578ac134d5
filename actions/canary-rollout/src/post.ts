/**
 * Post step of the canary-rollout action (`post-if: always()`): rolls traffic back when the main step
 * moved it and did not settle it (cancelled job, killed or crashed step). See cleanup.ts.
 */
import * as core from '@actions/core';
import { runStep } from '@modelops/core';
import { readInputs } from './inputs.ts';
import { runCleanup } from './cleanup.ts';
import { realServices } from './services.ts';

await runStep(
  async () => {
    const outcome = await runCleanup({
      ...realServices(process.env['INPUT_GITHUB-TOKEN']),
      getState: (name) => core.getState(name),
      readInputs: () => readInputs(),
    });
    if (outcome.action === 'failed') core.setFailed(outcome.line);
  },
  { action: 'canary-rollout (post step)' },
);
