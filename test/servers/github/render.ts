import type {
  ArtifactRecord,
  CheckRunRecord,
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  GitHubWorld,
  IssueRecord,
  JobRecord,
  RepoRecord,
  UserRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from '../shared/world.ts';
import { fakeSha, isoSeconds } from '../shared/world.ts';

/**
 * Renders world records as the JSON shapes of GitHub's REST API (the schemas of the OpenAPI
 * description: `full-repository`, `workflow-run`, `issue-comment`, `pull-request`, …).
 */

/** Where links point: the REST server's origin and the web origin (`world.serverUrl`). */
export interface RenderContext {
  readonly world: GitHubWorld;
  /** Origin of the REST server, e.g. `http://127.0.0.1:41234`. */
  readonly api: string;
}

type Json = Record<string, unknown>;

function nodeId(kind: string, id: number): string {
  return `${kind}_${Buffer.from(`${kind}:${id}`).toString('base64url')}`;
}

/** `simple-user` */
export function renderUser(user: UserRecord, ctx: RenderContext): Json {
  const url = `${ctx.api}/users/${encodeURIComponent(user.login)}`;
  const html =
    user.type === 'Bot'
      ? `${ctx.world.serverUrl}/apps/${user.login.replace(/\[bot\]$/, '')}`
      : `${ctx.world.serverUrl}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'BOT' : user.type === 'Organization' ? 'O' : 'U', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: html,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The GitHub Actions app (`nullable-integration`), author of check runs made with `GITHUB_TOKEN`. */
export function renderActionsApp(ctx: RenderContext): Json {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: renderUser({ login: 'github', id: 9919, type: 'Organization' }, ctx),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${ctx.world.serverUrl}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      actions: 'write',
      checks: 'write',
      contents: 'write',
      deployments: 'write',
      issues: 'write',
    },
    events: ['check_run', 'check_suite', 'deployment', 'workflow_run'],
  };
}

/** A repository with every field of `full-repository` (a superset of `repository` and `minimal-repository`). */
export function renderRepo(repo: RepoRecord, ctx: RenderContext): Json {
  const u = `${ctx.api}/repos/${repo.fullName}`;
  const html = `${ctx.world.serverUrl}/${repo.fullName}`;
  const created = isoSeconds(repo.createdAt);
  const openIssues = ctx.world.issues.filter(
    (issue) => issue.repoId === repo.id && issue.state === 'open',
  ).length;
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: renderUser(repo.owner, ctx),
    html_url: html,
    description: repo.description,
    fork: repo.fork,
    url: u,
    forks_url: `${u}/forks`,
    keys_url: `${u}/keys{/key_id}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    teams_url: `${u}/teams`,
    hooks_url: `${u}/hooks`,
    issue_events_url: `${u}/issues/events{/number}`,
    events_url: `${u}/events`,
    assignees_url: `${u}/assignees{/user}`,
    branches_url: `${u}/branches{/branch}`,
    tags_url: `${u}/tags`,
    blobs_url: `${u}/git/blobs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    trees_url: `${u}/git/trees{/sha}`,
    statuses_url: `${u}/statuses/{sha}`,
    languages_url: `${u}/languages`,
    stargazers_url: `${u}/stargazers`,
    contributors_url: `${u}/contributors`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    commits_url: `${u}/commits{/sha}`,
    git_commits_url: `${u}/git/commits{/sha}`,
    comments_url: `${u}/comments{/number}`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    contents_url: `${u}/contents/{+path}`,
    compare_url: `${u}/compare/{base}...{head}`,
    merges_url: `${u}/merges`,
    archive_url: `${u}/{archive_format}{/ref}`,
    downloads_url: `${u}/downloads`,
    issues_url: `${u}/issues{/number}`,
    pulls_url: `${u}/pulls{/number}`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    labels_url: `${u}/labels{/name}`,
    releases_url: `${u}/releases{/id}`,
    deployments_url: `${u}/deployments`,
    created_at: created,
    updated_at: created,
    pushed_at: created,
    git_url: `git://${new URL(ctx.world.serverUrl).host}/${repo.fullName}.git`,
    ssh_url: `git@${new URL(ctx.world.serverUrl).host}:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 128,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'Python',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** `workflow` */
export function renderWorkflow(workflow: WorkflowRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(workflow.repoId);
  return {
    id: workflow.id,
    node_id: nodeId('W', workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: workflow.state,
    created_at: isoSeconds(workflow.createdAt),
    updated_at: isoSeconds(workflow.createdAt),
    url: `${ctx.api}/repos/${repo.fullName}/actions/workflows/${workflow.id}`,
    html_url: `${ctx.world.serverUrl}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${ctx.world.serverUrl}/${repo.fullName}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

function minimalPull(issue: IssueRecord, repo: RepoRecord, ctx: RenderContext): Json {
  const u = `${ctx.api}/repos/${repo.fullName}`;
  const pull = issue.pull;
  const ref = { id: repo.id, url: u, name: repo.name };
  return {
    id: issue.id,
    number: issue.number,
    url: `${u}/pulls/${issue.number}`,
    head: { ref: pull?.headRef ?? '', sha: pull?.headSha ?? '', repo: ref },
    base: { ref: pull?.baseRef ?? repo.defaultBranch, sha: pull?.baseSha ?? '', repo: ref },
  };
}

/** `workflow-run` */
export function renderRun(run: WorkflowRunRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(run.repoId);
  const workflow = ctx.world.workflowById(run.workflowId);
  const u = `${ctx.api}/repos/${repo.fullName}/actions/runs/${run.id}`;
  const repoJson = renderRepo(repo, ctx);
  const pulls = run.pullRequestNumbers.flatMap((number) => {
    const issue = ctx.world.findIssue(number, repo);
    // A pull request from a fork is not listed on the run, as on GitHub.
    return issue && !issue.pull?.fromFork ? [minimalPull(issue, repo, ctx)] : [];
  });
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WFR', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: workflow.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 1,
    check_suite_node_id: nodeId('CS', run.id + 1),
    url: u,
    html_url: `${ctx.world.serverUrl}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: pulls,
    created_at: isoSeconds(run.createdAt),
    updated_at: isoSeconds(run.updatedAt),
    actor: renderUser(run.actor, ctx),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: isoSeconds(run.runStartedAt),
    triggering_actor: renderUser(run.actor, ctx),
    jobs_url: `${u}/jobs`,
    logs_url: `${u}/logs`,
    check_suite_url: `${ctx.api}/repos/${repo.fullName}/check-suites/${run.id + 1}`,
    artifacts_url: `${u}/artifacts`,
    cancel_url: `${u}/cancel`,
    rerun_url: `${u}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${u}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${ctx.api}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`,
    head_commit: {
      id: run.headSha,
      tree_id: fakeSha(`tree:${run.headSha}`),
      message: run.displayTitle,
      timestamp: isoSeconds(run.createdAt),
      author: { name: run.actor.login, email: `${run.actor.id}+${run.actor.login}@users.noreply.github.com` },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    },
    repository: repoJson,
    head_repository: repoJson,
  };
}

/** `job` */
export function renderJob(job: JobRecord, run: WorkflowRunRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(run.repoId);
  const assigned = job.status !== 'queued';
  return {
    id: job.id,
    run_id: run.id,
    workflow_name: run.name,
    head_branch: run.headBranch,
    run_url: `${ctx.api}/repos/${repo.fullName}/actions/runs/${run.id}`,
    run_attempt: run.runAttempt,
    node_id: nodeId('CR', job.id),
    head_sha: run.headSha,
    url: `${ctx.api}/repos/${repo.fullName}/actions/jobs/${job.id}`,
    html_url: `${ctx.world.serverUrl}/${repo.fullName}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: isoSeconds(job.createdAt),
    started_at: isoSeconds(job.startedAt),
    completed_at: job.completedAt ? isoSeconds(job.completedAt) : null,
    name: job.name,
    steps: [],
    check_run_url: `${ctx.api}/repos/${repo.fullName}/check-runs/${job.id}`,
    labels: ['ubuntu-latest'],
    runner_id: assigned ? 1 : null,
    runner_name: assigned ? 'GitHub Actions 1' : null,
    runner_group_id: assigned ? 0 : null,
    runner_group_name: assigned ? 'GitHub Actions' : null,
  };
}

/** `artifact` */
export function renderArtifact(artifact: ArtifactRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(artifact.repoId);
  const run = ctx.world.run(artifact.runId);
  const u = `${ctx.api}/repos/${repo.fullName}/actions/artifacts/${artifact.id}`;
  return {
    id: artifact.id,
    node_id: nodeId('MDg', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.size,
    url: u,
    archive_download_url: `${u}/zip`,
    expired: artifact.expiresAt.getTime() < Date.now(),
    created_at: isoSeconds(artifact.createdAt),
    updated_at: isoSeconds(artifact.updatedAt),
    expires_at: isoSeconds(artifact.expiresAt),
    digest: artifact.digest,
    workflow_run: {
      id: run.id,
      repository_id: repo.id,
      head_repository_id: repo.id,
      head_branch: run.headBranch,
      head_sha: run.headSha,
    },
  };
}

/** `issue-comment` */
export function renderComment(comment: CommentRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(comment.repoId);
  const issue = ctx.world.findIssue(comment.issueNumber, repo);
  const kind = issue?.pull ? 'pull' : 'issues';
  const u = `${ctx.api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: u,
    html_url: `${ctx.world.serverUrl}/${repo.fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderUser(comment.user, ctx),
    created_at: isoSeconds(comment.createdAt),
    updated_at: isoSeconds(comment.updatedAt),
    issue_url: `${ctx.api}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    author_association: comment.user.login === repo.owner.login ? 'OWNER' : 'NONE',
    performed_via_github_app: null,
    reactions: {
      url: `${u}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

/** `pull-request` */
export function renderPull(issue: IssueRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(issue.repoId);
  const pull = issue.pull;
  if (!pull) throw new Error(`#${issue.number} is an issue, not a pull request.`);
  const u = `${ctx.api}/repos/${repo.fullName}/pulls/${issue.number}`;
  const issueUrl = `${ctx.api}/repos/${repo.fullName}/issues/${issue.number}`;
  const html = `${ctx.world.serverUrl}/${repo.fullName}/pull/${issue.number}`;
  const baseRepo = renderRepo(repo, ctx);
  const [forkOwner] = pull.headRepoFullName.split('/');
  const headRepo = pull.fromFork
    ? renderRepo(
        {
          ...repo,
          id: repo.id + 1_000_000,
          owner: ctx.world.user(forkOwner ?? 'fork'),
          fullName: pull.headRepoFullName,
          fork: true,
        },
        ctx,
      )
    : baseRepo;
  const headUser = pull.fromFork ? ctx.world.user(forkOwner ?? 'fork') : repo.owner;
  const comments = ctx.world.commentsOf(issue.number, repo).length;
  const link = (href: string): Json => ({ href });
  return {
    url: u,
    id: issue.id,
    node_id: nodeId('PR', issue.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${u}/commits`,
    review_comments_url: `${u}/comments`,
    review_comment_url: `${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${ctx.api}/repos/${repo.fullName}/statuses/${pull.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: renderUser(issue.user, ctx),
    body: issue.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: isoSeconds(issue.createdAt),
    updated_at: isoSeconds(issue.updatedAt),
    closed_at: issue.closedAt ? isoSeconds(issue.closedAt) : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headUser.login}:${pull.headRef}`,
      ref: pull.headRef,
      sha: pull.headSha,
      user: renderUser(headUser, ctx),
      repo: headRepo,
    },
    base: {
      label: `${repo.owner.login}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: pull.baseSha,
      user: renderUser(repo.owner, ctx),
      repo: baseRepo,
    },
    _links: {
      self: link(u),
      html: link(html),
      issue: link(issueUrl),
      comments: link(`${issueUrl}/comments`),
      review_comments: link(`${u}/comments`),
      review_comment: link(`${ctx.api}/repos/${repo.fullName}/pulls/comments{/number}`),
      commits: link(`${u}/commits`),
      statuses: link(`${ctx.api}/repos/${repo.fullName}/statuses/${pull.headSha}`),
    },
    author_association: issue.user.login === repo.owner.login ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

/** `deployment` */
export function renderDeployment(deployment: DeploymentRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(deployment.repoId);
  const u = `${ctx.api}/repos/${repo.fullName}/deployments/${deployment.id}`;
  return {
    url: u,
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUser(deployment.creator, ctx),
    created_at: isoSeconds(deployment.createdAt),
    updated_at: isoSeconds(deployment.updatedAt),
    statuses_url: `${u}/statuses`,
    repository_url: `${ctx.api}/repos/${repo.fullName}`,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

/** `deployment-status` */
export function renderDeploymentStatus(
  status: DeploymentStatusRecord,
  deployment: DeploymentRecord,
  ctx: RenderContext,
): Json {
  const repo = ctx.world.repoById(deployment.repoId);
  const deploymentUrl = `${ctx.api}/repos/${repo.fullName}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', status.id),
    state: status.state,
    creator: renderUser(status.creator, ctx),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    created_at: isoSeconds(status.createdAt),
    updated_at: isoSeconds(status.createdAt),
    deployment_url: deploymentUrl,
    repository_url: `${ctx.api}/repos/${repo.fullName}`,
    environment_url: status.environmentUrl,
    log_url: status.logUrl,
    performed_via_github_app: null,
  };
}

/** `check-run` */
export function renderCheckRun(check: CheckRunRecord, ctx: RenderContext): Json {
  const repo = ctx.world.repoById(check.repoId);
  const u = `${ctx.api}/repos/${repo.fullName}/check-runs/${check.id}`;
  return {
    id: check.id,
    head_sha: check.headSha,
    node_id: nodeId('CR', check.id),
    external_id: check.externalId ?? '',
    url: u,
    html_url: `${ctx.world.serverUrl}/${repo.fullName}/runs/${check.id}`,
    details_url: check.detailsUrl ?? `${ctx.world.serverUrl}/${repo.fullName}/runs/${check.id}`,
    status: check.status,
    conclusion: check.conclusion,
    started_at: check.startedAt ? isoSeconds(check.startedAt) : null,
    completed_at: check.completedAt ? isoSeconds(check.completedAt) : null,
    output: {
      title: check.output.title,
      summary: check.output.summary,
      text: check.output.text,
      annotations_count: check.output.annotationsCount,
      annotations_url: `${u}/annotations`,
    },
    name: check.name,
    check_suite: { id: check.id + 1 },
    app: renderActionsApp(ctx),
    pull_requests: [],
  };
}
