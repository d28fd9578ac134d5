/**
 * Training as a GitHub Actions workflow: `workflow_dispatch` (a workflow file on a ref) or
 * `repository_dispatch` (an event type any default-branch workflow can listen to).
 *
 * Runs are correlated through their title: the target workflow's `run-name` carries the fingerprint
 * (so a later decision finds the run) and the dispatch's `distinct_id` (so this step finds the run it
 * just started on servers that do not return it). With `return_run_details` (github.com since
 * 2026-02) the run id comes back directly; GHES ≤ 3.20 refuses that field with 400 and the step
 * falls back to the plain 204 dispatch and the title search.
 */
import { RemoteError, UserError, sleep as realSleep, toGitHubError, type GitHubClient } from '@modelops/core';
import { createExactlyOnce } from './exactly-once.ts';
import {
  countsAsExisting,
  trainingParameters,
  type DispatchEngine,
  type DispatchOutcome,
  type DispatchRequest,
  type Dispatcher,
  type EngineRun,
  type FindOptions,
  type RunState,
} from './types.ts';

/** Settings shared by both GitHub engines. */
export interface GitHubDispatchSettings {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Milliseconds between looks for a dispatched run (default 3000). */
  pollIntervalMs?: number;
  /** How long to look for a dispatched run that the server did not name (default 120 000). */
  discoveryTimeoutMs?: number;
  /** Runs to look through, newest first, when searching by fingerprint (default 300). */
  searchDepth?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  log?: (line: string) => void;
}

/** The subset of a workflow run the dispatchers read. */
interface WorkflowRunLike {
  id: number;
  display_title?: string | null;
  status?: string | null;
  conclusion?: string | null;
  html_url?: string;
  created_at?: string;
}

/** Maps a workflow run's status and conclusion to a run state. */
export function workflowRunState(
  status: string | null | undefined,
  conclusion: string | null | undefined,
): RunState {
  if (status !== 'completed') return status === 'in_progress' ? 'running' : 'pending';
  switch (conclusion) {
    case 'success':
    case 'neutral':
      return 'succeeded';
    case 'cancelled':
    case 'skipped':
      return 'cancelled';
    default:
      return 'failed';
  }
}

function toEngineRun(run: WorkflowRunLike): EngineRun {
  return {
    id: String(run.id),
    ...(run.html_url ? { url: run.html_url } : {}),
    state: workflowRunState(run.status, run.conclusion),
    ...(run.created_at ? { createdAt: run.created_at } : {}),
    engineState:
      run.status === 'completed' ? `completed/${run.conclusion ?? 'none'}` : (run.status ?? 'unknown'),
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; response?: { data?: { message?: string } } };
  return e?.response?.data?.message ?? e?.message ?? String(error);
}

/** 5xx, 429 and connection errors: the call may be retried (after checking what it created). */
export function isRetryableGitHubError(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500 || status === 429;
}

abstract class GitHubDispatcher implements Dispatcher {
  abstract readonly engine: DispatchEngine;
  readonly service = 'GitHub API';
  protected readonly octokit: GitHubClient;
  protected readonly owner: string;
  protected readonly repo: string;
  protected readonly settings: GitHubDispatchSettings;

  constructor(settings: GitHubDispatchSettings) {
    this.settings = settings;
    this.octokit = settings.octokit;
    this.owner = settings.owner;
    this.repo = settings.repo;
  }

  /** One page of the runs this engine creates, newest first. */
  protected abstract listRuns(page: number, perPage: number, created?: string): Promise<WorkflowRunLike[]>;

  async find(fingerprint: string, options: FindOptions = {}): Promise<EngineRun | undefined> {
    const perPage = 100;
    const pages = Math.ceil((this.settings.searchDepth ?? 300) / perPage);
    for (let page = 1; page <= pages; page++) {
      const runs = await this.listRuns(page, perPage);
      for (const run of runs) {
        if (!run.display_title?.includes(fingerprint)) continue;
        const found = toEngineRun(run);
        if (countsAsExisting(found, options.since)) return found;
      }
      if (runs.length < perPage) break;
    }
    return undefined;
  }

  async status(runId: string): Promise<EngineRun> {
    try {
      const { data } = await this.octokit.rest.actions.getWorkflowRun({
        owner: this.owner,
        repo: this.repo,
        run_id: Number(runId),
      });
      return toEngineRun(data);
    } catch (error) {
      throw toGitHubError(error, `get workflow run ${runId}`, 'actions: read');
    }
  }

  abstract dispatch(request: DispatchRequest): Promise<DispatchOutcome>;

