import { describe, expect, it } from 'vitest';
import {
  compactInputs,
  computeFingerprint,
  parseRecordedInputs,
  partDigest,
  type RetrainInputs,
} from './fingerprint.ts';

const inputs: RetrainInputs = {
  datasets: { train: 'sha256:' + 'a'.repeat(64), eval: 'md5:' + 'b'.repeat(32) + '.dir' },
  code: [
    { path: 'src/train.py', blob: '1'.repeat(40) },
    { path: 'src/features.py', blob: '2'.repeat(40) },
  ],
  config: [{ path: 'conf/model.yaml', blob: '3'.repeat(40) }],
  params: { 'train.lr': 0.1, 'train.epochs': 10 },
};

describe('computeFingerprint', () => {
  it('is a sha256 digest', () => {
    expect(computeFingerprint('churn', inputs)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does not depend on the order of datasets, files or params', () => {
    const reordered: RetrainInputs = {
      datasets: { eval: inputs.datasets.eval as string, train: inputs.datasets.train as string },
      code: [...inputs.code].reverse(),
      config: inputs.config,
      params: { 'train.epochs': 10, 'train.lr': 0.1 },
    };
    expect(computeFingerprint('churn', reordered)).toBe(computeFingerprint('churn', inputs));
  });

  it('changes with the model name and with every input', () => {
    const base = computeFingerprint('churn', inputs);
    const variants = [
      computeFingerprint('churn-v2', inputs),
      computeFingerprint('churn', {
        ...inputs,
        datasets: { ...inputs.datasets, train: 'sha256:' + 'c'.repeat(64) },
      }),
      computeFingerprint('churn', { ...inputs, code: [{ path: 'src/train.py', blob: '9'.repeat(40) }] }),
      computeFingerprint('churn', { ...inputs, config: [] }),
      computeFingerprint('churn', { ...inputs, params: { ...inputs.params, 'train.lr': 0.2 } }),
      // Moving a file from code to config is a change too.
      computeFingerprint('churn', {
        ...inputs,
        code: inputs.code.slice(1),
        config: [...inputs.config, inputs.code[0]!],
      }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});

describe('compactInputs / parseRecordedInputs', () => {
  it('round-trips the inputs as [path, blob] pairs', () => {
    const text = compactInputs(inputs);
    expect(JSON.parse(text).code).toEqual([
      ['src/features.py', '2'.repeat(40)],
      ['src/train.py', '1'.repeat(40)],
    ]);
    const parsed = parseRecordedInputs(text);
    expect(parsed?.datasets).toEqual(inputs.datasets);
    expect(parsed?.params).toEqual(inputs.params);
    expect(partDigest('code', parsed?.code as RetrainInputs['code'])).toBe(partDigest('code', inputs.code));
  });

  it('replaces the largest parts by their digests to fit an MLflow tag', () => {
    const many: RetrainInputs = {
      ...inputs,
      code: Array.from({ length: 200 }, (_, i) => ({
        path: `src/module_${i}.py`,
        blob: i.toString(16).padStart(40, '0'),
      })),
    };
    const text = compactInputs(many, 5000);
    expect(text.length).toBeLessThanOrEqual(5000);
    const parsed = parseRecordedInputs(text);
    expect(parsed?.code).toBe(partDigest('code', many.code));
    expect(parsed?.params).toEqual(inputs.params); // small parts stay whole
  });

  it('reads the full inputs of a lock file', () => {
    expect(parseRecordedInputs(inputs)?.code).toEqual(inputs.code);
  });

  it('ignores values that are not records', () => {
    expect(parseRecordedInputs('not json')).toBeUndefined();
    expect(parseRecordedInputs('[1]')).toBeUndefined();
    expect(parseRecordedInputs('{"code": 5}')).toBeUndefined();
  });
});
