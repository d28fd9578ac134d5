/**
 * trigger-retrain dispatching to GitHub Actions through its bundle, against the local GitHub REST
 * server (validated against GitHub's OpenAPI description) and results service: workflow_dispatch
 * with return_run_details and the 400 → 204 fallback, repository_dispatch, deduplication by
 * fingerprint, waiting for success, failure and timeout, retries that never dispatch twice, and
 * the errors for a missing workflow or undeclared inputs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAction, NODE_MAJORS, type ActionRun, type NodeMajor } from './harness/index.ts';
import { startWorld, type StartedWorld } from './servers/shared/start-world.ts';
import type { WorkflowRecord, WorkflowRunRecord } from './servers/shared/world.ts';

let started: StartedWorld;
let train: WorkflowRecord;
/**
 * A personal token of octocat for the dispatches. (With the job's GITHUB_TOKEN the dispatched runs'
 * actor is github-actions[bot], whose noreply e-mail the local server's response validation
 * currently rejects as not an e-mail.)
 */
let token: string;

const TRAIN_INPUTS = {
  fingerprint: { required: true },
  reasons: { required: true },
  fingerprint_inputs: { required: false },
  distinct_id: { required: false },
  epochs: { default: '10' },
};

beforeAll(async () => {
  started = await startWorld({ owner: 'acme', repo: 'ml' });
  // run-name: train ${{ inputs.fingerprint }} ${{ inputs.distinct_id }}
  train = started.world.addWorkflow({
    file: 'train.yml',
    inputs: TRAIN_INPUTS,
    runName: (inputs) => `train ${String(inputs.fingerprint)} ${String(inputs.distinct_id)}`,
  });
  started.world.addWorkflow({ file: 'ci.yml', dispatchable: false });
  token = started.world.issueToken({ login: 'octocat' });
}, 120_000);
afterAll(() => started.close());
afterEach(() => {
  started.world.dispatchMode = 'modern';
  started.github.assertNoViolations();
});

function git(cwd: string, ...args: string[]): void {
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd },
  );
}

