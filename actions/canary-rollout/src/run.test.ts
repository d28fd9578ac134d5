/**
 * The main and post steps in-process, with MLflow's real file store and real shell commands; the
 * bundle tests (test/canary-rollout*.test.ts) cover the same code as the runner runs it.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, type OutputValue, type RolloutRecord } from '@modelops/core';
import { FileMlflowClient, MlflowAliasNotFoundError } from '@modelops/mlflow-client';
import { readInputs } from './inputs.ts';
import { runRollout, type RolloutDeps } from './run.ts';
import { runCleanup } from './cleanup.ts';
import { STATE_KEYS } from './state.ts';

async function workspace(options: { champion?: boolean } = {}) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'rollout-run-'));
  const client = new FileMlflowClient({ root: path.join(cwd, 'mlruns') });
  await client.createRegisteredModel('churn');
  for (const v of [1, 2]) await client.createModelVersion({ name: 'churn', source: `file:///m/${v}` });
  if (options.champion !== false) await client.setRegisteredModelAlias('churn', 'champion', 1);
  writeFileSync(path.join(cwd, 'metrics.json'), JSON.stringify({ error_rate: 0.001 }));
  return { cwd, client };
}

function env(inputs: Record<string, string>): Record<string, string> {
  const all: Record<string, string> = {
    model: 'models:/churn/2',
    'tracking-uri': 'mlruns',
    steps: '10,50',
    interval: '1ms',
    observer: 'metrics-file',
    'observer-config': 'file: metrics.json',
    metrics: '- {name: error_rate, max: 0.01}',
    ...inputs,
  };
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
}

/** Deps that record what the step does. */
function deps(cwd: string, client: FileMlflowClient) {
  const seen = {
    outputs: {} as Record<string, OutputValue | undefined>,
    state: {} as Record<string, string>,
    summary: '',
    notices: [] as string[],
    warnings: [] as string[],
    published: [] as RolloutRecord[],
  };
  const step: RolloutDeps = {
    cwd,
    env: {},
    now: () => new Date(),
    sleep: async () => undefined,
    signal: new AbortController().signal,
    mlflow: () => client,
    github: () => {
      throw new Error('test: no GitHub');
    },
    publishRecord: async (name, record) => {
      seen.published.push(structuredClone(record));
      return { name, size: 0, location: 'test' };
    },
    appendSummary: async (markdown) => {
      seen.summary += markdown;
    },
    setOutputs: (outputs) => Object.assign(seen.outputs, outputs),
    saveState: (name, value) => {
      seen.state[name] = value;
    },
    info: () => undefined,
    notice: (m) => seen.notices.push(m),
    warning: (m) => seen.warnings.push(m),
    debug: () => undefined,
  };
  return { step, seen };
}

