/**
 * The REST backend against the MLflow protocol server: retries over injected 503s, credentials,
 * MLflow's error bodies and statuses, and the shape of the requests the client sends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, RemoteError } from '@modelops/core';
import {
  createMlflowClient,
  MlflowError,
  MlflowNotFoundError,
  RestMlflowClient,
  type MlflowClient,
} from '@modelops/mlflow-client';
import { startMlflowServer, type MlflowServer } from './servers/mlflow/index.ts';

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('MLflow REST client against the protocol server', () => {
  let server: MlflowServer;
  let client: MlflowClient;

  beforeAll(async () => {
    server = await startMlflowServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    client = createMlflowClient({ env: { MLFLOW_TRACKING_URI: server.url }, retry: FAST_RETRY });
  });

  it('chooses the REST backend from MLFLOW_TRACKING_URI', () => {
    expect(client.backend).toBe('rest');
    expect(client).toBeInstanceOf(RestMlflowClient);
    expect(client.trackingUri).toBe(server.url);
  });

  it('recovers from injected 503s by retrying', async () => {
    server.failNext(2);
    const experiment = await client.getExperimentByName('Default');
    expect(experiment?.experimentId).toBe('0');
    expect(server.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(
      server.requests.every((request) => request.path === '/api/2.0/mlflow/experiments/get-by-name'),
    ).toBe(true);
  });

  it('retries a POST until it lands, and it lands once', async () => {
    server.failNext(1, { retryAfter: '0' });
    const id = await client.createExperiment('retried');
    expect(server.requests.map((request) => request.status)).toEqual([503, 200]);
    expect(
      (await client.searchExperiments({ filter: "name = 'retried'" })).items.map((e) => e.experimentId),
    ).toEqual([id]);
  });

  it('gives up after the configured attempts with a retryable remote error', async () => {
    const limited = createMlflowClient({
      trackingUri: server.url,
      env: {},
      retry: { ...FAST_RETRY, attempts: 3 },
    });
    server.failNext(5);
    const error = await rejection(limited.getRun('0123456789abcdef0123456789abcdef'));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, attempts: 3, retryable: true });
    expect((error as RemoteError).describe()).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry MLflow refusals', async () => {
    const error = await rejection(client.getRegisteredModel('absent'));
    expect(error).toBeInstanceOf(MlflowNotFoundError);
    expect((error as MlflowError).status).toBe(404);
    const calls = server.requests.filter((request) => request.path.endsWith('registered-models/get'));
    // One call, plus one lookup for the explanation (which also finds nothing).
    expect(calls).toHaveLength(2);
  });

  it('sends MLflow request shapes: NaN as proto JSON, GET queries, DELETE with a JSON body', async () => {
    const experimentId = await client.createExperiment('shapes');
    const run = await client.createRun({ experimentId });
    await client.logMetric(run.info.runId, 'nan-metric', Number.NaN, { timestamp: 5, step: 1 });
    const logged = server.requests.find((request) => request.path.endsWith('runs/log-metric'));
    expect(logged?.body).toMatchObject({
      run_id: run.info.runId,
      key: 'nan-metric',
      value: 'NaN',
      timestamp: 5,
      step: 1,
    });
    expect(logged?.headers['content-type']).toContain('application/json');

    await client.createRegisteredModel('m');
    await client.createModelVersion({ name: 'm', source: 's3://b/m' });
    await client.searchModelVersions({ filter: "name = 'm'", orderBy: ['version_number DESC', 'name ASC'] });
    const search = server.requests.find((request) => request.path.endsWith('model-versions/search'));
    expect(search?.method).toBe('GET');
    expect(search?.query).toMatchObject({
      filter: "name = 'm'",
      order_by: ['version_number DESC', 'name ASC'],
    });

    await client.setRegisteredModelAlias('m', 'champion', 1);
    await client.deleteRegisteredModelAlias('m', 'champion');
    const deletion = server.requests.find((request) => request.method === 'DELETE');
    expect(deletion?.path).toBe('/api/2.0/mlflow/registered-models/alias');
    expect(deletion?.body).toEqual({ name: 'm', alias: 'champion' });
  });
});

describe('the MLflow protocol server speaks MLflow 2.x', () => {
  let server: MlflowServer;
  beforeAll(async () => {
    server = await startMlflowServer();
  });
  afterAll(() => server.close());

  const api = (path: string) => `${server.url}/api/2.0/mlflow/${path}`;
  const post = (path: string, body: unknown) =>
    fetch(api(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers a missing alias with 400 INVALID_PARAMETER_VALUE and a missing model with 404', async () => {
    await post('registered-models/create', { name: 'm' });
    const alias = await fetch(api('registered-models/alias?name=m&alias=champion'));
    expect(alias.status).toBe(400);
    expect(await alias.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Registered model alias champion not found.',
    });
    const model = await fetch(api('registered-models/get?name=ghost'));
    expect(model.status).toBe(404);
    expect(await model.json()).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Registered Model with name=ghost not found',
    });
    const taken = await post('registered-models/create', { name: 'm' });
    expect(taken.status).toBe(400);
    expect(((await taken.json()) as { error_code: string }).error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('leaves empty lists out of its JSON, like proto JSON', async () => {
    const created = (await (await post('runs/create', { experiment_id: '0', start_time: 1 })).json()) as {
      run: { info: Record<string, unknown>; data: Record<string, unknown> };
    };
    expect(created.run.info).not.toHaveProperty('end_time');
    expect(created.run.data).not.toHaveProperty('metrics');
    expect(created.run.data).not.toHaveProperty('params');
    expect(
      await (await post('runs/search', { experiment_ids: ['0'], filter: "tags.x = 'none'" })).json(),
    ).toEqual({});
  });

  it('refuses a POST without a JSON content type, unknown routes and wrong methods', async () => {
    const noType = await fetch(api('experiments/create'), {
      method: 'POST',
      body: JSON.stringify({ name: 'x' }),
    });
    expect(noType.status).toBe(400);
    expect(((await noType.json()) as { error_code: string }).error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await fetch(api('nothing/here'))).status).toBe(404);
    expect((await fetch(api('runs/search'))).status).toBe(405);
    const missing = await fetch(api('experiments/get-by-name'));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toBe(
      "Missing value for required parameter 'experiment_name'. See the API docs for more information about request parameters.",
    );
  });

  it('refuses a local model source outside the run artifacts (MLflow >= 2.9)', async () => {
    await post('registered-models/create', { name: 'src' });
    const local = await post('model-versions/create', { name: 'src', source: '/etc/passwd' });
    expect(local.status).toBe(400);
    expect(((await local.json()) as { message: string }).message).toContain('Invalid model version source');
    const remote = await post('model-versions/create', {
      name: 'src',
      source: 'mlflow-artifacts:/0/abc/artifacts/m',
    });
    expect(remote.status).toBe(200);
  });

  it('reports an unknown endpoint to the client as a plain HTTP error', async () => {
    const client = createMlflowClient({
      trackingUri: `${server.url}/no-such-prefix`,
      env: {},
      retry: { attempts: 1 },
    });
    const error = await rejection(client.getExperiment('0'));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((error as HttpError).describe()).toContain('was not found on the server');
  });
});

describe('credentials', () => {
  const servers: MlflowServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));
  async function serverWith(auth: NonNullable<Parameters<typeof startMlflowServer>[0]>['auth']) {
    const server = await startMlflowServer({ auth });
    servers.push(server);
    return server;
  }

  it('sends a bearer token from MLFLOW_TRACKING_TOKEN', async () => {
    const server = await serverWith({ token: 's3cret' });
    const client = createMlflowClient({
      env: { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: 's3cret' },
      retry: FAST_RETRY,
    });
    expect((await client.getExperiment('0')).name).toBe('Default');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer s3cret');
  });

  it('sends basic auth from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD', async () => {
    const server = await serverWith({ username: 'ci', password: 'p:w' });
    const client = createMlflowClient({
      env: {
        MLFLOW_TRACKING_URI: server.url,
        MLFLOW_TRACKING_USERNAME: 'ci',
        MLFLOW_TRACKING_PASSWORD: 'p:w',
      },
      retry: FAST_RETRY,
    });
    expect((await client.getExperiment('0')).name).toBe('Default');
    expect(server.requests.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from('ci:p:w').toString('base64')}`,
    );
  });

  it('explains a 401 with the variables to set, without retrying', async () => {
    const server = await serverWith({ token: 's3cret' });
    const client = createMlflowClient({
      trackingUri: server.url,
      env: { MLFLOW_TRACKING_TOKEN: 'wrong' },
      retry: FAST_RETRY,
    });
    const error = await rejection(client.getExperiment('0'));
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).toMatchObject({ status: 401, errorCode: 'UNAUTHENTICATED' });
    expect((error as MlflowError).describe()).toContain('MLFLOW_TRACKING_TOKEN');
    expect(server.requests).toHaveLength(1);
  });
});
