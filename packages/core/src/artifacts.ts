/**
 * Workflow artifacts for the documents and folders the actions exchange, from this run or from
 * the latest successful run of a workflow on a branch. Inside Actions this is `@actions/artifact`
 * (cross-run downloads go through the REST API with `findBy`); outside Actions (no runtime token)
 * it is a local folder, `MODELOPS_ARTIFACT_DIR` (default `<tmp>/modelops-artifacts`), announced once.
 * Downloads are extracted by {@link extractZip}, which refuses entries escaping the target folder.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import type { DefaultArtifactClient } from '@actions/artifact';
import { readContext, type RunContext } from './context.ts';
import { createGitHubClient, toGitHubError } from './github.ts';
import { UserError } from './errors.ts';
import { extractZip } from './zip.ts';
import { resolveInside } from './safe-path.ts';
import { parseDocument, writeDocument, type DocumentKind, type DocumentOf } from './documents/index.ts';

type Env = Record<string, string | undefined>;

/** Where an artifact is fetched from. */
export type ArtifactSource =
  | { kind: 'current-run' }
  | { kind: 'run'; runId: number }
  | {
      kind: 'latest-successful';
      /** Branch of the run (default: the repository's default branch, then `main`). */
      branch?: string;
      /** Workflow file name or id (default: this run's workflow). */
      workflow?: string;
      /** Runs to look through, newest first (default 20). */
      maxRuns?: number;
    };

/** Options shared by publish and fetch. */
export interface ArtifactOptions {
  /** Environment (default `process.env`). */
  env?: Env;
  /** Token for cross-run downloads (`actions: read`); default `GITHUB_TOKEN`/`INPUT_GITHUB-TOKEN`. */
  token?: string;
}

/** What {@link publishArtifact} stored. */
export interface PublishResult {
  name: string;
  /** Artifact id inside Actions. */
  id?: number;
  size: number;
  /** `actions` or the local folder it went to. */
  location: string;
}

/** What {@link fetchArtifact} found. */
export interface FetchResult {
  /** Folder holding the artifact's files. */
  directory: string;
  /** Run the artifact came from. */
  runId: string;
  /** File names relative to `directory`. */
  files: string[];
}

let announced = false;

/** The artifact client, loaded on first use: most steps never touch artifacts. */
async function artifactClient(): Promise<DefaultArtifactClient> {
  const { DefaultArtifactClient: Client } = await import('@actions/artifact');
  return new Client();
}

/** True when the step can talk to the Actions artifact service. */
export function artifactServiceAvailable(env: Env = process.env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
}

/** The local artifact folder used outside Actions. */
export function localArtifactRoot(env: Env = process.env): string {
  return path.resolve(env.MODELOPS_ARTIFACT_DIR || path.join(os.tmpdir(), 'modelops-artifacts'));
}

function announceLocal(env: Env): void {
  if (announced) return;
  announced = true;
  core.info(
    `Not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN): artifacts are kept in ${localArtifactRoot(env)} (set MODELOPS_ARTIFACT_DIR to change).`,
  );
}

function localRunId(context: RunContext): string {
  return context.runId || 'local';
}

function tokenFrom(options: ArtifactOptions, env: Env): string | undefined {
  return options.token || env['INPUT_GITHUB-TOKEN'] || env.GITHUB_TOKEN || undefined;
}

/** Publishes files (paths relative to `rootDirectory`) as artifact `name`. */
export async function publishArtifact(
  name: string,
  files: readonly string[],
  rootDirectory: string,
  options: ArtifactOptions & { retentionDays?: number } = {},
): Promise<PublishResult> {
  const env = options.env ?? process.env;
  const absolute = files.map((f) => resolveInside(rootDirectory, f));
  if (artifactServiceAvailable(env)) {
    const client = await artifactClient();
    const result = await client.uploadArtifact(name, absolute, rootDirectory, {
      ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
    });
    return {
      name,
      ...(result.id === undefined ? {} : { id: result.id }),
      size: result.size ?? 0,
      location: 'actions',
    };
  }
  announceLocal(env);
  const context = readContext(env);
  const runDir = path.join(localArtifactRoot(env), 'runs', localRunId(context));
  const target = path.join(runDir, name);
  await rm(target, { recursive: true, force: true });
  let size = 0;
  for (const file of files) {
    const to = resolveInside(target, path.relative(rootDirectory, resolveInside(rootDirectory, file)));
    await mkdir(path.dirname(to), { recursive: true });
    await cp(resolveInside(rootDirectory, file), to);
    size += (await stat(to)).size;
  }
  await writeFile(
    path.join(runDir, '.run.json'),
    JSON.stringify({
      runId: localRunId(context),
      branch: context.branch ?? null,
      workflow: context.workflow,
      at: Date.now(),
    }),
  );
  return { name, size, location: target };
}

