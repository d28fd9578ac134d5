import { setTimeout as setTimeout$1 } from 'node:timers/promises';
import { p as runStep, i as info, d as debug, w as warning, q as notice, t as saveState, u as setOutputs, v as appendJobSummary, x as publishDocument, y as createGitHubClient, z as readContext, A as createMlflowClient, C as setFailed } from '../../../dist/shared.js';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';
import 'node:crypto';
import 'node:zlib';
import 'node:os';
import 'node:url';
import { r as readInputs, a as runRollout } from './run.js';
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
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const token = inputs.githubToken;
    const outcome = await runRollout(inputs, {
      cwd,
      env: process.env,
      now: () => /* @__PURE__ */ new Date(),
      sleep: (ms, signal) => setTimeout$1(ms, void 0, { signal }),
      signal: cancel.signal,
      mlflow: (trackingUri) => createMlflowClient({
        ...trackingUri ? { trackingUri } : {},
        env: process.env,
        cwd,
        log: debug
      }),
      github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: info }),
      publishRecord: (name, record) => publishDocument("RolloutRecord", name, record, token ? { token } : {}),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      saveState: (name, value) => saveState(name, value),
      info: info,
      notice: (message) => notice(message),
      warning: (message) => warning(message),
      debug: debug
    });
    if (outcome.failStep) setFailed(outcome.line);
  },
  { action: "canary-rollout" }
);
