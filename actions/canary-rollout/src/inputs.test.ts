import { describe, it, expect } from 'vitest';
import { UserError } from '@modelops/core';
import { defaultName, readInputs } from './inputs.ts';
import { createRouter } from './routers/index.ts';

function env(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ model: 'models:/churn/2', ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
}

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('readInputs', () => {
  it('reads the defaults', () => {
    const inputs = readInputs(env({}));
    expect(inputs).toMatchObject({
      model: 'models:/churn/2',
      name: 'churn',
      router: 'mlflow-alias',
      observer: 'none',
      environment: 'production',
      deployment: true,
      upload: true,
      plan: {
        strategy: 'canary',
        weights: [10, 25, 50],
        intervalMs: 60_000,
        iterations: 1,
        threshold: 1,
        inconclusiveLimit: 2,
      },
    });
  });

  it('parses structured configs and durations', () => {
    const inputs = readInputs(
      env({ router: 'nginx', 'router-config': 'file: split.conf\nmode: upstream', interval: '90s' }),
    );
    expect(inputs.routerConfig).toEqual({ file: 'split.conf', mode: 'upstream' });
    expect(inputs.plan.intervalMs).toBe(90_000);
  });

  it('names the input and the fix for bad values', () => {
    expect(userError(() => readInputs(env({ model: '' }))).input).toBe('model');
    expect(userError(() => readInputs(env({ router: 'istio' }))).message).toBe(
      "Input 'router' must be one of mlflow-alias, nginx, command; got 'istio'.",
    );
    expect(userError(() => readInputs(env({ 'router-config': '- a list' }))).input).toBe('router-config');
    expect(userError(() => readInputs(env({ 'router-config': 'file: [' }))).message).toMatch(
      /Cannot parse input 'router-config'/,
    );
    expect(userError(() => readInputs(env({ interval: 'soon' }))).input).toBe('interval');
    expect(userError(() => readInputs(env({ threshold: '0' }))).input).toBe('threshold');
    expect(userError(() => readInputs(env({ name: 'a b' }))).input).toBe('name');
    expect(userError(() => readInputs(env({ model: 'v1', stable: 'v1' }))).input).toBe('stable');
    expect(userError(() => readInputs(env({ 'step-weight': '10', steps: '10,20' }))).input).toBe(
      'step-weight',
    );
  });

  it('derives the rollout name from the model', () => {
    expect(defaultName('models:/churn@challenger')).toBe('churn');
    expect(defaultName('registry.example.com/churn:v2')).toBe('registry.example.com-churn-v2');
    expect(defaultName('///')).toBe('model');
  });
});

describe('router configs', () => {
  const context = {
    model: 'models:/churn/2',
    stable: undefined,
    name: 'churn',
    cwd: '/tmp',
    env: {},
    steps: 2,
    mlflow: () => {
      throw new Error('test: no MLflow');
    },
  };

  it('refuses unknown or misplaced router-config keys, naming them', () => {
    expect(userError(() => createRouter('nginx', { file: 'x', upstreams: 'y' }, context)).message).toMatch(
      /unknown key 'upstreams'\. Did you mean 'upstream'\?/,
    );
    expect(userError(() => createRouter('nginx', { file: 'x', upstream: 'model' }, context)).message).toBe(
      "router-config 'upstream' does not apply to nginx mode 'split-clients'.",
    );
    expect(userError(() => createRouter('nginx', { file: 'x', mode: 'upstream' }, context)).message).toMatch(
      /needs 'stable-servers' and 'canary-servers'/,
    );
    expect(userError(() => createRouter('nginx', { file: 'x', key: 'a"; evil' }, context)).input).toBe(
      'router-config',
    );
    expect(userError(() => createRouter('command', { promote: 'x' }, context)).message).toBe(
      'router-config has no command for set-weight, rollback.',
    );
  });

  it('mlflow-alias needs a registered model version and no stable label', () => {
    const mlflow = () => ({}) as never;
    expect(
      userError(() => createRouter('mlflow-alias', {}, { ...context, mlflow, model: 'runs:/abc/model' }))
        .message,
    ).toMatch(/must name a registered model version/);
    expect(
      userError(() => createRouter('mlflow-alias', {}, { ...context, mlflow, stable: 'v1' })).input,
    ).toBe('stable');
    expect(
      userError(() =>
        createRouter('mlflow-alias', { 'stable-alias': 'a', 'canary-alias': 'a' }, { ...context, mlflow }),
      ).message,
    ).toMatch(/both 'a'/);
    expect(
      userError(() => createRouter('mlflow-alias', { 'canary-alias': 'v1' }, { ...context, mlflow })).message,
    ).toMatch(/canary-alias.*reserved/);
  });
});
