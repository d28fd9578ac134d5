import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ArtifactApi from '@actions/artifact';
import type * as CacheApi from '@actions/cache';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv, startWorld, type StartedWorld, type WorkflowRunRecord } from './results/index.ts';

// The real toolkit clients run against the local servers. `@actions/artifact` reads GITHUB_API_URL
// when it is first imported, so the environment is set before the dynamic imports below.
type ArtifactModule = typeof ArtifactApi;
type CacheModule = typeof CacheApi;

let started: StartedWorld;
let artifact: ArtifactModule;
let cache: CacheModule;
let root: string;
let restoreEnv: (() => void) | undefined;
let scratch = 0;
const initialCwd = process.cwd();

/** A fresh directory under the test's temporary root. */
function freshDir(name: string): string {
  scratch += 1;
  const dir = join(root, `${name}-${scratch}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Switches the process to what a node action step of `run` sees: its environment, and the
 * workspace as working directory (the cache client globs paths from there, like on a runner).
 */
function enterRun(run: WorkflowRunRecord, workspace: string, job?: string): void {
  restoreEnv?.();
  process.chdir(workspace);
  restoreEnv = applyEnv(
    started.env(run, { workspace, runnerTemp: freshDir('runner-temp'), ...(job ? { job } : {}) }),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'results-server-'));
  started = await startWorld({ owner: 'acme', repo: 'ml' });
  const bootstrap = started.world.addWorkflowRun({ workflow: 'bootstrap.yml' });
  enterRun(bootstrap, freshDir('ws'));
  artifact = await import('@actions/artifact');
  cache = await import('@actions/cache');
});

afterEach(() => {
  started.github.assertNoViolations();
});

afterAll(async () => {
  restoreEnv?.();
  process.chdir(initialCwd);
  await started.close();
  rmSync(root, { recursive: true, force: true });
});

describe('runtime environment', () => {
  it('gives a node step the runtime token, results URL and GitHub variables of its run and job', () => {
    const run = started.world.addWorkflowRun({ workflow: 'train.yml', jobs: ['prepare', 'train'] });
    const env = started.env(run, { job: 'train' });
    const train = run.jobs[1];
    const payload = JSON.parse(
      Buffer.from(env.ACTIONS_RUNTIME_TOKEN?.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { scp: string };
    expect(payload.scp.split(' ')).toContain(`Actions.Results:${run.backendId}:${train?.backendId}`);
    expect(env).toMatchObject({
      ACTIONS_RESULTS_URL: `${started.results.url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_API_URL: started.github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/ml',
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'train',
      GITHUB_JOB: 'train',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: run.headSha,
      GITHUB_TOKEN: run.token,
    });
    expect(() => started.env(run, { job: 'deploy' })).toThrow(/has no job named "deploy"/);
  });
});

