import { renderRepo } from '../render.ts';
import type { RouteDefinition } from '../routing.ts';

/** `GET /repos/{owner}/{repo}` */
export const repoRoutes: readonly RouteDefinition[] = [
  {
    operationId: 'repos/get',
    access: [['metadata', 'read']],
    handle: (ctx) => ({ status: 200, body: renderRepo(ctx.repo, ctx.render) }),
  },
];
