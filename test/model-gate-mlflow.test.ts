/**
 * model-gate with MLflow: candidate and baseline read from the registry (the `champion` alias by
 * default) over the REST API (local protocol server) and from MLflow's own file store, the verdict
 * written as tags, alias promotion only on a pass, and MLflow failing after retries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createMlflowClient, type MlflowClient } from '@modelops/mlflow-client';
import { startMlflowServer, type MlflowServer } from './servers/mlflow/index.ts';
import { NODE_MAJORS, runAction } from './harness/index.ts';
import { runGate } from '../actions/model-gate/src/run.ts';
import { recordingDeps, runnerEnv, workspaceWithSpec } from './fixtures/model-gate/helpers.ts';

const FAST = { MODELOPS_RETRY_BASE_MS: '5' };
const SPEC = `
gate: churn
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.88}
  - {name: AUC vs champion, metric: roc_auc, max-regression: 0.01}
  - {name: F1 vs champion, metric: f1, max-regression: 2%}
`;

/** A registry with churn v1 (champion), v2 (better) and v3 (worse), each from its own run. */
async function seed(
  client: MlflowClient,
  options: { champion?: boolean } = {},
): Promise<Record<string, string>> {
  const experiment = await client.getOrCreateExperiment('churn');
  await client.createRegisteredModel('churn');
  const runs: Record<string, string> = {};
  const versions: [string, Record<string, number>][] = [
    ['v1', { roc_auc: 0.9, f1: 0.8 }],
    ['v2', { roc_auc: 0.93, f1: 0.81 }],
    ['v3', { roc_auc: 0.85, f1: 0.7 }],
  ];
  for (const [name, metrics] of versions) {
    const run = await client.createRun({ experimentId: experiment.experimentId, runName: name });
    await client.logBatch(run.info.runId, {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value })),
    });
    await client.finishRun(run.info.runId);
    await client.createModelVersion({
      name: 'churn',
      source: `runs:/${run.info.runId}/model`,
      runId: run.info.runId,
    });
    runs[name] = run.info.runId;
  }
  if (options.champion !== false) await client.setRegisteredModelAlias('churn', 'champion', '1');
  await client.setRegisteredModelAlias('churn', 'challenger', '1');
  return runs;
}

