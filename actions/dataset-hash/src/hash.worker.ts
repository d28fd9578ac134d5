/**
 * A hashing thread: receives {@link HashSettings} once, then a job, takes batches of it until none
 * is left, and answers each with its {@link BatchResult}, transferring the result arrays instead of
 * copying them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { digestFactory } from './digests.ts';
import { BatchHasher, type HashSettings } from './hash-file.ts';
import { runWorkerShare, type JobMessage } from './pool.ts';

const settings = workerData as HashSettings;
const port = parentPort;
if (!port) throw new Error('hash.worker must run as a worker thread');

const hasher = new BatchHasher(settings, await digestFactory(settings.algorithm, 1));
port.on('message', (message: JobMessage) => {
  runWorkerShare(hasher, message, (result) =>
    port.postMessage(result, [
      result.status.buffer,
      result.flags.buffer,
      result.stats.buffer,
      result.sizes.buffer,
      result.digests.buffer,
    ] as ArrayBuffer[]),
  );
});