describe('artifacts through @actions/artifact', () => {
  it('uploads in run 1, lists and downloads it there, then downloads it from run 2 via findBy', async () => {
    const { world } = started;
    const run1 = world.addWorkflowRun({ workflow: 'train.yml', jobs: ['train'] });
    const ws1 = freshDir('ws');
    mkdirSync(join(ws1, 'out'));
    writeFileSync(join(ws1, 'out', 'model.bin'), 'weights-v1');
    writeFileSync(join(ws1, 'out', 'metrics.json'), '{"auc":0.91}');
    enterRun(run1, ws1);

    const client = new artifact.DefaultArtifactClient();
    const uploaded = await client.uploadArtifact(
      'model',
      [join(ws1, 'out', 'model.bin'), join(ws1, 'out', 'metrics.json')],
      join(ws1, 'out'),
    );
    expect(uploaded.id).toBeGreaterThan(0);
    const stored = world.artifactsOf(run1.id);
    expect(stored.map((a) => a.name)).toEqual(['model']);
    expect(stored[0]?.size).toBe(uploaded.size);
    expect(stored[0]?.digest).toBe(`sha256:${uploaded.digest}`);
    // The upload went through the Azure SDK's block protocol.
    expect(started.results.requests.named('PutBlock').length).toBeGreaterThan(0);
    expect(started.results.requests.named('PutBlockList').at(-1)?.status).toBe(201);

    const listed = await client.listArtifacts();
    expect(listed.artifacts.map((a) => [a.name, a.id, a.size])).toEqual([
      ['model', uploaded.id, uploaded.size],
    ]);

    const here = freshDir('download');
    const local = await client.downloadArtifact(uploaded.id ?? 0, {
      path: here,
      expectedHash: `sha256:${uploaded.digest}`,
    });
    expect(local.digestMismatch).toBe(false);
    expect(readFileSync(join(here, 'model.bin'), 'utf8')).toBe('weights-v1');
    expect(readFileSync(join(here, 'metrics.json'), 'utf8')).toBe('{"auc":0.91}');

    const run2 = world.addWorkflowRun({ workflow: 'train.yml', jobs: ['train'] });
    enterRun(run2, freshDir('ws'));
    const findBy = {
      token: run2.token,
      workflowRunId: run1.id,
      repositoryOwner: 'acme',
      repositoryName: 'ml',
    };
    const crossList = await client.listArtifacts({ findBy });
    expect(crossList.artifacts.map((a) => a.name)).toEqual(['model']);
    const found = await client.getArtifact('model', { findBy });
    expect(found.artifact.id).toBe(uploaded.id);
    const there = freshDir('download');
    const remote = await client.downloadArtifact(found.artifact.id, { path: there, findBy });
    expect(remote.digestMismatch).toBe(false);
    expect(readFileSync(join(there, 'model.bin'), 'utf8')).toBe('weights-v1');
    const redirect = started.github.requests.named('actions/download-artifact').at(-1);
    expect(redirect?.status).toBe(302);
    // Run 2 sees nothing of its own through the results service: artifacts belong to their run.
    expect((await client.listArtifacts()).artifacts).toEqual([]);
  });

  it('rejects a second artifact with the same name in one run with 409, without retrying', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'train.yml' });
    const ws = freshDir('ws');
    writeFileSync(join(ws, 'a.txt'), 'first');
    enterRun(run, ws);
    const client = new artifact.DefaultArtifactClient();
    await client.uploadArtifact('report', [join(ws, 'a.txt')], ws);
    const before = started.results.requests.named('CreateArtifact').length;
    await expect(client.uploadArtifact('report', [join(ws, 'a.txt')], ws)).rejects.toThrow(
      /\(409\) Conflict: an artifact with this name already exists on the workflow run/,
    );
    expect(started.results.requests.named('CreateArtifact').length).toBe(before + 1);
    expect(started.world.artifactsOf(run.id)).toHaveLength(1);
  });

  it('serves artifacts seeded into the world, zipped by the world', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'train.yml', conclusion: 'success' });
    const seeded = started.world.addArtifact(run, {
      name: 'dataset-hash',
      files: [
        { path: 'hash.txt', data: 'sha256:abc' },
        { path: 'nested/info.json', data: '{"rows":3}' },
      ],
    });
    const reader = started.world.addWorkflowRun({ workflow: 'gate.yml' });
    enterRun(reader, freshDir('ws'));
    const client = new artifact.DefaultArtifactClient();
    const dir = freshDir('download');
    await client.downloadArtifact(seeded.id, {
      path: dir,
      findBy: { token: reader.token, workflowRunId: run.id, repositoryOwner: 'acme', repositoryName: 'ml' },
      expectedHash: seeded.digest ?? '',
    });
    expect(readFileSync(join(dir, 'hash.txt'), 'utf8')).toBe('sha256:abc');
    expect(readFileSync(join(dir, 'nested', 'info.json'), 'utf8')).toBe('{"rows":3}');
  });

  it('answers an injected 4xx on a Twirp method once, then works again', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'train.yml' });
    const ws = freshDir('ws');
    writeFileSync(join(ws, 'x.txt'), 'x');
    enterRun(run, ws);
    const fault = started.results.faults.inject({
      match: 'CreateArtifact',
      status: 403,
      body: 'storage disabled',
    });
    const client = new artifact.DefaultArtifactClient();
    await expect(client.uploadArtifact('x', [join(ws, 'x.txt')], ws)).rejects.toThrow(
      /\(403\).*storage disabled/,
    );
    expect(fault.hits).toBe(1);
    await expect(client.uploadArtifact('x', [join(ws, 'x.txt')], ws)).resolves.toMatchObject({
      size: expect.any(Number),
    });
  });
});

describe('artifact deletion', () => {
  it('deletes through the results service in the run and through the REST API from another run', async () => {
    const { world } = started;
    const run = world.addWorkflowRun({ workflow: 'train.yml' });
    world.addArtifact(run, { name: 'tmp-a', files: [{ path: 'a', data: 'a' }] });
    const b = world.addArtifact(run, { name: 'tmp-b', files: [{ path: 'b', data: 'b' }] });
    enterRun(run, freshDir('ws'));
    const client = new artifact.DefaultArtifactClient();
    await client.deleteArtifact('tmp-a');
    expect(world.artifactsOf(run.id).map((a) => a.name)).toEqual(['tmp-b']);

    const other = world.addWorkflowRun({ workflow: 'cleanup.yml' });
    enterRun(other, freshDir('ws'));
    const deleted = await client.deleteArtifact('tmp-b', {
      findBy: { token: other.token, workflowRunId: run.id, repositoryOwner: 'acme', repositoryName: 'ml' },
    });
    expect(deleted.id).toBe(b.id);
    expect(world.artifactsOf(run.id)).toEqual([]);
    expect(world.blobs.get(b.blobPath)).toBeUndefined();
  });
});

