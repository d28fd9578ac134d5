import { setTimeout as setTimeout$1 } from 'node:timers/promises';
import { u as runStep, i as info, v as notice, x as saveState, y as setOutputs, z as setFailed } from '../../../dist/shared.js';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';
import 'node:crypto';
import 'node:zlib';
import 'node:os';
import { r as readInputs, a as runRollout, b as realServices } from './services.js';
import 'net';
import 'tls';
import 'http';
import 'https';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'path';
import 'process';
import 'buffer';
import 'os';
import 'crypto';
import 'fs';
import 'child_process';
import 'timers';
import 'node:child_process';
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
