/**
 * What a step knows about its workflow run, read from the runner's environment and event payload.
 * Read on demand (not at import, unlike `@actions/github`'s `context`) so tests and local runs can
 * pass their own environment.
 */
import { readFileSync } from 'node:fs';

/** The subset of an event payload the suite reads. */
export interface EventPayload {
  pull_request?: {
    number: number;
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    base?: { ref?: string; repo?: { full_name?: string } };
  };
  workflow_run?: {
    id: number;
    event?: string;
    head_sha?: string;
    head_branch?: string;
    head_repository?: { full_name?: string; owner?: { login?: string } };
    repository?: { full_name?: string };
    pull_requests?: { number: number }[];
    conclusion?: string | null;
  };
  repository?: { full_name?: string; default_branch?: string };
  inputs?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The run context of a step. */
export interface RunContext {
  /** True when running on a GitHub Actions runner (`GITHUB_ACTIONS=true`). */
  inActions: boolean;
  eventName: string;
  payload: EventPayload;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  /** Branch name for branch refs, else undefined. */
  branch: string | undefined;
  runId: string;
  runAttempt: string;
  workflow: string;
  /** Workflow file, e.g. `.github/workflows/train.yml`, from `GITHUB_WORKFLOW_REF`. */
  workflowFile: string | undefined;
  serverUrl: string;
  apiUrl: string;
  /** Link to the run's page. */
  runUrl: string;
  /** Default branch from the payload, when known. */
  defaultBranch: string | undefined;
}

/** Reads the run context from an environment (default `process.env`). */
export function readContext(env: Record<string, string | undefined> = process.env): RunContext {
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
    } catch {
      payload = {};
    }
  }
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const ref = env.GITHUB_REF ?? '';
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const runId = env.GITHUB_RUN_ID ?? '';
  const workflowRef = env.GITHUB_WORKFLOW_REF ?? '';
  const workflowFile = /^[^/]+\/[^/]+\/(.+?)@/.exec(workflowRef)?.[1];
  return {
    inActions: env.GITHUB_ACTIONS === 'true',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref,
    branch: ref.startsWith('refs/heads/') ? ref.slice(11) : env.GITHUB_HEAD_REF || undefined,
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    workflow: env.GITHUB_WORKFLOW ?? '',
    workflowFile,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    runUrl: owner && runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : '',
    defaultBranch: payload.repository?.default_branch,
  };
}

/**
 * The pull request a run is about: `pull_request` and `pull_request_target` carry it; a
 * `workflow_run` triggered by a PR lists it in `workflow_run.pull_requests` (empty for forks, where
 * callers look it up by head branch).
 */
export function pullRequestNumber(context: RunContext): number | undefined {
  if (context.payload.pull_request) return context.payload.pull_request.number;
  const fromRun = context.payload.workflow_run?.pull_requests?.[0]?.number;
  return fromRun;
}

/** True when the run is about a PR whose head lives in another repository (a fork). */
export function isForkPullRequest(context: RunContext): boolean {
  const pr = context.payload.pull_request;
  if (pr) {
    const head = pr.head?.repo?.full_name;
    const base = pr.base?.repo?.full_name ?? context.payload.repository?.full_name;
    return head === undefined || head === null || head !== base;
  }
  const run = context.payload.workflow_run;
  if (run && run.event?.startsWith('pull_request')) {
    return run.head_repository?.full_name !== run.repository?.full_name;
  }
  return false;
}