describe('blob storage behind signed URLs', () => {
  it('refuses tampered and read-only URLs for writes, and honours Range', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'train.yml' });
    const seeded = started.world.addArtifact(run, {
      name: 'blob',
      files: [{ path: 'f.txt', data: 'hello world' }],
    });
    const url = started.world.blobs.signUrl(seeded.blobPath, { permissions: 'r' });

    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/zip');
    expect(whole.headers.get('x-ms-blob-type')).toBe('BlockBlob');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(seeded.digest);

    const part = await fetch(url, { headers: { range: 'bytes=0-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 4));

    const tampered = url.replace(/sig=[^&]+/, 'sig=AAAA');
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');

    const write = await fetch(url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'evil',
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch');
    expect(started.world.blobs.get(seeded.blobPath)?.data).toEqual(bytes);
  });
});

describe('cache through @actions/cache (service v2)', () => {
  function writeDeps(ws: string, content: string): void {
    mkdirSync(join(ws, 'deps'), { recursive: true });
    writeFileSync(join(ws, 'deps', 'lib.txt'), content);
  }

  it('saves, then restores on an exact hit, a restore-key prefix (newest first) and misses otherwise', async () => {
    const { world } = started;
    const run = world.addWorkflowRun({ workflow: 'ci.yml', branch: 'main' });
    const ws = freshDir('ws');
    enterRun(run, ws);
    writeDeps(ws, 'old');
    expect(await cache.saveCache(['deps'], 'deps-linux-1111')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    writeDeps(ws, 'new');
    expect(await cache.saveCache(['deps'], 'deps-linux-2222')).toBeGreaterThan(0);
    expect(world.cacheEntriesOf().map((entry) => [entry.key, entry.scope])).toEqual([
      ['deps-linux-1111', 'refs/heads/main'],
      ['deps-linux-2222', 'refs/heads/main'],
    ]);

    writeDeps(ws, 'scratch');
    expect(await cache.restoreCache(['deps'], 'deps-linux-1111')).toBe('deps-linux-1111');
    expect(readFileSync(join(ws, 'deps', 'lib.txt'), 'utf8')).toBe('old');

    expect(await cache.restoreCache(['deps'], 'deps-linux-9999', ['deps-windows-', 'deps-linux-'])).toBe(
      'deps-linux-2222',
    );
    expect(readFileSync(join(ws, 'deps', 'lib.txt'), 'utf8')).toBe('new');

    expect(await cache.restoreCache(['deps'], 'other-key', ['other-'])).toBeUndefined();
    // Same key, different paths: a different cache version, so no hit.
    expect(await cache.restoreCache(['deps', 'more'], 'deps-linux-1111')).toBeUndefined();
  });

  it('refuses a duplicate key with 409 and invalid keys before any request', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'ci.yml', branch: 'dup' });
    const ws = freshDir('ws');
    enterRun(run, ws);
    writeDeps(ws, 'a');
    expect(await cache.saveCache(['deps'], 'dup-key')).toBeGreaterThan(0);
    expect(await cache.saveCache(['deps'], 'dup-key')).toBe(-1);
    expect(started.results.requests.named('CreateCacheEntry').at(-1)?.status).toBe(409);
    await expect(cache.saveCache(['deps'], 'a,b')).rejects.toThrow(/cannot contain commas/);
    await expect(cache.saveCache(['deps'], 'k'.repeat(513))).rejects.toThrow(/cannot be larger than 512/);
  });

  it('scopes entries by branch: a branch reads the default branch but not another branch', async () => {
    const { world } = started;
    const feature = world.addWorkflowRun({ workflow: 'ci.yml', branch: 'feature-a' });
    const wsA = freshDir('ws');
    enterRun(feature, wsA);
    writeDeps(wsA, 'from-feature-a');
    expect(await cache.saveCache(['deps'], 'scoped-feature')).toBeGreaterThan(0);

    const other = world.addWorkflowRun({ workflow: 'ci.yml', branch: 'feature-b' });
    const wsB = freshDir('ws');
    enterRun(other, wsB);
    expect(await cache.restoreCache(['deps'], 'scoped-feature')).toBeUndefined();

    const main = world.addWorkflowRun({ workflow: 'ci.yml', branch: 'main' });
    const wsMain = freshDir('ws');
    enterRun(main, wsMain);
    writeDeps(wsMain, 'from-main');
    expect(await cache.saveCache(['deps'], 'scoped-main')).toBeGreaterThan(0);

    enterRun(other, wsB);
    expect(await cache.restoreCache(['deps'], 'scoped-main')).toBe('scoped-main');
    expect(readFileSync(join(wsB, 'deps', 'lib.txt'), 'utf8')).toBe('from-main');
  });

  it('answers Twirp validation errors as 4xx JSON', async () => {
    const run = started.world.addWorkflowRun({ workflow: 'ci.yml' });
    const env = started.env(run);
    const call = (method: string, body: unknown, token = env.ACTIONS_RUNTIME_TOKEN): Promise<Response> =>
      fetch(`${started.results.url}/twirp/github.actions.results.api.v1.CacheService/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const comma = await call('CreateCacheEntry', { key: 'a,b', version: 'v' });
    expect(comma.status).toBe(400);
    expect(await comma.json()).toEqual({ code: 'invalid_argument', msg: 'key cannot contain commas' });
    const anonymous = await call('GetCacheEntryDownloadURL', { key: 'k', version: 'v' }, 'not-a-jwt');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('unauthenticated');
    const unknown = await call('NoSuchMethod', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('bad_route');
  });
});
