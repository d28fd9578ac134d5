import type { GitHubWorld, JobRecord, WorkflowRunRecord } from '../shared/world.ts';

/** Cache permission bit "read" in the token's `ac` claim. */
export const CACHE_READ = 1;
/** Cache permission bit "write" in the token's `ac` claim. */
export const CACHE_WRITE = 2;

/** One cache scope of a runtime token: a ref and what the job may do with its entries. */
export interface CacheScope {
  readonly scope: string;
  readonly permission: number;
}

/** What a runtime token grants: the run and job it belongs to and its cache scopes (in search order). */
export interface RuntimeTokenClaims {
  readonly run: WorkflowRunRecord;
  readonly job: JobRecord;
  readonly cacheScopes: readonly CacheScope[];
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Cache scopes of a run, as the runner puts them in the token's `ac` claim: the run's own ref
 * (read/write), then the base branch of a pull request and the default branch (read only).
 */
export function cacheScopesOf(world: GitHubWorld, run: WorkflowRunRecord): CacheScope[] {
  const repo = world.repoById(run.repoId);
  const scopes: CacheScope[] = [{ scope: run.ref, permission: CACHE_READ | CACHE_WRITE }];
  const pull =
    run.pullRequestNumbers[0] !== undefined ? world.findIssue(run.pullRequestNumbers[0], repo) : undefined;
  const extra = [
    pull?.pull ? `refs/heads/${pull.pull.baseRef}` : undefined,
    `refs/heads/${repo.defaultBranch}`,
  ];
  for (const scope of extra) {
    if (scope && !scopes.some((existing) => existing.scope === scope))
      scopes.push({ scope, permission: CACHE_READ });
  }
  return scopes;
}

/**
 * Creates the `ACTIONS_RUNTIME_TOKEN` of a job: an unsigned JWT (`alg: none`) whose `scp` claim
 * holds `Actions.Results:<runBackendId>:<jobBackendId>` and whose `ac` claim lists the cache scopes.
 * The toolkit clients only decode it; the results server reads the same claims.
 */
export function createRuntimeToken(world: GitHubWorld, run: WorkflowRunRecord, job: JobRecord): string {
  const now = Math.floor(Date.now() / 1000);
  const scopes = cacheScopesOf(world, run).map(({ scope, permission }) => ({
    Scope: scope,
    Permission: permission,
  }));
  const payload = {
    nameid: job.backendId,
    scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${run.backendId}:${job.backendId}`,
    ac: JSON.stringify(scopes),
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:actions-results',
    iat: now,
    nbf: now,
    exp: now + 6 * 3600,
    repository_id: String(run.repoId),
    run_id: String(run.id),
  };
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(payload)}.`;
}

/** Why a runtime token was refused. */
export class RuntimeTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeTokenError';
  }
}

/** Reads a runtime token and finds its run and job in the world; throws {@link RuntimeTokenError}. */
export function readRuntimeToken(world: GitHubWorld, token: string): RuntimeTokenClaims {
  const [, payloadPart] = token.split('.');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    throw new RuntimeTokenError('The bearer token is not a JWT.');
  }
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) {
    throw new RuntimeTokenError('The runtime token has expired.');
  }
  const scope = String(payload.scp ?? '')
    .split(' ')
    .find((part) => part.startsWith('Actions.Results:'));
  const [, runBackendId, jobBackendId] = scope?.split(':') ?? [];
  const run = runBackendId ? world.runByBackendId(runBackendId) : undefined;
  const job = run?.jobs.find((candidate) => candidate.backendId === jobBackendId);
  if (!run || !job) {
    throw new RuntimeTokenError('The runtime token names no known workflow run and job (claim scp).');
  }
  let cacheScopes: CacheScope[] = [];
  try {
    const parsed = JSON.parse(String(payload.ac ?? '[]')) as { Scope?: unknown; Permission?: unknown }[];
    cacheScopes = parsed.map((entry) => ({
      scope: String(entry.Scope),
      permission: Number(entry.Permission),
    }));
  } catch {
    throw new RuntimeTokenError('The runtime token has a malformed ac claim.');
  }
  return { run, job, cacheScopes };
}