/** Writes a document to a temporary folder and publishes it as artifact `name` (file `<name>.json`). */
export async function publishDocument<K extends DocumentKind>(
  kind: K,
  name: string,
  document: DocumentOf<K>,
  options: ArtifactOptions = {},
): Promise<PublishResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelops-doc-'));
  try {
    await writeDocument(kind, path.join(dir, `${name}.json`), document);
    return await publishArtifact(name, [`${name}.json`], dir, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fetches artifact `name` into `destination`; undefined when no run has it. */
export async function fetchArtifact(
  name: string,
  destination: string,
  source: ArtifactSource,
  options: ArtifactOptions = {},
): Promise<FetchResult | undefined> {
  const env = options.env ?? process.env;
  const context = readContext(env);
  if (!artifactServiceAvailable(env)) {
    announceLocal(env);
    return fetchLocal(name, destination, source, context, env);
  }
  const client = await artifactClient();
  if (source.kind === 'current-run') {
    const found = await client.getArtifact(name).catch(() => undefined);
    if (!found) return undefined;
    return downloadAndExtract(client, found.artifact.id, name, destination, context.runId, undefined);
  }
  const token = tokenFrom(options, env);
  if (!token) {
    throw new UserError(`Fetching artifact '${name}' from another run needs a token.`, {
      input: 'github-token',
      fix: 'Pass `github-token: ${{ github.token }}` and grant `actions: read` in the job permissions.',
    });
  }
  const findBy = (runId: number) => ({
    token,
    workflowRunId: runId,
    repositoryOwner: context.owner,
    repositoryName: context.repo,
  });
  const runIds = source.kind === 'run' ? [source.runId] : await latestSuccessfulRuns(source, context, token);
  for (const runId of runIds) {
    const found = await client.getArtifact(name, { findBy: findBy(runId) }).catch(() => undefined);
    if (found) {
      return downloadAndExtract(client, found.artifact.id, name, destination, String(runId), findBy(runId));
    }
  }
  return undefined;
}

async function latestSuccessfulRuns(
  source: Extract<ArtifactSource, { kind: 'latest-successful' }>,
  context: RunContext,
  token: string,
): Promise<number[]> {
  const workflow =
    source.workflow ?? (context.workflowFile ? path.posix.basename(context.workflowFile) : undefined);
  if (!workflow) {
    throw new UserError('Cannot tell which workflow to take the baseline artifact from.', {
      fix: 'Name the workflow file (e.g. `train.yml`) whose latest successful run holds the artifact.',
    });
  }
  const octokit = await createGitHubClient(token, { apiUrl: context.apiUrl });
  const branch = source.branch ?? context.defaultBranch ?? 'main';
  try {
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner: context.owner,
      repo: context.repo,
      workflow_id: workflow,
      branch,
      status: 'success',
      per_page: Math.min(100, source.maxRuns ?? 20),
    });
    return data.workflow_runs.map((r) => r.id).filter((id) => String(id) !== context.runId);
  } catch (error) {
    throw toGitHubError(error, `list successful runs of ${workflow} on ${branch}`, 'actions: read');
  }
}

async function downloadAndExtract(
  client: DefaultArtifactClient,
  id: number,
  name: string,
  destination: string,
  runId: string,
  findBy:
    { token: string; workflowRunId: number; repositoryOwner: string; repositoryName: string } | undefined,
): Promise<FetchResult> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'modelops-artifact-'));
  try {
    await client.downloadArtifact(id, { path: staging, skipDecompress: true, ...(findBy ? { findBy } : {}) });
    const [archive] = await readdir(staging);
    if (!archive) throw new Error(`artifact '${name}' downloaded no file`);
    const files = await extractZip(path.join(staging, archive), destination, {
      source: `artifact '${name}'`,
    });
    return { directory: destination, runId, files };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function fetchLocal(
  name: string,
  destination: string,
  source: ArtifactSource,
  context: RunContext,
  env: Env,
): Promise<FetchResult | undefined> {
  const runsDir = path.join(localArtifactRoot(env), 'runs');
  let candidates: string[];
  if (source.kind === 'current-run') candidates = [localRunId(context)];
  else if (source.kind === 'run') candidates = [String(source.runId)];
  else {
    const runs = await readdir(runsDir).catch(() => [] as string[]);
    const withMeta = await Promise.all(
      runs
        .filter((r) => r !== localRunId(context))
        .map(async (runId) => {
          const meta = await readFile(path.join(runsDir, runId, '.run.json'), 'utf8')
            .then((t) => JSON.parse(t) as { branch: string | null; at: number })
            .catch(() => ({ branch: null, at: 0 }));
          return { runId, ...meta };
        }),
    );
    candidates = withMeta
      .filter((m) => !source.branch || m.branch === null || m.branch === source.branch)
      .sort((a, b) => b.at - a.at)
      .map((m) => m.runId);
  }
  for (const runId of candidates) {
    const from = resolveInside(runsDir, path.join(runId, name));
    const exists = await stat(from)
      .then((s) => s.isDirectory())
      .catch(() => false);
    if (!exists) continue;
    await mkdir(destination, { recursive: true });
    const files = await listFiles(from);
    for (const file of files) {
      const to = resolveInside(destination, file);
      await mkdir(path.dirname(to), { recursive: true });
      await cp(path.join(from, file), to);
    }
    return { directory: destination, runId, files };
  }
  return undefined;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Fetches a document published by {@link publishDocument}; undefined when none is found. */
export async function fetchDocument<K extends DocumentKind>(
  kind: K,
  name: string,
  source: ArtifactSource,
  options: ArtifactOptions = {},
): Promise<{ document: DocumentOf<K>; runId: string } | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelops-fetch-'));
  try {
    const found = await fetchArtifact(name, dir, source, options);
    if (!found) return undefined;
    const file = path.join(dir, `${name}.json`);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UserError(`Artifact '${name}' from run ${found.runId} has no '${name}.json'.`, {
        fix: `Publish the ${kind} with the action that writes it.`,
      });
    });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UserError(`Artifact '${name}' from run ${found.runId} holds invalid JSON.`, {
        fix: 'Re-run the workflow that publishes it.',
      });
    }
    const document = parseDocument(kind, value, `${name}.json`, {
      origin: `artifact '${name}' of run ${found.runId}`,
    });
    return { document, runId: found.runId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
