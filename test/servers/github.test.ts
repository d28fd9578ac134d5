import { getOctokit } from '@actions/github';
import { GitHub } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubWorld, startGitHubServer, type GitHubServer } from './github/index.ts';

let world: GitHubWorld;
let server: GitHubServer;
let token: string;

/** An Octokit client as actions build it (`@actions/github`), pointed at the local server. */
function octokit(auth = token): ReturnType<typeof getOctokit> {
  return getOctokit(auth, { baseUrl: server.url });
}

/** The status of a rejected Octokit call (RequestError). */
async function statusOf(
  promise: Promise<unknown>,
): Promise<{ status: number; message: string; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { status?: number; message?: string; response?: { data?: unknown } };
    return { status: failure.status ?? 0, message: failure.message ?? '', body: failure.response?.data };
  }
  throw new Error('Expected the request to fail, but it succeeded.');
}

beforeAll(async () => {
  world = new GitHubWorld({ owner: 'acme', repo: 'ml' });
  server = await startGitHubServer({ world, validateResponses: true });
  token = world.issueToken({ login: 'octocat' });
});

afterEach(() => {
  // Every answer above was validated against GitHub's response schemas; no request broke the contract.
  server.assertNoViolations();
});

afterAll(async () => {
  await server.close();
});

