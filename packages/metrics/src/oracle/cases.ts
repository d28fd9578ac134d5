/**
 * Seeded random datasets for the oracle tests: binary, multiclass and regression predictions with the
 * awkward cases — ties, one class only, absent classes, zero and fractional weights, extreme
 * probabilities, zero targets — written as CSV files plus a manifest the Python oracle reads.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, type RandomSource } from '../random.ts';
import type { PredictionColumns } from '../table.ts';

/** One generated dataset and how to evaluate it. */
export interface OracleCase {
  id: string;
  kind: 'binary' | 'multiclass' | 'regression';
  file: string;
  columns: PredictionColumns;
  /** Labels are written as text (kept as strings by the oracle) or as integers. */
  labelType: 'int' | 'str';
  classes?: string[];
  positive?: string;
  threshold?: number;
  zeroDivision: 0 | 1;
  weighted: boolean;
  calibrationBins: number;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function writeCsv(path: string, header: string[], rows: string[][], crlf: boolean): void {
  const newline = crlf ? '\r\n' : '\n';
  const lines = [header.map(csvField).join(','), ...rows.map((row) => row.map(csvField).join(','))];
  writeFileSync(path, lines.join(newline) + (crlf ? '' : newline));
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[random.nextInt(items.length)]!;
}

const EXTREMES = [0, 1, 1e-20, 1e-300, 1 - 1e-16, 0.5, 2.220446049250313e-16, 0.9999999999999998];

function score(random: RandomSource, positive: boolean, style: string): number {
  const base = Math.min(1, Math.max(0, random.next() * 0.7 + (positive ? 0.3 : 0)));
  if (style === 'ties') return Math.round(base * 10) / 10;
  if (style === 'coarse') return Math.round(base * 4) / 4;
  if (style === 'extreme') return random.next() < 0.4 ? pick(random, EXTREMES) : base;
  return base;
}

function weight(random: RandomSource): number {
  const r = random.next();
  if (r < 0.1) return 0;
  if (r < 0.3) return random.nextInt(4) + 1;
  return Math.round(random.next() * 1e6) / 1e5;
}

/** Binary cases. */
function binaryCase(random: RandomSource, index: number, dir: string): OracleCase {
  const n = pick(random, [1, 2, 3, 5, 10, 50, 200, 800]) + random.nextInt(5);
  const classMode = random.next();
  const prior = classMode < 0.1 ? 0 : classMode < 0.2 ? 1 : random.next();
  const style = pick(random, ['continuous', 'ties', 'coarse', 'extreme']);
  const stringLabels = random.next() < 0.3;
  const [negName, posName] = stringLabels
    ? pick(random, [
        ['no', 'yes'],
        ['ham', 'spam'],
        ['b,"x"', 'a b'],
      ])
    : ['0', '1'];
  const weighted = random.next() < 0.4;
  const withPredicted = random.next() < 0.15;
  const threshold = pick(random, [0.5, 0.5, 0.3, 0.7]);
  const header = [
    'id',
    'label',
    'score',
    ...(withPredicted ? ['predicted'] : []),
    ...(weighted ? ['w'] : []),
  ];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const positive = random.next() < prior;
    const s = score(random, positive, style);
    const row = [`r${i}`, positive ? posName : negName, String(s)];
    if (withPredicted) row.push(random.next() < 0.5 ? posName : negName);
    if (weighted) row.push(String(weight(random)));
    rows.push(row);
  }
  const id = `binary-${index}`;
  const file = join(dir, `${id}.csv`);
  writeCsv(file, header, rows, random.next() < 0.3);
  return {
    id,
    kind: 'binary',
    file,
    columns: {
      label: 'label',
      score: 'score',
      id: 'id',
      ...(withPredicted ? { predicted: 'predicted' } : {}),
      ...(weighted ? { weight: 'w' } : {}),
    },
    labelType: stringLabels ? 'str' : 'int',
    positive: posName,
    threshold,
    zeroDivision: random.next() < 0.3 ? 1 : 0,
    weighted,
    calibrationBins: pick(random, [5, 10, 10, 15]),
  };
}

