import { workerData, parentPort } from 'node:worker_threads';
import { B as BatchHasher, d as digestFactory } from './hash-file.js';
import 'node:crypto';
import 'node:fs';
import 'node:module';
import 'node:url';
import 'node:path';

const settings = workerData;
const port = parentPort;
if (!port) throw new Error("hash.worker must run as a worker thread");
const hasher = new BatchHasher(settings, await digestFactory(settings.algorithm, 1));
port.on("message", (batch) => {
  const result = hasher.run(batch);
  port.postMessage(result, [
    result.status.buffer,
    result.flags.buffer,
    result.stats.buffer,
    result.sizes.buffer,
    result.digests.buffer
  ]);
});
port.postMessage("ready");
