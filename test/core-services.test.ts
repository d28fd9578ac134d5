/**
 * The core library against the local GitHub REST server and results service, through a bundled
 * fixture action (test/fixtures/actions/core-ops) run the way the runner runs it, so the real
 * `@actions/artifact`, `@actions/cache` and Octokit clients do the talking.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, inject } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runAction, NODE_MAJORS, type RunActionOptions } from './harness/index.ts';
import { startWorld, type StartedWorld } from './servers/shared/start-world.ts';
import type { WorkflowRunRecord } from './servers/shared/world.ts';

const fixtures = inject('fixtureActions');
let started: StartedWorld;

beforeAll(async () => {
  started = await startWorld({ owner: 'acme', repo: 'ml' });
  started.world.addWorkflow({ file: 'gate.yml' });
}, 120_000);
afterAll(() => started.close());
afterEach(() => started.github.assertNoViolations());

function eventOf(run: WorkflowRunRecord): RunActionOptions['event'] {
  const number = run.pullRequestNumbers[0];
  const issue = number === undefined ? undefined : started.world.findIssue(number);
  const repo = { full_name: 'acme/ml', default_branch: 'main' };
  if (!issue?.pull) return { name: run.event, payload: { repository: repo } };
  const head = issue.pull.forkOwner ? `${issue.pull.forkOwner}/ml` : 'acme/ml';
  return {
    name: run.event,
    payload: {
      repository: repo,
      pull_request: { number, head: { repo: { full_name: head } }, base: { repo: { full_name: 'acme/ml' } } },
    },
  };
}

function op(run: WorkflowRunRecord, inputs: Record<string, string>, node: 20 | 24 = 24) {
  return runAction('core-ops', {
    actionDir: path.join(fixtures, 'core-ops'),
    node,
    inputs,
    env: { ...started.env(run), MODELOPS_RETRY_BASE_MS: '5' },
    event: eventOf(run),
  });
}

describe.each(NODE_MAJORS)('cross-run documents on Node %i', (node) => {
  it('fetches the document published by the latest successful run on main', async () => {
    const { world } = started;
    const name = `gate-report-${node}`;
    const run1 = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    const published = await op(run1, { op: 'publish', name, value: 'from run 1' }, node);
    expect(published.errors).toEqual([]);
    expect(published.outputs.location).toBe('actions');
    world.completeRun(run1.id, 'success');

    const failed = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    expect((await op(failed, { op: 'publish', name, value: 'from a failed run' }, node)).exitCode).toBe(0);
    world.completeRun(failed.id, 'failure');

    const run2 = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    const fetched = await op(run2, { op: 'fetch-latest', name }, node);
    expect(fetched.errors).toEqual([]);
    expect(fetched.outputs).toMatchObject({ found: 'true', 'run-id': String(run1.id), gate: 'from run 1' });
  });
});

describe('core on GitHub services', () => {
  it('says when no successful run has the artifact', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    const fetched = await op(run, { op: 'fetch-latest', name: 'never-published' });
    expect(fetched.outputs.found).toBe('false');
  });

  it('keeps one sticky comment across three pushes and removes duplicates', async () => {
    const { world } = started;
    const pr = world.addPullRequest({ title: 'Retrain', headRef: 'feature' });
    const results: string[] = [];
    for (const push of [1, 2, 3]) {
      const run = world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
      const result = await op(run, {
        op: 'comment',
        name: 'model-gate:churn',
        value: `report of push ${push}`,
      });
      expect(result.errors).toEqual([]);
      results.push(result.outputs.action ?? '');
      if (push === 2) {
        // A concurrent run slipped in a second comment with the same marker.
        world.addComment(pr.number, { body: `<!-- modelops-actions:sticky:model-gate:churn -->\nstale` });
      }
    }
    expect(results).toEqual(['created', 'updated', 'updated']);
    const comments = world.commentsOf(pr.number).filter((c) => c.body.includes('sticky:model-gate:churn'));
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('report of push 3');
    // A second gate on the same PR gets its own comment.
    const run = world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    expect(
      (await op(run, { op: 'comment', name: 'model-gate:fraud', value: 'other gate' })).outputs.action,
    ).toBe('created');
    expect(world.commentsOf(pr.number)).toHaveLength(2);
  });

  it('falls back to the job summary on a fork PR (read-only token)', async () => {
    const { world } = started;
    const pr = world.addPullRequest({ title: 'From a fork', headRef: 'patch-1', forkOwner: 'eve' });
    const run = world.addWorkflowRun({
      workflow: 'gate.yml',
      pullRequest: pr.number,
      permissions: 'read-all',
    });
    const result = await op(run, { op: 'comment', name: 'model-gate:churn', value: 'fork report' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.action).toBe('summary-fallback');
    expect(result.summary).toContain('fork report');
    expect(result.summary).toContain('workflow_run');
    expect(world.commentsOf(pr.number)).toHaveLength(0);
  });

  it('recovers from injected 502s and gives up with a clear error after the bound', async () => {
    const { world, github } = started;
    const pr = world.addPullRequest({ title: 'Flaky', headRef: 'flaky' });
    const run = world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    github.faults.inject({ match: 'issues/list-comments', status: 502, times: 2 });
    const recovered = await op(run, { op: 'comment', name: 'g', value: 'after two 502s' });
    expect(recovered.errors).toEqual([]);
    expect(recovered.outputs.action).toBe('created');

    github.faults.inject({ match: 'issues/list-comments', status: 502, times: 10 });
    const failed = await op(run, { op: 'comment', name: 'g', value: 'never' });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors[0]).toMatch(/^GitHub API: comment on #\d+ failed \(HTTP 502\)/);
    expect(failed.errors[0]).toContain('Fix:');
    github.faults.clear();
  });

  it('saves and restores the cache across runs, exact and by restore-key prefix', async () => {
    const { world } = started;
    const run1 = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    const saved = await op(run1, { op: 'cache-save', name: 'hashes-linux-abc', value: 'cached bytes' });
    expect(saved.errors).toEqual([]);
    expect(saved.outputs.saved).toBe('true');
    const run2 = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
    const exact = await op(run2, { op: 'cache-restore', name: 'hashes-linux-abc', value: 'hashes-linux-' });
    expect(exact.outputs).toMatchObject({ matched: 'hashes-linux-abc', content: 'cached bytes' });
    const prefix = await op(run2, { op: 'cache-restore', name: 'hashes-linux-def', value: 'hashes-linux-' });
    expect(prefix.outputs).toMatchObject({ matched: 'hashes-linux-abc', content: 'cached bytes' });
    const miss = await op(run2, { op: 'cache-restore', name: 'other', value: 'other-' });
    expect(miss.outputs.matched).toBe('');
  });

  it('creates a deployment with step statuses, descriptions clipped to 140 characters', async () => {
    const { world } = started;
    const run = world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main', permissions: 'write-all' });
    const result = await op(run, { op: 'deploy', value: 'model churn v3 ' });
    expect(result.errors).toEqual([]);
    const deployment = world.deployments.find((d) => String(d.id) === result.outputs.id);
    expect(deployment?.environment).toBe('staging');
    expect(deployment?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment?.statuses[1]?.description.length).toBe(140);
  });

  it.each(NODE_MAJORS)(
    "gets an OIDC ID token through @actions/core's lazily loaded client on Node %i",
    async (node) => {
      // The runner's ID-token endpoint as @actions/core calls it: GET the request URL plus
      // `&audience=`, with the request token as bearer; the answer is `{ "value": <JWT> }`.
      const requests: { url: string; authorization: string | undefined }[] = [];
      const server = createServer((req, res) => {
        requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
        const audience = new URL(req.url ?? '', 'http://x').searchParams.get('audience');
        if (req.headers.authorization !== 'Bearer request-token') {
          res.writeHead(401).end();
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            value: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(String(audience)).toString('base64url')}.sig`,
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const run = started.world.addWorkflowRun({ workflow: 'gate.yml', branch: 'main' });
        const result = await runAction('core-ops', {
          actionDir: path.join(fixtures, 'core-ops'),
          node,
          inputs: { op: 'id-token', value: 'sts.amazonaws.com' },
          env: {
            ...started.env(run),
            ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/idtoken?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
          },
        });
        expect(result.errors).toEqual([]);
        const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('sts.amazonaws.com').toString('base64url')}.sig`;
        expect(result.outputs['id-token']).toBe(token);
        expect(result.masks).toContain(token); // @actions/core masks it
        expect(requests).toEqual([
          {
            url: '/idtoken?api-version=2.0&audience=sts.amazonaws.com',
            authorization: 'Bearer request-token',
          },
        ]);
      } finally {
        server.close();
      }
    },
  );
});
