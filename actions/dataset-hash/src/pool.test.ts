import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { HashPool, batchBounds, createJob, jobBatch, takeBatch, type HashJob } from './pool.ts';

describe('hashing jobs', () => {
  it('cuts entries into batches of at most 1,000, about eight per lane', () => {
    expect(Array.from(batchBounds(4, 2))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(batchBounds(100, 2))).toEqual([
      0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98, 100,
    ]);
    const big = batchBounds(100_000, 2);
    expect(big.length - 1).toBe(100);
    expect(big[big.length - 1]).toBe(100_000);
    expect(Array.from(batchBounds(0, 2))).toEqual([0]);
  });

  it('hands out each batch once across lanes and counts what each worker took', () => {
    // Names of one, two and four UTF-16 units per character, in batches of three.
    const paths = Array.from({ length: 40 }, (_, i) => [`a${i}`, `bé/${i}`, `😀${i}`][i % 3] as string);
    const job = createJob(
      { root: '.', kinds: new Uint8Array(40).fill(1), keys: new Float64Array(120).fill(Number.NaN), paths },
      2,
      1,
    );
    expect(Buffer.from(job.paths).toString('utf8')).toBe(paths.join('\0'));
    expect(job.paths.buffer).toBeInstanceOf(SharedArrayBuffer); // posted to workers without a copy
    const seen: string[][] = [];
    for (let b = takeBatch(job, 0); b !== -1; b = takeBatch(job)) {
      // A worker splits its batch out of the joined string: the same paths as the caller's slice.
      expect(jobBatch(job, b).paths).toEqual(jobBatch(job, b, paths).paths);
      seen.push(jobBatch(job, b).paths);
    }
    expect(seen.map((batch) => batch.length)).toEqual([...Array<number>(13).fill(3), 1]);
    expect(seen.flat()).toEqual(paths);
    // The worker took one batch, the calling thread the rest; the last failed take is not counted.
    expect(Atomics.load(job.taken, 0)).toBe(1);
    expect(takeBatch(job, 0)).toBe(-1);
    expect(Atomics.load(job.taken, 0)).toBe(1);
  });
});

describe('HashPool', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hash-pool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Big enough that the calling thread cannot finish every batch before a booted worker takes one.
  const paths = Array.from({ length: 64 }, (_, i) => `f${String(i).padStart(2, '0')}.bin`);
  for (const [i, name] of paths.entries())
    writeFileSync(path.join(dir, name), Buffer.alloc((1 << 20) + i, i));
  const settings = { algorithm: 'sha256' as const, lfs: 'pointer' as const };

  async function runJob(pool: HashPool): Promise<{ digests: string[]; job: HashJob }> {
    const job = createJob(
      {
        root: dir,
        kinds: new Uint8Array(paths.length).fill(1),
        keys: new Float64Array(paths.length * 3).fill(Number.NaN),
        paths,
      },
      pool.workers + 1,
      pool.slots,
    );
    const digests = new Array<string>(paths.length);
    await pool.run(job, paths, (_b, start, result) => {
      for (let k = 0; k < result.status.length; k++) {
        digests[start + k] = Buffer.from(result.digests.subarray(k * 32, (k + 1) * 32)).toString('hex');
      }
    });
    return { digests, job };
  }
  const expected = paths.map((p) =>
    createHash('sha256')
      .update(readFileSync(path.join(dir, p)))
      .digest('hex'),
  );

  it('shares a job between the calling thread and a real worker thread', async () => {
    // The worker as the action ships it: bundled into one file.
    const out = path.join(dir, 'worker');
    await build({
      entryPoints: { 'hash.worker': fileURLToPath(new URL('./hash.worker.ts', import.meta.url)) },
      outdir: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'error',
    });
    const pool = new HashPool(settings, 1, {
      url: pathToFileURL(path.join(out, 'hash.worker.mjs')),
      execArgv: [],
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500)); // booted, as when the step starts it early
      const { digests, job } = await runJob(pool);
      expect(digests).toEqual(expected);
      expect(Atomics.load(job.taken, 0)).toBeGreaterThan(0); // the worker did take batches
    } finally {
      await pool.close();
    }
  });

  it('stops every lane when the signal aborts, and rejects with its reason', async () => {
    const pool = new HashPool(settings, 0);
    try {
      const job = createJob(
        {
          root: dir,
          kinds: new Uint8Array(paths.length).fill(1),
          keys: new Float64Array(paths.length * 3).fill(Number.NaN),
          paths,
        },
        1,
        pool.slots,
      );
      const stop = new AbortController();
      const reason = new Error('the baseline is broken');
      let results = 0;
      const running = pool.run(job, paths, () => void results++, stop.signal);
      // Work of this thread between batches (as the baseline is read): it stops the job.
      setImmediate(() => stop.abort(reason));
      await expect(running).rejects.toBe(reason);
      const batches = job.bounds.length - 1;
      expect(results).toBeGreaterThan(0);
      expect(results).toBeLessThan(batches);
      expect(takeBatch(job)).toBe(-1); // nothing is left for any lane
      // A signal aborted beforehand runs nothing.
      let late = 0;
      await expect(pool.run(job, paths, () => void late++, AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(late).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('does without workers that cannot start', async () => {
    const missing = { url: pathToFileURL(path.join(dir, 'no-such-worker.mjs')), execArgv: [] };
    const pool = new HashPool(settings, 2, missing);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // both have failed by now
      const { digests } = await runJob(pool);
      expect(digests).toEqual(expected);
    } finally {
      await pool.close();
    }
  });
});
