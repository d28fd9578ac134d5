import { setTimeout as setTimeout$1 } from 'node:timers/promises';
import { l as runStep, i as info, n as notice, o as saveState, p as setOutputs, q as setFailed } from '../../../dist/shared.js';
import 'node:fs/promises';
import 'node:crypto';
import 'node:fs';
import 'node:path';
import 'node:zlib';
import 'node:os';
import { r as readInputs, a as runRollout, b as realServices } from './services.js';
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

const cancel = new AbortController();
let signals = 0;
function onSignal(signal) {
  signals++;
  if (signals > 1) process.exit(1);
  info(`Received ${signal}: stopping the rollout; the post step rolls traffic back.`);
  cancel.abort();
  setTimeout(() => process.exit(1), 5e3).unref();
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
await runStep(
  async () => {
    const inputs = readInputs();
    const outcome = await runRollout(inputs, {
      ...realServices(inputs.githubToken),
      sleep: (ms, signal) => setTimeout$1(ms, void 0, { signal }),
      signal: cancel.signal,
      setOutputs,
      saveState: (name, value) => saveState(name, value),
      notice: (message) => notice(message)
    });
    if (outcome.failStep) setFailed(outcome.line);
  },
  { action: "canary-rollout" }
);
