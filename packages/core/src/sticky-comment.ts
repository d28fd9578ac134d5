/**
 * One PR comment per purpose, updated in place: found by a hidden marker, created only when
 * missing, duplicates (from concurrent runs) removed, bodies truncated safely. When the token may
 * not write (fork PRs), the body goes to the job summary with a note on how to enable comments.
 */
import type { GitHubClient } from './github.ts';
import { isPermissionError, toGitHubError } from './github.ts';
import { appendJobSummary, truncateMarkdown, GITHUB_BODY_LIMIT } from './summary.ts';

/** Options of {@link upsertStickyComment}. */
export interface StickyCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Issue or pull request number. */
  issueNumber: number;
  /** Identifies the comment, e.g. `model-gate:churn`; one comment per id. */
  id: string;
  /** Markdown body (the marker is added). */
  body: string;
  /** Text added to the job summary when the token cannot comment. */
  readOnlyHint?: string;
  /** Environment for the job summary fallback (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** What {@link upsertStickyComment} did. */
export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged' | 'summary-fallback';
  /** Link to the comment (empty for the fallback). */
  url: string;
  /** Comment id (0 for the fallback). */
  id: number;
  /** Duplicate comments removed. */
  removedDuplicates: number;
}

/** The hidden marker of a sticky comment id. */
export function stickyMarker(id: string): string {
  return `<!-- modelops-actions:sticky:${id.replace(/-->/g, '')} -->`;
}

/** The body as posted: marker first, then the markdown truncated below GitHub's limit. */
export function stickyBody(id: string, body: string): string {
  const marker = stickyMarker(id);
  return `${marker}\n${truncateMarkdown(body, GITHUB_BODY_LIMIT - marker.length - 1024)}`;
}

/** Creates or updates the sticky comment; see the module comment. */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const { octokit, owner, repo, issueNumber } = options;
  const marker = stickyMarker(options.id);
  const body = stickyBody(options.id, options.body);
  const call = `comment on #${issueNumber}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    const mine = comments.filter((c) => c.body?.startsWith(marker)).sort((a, b) => a.id - b.id);
    const [keep, ...duplicates] = mine;
    for (const duplicate of duplicates) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
    }
    if (keep) {
      if (keep.body === body) {
        return { action: 'unchanged', url: keep.html_url, id: keep.id, removedDuplicates: duplicates.length };
      }
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body });
      return { action: 'updated', url: data.html_url, id: data.id, removedDuplicates: duplicates.length };
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { action: 'created', url: data.html_url, id: data.id, removedDuplicates: 0 };
  } catch (error) {
    if (!isPermissionError(error)) throw toGitHubError(error, call, 'pull-requests: write');
    const hint =
      options.readOnlyHint ??
      'The token cannot write comments here (pull requests from forks get a read-only token). To comment on fork PRs, publish the report as an artifact and post it from a second workflow triggered by `workflow_run`.';
    await appendJobSummary(`${options.body}\n\n> ℹ️ ${hint}\n`, options.env);
    return { action: 'summary-fallback', url: '', id: 0, removedDuplicates: 0 };
  }
}
