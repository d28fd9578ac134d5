import { workerData, parentPort } from 'node:worker_threads';
import { B as BatchHasher, d as digestFactory, r as runWorkerShare } from './pool.js';
import 'node:fs';
import 'node:module';
import 'node:url';
import 'node:crypto';
import 'node:path';

const settings = workerData;
const port = parentPort;
if (!port) throw new Error("hash.worker must run as a worker thread");
const hasher = new BatchHasher(settings, await digestFactory(settings.algorithm, 1));
port.on("message", (message) => {
  runWorkerShare(
    hasher,
    message,
    (result) => port.postMessage(result, [
      result.status.buffer,
      result.flags.buffer,
      result.stats.buffer,
      result.sizes.buffer,
      result.digests.buffer
    ])
  );
});
