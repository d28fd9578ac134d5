/**
 * A small seeded random generator (xoshiro128**, seeded through SplitMix32) so bootstrap intervals are
 * reproducible from a seed on every platform and Node version.
 */

/** A seeded stream of uniform random numbers. */
export interface RandomSource {
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform integer in [0, n). */
  nextInt(n: number): number;
}

function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a xoshiro128** generator from a 32-bit integer seed. */
export function createRandom(seed: number): RandomSource {
  const init = splitMix32(seed);
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const next = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  return {
    next,
    nextInt: (n: number) => Math.floor(next() * n),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