describe('repositories and pull requests', () => {
  it('answers GET /repos/{owner}/{repo} with a full repository and rate limit headers', async () => {
    const response = await octokit().rest.repos.get({ owner: 'acme', repo: 'ml' });
    expect(response.data.full_name).toBe('acme/ml');
    expect(response.data.default_branch).toBe('main');
    expect(response.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(response.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect((await statusOf(octokit().rest.repos.get({ owner: 'acme', repo: 'nope' }))).status).toBe(404);
  });

  it('serves a pull request from a fork', async () => {
    const pr = world.addPullRequest({ title: 'Tune lr', headRef: 'tune', forkOwner: 'contributor' });
    const { data } = await octokit().rest.pulls.get({ owner: 'acme', repo: 'ml', pull_number: pr.number });
    expect(data.head.repo?.full_name).toBe('contributor/ml');
    expect(data.head.repo?.fork).toBe(true);
    expect(data.base.ref).toBe('main');
  });
});

describe('issue comments', () => {
  it('creates, lists (paginated beyond 100), updates and deletes comments', async () => {
    const pr = world.addPullRequest({ title: 'Retrain on new data', headRef: 'data-v2' });
    for (let i = 1; i <= 118; i += 1) world.addComment(pr.number, { body: `seeded ${i}`, author: 'mona' });
    const client = octokit();
    const created = await client.rest.issues.createComment({
      owner: 'acme',
      repo: 'ml',
      issue_number: pr.number,
      body: '<!-- model-gate -->\nAUC 0.91',
    });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe('octocat');
    expect(created.headers.location).toBe(created.data.url);

    const first = await client.rest.issues.listComments({
      owner: 'acme',
      repo: 'ml',
      issue_number: pr.number,
      per_page: 100,
    });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=2>; rel="last"');

    const all = await client.paginate(client.rest.issues.listComments, {
      owner: 'acme',
      repo: 'ml',
      issue_number: pr.number,
      per_page: 100,
    });
    expect(all).toHaveLength(119);
    expect(all[0]?.body).toBe('seeded 1');
    const marker = all.find((comment) => comment.body?.startsWith('<!-- model-gate -->'));
    expect(marker?.id).toBe(created.data.id);

    const updated = await client.rest.issues.updateComment({
      owner: 'acme',
      repo: 'ml',
      comment_id: created.data.id,
      body: '<!-- model-gate -->\nAUC 0.93',
    });
    expect(updated.data.body).toContain('0.93');
    expect(world.commentsOf(pr.number).at(-1)?.body).toContain('0.93');

    await client.rest.issues.deleteComment({ owner: 'acme', repo: 'ml', comment_id: created.data.id });
    expect(world.commentsOf(pr.number)).toHaveLength(118);
    const gone = await statusOf(
      client.rest.issues.getComment({ owner: 'acme', repo: 'ml', comment_id: created.data.id }),
    );
    expect(gone.status).toBe(404);
  });

  it('refuses writes from a read-only token (fork pull request) exactly like GitHub', async () => {
    const pr = world.addPullRequest({ title: 'From a fork', headRef: 'fork-change', forkOwner: 'stranger' });
    const run = world.addWorkflowRun({ workflow: 'gate.yml', pullRequest: pr.number });
    expect(world.tokenInfo(run.token)?.permissions.issues).toBe('read');
    const client = octokit(run.token);
    const refused = await statusOf(
      client.rest.issues.createComment({ owner: 'acme', repo: 'ml', issue_number: pr.number, body: 'hi' }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ message: 'Resource not accessible by integration', status: '403' });
    const listed = await client.rest.issues.listComments({
      owner: 'acme',
      repo: 'ml',
      issue_number: pr.number,
    });
    expect(listed.status).toBe(200);
  });
});

describe('workflow dispatch and runs', () => {
  it('dispatches with return_run_details (modern) and finds the run through the list filters', async () => {
    world.addWorkflow({
      file: 'retrain.yml',
      name: 'Retrain',
      runName: (inputs) => `retrain ${String(inputs.distinct_id)}`,
      inputs: { distinct_id: { required: true }, dataset: { default: 'v1' } },
    });
    const client = octokit();
    const response = await client.rest.actions.createWorkflowDispatch({
      owner: 'acme',
      repo: 'ml',
      workflow_id: 'retrain.yml',
      ref: 'main',
      inputs: { distinct_id: 'abc123' },
      return_run_details: true,
    });
    expect(response.status).toBe(200);
    const details = response.data as unknown as {
      workflow_run_id: number;
      run_url: string;
      html_url: string;
    };
    const run = world.run(details.workflow_run_id);
    expect(run.displayTitle).toBe('retrain abc123');
    expect(run.inputs).toEqual({ distinct_id: 'abc123', dataset: 'v1' });
    expect(details.run_url).toBe(`${server.url}/repos/acme/ml/actions/runs/${run.id}`);
    expect(details.html_url).toBe(`https://github.com/acme/ml/actions/runs/${run.id}`);

    const queued = await client.rest.actions.listWorkflowRuns({
      owner: 'acme',
      repo: 'ml',
      workflow_id: 'retrain.yml',
      event: 'workflow_dispatch',
      branch: 'main',
    });
    expect(queued.data.workflow_runs.map((r) => [r.id, r.status, r.display_title])).toEqual([
      [run.id, 'queued', 'retrain abc123'],
    ]);

    world.completeRun(run.id, 'success');
    const succeeded = await client.rest.actions.listWorkflowRunsForRepo({
      owner: 'acme',
      repo: 'ml',
      status: 'success',
    });
    expect(succeeded.data.workflow_runs.map((r) => r.id)).toContain(run.id);
    const completed = await client.rest.actions.listWorkflowRunsForRepo({
      owner: 'acme',
      repo: 'ml',
      status: 'completed',
    });
    expect(completed.data.workflow_runs.map((r) => r.id)).toContain(run.id);
    const failed = await client.rest.actions.listWorkflowRunsForRepo({
      owner: 'acme',
      repo: 'ml',
      status: 'failure',
    });
    expect(failed.data.workflow_runs.map((r) => r.id)).not.toContain(run.id);
    const single = await client.rest.actions.getWorkflowRun({ owner: 'acme', repo: 'ml', run_id: run.id });
    expect(single.data.conclusion).toBe('success');
    const jobs = await client.rest.actions.listJobsForWorkflowRun({
      owner: 'acme',
      repo: 'ml',
      run_id: run.id,
    });
    expect(jobs.data.jobs.map((job) => [job.name, job.conclusion])).toEqual([['build', 'success']]);

    // From API version 2026-03-10 on, dispatch always answers with the run.
    const versioned = await client.rest.actions.createWorkflowDispatch({
      owner: 'acme',
      repo: 'ml',
      workflow_id: 'retrain.yml',
      ref: 'main',
      inputs: { distinct_id: 'v2026' },
      headers: { 'x-github-api-version': '2026-03-10' },
    });
    expect(versioned.status).toBe(200);

    const missing = await statusOf(
      client.rest.actions.createWorkflowDispatch({
        owner: 'acme',
        repo: 'ml',
        workflow_id: 'retrain.yml',
        ref: 'main',
      }),
    );
    expect(missing).toMatchObject({
      status: 422,
      message: expect.stringContaining("Required input 'distinct_id'"),
    });
  });

  it('filters runs by head_sha and branch and pages them with a Link header', async () => {
    const sha = 'a'.repeat(40);
    for (let i = 0; i < 3; i += 1)
      world.addWorkflowRun({ workflow: 'paging.yml', branch: 'paging', headSha: sha });
    world.addWorkflowRun({ workflow: 'paging.yml', branch: 'paging' });
    const client = octokit();
    const page2 = await client.rest.actions.listWorkflowRuns({
      owner: 'acme',
      repo: 'ml',
      workflow_id: 'paging.yml',
      head_sha: sha,
      per_page: 2,
      page: 2,
    });
    expect(page2.data.total_count).toBe(3);
    expect(page2.data.workflow_runs).toHaveLength(1);
    expect(page2.headers.link).toContain('rel="prev"');
    expect(page2.headers.link).toContain('rel="first"');
    const all = await client.paginate(client.rest.actions.listWorkflowRunsForRepo, {
      owner: 'acme',
      repo: 'ml',
      branch: 'paging',
      per_page: 1,
    });
    expect(all).toHaveLength(4);
    // Newest first, like GitHub.
    expect(all.map((run) => run.id)).toEqual([...all.map((run) => run.id)].sort((a, b) => b - a));
  });

  it('answers 400 to return_run_details in legacy mode and 204 without it', async () => {
    const legacy = new GitHubWorld({ owner: 'acme', repo: 'ml', dispatchMode: 'legacy' });
    const legacyServer = await startGitHubServer({ world: legacy });
    try {
      legacy.addWorkflow({ file: 'train.yml', runName: (inputs) => `train ${String(inputs.distinct_id)}` });
      const client = getOctokit(legacy.issueToken(), { baseUrl: legacyServer.url });
      const params = {
        owner: 'acme',
        repo: 'ml',
        workflow_id: 'train.yml',
        ref: 'main',
        inputs: { distinct_id: 'd-42' },
      };
      const refused = await statusOf(
        client.rest.actions.createWorkflowDispatch({ ...params, return_run_details: true }),
      );
      expect(refused.status).toBe(400);
      expect(refused.message).toContain('"return_run_details" is not a permitted key.');
      expect(legacy.runs).toHaveLength(0);

      const accepted = await client.rest.actions.createWorkflowDispatch(params);
      expect(accepted.status).toBe(204);
      const runs = await client.rest.actions.listWorkflowRuns({
        owner: 'acme',
        repo: 'ml',
        workflow_id: 'train.yml',
        event: 'workflow_dispatch',
        branch: 'main',
      });
      expect(runs.data.workflow_runs.find((run) => run.display_title.includes('d-42'))?.id).toBe(
        legacy.runs[0]?.id,
      );
      legacyServer.assertNoViolations();
    } finally {
      await legacyServer.close();
    }
  });

  it("answers 404 with GitHub's error body for an unknown workflow file", async () => {
    const failure = await statusOf(
      octokit().rest.actions.createWorkflowDispatch({
        owner: 'acme',
        repo: 'ml',
        workflow_id: 'nope.yml',
        ref: 'main',
      }),
    );
    expect(failure.status).toBe(404);
    expect(failure.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
      status: '404',
    });
  });

  it('starts listening workflows on repository_dispatch', async () => {
    const workflow = world.addWorkflow({
      file: 'on-dispatch.yml',
      repositoryDispatchTypes: ['retrain-model'],
    });
    const response = await octokit().rest.repos.createDispatchEvent({
      owner: 'acme',
      repo: 'ml',
      event_type: 'retrain-model',
      client_payload: { dataset: 'sha256:abc' },
    });
    expect(response.status).toBe(204);
    const dispatch = world.repositoryDispatches.at(-1);
    expect(dispatch?.clientPayload).toEqual({ dataset: 'sha256:abc' });
    const run = world.run(dispatch?.runIds[0] ?? 0);
    expect([run.workflowId, run.event, run.headBranch]).toEqual([workflow.id, 'repository_dispatch', 'main']);
  });

  it('lists run artifacts with the name filter', async () => {
    const run = world.addWorkflowRun({ workflow: 'train.yml', conclusion: 'success' });
    world.addArtifact(run, { name: 'model', files: [{ path: 'm.bin', data: 'm' }] });
    world.addArtifact(run, { name: 'metrics', files: [{ path: 'metrics.json', data: '{}' }] });
    const { data } = await octokit().rest.actions.listWorkflowRunArtifacts({
      owner: 'acme',
      repo: 'ml',
      run_id: run.id,
      name: 'metrics',
    });
    expect(data.total_count).toBe(1);
    expect(data.artifacts[0]?.workflow_run?.id).toBe(run.id);
  });
});

describe('deployments and check runs', () => {
  it('creates deployments with statuses and marks older successful ones inactive', async () => {
    const client = octokit();
    const create = (description: string) =>
      client.rest.repos.createDeployment({
        owner: 'acme',
        repo: 'ml',
        ref: 'main',
        environment: 'staging',
        auto_merge: false,
        required_contexts: [],
        payload: { model: description },
        description,
      });
    const first = await create('model v1');
    expect(first.status).toBe(201);
    const firstId = (first.data as { id: number }).id;
    await client.rest.repos.createDeploymentStatus({
      owner: 'acme',
      repo: 'ml',
      deployment_id: firstId,
      state: 'success',
    });
    const second = await create('model v2');
    const secondId = (second.data as { id: number }).id;
    for (const description of ['canary 25% (1/4)', 'canary 100% (4/4)']) {
      await client.rest.repos.createDeploymentStatus({
        owner: 'acme',
        repo: 'ml',
        deployment_id: secondId,
        state: 'in_progress',
        description,
        log_url: 'https://ci.example/logs/1',
      });
    }
    await client.rest.repos.createDeploymentStatus({
      owner: 'acme',
      repo: 'ml',
      deployment_id: secondId,
      state: 'success',
    });

    const statuses = await client.rest.repos.listDeploymentStatuses({
      owner: 'acme',
      repo: 'ml',
      deployment_id: secondId,
    });
    expect(statuses.data.map((s) => s.state)).toEqual(['success', 'in_progress', 'in_progress']);
    expect(statuses.data[1]?.target_url).toBe('https://ci.example/logs/1');
    const older = await client.rest.repos.listDeploymentStatuses({
      owner: 'acme',
      repo: 'ml',
      deployment_id: firstId,
    });
    expect(older.data[0]?.state).toBe('inactive');
    const listed = await client.rest.repos.listDeployments({
      owner: 'acme',
      repo: 'ml',
      environment: 'staging',
    });
    expect(listed.data.map((d) => d.id)).toEqual([secondId, firstId]);

    const tooLong = await statusOf(
      client.rest.repos.createDeploymentStatus({
        owner: 'acme',
        repo: 'ml',
        deployment_id: secondId,
        state: 'failure',
        description: 'x'.repeat(141),
      }),
    );
    expect(tooLong.status).toBe(422);
  });

  it('creates and completes a check run', async () => {
    const client = octokit();
    const created = await client.rest.checks.create({
      owner: 'acme',
      repo: 'ml',
      name: 'model-gate',
      head_sha: world.repo.branches.get('main') ?? '',
      status: 'in_progress',
    });
    expect(created.data.status).toBe('in_progress');
    const updated = await client.rest.checks.update({
      owner: 'acme',
      repo: 'ml',
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: 'AUC dropped', summary: 'AUC 0.80 < 0.85' },
    });
    expect([updated.data.status, updated.data.conclusion, updated.data.output.title]).toEqual([
      'completed',
      'failure',
      'AUC dropped',
    ]);
  });
});

