import { renderDeployment, renderDeploymentStatus } from '../render.ts';
import {
  bodyString,
  GitHubApiError,
  intParam,
  notFound,
  paginate,
  validationFailed,
  type RouteContext,
  type RouteDefinition,
} from '../routing.ts';
import type { DeploymentRecord, DeploymentStatusRecord } from '../../shared/world.ts';

/** GitHub's limit on a deployment status description. */
const MAX_STATUS_DESCRIPTION = 140;

function findDeployment(ctx: RouteContext): DeploymentRecord {
  const id = intParam(ctx, 'deployment_id');
  const deployment = ctx.world.deployments.find(
    (candidate) => candidate.id === id && candidate.repoId === ctx.repo.id,
  );
  if (!deployment) throw notFound(ctx);
  return deployment;
}

function parsePayload(value: unknown): Record<string, unknown> | string {
  if (value === undefined) return {};
  if (typeof value !== 'string') return value as Record<string, unknown>;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : value;
  } catch {
    return value;
  }
}

/**
 * `auto_inactive`: a new `success` status marks the earlier successful deployments of the same
 * environment `inactive` (transient and production environments excepted, as documented).
 */
function deactivatePrevious(ctx: RouteContext, current: DeploymentRecord, environment: string): void {
  for (const deployment of ctx.world.deployments) {
    if (deployment === current || deployment.repoId !== current.repoId) continue;
    if (deployment.environment !== environment) continue;
    if (deployment.transientEnvironment || deployment.productionEnvironment) continue;
    const latest = deployment.statuses.at(-1);
    if (latest?.state !== 'success') continue;
    deployment.statuses.push({
      ...latest,
      id: ctx.world.nextId('status'),
      state: 'inactive',
      description: '',
      creator: ctx.actor,
      createdAt: new Date(),
    });
    deployment.updatedAt = new Date();
  }
}

/** Deployments and deployment statuses. */
export const deploymentRoutes: readonly RouteDefinition[] = [
  {
    operationId: 'repos/create-deployment',
    access: [['deployments', 'write']],
    handle(ctx) {
      const ref = String(ctx.body.ref);
      const sha = ctx.world.resolveRef(ref, ctx.repo);
      if (!sha) throw new GitHubApiError(422, `No ref found for: ${ref}`, ctx.op.documentationUrl);
      const environment = bodyString(ctx, 'environment') ?? 'production';
      const now = new Date();
      const deployment: DeploymentRecord = {
        id: ctx.world.nextId('deployment'),
        repoId: ctx.repo.id,
        ref,
        sha,
        task: bodyString(ctx, 'task') ?? 'deploy',
        environment,
        originalEnvironment: environment,
        payload: parsePayload(ctx.body.payload),
        description: (ctx.body.description as string | null | undefined) ?? null,
        creator: ctx.actor,
        transientEnvironment: ctx.body.transient_environment === true,
        productionEnvironment:
          typeof ctx.body.production_environment === 'boolean'
            ? ctx.body.production_environment
            : environment === 'production',
        createdAt: now,
        updatedAt: now,
        statuses: [],
      };
      ctx.world.deployments.push(deployment);
      return { status: 201, body: renderDeployment(deployment, ctx.render) };
    },
  },
  {
    operationId: 'repos/list-deployments',
    access: [['deployments', 'read']],
    handle(ctx) {
      const filters = ['sha', 'ref', 'task', 'environment'] as const;
      const deployments = ctx.world.deployments
        .filter((deployment) => deployment.repoId === ctx.repo.id)
        .filter((deployment) =>
          filters.every((name) => {
            const wanted = ctx.query.get(name);
            return wanted === null || wanted === 'none' || deployment[name] === wanted;
          }),
        )
        .sort((a, b) => b.id - a.id);
      const { page, headers } = paginate(deployments, ctx);
      return {
        status: 200,
        body: page.map((deployment) => renderDeployment(deployment, ctx.render)),
        headers,
      };
    },
  },
  {
    operationId: 'repos/get-deployment',
    access: [['deployments', 'read']],
    handle: (ctx) => ({ status: 200, body: renderDeployment(findDeployment(ctx), ctx.render) }),
  },
  {
    operationId: 'repos/create-deployment-status',
    access: [['deployments', 'write']],
    handle(ctx) {
      const deployment = findDeployment(ctx);
      const description = bodyString(ctx, 'description') ?? '';
      if (description.length > MAX_STATUS_DESCRIPTION) {
        throw validationFailed(
          ctx,
          'DeploymentStatus',
          'description',
          `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
        );
      }
      const environment = bodyString(ctx, 'environment') ?? deployment.environment;
      const logUrl = bodyString(ctx, 'log_url') ?? bodyString(ctx, 'target_url') ?? '';
      const status: DeploymentStatusRecord = {
        id: ctx.world.nextId('status'),
        deploymentId: deployment.id,
        state: ctx.body.state as DeploymentStatusRecord['state'],
        description,
        environment,
        environmentUrl: bodyString(ctx, 'environment_url') ?? '',
        logUrl,
        targetUrl: logUrl,
        creator: ctx.actor,
        createdAt: new Date(),
      };
      deployment.environment = environment;
      deployment.statuses.push(status);
      deployment.updatedAt = status.createdAt;
      if (status.state === 'success' && ctx.body.auto_inactive !== false) {
        deactivatePrevious(ctx, deployment, environment);
      }
      const json = renderDeploymentStatus(status, deployment, ctx.render);
      return { status: 201, body: json, headers: { location: String(json.url) } };
    },
  },
  {
    operationId: 'repos/list-deployment-statuses',
    access: [['deployments', 'read']],
    handle(ctx) {
      const deployment = findDeployment(ctx);
      const statuses = [...deployment.statuses].reverse();
      const { page, headers } = paginate(statuses, ctx);
      return {
        status: 200,
        body: page.map((status) => renderDeploymentStatus(status, deployment, ctx.render)),
        headers,
      };
    },
  },
];
