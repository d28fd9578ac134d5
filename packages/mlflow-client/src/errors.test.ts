import { describe, expect, it } from 'vitest';
import {
  editDistance,
  MlflowAlreadyExistsError,
  MlflowError,
  mlflowErrorFor,
  MlflowInvalidParameterError,
  MlflowNotFoundError,
  nearestNames,
  quoteList,
} from './errors.ts';

describe('nearestNames', () => {
  it('ranks by edit distance ignoring case, keeps names containing the input, drops implausible ones', () => {
    const names = ['churn-classifier', 'churn', 'fraud-detector', 'Churn-Classifier-v2', 'credit'];
    expect(nearestNames('churn-clasifier', names)).toEqual(['churn-classifier', 'Churn-Classifier-v2']);
    expect(nearestNames('CHURN', names)).toEqual(['churn', 'churn-classifier', 'Churn-Classifier-v2']);
    expect(nearestNames('zzz', names)).toEqual([]);
    expect(nearestNames('champ', ['champion', 'challenger'])).toEqual(['champion']);
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('quotes lists for messages', () => {
    expect(quoteList(['a'])).toBe("'a'");
    expect(quoteList(['a', 'b', 'c'])).toBe("'a', 'b' and 'c'");
  });
});

describe('mlflowErrorFor', () => {
  it('maps error codes to the typed errors with the message, service and fix', () => {
    const base = { service: 'MLflow at http://h', call: 'GET /x', status: 404 };
    const notFound = mlflowErrorFor('Run with id=x not found', {
      ...base,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
      fix: 'Check it.',
    });
    expect(notFound).toBeInstanceOf(MlflowNotFoundError);
    expect(notFound.describe()).toBe(
      'MLflow at http://h: GET /x failed (HTTP 404): Run with id=x not found Fix: Check it.',
    );
    expect(mlflowErrorFor('m', { ...base, errorCode: 'RESOURCE_ALREADY_EXISTS' })).toBeInstanceOf(
      MlflowAlreadyExistsError,
    );
    expect(mlflowErrorFor('m', { ...base, errorCode: 'INVALID_PARAMETER_VALUE' })).toBeInstanceOf(
      MlflowInvalidParameterError,
    );
    const other = mlflowErrorFor('m', { ...base, errorCode: 'INVALID_STATE' });
    expect(other).toBeInstanceOf(MlflowError);
    expect(other).not.toBeInstanceOf(MlflowNotFoundError);
    expect(other.errorCode).toBe('INVALID_STATE');
  });
});