/** A repository whose code differs per test, so each test has its own fingerprint. */
function repo(seed: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrain-gh-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/train.py'), `# ${seed}\nprint("train")\n`);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

/** Runs the action as a step of a `ci.yml` run on main. */
function step(
  cwd: string,
  inputs: Record<string, string>,
  node: NodeMajor = 24,
  run?: WorkflowRunRecord,
): Promise<ActionRun> {
  const ci = run ?? started.world.addWorkflowRun({ workflow: 'ci.yml', branch: 'main' });
  return runAction('trigger-retrain', {
    cwd,
    node,
    inputs: {
      model: 'churn',
      'code-paths': 'src/**',
      baseline: 'lock',
      dispatch: 'github-workflow',
      workflow: 'train.yml',
      'github-token': token,
      upload: 'false',
      ...inputs,
    },
    env: { ...started.env(ci), MODELOPS_RETRY_BASE_MS: '5', MODELOPS_POLL_BASE_MS: '20' },
    event: { name: 'push', payload: { repository: { full_name: 'acme/ml', default_branch: 'main' } } },
  });
}

function dispatchedRuns(): WorkflowRunRecord[] {
  return started.world.runs.filter((r) => r.workflowId === train.id);
}

/** Plays the training: start each dispatched run, then end it with `conclusion`. */
function completeDispatched(conclusion: 'success' | 'failure'): () => void {
  return started.world.onRunCreated((run) => {
    if (run.workflowId !== train.id) return;
    setTimeout(() => started.world.startRun(run.id), 100);
    setTimeout(() => started.world.completeRun(run.id, conclusion), 400);
  });
}

describe.each(NODE_MAJORS)('workflow_dispatch on Node %i', (node) => {
  it('dispatches once with the run details, then finds the run instead of dispatching again', async () => {
    const cwd = repo(`details-${node}`);
    const before = dispatchedRuns().length;
    const ci = started.world.addWorkflowRun({ workflow: 'ci.yml', branch: 'main' });
    const first = await step(cwd, { inputs: '{"epochs": "20"}', upload: 'true' }, node, ci);
    expect(first.errors).toEqual([]);
    const created = dispatchedRuns().slice(before);
    expect(created).toHaveLength(1);
    const run = created[0] as WorkflowRunRecord;
    expect(first.outputs).toMatchObject({
      'should-retrain': 'true',
      deduplicated: 'false',
      'run-id': String(run.id),
      'run-url': `https://github.com/acme/ml/actions/runs/${run.id}`,
    });
    expect(run.event).toBe('workflow_dispatch');
    expect(run.displayTitle).toContain(first.outputs.fingerprint);
    expect(run.inputs).toMatchObject({ fingerprint: first.outputs.fingerprint, epochs: '20' });
    expect(JSON.parse(String(run.inputs?.reasons))).toEqual([
      { code: 'NO_BASELINE', detail: expect.any(String) },
    ]);
    expect(JSON.parse(String(run.inputs?.fingerprint_inputs))).toMatchObject({
      code: [['src/train.py', expect.any(String)]],
    });
    const dispatches = started.github.requests.named('actions/create-workflow-dispatch').slice(-1);
    expect(
      dispatches.map((r) => [r.status, (r.body as { return_run_details?: boolean }).return_run_details]),
    ).toEqual([[200, true]]);
    // The decision went up as an artifact of the step's own run.
    expect(started.world.artifactsOf(ci.id).map((a) => a.name)).toEqual(['retrain-decision-churn']);
    expect(first.summary).toContain(
      `dispatched [run ${run.id}](https://github.com/acme/ml/actions/runs/${run.id}) on GitHub workflow`,
    );

    const again = await step(cwd, {}, node);
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ deduplicated: 'true', 'run-id': String(run.id) });
    expect(dispatchedRuns().length).toBe(before + 1);
  });
});

