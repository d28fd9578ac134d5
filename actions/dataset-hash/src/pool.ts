/**
 * The hashing lanes: the calling thread and `workers` worker threads take batches of one job from
 * a shared counter until none is left. The calling thread starts at once, so the ~60 ms a worker
 * needs to boot is not lost (and one worker fewer than cores boots at all: the calling thread is
 * the last lane, instead of idling while it waits for results). Work goes out in batches of many
 * files so that 100k small files cost a few hundred messages, not 100k.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nulSeparatedStarts } from './bytes.ts';
import { digestFactory } from './digests.ts';
import { BatchHasher, type BatchResult, type HashBatch, type HashSettings } from './hash-file.ts';

/**
 * A worker's young generation, in MiB. A lane makes mostly short-lived garbage (a stat result per
 * file); left to grow, the young generation reaches tens of MiB, and every new page costs a fault
 * (slow in this VM): a small one is scavenged often, cheaply, in pages it already has.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** What every lane gets of a job (posted once to each worker). */
export interface HashJob {
  /** The dataset root: absolute, or relative to the process's working folder (shorter lookups). */
  root: string;
  /** The repository's common git dir, where `lfs/objects` lives (for `lfs: content`). */
  gitDir?: string;
  /**
   * On-disk paths relative to the root, UTF-8, NUL-separated. This and the other per-entry arrays
   * are in shared memory: posting the job to a worker copies none of them.
   */
  paths: Uint8Array;
  /** Entry kinds. */
  kinds: Uint8Array;
  /** Cached (size, mtimeMs, inode) per entry, NaN where there is none. */
  keys: Float64Array;
  /** Batch `b` holds entries `bounds[b]` to `bounds[b + 1]`. */
  bounds: Int32Array;
  /** Batch `b`'s paths start at byte `offsets[b]` of `paths` (a worker decodes only its batches). */
  offsets: Int32Array;
  /** The next batch to take, shared by all lanes (`Atomics.add`). */
  next: Int32Array;
  /** Batches taken per worker, shared: tells whether a worker that died held one. */
  taken: Int32Array;
}

/** The message a worker gets: the job and its own lane number. */
export interface JobMessage {
  job: HashJob;
  lane: number;
}

/** Called with each batch's result, on the calling thread. */
export type ResultHandler = (batch: number, start: number, result: BatchResult) => void;

/**
 * The batch `b` of a job; `paths` are the job's paths already split, if the caller has them (else
 * the batch's part of the joined string is split: a worker never holds strings for other batches).
 */
export function jobBatch(job: HashJob, b: number, paths?: readonly string[]): HashBatch {
  const start = job.bounds[b] as number;
  const end = job.bounds[b + 1] as number;
  return {
    id: b,
    root: job.root,
    ...(job.gitDir ? { gitDir: job.gitDir } : {}),
    paths: paths
      ? paths.slice(start, end)
      : Buffer.from(job.paths.buffer, job.paths.byteOffset, job.paths.byteLength)
          .toString('utf8', job.offsets[b] as number, (job.offsets[b + 1] as number) - 1)
          .split('\0'),
    kinds: job.kinds.subarray(start, end),
    keys: job.keys.subarray(start * 3, end * 3),
  };
}

/**
 * Takes the next batch of a job; -1 when none is left. A worker passes its lane number: the batch
 * is counted as taken before it is taken, so a worker that dies can never hold an uncounted one.
 */
export function takeBatch(job: HashJob, lane?: number): number {
  if (lane !== undefined) Atomics.add(job.taken, lane, 1);
  const b = Atomics.add(job.next, 0, 1);
  if (b < job.bounds.length - 1) return b;
  if (lane !== undefined) Atomics.sub(job.taken, lane, 1);
  return -1;
}

/** Runs a worker's share of a job, handing each result to `post`. */
export function runWorkerShare(
  hasher: BatchHasher,
  { job, lane }: JobMessage,
  post: (r: BatchResult) => void,
): void {
  for (let b = takeBatch(job, lane); b !== -1; b = takeBatch(job, lane)) post(hasher.run(jobBatch(job, b)));
}

/** What a job is made of: {@link HashJob} with its paths as an array (and, if at hand, encoded). */
export interface JobSource extends Omit<HashJob, 'paths' | 'bounds' | 'offsets' | 'next' | 'taken'> {
  paths: readonly string[];
  /** `paths` as UTF-8 joined by NUL in shared memory ({@link sharedUtf8}), when the caller has it. */
  pathBytes?: Uint8Array;
}

/** A job cut into batches for `lanes` lanes, with its shared counters for `workers` workers. */
export function createJob(source: JobSource, lanes: number, workers: number): HashJob {
  const { paths, pathBytes, kinds, keys, ...fields } = source;
  const bounds = batchBounds(paths.length, lanes);
  const bytes = pathBytes ?? sharedUtf8(paths.join('\0'));
  return {
    ...fields,
    paths: bytes,
    kinds: shared(kinds),
    keys: shared(keys),
    bounds,
    offsets: batchOffsets(bytes, bounds),
    next: new Int32Array(new SharedArrayBuffer(4)),
    taken: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, workers))),
  };
}

/** `text` as UTF-8 in shared memory. */
export function sharedUtf8(text: string): Uint8Array {
  const length = Buffer.byteLength(text, 'utf8');
  const bytes = Buffer.from(new SharedArrayBuffer(length));
  bytes.write(text, 0, 'utf8');
  return bytes;
}

/** The array itself when it is in shared memory already, else a copy that is. */
function shared<T extends Uint8Array | Float64Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const memory = new SharedArrayBuffer(array.byteLength);
  const copy = (array instanceof Float64Array ? new Float64Array(memory) : new Uint8Array(memory)) as T;
  copy.set(array);
  return copy;
}

