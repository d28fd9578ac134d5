import { describe, expect, it } from 'vitest';
import { batchBounds, createJob, jobBatch, takeBatch } from './pool.ts';

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
    const paths = ['a', 'b', 'c', 'd', 'e'];
    const job = createJob(
      { root: '.', kinds: new Uint8Array(5).fill(1), keys: new Float64Array(15).fill(Number.NaN), paths },
      2,
      1,
    );
    expect(job.paths).toBe('a\0b\0c\0d\0e');
    const seen: string[][] = [];
    for (let b = takeBatch(job, 0); b !== -1; b = takeBatch(job)) seen.push(jobBatch(job, b, paths).paths);
    expect(seen.flat()).toEqual(paths);
    // The worker took one batch, the calling thread the rest; the last failed take is not counted.
    expect(Atomics.load(job.taken, 0)).toBe(1);
    expect(takeBatch(job, 0)).toBe(-1);
    expect(Atomics.load(job.taken, 0)).toBe(1);
  });
});
