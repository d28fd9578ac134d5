/**
 * Entry of the canary-rollout action: reads the inputs and runs the rollout with the real services.
 * SIGINT/SIGTERM (the runner cancelling the job) stop the rollout at the next safe point; the `post:`
 * step then sends traffic back to the stable version. A second signal, or 5 s without stopping, ends
 * the process at once — the post step still runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as core from '@actions/core';
import { runStep, setOutputs } from '@modelops/core';
import { readInputs } from './inputs.ts';
import { runRollout } from './run.ts';
import { realServices } from './services.ts';

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
    const outcome = await runRollout(inputs, {
      ...realServices(inputs.githubToken),
      sleep: (ms, signal) => sleep(ms, undefined, { signal }),
      signal: cancel.signal,
      setOutputs,
      saveState: (name, value) => core.saveState(name, value),
      notice: (message) => core.notice(message),
    });
    if (outcome.failStep) core.setFailed(outcome.line);
  },
  { action: 'canary-rollout' },
);
