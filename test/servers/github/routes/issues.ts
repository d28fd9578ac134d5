import { renderComment, renderPull } from '../render.ts';
import {
  intParam,
  notFound,
  paginate,
  validationFailed,
  type RouteContext,
  type RouteDefinition,
} from '../routing.ts';
import type { CommentRecord } from '../../shared/world.ts';

/** GitHub's limit on the length of an issue comment body. */
const MAX_COMMENT_LENGTH = 65536;

function findComment(ctx: RouteContext): CommentRecord {
  const id = intParam(ctx, 'comment_id');
  const comment = ctx.world.comments.find(
    (candidate) => candidate.id === id && candidate.repoId === ctx.repo.id,
  );
  if (!comment) throw notFound(ctx);
  return comment;
}

function checkBody(ctx: RouteContext): string {
  const body = String(ctx.body.body);
  if (body.length > MAX_COMMENT_LENGTH) {
    throw validationFailed(
      ctx,
      'IssueComment',
      'body',
      `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`,
    );
  }
  return body;
}

/** Issue comments (`/repos/{owner}/{repo}/issues/…/comments`) and `GET /repos/{owner}/{repo}/pulls/{pull_number}`. */
export const issueRoutes: readonly RouteDefinition[] = [
  {
    operationId: 'issues/list-comments',
    access: [
      ['issues', 'read'],
      ['pull-requests', 'read'],
    ],
    handle(ctx) {
      const number = intParam(ctx, 'issue_number');
      if (!ctx.world.findIssue(number, ctx.repo)) throw notFound(ctx);
      const since = ctx.query.get('since');
      const sinceTime = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
      const comments = ctx.world
        .commentsOf(number, ctx.repo)
        .filter((comment) => comment.updatedAt.getTime() >= sinceTime)
        .sort((a, b) => a.id - b.id);
      const { page, headers } = paginate(comments, ctx);
      return { status: 200, body: page.map((comment) => renderComment(comment, ctx.render)), headers };
    },
  },
  {
    operationId: 'issues/create-comment',
    access: [
      ['issues', 'write'],
      ['pull-requests', 'write'],
    ],
    handle(ctx) {
      const number = intParam(ctx, 'issue_number');
      if (!ctx.world.findIssue(number, ctx.repo)) throw notFound(ctx);
      const comment = ctx.world.addComment(number, {
        body: checkBody(ctx),
        author: ctx.actor.login,
        repo: ctx.repo,
      });
      const json = renderComment(comment, ctx.render);
      return { status: 201, body: json, headers: { location: String(json.url) } };
    },
  },
  {
    operationId: 'issues/get-comment',
    access: [
      ['issues', 'read'],
      ['pull-requests', 'read'],
    ],
    handle: (ctx) => ({ status: 200, body: renderComment(findComment(ctx), ctx.render) }),
  },
  {
    operationId: 'issues/update-comment',
    access: [
      ['issues', 'write'],
      ['pull-requests', 'write'],
    ],
    handle(ctx) {
      const comment = findComment(ctx);
      comment.body = checkBody(ctx);
      comment.updatedAt = new Date();
      return { status: 200, body: renderComment(comment, ctx.render) };
    },
  },
  {
    operationId: 'issues/delete-comment',
    access: [
      ['issues', 'write'],
      ['pull-requests', 'write'],
    ],
    handle(ctx) {
      const comment = findComment(ctx);
      ctx.world.comments.splice(ctx.world.comments.indexOf(comment), 1);
      return { status: 204 };
    },
  },
  {
    operationId: 'pulls/get',
    access: [
      ['pull-requests', 'read'],
      ['contents', 'read'],
    ],
    handle(ctx) {
      const issue = ctx.world.findIssue(intParam(ctx, 'pull_number'), ctx.repo);
      if (!issue?.pull) throw notFound(ctx);
      return { status: 200, body: renderPull(issue, ctx.render) };
    },
  },
];
