import { UserError } from '@modelops/core';
import { describe, expect, it } from 'vitest';
import { joinArtifactUri, modelUri, parseModelUri } from './model-uri.ts';

describe('parseModelUri', () => {
  it('parses the models:/ forms', () => {
    expect(parseModelUri('models:/churn/3')).toEqual({
      kind: 'model-version',
      uri: 'models:/churn/3',
      name: 'churn',
      version: '3',
    });
    expect(parseModelUri('models:/churn@champion')).toMatchObject({
      kind: 'model-alias',
      name: 'churn',
      alias: 'champion',
    });
    expect(parseModelUri('models:/churn/latest')).toMatchObject({ kind: 'model-latest', name: 'churn' });
    expect(parseModelUri('models:/churn/Production')).toMatchObject({
      kind: 'model-stage',
      name: 'churn',
      stage: 'Production',
    });
    expect(parseModelUri('models:///churn/007')).toMatchObject({ kind: 'model-version', version: '7' });
    expect(parseModelUri(' models:/a@b@c ')).toMatchObject({ kind: 'model-alias', name: 'a@b', alias: 'c' });
  });

  it('parses runs:/ URIs with and without a path', () => {
    expect(parseModelUri('runs:/abc123/model/MLmodel')).toEqual({
      kind: 'run-artifact',
      uri: 'runs:/abc123/model/MLmodel',
      runId: 'abc123',
      artifactPath: 'model/MLmodel',
    });
    expect(parseModelUri('runs:/abc123')).toMatchObject({ runId: 'abc123', artifactPath: '' });
  });

  it.each([
    'models:/',
    'models:/churn',
    'models:/churn/',
    'models:/a/b/c',
    'models:/@x',
    'models:/x@',
    'models://host/churn/1',
    'runs:/',
    'runs://x/y',
    's3://bucket/model',
    'churn',
  ])('refuses %s with the expected forms', (uri) => {
    let error: unknown;
    try {
      parseModelUri(uri, 'model-uri');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).input).toBe('model-uri');
    expect((error as UserError).describe()).toMatch(/Fix: .*(models:|runs:)/);
  });

  it('builds URIs and joins artifact paths', () => {
    expect(modelUri('churn', { version: 3 })).toBe('models:/churn/3');
    expect(modelUri('churn', { alias: 'champion' })).toBe('models:/churn@champion');
    expect(joinArtifactUri('file:///m/artifacts/', '/model')).toBe('file:///m/artifacts/model');
    expect(joinArtifactUri('s3://b/a', '')).toBe('s3://b/a');
  });
});
