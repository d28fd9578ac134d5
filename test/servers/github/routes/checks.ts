import { renderCheckRun } from '../render.ts';
import {
  bodyString,
  intParam,
  notFound,
  validationFailed,
  type RouteContext,
  type RouteDefinition,
} from '../routing.ts';
import { isRecord } from '../../shared/http.ts';
import type { CheckRunRecord } from '../../shared/world.ts';

function findCheckRun(ctx: RouteContext): CheckRunRecord {
  const id = intParam(ctx, 'check_run_id');
  const check = ctx.world.checkRuns.find(
    (candidate) => candidate.id === id && candidate.repoId === ctx.repo.id,
  );
  if (!check) throw notFound(ctx);
  return check;
}

function dateField(ctx: RouteContext, name: string): Date | undefined {
  const value = bodyString(ctx, name);
  return value ? new Date(value) : undefined;
}

/** Applies the writable fields of a create/update body to a check run. */
function applyFields(ctx: RouteContext, check: CheckRunRecord): void {
  check.name = bodyString(ctx, 'name') ?? check.name;
  check.externalId = bodyString(ctx, 'external_id') ?? check.externalId;
  check.detailsUrl = bodyString(ctx, 'details_url') ?? check.detailsUrl;
  check.startedAt = dateField(ctx, 'started_at') ?? check.startedAt;
  const conclusion = bodyString(ctx, 'conclusion');
  const status = bodyString(ctx, 'status') as CheckRunRecord['status'] | undefined;
  if (conclusion) {
    // Giving a conclusion completes the check run, as documented.
    check.conclusion = conclusion;
    check.status = 'completed';
  } else if (status) {
    check.status = status;
  }
  if (check.status === 'completed' && !check.conclusion) {
    throw validationFailed(
      ctx,
      'CheckRun',
      'conclusion',
      'conclusion must be provided when status is completed',
    );
  }
  if (check.status === 'in_progress' && !check.startedAt) check.startedAt = new Date();
  if (check.status === 'completed')
    check.completedAt = dateField(ctx, 'completed_at') ?? check.completedAt ?? new Date();
  const output = ctx.body.output;
  if (isRecord(output)) {
    check.output = {
      title: typeof output.title === 'string' ? output.title : check.output.title,
      summary: typeof output.summary === 'string' ? output.summary : check.output.summary,
      text: typeof output.text === 'string' ? output.text : check.output.text,
      annotationsCount:
        check.output.annotationsCount + (Array.isArray(output.annotations) ? output.annotations.length : 0),
    };
  }
}

/** Check runs. */
export const checkRoutes: readonly RouteDefinition[] = [
  {
    operationId: 'checks/create',
    access: [['checks', 'write']],
    handle(ctx) {
      const now = new Date();
      const check: CheckRunRecord = {
        id: ctx.world.nextId('check'),
        repoId: ctx.repo.id,
        name: String(ctx.body.name),
        headSha: String(ctx.body.head_sha),
        status: 'queued',
        conclusion: null,
        startedAt: now,
        completedAt: null,
        externalId: null,
        detailsUrl: null,
        output: { title: null, summary: null, text: null, annotationsCount: 0 },
        createdAt: now,
      };
      applyFields(ctx, check);
      ctx.world.checkRuns.push(check);
      return { status: 201, body: renderCheckRun(check, ctx.render) };
    },
  },
  {
    operationId: 'checks/update',
    access: [['checks', 'write']],
    handle(ctx) {
      const check = findCheckRun(ctx);
      applyFields(ctx, check);
      return { status: 200, body: renderCheckRun(check, ctx.render) };
    },
  },
  {
    operationId: 'checks/get',
    access: [['checks', 'read']],
    handle: (ctx) => ({ status: 200, body: renderCheckRun(findCheckRun(ctx), ctx.render) }),
  },
];
