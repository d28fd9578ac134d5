import { afterAll, describe, expect, it } from 'vitest';
import { fairness, readPredictions, type ClassificationTable } from './index.ts';
import { scratch } from './testing.ts';

const files = scratch('metrics-fairness-');
afterAll(() => files.remove());

// Hand-computed table. Group A: y 1 1 1 0 0 0, ŷ 1 1 0 1 0 0 → selection 3/6, TPR 2/3, FPR 1/3.
// Group B: y 1 1 0 0, ŷ 1 0 0 0 → selection 1/4, TPR 1/2, FPR 0. Group C: y 0 0, ŷ 1 0 → selection
// 1/2, TPR undefined (no positives), FPR 1/2.
const rows: [string, number, number, number][] = [
  ['A', 1, 1, 2],
  ['A', 1, 1, 1],
  ['A', 1, 0, 1],
  ['A', 0, 1, 1],
  ['A', 0, 0, 1],
  ['A', 0, 0, 0],
  ['B', 1, 1, 1],
  ['B', 1, 0, 1],
  ['B', 0, 0, 1],
  ['B', 0, 0, 1],
  ['C', 0, 1, 1],
  ['C', 0, 0, 1],
];

async function table(weighted: boolean): Promise<ClassificationTable> {
  const path = files.csv(`fair-${weighted}.csv`, 'group,label,predicted,w', rows);
  return (await readPredictions(path, {
    label: 'label',
    predicted: 'predicted',
    groups: ['group'],
    ...(weighted ? { weight: 'w' } : {}),
  })) as ClassificationTable;
}

describe('fairness', () => {
  it('computes group rates, parity differences and ratios from the hand-computed table', async () => {
    const report = fairness(await table(false), { group: 'group' });
    const byGroup = Object.fromEntries(report.groups.map((g) => [g.group, g]));
    expect(byGroup.A).toMatchObject({
      rows: 6,
      selectionRate: 0.5,
      truePositiveRate: 2 / 3,
      falsePositiveRate: 1 / 3,
    });
    expect(byGroup.B).toMatchObject({
      rows: 4,
      selectionRate: 0.25,
      truePositiveRate: 0.5,
      falsePositiveRate: 0,
    });
    expect(byGroup.C).toMatchObject({
      rows: 2,
      selectionRate: 0.5,
      truePositiveRate: null,
      falsePositiveRate: 0.5,
    });
    expect(byGroup.C!.undefinedReasons.truePositiveRate).toContain('no positive samples');
    expect(report.metrics.demographic_parity_difference).toBe(0.25);
    expect(report.metrics.demographic_parity_ratio).toBe(0.5);
    expect(report.metrics.equal_opportunity_difference).toBeCloseTo(1 / 6, 15);
    expect(report.metrics.equal_opportunity_ratio).toBeCloseTo(0.75, 15);
    expect(report.metrics.false_positive_rate_difference).toBe(0.5);
    expect(report.metrics.false_positive_rate_ratio).toBe(0);
    expect(report.metrics.equalized_odds_difference).toBe(0.5);
    expect(report.metrics.equalized_odds_ratio).toBe(0);
    expect(report.fourFifths).toMatchObject({
      referenceGroup: 'A',
      failing: ['B'],
      passes: false,
      ratios: { A: 1, B: 0.5, C: 1 },
    });
  });

  it('leaves groups below the minimum size out of the comparisons', async () => {
    const report = fairness(await table(false), { group: 'group', minGroupSize: 3 });
    expect(report.groups.find((g) => g.group === 'C')!.excluded).toContain('below the minimum group size 3');
    expect(report.metrics.false_positive_rate_difference).toBeCloseTo(1 / 3, 15);
    expect(report.metrics.equalized_odds_difference).toBeCloseTo(1 / 3, 15);
    expect(report.fourFifths.ratios).toEqual({ A: 1, B: 0.5 });
  });

  it('weights every rate by sample weight', async () => {
    const report = fairness(await table(true), { group: 'group' });
    const a = report.groups.find((g) => g.group === 'A')!;
    // weights 2 1 1 1 1 0: selected 2+1+1 of 6; positives 2+1+1, true positives 2+1; negatives 1+1+0, FP 1.
    expect(a.selectionRate).toBeCloseTo(4 / 6, 15);
    expect(a.truePositiveRate).toBe(0.75);
    expect(a.falsePositiveRate).toBe(0.5);
  });

  it('reports the four-fifths rule as undefined when nobody is selected, and ratios as undefined at 0/0', async () => {
    const path = files.csv('none.csv', 'group,label,predicted', [
      ['A', 1, 0],
      ['B', 0, 0],
    ]);
    const report = fairness(
      (await readPredictions(path, {
        label: 'label',
        predicted: 'predicted',
        groups: ['group'],
      })) as ClassificationTable,
      {
        group: 'group',
      },
    );
    expect(report.fourFifths.passes).toBeNull();
    expect(report.metrics.demographic_parity_ratio).toBeNull();
    expect(report.undefinedReasons.demographic_parity_ratio).toContain('0/0');
    expect(report.metrics.demographic_parity_difference).toBe(0);
  });
});
