import { afterAll, describe, expect, it } from 'vitest';
import {
  MetricsOptionsError,
  classificationMetrics,
  drift,
  readFeatures,
  readPredictions,
  regressionMetrics,
  sliceMetrics,
  type ClassificationReport,
  type ClassificationTable,
  type RegressionTable,
} from './index.ts';
import { createRandom } from './random.ts';
import { scratch } from './testing.ts';

const files = scratch('metrics-unit-');
afterAll(() => files.remove());

async function binary(
  name: string,
  rows: (string | number)[][],
  extra: Record<string, unknown> = {},
): Promise<ClassificationTable> {
  return (await readPredictions(files.csv(name, 'label,score,region,device', rows), {
    label: 'label',
    score: 'score',
    groups: ['region', 'device'],
    ...extra,
  })) as ClassificationTable;
}

describe('undefined metrics are reported, never thrown and never 0', () => {
  it('one class: ROC AUC and average precision are null with a reason', async () => {
    const report = classificationMetrics(
      await binary('one.csv', [
        [0, 0.2, 'eu', 'ios'],
        [0, 0.7, 'eu', 'web'],
      ]),
    );
    expect(report.metrics.roc_auc).toBeNull();
    expect(report.undefinedReasons.roc_auc).toContain('only one class present');
    expect(report.metrics.average_precision).toBeNull();
    expect(report.metrics.accuracy).toBe(0.5);
    expect(report.metrics.log_loss).toBeGreaterThan(0);
    expect(report.metrics.recall).toBe(0);
    expect(report.notes.recall).toContain('zero_division: no true samples for "1"');
  });

  it('scores outside [0, 1]: Brier and ECE are null, AUC still defined', async () => {
    const report = classificationMetrics(
      await binary('margin.csv', [
        [1, 2.5, 'eu', 'ios'],
        [0, -1, 'eu', 'web'],
      ]),
    );
    expect(report.metrics.roc_auc).toBe(1);
    expect(report.metrics.brier).toBeNull();
    expect(report.undefinedReasons.ece).toContain('outside [0, 1]');
  });

  it('an empty file gives null metrics with reasons', async () => {
    const report = classificationMetrics(await binary('empty.csv', []));
    expect(report.rows).toBe(0);
    expect(report.metrics.accuracy).toBeNull();
    expect(report.undefinedReasons.accuracy).toBe('no rows');
    const regression = regressionMetrics(
      (await readPredictions(files.csv('r-empty.csv', 'y,yhat', []), {
        label: 'y',
        prediction: 'yhat',
      })) as RegressionTable,
    );
    expect(regression.metrics.r2).toBeNull();
  });

  it('R² follows force_finite and needs two rows', async () => {
    const read = async (name: string, rows: number[][]) =>
      regressionMetrics(
        (await readPredictions(files.csv(name, 'y,yhat', rows), {
          label: 'y',
          prediction: 'yhat',
        })) as RegressionTable,
      );
    expect((await read('r1.csv', [[2, 2]])).metrics.r2).toBeNull();
    expect(
      (
        await read('r2.csv', [
          [0.1, 0.1],
          [0.1, 0.1],
          [0.1, 0.1],
        ])
      ).metrics.r2,
    ).toBe(1);
    expect(
      (
        await read('r3.csv', [
          [0.1, 0.1],
          [0.1, 0.2],
          [0.1, 0.1],
        ])
      ).metrics.r2,
    ).toBe(0);
    const zero = await read('r4.csv', [
      [0, 0.5],
      [1, 1],
    ]);
    expect(zero.metrics.mape).toBeCloseTo(0.5 / 2.220446049250313e-16 / 2, 0);
    expect(zero.notes.mape).toContain('eps');
  });

  it('multiclass with predicted classes only: AUC and log loss are null', async () => {
    const path = files.csv('mc.csv', 'label,predicted', [
      ['a', 'a'],
      ['b', 'c'],
      ['c', 'c'],
    ]);
    const report = classificationMetrics(
      (await readPredictions(path, { label: 'label', predicted: 'predicted' })) as ClassificationTable,
    );
    expect(report.task).toBe('multiclass');
    expect(report.metrics.accuracy).toBeCloseTo(2 / 3, 15);
    expect(report.metrics.roc_auc_ovr).toBeNull();
    expect(report.metrics.log_loss).toBeNull();
  });

  it('a table read for the other task is refused with the fix', async () => {
    const regression = await readPredictions(files.csv('task.csv', 'y,yhat', [[1, 2]]), {
      label: 'y',
      prediction: 'yhat',
    });
    expect(() => classificationMetrics(regression)).toThrowError(/read as regression predictions/);
    const classifier = await readPredictions(files.csv('task2.csv', 'y,p', [[1, 0.2]]), {
      label: 'y',
      score: 'p',
    });
    expect(() => regressionMetrics(classifier)).toThrowError(MetricsOptionsError);
  });

  it('every report is plain JSON', async () => {
    const report = classificationMetrics(
      await binary('json.csv', [
        [1, 0.9, 'eu', 'ios'],
        [0, 0.1, 'us', 'web'],
        [1, 0.4, 'us', 'ios'],
      ]),
    );
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('string labels need an explicit positive label only when it is ambiguous', async () => {
    const two = (await readPredictions(
      files.csv('s2.csv', 'label,score', [
        ['spam', 0.9],
        ['ham', 0.2],
      ]),
      { label: 'label', score: 'score' },
    )) as ClassificationTable;
    expect(classificationMetrics(two).positiveLabel).toBe('spam');
    expect(classificationMetrics(two, { positiveLabel: 'ham' }).metrics.roc_auc).toBe(0);
    const one = (await readPredictions(files.csv('s1.csv', 'label,score', [['spam', 0.9]]), {
      label: 'label',
      score: 'score',
    })) as ClassificationTable;
    expect(() => classificationMetrics(one)).toThrowError(MetricsOptionsError);
  });
});

describe('slices', () => {
  it('evaluates every slice and crossed slice, skipping small ones, equal to the filtered file', async () => {
    const random = createRandom(3);
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 400; i++) {
      const y = random.next() < 0.4 ? 1 : 0;
      rows.push([
        y,
        Math.round((random.next() * 0.6 + 0.4 * y) * 100) / 100,
        random.next() < 0.7 ? 'eu' : 'us',
        i % 50 === 0 ? 'tv' : i % 2 ? 'ios' : 'web',
      ]);
    }
    const table = await binary('slices.csv', rows);
    const report = sliceMetrics(table, {
      by: ['region', 'device'],
      crossed: [['region', 'device']],
      minSize: 10,
    });
    expect(report.slices.map((s) => s.key)).toEqual(
      [
        'region=eu',
        'region=us',
        'device=ios',
        'device=tv',
        'device=web',
        'region=eu&device=ios',
        'region=eu&device=tv',
        'region=eu&device=web',
        'region=us&device=ios',
        'region=us&device=tv',
        'region=us&device=web',
      ].filter((key) => report.slices.some((s) => s.key === key)),
    );
    const tv = report.slices.find((s) => s.key === 'device=tv')!;
    expect(tv.rows).toBe(8);
    expect(tv.report).toBeNull();
    expect(tv.skipped).toContain('below the minimum slice size 10');
    const eu = report.slices.find((s) => s.key === 'region=eu')!;
    const filtered = await binary(
      'eu.csv',
      rows.filter((row) => row[2] === 'eu'),
    );
    expect((eu.report as ClassificationReport).metrics).toEqual(classificationMetrics(filtered).metrics);
    expect(eu.rows + report.slices.find((s) => s.key === 'region=us')!.rows).toBe(400);
  });
});

describe('drift', () => {
  async function features(name: string, values: (number | string)[]) {
    return readFeatures(
      files.csv(
        name,
        'x',
        values.map((v) => [v]),
      ),
      typeof values[0] === 'number' ? { numeric: ['x'] } : { categorical: ['x'] },
    );
  }

  it('picks KS for small numeric references and Wasserstein for large ones', async () => {
    const random = createRandom(11);
    const sample = (n: number, shift: number) => Array.from({ length: n }, () => random.next() + shift);
    const small = drift(await features('a.csv', sample(300, 0)), await features('b.csv', sample(300, 0.5)));
    expect(small.columns[0]).toMatchObject({ test: 'ks', threshold: 0.05, drifted: true });
    const same = drift(await features('c.csv', sample(300, 0)), await features('d.csv', sample(300, 0)));
    expect(same.columns[0]!.drifted).toBe(false);
    const large = drift(
      await features('e.csv', sample(3000, 0)),
      await features('f.csv', sample(3000, 0.01)),
    );
    expect(large.columns[0]).toMatchObject({ test: 'wasserstein_normed', threshold: 0.1, drifted: false });
  });

  it('picks χ² for small categorical references and Jensen–Shannon for large ones, with overrides', async () => {
    const colours = (n: number, redShare: number) =>
      Array.from({ length: n }, (_, i) => (i < n * redShare ? 'red' : i % 2 ? 'blue' : 'green'));
    const small = drift(
      await features('g.csv', colours(200, 0.3)),
      await features('h.csv', colours(200, 0.7)),
    );
    expect(small.columns[0]).toMatchObject({ type: 'categorical', test: 'chi_square', drifted: true });
    const large = drift(
      await features('i.csv', colours(3000, 0.3)),
      await features('j.csv', colours(3000, 0.32)),
    );
    expect(large.columns[0]).toMatchObject({ test: 'jensen_shannon', drifted: false });
    const psi = drift(
      await features('k.csv', colours(3000, 0.3)),
      await features('l.csv', colours(3000, 0.6)),
      { tests: { x: { test: 'psi', threshold: 0.2 } } },
    );
    expect(psi.columns[0]).toMatchObject({ test: 'psi', threshold: 0.2, drifted: true });
    expect(psi.driftedColumns).toEqual(['x']);
  });
});