describe('contract checks', () => {
  it('flags an invalid body as a violation and answers 422', async () => {
    const deployment = world.deployments[0];
    const failure = await statusOf(
      octokit().request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        owner: 'acme',
        repo: 'ml',
        deployment_id: deployment?.id ?? 1,
        state: 'bogus' as 'success',
      }),
    );
    expect(failure.status).toBe(422);
    expect(failure.message).toContain('"bogus" is not a member of');
    expect(server.violations.map((v) => [v.kind, v.operationId])).toEqual([
      ['invalid-body', 'repos/create-deployment-status'],
    ]);
    expect(() => server.assertNoViolations()).toThrow(/invalid-body/);
    server.clearViolations();
  });

  it('flags unknown routes, unimplemented operations and undocumented query parameters', async () => {
    const client = octokit();
    expect(
      (await statusOf(client.request('GET /repos/{owner}/{repo}/not-a-thing', { owner: 'acme', repo: 'ml' })))
        .status,
    ).toBe(404);
    expect((await statusOf(client.rest.repos.listTags({ owner: 'acme', repo: 'ml' }))).status).toBe(404);
    await client.request('GET /repos/{owner}/{repo}/actions/runs', {
      owner: 'acme',
      repo: 'ml',
      branchh: 'main',
    });
    expect(server.violations.map((v) => v.kind)).toEqual([
      'unknown-route',
      'unimplemented-operation',
      'undocumented-query-parameter',
    ]);
    server.clearViolations();
  });

  it('lets anonymous callers read a public repository but not write', async () => {
    const anonymous = new GitHub({ baseUrl: server.url });
    expect((await anonymous.rest.repos.get({ owner: 'acme', repo: 'ml' })).headers['x-ratelimit-limit']).toBe(
      '60',
    );
    const refused = await statusOf(
      anonymous.rest.repos.createDispatchEvent({ owner: 'acme', repo: 'ml', event_type: 'retrain-model' }),
    );
    expect(refused).toMatchObject({
      status: 401,
      message: expect.stringContaining('Requires authentication'),
    });
  });

  it('answers 401 to an unknown token', async () => {
    const failure = await statusOf(octokit('ghp_unknown').rest.repos.get({ owner: 'acme', repo: 'ml' }));
    expect(failure.status).toBe(401);
    expect(failure.body).toMatchObject({ message: 'Bad credentials' });
  });
});

