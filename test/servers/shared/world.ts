import { createHash, randomUUID } from 'node:crypto';
import { BlobStore } from './blob-store.ts';
import { createZip, type ZipEntry } from './zip.ts';

/**
 * The simulated GitHub "world" shared by the local REST server and the local results service:
 * repositories, workflows and their runs and jobs, artifacts (with their blob bytes), cache
 * entries, issues and pull requests with comments, deployments with statuses, check runs,
 * repository dispatches and tokens with permissions.
 *
 * Tests seed it through the typed methods below, drive the real clients against the servers, then
 * inspect it. Everything is in memory; ids are unique across the world, like GitHub's.
 */

/** Access level of a token permission. */
export type Permission = 'read' | 'write' | 'none';

/** Permission scopes of a `GITHUB_TOKEN` (a subset of GitHub's). */
export type PermissionScope =
  'actions' | 'checks' | 'contents' | 'deployments' | 'issues' | 'metadata' | 'pull-requests' | 'statuses';

/** Every permission scope, in a stable order. */
export const PERMISSION_SCOPES: readonly PermissionScope[] = [
  'actions',
  'checks',
  'contents',
  'deployments',
  'issues',
  'metadata',
  'pull-requests',
  'statuses',
];

/** A token's permissions: a preset or per-scope levels (scopes left out are `none`, `metadata` is always `read`). */
export type TokenPermissionsInput = 'write-all' | 'read-all' | Partial<Record<PermissionScope, Permission>>;

/** Conclusion of a completed workflow run or job. */
export type RunConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale';

/** Lifecycle status of a workflow run or job. */
export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';

/** A GitHub account (user, bot or organization). */
export interface UserRecord {
  readonly login: string;
  readonly id: number;
  readonly type: 'User' | 'Bot' | 'Organization';
}

/** A repository. */
export interface RepoRecord {
  readonly id: number;
  readonly owner: UserRecord;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly fork: boolean;
  readonly description: string | null;
  readonly createdAt: Date;
  /** Branch name → head commit SHA. */
  readonly branches: Map<string, string>;
  /** Tag name → commit SHA. */
  readonly tags: Map<string, string>;
}

/** Declaration of one `workflow_dispatch` input. */
export interface WorkflowInputSpec {
  readonly required?: boolean;
  readonly default?: string;
}

/** Computes a run's display title from the dispatch inputs (the workflow's `run-name`). */
export type RunNameTemplate = (inputs: Readonly<Record<string, unknown>>) => string;

/** A workflow file. */
export interface WorkflowRecord {
  readonly id: number;
  readonly repoId: number;
  readonly name: string;
  /** File name, e.g. `train.yml`. */
  readonly file: string;
  /** `.github/workflows/<file>` */
  readonly path: string;
  state: 'active' | 'disabled_manually';
  readonly createdAt: Date;
  /** `run-name` of the workflow; without one a dispatched run's title is the workflow name. */
  runName: RunNameTemplate | undefined;
  /** Declared `workflow_dispatch` inputs; `undefined` accepts any input. */
  inputs: Readonly<Record<string, WorkflowInputSpec>> | undefined;
  /** Whether the workflow has an `on: workflow_dispatch` trigger. */
  dispatchable: boolean;
  /** `repository_dispatch` types that start this workflow (`[]` none, `['*']` any). */
  repositoryDispatchTypes: readonly string[];
  nextRunNumber: number;
}

/** A job of a workflow run. */
export interface JobRecord {
  readonly id: number;
  /** UUID used by the results service (`workflow_job_run_backend_id`). */
  readonly backendId: string;
  readonly runId: number;
  readonly name: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  readonly createdAt: Date;
  startedAt: Date;
  completedAt: Date | null;
}

/** A workflow run. */
export interface WorkflowRunRecord {
  readonly id: number;
  /** UUID used by the results service (`workflow_run_backend_id`). */
  readonly backendId: string;
  readonly repoId: number;
  readonly workflowId: number;
  readonly runNumber: number;
  readonly runAttempt: number;
  readonly name: string;
  displayTitle: string;
  readonly event: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  readonly headBranch: string | null;
  readonly headSha: string;
  /** `GITHUB_REF` of the run, e.g. `refs/heads/main` or `refs/pull/7/merge`. */
  readonly ref: string;
  readonly actor: UserRecord;
  readonly createdAt: Date;
  updatedAt: Date;
  runStartedAt: Date;
  /** `workflow_dispatch` inputs or `repository_dispatch` client payload. */
  readonly inputs: Readonly<Record<string, unknown>> | undefined;
  readonly pullRequestNumbers: readonly number[];
  readonly jobs: JobRecord[];
  /** The run's `GITHUB_TOKEN`. */
  readonly token: string;
}