describe('workflow_dispatch', () => {
  it('falls back to a plain dispatch on servers that refuse return_run_details, and finds the run by distinct_id', async () => {
    started.world.dispatchMode = 'legacy';
    const before = dispatchedRuns().length;
    const run = await step(repo('legacy'), {});
    expect(run.errors).toEqual([]);
    const created = dispatchedRuns().slice(before);
    expect(created).toHaveLength(1);
    expect(run.outputs['run-id']).toBe(String(created[0]?.id));
    expect(created[0]?.displayTitle).toContain(String(created[0]?.inputs?.distinct_id));
    const statuses = started.github.requests
      .named('actions/create-workflow-dispatch')
      .slice(-2)
      .map((r) => r.status);
    expect(statuses).toEqual([400, 204]);
  });

  it('waits for the run to succeed and records the training in the lock file (the next baseline)', async () => {
    const cwd = repo('wait-success');
    const stop = completeDispatched('success');
    try {
      const run = await step(cwd, { wait: 'true', timeout: '60s' });
      expect(run.errors).toEqual([]);
      expect(run.outputs.conclusion).toBe('success');
      const lock = JSON.parse(readFileSync(path.join(cwd, '.modelops/churn.lock.json'), 'utf8')) as {
        fingerprint: string;
        run: { engine: string; id: string };
      };
      expect(lock.fingerprint).toBe(run.outputs.fingerprint);
      expect(lock.run).toMatchObject({ engine: 'github-workflow', id: run.outputs['run-id'] });
      expect(run.summary).toContain('| Conclusion | **success** |');
    } finally {
      stop();
    }
  });

  it('fails the step when the waited-for run fails, and a re-run dispatches again', async () => {
    const cwd = repo('wait-failure');
    const stop = completeDispatched('failure');
    let first: ActionRun;
    try {
      first = await step(cwd, { wait: 'true', timeout: '60s' });
    } finally {
      stop();
    }
    expect(first.exitCode).toBe(1);
    expect(first.outputs.conclusion).toBe('failure');
    expect(first.errors).toEqual([
      expect.stringMatching(
        /^The training run \d+ \(https:\/\/github\.com\/acme\/ml\/actions\/runs\/\d+\) ended in failure\. Fix: /,
      ),
    ]);
    const retry = await step(cwd, {});
    expect(retry.outputs.deduplicated).toBe('false');
    expect(retry.outputs['run-id']).not.toBe(first.outputs['run-id']);
  });

  it('times out waiting, and says the run continues', async () => {
    const run = await step(repo('wait-timeout'), { wait: 'true', timeout: '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.conclusion).toBe('timed_out');
    expect(run.errors[0]).toMatch(/did not finish within 1s; it is still pending\. Fix: Raise `timeout`/);
  });

  it('retries a dispatch that failed with 502 without starting two runs', async () => {
    const before = dispatchedRuns().length;
    started.github.faults.inject({ match: 'actions/create-workflow-dispatch', status: 502, times: 1 });
    const run = await step(repo('retry'), {});
    expect(run.errors).toEqual([]);
    expect(dispatchedRuns().length).toBe(before + 1);
    expect(
      started.github.requests
        .named('actions/create-workflow-dispatch')
        .slice(-2)
        .map((r) => r.status),
    ).toEqual([502, 200]);
  });

  it('fails after the retries, reporting no run', async () => {
    const before = dispatchedRuns().length;
    started.github.faults.inject({ match: 'actions/create-workflow-dispatch', status: 503, times: 4 });
    const run = await step(repo('exhausted'), {});
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /^GitHub API: POST \/repos\/acme\/ml\/actions\/workflows\/train\.yml\/dispatches failed \(HTTP 503\) after 4 attempts: .* Fix: Nothing was dispatched/,
    );
    expect(run.outputs).toMatchObject({ 'run-id': '', deduplicated: 'false', 'should-retrain': 'true' });
    expect(dispatchedRuns().length).toBe(before);
  });

  it('names the input when the workflow does not exist or does not declare the inputs', async () => {
    const missing = await step(repo('404'), { workflow: 'nope.yml' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      "input 'workflow': The workflow 'nope.yml' does not exist in acme/ml (HTTP 404). Fix: Name a workflow file under .github/workflows/ of acme/ml (e.g. train.yml), and give the token access to that repository.",
    ]);
    started.world.addWorkflow({ file: 'strict.yml', inputs: { epochs: { default: '1' } } });
    const undeclared = await step(repo('422'), { workflow: 'strict.yml' });
    expect(undeclared.errors[0]).toMatch(
      /^input 'workflow': The workflow 'strict\.yml' does not declare the inputs \[.*"fingerprint".*\]\. Fix: Declare them under `on: workflow_dispatch: inputs:`/,
    );
  });
});

describe('repository_dispatch', () => {
  it('sends the event with the decision in client_payload and finds the run it started', async () => {
    started.world.addWorkflow({
      file: 'train-on-event.yml',
      dispatchable: false,
      repositoryDispatchTypes: ['retrain-churn'],
      runName: (payload) => `train ${String(payload.fingerprint)} ${String(payload.distinct_id)}`,
    });
    const run = await step(repo('repository-dispatch'), {
      dispatch: 'repository-dispatch',
      'event-type': 'retrain-churn',
      workflow: '',
    });
    expect(run.errors).toEqual([]);
    const event = started.world.repositoryDispatches.at(-1);
    expect(event?.eventType).toBe('retrain-churn');
    expect(event?.clientPayload).toMatchObject({
      model: 'churn',
      fingerprint: run.outputs.fingerprint,
      reasons: [{ code: 'NO_BASELINE', detail: expect.any(String) }],
    });
    expect(run.outputs['run-id']).toBe(String(event?.runIds[0]));
  });
});
