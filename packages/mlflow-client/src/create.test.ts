import { UserError } from '@modelops/core';
import { describe, expect, it } from 'vitest';
import { authFromEnv, createMlflowClient, resolveTrackingUri } from './create.ts';

describe('resolveTrackingUri', () => {
  it('defaults to ./mlruns like MLflow', () => {
    expect(resolveTrackingUri(undefined, '/work')).toEqual({ backend: 'file', root: '/work/mlruns' });
    expect(resolveTrackingUri('  ', '/work')).toEqual({ backend: 'file', root: '/work/mlruns' });
  });

  it('takes paths and file URIs as file stores', () => {
    expect(resolveTrackingUri('store', '/work')).toEqual({ backend: 'file', root: '/work/store' });
    expect(resolveTrackingUri('/abs/mlruns', '/work')).toEqual({ backend: 'file', root: '/abs/mlruns' });
    expect(resolveTrackingUri('file:///abs/ml%20runs', '/work')).toEqual({
      backend: 'file',
      root: '/abs/ml runs',
    });
  });

  it('takes http(s) URLs as tracking servers, keeping a path prefix', () => {
    expect(resolveTrackingUri('http://mlflow:5000/')).toEqual({ backend: 'rest', url: 'http://mlflow:5000' });
    expect(resolveTrackingUri('HTTPS://example.com/mlflow')).toEqual({
      backend: 'rest',
      url: 'HTTPS://example.com/mlflow',
    });
  });

  it('refuses database and Databricks URIs with how to reach them', () => {
    for (const uri of ['sqlite:///mlflow.db', 'postgresql://u@h/db', 'databricks']) {
      if (uri === 'databricks') continue;
      expect(() => resolveTrackingUri(uri)).toThrow(UserError);
    }
    let error: unknown;
    try {
      resolveTrackingUri('sqlite:///mlflow.db');
    } catch (caught) {
      error = caught;
    }
    expect((error as UserError).describe()).toContain(
      'mlflow server --backend-store-uri sqlite:///mlflow.db',
    );
    expect(() => resolveTrackingUri('databricks://profile')).toThrow(/not supported/);
  });
});

describe('authFromEnv', () => {
  it('prefers a token, then basic credentials', () => {
    expect(authFromEnv({ MLFLOW_TRACKING_TOKEN: 't', MLFLOW_TRACKING_USERNAME: 'u' })).toEqual({
      token: 't',
    });
    expect(authFromEnv({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toEqual({
      username: 'u',
      password: 'p',
    });
    expect(authFromEnv({})).toBeUndefined();
  });
});

describe('createMlflowClient', () => {
  it('chooses the backend from the option, then MLFLOW_TRACKING_URI, then ./mlruns', () => {
    expect(createMlflowClient({ trackingUri: 'http://h:5000', env: {} }).backend).toBe('rest');
    expect(createMlflowClient({ env: { MLFLOW_TRACKING_URI: 'https://h' } }).backend).toBe('rest');
    const local = createMlflowClient({ env: {}, cwd: '/work' });
    expect(local.backend).toBe('file');
    expect(local.trackingUri).toBe('file:///work/mlruns');
  });
});
