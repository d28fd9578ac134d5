import { renderArtifact, renderJob, renderRun, renderWorkflow } from '../render.ts';
import {
  GitHubApiError,
  intParam,
  notFound,
  paginate,
  validationFailed,
  type RouteContext,
  type RouteDefinition,
  type RouteResult,
} from '../routing.ts';
import { isRecord } from '../../shared/http.ts';
import type { ArtifactRecord, WorkflowRecord, WorkflowRunRecord } from '../../shared/world.ts';

/** Statuses a run can have; any other `status` filter value is matched against the conclusion. */
const RUN_STATUSES = new Set(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);
/** `client_payload` must stay under 64 KB. */
const MAX_CLIENT_PAYLOAD_BYTES = 64 * 1024;
/** First REST API version where dispatch always answers 200 with the run. */
const ALWAYS_RETURN_RUN_DETAILS_VERSION = '2026-03-10';

function findWorkflow(ctx: RouteContext): WorkflowRecord {
  const workflow = ctx.world.findWorkflow(ctx.params.workflow_id ?? '', ctx.repo);
  if (!workflow) throw notFound(ctx);
  return workflow;
}

function findRun(ctx: RouteContext): WorkflowRunRecord {
  const id = intParam(ctx, 'run_id');
  const run = ctx.world.runs.find((candidate) => candidate.id === id && candidate.repoId === ctx.repo.id);
  if (!run) throw notFound(ctx);
  return run;
}

function findArtifact(ctx: RouteContext): ArtifactRecord {
  const id = intParam(ctx, 'artifact_id');
  const artifact = ctx.world.artifacts.find(
    (candidate) => candidate.id === id && candidate.repoId === ctx.repo.id && candidate.state === 'finalized',
  );
  if (!artifact) throw notFound(ctx);
  return artifact;
}

/** Parses the `created` filter: `2026-01-01`, `>=2026-01-01`, `<…`, `a..b` (GitHub's search date syntax). */
function createdFilter(value: string): (date: Date) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(value);
  if (range?.[1] && range[2]) {
    const from = Date.parse(range[1]);
    const to = Date.parse(range[2]);
    return (date) => date.getTime() >= from && date.getTime() <= to;
  }
  const compare = /^(>=|<=|>|<)(.+)$/.exec(value);
  if (compare?.[1] && compare[2]) {
    const bound = Date.parse(compare[2]);
    const op = compare[1];
    return (date) => {
      const t = date.getTime();
      return op === '>=' ? t >= bound : op === '<=' ? t <= bound : op === '>' ? t > bound : t < bound;
    };
  }
  const day = value.slice(0, 10);
  return (date) => date.toISOString().startsWith(day);
}

/** Applies the `branch`, `event`, `actor`, `status`, `head_sha`, `created` and `check_suite_id` filters. */
function filterRuns(runs: readonly WorkflowRunRecord[], query: URLSearchParams): WorkflowRunRecord[] {
  const branch = query.get('branch');
  const event = query.get('event');
  const actor = query.get('actor');
  const status = query.get('status');
  const headSha = query.get('head_sha');
  const created = query.get('created');
  const checkSuite = query.get('check_suite_id');
  const inCreated = created ? createdFilter(created) : () => true;
  return runs.filter(
    (run) =>
      (branch === null || run.headBranch === branch) &&
      (event === null || run.event === event) &&
      (actor === null || run.actor.login === actor) &&
      (headSha === null || run.headSha === headSha) &&
      (checkSuite === null || String(run.id + 1) === checkSuite) &&
      (status === null || (RUN_STATUSES.has(status) ? run.status === status : run.conclusion === status)) &&
      inCreated(run.createdAt),
  );
}

function listRuns(ctx: RouteContext, runs: readonly WorkflowRunRecord[]): RouteResult {
  const filtered = filterRuns(runs, ctx.query);
  const { page, headers } = paginate(filtered, ctx);
  return {
    status: 200,
    body: { total_count: filtered.length, workflow_runs: page.map((run) => renderRun(run, ctx.render)) },
    headers,
  };
}