  /** The run whose title carries `distinctId`, created since `since`, if it shows up in time. */
  protected async discover(
    distinctId: string,
    since: Date,
    timeoutMs: number,
  ): Promise<EngineRun | undefined> {
    const now = this.settings.now ?? (() => new Date());
    const wait = this.settings.sleep ?? realSleep;
    const interval = this.settings.pollIntervalMs ?? 3000;
    // A little slack for clock skew between the runner and GitHub.
    const created = `>=${new Date(since.getTime() - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
    const deadline = now().getTime() + timeoutMs;
    for (;;) {
      const runs = await this.listRuns(1, 50, created);
      const match = runs.find((run) => run.display_title?.includes(distinctId));
      if (match) return toEngineRun(match);
      if (now().getTime() + interval > deadline) return undefined;
      await wait(interval);
    }
  }

  protected listError(error: unknown, what: string): Error {
    return toGitHubError(error, `list ${what}`, 'actions: read');
  }
}

/** Settings of {@link WorkflowDispatcher}. */
export interface WorkflowDispatchSettings extends GitHubDispatchSettings {
  /** Workflow file name (`train.yml`) or id. */
  workflow: string;
  /** Branch or tag the workflow runs on. */
  ref: string;
}

/** `workflow_dispatch`: dispatches a workflow file on a ref. */
export class WorkflowDispatcher extends GitHubDispatcher {
  readonly engine = 'github-workflow' as const;
  private readonly workflow: string;
  private readonly ref: string;
  /** Set once the server refused `return_run_details` (GHES ≤ 3.20). */
  private legacy = false;

  constructor(settings: WorkflowDispatchSettings) {
    super(settings);
    this.workflow = settings.workflow;
    this.ref = settings.ref;
  }

  protected async listRuns(page: number, perPage: number, created?: string): Promise<WorkflowRunLike[]> {
    try {
      const { data } = await this.octokit.rest.actions.listWorkflowRuns({
        owner: this.owner,
        repo: this.repo,
        workflow_id: this.workflow,
        event: 'workflow_dispatch',
        per_page: perPage,
        page,
        ...(created ? { created } : {}),
      });
      return data.workflow_runs;
    } catch (error) {
      if (statusOf(error) === 404) throw this.workflowMissing(error);
      throw this.listError(error, `runs of workflow ${this.workflow}`);
    }
  }

  private workflowMissing(cause: unknown): UserError {
    return new UserError(
      `The workflow '${this.workflow}' does not exist in ${this.owner}/${this.repo} (HTTP 404).`,
      {
        input: 'workflow',
        fix: `Name a workflow file under .github/workflows/ of ${this.owner}/${this.repo} (e.g. train.yml), and give the token access to that repository.`,
        cause,
      },
    );
  }

  /** Inputs as GitHub takes them: strings, at most 25. */
  private dispatchInputs(request: DispatchRequest): Record<string, string> {
    const inputs: Record<string, string> = {};
    for (const [key, value] of Object.entries({
      ...trainingParameters(request),
      distinct_id: request.dispatchId,
    })) {
      inputs[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const count = Object.keys(inputs).length;
    if (count > 25) {
      throw new UserError(`workflow_dispatch takes at most 25 inputs; this dispatch has ${count}.`, {
        input: 'inputs',
        fix: 'Pass fewer extra inputs (the action itself sends fingerprint, reasons, fingerprint_inputs and distinct_id).',
      });
    }
    return inputs;
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const inputs = this.dispatchInputs(request);
    const started = (this.settings.now ?? (() => new Date()))();
    const call = `POST /repos/${this.owner}/${this.repo}/actions/workflows/${this.workflow}/dispatches`;
    const sent = await createExactlyOnce<EngineRun | 'accepted'>({
      service: this.service,
      call,
      attempt: () => this.sendDispatch(inputs),
      recover: () => this.discover(request.dispatchId, started, 0),
      isRetryable: isRetryableGitHubError,
      ...(this.settings.sleep ? { sleep: this.settings.sleep } : {}),
      ...(this.settings.log ? { log: this.settings.log } : {}),
    }).catch((error: unknown) => {
      throw this.dispatchError(error, call);
    });
    if (sent !== 'accepted') return { run: sent, deduplicated: false };
    const run = await this.discover(request.dispatchId, started, this.settings.discoveryTimeoutMs ?? 120_000);
    return { run, deduplicated: false };
  }

  /** One dispatch call: the run when the server names it, `accepted` for a bare 204. */
  private async sendDispatch(inputs: Record<string, string>): Promise<EngineRun | 'accepted'> {
    const base = {
      owner: this.owner,
      repo: this.repo,
      workflow_id: this.workflow,
      ref: this.ref,
      inputs,
      // Retries go through createExactlyOnce, which first checks whether the run exists.
      request: { retries: 0 },
    };
    if (!this.legacy) {
      try {
        const response = await this.octokit.request(
          'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
          {
            ...base,
            return_run_details: true,
          },
        );
        const data = response.data as unknown as { workflow_run_id?: number; html_url?: string } | undefined;
        if (response.status === 200 && data?.workflow_run_id !== undefined) {
          return {
            id: String(data.workflow_run_id),
            ...(data.html_url ? { url: data.html_url } : {}),
            state: 'pending',
            engineState: 'queued',
          };
        }
        return 'accepted';
      } catch (error) {
        const status = statusOf(error);
        if ((status === 400 || status === 422) && /return_run_details/.test(messageOf(error))) {
          this.settings.log?.(
            'The server does not know return_run_details (GHES ≤ 3.20): dispatching without it.',
          );
          this.legacy = true;
        } else throw error;
      }
    }
    await this.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', base);
    return 'accepted';
  }

  private dispatchError(error: unknown, call: string): Error {
    if (error instanceof UserError || error instanceof RemoteError) return error;
    const status = statusOf(error);
    const message = messageOf(error);
    if (status === 404) return this.workflowMissing(error);
    if (status === 422) {
      const unexpected = /Unexpected inputs provided: (.*)/.exec(message)?.[1];
      if (unexpected) {
        return new UserError(`The workflow '${this.workflow}' does not declare the inputs ${unexpected}.`, {
          input: 'workflow',
          fix: 'Declare them under `on: workflow_dispatch: inputs:` of the training workflow: fingerprint, reasons, fingerprint_inputs and distinct_id, plus the keys of `inputs`.',
          cause: error,
        });
      }
      if (/No ref found/i.test(message)) {
        return new UserError(`The ref '${this.ref}' does not exist in ${this.owner}/${this.repo}.`, {
          input: 'ref',
          fix: 'Set `ref:` to a branch or tag that has the training workflow.',
          cause: error,
        });
      }
      return new UserError(`GitHub refused to dispatch '${this.workflow}': ${message}`, {
        input: 'workflow',
        fix: /workflow_dispatch/.test(message)
          ? 'Add `on: workflow_dispatch:` to the training workflow, on the ref being dispatched.'
          : 'Check the workflow, the ref and the inputs.',
        cause: error,
      });
    }
    // toGitHubError names the permission when the token lacks it (403, fork pull requests).
    return toGitHubError(error, call, 'actions: write');
  }
}

/** Settings of {@link RepositoryDispatcher}. */
export interface RepositoryDispatchSettings extends GitHubDispatchSettings {
  /** The `event_type` workflows listen for (`on: repository_dispatch: types: […]`). */
  eventType: string;
}

/** `repository_dispatch`: sends an event type; default-branch workflows listening for it run. */
export class RepositoryDispatcher extends GitHubDispatcher {
  readonly engine = 'repository-dispatch' as const;
  private readonly eventType: string;

  constructor(settings: RepositoryDispatchSettings) {
    super(settings);
    this.eventType = settings.eventType;
  }

  protected async listRuns(page: number, perPage: number, created?: string): Promise<WorkflowRunLike[]> {
    try {
      const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({
        owner: this.owner,
        repo: this.repo,
        event: 'repository_dispatch',
        per_page: perPage,
        page,
        ...(created ? { created } : {}),
      });
      return data.workflow_runs;
    } catch (error) {
      throw this.listError(error, `repository_dispatch runs of ${this.owner}/${this.repo}`);
    }
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const payload = {
      model: request.model,
      fingerprint: request.fingerprint,
      reasons: request.reasons.map((r) => ({ code: r.code, detail: r.detail })),
      fingerprint_inputs: request.fingerprintInputs,
      distinct_id: request.dispatchId,
      inputs: { ...request.inputs },
    };
    if (Buffer.byteLength(JSON.stringify(payload)) >= 64 * 1024) {
      // Reasons are the part that grows (file lists); the document keeps them all.
      payload.reasons = payload.reasons.slice(0, 20);
    }
    const started = (this.settings.now ?? (() => new Date()))();
    const call = `POST /repos/${this.owner}/${this.repo}/dispatches`;
    await createExactlyOnce<true | EngineRun>({
      service: this.service,
      call,
      attempt: async () => {
        await this.octokit.rest.repos.createDispatchEvent({
          owner: this.owner,
          repo: this.repo,
          event_type: this.eventType,
          client_payload: payload,
          request: { retries: 0 },
        });
        return true;
      },
      recover: () => this.discover(request.dispatchId, started, 0),
      isRetryable: isRetryableGitHubError,
      ...(this.settings.sleep ? { sleep: this.settings.sleep } : {}),
      ...(this.settings.log ? { log: this.settings.log } : {}),
    }).catch((error: unknown) => {
      if (error instanceof UserError || error instanceof RemoteError) throw error;
      if (statusOf(error) === 422) {
        throw new UserError(`GitHub refused the repository_dispatch event: ${messageOf(error)}`, {
          input: 'event-type',
          fix: 'Keep event-type under 100 characters and the extra inputs small (client_payload < 64 KB).',
          cause: error,
        });
      }
      throw toGitHubError(error, call, 'contents: write');
    });
    const run = await this.discover(request.dispatchId, started, this.settings.discoveryTimeoutMs ?? 120_000);
    return { run, deduplicated: false };
  }
}