/** Where each batch's paths start in the NUL-separated bytes (for the last bound, one past the end). */
function batchOffsets(bytes: Uint8Array, bounds: Int32Array): Int32Array {
  const starts = nulSeparatedStarts(bytes, bounds[bounds.length - 1] as number);
  return bounds.map((entry) => starts[entry] as number);
}

/** Cuts `count` entries into batches for `lanes` lanes: small enough to balance, big enough to be cheap. */
export function batchBounds(count: number, lanes: number, maxEntries = 1000): Int32Array {
  const size = Math.max(1, Math.min(maxEntries, Math.ceil(count / Math.max(1, lanes * 8))));
  const batches = Math.ceil(count / size);
  const bounds = new Int32Array(batches + 1);
  for (let b = 0; b <= batches; b++) bounds[b] = Math.min(count, b * size);
  return bounds;
}

/** Tracks which batches of a job are done, to tell how many leading ones are (results come out of order). */
export class BatchFrontier {
  private readonly finished: Uint8Array;
  private leading = 0;

  constructor(batches: number) {
    this.finished = new Uint8Array(batches);
  }

  /** Marks batch `b` done; returns how many batches from the first are all done. */
  done(b: number): number {
    this.finished[b] = 1;
    while (this.leading < this.finished.length && this.finished[this.leading] === 1) this.leading++;
    return this.leading;
  }
}

/** How to start a hashing thread: the bundled `.js` when it exists, else the `.ts` source via tsx. */
export function workerEntry(): { url: URL; execArgv: string[] } {
  const bundled = new URL('./hash.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { url: new URL('./hash.worker.ts', import.meta.url), execArgv: ['--import', tsx] };
}

interface Lane {
  worker: Worker;
  /** Its number in the job's `taken` counters. */
  index: number;
  /** Results received from it. */
  results: number;
}

/** The calling thread plus worker threads, started once and used for one job. */
export class HashPool {
  private readonly lanes: Lane[] = [];
  /**
   * Workers started, whether or not still alive: lane numbers run up to this, so a job's `taken`
   * counters must have this many.
   */
  readonly slots: number;
  private hasher: Promise<BatchHasher> | undefined;
  private job: HashJob | undefined;
  private failure: ((error: unknown) => void) | undefined;
  private onResult: ((result: BatchResult) => void) | undefined;

  /** Starts `workers` worker threads (they boot while the caller walks the dataset). */
  constructor(
    /** What the threads hash with. */
    readonly settings: HashSettings,
    workers: number,
    /** The worker script (default: {@link workerEntry}). */
    entry: { url: URL; execArgv: string[] } = workerEntry(),
  ) {
    for (let k = 0; k < workers; k++) {
      let worker: Worker;
      try {
        worker = new Worker(entry.url, {
          workerData: settings,
          execArgv: entry.execArgv,
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
        });
      } catch {
        break; // a runtime without threads: the calling thread does the work
      }
      const lane: Lane = { worker, index: k, results: 0 };
      worker.on('message', (result: BatchResult) => {
        lane.results++;
        this.onResult?.(result);
      });
      worker.on('error', (error) => this.lost(lane, error));
      worker.on('exit', (code) => {
        if (code !== 0) this.lost(lane, new Error(`a hashing thread exited with code ${code}`));
      });
      this.lanes.push(lane);
    }
    this.slots = this.lanes.length;
  }

  /** Worker threads started (the calling thread is one more lane). */
  get workers(): number {
    return this.lanes.length;
  }

  /**
   * Runs a job on every lane and calls `onResult` for each batch (on this thread); `paths` are the
   * job's paths as an array (this thread has them already). Resolves once every batch is done;
   * rejects when a worker that holds an unfinished batch dies, or with `signal`'s reason once it
   * aborts (no lane takes another batch; those under way finish unseen).
   */
  async run(
    job: HashJob,
    paths: readonly string[],
    onResult: ResultHandler,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    if (job.taken.length < this.slots)
      throw new Error('internal: the job has fewer taken counters than lanes');
    const batches = job.bounds.length - 1;
    let done = 0;
    let wake: (() => void) | undefined;
    const finished = new Promise<void>((resolve, reject) => {
      this.failure = reject;
      wake = () => {
        if (done === batches) resolve();
      };
    });
    finished.catch(() => undefined);
    let aborted = false;
    const abort = (): void => {
      aborted = true;
      Atomics.store(job.next, 0, batches); // every lane's next take comes back empty
      this.onResult = undefined;
      this.failure?.(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    this.onResult = (result) => {
      onResult(result.id, job.bounds[result.id] as number, result);
      done++;
      wake?.();
    };
    this.job = job;
    try {
      for (const lane of this.lanes) lane.worker.postMessage({ job, lane: lane.index } satisfies JobMessage);
      const hasher = await (this.hasher ??= digestFactory(this.settings.algorithm, 1).then(
        (digests) => new BatchHasher(this.settings, digests),
      ));
      for (let b = takeBatch(job); b !== -1; b = takeBatch(job)) {
        const result = hasher.run(jobBatch(job, b, paths));
        if (aborted) break;
        onResult(b, job.bounds[b] as number, result);
        done++;
        // Let finished workers' results in (and progress out, and other work of this thread) between
        // batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      wake?.();
      await finished;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private lost(lane: Lane, error: unknown): void {
    const index = this.lanes.indexOf(lane);
    if (index === -1) return; // closed
    this.lanes.splice(index, 1);
    // A worker that holds no unfinished batch (one that could not boot, say) is not missed: the
    // other lanes take what is left.
    const taken =
      this.job && lane.index < this.job.taken.length ? Atomics.load(this.job.taken, lane.index) : 0;
    if (taken > lane.results) this.failure?.(error);
  }
}
