import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { parseGateSpec, parseSliceSelector, readGateSpec } from './spec.ts';

const predictions = { label: 'y', score: 'p' };

function problemOf(value: unknown): string {
  try {
    parseGateSpec(value, { file: 'gate.yml' });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).describe();
  }
  throw new Error('expected the spec to be refused');
}

describe('parseGateSpec: a valid spec', () => {
  it('normalises checks, defaults and bounds', () => {
    const spec = parseGateSpec({
      gate: 'churn',
      predictions: { label: 'y', score: 'p', 'positive-label': 1 },
      slices: { 'min-size': 50 },
      significance: { alpha: 0.01 },
      checks: [
        { name: 'auc', metric: 'roc_auc', min: 0.8, 'max-regression': 0.01 },
        { name: 'loss', metric: 'log_loss', 'max-regression': '2%' },
        { name: 'both', metric: 'f1', 'max-regression': { absolute: 0.01, relative: 0.5 } },
        { name: 'gain', metric: 'accuracy', 'min-improvement': 0.001, significance: { test: 'mcnemar' } },
        { name: 'eu', metric: 'roc_auc', slice: 'region=eu', min: 0.7, severity: 'warn' },
        { name: 'regions', metric: 'roc_auc', slice: 'region&device', min: 0.6 },
        { name: 'parity', fairness: 'demographic-parity-ratio', group: 'gender', min: 0.8 },
        { name: 'custom', metric: 'latency_ms', max: 20 },
      ],
    });
    expect(spec.gate).toBe('churn');
    expect(spec.sliceMinSize).toBe(50);
    expect(spec.chart).toEqual(['roc_auc']);
    expect(spec.predictions).toEqual({ label: 'y', score: 'p', positiveLabel: 1 });
    const [auc, loss, both, gain, eu, regions, parity, custom] = spec.checks;
    expect(auc).toMatchObject({
      kind: 'metric',
      metric: 'roc_auc',
      min: 0.8,
      direction: 'higher',
      severity: 'fail',
    });
    expect(auc?.change).toEqual({ kind: 'max-regression', absolute: 0.01 });
    expect(loss).toMatchObject({ direction: 'lower', change: { kind: 'max-regression', relative: 0.02 } });
    expect(both?.change).toEqual({ kind: 'max-regression', absolute: 0.01, relative: 0.5 });
    expect(gain?.significance).toEqual({
      test: 'mcnemar',
      alpha: 0.01,
      mode: 'regression',
      resamples: 1000,
      seed: 0,
    });
    expect(eu).toMatchObject({ slice: { kind: 'one', slice: { region: 'eu' } }, severity: 'warn' });
    expect(regions?.slice).toEqual({ kind: 'every', columns: ['region', 'device'] });
    expect(parity).toMatchObject({
      kind: 'fairness',
      metric: 'demographic_parity_ratio',
      group: 'gender',
      minGroupSize: 30,
      direction: 'higher',
    });
    // A value bound needs no direction, even for a metric the gate does not know.
    expect(custom).toMatchObject({ metric: 'latency_ms', max: 20, direction: 'lower' });
  });

  it('reads YAML files and names the file in errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spec-'));
    const good = path.join(dir, 'good.yml');
    writeFileSync(good, 'checks:\n  - name: auc\n    metric: roc_auc\n    min: 0.8\n');
    expect((await readGateSpec(good)).gate).toBe('model-gate');
    const bad = path.join(dir, 'bad.yml');
    writeFileSync(bad, 'checks:\n  - name: auc\n    metric: roc_auc\n    mni: 0.8\n');
    await expect(readGateSpec(bad)).rejects.toThrow(/unknown key 'mni'\. Did you mean 'min'\?/);
    const broken = path.join(dir, 'broken.yml');
    writeFileSync(broken, 'checks:\n  - name: auc\n   metric: [\n');
    const error = (await readGateSpec(broken).catch((e: unknown) => e)) as UserError;
    expect(error.describe()).toMatch(
      /^input 'spec', file '.*broken\.yml': Cannot parse gate spec as YAML\/JSON at line \d/,
    );
    await expect(readGateSpec(path.join(dir, 'missing.yml'))).rejects.toThrow(/does not exist/);
  });

  it('parses slice selectors', () => {
    expect(parseSliceSelector('region=eu&device=ios')).toEqual({
      kind: 'one',
      slice: { region: 'eu', device: 'ios' },
    });
    expect(parseSliceSelector('region')).toEqual({ kind: 'every', columns: ['region'] });
    expect(parseSliceSelector('region=eu&device')).toMatch(/mixes/);
    expect(parseSliceSelector('region=')).toMatch(/non-empty/);
    expect(parseSliceSelector('a&&b')).toMatch(/empty part/);
  });
});