describe('faults and rate limits', () => {
  it('recovers from a 502 injected twice with a retrying client', async () => {
    const fault = server.faults.inject({ match: 'repos/get', status: 502, times: 2 });
    const client = getOctokit(token, { baseUrl: server.url, retry: { retryAfterBaseValue: 10 } }, retry);
    const response = await client.rest.repos.get({ owner: 'acme', repo: 'ml' });
    expect(response.status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(
      server.requests
        .named('repos/get')
        .slice(-3)
        .map((r) => [r.status, r.injected]),
    ).toEqual([
      [502, true],
      [502, true],
      [200, false],
    ]);
  });

  it('sends a secondary rate limit with retry-after that the throttling plugin honours', async () => {
    const fault = server.injectSecondaryRateLimit({ times: 1, retryAfterSeconds: 1, match: 'repos/get' });
    const waits: number[] = [];
    const client = getOctokit(
      token,
      {
        baseUrl: server.url,
        throttle: {
          retryAfterBaseValue: 10,
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            return true;
          },
        },
      },
      throttling,
    );
    const response = await client.rest.repos.get({ owner: 'acme', repo: 'ml' });
    expect(response.status).toBe(200);
    expect(waits).toEqual([1]);
    expect(fault.hits).toBe(1);
    const refused = server.requests.named('repos/get').at(-2);
    expect([refused?.status, refused?.injected]).toEqual([403, true]);
  });

  it('answers 403 with x-ratelimit-remaining 0 when the primary limit is exhausted', async () => {
    server.rateLimiter.exhaust(60);
    try {
      const failure = await statusOf(octokit().rest.repos.get({ owner: 'acme', repo: 'ml' }));
      expect(failure.status).toBe(403);
      expect(failure.message).toContain('API rate limit exceeded');
      const last = server.requests.entries.at(-1);
      expect(last?.status).toBe(403);
    } finally {
      server.rateLimiter.reset();
    }
  });
});
