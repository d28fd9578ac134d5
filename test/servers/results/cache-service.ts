import { BlobStore } from '../shared/blob-store.ts';
import type { CacheEntryRecord, GitHubWorld } from '../shared/world.ts';
import type { TwirpMethod } from './artifact-service.ts';
import { CACHE_READ, CACHE_WRITE, type RuntimeTokenClaims } from './runtime-token.ts';
import { int64Field, stringField, TwirpError } from './twirp.ts';

/** GitHub's limit on a cache key. */
const MAX_KEY_LENGTH = 512;
/** `@actions/cache` sends at most 10 keys (the key and 9 restore keys). */
const MAX_KEYS = 10;
const URL_TTL_SECONDS = 3600;

type Body = Readonly<Record<string, unknown>>;

function checkKey(key: string): void {
  if (!key) throw new TwirpError('invalid_argument', 'key is required');
  if (key.length > MAX_KEY_LENGTH) {
    throw new TwirpError('invalid_argument', `key cannot be longer than ${MAX_KEY_LENGTH} characters`);
  }
  if (key.includes(',')) throw new TwirpError('invalid_argument', 'key cannot contain commas');
}

function requireVersion(body: Body): string {
  const version = stringField(body, 'version');
  if (!version) throw new TwirpError('invalid_argument', 'version is required');
  return version;
}

function writableScope(caller: RuntimeTokenClaims): string {
  const scope = caller.cacheScopes.find((candidate) => (candidate.permission & CACHE_WRITE) !== 0);
  if (!scope)
    throw new TwirpError(
      'permission_denied',
      'cache write denied: the runtime token has no writable cache scope',
    );
  return scope.scope;
}

function newest(entries: readonly CacheEntryRecord[]): CacheEntryRecord | undefined {
  return [...entries].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
}

/**
 * GitHub's matching order: in each readable scope (the run's ref first, then the base or default
 * branch), an exact match of `key`, then the newest entry whose key starts with `key`, then for
 * each restore key in turn the newest entry whose key starts with it. The version must match.
 */
function findEntry(
  world: GitHubWorld,
  caller: RuntimeTokenClaims,
  key: string,
  restoreKeys: readonly string[],
  version: string,
): CacheEntryRecord | undefined {
  for (const { scope, permission } of caller.cacheScopes) {
    if ((permission & CACHE_READ) === 0) continue;
    const candidates = world.cacheEntries.filter(
      (entry) =>
        entry.repoId === caller.run.repoId &&
        entry.state === 'finalized' &&
        entry.scope === scope &&
        entry.version === version,
    );
    const exact = candidates.find((entry) => entry.key === key);
    if (exact) return exact;
    for (const prefix of [key, ...restoreKeys]) {
      const hit = newest(candidates.filter((entry) => entry.key.startsWith(prefix)));
      if (hit) return hit;
    }
  }
  return undefined;
}

/** `github.actions.results.api.v1.CacheService` methods (cache service v2). */
export const cacheService: Readonly<Record<string, TwirpMethod>> = {
  CreateCacheEntry(world, caller, body) {
    const key = stringField(body, 'key');
    checkKey(key);
    const version = requireVersion(body);
    const scope = writableScope(caller);
    const existing = world.cacheEntries.find(
      (entry) =>
        entry.repoId === caller.run.repoId &&
        entry.key === key &&
        entry.version === version &&
        entry.scope === scope,
    );
    if (existing) {
      throw new TwirpError(
        'already_exists',
        'cache entry with the same key, version, and scope already exists',
      );
    }
    const id = world.nextId('cache');
    const now = new Date();
    const entry: CacheEntryRecord = {
      id,
      repoId: caller.run.repoId,
      key,
      version,
      scope,
      size: 0,
      blobPath: BlobStore.path('actions-cache', `${caller.run.repoId}/${id.toString(16).padStart(8, '0')}`),
      createdAt: now,
      lastAccessedAt: now,
      state: 'pending',
    };
    world.cacheEntries.push(entry);
    return {
      ok: true,
      signed_upload_url: world.blobs.signUrl(entry.blobPath, {
        permissions: 'cw',
        ttlSeconds: URL_TTL_SECONDS,
      }),
    };
  },

  FinalizeCacheEntryUpload(world, caller, body) {
    const key = stringField(body, 'key');
    checkKey(key);
    const version = requireVersion(body);
    const scope = writableScope(caller);
    const entry = world.cacheEntries.find(
      (candidate) =>
        candidate.repoId === caller.run.repoId &&
        candidate.key === key &&
        candidate.version === version &&
        candidate.scope === scope &&
        candidate.state === 'pending',
    );
    if (!entry) throw new TwirpError('not_found', `no cache entry is being uploaded for key ${key}`);
    const blob = world.blobs.get(entry.blobPath);
    if (!blob) throw new TwirpError('failed_precondition', `no content was uploaded for cache key ${key}`);
    const size = int64Field(body, 'size_bytes');
    if (size !== undefined && size !== blob.data.length) {
      throw new TwirpError(
        'invalid_argument',
        `size_bytes ${size} does not match the ${blob.data.length} uploaded bytes`,
      );
    }
    entry.size = blob.data.length;
    entry.state = 'finalized';
    world.evictCaches(entry.repoId);
    return { ok: true, entry_id: String(entry.id) };
  },

  GetCacheEntryDownloadURL(world, caller, body) {
    const key = stringField(body, 'key');
    const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
    if (restoreKeys.length + 1 > MAX_KEYS) {
      throw new TwirpError('invalid_argument', `at most ${MAX_KEYS} keys can be given`);
    }
    for (const candidate of [key, ...restoreKeys]) checkKey(candidate);
    const version = requireVersion(body);
    const entry = findEntry(world, caller, key, restoreKeys, version);
    if (!entry) return { ok: false, signed_download_url: '', matched_key: '' };
    entry.lastAccessedAt = new Date();
    return {
      ok: true,
      signed_download_url: world.blobs.signUrl(entry.blobPath, {
        permissions: 'r',
        ttlSeconds: URL_TTL_SECONDS,
      }),
      matched_key: entry.key,
    };
  },
};
