import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { readLockBaseline, writeLockFile, type LockFile } from './lock.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
const lock: LockFile = {
  lockVersion: 1,
  model: 'churn',
  fingerprint: 'sha256:' + 'f'.repeat(64),
  trainedAt: '2026-11-20T12:00:00.000Z',
  run: { engine: 'argo', id: 'churn-ffff', url: 'https://argo/workflows/ml/churn-ffff' },
  inputs: {
    datasets: { train: 'sha256:' + '1'.repeat(64) },
    code: [{ path: 'src/train.py', blob: 'a'.repeat(40) }],
    config: [],
    params: { 'train.lr': 0.1 },
  },
};

describe('lock files', () => {
  it('round-trip as a baseline, written atomically with sorted keys', async () => {
    const file = path.join(dir, '.modelops', 'churn.lock.json');
    await writeLockFile(file, lock);
    expect(readdirSync(path.dirname(file))).toEqual(['churn.lock.json']);
    const text = readFileSync(file, 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'fingerprint',
      'inputs',
      'lockVersion',
      'model',
      'run',
      'trainedAt',
    ]);
    expect(await readLockBaseline(file, '.modelops/churn.lock.json', 'churn')).toEqual({
      source: 'lock',
      location: '.modelops/churn.lock.json',
      fingerprint: lock.fingerprint,
      trainedAt: lock.trainedAt,
      runId: 'churn-ffff',
      runUrl: 'https://argo/workflows/ml/churn-ffff',
      inputs: lock.inputs,
    });
  });

  it('a missing lock file is no baseline', async () => {
    expect(await readLockBaseline(path.join(dir, 'none.json'), 'none.json', 'churn')).toBeUndefined();
  });

  it('refuses broken JSON, a damaged file and another model’s lock, naming the file', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '<<<<<<< HEAD\n{}');
    const invalid = (await readLockBaseline(broken, 'broken.json', 'churn').catch(
      (e: unknown) => e,
    )) as UserError;
    expect(invalid.describe()).toMatch(
      /^input 'baseline', file 'broken\.json': The lock file 'broken\.json' is not valid JSON: [^\n]*\. Fix: .*merge conflict/,
    );
    const damaged = path.join(dir, 'damaged.json');
    writeFileSync(damaged, JSON.stringify({ ...lock, fingerprint: 'abc' }));
    const error = await readLockBaseline(damaged, 'damaged.json', 'churn').catch(
      (e: unknown) => e as UserError,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).describe()).toMatch(
      /file 'damaged\.json': Invalid lock file: at \/fingerprint/,
    );
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ ...lock, model: 'fraud' }));
    await expect(readLockBaseline(other, 'other.json', 'churn')).rejects.toThrow(
      /is for model 'fraud', not 'churn'/,
    );
  });
});