describe('runRollout (in-process)', () => {
  it('does nothing when the canary already is the stable version', async () => {
    const { cwd, client } = await workspace();
    const { step, seen } = deps(cwd, client);
    const outcome = await runRollout(readInputs(env({ model: 'models:/churn@champion' })), step);
    expect(outcome.failStep).toBe(false);
    expect(seen.outputs).toMatchObject({ state: 'promoted', weight: 100, stable: 'models:/churn/1' });
    expect(seen.notices).toEqual(['models:/churn/1 already is the stable version; nothing to roll out']);
    expect(seen.state).toEqual({ [STATE_KEYS.finished]: 'true' });
    expect(await client.getRegisteredModel('churn')).toMatchObject({ aliases: { champion: '1' }, tags: {} });
  });

  it('promotes a first release directly: nothing served before', async () => {
    const { cwd, client } = await workspace({ champion: false });
    const { step, seen } = deps(cwd, client);
    const outcome = await runRollout(readInputs(env({})), step);
    expect(outcome.failStep).toBe(false);
    expect(outcome.record).toMatchObject({ state: 'promoted', stable: null, steps: [] });
    expect(seen.notices[0]).toMatch(/^Nothing serves yet: models:\/churn\/2 is promoted directly/);
    expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '2' });
  });

  it('refuses an alias that is not set, listing the aliases, before anything is saved', async () => {
    const { cwd, client } = await workspace();
    const { step, seen } = deps(cwd, client);
    const error = await runRollout(readInputs(env({ model: 'models:/churn@challenger' })), step).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowAliasNotFoundError);
    expect((error as MlflowAliasNotFoundError).describe()).toMatch(/champion → version 1/);
    expect(seen.state).toEqual({});
  });

  it('blue-green switches back when the check after the switch fails (real shell commands)', async () => {
    const { cwd, client } = await workspace();
    const { step, seen } = deps(cwd, client);
    const command = [
      'command: |',
      '  echo "$ROLLOUT_ACTION $ROLLOUT_WEIGHT" >> routes.log',
      '  if [ "$ROLLOUT_ACTION $ROLLOUT_WEIGHT" = "set-weight 100" ]; then echo \'{"error_rate": 0.5}\' > metrics.json; fi',
    ].join('\n');
    const outcome = await runRollout(
      readInputs(
        env({
          model: 'img:v2',
          stable: 'img:v1',
          router: 'command',
          'router-config': command,
          strategy: 'blue-green',
          steps: '',
        }),
      ),
      step,
    );
    expect(outcome.failStep).toBe(true);
    expect(outcome.line).toMatch(
      /^Rolled back img:v2; all traffic is on img:v1 again\. 1 failed check\(s\) at step 2\/2 \(100%\)/,
    );
    expect(readFileSync(path.join(cwd, 'routes.log'), 'utf8')).toBe(
      'set-weight 0\nset-weight 100\nrollback 0\n',
    );
    expect(seen.outputs).toMatchObject({
      state: 'rolled-back',
      weight: 0,
      stable: 'img:v1',
      canary: 'img:v2',
    });
    expect(seen.state[STATE_KEYS.finished]).toBe('true');
    expect(seen.published.map((r) => r.state)).toEqual(['rolled-back']);
  });

  it('leaves an unsettled rollout to the post step, which rolls MLflow back from the saved memo', async () => {
    const { cwd, client } = await workspace();
    const { step, seen } = deps(cwd, client);
    const cancel = new AbortController();
    let sleeps = 0;
    step.signal = cancel.signal;
    step.sleep = async (_ms, signal) => {
      // Cancelled while waiting for the second step's check.
      if (++sleeps === 2) cancel.abort();
      if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    };
    const outcome = await runRollout(readInputs(env({})), step);
    expect(outcome.failStep).toBe(true);
    expect(outcome.line).toBe(
      'The rollout of models:/churn/2 was cancelled at step 2/2 (50%); the post step sends all traffic back to models:/churn/1.',
    );
    expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '1', challenger: '2' });
    expect(JSON.parse((await client.getRegisteredModel('churn')).tags['modelops.traffic'] ?? '')).toEqual({
      1: 50,
      2: 50,
    });
    expect(seen.state[STATE_KEYS.finished]).toBeUndefined();
    expect(seen.state[STATE_KEYS.cancelled]).toBe('true');

    const warnings: string[] = [];
    const post = await runCleanup({
      cwd,
      env: {},
      now: () => new Date(),
      getState: (name) => seen.state[name] ?? '',
      readInputs: () => readInputs(env({})),
      mlflow: () => new FileMlflowClient({ root: path.join(cwd, 'mlruns') }),
      github: step.github,
      publishRecord: step.publishRecord,
      appendSummary: step.appendSummary,
      info: () => undefined,
      warning: (m) => warnings.push(m),
      debug: () => undefined,
    });
    expect(post).toEqual({
      action: 'rolled-back',
      line: 'Rollout churn: cancelled at step 2/2 (50%); the post step sent all traffic back to the stable version.',
    });
    expect(warnings).toEqual([]);
    const model = await client.getRegisteredModel('churn');
    expect(model.aliases).toEqual({ champion: '1' });
    expect(JSON.parse(model.tags['modelops.traffic'] ?? '')).toEqual({ 1: 100 });
    const record = await readDocument(
      'RolloutRecord',
      path.join(cwd, '.modelops/canary-rollout/churn/rollout-record.json'),
    );
    expect(record).toMatchObject({ state: 'aborted', weight: 0 });
    expect(record.steps.map((s) => s.outcome)).toEqual(['passed', 'stopped']);
    expect(seen.published.at(-1)?.state).toBe('aborted');
  });

  it('the post step fails with the manual fix when the rollback keeps failing', async () => {
    const { cwd, client } = await workspace();
    const saved = JSON.stringify({ v: 1, name: 'churn', recordFile: path.join(cwd, 'none.json'), memo: {} });
    const post = await runCleanup({
      cwd,
      env: {},
      now: () => new Date(),
      getState: (name) => (name === STATE_KEYS.rollout ? saved : ''),
      readInputs: () =>
        readInputs(env({ model: 'img:v2', router: 'command', 'router-config': 'command: exit 3' })),
      mlflow: () => client,
      github: () => {
        throw new Error('test: no GitHub');
      },
      publishRecord: async (name) => ({ name, size: 0, location: 'test' }),
      appendSummary: async () => undefined,
      info: () => undefined,
      warning: () => undefined,
      debug: () => undefined,
      retryBaseMs: 1,
    });
    expect(post.action).toBe('failed');
    expect(post.line).toMatch(
      /the rollback by the post step failed: command router: rollback failed: bash -eo pipefail -c exit 3 exited with status 3/,
    );
    expect(post.line).toMatch(/send it back by hand \(command \(bash\)\)/);
  });
});
