import { describe, expect, it } from 'vitest';
import { InvalidParameterValue } from '../invalid.ts';
import { compareValues, keysRead, likeToRegExp, matchesFilter, parseFilter, type Subject } from './filter.ts';
import { compareBy, parseOrderBy, parseOrderClause } from './order.ts';
import { checkMaxResults, decodePageToken, encodePageToken, paginate } from './paging.ts';

function subject(values: Partial<Record<string, Record<string, string | number>>>): Subject {
  return { get: (type, key) => values[type]?.[key] };
}

describe('parseFilter', () => {
  it('parses the clauses the actions use', () => {
    expect(parseFilter("tags.fingerprint = 'abc'", 'run')).toEqual([
      { type: 'tag', key: 'fingerprint', comparator: '=', value: 'abc' },
    ]);
    expect(parseFilter('tags.`data-hash` != "x y"', 'run')).toEqual([
      { type: 'tag', key: 'data-hash', comparator: '!=', value: 'x y' },
    ]);
    expect(parseFilter("metrics.auc >= 0.5 and params.lr LIKE '0.%'", 'run')).toEqual([
      { type: 'metric', key: 'auc', comparator: '>=', value: 0.5 },
      { type: 'param', key: 'lr', comparator: 'LIKE', value: '0.%' },
    ]);
    expect(
      parseFilter("attributes.status = 'FINISHED' AND attributes.start_time > 1700000000000", 'run'),
    ).toEqual([
      { type: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
      { type: 'attribute', key: 'start_time', comparator: '>', value: 1700000000000 },
    ]);
    expect(parseFilter("run_id IN ('abc', 'DEF', 'ghi')", 'run')).toEqual([
      { type: 'attribute', key: 'run_id', comparator: 'IN', value: ['abc', 'ghi'] },
    ]);
    expect(parseFilter("attributes.run_id not in ('a')", 'run')[0]?.comparator).toBe('NOT IN');
  });

  it('keeps dotted keys after the entity and translates attribute aliases', () => {
    expect(parseFilter("tags.mlflow.runName = 'x'", 'run')[0]).toMatchObject({
      type: 'tag',
      key: 'mlflow.runName',
    });
    expect(parseFilter('created > 5', 'run')[0]).toMatchObject({ type: 'attribute', key: 'start_time' });
    expect(parseFilter('metric.`val loss` < 1e-3', 'run')[0]).toMatchObject({
      key: 'val loss',
      value: 0.001,
    });
  });

  it('parses registry filters', () => {
    expect(parseFilter("name = 'churn' AND tags.stage = 'gold'", 'model-version')).toEqual([
      { type: 'attribute', key: 'name', comparator: '=', value: 'churn' },
      { type: 'tag', key: 'stage', comparator: '=', value: 'gold' },
    ]);
    expect(parseFilter("version_number = '3'", 'model-version')[0]?.value).toBe(3);
    expect(parseFilter("name ILIKE '%churn%'", 'registered-model')).toHaveLength(1);
  });

  it.each([
    ['tags.x = abc', 'run'],
    ["metrics.auc = 'high'", 'run'],
    ["params.lr > '1'", 'run'],
    ["tags.a = 'x' OR tags.b = 'y'", 'run'],
    ["(tags.a = 'x')", 'run'],
    ["bogus.key = 'x'", 'run'],
    ["attributes.colour = 'red'", 'run'],
    ["attributes.start_time = 'yesterday'", 'run'],
    ["attributes.status IN ('A')", 'run'],
    ["tags.a = 'unterminated", 'run'],
    ["tags.a == 'x'", 'run'],
    ["tags.a = 'x' AND", 'run'],
    ["attributes.name = 'x'", 'model-version'],
    ['metrics.auc > 1', 'model-version'],
    ["version_number = 'three'", 'model-version'],
  ] as const)('refuses %s for %s searches', (filter, kind) => {
    expect(() => parseFilter(filter, kind)).toThrow(InvalidParameterValue);
  });

  it('treats an empty filter as matching everything', () => {
    expect(parseFilter(undefined, 'run')).toEqual([]);
    expect(parseFilter('   ', 'run')).toEqual([]);
  });
});

describe('evaluation', () => {
  it('is false for missing values, whatever the comparator', () => {
    const run = subject({ tag: { a: 'x' } });
    expect(matchesFilter(parseFilter("tags.b != 'x'", 'run'), run)).toBe(false);
    expect(matchesFilter(parseFilter("tags.a != 'y'", 'run'), run)).toBe(true);
    expect(matchesFilter(parseFilter('metrics.m < 1', 'run'), run)).toBe(false);
  });

  it('implements SQL LIKE and ILIKE, anchored, with regex characters taken literally', () => {
    expect(likeToRegExp('0.%').test('0.15')).toBe(true);
    expect(likeToRegExp('0.%').test('0x15')).toBe(false);
    expect(likeToRegExp('a_c').test('abc')).toBe(true);
    expect(likeToRegExp('a_c').test('abbc')).toBe(false);
    expect(likeToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
    expect(compareValues('ABC', 'ILIKE', 'a%')).toBe(true);
    expect(compareValues('ABC', 'LIKE', 'a%')).toBe(false);
    expect(compareValues('line\nbreak', 'LIKE', 'line%')).toBe(true);
  });

  it('compares numbers numerically and strings exactly', () => {
    expect(compareValues(10, '>', 9)).toBe(true);
    expect(compareValues(Number.NaN, '!=', 1)).toBe(true);
    expect(compareValues(Number.NaN, '>', 1)).toBe(false);
    expect(compareValues('b', 'IN', ['a', 'b'])).toBe(true);
    expect(compareValues('c', 'NOT IN', ['a', 'b'])).toBe(true);
  });

  it('lists the keys a search reads', () => {
    const keys = keysRead([
      ...parseFilter("tags.a = 'x' and metrics.m > 1", 'run'),
      ...parseOrderBy(['params.p'], 'run'),
    ]);
    expect([...keys.tag]).toEqual(['a']);
    expect([...keys.metric]).toEqual(['m']);
    expect([...keys.param]).toEqual(['p']);
  });
});

describe('order by', () => {
  it('parses clauses and appends the defaults of each kind', () => {
    expect(parseOrderClause('metrics.auc DESC', 'run')).toEqual({
      type: 'metric',
      key: 'auc',
      ascending: false,
    });
    expect(parseOrderClause('tags.`data-hash`', 'run')).toEqual({
      type: 'tag',
      key: 'data-hash',
      ascending: true,
    });
    expect(parseOrderBy([], 'run')).toEqual([
      { type: 'attribute', key: 'start_time', ascending: false },
      { type: 'attribute', key: 'run_id', ascending: true },
    ]);
    expect(parseOrderBy(undefined, 'model-version').map((clause) => clause.key)).toEqual([
      'last_updated_timestamp',
      'name',
      'version_number',
    ]);
    expect(() => parseOrderClause('metrics.auc UP', 'run')).toThrow(InvalidParameterValue);
    expect(() => parseOrderClause('tags.x', 'model-version')).toThrow(InvalidParameterValue);
  });

  it('sorts missing values last in both directions, NaN before missing', () => {
    const items = [1, undefined, 3, Number.NaN, 2].map((value) =>
      subject(value === undefined ? {} : { metric: { m: value } }),
    );
    const values = (ascending: boolean) =>
      [...items]
        .sort(compareBy([{ type: 'metric', key: 'm', ascending }]))
        .map((item) => item.get('metric', 'm'));
    expect(values(true)).toEqual([1, 2, 3, Number.NaN, undefined]);
    expect(values(false)).toEqual([3, 2, 1, Number.NaN, undefined]);
  });
});

describe('page tokens', () => {
  it('uses MLflow\'s token format: base64 of {"offset": N}', () => {
    expect(encodePageToken(2)).toBe(Buffer.from('{"offset": 2}').toString('base64'));
    expect(decodePageToken(encodePageToken(1234))).toBe(1234);
    expect(decodePageToken(undefined)).toBe(0);
  });

  it('refuses malformed tokens', () => {
    for (const token of [
      '%%%',
      Buffer.from('nope').toString('base64'),
      Buffer.from('{"offset": 0}').toString('base64'),
    ]) {
      expect(() => decodePageToken(token)).toThrow(InvalidParameterValue);
    }
  });

  it('cuts pages and knows the last one', () => {
    const first = paginate([1, 2, 3, 4, 5], undefined, 2);
    expect(first.items).toEqual([1, 2]);
    const second = paginate([1, 2, 3, 4, 5], first.nextPageToken, 2);
    expect(second.items).toEqual([3, 4]);
    const last = paginate([1, 2, 3, 4, 5], second.nextPageToken, 2);
    expect(last).toEqual({ items: [5] });
    expect(() => checkMaxResults(0, 10)).toThrow('positive integer');
    expect(() => checkMaxResults(11, 10)).toThrow('at most 10');
  });
});
