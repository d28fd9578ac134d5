/** The local Argo Workflows server on its own: submit, names, label selectors, errors and faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgoServer, type ArgoServer } from './index.ts';

let argo: ArgoServer;

beforeAll(async () => {
  argo = await startArgoServer();
  argo.state.addTemplate({
    namespace: 'ml',
    name: 'train',
    parameters: [{ name: 'fingerprint' }, { name: 'epochs', value: '5' }],
  });
});
afterAll(() => argo.close());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${argo.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const submit = (submitOptions: Record<string, unknown>) =>
  call('POST', '/api/v1/workflows/ml/submit', {
    namespace: 'ml',
    resourceKind: 'WorkflowTemplate',
    resourceName: 'train',
    submitOptions,
  });

describe('local Argo Workflows server', () => {
  it('submits from a template with parameters, labels and annotations', async () => {
    const { status, body } = await submit({
      name: 'w-1',
      parameters: ['fingerprint=sha256:ab=cd'],
      labels: 'app=churn,tier=gold',
      annotations: 'note=a=b',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metadata: {
        name: 'w-1',
        namespace: 'ml',
        labels: { app: 'churn', tier: 'gold', 'workflows.argoproj.io/workflow-template': 'train' },
        annotations: { note: 'a=b' },
      },
      spec: {
        arguments: {
          parameters: [
            { name: 'fingerprint', value: 'sha256:ab=cd' },
            { name: 'epochs', value: '5' },
          ],
        },
      },
      status: {},
    });
    expect(String((body.metadata as { creationTimestamp: string }).creationTimestamp)).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
  });

  it('refuses a taken name with 409 AlreadyExists and generates names otherwise', async () => {
    expect(await submit({ name: 'w-1', parameters: ['fingerprint=x'] })).toEqual({
      status: 409,
      body: {
        error:
          'workflows.argoproj.io "w-1" already exists, the server was not able to generate a unique name for the object',
        code: 6,
        message:
          'workflows.argoproj.io "w-1" already exists, the server was not able to generate a unique name for the object',
        details: [],
      },
    });
    const generated = await submit({ parameters: ['fingerprint=x'] });
    expect((generated.body.metadata as { name: string }).name).toMatch(/^train-[0-9a-f]{5}$/);
  });

  it('lists by label selector, with items null when nothing matches', async () => {
    const list = async (selector: string) =>
      (await call('GET', `/api/v1/workflows/ml?listOptions.labelSelector=${encodeURIComponent(selector)}`))
        .body.items as { metadata: { name: string } }[] | null;
    expect((await list('app=churn,tier==gold'))?.map((w) => w.metadata.name)).toEqual(['w-1']);
    expect(await list('app!=churn,tier')).toBeNull();
    expect((await list('!tier'))?.length).toBe(1);
    argo.state.setPhase('ml', 'w-1', 'Succeeded');
    expect((await call('GET', '/api/v1/workflows/ml/w-1')).body.status).toMatchObject({ phase: 'Succeeded' });
  });

  it('answers argo-server errors', async () => {
    expect((await submit({ parameters: ['epochs=1'] })).body).toMatchObject({
      code: 3,
      message: 'spec.arguments.fingerprint.value is required',
    });
    expect((await submit({ parameters: ['fingerprint'] })).status).toBe(400);
    expect(
      (await submit({ name: 'w-2', parameters: ['fingerprint=x'], labels: `l=${'x'.repeat(64)}` })).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/api/v1/workflows/ml/submit', {
          resourceKind: 'WorkflowTemplate',
          resourceName: 'nope',
        })
      ).body,
    ).toMatchObject({ code: 5, message: 'workflowtemplates.argoproj.io "nope" not found' });
    expect((await call('GET', '/api/v1/workflows/ml/none')).status).toBe(404);
    argo.assertNoViolations();
  });

  it('injects a fault after the workflow was created', async () => {
    argo.faults.inject({ match: 'WorkflowService_SubmitWorkflow', status: 502, afterCommit: true });
    expect((await submit({ name: 'w-lost', parameters: ['fingerprint=x'] })).status).toBe(502);
    expect(argo.state.find('ml', 'w-lost')).toBeDefined();
  });
});
