/**
 * One contract for both MLflow backends: the same tests run against the REST client talking to the
 * local MLflow protocol server, and against the file store in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMlflowClient,
  MlflowAliasNotFoundError,
  MlflowAlreadyExistsError,
  MlflowInvalidParameterError,
  MlflowNotFoundError,
  type MlflowClient,
  type MlflowError,
  type Run,
} from '@modelops/mlflow-client';
import { startMlflowServer, type MlflowServer } from './servers/mlflow/index.ts';

interface Backend {
  name: string;
  /** A fresh, empty store and a client on it. */
  fresh(): Promise<MlflowClient>;
  close(): Promise<void>;
}

function restBackend(): Backend {
  let server: MlflowServer | undefined;
  return {
    name: 'REST API (protocol server)',
    async fresh() {
      server ??= await startMlflowServer();
      server.reset();
      return createMlflowClient({
        trackingUri: server.url,
        env: {},
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
    },
    async close() {
      await server?.close();
    },
  };
}

function fileBackend(): Backend {
  const directories: string[] = [];
  return {
    name: 'file store (mlruns)',
    async fresh() {
      const directory = await mkdtemp(join(tmpdir(), 'mlflow-contract-'));
      directories.push(directory);
      return createMlflowClient({ trackingUri: join(directory, 'mlruns'), env: {} });
    },
    async close() {
      await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const UNKNOWN_RUN = '0123456789abcdef0123456789abcdef';

describe.each([restBackend(), fileBackend()])('MLflow client contract: $name', (backend) => {
  let client: MlflowClient;

  beforeEach(async () => {
    client = await backend.fresh();
  });

  afterAll(() => backend.close());

  describe('experiments', () => {
    it('creates, gets by id and by name, and refuses a taken name', async () => {
      expect(await client.getExperimentByName('churn')).toBeUndefined();
      const id = await client.createExperiment('churn', { tags: { team: 'ml' } });
      const byId = await client.getExperiment(id);
      expect(byId).toMatchObject({
        experimentId: id,
        name: 'churn',
        lifecycleStage: 'active',
        tags: { team: 'ml' },
      });
      expect(byId.artifactLocation).toMatch(new RegExp(`${id}$`));
      expect(byId.creationTime).toBeGreaterThan(0);
      expect(await client.getExperimentByName('churn')).toEqual(byId);
      expect((await client.getExperimentByName('Default'))?.experimentId).toBe('0');

      const taken = await rejection(client.createExperiment('churn'));
      expect(taken).toBeInstanceOf(MlflowAlreadyExistsError);
      expect((taken as MlflowError).errorCode).toBe('RESOURCE_ALREADY_EXISTS');
      expect((taken as Error).message).toContain('churn');
    });

    it('gets or creates an experiment exactly once', async () => {
      const first = await client.getOrCreateExperiment('retrain');
      const second = await client.getOrCreateExperiment('retrain');
      expect(second.experimentId).toBe(first.experimentId);
      const all = await client.searchExperiments({ filter: "name = 'retrain'" });
      expect(all.items.map((experiment) => experiment.experimentId)).toEqual([first.experimentId]);
    });

    it('reports an unknown experiment id as not found', async () => {
      await client.createExperiment('exists');
      const error = await rejection(client.getExperiment('424242'));
      expect(error).toBeInstanceOf(MlflowNotFoundError);
      expect((error as MlflowError).errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    });

    it('searches experiments by name pattern and tag', async () => {
      await client.createExperiment('churn-a', { tags: { owner: 'x' } });
      await client.createExperiment('churn-b');
      await client.createExperiment('fraud');
      const churn = await client.searchExperiments({ filter: "name LIKE 'churn-%'", orderBy: ['name ASC'] });
      expect(churn.items.map((experiment) => experiment.name)).toEqual(['churn-a', 'churn-b']);
      const tagged = await client.searchExperiments({ filter: "tags.owner = 'x'" });
      expect(tagged.items.map((experiment) => experiment.name)).toEqual(['churn-a']);
    });
  });

  describe('runs', () => {
    let experimentId: string;
    beforeEach(async () => {
      experimentId = await client.createExperiment('runs');
    });

    it('creates a running run with its name, tags, start time and artifact URI', async () => {
      const run = await client.createRun({
        experimentId,
        runName: 'train-1',
        startTime: 1_700_000_000_000,
        tags: { a: 'b' },
      });
      expect(run.info).toMatchObject({
        runName: 'train-1',
        experimentId,
        status: 'RUNNING',
        startTime: 1_700_000_000_000,
        lifecycleStage: 'active',
      });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info.endTime).toBeUndefined();
      expect(run.info.artifactUri).toMatch(new RegExp(`/${experimentId}/${run.info.runId}/artifacts$`));
      expect(run.data.tags).toEqual({ a: 'b', 'mlflow.runName': 'train-1' });
      expect(await client.getRun(run.info.runId)).toEqual(run);
    });

    it('generates a run name when none is given, and refuses conflicting names', async () => {
      const run = await client.createRun({ experimentId });
      expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      expect(run.data.tags['mlflow.runName']).toBe(run.info.runName);
      const conflict = await rejection(
        client.createRun({ experimentId, runName: 'a', tags: { 'mlflow.runName': 'b' } }),
      );
      expect(conflict).toBeInstanceOf(MlflowInvalidParameterError);
    });

    it('logs metrics, params, tags and batches, and reads the latest metric values', async () => {
      const { info } = await client.createRun({ experimentId });
      await client.logMetric(info.runId, 'auc', 0.8, { step: 0, timestamp: 1000 });
      await client.logMetric(info.runId, 'auc', 0.9, { step: 2, timestamp: 1001 });
      await client.logMetric(info.runId, 'auc', 0.85, { step: 1, timestamp: 1002 });
      await client.logMetric(info.runId, 'calibration', Number.NaN, { timestamp: 1003 });
      await client.logMetric(info.runId, 'eval/f1', 1e-7, { timestamp: 1004 });
      await client.logParam(info.runId, 'lr', '0.1');
      await client.logParam(info.runId, 'lr', '0.1');
      await client.setTag(info.runId, 'stage', 'one');
      await client.setTag(info.runId, 'stage', 'two');
      await client.logBatch(info.runId, {
        metrics: [
          { key: 'loss', value: 0.5, step: 0, timestamp: 2000 },
          { key: 'loss', value: 0.25, step: 1, timestamp: 2001 },
        ],
        params: { depth: '6', 'data-hash': 'h1' },
        tags: [{ key: 'fingerprint', value: 'abc' }],
      });
      const run = await client.getRun(info.runId);
      expect(run.data.metrics.auc).toEqual({ key: 'auc', value: 0.9, step: 2, timestamp: 1001 });
      expect(run.data.metrics.loss).toEqual({ key: 'loss', value: 0.25, step: 1, timestamp: 2001 });
      expect(run.data.metrics['eval/f1']?.value).toBe(1e-7);
      expect(run.data.metrics.calibration?.value).toBeNaN();
      expect(run.data.params).toEqual({ lr: '0.1', depth: '6', 'data-hash': 'h1' });
      expect(run.data.tags).toMatchObject({ stage: 'two', fingerprint: 'abc' });
    });

    it('refuses to change a param and refuses bad keys', async () => {
      const { info } = await client.createRun({ experimentId });
      await client.logParam(info.runId, 'lr', '0.1');
      const changed = await rejection(client.logParam(info.runId, 'lr', '0.2'));
      expect(changed).toBeInstanceOf(MlflowInvalidParameterError);
      expect((changed as Error).message).toContain(
        "Changing param values is not allowed. Param with key='lr'",
      );
      const badKey = await rejection(client.logMetric(info.runId, '../escape', 1));
      expect(badKey).toBeInstanceOf(MlflowInvalidParameterError);
      const batchChange = await rejection(
        client.logBatch(info.runId, { params: { lr: '0.3' }, tags: { t: 'v' } }),
      );
      expect(batchChange).toBeInstanceOf(MlflowInvalidParameterError);
      expect((await client.getRun(info.runId)).data.tags.t).toBeUndefined();
    });

    it('returns the metric history in logging order, page by page', async () => {
      const { info } = await client.createRun({ experimentId });
      const values = [0.5, 0.4, 0.35, 0.3, 0.28];
      for (const [step, value] of values.entries()) {
        await client.logMetric(info.runId, 'loss', value, { step, timestamp: 5000 + step });
      }
      const all = await client.getMetricHistory(info.runId, 'loss');
      expect(all.items.map((point) => point.value)).toEqual(values);
      expect(all.items.map((point) => point.step)).toEqual([0, 1, 2, 3, 4]);
      expect(all.nextPageToken).toBeUndefined();

      const first = await client.getMetricHistory(info.runId, 'loss', { maxResults: 2 });
      expect(first.items.map((point) => point.value)).toEqual([0.5, 0.4]);
      expect(first.nextPageToken).toBeTruthy();
      const second = await client.getMetricHistory(info.runId, 'loss', {
        maxResults: 2,
        pageToken: first.nextPageToken,
      });
      expect(second.items.map((point) => point.value)).toEqual([0.35, 0.3]);
      expect(
        (await collect(client.iterateMetricHistory(info.runId, 'loss'))).map((point) => point.value),
      ).toEqual(values);
      expect((await client.getMetricHistory(info.runId, 'never-logged')).items).toEqual([]);
    });

    it('updates and finishes runs', async () => {
      const { info } = await client.createRun({ experimentId, runName: 'before' });
      const renamed = await client.updateRun(info.runId, { runName: 'after' });
      expect(renamed.runName).toBe('after');
      expect((await client.getRun(info.runId)).data.tags['mlflow.runName']).toBe('after');
      const finished = await client.finishRun(info.runId);
      expect(finished.status).toBe('FINISHED');
      expect(finished.endTime).toBeGreaterThanOrEqual(info.startTime);
      const failed = await client.updateRun(info.runId, { status: 'FAILED', endTime: 42 });
      expect(failed).toMatchObject({ status: 'FAILED', endTime: 42, runName: 'after' });
      expect((await client.getRun(info.runId)).info).toMatchObject({ status: 'FAILED', endTime: 42 });
    });

    it('reports an unknown run as not found', async () => {
      const error = await rejection(client.getRun(UNKNOWN_RUN));
      expect(error).toBeInstanceOf(MlflowNotFoundError);
      expect((error as Error).message).toContain(UNKNOWN_RUN);
      expect(await rejection(client.logMetric(UNKNOWN_RUN, 'x', 1))).toBeInstanceOf(MlflowNotFoundError);
    });
  });

  describe('run search', () => {
    let experimentId: string;
    let otherExperimentId: string;
    let runs: Record<string, Run>;

    beforeEach(async () => {
      experimentId = await client.createExperiment('search');
      otherExperimentId = await client.createExperiment('other');
      runs = {};
      const specs = [
        {
          name: 'r1',
          start: 1000,
          tags: { fingerprint: 'abc', 'data-hash': 'h1' },
          params: { lr: '0.1' },
          auc: 0.7,
          status: 'FINISHED',
        },
        {
          name: 'r2',
          start: 2000,
          tags: { fingerprint: 'abc', 'data-hash': 'h2' },
          params: { lr: '0.01' },
          auc: 0.9,
          status: 'FINISHED',
        },
        {
          name: 'r3',
          start: 3000,
          tags: { fingerprint: 'def', 'data-hash': 'h1' },
          params: { lr: '0.1' },
          auc: 0.4,
          status: 'FAILED',
        },
        {
          name: 'r4',
          start: 4000,
          tags: { fingerprint: 'ABC' },
          params: {},
          auc: undefined,
          status: 'RUNNING',
        },
        {
          name: 'r5',
          start: 5000,
          tags: { fingerprint: 'abc' },
          params: { lr: '0.2' },
          auc: 0.95,
          status: 'FINISHED',
        },
      ] as const;
      for (const spec of specs) {
        const run = await client.createRun({
          experimentId,
          runName: spec.name,
          startTime: spec.start,
          tags: spec.tags,
        });
        await client.logBatch(run.info.runId, {
          params: spec.params,
          metrics: spec.auc === undefined ? [] : [{ key: 'auc', value: spec.auc, timestamp: spec.start }],
        });
        if (spec.status !== 'RUNNING')
          await client.updateRun(run.info.runId, { status: spec.status, endTime: spec.start + 10 });
        runs[spec.name] = await client.getRun(run.info.runId);
      }
      await client.createRun({
        experimentId: otherExperimentId,
        runName: 'elsewhere',
        tags: { fingerprint: 'abc' },
      });
    });

    async function names(filter?: string, orderBy?: string[]): Promise<string[]> {
      const page = await client.searchRuns({
        experimentIds: [experimentId],
        ...(filter ? { filter } : {}),
        ...(orderBy ? { orderBy } : {}),
      });
      return page.items.map((run) => run.info.runName);
    }

    it('orders by start time, newest first, by default', async () => {
      expect(await names()).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    });

    it('filters on tags, including quoted keys, and is case-sensitive', async () => {
      expect(await names("tags.fingerprint = 'abc'")).toEqual(['r5', 'r2', 'r1']);
      expect(await names("tags.`data-hash` = 'h1'")).toEqual(['r3', 'r1']);
      expect(await names('tags."data-hash" = \'h2\'')).toEqual(['r2']);
      expect(await names("tags.fingerprint != 'abc'")).toEqual(['r4', 'r3']);
      expect(await names("tags.`data-hash` != 'h1'")).toEqual(['r2']);
      expect(await names("tags.fingerprint ILIKE 'ab%'")).toEqual(['r5', 'r4', 'r2', 'r1']);
      expect(await names("tags.fingerprint LIKE 'a_c'")).toEqual(['r5', 'r2', 'r1']);
    });

    it('filters on params, metrics and attributes, AND-ed', async () => {
      expect(await names("params.lr = '0.1'")).toEqual(['r3', 'r1']);
      expect(await names('metrics.auc > 0.5')).toEqual(['r5', 'r2', 'r1']);
      expect(await names('metrics.auc <= 0.7')).toEqual(['r3', 'r1']);
      expect(await names("attributes.status = 'FINISHED'")).toEqual(['r5', 'r2', 'r1']);
      expect(await names("status != 'FINISHED'")).toEqual(['r4', 'r3']);
      expect(await names('attributes.start_time >= 3000')).toEqual(['r5', 'r4', 'r3']);
      expect(await names("attributes.run_name LIKE 'r%' and attributes.end_time < 2500")).toEqual([
        'r2',
        'r1',
      ]);
      expect(
        await names("tags.fingerprint = 'abc' AND metrics.auc > 0.8 AND attributes.status = 'FINISHED'"),
      ).toEqual(['r5', 'r2']);
      const ids = [runs.r1, runs.r3].map((run) => `'${run?.info.runId}'`).join(', ');
      expect(await names(`attributes.run_id IN (${ids})`)).toEqual(['r3', 'r1']);
    });

    it('orders by metrics and attributes, missing values last', async () => {
      expect(await names(undefined, ['metrics.auc ASC'])).toEqual(['r3', 'r1', 'r2', 'r5', 'r4']);
      expect(await names(undefined, ['metrics.auc DESC'])).toEqual(['r5', 'r2', 'r1', 'r3', 'r4']);
      expect(await names(undefined, ['attributes.start_time ASC'])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      expect(await names(undefined, ['params.lr DESC', 'attributes.start_time ASC'])).toEqual([
        'r5',
        'r1',
        'r3',
        'r2',
        'r4',
      ]);
    });

    it('searches across experiments and pages through results', async () => {
      const both = await client.searchRuns({
        experimentIds: [experimentId, otherExperimentId],
        filter: "tags.fingerprint = 'abc'",
      });
      expect(both.items.map((run) => run.info.runName).sort()).toEqual(['elsewhere', 'r1', 'r2', 'r5']);

      const first = await client.searchRuns({ experimentIds: [experimentId], maxResults: 2 });
      expect(first.items.map((run) => run.info.runName)).toEqual(['r5', 'r4']);
      expect(first.nextPageToken).toBeTruthy();
      const second = await client.searchRuns({
        experimentIds: [experimentId],
        maxResults: 2,
        pageToken: first.nextPageToken,
      });
      expect(second.items.map((run) => run.info.runName)).toEqual(['r3', 'r2']);
      const third = await client.searchRuns({
        experimentIds: [experimentId],
        maxResults: 2,
        pageToken: second.nextPageToken,
      });
      expect(third.items.map((run) => run.info.runName)).toEqual(['r1']);
      expect(third.nextPageToken).toBeUndefined();

      const iterated = await collect(client.iterateRuns({ experimentIds: [experimentId], maxResults: 2 }));
      expect(iterated.map((run) => run.info.runName)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    });

    it('returns full runs from a search', async () => {
      const [found] = (
        await client.searchRuns({ experimentIds: [experimentId], filter: "attributes.run_name = 'r2'" })
      ).items;
      expect(found).toEqual(runs.r2);
    });

    it('refuses malformed filters, order clauses and page tokens', async () => {
      const bad = [
        { filter: 'tags.fingerprint = abc' },
        { filter: "metrics.auc > 'high'" },
        { filter: "tags.a = 'x' OR tags.b = 'y'" },
        { filter: "nonsense.key = 'x'" },
        { filter: "attributes.colour = 'red'" },
        { orderBy: ['metrics.auc SIDEWAYS'] },
        { pageToken: 'not-a-token!' },
        { maxResults: 50_001 },
      ];
      for (const options of bad) {
        const error = await rejection(client.searchRuns({ experimentIds: [experimentId], ...options }));
        expect(error, JSON.stringify(options)).toBeInstanceOf(MlflowInvalidParameterError);
      }
    });
  });

  describe('model registry', () => {
    let runId: string;
    beforeEach(async () => {
      const experimentId = await client.createExperiment('registry');
      runId = (await client.createRun({ experimentId })).info.runId;
    });

    it('creates and gets registered models, refusing a taken name', async () => {
      const created = await client.createRegisteredModel('churn', {
        description: 'Churn model',
        tags: { owner: 'ml' },
      });
      expect(created).toMatchObject({
        name: 'churn',
        description: 'Churn model',
        tags: { owner: 'ml' },
        aliases: {},
      });
      const got = await client.getRegisteredModel('churn');
      expect(got).toMatchObject({
        name: 'churn',
        description: 'Churn model',
        tags: { owner: 'ml' },
        latestVersions: [],
      });
      expect(got.creationTimestamp).toBeGreaterThan(0);
      expect(await rejection(client.createRegisteredModel('churn'))).toBeInstanceOf(MlflowAlreadyExistsError);
    });

    it('names the nearest models when a model is unknown', async () => {
      await client.createRegisteredModel('churn-classifier');
      await client.createRegisteredModel('fraud-detector');
      const error = await rejection(client.getRegisteredModel('churn-clasifier'));
      expect(error).toBeInstanceOf(MlflowNotFoundError);
      expect((error as MlflowError).suggestions).toEqual(['churn-classifier']);
      expect((error as MlflowError).describe()).toContain("Did you mean 'churn-classifier'?");
    });

    it('registers numbered versions and lists existing versions when one is unknown', async () => {
      await client.createRegisteredModel('churn');
      const v1 = await client.createModelVersion({
        name: 'churn',
        source: `runs:/${runId}/model`,
        runId,
        tags: { stage: 'gold' },
      });
      const v2 = await client.createModelVersion({
        name: 'churn',
        source: `runs:/${runId}/model2`,
        runId,
        description: 'second',
      });
      expect(v1).toMatchObject({
        name: 'churn',
        version: '1',
        status: 'READY',
        currentStage: 'None',
        runId,
        tags: { stage: 'gold' },
        aliases: [],
      });
      expect(v2).toMatchObject({ version: '2', description: 'second', source: `runs:/${runId}/model2` });
      expect(await client.getModelVersion('churn', 2)).toEqual(v2);

      const missing = await rejection(client.getModelVersion('churn', '7'));
      expect(missing).toBeInstanceOf(MlflowNotFoundError);
      expect((missing as MlflowError).suggestions).toEqual(['1', '2']);
      expect(
        await rejection(client.createModelVersion({ name: 'nope', source: `runs:/${runId}/m` })),
      ).toBeInstanceOf(MlflowNotFoundError);
      const latest = await client.getRegisteredModel('churn');
      expect(latest.latestVersions.map((version) => version.version)).toEqual(['2']);
      expect((await client.getLatestModelVersion('churn')).version).toBe('2');
    });

    it('sets and overwrites registered model tags, and refuses an unknown model', async () => {
      await client.createRegisteredModel('churn');
      await client.setRegisteredModelTag('churn', 'modelops.traffic', '{"1":90,"2":10}');
      await client.setRegisteredModelTag('churn', 'modelops.traffic', '{"2":100}');
      expect((await client.getRegisteredModel('churn')).tags).toEqual({ 'modelops.traffic': '{"2":100}' });
      await expect(client.setRegisteredModelTag('churm', 'k', 'v')).rejects.toThrow(MlflowNotFoundError);
    });

    it('searches model versions by name, run id and tag, with pagination', async () => {
      await client.createRegisteredModel('churn');
      await client.createRegisteredModel('fraud');
      for (let index = 0; index < 3; index++)
        await client.createModelVersion({ name: 'churn', source: `runs:/${runId}/m${index}`, runId });
      await client.createModelVersion({ name: 'fraud', source: 's3://bucket/fraud' });
      await client.setModelVersionTag('churn', '2', 'validated', 'yes');

      const churn = await client.searchModelVersions({
        filter: "name = 'churn'",
        orderBy: ['version_number DESC'],
      });
      expect(churn.items.map((version) => version.version)).toEqual(['3', '2', '1']);
      const byRun = await client.searchModelVersions({ filter: `run_id = '${runId}'` });
      expect(byRun.items.every((version) => version.name === 'churn')).toBe(true);
      expect(byRun.items).toHaveLength(3);
      const tagged = await client.searchModelVersions({
        filter: "name = 'churn' and tags.validated = 'yes'",
      });
      expect(tagged.items.map((version) => version.version)).toEqual(['2']);
      expect(tagged.items[0]?.tags).toEqual({ validated: 'yes' });

      const page = await client.searchModelVersions({
        filter: "name = 'churn'",
        orderBy: ['version_number ASC'],
        maxResults: 2,
      });
      expect(page.items.map((version) => version.version)).toEqual(['1', '2']);
      const rest = await client.searchModelVersions({
        filter: "name = 'churn'",
        orderBy: ['version_number ASC'],
        maxResults: 2,
        pageToken: page.nextPageToken,
      });
      expect(rest.items.map((version) => version.version)).toEqual(['3']);
      expect((await collect(client.iterateModelVersions({ maxResults: 1 }))).length).toBe(4);

      const models = await client.searchRegisteredModels({ filter: "name LIKE 'ch%'" });
      expect(models.items.map((model) => model.name)).toEqual(['churn']);
    });

    it('sets, moves, reads and deletes aliases', async () => {
      await client.createRegisteredModel('churn');
      await client.createModelVersion({ name: 'churn', source: `runs:/${runId}/a`, runId });
      await client.createModelVersion({ name: 'churn', source: `runs:/${runId}/b`, runId });
      await client.setRegisteredModelAlias('churn', 'champion', '1');
      await client.setRegisteredModelAlias('churn', 'challenger', 2);
      expect((await client.getModelVersionByAlias('churn', 'champion')).version).toBe('1');
      expect((await client.getModelVersion('churn', 1)).aliases).toEqual(['champion']);
      expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '1', challenger: '2' });

      await client.setRegisteredModelAlias('churn', 'champion', '2');
      const promoted = await client.getModelVersionByAlias('churn', 'champion');
      expect(promoted.version).toBe('2');
      expect([...promoted.aliases].sort()).toEqual(['challenger', 'champion']);
      expect((await client.getModelVersion('churn', 1)).aliases).toEqual([]);

      await client.deleteRegisteredModelAlias('churn', 'challenger');
      await client.deleteRegisteredModelAlias('churn', 'challenger');
      expect(await client.findModelVersionByAlias('churn', 'challenger')).toBeUndefined();
      expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '2' });
    });

    it('reports a missing alias as INVALID_PARAMETER_VALUE listing the set aliases', async () => {
      await client.createRegisteredModel('churn');
      await client.createModelVersion({ name: 'churn', source: `runs:/${runId}/a`, runId });
      await client.setRegisteredModelAlias('churn', 'champion', '1');
      const error = await rejection(client.getModelVersionByAlias('churn', 'champ'));
      expect(error).toBeInstanceOf(MlflowAliasNotFoundError);
      expect(error).toBeInstanceOf(MlflowInvalidParameterError);
      expect((error as MlflowError).errorCode).toBe('INVALID_PARAMETER_VALUE');
      expect((error as Error).message).toBe('Registered model alias champ not found.');
      expect((error as MlflowError).suggestions).toEqual(['champion']);
      expect((error as MlflowError).fix).toContain('champion → version 1');

      expect(await rejection(client.getModelVersionByAlias('nope', 'champion'))).toBeInstanceOf(
        MlflowNotFoundError,
      );
      expect(await rejection(client.setRegisteredModelAlias('churn', 'champion', '9'))).toBeInstanceOf(
        MlflowNotFoundError,
      );
      for (const reserved of ['latest', 'v3', 'has space']) {
        expect(await rejection(client.setRegisteredModelAlias('churn', reserved, '1'))).toBeInstanceOf(
          MlflowInvalidParameterError,
        );
      }
    });
  });

  describe('model URIs', () => {
    it('resolves models:/ by version, alias and latest, and runs:/ to artifact URIs', async () => {
      const experimentId = await client.createExperiment('uris');
      const run = await client.createRun({ experimentId });
      await client.createRegisteredModel('churn');
      await client.createModelVersion({
        name: 'churn',
        source: `runs:/${run.info.runId}/model`,
        runId: run.info.runId,
      });
      await client.createModelVersion({ name: 'churn', source: 's3://models/churn/2' });
      await client.setRegisteredModelAlias('churn', 'champion', '1');

      const byAlias = await client.resolveModelUri('models:/churn@champion');
      expect(byAlias.kind).toBe('model-version');
      expect(byAlias.kind === 'model-version' && byAlias.modelVersion.version).toBe('1');
      expect(byAlias.artifactUri).toBe(`${run.info.artifactUri}/model`);

      const byVersion = await client.resolveModelUri('models:/churn/2');
      expect(byVersion.artifactUri).toBe('s3://models/churn/2');
      const latest = await client.resolveModelUri('models:/churn/latest');
      expect(latest.kind === 'model-version' && latest.modelVersion.version).toBe('2');

      const byRun = await client.resolveModelUri(`runs:/${run.info.runId}/model/MLmodel`);
      expect(byRun.kind).toBe('run-artifact');
      expect(byRun.artifactUri).toBe(`${run.info.artifactUri}/model/MLmodel`);

      expect(await rejection(client.resolveModelUri('models:/churn@ghost'))).toBeInstanceOf(
        MlflowAliasNotFoundError,
      );
      expect(await rejection(client.resolveModelUri('models:/ghost/1'))).toBeInstanceOf(MlflowNotFoundError);
      expect(await rejection(client.resolveModelUri(`runs:/${UNKNOWN_RUN}/model`))).toBeInstanceOf(
        MlflowNotFoundError,
      );
    });
  });
});

describe('the two backends agree', () => {
  let server: MlflowServer;
  let directory: string;
  beforeAll(async () => {
    server = await startMlflowServer();
    directory = await mkdtemp(join(tmpdir(), 'mlflow-agree-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('gives the same run data for the same calls', async () => {
    const clients = [
      createMlflowClient({ trackingUri: server.url, env: {} }),
      createMlflowClient({ trackingUri: join(directory, 'mlruns'), env: {} }),
    ];
    const views = [];
    for (const client of clients) {
      const experimentId = await client.createExperiment('agree');
      const run = await client.createRun({ experimentId, runName: 'same', startTime: 10, tags: { k: 'v' } });
      await client.logBatch(run.info.runId, {
        metrics: [
          { key: 'm', value: 1.5, timestamp: 11, step: 3 },
          { key: 'm', value: -0.25, timestamp: 12, step: 1 },
          { key: 'big', value: 1e21, timestamp: 13 },
        ],
        params: { p: 'x' },
      });
      await client.finishRun(run.info.runId, 'KILLED');
      const fetched = await client.getRun(run.info.runId);
      views.push({
        data: fetched.data,
        status: fetched.info.status,
        name: fetched.info.runName,
        history: (await client.getMetricHistory(run.info.runId, 'm')).items,
      });
    }
    expect(views[1]).toEqual(views[0]);
  });
});
