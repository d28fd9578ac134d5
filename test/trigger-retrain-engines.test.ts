/**
 * trigger-retrain dispatching to Kubeflow Pipelines and Argo Workflows through its bundle, against
 * stateful local servers built from the engines' API descriptions: dispatch, deduplication by
 * fingerprint (KFP display name; Argo's fixed workflow name and 409 AlreadyExists), waiting for
 * success, failure and timeout, and create calls whose answer is lost after they took effect.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitBlobId } from '@modelops/core';
import { computeFingerprint } from '../actions/trigger-retrain/src/fingerprint.ts';
import { runAction, type ActionRun } from './harness/index.ts';
import { startKfpServer, type KfpServer, type RuntimeState } from './servers/kubeflow/index.ts';
import { startArgoServer, type ArgoServer, type WorkflowPhase } from './servers/argo/index.ts';

const TOKEN = 'kfp-and-argo-token';

/** A workspace (no git) whose code differs per test, so each test has its own fingerprint. */
function workspace(seed: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrain-engine-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/train.py'), `# ${seed}\n`);
  return dir;
}

function step(cwd: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('trigger-retrain', {
    cwd,
    inputs: {
      model: 'churn',
      'code-paths': 'src/**',
      baseline: 'lock',
      token: TOKEN,
      upload: 'false',
      ...inputs,
    },
    env: { MODELOPS_RETRY_BASE_MS: '5', MODELOPS_POLL_BASE_MS: '20' },
  });
}

describe('Kubeflow Pipelines', () => {
  let kfp: KfpServer;
  let pipelineId: string;
  let versionIds: string[];
  const kfpStep = (cwd: string, inputs: Record<string, string> = {}) =>
    step(cwd, { dispatch: 'kubeflow', 'kfp-url': kfp.url, 'kfp-pipeline-id': pipelineId, ...inputs });
  /** Plays the orchestrator: each new run goes RUNNING, then `end`. */
  const playRuns = (end: RuntimeState) =>
    kfp.state.onRunCreated((run) => {
      setTimeout(() => kfp.state.setRunState(run.run_id, 'RUNNING'), 100);
      setTimeout(() => kfp.state.setRunState(run.run_id, end), 400);
    });

  beforeAll(async () => {
    kfp = await startKfpServer({ token: TOKEN });
    ({ pipelineId, versionIds } = kfp.state.addPipeline('churn-training', 2));
  });
  afterAll(() => kfp.close());
  afterEach(() => kfp.assertNoViolations());

  it('creates one run named after the fingerprint, with the parameters, then finds it', async () => {
    const cwd = workspace('kfp-dispatch');
    const first = await kfpStep(cwd, { inputs: '{"epochs": 20}' });
    expect(first.errors).toEqual([]);
    const run = kfp.state.runs.at(-1);
    expect(first.outputs).toMatchObject({
      deduplicated: 'false',
      'run-id': run?.run_id,
      'run-url': `${kfp.url}/#/runs/details/${run?.run_id}`,
    });
    expect(run?.display_name).toBe(`retrain churn ${first.outputs.fingerprint}`);
    // No version given: the pipeline's latest.
    expect(run?.pipeline_version_reference).toEqual({
      pipeline_id: pipelineId,
      pipeline_version_id: versionIds[1],
    });
    expect((run?.runtime_config as { parameters: Record<string, unknown> }).parameters).toMatchObject({
      epochs: 20,
      fingerprint: first.outputs.fingerprint,
      reasons: expect.stringContaining('NO_BASELINE'),
    });
    const count = kfp.state.runs.length;
    const again = await kfpStep(cwd);
    expect(again.outputs).toMatchObject({ deduplicated: 'true', 'run-id': run?.run_id });
    expect(kfp.state.runs.length).toBe(count);
    const lookups = kfp.requests.filter((r) => r.operation === 'RunService_ListRuns');
    expect(JSON.parse(lookups.at(-1)?.query.filter as string)).toEqual({
      predicates: [
        {
          key: 'display_name',
          operation: 'EQUALS',
          string_value: `retrain churn ${first.outputs.fingerprint}`,
        },
      ],
    });
  });

  it('recovers a create call whose answer was lost, without a second run', async () => {
    const count = kfp.state.runs.length;
    kfp.faults.inject({ match: 'RunService_CreateRun', status: 504, afterCommit: true });
    const run = await kfpStep(workspace('kfp-lost-answer'), {
      'kfp-pipeline-version-id': versionIds[0] as string,
    });
    expect(run.errors).toEqual([]);
    expect(kfp.state.runs.length).toBe(count + 1);
    expect(run.outputs['run-id']).toBe(kfp.state.runs.at(-1)?.run_id);
    expect(
      kfp.requests
        .filter((r) => r.operation === 'RunService_CreateRun')
        .slice(-1)
        .map((r) => [r.status, r.injected]),
    ).toEqual([[504, true]]);
  });

  it('waits for success and failure', async () => {
    let stop = playRuns('SUCCEEDED');
    const ok = await kfpStep(workspace('kfp-ok'), { wait: 'true', timeout: '60s' }).finally(stop);
    expect(ok.errors).toEqual([]);
    expect(ok.outputs.conclusion).toBe('success');
    stop = playRuns('FAILED');
    const failed = await kfpStep(workspace('kfp-failed'), { wait: 'true', timeout: '60s' }).finally(stop);
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs.conclusion).toBe('failure');
    expect(failed.errors[0]).toMatch(
      /^The training run [0-9a-f-]{36} \(http:.*\/#\/runs\/details\/[0-9a-f-]{36}\) ended in failure\./,
    );
  });

  it('names the input for a wrong token or pipeline', async () => {
    const unauthorized = await kfpStep(workspace('kfp-401'), { token: 'wrong' });
    expect(unauthorized.errors[0]).toMatch(
      /^input 'token': Kubeflow Pipelines refused to call the API \(HTTP 401\).* Fix: Pass a bearer token/,
    );
    const missing = await kfpStep(workspace('kfp-404'), { 'kfp-pipeline-id': 'no-such-pipeline' });
    expect(missing.errors[0]).toMatch(
      /^input 'kfp-pipeline-id': Kubeflow Pipelines could not create a run \(HTTP 404\): Pipeline no-such-pipeline not found\./,
    );
  });
});

