import { afterAll, describe, expect, it } from 'vitest';
import {
  JoinError,
  delong,
  mcnemar,
  pairedBootstrap,
  percentileLinear,
  readPredictions,
  type ClassificationTable,
} from './index.ts';
import { createRandom } from './random.ts';
import { scratch } from './testing.ts';

const files = scratch('metrics-significance-');
afterAll(() => files.remove());

async function classifier(
  name: string,
  rows: (string | number)[][],
  header = 'id,label,score',
): Promise<ClassificationTable> {
  return (await readPredictions(files.csv(name, header, rows), {
    label: 'label',
    score: 'score',
    id: 'id',
  })) as ClassificationTable;
}

describe('McNemar', () => {
  it('gives p = 3.106e-11 for b = 502, c = 736 on real tables joined by id', async () => {
    const candidate: (string | number)[][] = [];
    const baseline: (string | number)[][] = [];
    let id = 0;
    const add = (count: number, candidateRight: boolean, baselineRight: boolean) => {
      for (let i = 0; i < count; i++, id++) {
        candidate.push([`x${id}`, 1, candidateRight ? 0.9 : 0.1]);
        baseline.push([`x${id}`, 1, baselineRight ? 0.9 : 0.1]);
      }
    };
    add(502, true, false);
    add(736, false, true);
    add(300, true, true);
    add(40, false, false);
    const a = await classifier('mc-a.csv', candidate);
    const b = await classifier('mc-b.csv', baseline.reverse());
    const result = mcnemar(a, b);
    expect(result).toMatchObject({ b: 502, c: 736, rows: 1578 });
    expect(result.exactP.toPrecision(4)).toBe('3.106e-11');
    expect(result.chiSquare).toBeCloseTo((233 * 233) / 1238, 12);
    expect(result.candidateAccuracy).toBeCloseTo(802 / 1578, 15);
  });

  it('refuses to pair tables that do not cover the same rows or disagree on labels', async () => {
    const a = await classifier('j-a.csv', [
      ['a', 1, 0.5],
      ['b', 0, 0.5],
    ]);
    const missing = await classifier('j-b.csv', [
      ['a', 1, 0.5],
      ['c', 0, 0.5],
    ]);
    expect(() => mcnemar(a, missing)).toThrowError(JoinError);
    expect(() => mcnemar(a, missing)).toThrowError(
      /1 candidate id\(s\) missing from the baseline \(e.g. "b"\)/,
    );
    const relabelled = await classifier('j-c.csv', [
      ['a', 0, 0.5],
      ['b', 0, 0.5],
    ]);
    expect(() => mcnemar(a, relabelled)).toThrowError(/disagree on the true label at row 1/);
    const shorter = await classifier('j-d.csv', [['a', 1, 0.5]]);
    expect(() => mcnemar(a, shorter, { joinBy: 'row' })).toThrowError(/differ in length/);
  });
});

describe('paired bootstrap', () => {
  async function pair() {
    const random = createRandom(5);
    const a: (string | number)[][] = [];
    const b: (string | number)[][] = [];
    for (let i = 0; i < 300; i++) {
      const y = random.next() < 0.5 ? 1 : 0;
      a.push([`r${i}`, y, Math.min(1, random.next() * 0.7 + 0.3 * y)]);
      b.push([`r${i}`, y, Math.min(1, random.next() * 0.9 + 0.1 * y)]);
    }
    return [await classifier('boot-a.csv', a), await classifier('boot-b.csv', b)] as const;
  }

  it('is reproducible from its seed and brackets the observed difference', async () => {
    const [a, b] = await pair();
    const first = pairedBootstrap(a, b, { metric: 'roc_auc', resamples: 400, seed: 7 });
    const again = pairedBootstrap(a, b, { metric: 'roc_auc', resamples: 400, seed: 7 });
    const other = pairedBootstrap(a, b, { metric: 'roc_auc', resamples: 400, seed: 8 });
    expect(again).toEqual(first);
    expect(other.lower).not.toBe(first.lower);
    expect(first.lower!).toBeLessThan(first.difference!);
    expect(first.upper!).toBeGreaterThan(first.difference!);
    expect(first.difference!).toBeGreaterThan(0);
    expect(first.nonInferior).toBe(true);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('judges lower-is-better metrics by the upper bound', async () => {
    const [a, b] = await pair();
    const result = pairedBootstrap(a, b, { metric: 'log_loss', resamples: 300, seed: 1, margin: 0 });
    expect(result.greaterIsBetter).toBe(false);
    expect(result.nonInferior).toBe(result.upper! < 0);
    expect(() => pairedBootstrap(a, b, { metric: 'bogus' })).toThrowError(/Unknown metric "bogus"/);
  });

  it('interpolates percentiles like numpy', () => {
    const sorted = Float64Array.from([1, 2, 4, 8]);
    expect(percentileLinear(sorted, 50)).toBe(3);
    expect(percentileLinear(sorted, 2.5)).toBeCloseTo(1.075, 15);
    expect(percentileLinear(sorted, 100)).toBe(8);
  });
});

describe('DeLong', () => {
  it('reports identical models as undefined instead of dividing by zero', async () => {
    const rows = [
      ['a', 1, 0.9],
      ['b', 0, 0.2],
      ['c', 1, 0.4],
      ['d', 0, 0.5],
    ];
    const a = await classifier('d-a.csv', rows);
    const result = delong(a, a);
    expect(result.difference).toBe(0);
    expect(result.pValue).toBeNull();
    expect(result.reason).toContain('variance of the difference is 0');
  });

  it('reports one-class data as undefined, not thrown', async () => {
    const a = await classifier('d-one.csv', [
      ['a', 1, 0.9],
      ['b', 1, 0.2],
    ]);
    expect(delong(a, a)).toMatchObject({
      candidateAuc: null,
      reason: 'only one class present: ROC AUC is undefined',
    });
  });
});
