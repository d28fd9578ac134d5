/**
 * Floating-point building blocks: compensated sums (so totals over millions of rows stay exact to the
 * last bit or two, whatever the order of the rows) and numpy's summation order for short arrays (so
 * averages over labels reproduce numpy bit for bit).
 */

/** float64 machine epsilon, `np.finfo(np.float64).eps`. */
export const FLOAT64_EPS = 2.220446049250313e-16;

/**
 * Neumaier's compensated sum: the running error of each addition is kept and added back at the end,
 * so the result is as exact as summing in double the precision, independent of row order.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  /** Add one value. */
  add(value: number): void {
    const total = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) {
      this.compensation += this.sum - total + value;
    } else {
      this.compensation += value - total + this.sum;
    }
    this.sum = total;
  }

  /** The sum of everything added so far. */
  get value(): number {
    return this.sum + this.compensation;
  }
}

/** Compensated sum of a whole array. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    const total = sum + value;
    if (Math.abs(sum) >= Math.abs(value)) compensation += sum - total + value;
    else compensation += value - total + sum;
    sum = total;
  }
  return sum + compensation;
}

function pairwise(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let result = 0;
    for (let i = 0; i < n; i++) result += values[start + i] as number;
    return result;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j] as number;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] = (r[j] as number) + (values[start + i + j] as number);
    }
    let result = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) result += values[start + i] as number;
    return result;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(values, start, half) + pairwise(values, start + half, n - half);
}

/**
 * `np.sum` of a 1-D float64 array, in numpy's own order (first element, then pairwise blocks of 8),
 * used for the short per-label arrays that sklearn averages, so macro and weighted averages match
 * numpy bit for bit.
 */
export function numpySum(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  return (values[0] as number) + pairwise(values, 1, values.length - 1);
}

/** `np.average(values, weights)`: Σ v·w / Σ w, or the plain mean without weights, in numpy's order. */
export function numpyAverage(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  if (!weights) return numpySum(values) / values.length;
  const products = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) products[i] = (values[i] as number) * (weights[i] as number);
  return numpySum(products) / numpySum(weights);
}

/** Powers of ten that float64 holds exactly (10^0 … 10^22), for the exact fast path of parsing. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const enum Char {
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  UpperE = 69,
  LowerE = 101,
  Space = 32,
  Tab = 9,
}

/**
 * Parse a decimal number from bytes `[start, end)` without allocating. Accepts what pandas' CSV reader
 * accepts for a float column: optional surrounding spaces, sign, digits, fraction, exponent, and
 * `inf`/`nan` spellings are rejected (they are not usable metric inputs). Returns NaN when the bytes
 * are not a number. Correctly rounded: short inputs take Clinger's exact fast path (≤ 15 significant
 * digits, |exponent| ≤ 22: one IEEE operation on two exact values), the rest go through `Number()`.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === Char.Space || bytes[start] === Char.Tab)) start++;
  while (end > start && (bytes[end - 1] === Char.Space || bytes[end - 1] === Char.Tab)) end--;
  if (start >= end) return Number.NaN;
  let i = start;
  let negative = false;
  if (bytes[i] === Char.Minus || bytes[i] === Char.Plus) {
    negative = bytes[i] === Char.Minus;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  let c = bytes[i] as number;
  while (i < end && c >= Char.Zero && c <= Char.Nine) {
    if (significant > 0 || c !== Char.Zero) significant++;
    mantissa = mantissa * 10 + (c - Char.Zero);
    digits++;
    c = bytes[++i] as number;
  }
  if (i < end && c === Char.Dot) {
    c = bytes[++i] as number;
    while (i < end && c >= Char.Zero && c <= Char.Nine) {
      if (significant > 0 || c !== Char.Zero) significant++;
      mantissa = mantissa * 10 + (c - Char.Zero);
      digits++;
      scale--;
      c = bytes[++i] as number;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end && (c === Char.LowerE || c === Char.UpperE)) {
    c = bytes[++i] as number;
    let exponentNegative = false;
    if (i < end && (c === Char.Minus || c === Char.Plus)) {
      exponentNegative = c === Char.Minus;
      c = bytes[++i] as number;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (i < end && c >= Char.Zero && c <= Char.Nine) {
      if (exponent < 100000) exponent = exponent * 10 + (c - Char.Zero);
      exponentDigits++;
      c = bytes[++i] as number;
    }
    if (exponentDigits === 0) return Number.NaN;
    scale += exponentNegative ? -exponent : exponent;
  }
  if (i !== end) return Number.NaN;
  if (significant <= 15 && scale >= -22 && scale <= 22) {
    const magnitude =
      scale < 0
        ? mantissa / (EXACT_POWERS_OF_TEN[-scale] as number)
        : mantissa * (EXACT_POWERS_OF_TEN[scale] as number);
    return negative ? -magnitude : magnitude;
  }
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k] as number);
  return Number(text);
}
