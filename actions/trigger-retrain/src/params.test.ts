import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { describeParamChange, diffParams, flattenParams, readParamsFile, selectParams } from './params.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'params-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('flattenParams', () => {
  it('flattens nested mappings to dotted keys and keeps lists whole, like dvc', () => {
    expect(
      flattenParams({ train: { lr: 0.1, layers: [64, 32], opt: { name: 'adam' } }, seed: 7, empty: {} }),
    ).toEqual({ empty: {}, seed: 7, 'train.layers': [64, 32], 'train.lr': 0.1, 'train.opt.name': 'adam' });
  });
});

describe('selectParams', () => {
  const flat = flattenParams({ train: { lr: 0.1, epochs: 10 }, eval: { k: 5 }, trainer: 'x' });

  it('tracks everything by default', () => {
    expect(selectParams(flat, [], 'params.yaml')).toEqual(flat);
  });

  it('treats a key as itself and a prefix of dotted keys, not of other names', () => {
    expect(selectParams(flat, ['train'], 'params.yaml')).toEqual({ 'train.epochs': 10, 'train.lr': 0.1 });
    expect(selectParams(flat, ['eval.k', 'trainer'], 'params.yaml')).toEqual({ 'eval.k': 5, trainer: 'x' });
  });

  it('refuses a key that selects nothing, with a suggestion', () => {
    const error = (() => {
      try {
        selectParams(flat, ['train.lrr'], 'params.yaml');
      } catch (e) {
        return e as UserError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error.describe()).toMatch(
      /params-keys: 'train\.lrr' matches no parameter in 'params\.yaml'\. Did you mean 'train\.lr'\?/,
    );
  });
});

describe('diffParams', () => {
  it('reports changed keys only, with numeric diffs and missing sides', () => {
    const before = { 'train.lr': 0.1, 'train.epochs': 10, 'model.kind': 'gbm', gone: 1, same: [1, 2] };
    const after = { 'train.lr': 0.05, 'train.epochs': 10, 'model.kind': 'rf', added: true, same: [1, 2] };
    expect(diffParams(before, after)).toEqual([
      { key: 'added', new: true },
      { key: 'gone', old: 1 },
      { key: 'model.kind', old: 'gbm', new: 'rf' },
      { key: 'train.lr', old: 0.1, new: 0.05, diff: -0.05 },
    ]);
  });

  it('rounds float noise out of the diff', () => {
    expect(diffParams({ x: 0.1 }, { x: 0.3 })[0]?.diff).toBe(0.2);
  });

  it('describes a change the way dvc prints it', () => {
    expect(describeParamChange({ key: 'train.lr', old: 0.1, new: 0.05, diff: -0.05 })).toBe(
      'train.lr: 0.1 → 0.05 (Δ -0.05)',
    );
    expect(describeParamChange({ key: 'added', new: true })).toBe('added: - → true');
    expect(describeParamChange({ key: 'n', old: 1, new: 3, diff: 2 })).toBe('n: 1 → 3 (Δ +2)');
  });
});

describe('readParamsFile', () => {
  it('reads YAML and JSON the same way', async () => {
    const yaml = file('p.yaml', 'train:\n  lr: 0.1\n  epochs: 10\nseed: 7\n');
    const json = file('p.json', '{"seed": 7, "train": {"epochs": 10, "lr": 0.1}}');
    expect(await readParamsFile(yaml, [])).toEqual(await readParamsFile(json, []));
  });

  it('names the file and the line of a syntax error', async () => {
    const bad = file('bad.yaml', 'train:\n  lr: 0.1\n   epochs: [1, 2\n');
    await expect(readParamsFile(bad, [], 'bad.yaml')).rejects.toThrow(
      /Cannot parse the params file as YAML\/JSON at line \d/,
    );
    await expect(readParamsFile(bad, [], 'bad.yaml')).rejects.toMatchObject({
      input: 'params-file',
      file: 'bad.yaml',
    });
  });

  it('refuses a file that is not a mapping, and a missing file', async () => {
    await expect(readParamsFile(file('list.yaml', '- 1\n- 2\n'), [], 'list.yaml')).rejects.toThrow(
      /must hold a mapping/,
    );
    await expect(readParamsFile(path.join(dir, 'nope.yaml'), [], 'nope.yaml')).rejects.toThrow(
      /'nope\.yaml' does not exist/,
    );
  });
});
