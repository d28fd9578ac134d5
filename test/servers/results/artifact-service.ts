import { createHash } from 'node:crypto';
import { isoSeconds, type ArtifactRecord, type GitHubWorld } from '../shared/world.ts';
import type { RuntimeTokenClaims } from './runtime-token.ts';
import { int64Field, stringField, TwirpError } from './twirp.ts';

/** Lifetime of signed upload URLs. */
const UPLOAD_URL_TTL_SECONDS = 6 * 3600;
/** Lifetime of signed download URLs. */
const DOWNLOAD_URL_TTL_SECONDS = 3600;

type Body = Readonly<Record<string, unknown>>;

/** A Twirp method: request JSON in, response JSON out (or a thrown {@link TwirpError}). */
export type TwirpMethod = (
  world: GitHubWorld,
  caller: RuntimeTokenClaims,
  body: Body,
) => Record<string, unknown>;

/** The backend ids of a request must be the caller's own: a job only reaches its run's artifacts. */
function checkIds(caller: RuntimeTokenClaims, body: Body, requireJob: boolean): void {
  const runId = stringField(body, 'workflow_run_backend_id');
  const jobId = stringField(body, 'workflow_job_run_backend_id');
  if (runId !== caller.run.backendId || (requireJob && jobId !== caller.job.backendId)) {
    throw new TwirpError('permission_denied', 'the workflow run backend ids do not match the runtime token');
  }
}

function requireName(body: Body): string {
  const name = stringField(body, 'name');
  if (!name) throw new TwirpError('invalid_argument', 'name is required');
  return name;
}

function findInRun(
  world: GitHubWorld,
  runId: number,
  name: string,
  state?: ArtifactRecord['state'],
): ArtifactRecord | undefined {
  return world.artifacts.find(
    (artifact) =>
      artifact.runId === runId && artifact.name === name && (state === undefined || artifact.state === state),
  );
}

/** `github.actions.results.api.v1.ArtifactService` methods. */
export const artifactService: Readonly<Record<string, TwirpMethod>> = {
  CreateArtifact(world, caller, body) {
    checkIds(caller, body, true);
    const name = requireName(body);
    if (findInRun(world, caller.run.id, name)) {
      throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
    }
    const expires = stringField(body, 'expires_at');
    const mimeType = stringField(body, 'mime_type') || 'application/zip';
    const artifact = world.createArtifact(
      caller.run,
      caller.job,
      name,
      mimeType,
      expires ? new Date(expires) : undefined,
    );
    return {
      ok: true,
      signed_upload_url: world.blobs.signUrl(artifact.blobPath, {
        permissions: 'cw',
        ttlSeconds: UPLOAD_URL_TTL_SECONDS,
      }),
    };
  },

  FinalizeArtifact(world, caller, body) {
    checkIds(caller, body, true);
    const name = requireName(body);
    const artifact = findInRun(world, caller.run.id, name);
    if (!artifact) throw new TwirpError('not_found', `artifact ${name} was not created in this workflow run`);
    if (artifact.state === 'finalized')
      throw new TwirpError('already_exists', `artifact ${name} is already finalized`);
    const blob = world.blobs.get(artifact.blobPath);
    if (!blob) throw new TwirpError('failed_precondition', `no content was uploaded for artifact ${name}`);
    const size = int64Field(body, 'size');
    if (size !== undefined && size !== blob.data.length) {
      throw new TwirpError(
        'invalid_argument',
        `size ${size} does not match the ${blob.data.length} uploaded bytes`,
      );
    }
    const digest = `sha256:${createHash('sha256').update(blob.data).digest('hex')}`;
    const hash = stringField(body, 'hash');
    if (hash && hash !== digest) {
      throw new TwirpError(
        'invalid_argument',
        `hash ${hash} does not match the uploaded content (${digest})`,
      );
    }
    artifact.size = blob.data.length;
    artifact.digest = digest;
    artifact.state = 'finalized';
    artifact.updatedAt = new Date();
    return { ok: true, artifact_id: String(artifact.id) };
  },

  ListArtifacts(world, caller, body) {
    checkIds(caller, body, false);
    const nameFilter = stringField(body, 'name_filter');
    const idFilter = int64Field(body, 'id_filter');
    const artifacts = world
      .artifactsOf(caller.run.id)
      .filter(
        (artifact) =>
          (!nameFilter || artifact.name === nameFilter) &&
          (idFilter === undefined || artifact.id === idFilter),
      )
      .map((artifact) => {
        const job = caller.run.jobs.find((candidate) => candidate.id === artifact.jobId);
        return {
          workflow_run_backend_id: caller.run.backendId,
          workflow_job_run_backend_id: job?.backendId ?? caller.job.backendId,
          database_id: String(artifact.id),
          name: artifact.name,
          size: String(artifact.size),
          created_at: isoSeconds(artifact.createdAt),
          ...(artifact.digest ? { digest: artifact.digest } : {}),
        };
      });
    return { artifacts };
  },

  GetSignedArtifactURL(world, caller, body) {
    checkIds(caller, body, false);
    const name = requireName(body);
    const artifact = findInRun(world, caller.run.id, name, 'finalized');
    if (!artifact) throw new TwirpError('not_found', `artifact ${name} not found`);
    return {
      signed_url: world.blobs.signUrl(artifact.blobPath, {
        permissions: 'r',
        ttlSeconds: DOWNLOAD_URL_TTL_SECONDS,
      }),
    };
  },

  DeleteArtifact(world, caller, body) {
    checkIds(caller, body, false);
    const name = requireName(body);
    const artifact = findInRun(world, caller.run.id, name, 'finalized');
    if (!artifact) throw new TwirpError('not_found', `artifact ${name} not found`);
    world.deleteArtifact(artifact.id);
    return { ok: true, artifact_id: String(artifact.id) };
  },
};