/** Multiclass cases. */
function multiclassCase(random: RandomSource, index: number, dir: string): OracleCase {
  const K = 3 + random.nextInt(4);
  const stringLabels = random.next() < 0.5;
  const classes = stringLabels
    ? ['ant', 'bee', 'cat', 'dog', 'elk', 'fox'].slice(0, K)
    : Array.from({ length: K }, (_, k) => String(k));
  const n = pick(random, [3, 10, 40, 150, 500]) + random.nextInt(5);
  const absent = random.next() < 0.2 ? random.nextInt(K) : -1;
  const weighted = random.next() < 0.4;
  const withPredicted = random.next() < 0.2;
  const ties = random.next() < 0.3;
  const header = [
    'label',
    ...classes.map((c) => `p_${c}`),
    ...(withPredicted ? ['predicted'] : []),
    ...(weighted ? ['w'] : []),
  ];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    let label = random.nextInt(K);
    if (label === absent) label = (label + 1) % K;
    const raw = classes.map(
      (_, k) => (ties ? Math.round(random.next() * 3) + 0.5 : random.next()) + (k === label ? 1.5 : 0),
    );
    const total = raw.reduce((a, b) => a + b, 0);
    const probabilities = raw.map((value) => value / total);
    const row = [classes[label]!, ...probabilities.map(String)];
    if (withPredicted) row.push(classes[random.nextInt(K)]!);
    if (weighted) row.push(String(weight(random)));
    rows.push(row);
  }
  const id = `multiclass-${index}`;
  const file = join(dir, `${id}.csv`);
  writeCsv(file, header, rows, false);
  return {
    id,
    kind: 'multiclass',
    file,
    columns: {
      label: 'label',
      probabilities: Object.fromEntries(classes.map((c) => [c, `p_${c}`])),
      ...(withPredicted ? { predicted: 'predicted' } : {}),
      ...(weighted ? { weight: 'w' } : {}),
    },
    labelType: stringLabels ? 'str' : 'int',
    classes,
    zeroDivision: random.next() < 0.3 ? 1 : 0,
    weighted,
    calibrationBins: 10,
  };
}

/** Regression cases. */
function regressionCase(random: RandomSource, index: number, dir: string): OracleCase {
  const n = pick(random, [1, 2, 3, 20, 100, 600]) + random.nextInt(3);
  const mode = pick(random, ['normal', 'zeros', 'constant', 'perfect', 'integers']);
  const weighted = random.next() < 0.4;
  const header = ['y', 'yhat', ...(weighted ? ['w'] : [])];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    let y = (random.next() - 0.3) * 100;
    if (mode === 'zeros' && random.next() < 0.3) y = 0;
    if (mode === 'constant') y = 3.25;
    if (mode === 'integers') y = random.nextInt(7) - 3;
    const yhat =
      mode === 'perfect'
        ? y
        : mode === 'constant' && random.next() < 0.5
          ? 3.25
          : y + (random.next() - 0.5) * 20;
    const row = [String(y), String(yhat)];
    if (weighted) row.push(String(weight(random) + (i === 0 ? 1 : 0)));
    rows.push(row);
  }
  const id = `regression-${index}`;
  const file = join(dir, `${id}.csv`);
  writeCsv(file, header, rows, false);
  return {
    id,
    kind: 'regression',
    file,
    columns: { label: 'y', prediction: 'yhat', ...(weighted ? { weight: 'w' } : {}) },
    labelType: 'int',
    zeroDivision: 0,
    weighted,
    calibrationBins: 10,
  };
}

/** Generate the classification and regression cases into `dir`. */
export function generateCases(
  dir: string,
  seed: number,
  counts = { binary: 140, multiclass: 50, regression: 50 },
): OracleCase[] {
  const random = createRandom(seed);
  const cases: OracleCase[] = [];
  for (let i = 0; i < counts.binary; i++) cases.push(binaryCase(random, i, dir));
  for (let i = 0; i < counts.multiclass; i++) cases.push(multiclassCase(random, i, dir));
  for (let i = 0; i < counts.regression; i++) cases.push(regressionCase(random, i, dir));
  return cases;
}