/** Bad specs: each refused with the JSON pointer, what is wrong and how to fix it. */
const BAD_SPECS: [string, unknown, RegExp][] = [
  ['an empty file', null, /The gate spec is empty\..*Fix: Write at least one check/],
  ['no checks key', { gate: 'g' }, /has no checks, so the gate could not refuse anything/],
  ['an empty check list', { checks: [] }, /has no checks/],
  ['a list instead of a mapping', [{ name: 'a' }], /at \/: expected object, got array/],
  [
    'an unknown top-level key',
    { chekcs: [], checks: [{ name: 'a', metric: 'f1', min: 0 }] },
    /at \/: unknown key 'chekcs'\. Did you mean 'checks'\?/,
  ],
  [
    'an unknown check key',
    { checks: [{ name: 'a', metric: 'f1', minimum: 0.5 }] },
    /at \/checks\/0: unknown key 'minimum'\. Did you mean 'min'\?/,
  ],
  [
    'a misspelt change bound',
    { checks: [{ name: 'a', metric: 'f1', 'max-regresion': 0.1 }] },
    /at \/checks\/0: unknown key 'max-regresion'\. Did you mean 'max-regression'\?/,
  ],
  [
    'a string threshold',
    { checks: [{ name: 'a', metric: 'f1', min: 'high' }] },
    /at \/checks\/0\/min: expected number, got string "high"/,
  ],
  [
    'a check without a name',
    { checks: [{ metric: 'f1', min: 0.5 }] },
    /at \/checks\/0: missing required key 'name'/,
  ],
  [
    'a check without a subject',
    { checks: [{ name: 'a', min: 0.5 }] },
    /at \/checks\/0: check 'a' names nothing to check/,
  ],
  [
    'two subjects in one check',
    { checks: [{ name: 'a', metric: 'f1', drift: 'psi', min: 0.5 }] },
    /has `metric` and `drift`: a check has exactly one of them/,
  ],
  [
    'a check without a bound',
    { checks: [{ name: 'a', metric: 'f1' }] },
    /check 'a' has no bound, so it could never fail/,
  ],
  [
    'min above max',
    { checks: [{ name: 'a', metric: 'f1', min: 0.9, max: 0.1 }] },
    /at \/checks\/0\/min: min 0.9 is greater than max 0.1/,
  ],
  [
    'a negative regression allowance',
    { checks: [{ name: 'a', metric: 'f1', 'max-regression': -0.1 }] },
    /at \/checks\/0\/max-regression: expected an absolute amount.*got number -0\.1/,
  ],
  [
    'a malformed percentage',
    { checks: [{ name: 'a', metric: 'f1', 'max-regression': 'two percent' }] },
    /at \/checks\/0\/max-regression: expected an absolute amount \(a number ≥ 0, e\.g\. 0\.01\), a relative one .*got string "two percent"/,
  ],
  [
    'both change bounds',
    { checks: [{ name: 'a', metric: 'f1', 'max-regression': 0.1, 'min-improvement': 0.1 }] },
    /contradict each other/,
  ],
  [
    'an unknown direction for a change bound',
    { checks: [{ name: 'a', metric: 'mystery', 'max-regression': 0.1 }] },
    /cannot tell whether a higher 'mystery' is better.*add `direction: higher` or `direction: lower`/,
  ],
  [
    'a wrong direction word',
    { checks: [{ name: 'a', metric: 'f1', min: 0, direction: 'up' }] },
    /at \/checks\/0\/direction: expected one of "higher", "lower", got string "up"/,
  ],
  [
    'an unknown severity',
    { checks: [{ name: 'a', metric: 'f1', min: 0, severity: 'error' }] },
    /at \/checks\/0\/severity: expected one of "fail", "warn", got string "error"/,
  ],
  [
    'duplicate check names',
    {
      checks: [
        { name: 'a', metric: 'f1', min: 0 },
        { name: 'a', metric: 'f1', max: 1 },
      ],
    },
    /at \/checks\/1\/name: check name 'a' is already used at \/checks\/0/,
  ],
  [
    'an unknown fairness metric',
    { checks: [{ name: 'a', fairness: 'parity', group: 'g', min: 0.8 }] },
    /at \/checks\/0\/fairness: expected one of "demographic-parity-difference"/,
  ],
  [
    'a fairness check without a group',
    { checks: [{ name: 'a', fairness: 'demographic-parity-ratio', min: 0.8 }] },
    /fairness check 'a' needs `group`/,
  ],
  [
    'a group on a metric check',
    { checks: [{ name: 'a', metric: 'f1', group: 'g', min: 0.8 }] },
    /at \/checks\/0\/group: `group` only applies to `fairness` checks/,
  ],
  [
    'a min group size of zero',
    {
      checks: [
        { name: 'a', fairness: 'demographic-parity-ratio', group: 'g', min: 0.8, 'min-group-size': 0 },
      ],
    },
    /at \/checks\/0\/min-group-size: must be >= 1/,
  ],
  [
    'two group sizes for one column',
    {
      checks: [
        { name: 'a', fairness: 'demographic-parity-ratio', group: 'g', min: 0.8, 'min-group-size': 10 },
        { name: 'b', fairness: 'equalized-odds-difference', group: 'g', max: 0.1, 'min-group-size': 20 },
      ],
    },
    /group 'g' already has min-group-size 10 at \/checks\/0/,
  ],
  [
    'a malformed slice',
    { checks: [{ name: 'a', metric: 'f1', slice: 'region=eu&device', min: 0.5 }] },
    /at \/checks\/0\/slice: invalid slice: .* mixes column=value and bare columns/,
  ],
  [
    'McNemar on AUC',
    { checks: [{ name: 'a', metric: 'roc_auc', 'max-regression': 0.01, significance: { test: 'mcnemar' } }] },
    /at \/checks\/0\/significance\/test: McNemar's test compares error rates/,
  ],
  [
    'DeLong on F1',
    { checks: [{ name: 'a', metric: 'f1', 'max-regression': 0.01, significance: { test: 'delong' } }] },
    /DeLong's test compares ROC AUCs/,
  ],
  [
    'a bootstrap of a metric it cannot resample',
    { checks: [{ name: 'a', metric: 'ece', 'max-regression': 0.01, significance: { test: 'bootstrap' } }] },
    /the bootstrap cannot resample 'ece'/,
  ],
  [
    'an alpha of 1',
    {
      checks: [
        { name: 'a', metric: 'roc_auc', 'max-regression': 0.01, significance: { test: 'delong', alpha: 1 } },
      ],
    },
    /at \/checks\/0\/significance\/alpha: must be < 1/,
  ],
  [
    'significance on a slice',
    {
      checks: [
        {
          name: 'a',
          metric: 'roc_auc',
          slice: 'region=eu',
          'max-regression': 0.01,
          significance: { test: 'delong' },
        },
      ],
    },
    /significance is computed on the whole test set/,
  ],
  [
    'a drift check without feature files',
    { checks: [{ name: 'a', drift: 'psi', max: 0.2 }] },
    /drift checks need the feature files/,
  ],
  [
    'a drift column that is not configured',
    {
      drift: { reference: 'r.csv', current: 'c.csv', numeric: ['age'] },
      checks: [{ name: 'a', drift: 'psi', columns: ['aeg'], max: 0.2 }],
    },
    /at \/checks\/0\/columns\/0: column 'aeg' is not listed.*Did you mean 'age'\?/,
  ],
  [
    'an unknown drift statistic',
    {
      drift: { reference: 'r.csv', current: 'c.csv', numeric: ['age'] },
      checks: [{ name: 'a', drift: 'kl', max: 0.2 }],
    },
    /at \/checks\/0\/drift: expected one of "psi"/,
  ],
  [
    'regression and classification columns together',
    {
      predictions: { label: 'y', score: 'p', prediction: 'yhat' },
      checks: [{ name: 'a', metric: 'f1', min: 0 }],
    },
    /at \/predictions: `prediction` \(regression\) cannot be combined with `score`/,
  ],
  [
    'predictions without a prediction column',
    { predictions: { label: 'y' }, checks: [{ name: 'a', metric: 'f1', min: 0 }] },
    /at \/predictions: name the prediction column/,
  ],
  [
    'predictions without a label',
    { predictions: { score: 'p' }, checks: [{ name: 'a', metric: 'f1', min: 0 }] },
    /at \/predictions: missing required key 'label'/,
  ],
  [
    'a bad gate name',
    { gate: 'my gate!', predictions, checks: [{ name: 'a', metric: 'f1', min: 0 }] },
    /at \/gate: must match pattern/,
  ],
  [
    'a fairness metric written as a metric key',
    { checks: [{ name: 'a', metric: 'fairness/g/demographic_parity_ratio', min: 0.8 }] },
    /write fairness bounds as `fairness: <metric>`/,
  ],
];

describe('parseGateSpec: bad specs', () => {
  it(`has at least 20 cases (${BAD_SPECS.length})`, () => {
    expect(BAD_SPECS.length).toBeGreaterThanOrEqual(20);
  });
  it.each(BAD_SPECS)('refuses %s', (_what, value, expected) => {
    const message = problemOf(value);
    expect(message).toMatch(expected);
    // Every refusal names the input and the file and ends with a fix; none is a stack trace.
    expect(message).toMatch(/^input 'spec', file 'gate\.yml': /);
    expect(message).toMatch(/Fix: /);
    expect(message).not.toMatch(/\n\s+at /);
  });
  it('lists several problems at once', () => {
    const message = problemOf({
      checks: [
        { name: 'a', metric: 'f1' },
        { name: 'b', metric: 'f1', mni: 1 },
      ],
    });
    expect(message).toMatch(/at \/checks\/1: unknown key 'mni'/);
    const semantic = problemOf({
      checks: [
        { name: 'a', metric: 'f1' },
        { name: 'a', min: 1 },
      ],
    });
    expect(semantic).toMatch(/check 'a' has no bound.*at \/checks\/1: check 'a' names nothing.*already used/);
  });
});