/** An artifact (pending until its upload is finalized). */
export interface ArtifactRecord {
  readonly id: number;
  readonly repoId: number;
  readonly runId: number;
  readonly jobId: number;
  readonly name: string;
  size: number;
  /** `sha256:<hex>` of the uploaded bytes, once finalized. */
  digest: string | null;
  /** Path of the blob holding the bytes. */
  readonly blobPath: string;
  readonly mimeType: string;
  readonly createdAt: Date;
  updatedAt: Date;
  readonly expiresAt: Date;
  state: 'pending' | 'finalized';
}

/** A cache entry (pending until its upload is finalized). */
export interface CacheEntryRecord {
  readonly id: number;
  readonly repoId: number;
  readonly key: string;
  readonly version: string;
  /** The ref the entry belongs to, e.g. `refs/heads/main`. */
  readonly scope: string;
  size: number;
  readonly blobPath: string;
  readonly createdAt: Date;
  lastAccessedAt: Date;
  state: 'pending' | 'finalized';
}

/** Pull request part of an issue. */
export interface PullRequestDetails {
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
  /** Full name of the repository the head branch lives in (another one for a fork). */
  readonly headRepoFullName: string;
  readonly fromFork: boolean;
  /** Owner of the fork the head branch lives in (`undefined` for a branch of the repository). */
  readonly forkOwner: string | undefined;
  readonly draft: boolean;
  merged: boolean;
}

/** An issue or pull request (pull requests are issues with `pull` set). */
export interface IssueRecord {
  readonly id: number;
  readonly repoId: number;
  readonly number: number;
  title: string;
  body: string | null;
  readonly user: UserRecord;
  state: 'open' | 'closed';
  readonly createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  readonly pull: PullRequestDetails | undefined;
}

/** An issue (or pull request) comment. */
export interface CommentRecord {
  readonly id: number;
  readonly repoId: number;
  readonly issueNumber: number;
  body: string;
  readonly user: UserRecord;
  readonly createdAt: Date;
  updatedAt: Date;
}

/** A deployment status. */
export interface DeploymentStatusRecord {
  readonly id: number;
  readonly deploymentId: number;
  readonly state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  readonly description: string;
  readonly environment: string;
  readonly environmentUrl: string;
  readonly logUrl: string;
  readonly targetUrl: string;
  readonly creator: UserRecord;
  readonly createdAt: Date;
}

/** A deployment. */
export interface DeploymentRecord {
  readonly id: number;
  readonly repoId: number;
  readonly ref: string;
  readonly sha: string;
  readonly task: string;
  environment: string;
  readonly originalEnvironment: string;
  readonly payload: Record<string, unknown> | string;
  readonly description: string | null;
  readonly creator: UserRecord;
  readonly transientEnvironment: boolean;
  readonly productionEnvironment: boolean;
  readonly createdAt: Date;
  updatedAt: Date;
  /** Oldest first. */
  readonly statuses: DeploymentStatusRecord[];
}

/** A check run. */
export interface CheckRunRecord {
  readonly id: number;
  readonly repoId: number;
  name: string;
  readonly headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
  readonly createdAt: Date;
}

/** A `repository_dispatch` event received by the REST server. */
export interface RepositoryDispatchRecord {
  readonly repoId: number;
  readonly eventType: string;
  readonly clientPayload: Readonly<Record<string, unknown>>;
  readonly sender: UserRecord;
  readonly at: Date;
  /** Runs the event started (workflows listening for this type). */
  readonly runIds: readonly number[];
}

/** A token the REST server accepts. */
export interface TokenRecord {
  readonly token: string;
  readonly user: UserRecord;
  readonly permissions: Readonly<Record<PermissionScope, Permission>>;
  /** A `GITHUB_TOKEN` is limited to the repository of its run. */
  readonly repoId: number | undefined;
  /** The run a `GITHUB_TOKEN` belongs to. */
  readonly runId: number | undefined;
}

/** How the REST server answers `return_run_details` on workflow dispatch. */
export type DispatchMode = 'modern' | 'legacy';

