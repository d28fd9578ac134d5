import { describe, expect, it } from 'vitest';
import { GitHubWorld, resolvePermissions } from './github/index.ts';

describe('GitHubWorld', () => {
  it('gives a fork pull request run a read-only token and a same-repo one a write token', () => {
    const world = new GitHubWorld();
    const fork = world.addPullRequest({ title: 'fork', headRef: 'x', forkOwner: 'someone' });
    const local = world.addPullRequest({ title: 'local', headRef: 'y' });
    const forkRun = world.addWorkflowRun({ workflow: 'ci.yml', pullRequest: fork.number });
    const localRun = world.addWorkflowRun({ workflow: 'ci.yml', pullRequest: local.number });
    expect(world.tokenInfo(forkRun.token)?.permissions.issues).toBe('read');
    expect(world.tokenInfo(localRun.token)?.permissions.issues).toBe('write');
    expect([forkRun.ref, forkRun.event, forkRun.headBranch]).toEqual([
      `refs/pull/${fork.number}/merge`,
      'pull_request',
      'x',
    ]);
    expect(() => world.addWorkflowRun({ workflow: 'ci.yml', pullRequest: 99 })).toThrow(/addPullRequest/);
  });

  it('builds event payloads for pull request, dispatch and push runs', () => {
    const world = new GitHubWorld({ owner: 'acme', repo: 'ml' });
    const pr = world.addPullRequest({ title: 'Try', headRef: 'try', forkOwner: 'someone' });
    const prRun = world.addWorkflowRun({ workflow: 'ci.yml', pullRequest: pr.number });
    expect(world.eventPayload(prRun)).toMatchObject({
      number: pr.number,
      repository: { full_name: 'acme/ml', default_branch: 'main' },
      pull_request: {
        head: { ref: 'try', repo: { full_name: 'someone/ml', fork: true } },
        base: { ref: 'main' },
      },
    });
    const dispatched = world.addWorkflowRun({
      workflow: 'train.yml',
      event: 'workflow_dispatch',
      inputs: { lr: '0.1' },
    });
    expect(world.eventPayload(dispatched)).toMatchObject({ inputs: { lr: '0.1' }, ref: 'refs/heads/main' });
    const push = world.addWorkflowRun({ workflow: 'ci.yml' });
    expect(world.eventPayload(push)).toMatchObject({ ref: 'refs/heads/main', after: push.headSha });
  });

  it('resolves permission presets, keeping metadata readable', () => {
    expect(resolvePermissions({ issues: 'write' })).toMatchObject({
      issues: 'write',
      actions: 'none',
      metadata: 'read',
    });
    expect(resolvePermissions('read-all').contents).toBe('read');
  });

  it('numbers runs per workflow and completes them with their jobs', () => {
    const world = new GitHubWorld();
    const first = world.addWorkflowRun({ workflow: 'train.yml', jobs: ['a', 'b'] });
    const second = world.addWorkflowRun({ workflow: 'train.yml' });
    expect([first.runNumber, second.runNumber]).toEqual([1, 2]);
    world.completeRun(first.id, 'failure');
    expect(first.jobs.map((job) => [job.status, job.conclusion])).toEqual([
      ['completed', 'failure'],
      ['completed', 'failure'],
    ]);
  });

  it('evicts the least recently used cache entries beyond the quota', () => {
    const world = new GitHubWorld({ cacheQuotaBytes: 10 });
    const base = Date.now();
    for (const [index, key] of ['old', 'used', 'new'].entries()) {
      world.cacheEntries.push({
        id: world.nextId('cache'),
        repoId: world.repo.id,
        key,
        version: 'v',
        scope: 'refs/heads/main',
        size: 4,
        blobPath: `/x/${key}`,
        createdAt: new Date(base + index),
        lastAccessedAt: new Date(base + (key === 'used' ? 100 : index)),
        state: 'finalized',
      });
    }
    world.evictCaches(world.repo.id);
    expect(world.cacheEntriesOf().map((entry) => entry.key)).toEqual(['used', 'new']);
  });
});
