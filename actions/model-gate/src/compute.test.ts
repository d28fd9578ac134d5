import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { parseGateSpec } from './spec.ts';
import { computeDrift, computeFromPredictions, significanceOf } from './compute.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/model-gate');
const origin = { input: 'predictions', cwd: FIXTURES };

const spec = parseGateSpec({
  predictions: { label: 'label', score: 'score', id: 'id' },
  slices: { 'min-size': 61 },
  fairness: { 'min-group-size': 30 },
  checks: [
    { name: 'auc', metric: 'roc_auc', min: 0.5, 'max-regression': 0.01, significance: { test: 'delong' } },
    { name: 'acc', metric: 'accuracy', 'max-regression': 0.001, significance: { test: 'mcnemar' } },
    { name: 'f1', metric: 'f1', 'max-regression': 0.01, significance: { test: 'bootstrap' } },
    { name: 'regions', metric: 'roc_auc', slice: 'region', min: 0.5 },
    { name: 'crossed', metric: 'roc_auc', slice: 'region=eu&gender=F', min: 0.5 },
    { name: 'parity', fairness: 'demographic-parity-ratio', group: 'gender', min: 0.8 },
  ],
});

/** scikit-learn (Debian's python3-sklearn, installed by the test setup) as the oracle: ROC AUC per row filter. */
function sklearnAucs(file: string, filters: Record<string, string>): Record<string, number> {
  const script = [
    'import csv, json, sys',
    'from sklearn.metrics import roc_auc_score',
    'rows = list(csv.DictReader(open(sys.argv[1])))',
    'out = {}',
    'for name, where in json.loads(sys.argv[2]).items():',
    '    chosen = [r for r in rows if eval(where, {}, {"r": r})]',
    "    out[name] = roc_auc_score([int(r['label']) for r in chosen], [float(r['score']) for r in chosen])",
    'print(json.dumps(out))',
  ].join('\n');
  const text = execFileSync('/usr/bin/python3', ['-c', script, file, JSON.stringify(filters)], {
    encoding: 'utf8',
  });
  return JSON.parse(text) as Record<string, number>;
}

describe('computeFromPredictions', () => {
  it('gives overall, slice and fairness metrics under flat keys, matching scikit-learn', async () => {
    const file = path.join(FIXTURES, 'candidate.csv');
    const computed = await computeFromPredictions('candidate.csv', spec, origin);
    expect(computed).toMatchObject({ task: 'binary', rows: 600 });
    const m = computed.set.metrics;
    const oracle = sklearnAucs(file, {
      all: 'True',
      eu: "r['region'] == 'eu'",
      euF: "r['region'] == 'eu' and r['gender'] == 'F'",
    });
    expect(m.roc_auc).toBeCloseTo(oracle.all!, 12);
    expect(m['roc_auc/region=eu']).toBeCloseTo(oracle.eu!, 12);
    expect(m['roc_auc/region=eu&gender=F']).toBeCloseTo(oracle.euF!, 12);
    // apac has 60 rows, below the minimum slice size of 61: listed, not evaluated.
    expect(m['roc_auc/region=apac']).toBeUndefined();
    expect(computed.skippedSlices).toContainEqual({ key: 'region=apac', rows: 60 });
    expect(typeof m['fairness/gender/demographic_parity_ratio']).toBe('number');
    const gender = computed.fairness[0]!;
    expect(gender.groups.map((g) => [g.group, g.rows, g.excluded !== null])).toEqual([
      ['F', 300, false],
      ['M', 280, false],
      ['X', 20, true],
    ]);
  });

  it('names the input, the file and the fix for a broken predictions file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gate-compute-'));
    writeFileSync(path.join(dir, 'bad.csv'), 'id,label,score,region,gender\nc1,1,high,eu,F\n');
    const error = (await computeFromPredictions('bad.csv', spec, { input: 'predictions', cwd: dir }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.describe()).toMatch(/^input 'predictions', file 'bad\.csv': .*score.*Fix: /);
    const missing = (await computeFromPredictions('none.csv', spec, { input: 'baseline', cwd: dir }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(missing.describe()).toMatch(/^input 'baseline', file 'none\.csv': .*no such file/);
  });

  it('refuses a predictions file when the spec names no columns', async () => {
    const bare = parseGateSpec({ checks: [{ name: 'a', metric: 'f1', min: 0 }] });
    await expect(computeFromPredictions('candidate.csv', bare, origin)).rejects.toThrow(
      /the spec does not say which columns hold what/,
    );
  });
});

describe('significanceOf', () => {
  const load = (name: string) => computeFromPredictions(name, spec, origin).then((c) => c.table);
  const [auc, acc, f1] = spec.checks;

  it('finds the strong candidate significantly better and the regressed one significantly worse', async () => {
    const [candidate, baseline, regressed] = await Promise.all([
      load('candidate.csv'),
      load('baseline.csv'),
      load('candidate-regressed.csv'),
    ]);
    const better = significanceOf(auc!, candidate, baseline, spec.predictions!);
    expect(better).toMatchObject({ test: 'delong', significant: true, better: true });
    expect(better.pValue).toBeLessThan(0.001);
    const worse = significanceOf(acc!, regressed, baseline, spec.predictions!);
    expect(worse).toMatchObject({ test: 'mcnemar', significant: true, better: false });
    const boot = significanceOf(f1!, regressed, baseline, spec.predictions!);
    expect(boot).toMatchObject({ test: 'bootstrap', significant: true, better: false, pValue: null });
    expect(boot.upper!).toBeLessThan(0);
  });

  it('finds a hair-thin difference not significant', async () => {
    const [close, baseline] = await Promise.all([load('candidate-close.csv'), load('baseline.csv')]);
    const result = significanceOf(acc!, close, baseline, spec.predictions!);
    expect(result).toMatchObject({ significant: false });
    expect(result.pValue).toBeGreaterThan(0.5);
  });

  it('explains instead of throwing when the rows cannot be paired, or there is no baseline table', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gate-sig-'));
    const lines = readFileSync(path.join(FIXTURES, 'baseline.csv'), 'utf8').trim().split('\n');
    writeFileSync(path.join(dir, 'short.csv'), `${lines.slice(0, 300).join('\n')}\n`);
    const [candidate, short] = await Promise.all([
      load('candidate.csv'),
      computeFromPredictions('short.csv', spec, { input: 'baseline', cwd: dir }).then((c) => c.table),
    ]);
    const result = significanceOf(auc!, candidate, short, spec.predictions!);
    expect(result.significant).toBeNull();
    expect(result.note).toMatch(/do not cover the same rows/);
    expect(significanceOf(auc!, candidate, undefined, spec.predictions!).note).toMatch(
      /needs the baseline as a predictions file/,
    );
  });
});

describe('computeDrift', () => {
  it('gives per-column statistics and the drift share', async () => {
    const drift = await computeDrift(
      { reference: 'reference.csv', current: 'current.csv', numeric: ['age'], categorical: ['plan'] },
      FIXTURES,
    );
    expect(drift.columns.map((c) => [c.column, c.type, c.drifted])).toEqual([
      ['age', 'numeric', true],
      ['plan', 'categorical', false],
    ]);
    expect(drift.metrics['drift/drift_share']).toBe(0.5);
    expect(drift.metrics['drift/age/psi']).toBeGreaterThan(0.1);
    await expect(
      computeDrift(
        { reference: 'reference.csv', current: 'current.csv', numeric: ['agee'], categorical: [] },
        FIXTURES,
      ),
    ).rejects.toThrow(/agee/);
  });
});
