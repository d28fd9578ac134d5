/**
 * model-gate against the local GitHub servers (REST API validated against GitHub's OpenAPI
 * description, and the Actions results service): the sticky comment over pushes, the report
 * artifact of the default branch as baseline and history, truncation, fork pull requests (job
 * summary fallback, and the two-workflow recipe), and GitHub failing after retries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@modelops/core';
import { startWorld, type StartedWorld, type WorkflowRunRecord } from './servers/results/index.ts';
import { runAction } from './harness/index.ts';
import { FORK_HINT, runGate } from '../actions/model-gate/src/run.ts';
import { recordingDeps, sha, workspaceWithSpec } from './fixtures/model-gate/helpers.ts';

const FAST = { MODELOPS_RETRY_BASE_MS: '5' };
const SPEC = `
gate: churn
predictions: {label: label, score: score, id: id}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: AUC vs production, metric: roc_auc, max-regression: 0.01}
`;

let started: StartedWorld;
beforeAll(async () => {
  started = await startWorld({ owner: 'acme', repo: 'churn' });
});
afterEach(() => started.github.assertNoViolations());
afterAll(() => started.close());

/** The pull_request payload GitHub sends for a PR of the world. */
function prEvent(number: number) {
  const pr = started.world.findIssue(number)?.pull;
  if (!pr) throw new Error(`no PR #${number}`);
  return {
    name: 'pull_request',
    payload: {
      pull_request: {
        number,
        head: { sha: pr.headSha, ref: pr.headRef, repo: { full_name: pr.headRepoFullName } },
        base: { ref: pr.baseRef, repo: { full_name: 'acme/churn' } },
      },
      repository: { full_name: 'acme/churn', default_branch: 'main' },
    },
  };
}

function gate(
  run: WorkflowRunRecord,
  inputs: Record<string, string>,
  options: { node?: 20 | 24; spec?: string; event?: { name: string; payload: Record<string, unknown> } } = {},
) {
  return runAction('model-gate', {
    cwd: workspaceWithSpec(options.spec ?? SPEC),
    env: { ...started.env(run), ...FAST },
    ...(options.node ? { node: options.node } : {}),
    ...(options.event ? { event: options.event } : {}),
    inputs: { spec: 'gate.yml', ...inputs },
  });
}

