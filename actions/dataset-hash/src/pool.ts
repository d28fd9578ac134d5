/**
 * A pool of hashing threads (one per core by default). Work goes out in batches of many files so
 * that 100k small files cost a few hundred messages, not 100k; each thread has at most two batches
 * queued so a thread that drew a huge file does not hold up the rest. Without threads (`threads: 0`)
 * the same code runs on the main thread, which is faster for small datasets.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { digestFactory } from './digests.ts';
import { BatchHasher, type BatchResult, type HashBatch, type HashSettings } from './hash-file.ts';

/** Runs batches somewhere (threads or inline) and returns their results. */
export interface BatchRunner {
  /** Threads in use (0: inline). */
  readonly threads: number;
  /** Processes one batch. */
  run(batch: HashBatch): Promise<BatchResult>;
  /** Stops the threads. */
  close(): Promise<void>;
}

/** How to start a hashing thread: the bundled `.js` when it exists, else the `.ts` source via tsx. */
export function workerEntry(): { url: URL; execArgv: string[] } {
  const bundled = new URL('./hash.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { url: new URL('./hash.worker.ts', import.meta.url), execArgv: ['--import', tsx] };
}

/** Runs batches on the calling thread. */
export async function inlineRunner(settings: HashSettings): Promise<BatchRunner> {
  const hasher = new BatchHasher(settings, await digestFactory(settings.algorithm, 1));
  return {
    threads: 0,
    run: async (batch) => hasher.run(batch),
    close: async () => undefined,
  };
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/** Starts `threads` hashing threads. */
export async function threadRunner(settings: HashSettings, threads: number): Promise<BatchRunner> {
  const entry = workerEntry();
  const waiting = new Map<
    number,
    { resolve: (r: BatchResult) => void; reject: (e: unknown) => void; slot: Slot }
  >();
  const queue: { batch: HashBatch; resolve: (r: BatchResult) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown;

  const slots: Slot[] = await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(entry.url, { workerData: settings, execArgv: entry.execArgv });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (result: BatchResult) => {
        const pending = waiting.get(result.id);
        if (!pending) return;
        waiting.delete(result.id);
        slot.inFlight--;
        pending.resolve(result);
        pump();
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a hashing thread exited with code ${code}`));
      });
      return slot;
    }),
  );

  function fail(error: unknown): void {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    for (const queued of queue.splice(0)) queued.reject(error);
  }

  function pump(): void {
    while (queue.length > 0) {
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (slot.inFlight >= 2) return;
      const next = queue.shift();
      if (!next) return;
      slot.inFlight++;
      waiting.set(next.batch.id, { resolve: next.resolve, reject: next.reject, slot });
      slot.worker.postMessage(next.batch);
    }
  }

  return {
    threads,
    run(batch) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        pump();
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
