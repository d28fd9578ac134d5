import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readContext, pullRequestNumber, isForkPullRequest } from './context.ts';

function contextFor(eventName: string, payload: object, extra: Record<string, string> = {}) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ctx-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return readContext({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: file,
    GITHUB_REPOSITORY: 'acme/ml',
    GITHUB_RUN_ID: '42',
    GITHUB_REF: 'refs/heads/feature',
    GITHUB_WORKFLOW_REF: 'acme/ml/.github/workflows/gate.yml@refs/heads/feature',
    ...extra,
  });
}

describe('context', () => {
  it('reads the run and workflow file', () => {
    const c = contextFor('push', {});
    expect(c).toMatchObject({
      owner: 'acme',
      repo: 'ml',
      branch: 'feature',
      workflowFile: '.github/workflows/gate.yml',
    });
    expect(c.runUrl).toBe('https://github.com/acme/ml/actions/runs/42');
  });

  it('finds the PR for pull_request, pull_request_target and workflow_run', () => {
    const same = { head: { repo: { full_name: 'acme/ml' } }, base: { repo: { full_name: 'acme/ml' } } };
    expect(pullRequestNumber(contextFor('pull_request', { pull_request: { number: 5, ...same } }))).toBe(5);
    expect(
      pullRequestNumber(contextFor('pull_request_target', { pull_request: { number: 6, ...same } })),
    ).toBe(6);
    expect(
      pullRequestNumber(
        contextFor('workflow_run', { workflow_run: { id: 1, pull_requests: [{ number: 9 }] } }),
      ),
    ).toBe(9);
    expect(pullRequestNumber(contextFor('push', {}))).toBeUndefined();
  });

  it('tells fork PRs apart, including deleted forks and workflow_run from forks', () => {
    const pr = (head: object | null) => ({
      pull_request: { number: 1, head: { repo: head }, base: { repo: { full_name: 'acme/ml' } } },
    });
    expect(isForkPullRequest(contextFor('pull_request', pr({ full_name: 'acme/ml' })))).toBe(false);
    expect(isForkPullRequest(contextFor('pull_request', pr({ full_name: 'eve/ml' })))).toBe(true);
    expect(isForkPullRequest(contextFor('pull_request', pr(null)))).toBe(true);
    const run = (head: string) => ({
      workflow_run: {
        id: 1,
        event: 'pull_request',
        head_repository: { full_name: head },
        repository: { full_name: 'acme/ml' },
      },
    });
    expect(isForkPullRequest(contextFor('workflow_run', run('eve/ml')))).toBe(true);
    expect(isForkPullRequest(contextFor('workflow_run', run('acme/ml')))).toBe(false);
  });
});
