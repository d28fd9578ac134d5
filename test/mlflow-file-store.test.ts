/**
 * The file backend's on-disk results: MLflow's tree and file contents, nothing written outside the
 * store, and clear errors naming the file when a store file is damaged.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMlflowClient,
  MlflowError,
  MlflowInvalidParameterError,
  type MlflowClient,
} from '@modelops/mlflow-client';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('the file store on disk', () => {
  const directories: string[] = [];
  let root: string;
  let client: MlflowClient;

  beforeEach(async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mlflow-files-'));
    directories.push(directory);
    root = join(directory, 'mlruns');
    client = createMlflowClient({ trackingUri: root, env: {}, userId: 'ci-bot' });
  });
  afterAll(() =>
    Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))),
  );

  it("creates MLflow's store on first write: Default experiment 0, .trash and models", async () => {
    const run = await client.createRun({ experimentId: '0', runName: 'first' });
    expect((await readdir(root)).sort()).toEqual(['.trash', '0', 'models']);
    expect(await readFile(join(root, '0', 'meta.yaml'), 'utf8')).toMatch(
      /^artifact_location: file:\/\/\/.*\/mlruns\/0\ncreation_time: \d+\nexperiment_id: '0'\nlast_update_time: \d+\nlifecycle_stage: active\nname: Default\n$/,
    );
    expect(run.info.artifactUri).toBe(`file://${root}/0/${run.info.runId}/artifacts`);
  });

  it("writes runs in MLflow's layout", async () => {
    const experimentId = await client.createExperiment('layout', { tags: { team: 'ml' } });
    expect(experimentId).toMatch(/^[1-9]\d{17}$/);
    const run = await client.createRun({ experimentId, runName: 'r', startTime: 1718000000000 });
    const runDirectory = join(root, experimentId, run.info.runId);
    await client.logMetric(run.info.runId, 'auc', 0.9, { timestamp: 1718000000001, step: 1 });
    await client.logMetric(run.info.runId, 'auc', 1, { timestamp: 1718000000002, step: 2 });
    await client.logMetric(run.info.runId, 'eval/f1', 0.5, { timestamp: 1718000000003 });
    await client.logParam(run.info.runId, 'lr', '0.1');
    await client.setTag(run.info.runId, 'fingerprint', 'abc');
    await client.updateRun(run.info.runId, { status: 'FINISHED', endTime: 1718000000100 });

    expect((await readdir(runDirectory)).sort()).toEqual([
      'artifacts',
      'meta.yaml',
      'metrics',
      'params',
      'tags',
    ]);
    expect(await readFile(join(runDirectory, 'metrics', 'auc'), 'utf8')).toBe(
      '1718000000001 0.9 1\n1718000000002 1.0 2\n',
    );
    expect(await readFile(join(runDirectory, 'metrics', 'eval', 'f1'), 'utf8')).toBe('1718000000003 0.5 0\n');
    expect(await readFile(join(runDirectory, 'params', 'lr'), 'utf8')).toBe('0.1');
    expect(await readFile(join(runDirectory, 'tags', 'fingerprint'), 'utf8')).toBe('abc');
    expect(await readFile(join(runDirectory, 'tags', 'mlflow.runName'), 'utf8')).toBe('r');
    expect(await readFile(join(root, experimentId, 'tags', 'team'), 'utf8')).toBe('ml');
    expect(await readFile(join(runDirectory, 'meta.yaml'), 'utf8')).toBe(
      [
        `artifact_uri: file://${root}/${experimentId}/${run.info.runId}/artifacts`,
        'end_time: 1718000000100',
        "entry_point_name: ''",
        `experiment_id: '${experimentId}'`,
        'lifecycle_stage: active',
        `run_id: ${run.info.runId}`,
        'run_name: r',
        `run_uuid: ${run.info.runId}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        'start_time: 1718000000000',
        'status: 3',
        'tags: []',
        'user_id: ci-bot',
        '',
      ].join('\n'),
    );
    // No temporary files are left behind anywhere.
    const everything = await readdir(root, { recursive: true });
    expect(everything.filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });

  it("writes the registry in MLflow's layout", async () => {
    await client.createRegisteredModel('churn', { tags: { owner: 'ml' } });
    await client.createModelVersion({ name: 'churn', source: 's3://b/m', tags: { k: 'v' } });
    await client.setRegisteredModelAlias('churn', 'champion', 1);
    const model = join(root, 'models', 'churn');
    expect((await readdir(model)).sort()).toEqual(['aliases', 'meta.yaml', 'tags', 'version-1']);
    expect(await readFile(join(model, 'aliases', 'champion'), 'utf8')).toBe('1');
    expect(await readFile(join(model, 'tags', 'owner'), 'utf8')).toBe('ml');
    expect(await readFile(join(model, 'version-1', 'tags', 'k'), 'utf8')).toBe('v');
    const version = await readFile(join(model, 'version-1', 'meta.yaml'), 'utf8');
    expect(version).toContain('current_stage: None\n');
    expect(version).toContain('source: s3://b/m\n');
    expect(version).toContain('status: READY\n');
    expect(version).toContain('version: 1\n');
    expect(await readFile(join(model, 'meta.yaml'), 'utf8')).toMatch(
      /^aliases:\n {2}champion: '1'\ncreation_timestamp: \d+\n/,
    );
  });

  it('keeps every write inside the store', async () => {
    const experimentId = await client.createExperiment('safety');
    const run = await client.createRun({ experimentId });
    for (const key of ['../escape', '/abs', 'a/../../b', 'a//b', '.']) {
      expect(await rejection(client.setTag(run.info.runId, key, 'x')), key).toBeInstanceOf(
        MlflowInvalidParameterError,
      );
    }
    expect(await rejection(client.getRun('../../etc'))).toBeInstanceOf(MlflowInvalidParameterError);
    expect(await rejection(client.getExperiment('../x'))).toBeInstanceOf(MlflowInvalidParameterError);
    for (const name of ['a/b', '..', '50%']) {
      expect(await rejection(client.createRegisteredModel(name)), name).toBeInstanceOf(
        MlflowInvalidParameterError,
      );
    }
    expect(await readdir(join(root, '..'))).toEqual(['mlruns']);
  });

  it('names the damaged file when a meta.yaml or metric file is malformed', async () => {
    const experimentId = await client.createExperiment('damaged');
    const run = await client.createRun({ experimentId });
    const runDirectory = join(root, experimentId, run.info.runId);
    await writeFile(join(runDirectory, 'metrics', 'auc'), '1718000000000 not-a-number 0\n');
    const metric = await rejection(client.getRun(run.info.runId));
    expect(metric).toBeInstanceOf(MlflowError);
    expect((metric as MlflowError).file).toBe(join(runDirectory, 'metrics', 'auc'));
    expect((metric as MlflowError).describe()).toContain(
      "Repair or remove the line '1718000000000 not-a-number 0'",
    );

    await writeFile(join(runDirectory, 'meta.yaml'), 'run_id: [unclosed\n');
    const meta = await rejection(client.getRun(run.info.runId));
    expect(meta).toBeInstanceOf(MlflowError);
    expect((meta as MlflowError).file).toBe(join(runDirectory, 'meta.yaml'));
    // A search skips a damaged run, as MLflow does, instead of failing.
    expect((await client.searchRuns({ experimentIds: [experimentId] })).items).toEqual([]);
  });

  it('reads nothing into existence: a missing store answers empty', async () => {
    expect(await client.getExperimentByName('anything')).toBeUndefined();
    expect((await client.searchRuns({ experimentIds: ['0'] })).items).toEqual([]);
    expect((await client.searchModelVersions()).items).toEqual([]);
    await expect(readdir(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
