/**
 * Oracle suite: hundreds of seeded random datasets (ties, one class, absent classes, weights with
 * zeros, extreme probabilities, zero and constant targets) evaluated here and by scikit-learn /
 * scipy in ONE Python process; every value must agree within 1e-12 relative, counts exactly.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapResampler,
  classificationMetrics,
  delong,
  drift,
  mcnemarFromCounts,
  pairedBootstrap,
  readFeatures,
  readPredictions,
  regressionMetrics,
  type ClassificationTable,
  type RegressionTable,
} from './index.ts';
import { generateCases, type OracleCase } from './oracle/cases.ts';
import { requireSklearn, runOracle } from './oracle/python.ts';
import { createRandom } from './random.ts';
import { chiSquareSf, kolmogorovSf, normalSf } from './special.ts';

type Value = number | null;
interface OracleOutput {
  cases: Record<string, Record<string, Value | number[][]>>;
  mcnemar: { exactP: Value; chiSquare: Value; chiSquareP: Value }[];
  delong: Record<string, Value>[];
  bootstrap: Record<string, Value>[];
  drift: Record<string, Value>[];
  special: { chi2: Value[]; normal: Value[]; kolmogorov: Value[] };
}

const RELATIVE = 1e-12;
const mismatches: string[] = [];

function agree(
  actual: Value | undefined,
  expected: Value | undefined,
  relative = RELATIVE,
  absolute = 1e-15,
): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  return (
    Math.abs(actual - expected) <=
    Math.max(absolute, relative * Math.max(Math.abs(actual), Math.abs(expected)))
  );
}

function check(
  where: string,
  actual: Value | undefined,
  expected: Value | undefined,
  relative = RELATIVE,
  absolute = 1e-15,
): void {
  if (!agree(actual, expected, relative, absolute))
    mismatches.push(`${where}: ours ${actual}, oracle ${expected}`);
}

let dir: string;
let cases: OracleCase[];
let oracle: OracleOutput;
const mcnemarPairs: [number, number][] = [
  [502, 736],
  [0, 0],
  [1, 0],
  [3, 3],
  [10, 25],
  [7, 1],
  [200, 260],
  [1500, 1620],
  [40, 41],
];
const delongItems: { candidate: string; baseline: string }[] = [];
const bootstrapItems: {
  candidate: string;
  baseline: string;
  kind: string;
  metric: string;
  resamples: number;
  counts: number[];
  percentiles: number[];
}[] = [];
const driftItems: {
  reference: string;
  current: string;
  column: string;
  type: 'numeric' | 'categorical';
  bins: number;
}[] = [];
const special = {
  chi2: [
    [0.5, 1],
    [3.84, 1],
    [30, 1],
    [120, 1],
    [4, 2],
    [11.3, 3],
    [25, 7],
    [0.01, 5],
    [400, 10],
    [60, 40],
  ] as [number, number][],
  normal: [0, 0.5, 1.96, 3, 5, 8.5, 12, 30, -2],
  kolmogorov: [0.2, 0.5, 0.82, 0.83, 1, 1.36, 2, 3.5],
};

function writeBinaryPair(
  name: string,
  rows: number,
  seed: number,
  ties: boolean,
): { candidate: string; baseline: string } {
  const random = createRandom(seed);
  const a = ['label,score'];
  const b = ['label,score'];
  for (let i = 0; i < rows; i++) {
    const y = random.next() < 0.4 ? 1 : 0;
    const round = (x: number) => (ties ? Math.round(x * 20) / 20 : x);
    a.push(`${y},${round(Math.min(1, random.next() * 0.8 + y * 0.25))}`);
    b.push(`${y},${round(Math.min(1, random.next() * 0.85 + y * 0.15))}`);
  }
  const candidate = join(dir, `${name}-candidate.csv`);
  const baseline = join(dir, `${name}-baseline.csv`);
  writeFileSync(candidate, a.join('\n') + '\n');
  writeFileSync(baseline, b.join('\n') + '\n');
  return { candidate, baseline };
}

beforeAll(() => {
  requireSklearn();
  dir = mkdtempSync(join(tmpdir(), 'metrics-oracle-'));
  cases = generateCases(dir, 20240607);
  for (let i = 0; i < 8; i++)
    delongItems.push(writeBinaryPair(`delong-${i}`, [12, 40, 150, 400][i % 4]!, 900 + i, i % 2 === 0));
  const bootstrapSpecs = [
    { metric: 'roc_auc', kind: 'binary' },
    { metric: 'log_loss', kind: 'binary' },
    { metric: 'f1', kind: 'binary' },
    { metric: 'accuracy', kind: 'binary' },
    { metric: 'rmse', kind: 'regression' },
  ];
  bootstrapSpecs.forEach((spec, i) => {
    let files: { candidate: string; baseline: string };
    const rows = 60 + 30 * i;
    if (spec.kind === 'binary') files = writeBinaryPair(`boot-${i}`, rows, 700 + i, i % 2 === 1);
    else {
      const random = createRandom(800 + i);
      const a = ['y,yhat'];
      const b = ['y,yhat'];
      for (let r = 0; r < rows; r++) {
        const y = random.next() * 10;
        a.push(`${y},${y + random.next() - 0.5}`);
        b.push(`${y},${y + 2 * (random.next() - 0.5)}`);
      }
      files = {
        candidate: join(dir, `boot-${i}-candidate.csv`),
        baseline: join(dir, `boot-${i}-baseline.csv`),
      };
      writeFileSync(files.candidate, a.join('\n') + '\n');
      writeFileSync(files.baseline, b.join('\n') + '\n');
    }
    const resamples = 150;
    const sampler = bootstrapResampler(rows, 31 + i);
    const counts: number[] = [];
    for (let r = 0; r < resamples; r++) counts.push(...sampler.draw());
    bootstrapItems.push({
      ...files,
      kind: spec.kind,
      metric: spec.metric,
      resamples,
      counts,
      percentiles: [2.5000000000000022, 97.5],
    });
  });
  const random = createRandom(4242);
  const driftSpecs = [
    { type: 'numeric', n: 80, m: 120, shift: 0, ties: false },
    { type: 'numeric', n: 300, m: 300, shift: 0.3, ties: false },
    { type: 'numeric', n: 200, m: 150, shift: 0.1, ties: true },
    { type: 'numeric', n: 50, m: 60, shift: 1.5, ties: false },
    { type: 'numeric', n: 2000, m: 1500, shift: 0.05, ties: true },
    { type: 'numeric', n: 12000, m: 11000, shift: 0.02, ties: false },
    { type: 'numeric', n: 40, m: 40, shift: 0, ties: true },
    { type: 'categorical', n: 500, m: 400, shift: 0, ties: false },
    { type: 'categorical', n: 300, m: 700, shift: 0.2, ties: false },
    { type: 'categorical', n: 90, m: 30, shift: 0.5, ties: false },
  ] as const;
  driftSpecs.forEach((spec, i) => {
    const write = (rows: number, shift: number, name: string) => {
      const lines = ['x'];
      for (let r = 0; r < rows; r++) {
        if (spec.type === 'numeric') {
          const value = random.next() + random.next() + shift;
          lines.push(String(spec.ties ? Math.round(value * 10) / 10 : value));
        } else {
          const u = random.next() + shift * random.next();
          lines.push(u < 0.3 ? 'red' : u < 0.6 ? 'green' : u < 0.9 ? 'blue' : 'violet');
        }
      }
      const path = join(dir, `drift-${i}-${name}.csv`);
      writeFileSync(path, lines.join('\n') + '\n');
      return path;
    };
    driftItems.push({
      reference: write(spec.n, 0, 'reference'),
      current: write(spec.m, spec.shift, 'current'),
      column: 'x',
      type: spec.type,
      bins: 30,
    });
  });
  const manifest = {
    cases,
    mcnemar: mcnemarPairs,
    delong: delongItems,
    bootstrap: bootstrapItems,
    drift: driftItems,
    special,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  runOracle(join(dir, 'manifest.json'), join(dir, 'oracle.json'));
  oracle = JSON.parse(readFileSync(join(dir, 'oracle.json'), 'utf8')) as OracleOutput;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CLASSIFICATION_KEYS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_micro',
  'recall_micro',
  'f1_micro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'average_precision',
  'log_loss',
  'brier',
  'ece',
  'roc_auc_ovr',
  'roc_auc_ovr_weighted',
];

describe('oracle: metrics agree with scikit-learn', () => {
  it('classification metrics of the binary and multiclass datasets', async () => {
    mismatches.length = 0;
    let compared = 0;
    for (const testCase of cases.filter((c) => c.kind !== 'regression')) {
      const table = (await readPredictions(testCase.file, testCase.columns)) as ClassificationTable;
      const report = classificationMetrics(table, {
        ...(testCase.positive !== undefined ? { positiveLabel: testCase.positive } : {}),
        ...(testCase.threshold !== undefined ? { threshold: testCase.threshold } : {}),
        zeroDivision: testCase.zeroDivision,
        calibrationBins: testCase.calibrationBins,
      });
      const expected = oracle.cases[testCase.id]!;
      for (const key of CLASSIFICATION_KEYS) {
        if (!(key in expected)) continue;
        compared++;
        check(`${testCase.id} ${key}`, report.metrics[key], expected[key] as Value);
      }
      if (expected.confusion) {
        const matrix = expected.confusion as number[][];
        const ours = report.confusionMatrix.matrix;
        const same =
          matrix.length === ours.length &&
          matrix.every((row, t) => row.every((value, p) => agree(ours[t]![p]!, value)));
        if (!same)
          mismatches.push(
            `${testCase.id} confusion: ours ${JSON.stringify(ours)}, oracle ${JSON.stringify(matrix)}`,
          );
        if (!testCase.weighted && !same)
          mismatches.push(`${testCase.id}: unweighted counts must be equal exactly`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(2500);
  });

  it('regression metrics', async () => {
    mismatches.length = 0;
    for (const testCase of cases.filter((c) => c.kind === 'regression')) {
      const report = regressionMetrics(
        (await readPredictions(testCase.file, testCase.columns)) as RegressionTable,
      );
      const expected = oracle.cases[testCase.id]!;
      for (const key of ['mae', 'mse', 'rmse', 'r2', 'mape'])
        check(`${testCase.id} ${key}`, report.metrics[key], expected[key] as Value);
    }
    expect(mismatches).toEqual([]);
  });

  it('McNemar exact and χ² p-values (b = 502, c = 736 → p = 3.106e-11)', () => {
    mismatches.length = 0;
    mcnemarPairs.forEach(([b, c], i) => {
      const ours = mcnemarFromCounts(b, c);
      const expected = oracle.mcnemar[i]!;
      check(`mcnemar ${b},${c} exact`, ours.exactP, expected.exactP, 1e-11);
      check(`mcnemar ${b},${c} chi2`, ours.chiSquare, expected.chiSquare);
      check(`mcnemar ${b},${c} chi2 p`, ours.chiSquareP, expected.chiSquareP, 1e-11);
    });
    expect(mismatches).toEqual([]);
    expect(mcnemarFromCounts(502, 736).exactP.toPrecision(4)).toBe('3.106e-11');
  });

  it('DeLong test against a rank-based numpy implementation and sklearn AUCs', async () => {
    mismatches.length = 0;
    for (const [i, item] of delongItems.entries()) {
      const a = (await readPredictions(item.candidate, {
        label: 'label',
        score: 'score',
      })) as ClassificationTable;
      const b = (await readPredictions(item.baseline, {
        label: 'label',
        score: 'score',
      })) as ClassificationTable;
      const ours = delong(a, b);
      const expected = oracle.delong[i]!;
      check(`delong ${i} auc1`, ours.candidateAuc, expected.sk_auc1);
      check(`delong ${i} auc2`, ours.baselineAuc, expected.sk_auc2);
      check(`delong ${i} variance`, ours.variance, expected.variance, 1e-10);
      check(`delong ${i} z`, ours.z, expected.z, 1e-10);
      check(`delong ${i} p`, ours.pValue, expected.p, 1e-9);
    }
    expect(mismatches).toEqual([]);
  });

  it('paired bootstrap intervals equal sklearn on the same resamples', async () => {
    mismatches.length = 0;
    for (const [i, item] of bootstrapItems.entries()) {
      const columns =
        item.kind === 'binary' ? { label: 'label', score: 'score' } : { label: 'y', prediction: 'yhat' };
      const a = await readPredictions(item.candidate, columns);
      const b = await readPredictions(item.baseline, columns);
      const ours = pairedBootstrap(a, b, { metric: item.metric, resamples: item.resamples, seed: 31 + i });
      const expected = oracle.bootstrap[i]!;
      check(`bootstrap ${item.metric} candidate`, ours.candidate, expected.candidate);
      check(`bootstrap ${item.metric} baseline`, ours.baseline, expected.baseline);
      check(`bootstrap ${item.metric} lower`, ours.lower, expected.lower, 1e-10, 1e-13);
      check(`bootstrap ${item.metric} upper`, ours.upper, expected.upper, 1e-10, 1e-13);
      check(`bootstrap ${item.metric} se`, ours.standardError, expected.standardError, 1e-9);
      expect(ours.percentiles[0]).toBe(item.percentiles[0]);
      expect(ours.undefinedResamples).toBe(expected.undefined);
    }
    expect(mismatches).toEqual([]);
  });

  it('drift statistics against numpy / scipy', async () => {
    mismatches.length = 0;
    for (const [i, item] of driftItems.entries()) {
      const features = item.type === 'numeric' ? { numeric: ['x'] } : { categorical: ['x'] };
      const report = drift(
        await readFeatures(item.reference, features),
        await readFeatures(item.current, features),
        { bins: item.bins },
      );
      const column = report.columns[0]!;
      const expected = oracle.drift[i]!;
      for (const [key, value] of Object.entries(expected)) {
        const p = key.endsWith('p_value');
        check(`drift ${i} ${key}`, column.stats[key], value, p ? 1e-9 : 1e-11, p ? 1e-13 : 1e-15);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('special functions: χ², normal and Kolmogorov tails', () => {
    mismatches.length = 0;
    special.chi2.forEach(([x, k], i) =>
      check(`chi2.sf(${x}, ${k})`, chiSquareSf(x, k), oracle.special.chi2[i], 1e-12),
    );
    special.normal.forEach((z, i) => check(`norm.sf(${z})`, normalSf(z), oracle.special.normal[i], 1e-13));
    special.kolmogorov.forEach((x, i) =>
      check(`kolmogorov(${x})`, kolmogorovSf(x), oracle.special.kolmogorov[i], 1e-12),
    );
    expect(mismatches).toEqual([]);
  });
});
