/** The local Kubeflow Pipelines server on its own: runs, filters, paging, errors and faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKfpServer, type KfpServer } from './index.ts';

let kfp: KfpServer;
let pipelineId: string;
let versionIds: string[];

beforeAll(async () => {
  kfp = await startKfpServer({ token: 't' });
  ({ pipelineId, versionIds } = kfp.state.addPipeline('p', 2));
});
afterAll(() => kfp.close());

async function call(method: string, path: string, body?: unknown, token = 't') {
  const response = await fetch(`${kfp.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const filter = (predicates: unknown[]) => encodeURIComponent(JSON.stringify({ predicates }));

describe('local Kubeflow Pipelines server', () => {
  it('creates runs on the latest version by default and reads them back', async () => {
    const created = await call('POST', '/apis/v2beta1/runs', {
      display_name: 'a',
      pipeline_version_reference: { pipeline_id: pipelineId },
      runtime_config: { parameters: { x: 1 } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      display_name: 'a',
      state: 'PENDING',
      pipeline_version_reference: { pipeline_id: pipelineId, pipeline_version_id: versionIds[1] },
      experiment_id: kfp.state.defaultExperimentId,
    });
    const read = await call('GET', `/apis/v2beta1/runs/${String(created.body.run_id)}`);
    expect(read.body).toEqual(created.body);
  });

  it('filters with EQUALS, IS_SUBSTRING, IN and numeric operation codes, sorts and pages', async () => {
    for (const name of ['b-1', 'b-2', 'c-1']) {
      await call('POST', '/apis/v2beta1/runs', {
        display_name: name,
        pipeline_version_reference: { pipeline_id: pipelineId },
      });
    }
    const names = async (query: string) =>
      (
        (await call('GET', `/apis/v2beta1/runs?${query}`)).body.runs as { display_name: string }[] | undefined
      )?.map((r) => r.display_name) ?? [];
    expect(
      await names(`filter=${filter([{ key: 'display_name', operation: 'EQUALS', string_value: 'b-2' }])}`),
    ).toEqual(['b-2']);
    expect(
      await names(
        `filter=${filter([{ key: 'display_name', operation: 9, stringValue: 'b-' }])}&sort_by=display_name%20desc`,
      ),
    ).toEqual(['b-2', 'b-1']);
    expect(
      await names(`filter=${filter([{ key: 'name', op: 'IN', string_values: { values: ['a', 'c-1'] } }])}`),
    ).toEqual(['a', 'c-1']);
    expect(
      await names(`filter=${filter([{ key: 'display_name', operation: 'EQUALS', string_value: 'none' }])}`),
    ).toEqual([]);
    const page1 = await call('GET', '/apis/v2beta1/runs?page_size=3');
    expect((page1.body.runs as unknown[]).length).toBe(3);
    expect(page1.body.total_size).toBe(4);
    const page2 = await call(
      'GET',
      `/apis/v2beta1/runs?page_size=3&page_token=${String(page1.body.next_page_token)}`,
    );
    expect((page2.body.runs as unknown[]).length).toBe(1);
    expect(page2.body.next_page_token).toBeUndefined();
  });

  it('answers runtimeError bodies with gRPC codes mapped to HTTP statuses', async () => {
    expect(
      await call('POST', '/apis/v2beta1/runs', {
        display_name: 'x',
        pipeline_version_reference: { pipeline_id: 'nope' },
      }),
    ).toMatchObject({
      status: 404,
      body: { code: 5, message: 'Pipeline nope not found' },
    });
    expect(
      (await call('POST', '/apis/v2beta1/runs', { pipeline_version_reference: { pipeline_id: pipelineId } }))
        .status,
    ).toBe(400);
    expect((await call('GET', '/apis/v2beta1/runs', undefined, 'wrong')).body).toMatchObject({ code: 16 });
    expect((await call('DELETE', '/apis/v2beta1/runs')).status).toBe(405);
    expect((await call('GET', '/apis/v2beta1/nothing')).status).toBe(404);
    expect(
      (
        await call(
          'GET',
          `/apis/v2beta1/runs?filter=${filter([{ key: 'owner', operation: 'EQUALS', string_value: 'x' }])}`,
        )
      ).status,
    ).toBe(400);
  });

  it('records requests that break the API description', async () => {
    const bad = await call('POST', '/apis/v2beta1/runs', {
      display_name: 'x',
      pipeline_version_reference: { pipeline_id: pipelineId },
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(() => kfp.assertNoViolations()).toThrow(
      /request of RunService_CreateRun: \/ must NOT have additional properties/,
    );
    kfp.clearViolations();
  });

  it('injects faults before or after a call takes effect', async () => {
    const before = kfp.state.runs.length;
    kfp.faults.inject({ match: 'RunService_CreateRun', status: 503 });
    kfp.faults.inject({ match: 'POST /apis/v2beta1/runs', status: 504, afterCommit: true });
    const body = { display_name: 'f', pipeline_version_reference: { pipeline_id: pipelineId } };
    expect((await call('POST', '/apis/v2beta1/runs', body)).status).toBe(503);
    expect(kfp.state.runs.length).toBe(before);
    expect((await call('POST', '/apis/v2beta1/runs', body)).status).toBe(504);
    expect(kfp.state.runs.length).toBe(before + 1);
    expect(kfp.requests.slice(-2).map((r) => [r.operation, r.status, r.injected])).toEqual([
      ['RunService_CreateRun', 503, true],
      ['RunService_CreateRun', 504, true],
    ]);
    kfp.assertNoViolations();
  });
});
