/**
 * A hashing thread: receives {@link HashSettings} once, then batches, and answers each batch with
 * its {@link BatchResult}, transferring the result arrays instead of copying them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { digestFactory } from './digests.ts';
import { BatchHasher, type HashBatch, type HashSettings } from './hash-file.ts';

const settings = workerData as HashSettings;
const port = parentPort;
if (!port) throw new Error('hash.worker must run as a worker thread');

const hasher = new BatchHasher(settings, await digestFactory(settings.algorithm, 1));
port.on('message', (batch: HashBatch) => {
  const result = hasher.run(batch);
  port.postMessage(result, [
    result.status.buffer,
    result.flags.buffer,
    result.stats.buffer,
    result.sizes.buffer,
    result.digests.buffer,
  ] as ArrayBuffer[]);
});
port.postMessage('ready');
