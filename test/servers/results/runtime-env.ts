import type { GitHubWorld, JobRecord, WorkflowRunRecord } from '../shared/world.ts';
import { createRuntimeToken } from './runtime-token.ts';

/** Options of {@link actionsRuntimeEnv}. */
export interface RuntimeEnvOptions {
  /** Name of the job the step runs in (default: the run's first job). */
  readonly job?: string;
  /** `GITHUB_WORKSPACE` (the artifact client downloads there by default). */
  readonly workspace?: string;
  /** `RUNNER_TEMP` (the cache client writes archives there). */
  readonly runnerTemp?: string;
  /** `GITHUB_EVENT_PATH`, a JSON file with the event payload (`@actions/github` reads it). */
  readonly eventPath?: string;
}

/** Origins of the local servers the environment points at. */
export interface RuntimeEndpoints {
  /** REST server origin (`GITHUB_API_URL`). */
  readonly githubUrl: string;
  /** Results server origin (`ACTIONS_RESULTS_URL`). */
  readonly resultsUrl: string;
}

function refParts(ref: string): { name: string; type: string } {
  if (ref.startsWith('refs/heads/')) return { name: ref.slice('refs/heads/'.length), type: 'branch' };
  if (ref.startsWith('refs/tags/')) return { name: ref.slice('refs/tags/'.length), type: 'tag' };
  if (ref.startsWith('refs/pull/')) return { name: ref.slice('refs/pull/'.length), type: 'branch' };
  return { name: ref, type: 'branch' };
}

/**
 * The environment a node action step sees inside Actions for `run` (and one of its jobs): the
 * runtime token and results URL that only node actions get, the cache service v2 switch, and the
 * `GITHUB_*` variables, pointing at the local servers.
 *
 * `GITHUB_SERVER_URL` is the world's server URL (default `https://github.com`), one of the hosts
 * the artifact and cache clients accept (github.com, *.ghe.com, *.localhost; anything else is
 * treated as GHES, where both refuse to work).
 */
export function actionsRuntimeEnv(
  world: GitHubWorld,
  run: WorkflowRunRecord,
  endpoints: RuntimeEndpoints,
  options: RuntimeEnvOptions = {},
): Record<string, string> {
  const job: JobRecord | undefined = options.job
    ? run.jobs.find((candidate) => candidate.name === options.job)
    : run.jobs[0];
  if (!job) {
    throw new Error(
      `Run ${run.id} has no job named "${options.job ?? ''}"; its jobs are ${run.jobs.map((j) => j.name).join(', ')}.`,
    );
  }
  const repo = world.repoById(run.repoId);
  const workflow = world.workflowById(run.workflowId);
  const ref = refParts(run.ref);
  const pull =
    run.pullRequestNumbers[0] !== undefined ? world.findIssue(run.pullRequestNumbers[0], repo) : undefined;
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    ACTIONS_RUNTIME_TOKEN: createRuntimeToken(world, run, job),
    ACTIONS_RESULTS_URL: `${endpoints.resultsUrl}/`,
    ACTIONS_CACHE_SERVICE_V2: 'true',
    GITHUB_API_URL: endpoints.githubUrl,
    GITHUB_GRAPHQL_URL: `${endpoints.githubUrl}/graphql`,
    GITHUB_SERVER_URL: world.serverUrl,
    GITHUB_REPOSITORY: repo.fullName,
    GITHUB_REPOSITORY_ID: String(repo.id),
    GITHUB_REPOSITORY_OWNER: repo.owner.login,
    GITHUB_REPOSITORY_OWNER_ID: String(repo.owner.id),
    GITHUB_RUN_ID: String(run.id),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: String(run.runAttempt),
    GITHUB_WORKFLOW: workflow.name,
    GITHUB_WORKFLOW_REF: `${repo.fullName}/${workflow.path}@${run.ref}`,
    GITHUB_WORKFLOW_SHA: run.headSha,
    GITHUB_JOB: job.name,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: ref.name,
    GITHUB_REF_TYPE: ref.type,
    GITHUB_SHA: run.headSha,
    GITHUB_HEAD_REF: pull?.pull ? pull.pull.headRef : '',
    GITHUB_BASE_REF: pull?.pull ? pull.pull.baseRef : '',
    GITHUB_ACTOR: run.actor.login,
    GITHUB_ACTOR_ID: String(run.actor.id),
    GITHUB_TRIGGERING_ACTOR: run.actor.login,
    GITHUB_TOKEN: run.token,
    GITHUB_RETENTION_DAYS: String(world.artifactRetentionDays),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
  if (options.workspace) env.GITHUB_WORKSPACE = options.workspace;
  if (options.runnerTemp) env.RUNNER_TEMP = options.runnerTemp;
  if (options.eventPath) env.GITHUB_EVENT_PATH = options.eventPath;
  return env;
}
