import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { checkOutcome, describeBounds, judge, readMetricChecks, renderQuery } from './analysis.ts';

const at = new Date('2026-01-01T00:00:00Z');

describe('judge', () => {
  const check = { name: 'auc', min: 0.8, max: 1 };

  it('passes values within inclusive bounds and fails values outside', () => {
    expect(judge(check, { value: 0.8 }, at)).toMatchObject({
      status: 'successful',
      value: 0.8,
      min: 0.8,
      max: 1,
    });
    expect(judge(check, { value: 1 }, at).status).toBe('successful');
    expect(judge(check, { value: 0.79 }, at)).toMatchObject({
      status: 'failed',
      message: 'auc 0.79 is below the bound 0.8 … 1',
    });
    expect(judge({ name: 'p99', max: 250 }, { value: 251 }, at).message).toBe(
      'p99 251 is above the bound ≤ 250',
    );
  });

  it('treats no data and NaN as inconclusive, never as a pass', () => {
    expect(judge(check, { value: null }, at)).toMatchObject({ status: 'inconclusive', value: null });
    expect(judge(check, { value: Number.NaN }, at).status).toBe('inconclusive');
    expect(judge(check, { value: null, note: 'no series' }, at).message).toBe('no series');
  });

  it('judges infinities and keeps them out of the JSON value', () => {
    expect(judge({ name: 'latency', max: 1 }, { value: Infinity }, at)).toMatchObject({
      status: 'failed',
      value: null,
      message: 'latency +Inf is above the bound ≤ 1',
    });
  });

  it('reports a read error as an error result', () => {
    expect(judge(check, { value: null, error: 'connection refused' }, at)).toMatchObject({
      status: 'error',
      message: 'connection refused',
    });
  });
});

describe('checkOutcome', () => {
  const r = (status: 'successful' | 'failed' | 'inconclusive' | 'error') => ({
    metric: 'm',
    value: null,
    status,
    at: at.toISOString(),
  });
  it('fails when any metric failed, is inconclusive when some had no data, else succeeds', () => {
    expect(checkOutcome([r('successful'), r('failed'), r('inconclusive')])).toBe('failed');
    expect(checkOutcome([r('successful'), r('inconclusive')])).toBe('inconclusive');
    expect(checkOutcome([r('successful'), r('error')])).toBe('inconclusive');
    expect(checkOutcome([r('successful')])).toBe('successful');
    expect(checkOutcome([])).toBe('successful');
  });
});

describe('readMetricChecks', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'metrics-'));

  it('reads an inline list and a file (bare list or under `metrics:`)', async () => {
    expect(await readMetricChecks('- name: error_rate\n  max: 0.01', cwd)).toEqual([
      { name: 'error_rate', max: 0.01 },
    ]);
    writeFileSync(path.join(cwd, 'checks.yml'), 'metrics:\n  - name: auc\n    min: 0.8\n');
    expect(await readMetricChecks('checks.yml', cwd)).toEqual([{ name: 'auc', min: 0.8 }]);
    expect(await readMetricChecks(undefined, cwd)).toEqual([]);
  });

  it('refuses checks that can never fail, swapped bounds, duplicates and unknown keys', async () => {
    await expect(readMetricChecks('- name: x', cwd)).rejects.toThrow(/neither 'min' nor 'max'/);
    await expect(readMetricChecks('- {name: x, min: 2, max: 1}', cwd)).rejects.toThrow(/min 2 above max 1/);
    await expect(readMetricChecks('- {name: x, max: 1}\n- {name: x, max: 2}', cwd)).rejects.toThrow(
      /listed twice/,
    );
    await expect(readMetricChecks('- {name: x, maximum: 1}', cwd)).rejects.toThrow(/unknown key 'maximum'/);
    const missing = await readMetricChecks('nope.yml', cwd).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as UserError).input).toBe('metrics');
  });
});

describe('renderQuery', () => {
  it('fills placeholders and refuses unknown ones', () => {
    const vars = {
      canary: 'models:/m/2',
      stable: 'models:/m/1',
      canary_version: '2',
      stable_version: '1',
      weight: 25,
      interval: '60s',
      step: 2,
    };
    expect(renderQuery('rate(x{version="{{ canary_version }}"}[{{interval}}])', vars)).toBe(
      'rate(x{version="2"}[60s])',
    );
    expect(renderQuery('{{canary}} {{stable}} {{weight}} {{step}}', vars)).toBe(
      'models:/m/2 models:/m/1 25 2',
    );
    expect(() => renderQuery('{{target}}', vars)).toThrow(/placeholder '\{\{target\}\}' is unknown/);
  });
});

describe('describeBounds', () => {
  it('writes bounds for a reader', () => {
    expect(describeBounds({ min: 1 })).toBe('≥ 1');
    expect(describeBounds({ max: 2 })).toBe('≤ 2');
    expect(describeBounds({ min: 1, max: 2 })).toBe('1 … 2');
  });
});