describe('Argo Workflows', () => {
  let argo: ArgoServer;
  const argoStep = (cwd: string, inputs: Record<string, string> = {}) =>
    step(cwd, {
      dispatch: 'argo',
      'argo-url': argo.url,
      'argo-namespace': 'ml',
      'argo-template': 'train-churn',
      ...inputs,
    });
  const playWorkflows = (end: WorkflowPhase & ('Succeeded' | 'Failed')) =>
    argo.state.onWorkflowCreated((w) => {
      setTimeout(() => argo.state.setPhase('ml', w.metadata.name, 'Running'), 100);
      setTimeout(() => argo.state.setPhase('ml', w.metadata.name, end), 400);
    });

  beforeAll(async () => {
    argo = await startArgoServer({ token: TOKEN });
    argo.state.addTemplate({
      namespace: 'ml',
      name: 'train-churn',
      parameters: [{ name: 'fingerprint' }, { name: 'reasons' }, { name: 'epochs', value: '10' }],
    });
  });
  afterAll(() => argo.close());
  afterEach(() => argo.assertNoViolations());

  it('submits a workflow with a fixed name, labels and parameters, then finds it', async () => {
    const cwd = workspace('argo-dispatch');
    const first = await argoStep(cwd);
    expect(first.errors).toEqual([]);
    const hex = (first.outputs.fingerprint as string).slice(7);
    const workflow = argo.state.find('ml', `churn-${hex.slice(0, 16)}`);
    expect(workflow).toBeDefined();
    expect(first.outputs).toMatchObject({
      deduplicated: 'false',
      'run-id': `churn-${hex.slice(0, 16)}`,
      'run-url': `${argo.url}/workflows/ml/churn-${hex.slice(0, 16)}`,
    });
    expect(workflow?.metadata.labels).toMatchObject({
      'modelops.io/model': 'churn',
      'modelops.io/fingerprint': hex.slice(0, 40),
    });
    expect(workflow?.metadata.annotations?.['modelops.io/fingerprint']).toBe(first.outputs.fingerprint);
    expect(
      Object.fromEntries(workflow?.spec.arguments.parameters.map((p) => [p.name, p.value]) ?? []),
    ).toMatchObject({
      fingerprint: first.outputs.fingerprint,
      epochs: '10',
    });
    const again = await argoStep(cwd);
    expect(again.outputs).toMatchObject({ deduplicated: 'true', 'run-id': workflow?.metadata.name });
    expect(
      argo.state.workflows.filter((w) => w.metadata.name.startsWith(`churn-${hex.slice(0, 16)}`)),
    ).toHaveLength(1);
  });

  it('lets two concurrent steps create exactly one workflow (409 AlreadyExists)', async () => {
    const cwd = workspace('argo-race');
    const count = argo.state.workflows.length;
    const runs = await Promise.all([argoStep(cwd), argoStep(cwd)]);
    for (const run of runs) expect(run.errors).toEqual([]);
    expect(argo.state.workflows.length).toBe(count + 1);
    expect(runs.map((r) => r.outputs.deduplicated).sort()).toEqual(['false', 'true']);
    expect(new Set(runs.map((r) => r.outputs['run-id'])).size).toBe(1);
  });

  it('reads 409 AlreadyExists as "already dispatched"', async () => {
    // A workflow of that name the label lookup cannot see yet (e.g. a lagging list cache).
    const cwd = workspace('argo-409');
    // The fingerprint the step will compute: the model and the blob id of its one code file.
    const blob = gitBlobId(readFileSync(path.join(cwd, 'src/train.py')));
    const fingerprint = computeFingerprint('churn', {
      datasets: {},
      code: [{ path: 'src/train.py', blob }],
      config: [],
      params: {},
    });
    const name = `churn-${fingerprint.slice(7, 23)}`;
    argo.state.submit('ml', {
      resourceKind: 'WorkflowTemplate',
      resourceName: 'train-churn',
      submitOptions: { name, parameters: ['fingerprint=x', 'reasons=[]'] },
    });
    const run = await argoStep(cwd);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ fingerprint, deduplicated: 'true', 'run-id': name });
    expect(argo.requests.filter((r) => r.operation === 'WorkflowService_SubmitWorkflow').at(-1)?.status).toBe(
      409,
    );
  });

  it('waits for success; a failed workflow does not count, so the next step submits the next name', async () => {
    let stop = playWorkflows('Failed');
    const cwd = workspace('argo-wait');
    const failed = await argoStep(cwd, { wait: 'true', timeout: '60s' }).finally(stop);
    expect(failed.outputs.conclusion).toBe('failure');
    expect(failed.errors[0]).toMatch(/^The training run churn-[0-9a-f]{16} \(.*\) ended in failure\./);
    stop = playWorkflows('Succeeded');
    const retried = await argoStep(cwd, { wait: 'true', timeout: '60s' }).finally(stop);
    expect(retried.errors).toEqual([]);
    expect(retried.outputs).toMatchObject({
      conclusion: 'success',
      'run-id': `${failed.outputs['run-id']}-r2`,
    });
  });

  it('recovers a submit whose answer was lost, and names a missing template', async () => {
    argo.faults.inject({ match: 'WorkflowService_SubmitWorkflow', status: 502, afterCommit: true });
    const count = argo.state.workflows.length;
    const run = await argoStep(workspace('argo-lost'));
    expect(run.errors).toEqual([]);
    expect(argo.state.workflows.length).toBe(count + 1);
    expect(run.outputs.deduplicated).toBe('false');
    const missing = await argoStep(workspace('argo-404'), { 'argo-template': 'nope' });
    expect(missing.errors[0]).toMatch(
      /^input 'argo-template': Argo Workflows could not submit WorkflowTemplate 'nope' \(HTTP 404\): workflowtemplates\.argoproj\.io "nope" not found\./,
    );
  });
});
