/**
 * Reads `test/fixtures/mlruns`, a store written by hand in MLflow's file-store layout: one experiment
 * with two runs (one in MLflow 2.x form, one in an older form: no `run_name` in `meta.yaml`, a 2-field
 * metric line, a nested metric key, a NaN) and a registered model with two versions and a `champion`
 * alias. Reading must not change the store.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlflowClient, MlflowAliasNotFoundError, type MlflowClient } from '@modelops/mlflow-client';

const STORE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mlruns');
const EXPERIMENT = '412278563452136786';
const BASELINE = '8f5c1e0a2b6d4c3e9a7f1b2c3d4e5f60';
const CANDIDATE = '3b1f6e2a9c8d4f7e8a1b2c3d4e5f6a7b';
const ARTIFACTS = `file:///home/runner/work/churn/churn/mlruns/${EXPERIMENT}`;

async function listing(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  const described = await Promise.all(
    entries.map(async (entry) => `${entry}:${(await stat(join(root, entry))).mtimeMs}`),
  );
  return described.sort();
}

describe('a hand-written MLflow file store (test/fixtures/mlruns)', () => {
  let client: MlflowClient;
  let before: string[];

  beforeAll(async () => {
    before = await listing(STORE);
    client = createMlflowClient({ trackingUri: `file://${STORE}`, env: {} });
  });

  it('reads experiments with their tags', async () => {
    expect(client.backend).toBe('file');
    const experiment = await client.getExperimentByName('churn-training');
    expect(experiment).toEqual({
      experimentId: EXPERIMENT,
      name: 'churn-training',
      artifactLocation: ARTIFACTS,
      lifecycleStage: 'active',
      creationTime: 1718000000000,
      lastUpdateTime: 1718000000000,
      tags: { team: 'ml-platform' },
    });
    expect((await client.getExperiment('0')).name).toBe('Default');
  });

  it('reads a run written by MLflow 2.x', async () => {
    const run = await client.getRun(BASELINE);
    expect(run.info).toEqual({
      runId: BASELINE,
      runName: 'baseline-gbm',
      experimentId: EXPERIMENT,
      userId: 'runner',
      status: 'FINISHED',
      startTime: 1718000005000,
      endTime: 1718000065000,
      artifactUri: `${ARTIFACTS}/${BASELINE}/artifacts`,
      lifecycleStage: 'active',
    });
    expect(run.data.metrics).toEqual({
      auc: { key: 'auc', value: 0.875, timestamp: 1718000030000, step: 2 },
      loss: { key: 'loss', value: 0.38, timestamp: 1718000030000, step: 2 },
    });
    expect(run.data.params).toEqual({ learning_rate: '0.1', n_estimators: '200' });
    expect(run.data.tags).toEqual({
      'data-hash': 'h-2024-06',
      fingerprint: 'sha256:5d41402abc4b2a76',
      'mlflow.runName': 'baseline-gbm',
      'mlflow.source.type': 'LOCAL',
      'mlflow.user': 'runner',
    });
  });

  it('reads a run in an older form: name from its tag, 2-field lines, nested keys, NaN', async () => {
    const run = await client.getRun(CANDIDATE);
    expect(run.info.runName).toBe('candidate-gbm');
    // Two points at step 2: the later timestamp wins, not the last line.
    expect(run.data.metrics.auc).toEqual({ key: 'auc', value: 0.912, timestamp: 1718003630000, step: 2 });
    expect(run.data.metrics.loss).toEqual({ key: 'loss', value: 0.44, timestamp: 1718003610000, step: 0 });
    expect(run.data.metrics['eval/f1']?.value).toBe(0.7);
    expect(run.data.metrics.calibration_error?.value).toBeNaN();
    const history = await client.getMetricHistory(CANDIDATE, 'auc');
    expect(history.items.map((point) => [point.step, point.value])).toEqual([
      [0, 0.84],
      [1, 0.9],
      [2, 0.912],
      [2, 0.905],
    ]);
  });

  it('searches the runs', async () => {
    const search = (filter: string, orderBy?: string[]) =>
      client
        .searchRuns({ experimentIds: [EXPERIMENT], filter, ...(orderBy ? { orderBy } : {}) })
        .then((page) => page.items.map((run) => run.info.runName));
    expect(await search("tags.fingerprint = 'sha256:7c211433f0207159'")).toEqual(['candidate-gbm']);
    expect(await search("tags.`data-hash` = 'h-2024-06'")).toEqual(['candidate-gbm', 'baseline-gbm']);
    expect(await search("attributes.status = 'FINISHED' and params.n_estimators = '200'")).toEqual([
      'baseline-gbm',
    ]);
    expect(await search('metrics.auc > 0.9')).toEqual(['candidate-gbm']);
    expect(await search('', ['metrics.loss ASC'])).toEqual(['baseline-gbm', 'candidate-gbm']);
    expect(await search("attributes.run_name = 'candidate-gbm'")).toEqual(['candidate-gbm']);
  });

  it('reads the registered model with its versions, tags and champion alias', async () => {
    const model = await client.getRegisteredModel('churn-classifier');
    expect(model).toMatchObject({
      name: 'churn-classifier',
      description: 'Predicts customer churn from usage features.',
      creationTimestamp: 1718000070000,
      lastUpdatedTimestamp: 1718003700000,
      tags: { owner: 'ml-platform' },
      aliases: { champion: '2' },
    });
    expect(model.latestVersions.map((version) => [version.version, version.currentStage])).toEqual([
      ['1', 'Archived'],
      ['2', 'None'],
    ]);

    const v1 = await client.getModelVersion('churn-classifier', 1);
    expect(v1).toEqual({
      name: 'churn-classifier',
      version: '1',
      creationTimestamp: 1718000070000,
      lastUpdatedTimestamp: 1718003700000,
      currentStage: 'Archived',
      source: `${ARTIFACTS}/${BASELINE}/artifacts/model`,
      runId: BASELINE,
      status: 'READY',
      tags: { validation_status: 'passed' },
      aliases: [],
    });
    const champion = await client.getModelVersionByAlias('churn-classifier', 'champion');
    expect(champion).toMatchObject({
      version: '2',
      description: 'Candidate with more trees.',
      source: `runs:/${CANDIDATE}/model`,
      runId: CANDIDATE,
      aliases: ['champion'],
    });
    expect(await client.findModelVersionByAlias('churn-classifier', 'challenger')).toBeUndefined();
    await expect(client.getModelVersionByAlias('churn-classifier', 'challenger')).rejects.toBeInstanceOf(
      MlflowAliasNotFoundError,
    );
    // MLflow's default order is last-updated first: version 1 was archived after version 2 was registered.
    const versions = await client.searchModelVersions({ filter: "name = 'churn-classifier'" });
    expect(versions.items.map((version) => version.version)).toEqual(['1', '2']);
  });

  it('resolves model URIs to the artifacts of the runs', async () => {
    const champion = await client.resolveModelUri('models:/churn-classifier@champion');
    expect(champion.artifactUri).toBe(`${ARTIFACTS}/${CANDIDATE}/artifacts/model`);
    const first = await client.resolveModelUri('models:/churn-classifier/1');
    expect(first.artifactUri).toBe(`${ARTIFACTS}/${BASELINE}/artifacts/model`);
    const archived = await client.resolveModelUri('models:/churn-classifier/archived');
    expect(archived.kind === 'model-version' && archived.modelVersion.version).toBe('1');
  });

  it('leaves the store untouched when reading', async () => {
    expect(await listing(STORE)).toEqual(before);
  });
});
