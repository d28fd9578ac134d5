import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { measurementFromResponse, parseSampleValue } from './prometheus.ts';
import { flattenMetrics, MetricsFileObserver } from './files.ts';
import { createObserver } from './index.ts';

describe('Prometheus answers', () => {
  const vector = (...values: string[]) => ({
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map((v, i) => ({ metric: { pool: `p${i}` }, value: [1, v] })),
    },
  });

  it('reads one series, and a scalar', () => {
    expect(measurementFromResponse(vector('0.19'), 'q')).toEqual({ value: 0.19 });
    expect(
      measurementFromResponse({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } }, 'q'),
    ).toEqual({
      value: 2,
    });
  });

  it('treats an empty vector and NaN as no data', () => {
    expect(measurementFromResponse(vector(), 'q')).toMatchObject({
      value: null,
      note: expect.stringMatching(/^no data/),
    });
    expect(measurementFromResponse(vector('NaN'), 'q')).toMatchObject({
      value: null,
      note: expect.stringMatching(/^NaN/),
    });
  });

  it('refuses ambiguous or non-instant answers as errors with the fix', () => {
    expect(measurementFromResponse(vector('1', '2'), 'q').error).toMatch(
      /returned 2 series \(\{pool="p0"\}, \{pool="p1"\}\); aggregate it to one/,
    );
    expect(
      measurementFromResponse({ status: 'success', data: { resultType: 'matrix', result: [] } }, 'q').error,
    ).toMatch(/matrix result/);
  });

  it('parses sample values as Prometheus writes them', () => {
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNull();
    expect(parseSampleValue('1e-3')).toBe(0.001);
  });
});

describe('file observers', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'observer-'));

  it('flattens nested metrics into the suite’s flat keys', () => {
    expect(flattenMetrics({ auc: 0.9, slice: { 'region=eu': { auc: 0.8 } }, note: 'x', nan: 'NaN' })).toEqual(
      {
        auc: 0.9,
        'slice/region=eu/auc': 0.8,
        nan: null,
      },
    );
  });

  it('reads the file again at every check, and reports missing keys as no data', async () => {
    const file = path.join(cwd, 'live.json');
    writeFileSync(file, JSON.stringify({ metrics: { error_rate: 0.1 } }));
    const observer = new MetricsFileObserver({ file: 'live.json' }, cwd);
    expect(await observer.measure({ name: 'error_rate', max: 1 })).toEqual({ value: 0.1 });
    writeFileSync(file, JSON.stringify({ error_rate: 0.2 }));
    expect(await observer.measure({ name: 'error_rate', max: 1 })).toEqual({ value: 0.2 });
    expect(await observer.measure({ name: 'eror_rate', max: 1 })).toEqual({
      value: null,
      note: "no data: live.json has no metric 'eror_rate'. Did you mean 'error_rate'?",
    });
    expect(await observer.measure({ name: 'x', key: 'error_rate', max: 1 })).toEqual({ value: 0.2 });
  });

  it('fails the preflight on a missing file, naming the input', async () => {
    const observer = new MetricsFileObserver({ file: 'missing.json' }, cwd);
    const error = await observer.preflight().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).input).toBe('observer-config');
  });

  it('refuses queries for file observers and config for none', () => {
    const observer = createObserver('metrics-file', { file: 'x.json' }, { cwd });
    expect(() => observer.validate([{ name: 'a', query: 'up', max: 1 }])).toThrow(/does not run/);
    expect(() => createObserver('none', { file: 'x' }, { cwd })).toThrow(/takes none/);
    expect(() => createObserver('prometheus', { url: 'ftp://x' }, { cwd })).toThrow(
      expect.objectContaining({
        input: 'observer-config',
        message: expect.stringMatching(/at \/url: must match/),
      }),
    );
    expect(() => createObserver('none', undefined, { cwd }).validate([{ name: 'a', max: 1 }])).toThrow(
      /no observer reads them/,
    );
  });
});