// Node 24 creates (then updates) comments in the three-push test below.
describe('the sticky comment on Node 20', () => {
  const node = 20;
  it('comments on the pull request with the marker', async () => {
    const pr = started.world.addPullRequest({ title: `model on ${node}`, headRef: `model-${node}` });
    const run = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    const result = await gate(
      run,
      { predictions: 'candidate.csv', baseline: 'baseline.csv' },
      { node, event: prEvent(pr.number) },
    );
    expect(result.exitCode).toBe(0);
    const comments = started.world.commentsOf(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(
      /^<!-- modelops-actions:sticky:model-gate:churn -->\n### ✅ Model gate `churn` passed/,
    );
    expect(result.outputs['comment-url']).toMatch(
      new RegExp(`/acme/churn/pull/${pr.number}#issuecomment-${comments[0]?.id}$`),
    );
    // The job summary carries the same report.
    expect(result.summary).toContain('### ✅ Model gate `churn` passed');
  });
});

describe('model-gate with GitHub on Node 24', () => {
  it("uses the default branch's report as baseline and updates one comment over three pushes", async () => {
    const main = started.world.addWorkflowRun({
      workflow: 'gate.yml',
      branch: 'main',
      headSha: sha('c0ffee1'),
    });
    const published = await gate(main, { predictions: 'baseline.csv', baseline: 'none' });
    expect(published.exitCode).toBe(0);
    expect(started.world.artifactsOf(main.id).map((a) => a.name)).toEqual(['gate-report-churn']);
    started.world.completeRun(main.id, 'success');

    const pr = started.world.addPullRequest({ title: 'new model', headRef: 'new-model' });
    const pushes = ['candidate-regressed.csv', 'candidate-close.csv', 'candidate.csv'];
    const seen: { id: number; body: string }[] = [];
    for (const [index, predictions] of pushes.entries()) {
      const run = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
      const result = await gate(run, { predictions, baseline: 'artifact' }, { event: prEvent(pr.number) });
      expect(result.exitCode).toBe(index === 0 ? 1 : 0);
      const comments = started.world.commentsOf(pr.number);
      expect(comments).toHaveLength(1);
      seen.push({ id: comments[0]!.id, body: comments[0]!.body ?? '' });
    }
    expect(new Set(seen.map((s) => s.id)).size).toBe(1);
    expect(seen[0]?.body).toContain('### ❌ Model gate `churn` failed — 2 of 2 checks failed');
    expect(seen[1]?.body).toContain('### ✅ Model gate `churn` passed');
    const last = seen[2]?.body ?? '';
    expect(last).toContain(`**Baseline** \`gate-report-churn of run ${main.id} (c0ffee1)\``);
    expect(last).toMatch(
      /\| AUC vs production \| 0\.9651 \| 0\.9208 \| \+0\.0442 \(\+4\.8 %\) \| Δ ≥ −0\.01 \| ✅ pass \|/,
    );
    expect(last).toContain('x-axis ["c0ffee1", "this run"]');
  });

  it('truncates a huge comment safely and keeps the whole report in the job summary', async () => {
    const names = Array.from(
      { length: 600 },
      (_, i) => `check ${String(i).padStart(3, '0')} ${'x'.repeat(80)}`,
    );
    const spec = `gate: wide\nchecks:\n${names.map((n) => `  - {name: "${n}", metric: roc_auc, min: 0.99}`).join('\n')}\n`;
    const pr = started.world.addPullRequest({ title: 'wide', headRef: 'wide' });
    const run = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    const cwd = workspaceWithSpec(spec);
    writeFileSync(path.join(cwd, 'metrics.json'), JSON.stringify({ roc_auc: 0.9 }));
    const result = await runAction('model-gate', {
      cwd,
      env: { ...started.env(run), ...FAST },
      event: prEvent(pr.number),
      inputs: { spec: 'gate.yml', metrics: 'metrics.json' },
    });
    expect(result.exitCode).toBe(1);
    const [comment] = started.world.commentsOf(pr.number);
    const body = comment?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/✂️ Truncated to fit GitHub’s size limit/);
    expect(
      body.startsWith(
        '<!-- modelops-actions:sticky:model-gate:wide -->\n### ❌ Model gate `wide` failed — 600 of 600',
      ),
    ).toBe(true);
    expect(result.summary.length).toBeGreaterThan(65_536);
    expect(result.summary).toContain(`| ${names[599]} | 0.9 |`);
  });

  it('writes the job summary with the two-workflow hint on a fork pull request', async () => {
    const pr = started.world.addPullRequest({
      title: 'from a fork',
      headRef: 'fork-model',
      forkOwner: 'someone',
    });
    const run = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    const result = await gate(
      run,
      { predictions: 'candidate.csv', baseline: 'baseline.csv' },
      { event: prEvent(pr.number) },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ passed: 'true', 'comment-url': '' });
    expect(started.world.commentsOf(pr.number)).toEqual([]);
    expect(result.summary).toContain('### ✅ Model gate `churn` passed');
    expect(result.summary).toContain(FORK_HINT);
    expect(result.summary.match(/### ✅ Model gate/g)).toHaveLength(1);
  });

  it('posts a fork PR report from a workflow_run workflow, checking the PR it claims', async () => {
    const pr = started.world.addPullRequest({
      title: 'fork two-step',
      headRef: 'fork-two',
      forkOwner: 'someone',
    });
    const untrusted = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    const first = await gate(
      untrusted,
      { predictions: 'candidate.csv', baseline: 'baseline.csv', comment: 'never' },
      { event: prEvent(pr.number) },
    );
    expect(first.exitCode).toBe(0);
    expect(started.world.artifactsOf(untrusted.id).map((a) => a.name)).toEqual(['gate-report-churn']);
    started.world.completeRun(untrusted.id, 'success');

    const trusted = started.world.addWorkflowRun({
      workflow: 'gate-comment.yml',
      event: 'workflow_run',
      branch: 'main',
    });
    const cwd = workspaceWithSpec('');
    // What actions/download-artifact puts in the workspace.
    copyFileSync(
      path.join(first.cwd, first.outputs.report as string),
      path.join(cwd, 'gate-report-churn.json'),
    );
    const event = {
      name: 'workflow_run',
      payload: {
        workflow_run: {
          id: untrusted.id,
          event: 'pull_request',
          head_sha: started.world.findIssue(pr.number)?.pull?.headSha,
          head_repository: { full_name: 'someone/churn' },
          repository: { full_name: 'acme/churn' },
          pull_requests: [],
          conclusion: 'success',
        },
        repository: { full_name: 'acme/churn', default_branch: 'main' },
      },
    };
    const second = await runAction('model-gate', {
      cwd,
      env: { ...started.env(trusted), ...FAST },
      event,
      inputs: { 'from-report': 'gate-report-churn.json', comment: 'always', 'fail-on': 'never' },
    });
    expect(second.errors).toEqual([]);
    expect(second.exitCode).toBe(0);
    const comments = started.world.commentsOf(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('### ✅ Model gate `churn` passed');
    expect(second.outputs).toMatchObject({ passed: 'true', report: 'gate-report-churn.json' });

    // A report naming another pull request (whose head the run did not build) is refused.
    const other = started.world.addPullRequest({ title: 'victim', headRef: 'victim' });
    const report = JSON.parse(
      (await import('node:fs')).readFileSync(path.join(cwd, 'gate-report-churn.json'), 'utf8'),
    );
    writeFileSync(
      path.join(cwd, 'forged.json'),
      JSON.stringify({ ...report, pullRequest: { number: other.number } }),
    );
    const eventFile = path.join(cwd, 'event.json');
    writeFileSync(eventFile, JSON.stringify(event.payload));
    const env = { ...started.env(trusted), GITHUB_EVENT_PATH: eventFile };
    const forged = runGate(
      {
        fromReport: 'forged.json',
        baseline: 'auto',
        comment: 'always',
        failOn: 'never',
        mlflowTags: false,
        history: false,
        githubToken: trusted.token,
      },
      recordingDeps(cwd, env),
    );
    await expect(forged).rejects.toBeInstanceOf(UserError);
    await expect(forged).rejects.toThrow(
      new RegExp(
        `names pull request #${other.number}, whose head is \\w{7}, but the run that produced it built`,
      ),
    );
    expect(started.world.commentsOf(other.number)).toEqual([]);
  });

  it('fails the gate when GitHub stays unavailable after retries', async () => {
    const pr = started.world.addPullRequest({ title: 'outage', headRef: 'outage' });
    const run = started.world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    // The first try and three retries, all answered 500.
    const fault = started.github.faults.inject({ match: 'issues/list-comments', status: 500, times: 4 });
    const result = await gate(
      run,
      { predictions: 'candidate.csv', baseline: 'baseline.csv' },
      { event: prEvent(pr.number) },
    );
    expect(fault).toMatchObject({ hits: 4, remaining: 0 });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.errors).toEqual([
      expect.stringMatching(new RegExp(`^GitHub API: comment on #${pr.number} failed \\(HTTP 500\\)`)),
    ]);
  });
});