/** Options of {@link GitHubWorld}. */
export interface GitHubWorldOptions {
  /** Owner of the default repository (default `acme`). */
  readonly owner?: string;
  /** Name of the default repository (default `ml`). */
  readonly repo?: string;
  readonly defaultBranch?: string;
  readonly private?: boolean;
  /** `GITHUB_SERVER_URL` and base of `html_url` fields (default `https://github.com`). */
  readonly serverUrl?: string;
  /**
   * `modern` (github.com since 2026-02): dispatch with `return_run_details: true` answers 200 with
   * the run. `legacy` (GHES ≤ 3.20): that field is refused with 400, dispatch answers 204.
   */
  readonly dispatchMode?: DispatchMode;
  /** Default actor of runs (default `octocat`). */
  readonly actor?: string;
  /** Days until an artifact expires when the upload gives none (default 90). */
  readonly artifactRetentionDays?: number;
  /** Cache storage per repository before the least recently used entries are evicted (default 10 GiB). */
  readonly cacheQuotaBytes?: number;
}

/** Options of {@link GitHubWorld.addRepo}. */
export interface AddRepoOptions {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch?: string;
  readonly private?: boolean;
  readonly fork?: boolean;
  readonly description?: string;
  readonly ownerType?: 'User' | 'Organization';
}

/** Options of {@link GitHubWorld.addWorkflow}. */
export interface AddWorkflowOptions {
  /** File name (`train.yml`) or path (`.github/workflows/train.yml`). */
  readonly file: string;
  /** Display name (default: the file name without extension). */
  readonly name?: string;
  readonly runName?: RunNameTemplate;
  readonly inputs?: Readonly<Record<string, WorkflowInputSpec>>;
  readonly dispatchable?: boolean;
  readonly repositoryDispatchTypes?: readonly string[];
  readonly repo?: RepoRecord;
}

/** Options of {@link GitHubWorld.addWorkflowRun}. */
export interface AddWorkflowRunOptions {
  /** Workflow file name (created on first use) or record. */
  readonly workflow: string | WorkflowRecord;
  /** Head branch (default: the repository's default branch, or the pull request's head). */
  readonly branch?: string;
  readonly event?: string;
  readonly status?: RunStatus;
  /** Setting a conclusion makes the run `completed`. */
  readonly conclusion?: RunConclusion;
  readonly headSha?: string;
  readonly displayTitle?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Job names (default `['build']`). */
  readonly jobs?: readonly string[];
  /** Number of the pull request that triggered the run (`event` defaults to `pull_request`). */
  readonly pullRequest?: number;
  readonly actor?: string;
  /** Permissions of the run's `GITHUB_TOKEN` (default write-all; read-all for a pull request from a fork). */
  readonly permissions?: TokenPermissionsInput;
  readonly runAttempt?: number;
  readonly createdAt?: Date;
  readonly repo?: RepoRecord;
}

/** Options of {@link GitHubWorld.addPullRequest}. */
export interface AddPullRequestOptions {
  readonly title: string;
  readonly body?: string;
  readonly headRef: string;
  readonly baseRef?: string;
  readonly headSha?: string;
  /** The head branch lives in a fork owned by this account. */
  readonly forkOwner?: string;
  readonly author?: string;
  readonly draft?: boolean;
  readonly repo?: RepoRecord;
}

/** Options of {@link GitHubWorld.addArtifact}. */
export interface AddArtifactOptions {
  readonly name: string;
  /** Files to zip; or give `zip` bytes directly. */
  readonly files?: readonly ZipEntry[];
  readonly zip?: Buffer;
  readonly job?: string;
  readonly expiresAt?: Date;
}

/** Options of {@link GitHubWorld.issueToken}. */
export interface IssueTokenOptions {
  /** Account the token acts as (default `octocat`, a user). */
  readonly login?: string;
  readonly permissions?: TokenPermissionsInput;
  /** Limit the token to one repository (like a `GITHUB_TOKEN`). */
  readonly repo?: RepoRecord;
}

/** Listener called when a run is created by the REST server (dispatch) or the world. */
export type RunCreatedListener = (run: WorkflowRunRecord) => void;

/** The `github-actions[bot]` account that `GITHUB_TOKEN` calls act as. */
export const GITHUB_ACTIONS_BOT: UserRecord = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

