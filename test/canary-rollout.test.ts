/**
 * canary-rollout through its committed bundle, run the way the runner runs it (main step, then the
 * post step with the saved state): promotion and rollback through MLflow aliases in MLflow's own file
 * store, no-data handling, the GateReport observer, blue-green, the command router, cancellation by
 * SIGINT with the rollback done by the post step, GitHub deployments against the local GitHub server,
 * and bad inputs.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument, writeDocument, type GateReport } from '@modelops/core';
import { FileMlflowClient } from '@modelops/mlflow-client';
import { runAction, NODE_MAJORS, type ActionRun, type RunActionOptions } from './harness/index.ts';
import { startWorld, type StartedWorld } from './servers/shared/start-world.ts';

const FAST = { MODELOPS_RETRY_BASE_MS: '5' };

/** A workspace with an MLflow file store: model churn, versions 1 (champion) and 2. */
async function mlflowWorkspace(options: { champion?: boolean } = {}) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'rollout-'));
  const client = new FileMlflowClient({ root: path.join(cwd, 'mlruns') });
  await client.createRegisteredModel('churn');
  for (const v of [1, 2])
    await client.createModelVersion({ name: 'churn', source: `file:///models/churn/${v}` });
  if (options.champion !== false) await client.setRegisteredModelAlias('churn', 'champion', 1);
  return { cwd, client };
}

function writeMetrics(cwd: string, metrics: Record<string, unknown>): void {
  writeFileSync(path.join(cwd, 'metrics.json'), JSON.stringify(metrics));
}

const METRICS = '- name: error_rate\n  max: 0.01\n- name: accuracy\n  min: 0.8';

function rollout(cwd: string, inputs: RunActionOptions['inputs'], options: Partial<RunActionOptions> = {}) {
  return runAction('canary-rollout', {
    cwd,
    ...options,
    env: { ...FAST, ...options.env },
    inputs: {
      model: 'models:/churn/2',
      'tracking-uri': 'mlruns',
      steps: '10,50',
      interval: '50ms',
      observer: 'metrics-file',
      'observer-config': 'file: metrics.json',
      metrics: METRICS,
      ...inputs,
    },
  });
}

async function record(run: ActionRun) {
  return readDocument(
    'RolloutRecord',
    path.join(run.cwd, '.modelops/canary-rollout/churn/rollout-record.json'),
  );
}

describe.each(NODE_MAJORS)('canary-rollout on Node %i', (node) => {
  it('promotes through MLflow aliases after every step passes', async () => {
    const { cwd, client } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: 0.002, accuracy: 0.91 });
    const artifacts = mkdtempSync(path.join(os.tmpdir(), 'rollout-artifacts-'));
    const run = await rollout(cwd, {}, { node, env: { MODELOPS_ARTIFACT_DIR: artifacts } });
    expect(run.errors).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      state: 'promoted',
      weight: '100',
      stable: 'models:/churn/2',
      canary: 'models:/churn/2',
      record: '.modelops/canary-rollout/churn/rollout-record.json',
      'failed-checks': '0',
    });
    const model = await client.getRegisteredModel('churn');
    expect(model.aliases).toEqual({ champion: '2' });
    expect(JSON.parse(model.tags['modelops.traffic'] ?? '')).toEqual({ 2: 100 });
    expect((await client.getModelVersion('churn', 2)).tags['modelops.rollout']).toBe('promoted');
    const doc = await record(run);
    expect(doc).toMatchObject({
      state: 'promoted',
      stable: 'models:/churn/1',
      canary: 'models:/churn/2',
      weight: 100,
    });
    expect(doc.steps.map((s) => [s.weight, s.outcome, s.checks[0]?.outcome])).toEqual([
      [10, 'passed', 'successful'],
      [50, 'passed', 'successful'],
    ]);
    expect(doc.steps[0]?.checks[0]?.results).toEqual([
      expect.objectContaining({ metric: 'error_rate', value: 0.002, status: 'successful', max: 0.01 }),
      expect.objectContaining({ metric: 'accuracy', value: 0.91, status: 'successful', min: 0.8 }),
    ]);
    expect(run.summary).toContain('## canary-rollout: churn — ✅ promoted');
    expect(run.summary).toContain('| 1/2 | 10% | ✅ | ✅ passed | error_rate 0.002<br>accuracy 0.91 |');
    // The record artifact (local folder outside Actions) and a post step with nothing to do.
    const artifact = path.join(artifacts, 'runs/1/rollout-record-churn/rollout-record-churn.json');
    expect(JSON.parse(readFileSync(artifact, 'utf8'))).toMatchObject({
      kind: 'RolloutRecord',
      state: 'promoted',
    });
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(
      'Nothing to clean up: the main step settled the traffic of rollout churn.',
    );
  });

  it('rolls back on a failing metric: champion stays, challenger removed, traffic back on stable', async () => {
    const { cwd, client } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: 0.04, accuracy: 0.91 });
    const run = await rollout(cwd, {}, { node });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Rolled back models:/churn/2; all traffic is on models:/churn/1 again. 1 failed check(s) at step 1/2 (10%) reached the threshold of 1: error_rate 0.04 is above the bound ≤ 0.01.',
    ]);
    expect(run.outputs).toMatchObject({
      state: 'rolled-back',
      weight: '0',
      stable: 'models:/churn/1',
      'failed-checks': '1',
    });
    const model = await client.getRegisteredModel('churn');
    expect(model.aliases).toEqual({ champion: '1' });
    expect(JSON.parse(model.tags['modelops.traffic'] ?? '')).toEqual({ 1: 100 });
    expect((await client.getModelVersion('churn', 2)).tags['modelops.rollout']).toBe('rolled-back');
    const doc = await record(run);
    expect(doc.state).toBe('rolled-back');
    expect(doc.steps).toHaveLength(1);
    expect(run.summary).toContain('↩️ rolled back');
    expect(run.post?.stdout).toContain('Nothing to clean up');
  });
});

