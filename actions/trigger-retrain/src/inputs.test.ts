import { describe, expect, it } from 'vitest';
import { UserError } from '@modelops/core';
import { defaultRef, ignoredSettings, parseDatasetHashes, readInputs } from './inputs.ts';

const H = 'sha256:' + 'a'.repeat(64);

function env(inputs: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {
    GITHUB_REPOSITORY: 'acme/ml',
    GITHUB_REF: 'refs/heads/main',
    ...extra,
  };
  for (const [k, v] of Object.entries(inputs)) out[`INPUT_${k.toUpperCase()}`] = v;
  return out;
}

function failure(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('readInputs', () => {
  it('reads a full github-workflow setup', () => {
    const inputs = readInputs(
      env({
        model: 'churn',
        'dataset-hash': `train=${H}\neval=${H}`,
        'code-paths': 'src/**\n!src/vendor/**',
        'params-file': 'params.yaml',
        'params-keys': 'train, model.depth',
        'max-age': '30d',
        dispatch: 'github-workflow',
        workflow: '.github/workflows/train.yml',
        'github-token': 'ghs_x',
        inputs: '{"epochs": "20"}',
        wait: 'true',
        timeout: '90m',
      }),
    );
    expect(inputs).toMatchObject({
      model: 'churn',
      datasets: { train: H, eval: H },
      codePaths: ['src/**', '!src/vendor/**'],
      paramsKeys: ['train', 'model.depth'],
      maxAgeMs: 30 * 86_400_000,
      baseline: { kind: 'mlflow' },
      dispatch: {
        engine: 'github-workflow',
        repository: 'acme/ml',
        workflow: 'train.yml',
        ref: 'main',
        token: 'ghs_x',
      },
      extraInputs: { epochs: '20' },
      wait: true,
      timeoutMs: 90 * 60_000,
      updateLock: 'auto',
      upload: true,
    });
  });

  it('refuses an unknown dispatcher, listing the choices', () => {
    expect(failure(() => readInputs(env({ model: 'm', dispatch: 'airflow' }))).describe()).toBe(
      "Input 'dispatch' must be one of none, github-workflow, repository-dispatch, kubeflow, argo; got 'airflow'. Fix: Set `dispatch:` to one of: none, github-workflow, repository-dispatch, kubeflow, argo.",
    );
  });

  it.each([
    [{ dispatch: 'github-workflow', 'github-token': 't' }, 'workflow'],
    [{ dispatch: 'repository-dispatch', 'github-token': 't' }, 'event-type'],
    [{ dispatch: 'kubeflow', 'kfp-pipeline-id': 'p' }, 'kfp-url'],
    [{ dispatch: 'kubeflow', 'kfp-url': 'http://kfp' }, 'kfp-pipeline-id'],
    [{ dispatch: 'argo', 'argo-url': 'http://argo' }, 'argo-template'],
    [{ dispatch: 'github-workflow', workflow: 'train.yml' }, 'github-token'],
  ])('names the missing setting of the chosen engine (%o)', (settings, input) => {
    expect(failure(() => readInputs(env({ model: 'm', ...settings }))).input).toBe(input);
  });

  it('refuses bad values with the input named', () => {
    expect(failure(() => readInputs(env({ model: 'churn model' }))).input).toBe('model');
    expect(
      failure(() =>
        readInputs(env({ model: 'm', dispatch: 'kubeflow', 'kfp-url': 'kfp:8888', 'kfp-pipeline-id': 'p' })),
      ).input,
    ).toBe('kfp-url');
    expect(failure(() => readInputs(env({ model: 'm', inputs: '[1, 2]' }))).input).toBe('inputs');
    expect(failure(() => readInputs(env({ model: 'm', inputs: '{"fingerprint": "x"}' }))).describe()).toMatch(
      /sets 'fingerprint', which the action sets itself/,
    );
    expect(failure(() => readInputs(env({ model: 'm', inputs: '{"a": ' }))).input).toBe('inputs');
    expect(failure(() => readInputs(env({ model: 'm', baseline: 'git' }))).input).toBe('baseline');
    expect(failure(() => readInputs(env({ model: 'm', 'max-age': 'a month' }))).input).toBe('max-age');
    expect(failure(() => readInputs(env({ model: 'm', 'params-keys': 'train' }))).input).toBe('params-keys');
    expect(failure(() => readInputs(env({ model: 'm', 'update-lock': 'true' }))).input).toBe('update-lock');
    expect(
      failure(() =>
        readInputs(
          env({
            model: 'm',
            baseline: 'lock',
            'update-lock': 'true',
            dispatch: 'argo',
            'argo-url': 'http://a',
            'argo-template': 't',
          }),
        ),
      ).input,
    ).toBe('update-lock');
    expect(
      failure(() =>
        readInputs(
          env({
            model: 'm',
            dispatch: 'argo',
            'argo-url': 'http://a',
            'argo-template': 't',
            'argo-namespace': 'ML',
          }),
        ),
      ).input,
    ).toBe('argo-namespace');
  });

  it('resolves the lock baseline forms', () => {
    expect(readInputs(env({ model: 'churn', baseline: 'lock' })).baseline).toEqual({
      kind: 'lock',
      path: '.modelops/churn.lock.json',
    });
    expect(readInputs(env({ model: 'churn', baseline: 'ml/churn.lock.json' })).baseline).toEqual({
      kind: 'lock',
      path: 'ml/churn.lock.json',
    });
    expect(
      readInputs(env({ model: 'churn' }, { MLFLOW_TRACKING_URI: 'http://mlflow:5000' })).baseline,
    ).toEqual({
      kind: 'mlflow',
      trackingUri: 'http://mlflow:5000',
    });
  });

  it('lists settings of other engines as ignored, but not defaults', () => {
    expect(ignoredSettings(env({ dispatch: 'none', 'argo-namespace': 'argo' }))).toEqual([]);
    expect(ignoredSettings(env({ dispatch: 'none', 'argo-namespace': 'ml' }))).toEqual(['argo-namespace']);
    expect(
      ignoredSettings(
        env({ dispatch: 'argo', 'kfp-url': 'http://kfp', workflow: 'x.yml', 'argo-url': 'http://a' }),
      ),
    ).toEqual(['workflow', 'kfp-url']);
  });
});

describe('parseDatasetHashes', () => {
  it('takes one bare hash or named lines', () => {
    expect(parseDatasetHashes([H])).toEqual({ dataset: H });
    expect(parseDatasetHashes([`train=${H}`, 'eval=md5:' + 'b'.repeat(32) + '.dir'])).toEqual({
      train: H,
      eval: 'md5:' + 'b'.repeat(32) + '.dir',
    });
  });

  it('refuses unnamed lines among several, empty hashes and duplicates', () => {
    expect(failure(() => parseDatasetHashes([H, `eval=${H}`])).describe()).toMatch(/each needs a name/);
    expect(failure(() => parseDatasetHashes(['train='])).describe()).toMatch(/the hash of 'train' is empty/);
    expect(failure(() => parseDatasetHashes([`a=${H}`, `a=${H}`])).describe()).toMatch(
      /names the dataset 'a' twice/,
    );
  });
});

describe('defaultRef', () => {
  it('uses the branch or tag of the run, else the default branch', () => {
    expect(defaultRef({ GITHUB_REF: 'refs/tags/v1' })).toBe('v1');
    expect(defaultRef({ GITHUB_REF: 'refs/pull/7/merge' })).toBe('main');
  });
});