/** An ISO timestamp without milliseconds, as GitHub writes them. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A deterministic 40-hex commit SHA derived from `seed`. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** Resolves a permissions input to a level for every scope. */
export function resolvePermissions(input: TokenPermissionsInput): Record<PermissionScope, Permission> {
  const resolved = {} as Record<PermissionScope, Permission>;
  for (const scope of PERMISSION_SCOPES) {
    if (input === 'write-all') resolved[scope] = 'write';
    else if (input === 'read-all') resolved[scope] = 'read';
    else resolved[scope] = input[scope] ?? 'none';
  }
  if (resolved.metadata === 'none') resolved.metadata = 'read';
  return resolved;
}

/** In-memory state of a simulated GitHub, shared by the local REST and results servers. */
export class GitHubWorld {
  /** The repository given to the constructor. */
  readonly repo: RepoRecord;
  readonly serverUrl: string;
  /** How workflow dispatch treats `return_run_details`; may be switched by tests. */
  dispatchMode: DispatchMode;
  readonly artifactRetentionDays: number;
  readonly cacheQuotaBytes: number;
  /** Blob bytes of artifacts and cache entries, served by the results server. */
  readonly blobs = new BlobStore();

  readonly repos: RepoRecord[] = [];
  readonly users = new Map<string, UserRecord>();
  readonly workflows: WorkflowRecord[] = [];
  readonly runs: WorkflowRunRecord[] = [];
  readonly artifacts: ArtifactRecord[] = [];
  readonly cacheEntries: CacheEntryRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly deployments: DeploymentRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly repositoryDispatches: RepositoryDispatchRecord[] = [];
  readonly tokens = new Map<string, TokenRecord>();

  private readonly defaultActor: string;
  private readonly counters = new Map<string, number>();
  private readonly runListeners = new Set<RunCreatedListener>();