describe('model-gate with the MLflow REST API', () => {
  let server: MlflowServer;
  let client: MlflowClient;
  beforeAll(async () => {
    server = await startMlflowServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    server.reset();
    client = createMlflowClient({ trackingUri: server.url, env: {} });
    await seed(client);
  });

  describe.each(NODE_MAJORS)('on Node %i', (node) => {
    it('compares with the champion, tags the candidate and promotes it when the gate passes', async () => {
      const run = await runAction('model-gate', {
        node,
        cwd: workspaceWithSpec(SPEC),
        env: FAST,
        inputs: {
          spec: 'gate.yml',
          candidate: 'models:/churn/2',
          'tracking-uri': server.url,
          'promote-alias': 'challenger',
        },
      });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.passed).toBe('true');
      expect(run.summary).toContain(
        '**Candidate** `models:/churn/2` · **Baseline** `models:/churn@champion (version 1)`',
      );
      expect(run.summary).toMatch(
        /\| AUC vs champion \| 0\.93 \| 0\.9 \| \+0\.03 \(\+3\.33 %\) \| Δ ≥ −0\.01 \| ✅ pass \|/,
      );
      expect((await client.getModelVersionByAlias('churn', 'challenger')).version).toBe('2');
      expect((await client.getModelVersion('churn', 2)).tags).toEqual({
        'modelops.gate': 'passed',
        'modelops.gate.churn': 'passed',
        'modelops.gate.churn.run': 'https://github.com/acme/ml/actions/runs/1',
      });
    });
  });

  it('does not promote a candidate that fails, and tags it failed', async () => {
    const run = await runAction('model-gate', {
      cwd: workspaceWithSpec(SPEC),
      env: FAST,
      inputs: {
        spec: 'gate.yml',
        candidate: 'models:/churn/3',
        'tracking-uri': server.url,
        'promote-alias': 'challenger',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.failed as string)).toEqual([
      'AUC floor',
      'AUC vs champion',
      'F1 vs champion',
    ]);
    expect((await client.getModelVersionByAlias('churn', 'challenger')).version).toBe('1');
    expect((await client.getModelVersion('churn', 3)).tags['modelops.gate']).toBe('failed');
    expect(run.stdout).toContain("MLflow: 'challenger' not set, the gate did not pass.");
  });

  it('fails the gate, never passes it, when MLflow stays unavailable after retries', async () => {
    server.failNext(1000);
    const run = await runAction('model-gate', {
      cwd: workspaceWithSpec(SPEC),
      env: FAST,
      inputs: {
        spec: 'gate.yml',
        candidate: 'models:/churn/2',
        'tracking-uri': server.url,
        'promote-alias': 'challenger',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ passed: 'false' });
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^MLflow at http:\/\/127\.0\.0\.1:\d+: GET \/api\/2\.0\/mlflow\/model-versions\/get failed \(HTTP 503\) after 4 attempts/,
      ),
    ]);
  });

  it('treats a champion alias that is not set as a first run', async () => {
    await client.deleteRegisteredModelAlias('churn', 'champion');
    const dir = workspaceWithSpec(SPEC);
    const deps = recordingDeps(dir, runnerEnv());
    const outcome = await runGate(
      {
        spec: 'gate.yml',
        candidate: 'models:/churn@challenger',
        trackingUri: server.url,
        baseline: 'auto',
        comment: 'never',
        failOn: 'fail',
        mlflowTags: false,
        history: false,
      },
      deps,
    );
    expect(outcome.report).toMatchObject({
      passed: true,
      baseline: null,
      baselineNote: 'models:/churn@champion is not set yet (first run)',
      candidate: {
        source: 'mlflow',
        label: 'models:/churn@challenger (version 1)',
        modelVersion: { name: 'churn', version: '1' },
      },
    });
    expect(outcome.report.checks.map((c) => c.status)).toEqual(['pass', 'no-baseline', 'no-baseline']);
  });

  it('reads a run as candidate and tags the run', async () => {
    const runs = (
      await client.searchRuns({ experimentIds: [(await client.getExperimentByName('churn'))!.experimentId] })
    ).items;
    const v2 = runs.find((r) => r.info.runName === 'v2')!;
    const deps = recordingDeps(workspaceWithSpec(SPEC), runnerEnv());
    const outcome = await runGate(
      {
        spec: 'gate.yml',
        candidate: `runs:/${v2.info.runId}`,
        baseline: 'models:/churn/1',
        trackingUri: server.url,
        comment: 'never',
        failOn: 'fail',
        mlflowTags: true,
        history: false,
      },
      deps,
    );
    expect(outcome.report.passed).toBe(true);
    expect((await client.getRun(v2.info.runId)).data.tags['modelops.gate.churn']).toBe('passed');
  });
});

describe('model-gate with an MLflow file store', () => {
  it('reads the champion from mlruns/ and promotes the candidate there', async () => {
    const cwd = workspaceWithSpec(SPEC);
    const store = createMlflowClient({ trackingUri: path.join(cwd, 'mlruns'), env: {} });
    await seed(store);
    const run = await runAction('model-gate', {
      cwd,
      env: FAST,
      inputs: {
        spec: 'gate.yml',
        candidate: 'models:/churn/2',
        'tracking-uri': 'mlruns',
        'promote-alias': 'challenger',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('**Baseline** `models:/churn@champion (version 1)`');
    expect((await store.getModelVersionByAlias('churn', 'challenger')).version).toBe('2');
    expect((await store.getModelVersion('churn', 2)).tags['modelops.gate']).toBe('passed');
  });
});