describe('canary-rollout analysis', () => {
  it('never promotes without data: a missing metric is inconclusive and aborts at the limit', async () => {
    const { cwd, client } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: null, accuracy: 0.91 });
    const run = await rollout(cwd, { 'inconclusive-limit': 2 });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ state: 'aborted', 'inconclusive-checks': '2', 'failed-checks': '0' });
    expect(run.errors[0]).toMatch(
      /^Aborted the rollout of models:\/churn\/2; all traffic is on models:\/churn\/1 again\. 2 inconclusive check\(s\) at step 1\/2 \(10%\) reached the limit of 2: no data: 'error_rate' is null or NaN in metrics\.json\.$/,
    );
    expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '1' });
    const doc = await record(run);
    expect(doc.steps[0]?.checks.map((c) => c.outcome)).toEqual(['inconclusive', 'inconclusive']);
    expect(doc.steps[0]?.checks[0]?.results[0]).toMatchObject({
      metric: 'error_rate',
      value: null,
      status: 'inconclusive',
    });
  });

  it('reads a GateReport: candidate metrics and gate.passed', async () => {
    const { cwd, client } = await mlflowWorkspace();
    const report: GateReport = {
      schemaVersion: 1,
      kind: 'GateReport',
      createdAt: new Date().toISOString(),
      producer: { action: 'model-gate', version: '1.0.0' },
      gate: 'churn',
      passed: true,
      candidate: { source: 'predictions', metrics: { roc_auc: 0.93, 'roc_auc/region=eu': 0.9 } },
      baseline: null,
      checks: [],
    };
    await writeDocument('GateReport', path.join(cwd, 'gate-report.json'), report);
    await client.setRegisteredModelAlias('churn', 'challenger', 2);
    const ok = await rollout(cwd, {
      model: 'models:/churn@challenger',
      observer: 'gate-report',
      'observer-config': 'file: gate-report.json',
      metrics:
        '- {name: gate, key: gate.passed, min: 1}\n- {name: auc-eu, key: roc_auc/region=eu, min: 0.85}',
      steps: '50',
    });
    expect(ok.errors).toEqual([]);
    expect(ok.outputs.state).toBe('promoted');
    expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '2' });
    expect((await record(ok)).steps[0]?.checks[0]?.results.map((r) => [r.metric, r.value])).toEqual([
      ['gate', 1],
      ['auc-eu', 0.9],
    ]);
  });
});