  constructor(options: GitHubWorldOptions = {}) {
    this.serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/$/, '');
    this.dispatchMode = options.dispatchMode ?? 'modern';
    this.defaultActor = options.actor ?? 'octocat';
    this.artifactRetentionDays = options.artifactRetentionDays ?? 90;
    this.cacheQuotaBytes = options.cacheQuotaBytes ?? 10 * 1024 ** 3;
    this.users.set(GITHUB_ACTIONS_BOT.login, GITHUB_ACTIONS_BOT);
    this.repo = this.addRepo({
      owner: options.owner ?? 'acme',
      name: options.repo ?? 'ml',
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? false,
      ownerType: 'Organization',
    });
  }

  /** Next id of a kind; kinds start at different bases so ids look like GitHub's and never collide. */
  nextId(kind: string): number {
    const bases: Record<string, number> = {
      repo: 600_000_001,
      user: 1_000_001,
      workflow: 90_000_001,
      run: 9_000_000_001,
      job: 30_000_000_001,
      artifact: 2_000_000_001,
      cache: 1,
      issue: 2_500_000_001,
      comment: 1_800_000_001,
      deployment: 700_000_001,
      status: 1_100_000_001,
      check: 20_000_000_001,
    };
    const current = this.counters.get(kind) ?? bases[kind] ?? 1;
    this.counters.set(kind, current + 1);
    return current;
  }

  /** Returns the account named `login`, creating a user (or `type`) on first use. */
  user(login: string, type: UserRecord['type'] = 'User'): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId('user'), type };
      this.users.set(login, user);
    }
    return user;
  }

  /** Adds a repository (its default branch gets a head commit). */
  addRepo(options: AddRepoOptions): RepoRecord {
    const defaultBranch = options.defaultBranch ?? 'main';
    const repo: RepoRecord = {
      id: this.nextId('repo'),
      owner: this.user(options.owner, options.ownerType ?? 'User'),
      name: options.name,
      fullName: `${options.owner}/${options.name}`,
      defaultBranch,
      private: options.private ?? false,
      fork: options.fork ?? false,
      description: options.description ?? null,
      createdAt: new Date(),
      branches: new Map([[defaultBranch, fakeSha(`${options.owner}/${options.name}@${defaultBranch}`)]]),
      tags: new Map(),
    };
    this.repos.push(repo);
    return repo;
  }

  /** The repository `owner/name` (case-insensitive, like GitHub), if any. */
  findRepo(owner: string, name: string): RepoRecord | undefined {
    const wanted = `${owner}/${name}`.toLowerCase();
    return this.repos.find((repo) => repo.fullName.toLowerCase() === wanted);
  }

  /** Adds (or moves) a branch; returns its head SHA. */
  addBranch(name: string, sha?: string, repo: RepoRecord = this.repo): string {
    const head = sha ?? fakeSha(`${repo.fullName}@${name}`);
    repo.branches.set(name, head);
    return head;
  }

  /** Resolves a branch, tag, `refs/…` name or full SHA to a commit SHA. */
  resolveRef(ref: string, repo: RepoRecord = this.repo): string | undefined {
    const short = ref.replace(/^refs\/(heads|tags)\//, '');
    if (repo.branches.has(short)) return repo.branches.get(short);
    if (repo.tags.has(short)) return repo.tags.get(short);
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    return undefined;
  }

  /** Adds a workflow file. */
  addWorkflow(options: AddWorkflowOptions): WorkflowRecord {
    const repo = options.repo ?? this.repo;
    const file = options.file.replace(/^\.github\/workflows\//, '');
    if (this.findWorkflow(file, repo)) {
      throw new Error(
        `Workflow ${file} already exists in ${repo.fullName}; use world.findWorkflow('${file}').`,
      );
    }
    const workflow: WorkflowRecord = {
      id: this.nextId('workflow'),
      repoId: repo.id,
      name: options.name ?? file.replace(/\.ya?ml$/, ''),
      file,
      path: `.github/workflows/${file}`,
      state: 'active',
      createdAt: new Date(),
      runName: options.runName,
      inputs: options.inputs,
      dispatchable: options.dispatchable ?? true,
      repositoryDispatchTypes: options.repositoryDispatchTypes ?? [],
      nextRunNumber: 1,
    };
    this.workflows.push(workflow);
    return workflow;
  }

  /** Finds a workflow by numeric id (or its decimal string) or file name. */
  findWorkflow(idOrFile: string | number, repo: RepoRecord = this.repo): WorkflowRecord | undefined {
    const text = String(idOrFile).replace(/^\.github\/workflows\//, '');
    return this.workflows.find(
      (workflow) => workflow.repoId === repo.id && (String(workflow.id) === text || workflow.file === text),
    );
  }

  /** Adds a workflow run with its jobs and its `GITHUB_TOKEN`. */
  addWorkflowRun(options: AddWorkflowRunOptions): WorkflowRunRecord {
    const repo = options.repo ?? this.repo;
    const workflow =
      typeof options.workflow === 'string'
        ? (this.findWorkflow(options.workflow, repo) ?? this.addWorkflow({ file: options.workflow, repo }))
        : options.workflow;
    const pull = options.pullRequest !== undefined ? this.findIssue(options.pullRequest, repo) : undefined;
    if (options.pullRequest !== undefined && !pull?.pull) {
      throw new Error(
        `Pull request #${options.pullRequest} does not exist in ${repo.fullName}; add it with world.addPullRequest().`,
      );
    }
    const event = options.event ?? (pull ? 'pull_request' : 'push');
    const branch = options.branch ?? pull?.pull?.headRef ?? repo.defaultBranch;
    const headSha =
      options.headSha ??
      pull?.pull?.headSha ??
      repo.branches.get(branch) ??
      this.addBranch(branch, undefined, repo);
    const ref =
      pull && event === 'pull_request'
        ? `refs/pull/${pull.number}/merge`
        : event === 'pull_request_target'
          ? `refs/heads/${repo.defaultBranch}`
          : `refs/heads/${branch}`;
    const conclusion = options.conclusion ?? null;
    const status: RunStatus = conclusion ? 'completed' : (options.status ?? 'queued');
    const createdAt = options.createdAt ?? new Date();
    const id = this.nextId('run');
    const actor = this.user(options.actor ?? this.defaultActor);
    const permissions =
      options.permissions ?? (pull?.pull?.fromFork && event === 'pull_request' ? 'read-all' : 'write-all');
    const token = this.registerToken({
      token: `ghs_${createHash('sha256').update(`run-${id}-${Math.random()}`).digest('hex').slice(0, 36)}`,
      user: GITHUB_ACTIONS_BOT,
      permissions: resolvePermissions(permissions),
      repoId: repo.id,
      runId: id,
    });
    const run: WorkflowRunRecord = {
      id,
      backendId: randomUUID(),
      repoId: repo.id,
      workflowId: workflow.id,
      runNumber: workflow.nextRunNumber++,
      runAttempt: options.runAttempt ?? 1,
      name: workflow.name,
      displayTitle:
        options.displayTitle ??
        (options.inputs && workflow.runName
          ? workflow.runName(options.inputs)
          : (pull?.title ?? workflow.name)),
      event,
      status,
      conclusion,
      headBranch: branch,
      headSha,
      ref,
      actor,
      createdAt,
      updatedAt: createdAt,
      runStartedAt: createdAt,
      inputs: options.inputs,
      pullRequestNumbers: pull ? [pull.number] : [],
      jobs: [],
      token: token.token,
    };
    for (const name of options.jobs ?? ['build']) {
      run.jobs.push({
        id: this.nextId('job'),
        backendId: randomUUID(),
        runId: id,
        name,
        status: status === 'completed' ? 'completed' : status === 'in_progress' ? 'in_progress' : 'queued',
        conclusion,
        createdAt,
        startedAt: createdAt,
        completedAt: conclusion ? createdAt : null,
      });
    }
    this.runs.push(run);
    for (const listener of this.runListeners) listener(run);
    return run;
  }

  /** The run with `id`, or throws naming the fix. */
  run(id: number): WorkflowRunRecord {
    const run = this.runs.find((candidate) => candidate.id === id);
    if (!run) throw new Error(`Workflow run ${id} does not exist; create it with world.addWorkflowRun().`);
    return run;
  }

  /** The run whose results-service backend id is `backendId`. */
  runByBackendId(backendId: string): WorkflowRunRecord | undefined {
    return this.runs.find((run) => run.backendId === backendId);
  }

  /** Runs of a repository, newest first. */
  runsOf(repo: RepoRecord = this.repo): WorkflowRunRecord[] {
    return this.runs.filter((run) => run.repoId === repo.id).sort((a, b) => b.id - a.id);
  }

  /** Marks a run and its jobs `in_progress`. */
  startRun(id: number): WorkflowRunRecord {
    const run = this.run(id);
    run.status = 'in_progress';
    run.updatedAt = new Date();
    run.runStartedAt = run.updatedAt;
    for (const job of run.jobs) {
      job.status = 'in_progress';
      job.startedAt = run.updatedAt;
    }
    return run;
  }

  /** Completes a run (and its unfinished jobs) with `conclusion`. */
  completeRun(id: number, conclusion: RunConclusion): WorkflowRunRecord {
    const run = this.run(id);
    run.status = 'completed';
    run.conclusion = conclusion;
    run.updatedAt = new Date();
    for (const job of run.jobs) {
      if (job.status !== 'completed') {
        job.status = 'completed';
        job.conclusion = conclusion;
        job.completedAt = run.updatedAt;
      }
    }
    return run;
  }

  /** Calls `listener` for every run created from now on; returns a function that unsubscribes. */
  onRunCreated(listener: RunCreatedListener): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Issues a token the REST server accepts (like a personal access token, or a fork's read-only token). */
  issueToken(options: IssueTokenOptions = {}): string {
    const user = this.user(options.login ?? 'octocat');
    const token = `ghp_${createHash('sha256').update(`${user.login}-${Math.random()}`).digest('hex').slice(0, 36)}`;
    return this.registerToken({
      token,
      user,
      permissions: resolvePermissions(options.permissions ?? 'write-all'),
      repoId: options.repo?.id,
      runId: undefined,
    }).token;
  }

  /** Changes the permissions of an existing token (e.g. a run's `GITHUB_TOKEN`). */
  setTokenPermissions(token: string, permissions: TokenPermissionsInput): void {
    const record = this.tokens.get(token);
    if (!record) throw new Error('Unknown token: issue it with world.issueToken() or take run.token.');
    this.tokens.set(token, { ...record, permissions: resolvePermissions(permissions) });
  }

  /** Adds an issue. */
  addIssue(options: { title: string; body?: string; author?: string; repo?: RepoRecord }): IssueRecord {
    return this.pushIssue(options.repo ?? this.repo, options.title, options.body, options.author, undefined);
  }

  /** Adds an open pull request (its head branch is created when missing). */
  addPullRequest(options: AddPullRequestOptions): IssueRecord {
    const repo = options.repo ?? this.repo;
    const baseRef = options.baseRef ?? repo.defaultBranch;
    const baseSha = this.resolveRef(baseRef, repo) ?? this.addBranch(baseRef, undefined, repo);
    const headRepoFullName = options.forkOwner ? `${options.forkOwner}/${repo.name}` : repo.fullName;
    const headSha = options.headSha ?? fakeSha(`${headRepoFullName}@${options.headRef}`);
    if (!options.forkOwner) this.addBranch(options.headRef, headSha, repo);
    return this.pushIssue(repo, options.title, options.body, options.author ?? options.forkOwner, {
      headRef: options.headRef,
      headSha,
      baseRef,
      baseSha,
      headRepoFullName,
      fromFork: options.forkOwner !== undefined,
      forkOwner: options.forkOwner,
      draft: options.draft ?? false,
      merged: false,
    });
  }

  /** The issue or pull request `number`. */
  findIssue(number: number, repo: RepoRecord = this.repo): IssueRecord | undefined {
    return this.issues.find((issue) => issue.repoId === repo.id && issue.number === number);
  }

  /** Adds a comment to an issue or pull request. */
  addComment(
    issueNumber: number,
    options: { body: string; author?: string; repo?: RepoRecord },
  ): CommentRecord {
    const repo = options.repo ?? this.repo;
    if (!this.findIssue(issueNumber, repo)) {
      throw new Error(`Issue #${issueNumber} does not exist in ${repo.fullName}; add it first.`);
    }
    const now = new Date();
    const comment: CommentRecord = {
      id: this.nextId('comment'),
      repoId: repo.id,
      issueNumber,
      body: options.body,
      user: options.author ? this.user(options.author) : GITHUB_ACTIONS_BOT,
      createdAt: now,
      updatedAt: now,
    };
    this.comments.push(comment);
    return comment;
  }

  /** Comments of an issue, oldest first. */
  commentsOf(issueNumber: number, repo: RepoRecord = this.repo): CommentRecord[] {
    return this.comments.filter(
      (comment) => comment.repoId === repo.id && comment.issueNumber === issueNumber,
    );
  }

  /** Seeds a finalized artifact of `run` (zipping `files` like the artifact client does). */
  addArtifact(run: WorkflowRunRecord, options: AddArtifactOptions): ArtifactRecord {
    const zip = options.zip ?? createZip(options.files ?? []);
    const job = options.job ? run.jobs.find((candidate) => candidate.name === options.job) : run.jobs[0];
    if (!job) throw new Error(`Run ${run.id} has no job ${options.job ?? ''}; pass one of its jobs' names.`);
    const artifact = this.createArtifact(run, job, options.name, 'application/zip', options.expiresAt);
    this.blobs.put(artifact.blobPath, zip, 'application/zip');
    artifact.size = zip.length;
    artifact.digest = `sha256:${createHash('sha256').update(zip).digest('hex')}`;
    artifact.state = 'finalized';
    return artifact;
  }

  /** Creates a pending artifact record (the results service's CreateArtifact). */
  createArtifact(
    run: WorkflowRunRecord,
    job: JobRecord,
    name: string,
    mimeType: string,
    expiresAt?: Date,
  ): ArtifactRecord {
    const now = new Date();
    const id = this.nextId('artifact');
    const extension = mimeType === 'application/zip' ? '.zip' : '';
    const artifact: ArtifactRecord = {
      id,
      repoId: run.repoId,
      runId: run.id,
      jobId: job.id,
      name,
      size: 0,
      digest: null,
      blobPath: BlobStore.path(
        'actions-results',
        `${run.backendId}/workflow-job-run-${job.backendId}/artifacts/${createHash('sha256').update(`${id}:${name}`).digest('hex')}${extension}`,
      ),
      mimeType,
      createdAt: now,
      updatedAt: now,
      expiresAt: expiresAt ?? new Date(now.getTime() + this.artifactRetentionDays * 86_400_000),
      state: 'pending',
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Finalized artifacts of a run (or of every run), oldest first. */
  artifactsOf(runId?: number): ArtifactRecord[] {
    return this.artifacts.filter(
      (artifact) => artifact.state === 'finalized' && (runId === undefined || artifact.runId === runId),
    );
  }

  /** Deletes an artifact and its bytes. */
  deleteArtifact(id: number): void {
    const index = this.artifacts.findIndex((artifact) => artifact.id === id);
    if (index < 0) return;
    const [artifact] = this.artifacts.splice(index, 1);
    if (artifact) this.blobs.delete(artifact.blobPath);
  }

  /** Finalized cache entries of a repository. */
  cacheEntriesOf(repo: RepoRecord = this.repo): CacheEntryRecord[] {
    return this.cacheEntries.filter((entry) => entry.repoId === repo.id && entry.state === 'finalized');
  }

  /** Removes cache entries (least recently used first) until the repository fits its quota. */
  evictCaches(repoId: number): void {
    const entries = this.cacheEntries
      .filter((entry) => entry.repoId === repoId && entry.state === 'finalized')
      .sort((a, b) => a.lastAccessedAt.getTime() - b.lastAccessedAt.getTime());
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    for (const entry of entries) {
      if (total <= this.cacheQuotaBytes) break;
      total -= entry.size;
      this.cacheEntries.splice(this.cacheEntries.indexOf(entry), 1);
      this.blobs.delete(entry.blobPath);
    }
  }

  /**
   * A webhook payload for `run`'s event (what `GITHUB_EVENT_PATH` holds and `@actions/github`'s
   * `context.payload` exposes): `repository` and `sender`, plus `pull_request`/`number` for pull
   * request events, `inputs` for `workflow_dispatch`, `action`/`client_payload` for
   * `repository_dispatch`, and `ref`/`after` for pushes.
   */
  eventPayload(run: WorkflowRunRecord): Record<string, unknown> {
    const repo = this.repoById(run.repoId);
    const account = (user: UserRecord): Record<string, unknown> => ({
      login: user.login,
      id: user.id,
      type: user.type,
    });
    const payload: Record<string, unknown> = {
      repository: {
        id: repo.id,
        name: repo.name,
        full_name: repo.fullName,
        owner: account(repo.owner),
        private: repo.private,
        fork: repo.fork,
        default_branch: repo.defaultBranch,
        html_url: `${this.serverUrl}/${repo.fullName}`,
      },
      sender: account(run.actor),
    };
    const number = run.pullRequestNumbers[0];
    const issue = number === undefined ? undefined : this.findIssue(number, repo);
    if (issue?.pull) {
      const [headOwner = repo.owner.login] = issue.pull.headRepoFullName.split('/');
      payload.action = 'synchronize';
      payload.number = issue.number;
      payload.pull_request = {
        id: issue.id,
        number: issue.number,
        title: issue.title,
        body: issue.body,
        state: issue.state,
        draft: issue.pull.draft,
        user: account(issue.user),
        html_url: `${this.serverUrl}/${repo.fullName}/pull/${issue.number}`,
        head: {
          ref: issue.pull.headRef,
          sha: issue.pull.headSha,
          label: `${headOwner}:${issue.pull.headRef}`,
          repo: {
            full_name: issue.pull.headRepoFullName,
            fork: issue.pull.fromFork,
            owner: { login: headOwner },
          },
        },
        base: {
          ref: issue.pull.baseRef,
          sha: issue.pull.baseSha,
          label: `${repo.owner.login}:${issue.pull.baseRef}`,
          repo: { full_name: repo.fullName, fork: repo.fork, owner: { login: repo.owner.login } },
        },
      };
    } else if (run.event === 'workflow_dispatch') {
      payload.inputs = run.inputs ?? {};
      payload.ref = run.ref;
      payload.workflow = this.workflowById(run.workflowId).path;
    } else if (run.event === 'repository_dispatch') {
      const dispatch = this.repositoryDispatches.find((candidate) => candidate.runIds.includes(run.id));
      payload.action = dispatch?.eventType ?? '';
      payload.client_payload = run.inputs ?? {};
      payload.branch = run.headBranch;
    } else if (run.event === 'push') {
      payload.ref = run.ref;
      payload.after = run.headSha;
      payload.head_commit = { id: run.headSha, message: run.displayTitle };
    }
    return payload;
  }

  /** The token record for `token`, if the world issued it. */
  tokenInfo(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  /** The repository with `id`. */
  repoById(id: number): RepoRecord {
    const repo = this.repos.find((candidate) => candidate.id === id);
    if (!repo) throw new Error(`Repository ${id} does not exist.`);
    return repo;
  }

  /** The workflow with `id`. */
  workflowById(id: number): WorkflowRecord {
    const workflow = this.workflows.find((candidate) => candidate.id === id);
    if (!workflow) throw new Error(`Workflow ${id} does not exist.`);
    return workflow;
  }

  private registerToken(record: TokenRecord): TokenRecord {
    this.tokens.set(record.token, record);
    return record;
  }

  private pushIssue(
    repo: RepoRecord,
    title: string,
    body: string | undefined,
    author: string | undefined,
    pull: PullRequestDetails | undefined,
  ): IssueRecord {
    const now = new Date();
    const issue: IssueRecord = {
      id: this.nextId('issue'),
      repoId: repo.id,
      number: this.issues.filter((candidate) => candidate.repoId === repo.id).length + 1,
      title,
      body: body ?? null,
      user: this.user(author ?? this.defaultActor),
      state: 'open',
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      pull,
    };
    this.issues.push(issue);
    return issue;
  }
}
