/**
 * Ranking metrics of a binary problem, exact: ROC AUC as the Mann–Whitney U statistic with mid-ranks
 * (ties count ½), which equals sklearn's trapezoid under the ROC curve at distinct thresholds, and
 * average precision as sklearn's step-wise sum Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct thresholds.
 */

import { CompensatedSum } from './numeric.ts';

/** ROC AUC and average precision of one binary problem, or why they are undefined. */
export interface RankingResult {
  rocAuc: number | null;
  rocAucReason?: string;
  averagePrecision: number | null;
  averagePrecisionReason?: string;
}

/** Scores sorted once: the distinct values and each row's index among them. */
export interface RankIndex {
  distinct: Float64Array;
  rank: Int32Array;
}

const rankCache = new WeakMap<Float64Array, RankIndex>();

/** Distinct sorted scores and the rank of every row (cached per score array: bootstrap reuses it). */
export function rankIndex(scores: Float64Array): RankIndex {
  const cached = rankCache.get(scores);
  if (cached) return cached;
  const sorted = Float64Array.from(scores).sort();
  let u = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  }
  const distinct = sorted.slice(0, u);
  const rank = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const value = scores[i]!;
    let low = 0;
    let high = u - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (distinct[mid]! < value) low = mid + 1;
      else high = mid;
    }
    rank[i] = low;
  }
  const index = { distinct, rank };
  rankCache.set(scores, index);
  return index;
}

function undefinedRanking(reason: string, apReason = reason): RankingResult {
  return { rocAuc: null, rocAucReason: reason, averagePrecision: null, averagePrecisionReason: apReason };
}

/**
 * Unweighted fast path: positives' and negatives' scores sorted natively, then one merge walk.
 * U is a sum of integers and halves below 2⁵³, so it is exact; AUC = U/(P·N) is rounded once.
 */
export function binaryRankingUnweighted(
  scores: Float64Array,
  labels: ArrayLike<number>,
  positiveCode: number,
): RankingResult {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] === positiveCode) positives++;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) {
    return noClass(positives, negatives);
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === positiveCode) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  // ascending walk for U
  let u = 0;
  let negBelow = 0;
  let i = 0;
  let j = 0;
  while (i < positives) {
    const value = pos[i]!;
    while (j < negatives && neg[j]! < value) j++;
    negBelow = j;
    let equalNeg = 0;
    while (j + equalNeg < negatives && neg[j + equalNeg] === value) equalNeg++;
    let equalPos = 0;
    while (i < positives && pos[i] === value) {
      equalPos++;
      i++;
    }
    u += equalPos * (negBelow + equalNeg / 2);
  }
  const rocAuc = u / (positives * negatives);
  // descending walk for average precision
  const ap = new CompensatedSum();
  let tp = 0;
  let fp = 0;
  i = positives - 1;
  j = negatives - 1;
  while (i >= 0) {
    const value = Math.max(pos[i]!, j >= 0 ? neg[j]! : -Infinity);
    let stepTp = 0;
    while (i >= 0 && pos[i] === value) {
      stepTp++;
      i--;
    }
    while (j >= 0 && neg[j] === value) {
      fp++;
      j--;
    }
    if (stepTp > 0) {
      tp += stepTp;
      ap.add((stepTp / positives) * (tp / (tp + fp)));
    }
  }
  return { rocAuc, averagePrecision: ap.value };
}

function noClass(positives: number, negatives: number): RankingResult {
  if (positives === 0 && negatives === 0) return undefinedRanking('no rows');
  if (positives === 0) {
    return undefinedRanking(
      'only one class present: no positive samples (ROC AUC needs both classes)',
      'no positive samples: recall is undefined (sklearn returns 0.0 with a warning)',
    );
  }
  return {
    rocAuc: null,
    rocAucReason: 'only one class present: no negative samples (ROC AUC needs both classes)',
    averagePrecision: 1,
  };
}

/**
 * Weighted path on rank buckets: the weight of positives and negatives at each distinct score. Rows
 * with `counts[i] = 0` are absent (bootstrap resamples); effective weight = counts·weight.
 */
export function binaryRankingWeighted(
  index: RankIndex,
  labels: ArrayLike<number>,
  positiveCode: number,
  weight: Float64Array | undefined,
  counts?: Int32Array,
): RankingResult {
  const u = index.distinct.length;
  const posWeight = new Float64Array(u);
  const negWeight = new Float64Array(u);
  let posRows = 0;
  let negRows = 0;
  const rank = index.rank;
  for (let i = 0; i < rank.length; i++) {
    const count = counts ? counts[i]! : 1;
    if (count === 0) continue;
    const w = weight ? weight[i]! * count : count;
    if (labels[i] === positiveCode) {
      posRows++;
      posWeight[rank[i]!] = posWeight[rank[i]!]! + w;
    } else {
      negRows++;
      negWeight[rank[i]!] = negWeight[rank[i]!]! + w;
    }
  }
  if (posRows === 0 || negRows === 0) return noClass(posRows, negRows);
  const totalPos = new CompensatedSum();
  const totalNeg = new CompensatedSum();
  for (let r = 0; r < u; r++) {
    totalPos.add(posWeight[r]!);
    totalNeg.add(negWeight[r]!);
  }
  const P = totalPos.value;
  const N = totalNeg.value;
  let rocAuc: number | null = null;
  let rocAucReason: string | undefined;
  if (P > 0 && N > 0) {
    const area = new CompensatedSum();
    const below = new CompensatedSum();
    for (let r = 0; r < u; r++) {
      const wp = posWeight[r]!;
      if (wp !== 0) area.add(wp * (below.value + negWeight[r]! / 2));
      below.add(negWeight[r]!);
    }
    rocAuc = area.value / (P * N);
  } else {
    rocAucReason = `the ${P > 0 ? 'negative' : 'positive'} class has zero total weight`;
  }
  let averagePrecision: number | null = null;
  let averagePrecisionReason: string | undefined;
  if (P > 0) {
    const ap = new CompensatedSum();
    const tp = new CompensatedSum();
    const fp = new CompensatedSum();
    for (let r = u - 1; r >= 0; r--) {
      const wp = posWeight[r]!;
      tp.add(wp);
      fp.add(negWeight[r]!);
      if (wp !== 0) ap.add((wp / P) * (tp.value / (tp.value + fp.value)));
    }
    averagePrecision = ap.value;
  } else {
    averagePrecisionReason = 'the positive class has zero total weight: recall is undefined';
  }
  return {
    rocAuc,
    averagePrecision,
    ...(rocAucReason ? { rocAucReason } : {}),
    ...(averagePrecisionReason ? { averagePrecisionReason } : {}),
  };
}

/** ROC AUC and average precision of `labels[i] === positiveCode` against the scores (fast path without weights). */
export function binaryRanking(
  scores: Float64Array,
  labels: ArrayLike<number>,
  positiveCode: number,
  weight?: Float64Array,
  counts?: Int32Array,
): RankingResult {
  if (!weight && !counts) return binaryRankingUnweighted(scores, labels, positiveCode);
  return binaryRankingWeighted(rankIndex(scores), labels, positiveCode, weight, counts);
}