describe('canary-rollout with the command router', () => {
  function commandWorkspace(metrics: Record<string, unknown>) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'rollout-cmd-'));
    writeMetrics(cwd, metrics);
    return cwd;
  }
  const routes = (cwd: string) => readFileSync(path.join(cwd, 'routes.log'), 'utf8').trim().split('\n');
  const LOG_LINE =
    'echo "$ROLLOUT_ACTION $ROLLOUT_WEIGHT $ROLLOUT_STABLE_WEIGHT $ROLLOUT_STEP/$ROLLOUT_STEPS $ROLLOUT_CANARY" >> routes.log';
  const command = `command: ${LOG_LINE}`;

  it('blue-green: checks the preview at 0 %, switches to 100 %, checks again, promotes', async () => {
    const cwd = commandWorkspace({ error_rate: 0.001, accuracy: 0.9 });
    const inputs = {
      model: 'img:v2',
      stable: 'img:v1',
      name: 'churn',
      router: 'command',
      'router-config': command,
      strategy: 'blue-green',
      steps: '',
    };
    const run = await rollout(cwd, inputs);
    expect(run.errors).toEqual([]);
    expect(routes(cwd)).toEqual([
      'set-weight 0 100 1/2 img:v2',
      'set-weight 100 0 2/2 img:v2',
      'promote 100 0 0/2 img:v2',
    ]);
  });

  it('rolls back in the post step when the job is cancelled (SIGINT) mid-rollout', async () => {
    const cwd = commandWorkspace({ error_rate: 0.001, accuracy: 0.9 });
    const run = await rollout(
      cwd,
      { model: 'img:v2', name: 'churn', router: 'command', 'router-config': command, interval: '30s' },
      { cancelAfterMs: 4000 },
    );
    // The main step stopped on SIGINT without touching traffic…
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Received SIGINT: stopping the rollout; the post step rolls traffic back.');
    expect(run.errors).toEqual([
      'The rollout of img:v2 was cancelled at step 1/2 (10%); the post step sends all traffic back to stable.',
    ]);
    expect(run.state.cancelled).toBe('true');
    // …and the post step put every request back on stable.
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(
      'The main step did not finish the rollout churn (the job was cancelled): rolling back.',
    );
    expect(routes(cwd)).toEqual(['set-weight 10 90 1/2 img:v2', 'rollback 0 100 0/2 img:v2']);
    const doc = await record(run);
    expect(doc).toMatchObject({
      state: 'aborted',
      weight: 0,
      reason: 'cancelled at step 1/2 (10%); the post step sent all traffic back to the stable version',
    });
    expect(doc.steps[0]?.outcome).toBe('stopped');
    expect(run.summary).toContain('## canary-rollout: churn — ⛔ aborted');
  });

  it('rolls back in the post step when the main step dies without a word (SIGKILL-like exit)', async () => {
    // The command kills its parent node process on the second step: no cleanup in the main step at all.
    const cwd = commandWorkspace({ error_rate: 0.001, accuracy: 0.9 });
    const run = await rollout(cwd, {
      model: 'img:v2',
      name: 'churn',
      router: 'command',
      'router-config':
        'command: |\n  echo "$ROLLOUT_ACTION $ROLLOUT_WEIGHT" >> routes.log\n  if [ "$ROLLOUT_WEIGHT" = 50 ]; then kill -9 $PPID; fi',
    });
    expect(run.signal).toBe('SIGKILL');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('it stopped or failed before settling traffic');
    expect(routes(cwd)).toEqual(['set-weight 10', 'set-weight 50', 'rollback 0']);
    expect((await record(run)).state).toBe('aborted');
  });
});

describe('canary-rollout GitHub deployment', () => {
  let started: StartedWorld;
  beforeAll(async () => {
    started = await startWorld({ owner: 'acme', repo: 'ml' });
  }, 120_000);
  afterAll(() => started.close());
  afterEach(() => started.github.assertNoViolations());

  it('creates one deployment with a status per step, and uploads the record artifact', async () => {
    const { world } = started;
    const run = world.addWorkflowRun({ workflow: 'deploy.yml', branch: 'main' });
    const { cwd } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: 0.001, accuracy: 0.95 });
    const result = await rollout(cwd, { environment: 'staging' }, { env: started.env(run) });
    expect(result.errors).toEqual([]);
    const deployment = world.deployments.find((d) => String(d.id) === result.outputs['deployment-id']);
    expect(deployment).toMatchObject({ environment: 'staging', task: 'deploy:model' });
    expect(deployment?.statuses.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'canary 10% (1/2)'],
      ['in_progress', 'canary 50% (2/2)'],
      ['success', 'promoted models:/churn/2 (100%)'],
    ]);
    expect(world.artifactsOf(run.id).map((a) => a.name)).toEqual(['rollout-record-churn']);
  });

  it('goes on without a deployment when the token may not create one', async () => {
    const { world } = started;
    const run = world.addWorkflowRun({
      workflow: 'deploy.yml',
      branch: 'main',
      permissions: { contents: 'read', actions: 'write' },
    });
    const { cwd } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: 0.5, accuracy: 0.95 });
    const result = await rollout(cwd, {}, { env: started.env(run) });
    expect(result.outputs).toMatchObject({ state: 'rolled-back', 'deployment-id': '' });
    const warning = result.annotations.find((a) => a.level === 'warning')?.message ?? '';
    expect(warning).toMatch(
      /^No GitHub deployment for this rollout: GitHub API: create deployment failed \(HTTP 403\)/,
    );
    expect(warning).toContain('`deployments: write`');
    started.github.clearViolations();
  });
});

describe('canary-rollout refuses bad inputs before moving traffic', () => {
  it.each([
    [{ steps: '50,10' }, "Input 'steps' must increase, but 10 follows 50."],
    [{ model: 'models:/churn/7' }, 'Model Version (name=churn, version=7) not found'],
  ])('%o', async (inputs, message) => {
    const { cwd, client } = await mlflowWorkspace();
    writeMetrics(cwd, { error_rate: 0.001, accuracy: 0.9 });
    const run = await rollout(cwd, inputs);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(run.errors[0]).toContain('Fix:');
    // The stack goes to the debug log only.
    const visible = run.stdout.split('\n').filter((line) => !line.startsWith('::debug::'));
    expect(visible.join('\n')).not.toMatch(/\bat .+\.js:\d+/);
    expect((await client.getRegisteredModel('churn')).aliases).toEqual({ champion: '1' });
    expect(run.post?.stdout).toContain('Nothing to clean up');
  });
});
