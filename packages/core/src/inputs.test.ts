import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  getInput,
  getBooleanInput,
  getIntegerInput,
  getDurationInput,
  getListInput,
  getKeyValueInput,
  getChoiceInput,
  getJsonInput,
  readConfigFile,
  inputVariable,
} from './inputs.ts';
import { UserError } from './errors.ts';

const env = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [inputVariable(k), v]));

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('inputs', () => {
  it('names variables like the runner (spaces to _, hyphens kept)', () => {
    expect(inputVariable('github-token')).toBe('INPUT_GITHUB-TOKEN');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  it('reads strings, trims, applies fallbacks and requires', () => {
    expect(getInput('a', { env: env({ a: '  x ' }) })).toBe('x');
    expect(getInput('a', { env: {}, fallback: 'd' })).toBe('d');
    const e = errorOf(() => getInput('spec', { env: {}, required: true }));
    expect(e.describe()).toBe(
      "Input 'spec' is required but was not given. Fix: Add `spec:` under `with:` in the step that uses this action.",
    );
  });

  it('reads YAML booleans and rejects anything else', () => {
    expect(getBooleanInput('b', { env: env({ b: 'True' }) })).toBe(true);
    expect(getBooleanInput('b', { env: env({ b: 'FALSE' }) })).toBe(false);
    expect(getBooleanInput('b', { env: {}, fallback: true })).toBe(true);
    expect(errorOf(() => getBooleanInput('upload', { env: env({ upload: 'yes' }) })).message).toBe(
      "Input 'upload' must be true or false, got 'yes'.",
    );
  });

  it('checks integer bounds', () => {
    expect(getIntegerInput('n', { env: env({ n: '7' }), min: 1, max: 10 })).toBe(7);
    expect(errorOf(() => getIntegerInput('n', { env: env({ n: '11' }), min: 1, max: 10 })).message).toContain(
      '1..10',
    );
    expect(() => getIntegerInput('n', { env: env({ n: '1.5' }) })).toThrow(UserError);
  });

  it('parses durations', () => {
    expect(getDurationInput('t', { env: env({ t: '1h30m' }) })).toBe(5_400_000);
    expect(getDurationInput('t', { env: env({ t: '30d' }) })).toBe(30 * 86_400_000);
    expect(getDurationInput('t', { env: {}, fallback: '15m' })).toBe(900_000);
    expect(errorOf(() => getDurationInput('max-age', { env: env({ 'max-age': 'soon' }) })).fix).toContain(
      '`30d`',
    );
  });

  it('reads multiline lists without blanks and comments, and key=value lines', () => {
    expect(getListInput('p', { env: env({ p: 'data/**\n\n# note\n!data/tmp/**\n' }) })).toEqual([
      'data/**',
      '!data/tmp/**',
    ]);
    expect(getListInput('p', { env: env({ p: 'a, b\nc' }), commas: true })).toEqual(['a', 'b', 'c']);
    expect(getKeyValueInput('h', { env: env({ h: 'train=sha256:1\nval = sha256:2' }) })).toEqual({
      train: 'sha256:1',
      val: 'sha256:2',
    });
    expect(() => getKeyValueInput('h', { env: env({ h: 'nokey' }) })).toThrow(/key=value/);
  });

  it('accepts only listed choices', () => {
    expect(getChoiceInput('m', ['a', 'b'] as const, { env: env({ m: 'b' }) })).toBe('b');
    expect(getChoiceInput('m', ['a', 'b'] as const, { env: {}, fallback: 'a' })).toBe('a');
    expect(
      errorOf(() => getChoiceInput('dispatch', ['none', 'argo'] as const, { env: env({ dispatch: 'k8s' }) }))
        .fix,
    ).toBe('Set `dispatch:` to one of: none, argo.');
  });

  it('validates JSON/YAML inputs against a schema with pointers', () => {
    const schema = {
      type: 'object',
      properties: { lr: { type: 'number' }, layers: { type: 'array', items: { type: 'integer' } } },
      additionalProperties: false,
    };
    expect(getJsonInput('p', { env: env({ p: 'lr: 0.1\nlayers: [1, 2]' }), schema })).toEqual({
      lr: 0.1,
      layers: [1, 2],
    });
    const e = errorOf(() =>
      getJsonInput('p', { env: env({ p: '{"lr": "x", "layers": [1, 2.5], "lrr": 1}' }), schema }),
    );
    expect(e.input).toBe('p');
    expect(e.message).toContain('at /lr: expected number, got string "x"');
    expect(e.message).toContain('at /layers/1: expected integer, got number 2.5');
    expect(e.message).toContain("unknown key 'lrr'. Did you mean 'lr'?");
    expect(errorOf(() => getJsonInput('p', { env: env({ p: '{"a": [1, 2}' }) })).message).toMatch(
      /Cannot parse .* at line 1/,
    );
  });

  it('reads config files and reports YAML syntax errors with the line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'inputs-'));
    const file = path.join(dir, 'spec.yml');
    writeFileSync(file, 'checks:\n  - name: auc\n    min: 0.8\n  bad: [\n');
    await expect(readConfigFile(file, { input: 'spec', what: 'gate spec' })).rejects.toThrow(/at line \d/);
    await expect(
      readConfigFile(path.join(dir, 'none.yml'), { input: 'spec', what: 'gate spec' }),
    ).rejects.toThrow(/The gate spec '.*none.yml' does not exist/);
    writeFileSync(file, 'a: 1\na: 2\n');
    await expect(readConfigFile(file)).rejects.toThrow(/unique|duplicate/i);
  });
});