function listArtifacts(ctx: RouteContext, artifacts: readonly ArtifactRecord[]): RouteResult {
  const name = ctx.query.get('name');
  const direction = ctx.query.get('direction') ?? 'desc';
  const filtered = artifacts
    .filter((artifact) => name === null || artifact.name === name)
    .sort((a, b) => (direction === 'asc' ? a.id - b.id : b.id - a.id));
  const { page, headers } = paginate(filtered, ctx);
  return {
    status: 200,
    body: {
      total_count: filtered.length,
      artifacts: page.map((artifact) => renderArtifact(artifact, ctx.render)),
    },
    headers,
  };
}

/** Checks `inputs` against the workflow's declared inputs and fills defaults, like GitHub does. */
function resolveInputs(ctx: RouteContext, workflow: WorkflowRecord): Record<string, unknown> {
  const given = isRecord(ctx.body.inputs) ? ctx.body.inputs : {};
  if (!workflow.inputs) return { ...given };
  const unexpected = Object.keys(given).filter((name) => !(name in (workflow.inputs ?? {})));
  if (unexpected.length > 0) {
    throw new GitHubApiError(
      422,
      `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
      ctx.op.documentationUrl,
    );
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    if (name in given) resolved[name] = given[name];
    else if (spec.default !== undefined) resolved[name] = spec.default;
    else if (spec.required) {
      throw new GitHubApiError(422, `Required input '${name}' not provided`, ctx.op.documentationUrl);
    }
  }
  return resolved;
}

function dispatchWorkflow(ctx: RouteContext): RouteResult {
  const workflow = findWorkflow(ctx);
  if (ctx.world.dispatchMode === 'legacy' && 'return_run_details' in ctx.body) {
    // What GHES 3.20 and older answer: the field is unknown there.
    return {
      status: 400,
      body: new GitHubApiError(
        400,
        'Invalid request.\n\n"return_run_details" is not a permitted key.',
        ctx.op.documentationUrl,
      ).toBody(),
      skipResponseValidation: true,
    };
  }
  if (!workflow.dispatchable) {
    throw new GitHubApiError(
      422,
      "Workflow does not have 'workflow_dispatch' trigger",
      ctx.op.documentationUrl,
    );
  }
  const ref = String(ctx.body.ref);
  const branch = ref.replace(/^refs\/(heads|tags)\//, '');
  const headSha = ctx.world.resolveRef(ref, ctx.repo);
  if (!headSha) throw new GitHubApiError(422, `No ref found for: ${ref}`, ctx.op.documentationUrl);
  const inputs = resolveInputs(ctx, workflow);
  const run = ctx.world.addWorkflowRun({
    workflow,
    branch,
    headSha,
    event: 'workflow_dispatch',
    inputs,
    actor: ctx.actor.login,
    repo: ctx.repo,
  });
  const apiVersion = String(ctx.headers['x-github-api-version'] ?? '');
  const wantsDetails =
    ctx.world.dispatchMode === 'modern' &&
    (ctx.body.return_run_details === true || apiVersion >= ALWAYS_RETURN_RUN_DETAILS_VERSION);
  if (!wantsDetails) return { status: 204 };
  return {
    status: 200,
    body: {
      workflow_run_id: run.id,
      run_url: `${ctx.render.api}/repos/${ctx.repo.fullName}/actions/runs/${run.id}`,
      html_url: `${ctx.world.serverUrl}/${ctx.repo.fullName}/actions/runs/${run.id}`,
    },
  };
}

function repositoryDispatch(ctx: RouteContext): RouteResult {
  const eventType = String(ctx.body.event_type);
  const payload = isRecord(ctx.body.client_payload) ? ctx.body.client_payload : {};
  if (Buffer.byteLength(JSON.stringify(payload)) >= MAX_CLIENT_PAYLOAD_BYTES) {
    throw validationFailed(ctx, 'Dispatch', 'client_payload', 'client_payload must be less than 64KB');
  }
  const runIds: number[] = [];
  for (const workflow of ctx.world.workflows) {
    if (workflow.repoId !== ctx.repo.id) continue;
    const types = workflow.repositoryDispatchTypes;
    if (!types.includes('*') && !types.includes(eventType)) continue;
    // Only workflows on the default branch run for repository_dispatch.
    const run = ctx.world.addWorkflowRun({
      workflow,
      branch: ctx.repo.defaultBranch,
      event: 'repository_dispatch',
      inputs: payload,
      displayTitle: workflow.runName ? workflow.runName(payload) : workflow.name,
      actor: ctx.actor.login,
      repo: ctx.repo,
    });
    runIds.push(run.id);
  }
  ctx.world.repositoryDispatches.push({
    repoId: ctx.repo.id,
    eventType,
    clientPayload: payload,
    sender: ctx.actor,
    at: new Date(),
    runIds,
  });
  return { status: 204 };
}

function downloadArtifact(ctx: RouteContext): RouteResult {
  const artifact = findArtifact(ctx);
  if (ctx.params.archive_format !== 'zip') throw notFound(ctx);
  if (artifact.expiresAt.getTime() < Date.now()) {
    throw new GitHubApiError(410, 'Artifact has expired', ctx.op.documentationUrl);
  }
  const fileName = artifact.mimeType === 'application/zip' ? `${artifact.name}.zip` : artifact.name;
  const location = ctx.world.blobs.signUrl(artifact.blobPath, {
    permissions: 'r',
    ttlSeconds: 60,
    contentDisposition: `attachment; filename=${fileName}; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
  return { status: 302, headers: { location } };
}

/** Workflows, workflow runs, jobs, dispatches and artifacts (`/repos/{owner}/{repo}/actions/…`, `/dispatches`). */
export const actionsRoutes: readonly RouteDefinition[] = [
  {
    operationId: 'actions/list-repo-workflows',
    access: [['actions', 'read']],
    handle(ctx) {
      const workflows = ctx.world.workflows.filter((workflow) => workflow.repoId === ctx.repo.id);
      const { page, headers } = paginate(workflows, ctx);
      return {
        status: 200,
        body: { total_count: workflows.length, workflows: page.map((w) => renderWorkflow(w, ctx.render)) },
        headers,
      };
    },
  },
  {
    operationId: 'actions/get-workflow',
    access: [['actions', 'read']],
    handle: (ctx) => ({ status: 200, body: renderWorkflow(findWorkflow(ctx), ctx.render) }),
  },
  {
    operationId: 'actions/create-workflow-dispatch',
    access: [['actions', 'write']],
    handle: dispatchWorkflow,
  },
  {
    operationId: 'actions/list-workflow-runs',
    access: [['actions', 'read']],
    handle(ctx) {
      const workflow = findWorkflow(ctx);
      return listRuns(
        ctx,
        ctx.world.runsOf(ctx.repo).filter((run) => run.workflowId === workflow.id),
      );
    },
  },
  {
    operationId: 'actions/list-workflow-runs-for-repo',
    access: [['actions', 'read']],
    handle: (ctx) => listRuns(ctx, ctx.world.runsOf(ctx.repo)),
  },
  {
    operationId: 'actions/get-workflow-run',
    access: [['actions', 'read']],
    handle: (ctx) => ({ status: 200, body: renderRun(findRun(ctx), ctx.render) }),
  },
  {
    operationId: 'actions/list-jobs-for-workflow-run',
    access: [['actions', 'read']],
    handle(ctx) {
      const run = findRun(ctx);
      const { page, headers } = paginate(run.jobs, ctx);
      return {
        status: 200,
        body: { total_count: run.jobs.length, jobs: page.map((job) => renderJob(job, run, ctx.render)) },
        headers,
      };
    },
  },
  {
    operationId: 'repos/create-dispatch-event',
    access: [['contents', 'write']],
    handle: repositoryDispatch,
  },
  {
    operationId: 'actions/list-workflow-run-artifacts',
    access: [['actions', 'read']],
    handle(ctx) {
      const run = findRun(ctx);
      return listArtifacts(ctx, ctx.world.artifactsOf(run.id));
    },
  },
  {
    operationId: 'actions/list-artifacts-for-repo',
    access: [['actions', 'read']],
    handle: (ctx) =>
      listArtifacts(
        ctx,
        ctx.world.artifactsOf().filter((artifact) => artifact.repoId === ctx.repo.id),
      ),
  },
  {
    operationId: 'actions/get-artifact',
    access: [['actions', 'read']],
    handle: (ctx) => ({ status: 200, body: renderArtifact(findArtifact(ctx), ctx.render) }),
  },
  {
    operationId: 'actions/delete-artifact',
    access: [['actions', 'write']],
    handle(ctx) {
      ctx.world.deleteArtifact(findArtifact(ctx).id);
      return { status: 204 };
    },
  },
  {
    operationId: 'actions/download-artifact',
    access: [['actions', 'read']],
    requiresAuth: true,
    handle: downloadArtifact,
  },
];
