/**
 * trigger-retrain with MLflow as the record of trainings, through its bundle, on both client
 * backends: a tracking server (the local MLflow protocol server) and MLflow's own file store. The
 * baseline is the model's last FINISHED run tagged modelops.model + modelops.fingerprint; its
 * modelops.inputs tag lets the decision name what changed; a RUNNING run of the same fingerprint
 * means the training is under way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '@modelops/core';
import { createMlflowClient, type MlflowClient } from '@modelops/mlflow-client';
import { compactInputs, type RetrainInputs } from '../actions/trigger-retrain/src/fingerprint.ts';
import { runAction, type ActionRun } from './harness/index.ts';
import { startMlflowServer, type MlflowServer } from './servers/mlflow/index.ts';

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrain-mlflow-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/train.py'), 'print("train")\n');
  writeFileSync(path.join(dir, 'params.yaml'), 'train:\n  lr: 0.1\n');
  return dir;
}

const backends = ['rest', 'file'] as const;

describe.each(backends)('MLflow baseline on the %s backend', (backend) => {
  let server: MlflowServer | undefined;
  let trackingUri: string;
  let client: MlflowClient;

  beforeAll(async () => {
    if (backend === 'rest') {
      server = await startMlflowServer();
      trackingUri = server.url;
    } else {
      trackingUri = `file://${mkdtempSync(path.join(os.tmpdir(), 'retrain-mlruns-'))}`;
    }
    client = createMlflowClient({ trackingUri, env: {} });
  });
  afterAll(() => server?.close());

  function step(cwd: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
    return runAction('trigger-retrain', {
      cwd,
      inputs: {
        model: 'churn',
        'code-paths': 'src/**',
        'params-file': 'params.yaml',
        'mlflow-tracking-uri': trackingUri,
        ...inputs,
      },
      env: { MODELOPS_RETRY_BASE_MS: '5' },
    });
  }

  /** What a training run does with the parameters it received: tag itself, and finish. */
  async function recordTraining(
    fingerprint: string,
    inputs: string | undefined,
    status: 'FINISHED' | 'FAILED' | 'RUNNING',
    endTime?: number,
  ) {
    const experiment = await client.getOrCreateExperiment('churn-training');
    const run = await client.createRun({
      experimentId: experiment.experimentId,
      tags: {
        'modelops.model': 'churn',
        'modelops.fingerprint': fingerprint,
        ...(inputs ? { 'modelops.inputs': inputs } : {}),
      },
    });
    if (status !== 'RUNNING')
      await client.updateRun(run.info.runId, { status, endTime: endTime ?? Date.now() });
    return run.info.runId;
  }

  it('compares with the last finished training, names the changes, and sees a training under way', async () => {
    const cwd = workspace();
    const first = await step(cwd);
    expect(first.errors).toEqual([]);
    expect(JSON.parse(first.outputs.reasons as string)[0]).toMatchObject({
      code: 'NO_BASELINE',
      detail: expect.stringMatching(/^No successful training of 'churn' was found \(MLflow at (http|file):/),
    });
    const decision = await readDocument('RetrainDecision', path.join(cwd, first.outputs.decision as string));

    // An old training of other inputs, the training of these inputs, and a newer one that failed.
    await recordTraining('sha256:' + '0'.repeat(64), undefined, 'FINISHED', Date.now() - 86_400_000);
    const trained = await recordTraining(
      first.outputs.fingerprint as string,
      compactInputs(decision.inputs as RetrainInputs),
      'FINISHED',
    );
    await recordTraining('sha256:' + '9'.repeat(64), undefined, 'FAILED');

    const upToDate = await step(cwd, { 'max-age': '30d' });
    expect(upToDate.errors).toEqual([]);
    expect(upToDate.outputs['should-retrain']).toBe('false');
    const compared = await readDocument(
      'RetrainDecision',
      path.join(cwd, upToDate.outputs.decision as string),
    );
    expect(compared.baseline).toMatchObject({
      source: 'mlflow',
      runId: trained,
      fingerprint: first.outputs.fingerprint,
    });
    if (backend === 'rest')
      expect(compared.baseline?.runUrl).toMatch(
        new RegExp(`^${trackingUri}/#/experiments/\\d+/runs/${trained}$`),
      );

    writeFileSync(path.join(cwd, 'params.yaml'), 'train:\n  lr: 0.2\n');
    const changed = await step(cwd);
    expect(JSON.parse(changed.outputs.reasons as string)).toEqual([
      { code: 'PARAMS_CHANGED', detail: 'train.lr: 0.1 → 0.2 (Δ +0.1).' },
    ]);

    const running = await recordTraining(changed.outputs.fingerprint as string, undefined, 'RUNNING');
    const underWay = await step(cwd);
    expect(underWay.outputs).toMatchObject({
      'should-retrain': 'true',
      deduplicated: 'true',
      'run-id': running,
    });
    expect(underWay.summary).toContain('already under way: ');
    expect(underWay.summary).toContain('on MLflow');
  });

  it('says INPUTS_CHANGED when the training did not record its inputs', async () => {
    const cwd = workspace();
    writeFileSync(path.join(cwd, 'src/train.py'), `print("${backend}")\n`);
    await recordTraining('sha256:' + 'a'.repeat(64), undefined, 'FINISHED');
    const run = await step(cwd, { 'mlflow-experiment': 'churn-training' });
    expect(JSON.parse(run.outputs.reasons as string)).toEqual([
      {
        code: 'INPUTS_CHANGED',
        detail: expect.stringContaining('it did not record its inputs (tag modelops.inputs)'),
      },
    ]);
  });
});
