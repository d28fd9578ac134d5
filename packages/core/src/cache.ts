/**
 * A thin wrapper over `@actions/cache` with the same local fallback as artifacts: outside Actions
 * entries live in `MODELOPS_CACHE_DIR` (default `<tmp>/modelops-cache`), keyed and prefix-matched
 * like the service (exact key first, then each restore key as a prefix, newest first).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from './errors.ts';

type Env = Record<string, string | undefined>;

/** True when the Actions cache service can be used. */
export function cacheServiceAvailable(env: Env = process.env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL));
}

/** The local cache folder used outside Actions. */
export function localCacheRoot(env: Env = process.env): string {
  return path.resolve(env.MODELOPS_CACHE_DIR || path.join(os.tmpdir(), 'modelops-cache'));
}

/** Checks a key the way the cache service does. */
export function validateCacheKey(key: string): void {
  if (key.length > 512 || key.includes(',')) {
    throw new UserError(`Cache key '${key.slice(0, 80)}…' is invalid (at most 512 characters, no commas).`, {
      fix: 'Shorten the key or remove commas.',
    });
  }
}

/**
 * Restores paths (relative to the working folder) for `key`, else the newest entry matching a
 * restore-key prefix. Returns the matched key, or undefined on a miss.
 */
export async function restoreCache(
  paths: readonly string[],
  key: string,
  restoreKeys: readonly string[] = [],
  env: Env = process.env,
): Promise<string | undefined> {
  validateCacheKey(key);
  if (cacheServiceAvailable(env)) {
    const actionsCache = await import('@actions/cache');
    return actionsCache.restoreCache([...paths], key, [...restoreKeys]);
  }
  const root = localCacheRoot(env);
  const entries = await readdir(root).catch(() => [] as string[]);
  const metas = (
    await Promise.all(
      entries.map(async (dir) => {
        const meta = await readFile(path.join(root, dir, 'key.json'), 'utf8')
          .then((t) => JSON.parse(t) as { key: string; at: number; paths: string[] })
          .catch(() => undefined);
        return meta && { dir, ...meta };
      }),
    )
  ).filter((m): m is NonNullable<typeof m> => m !== undefined && sameList(m.paths, paths));
  const match =
    metas.find((m) => m.key === key) ??
    restoreKeys
      .map((prefix) => metas.filter((m) => m.key.startsWith(prefix)).sort((a, b) => b.at - a.at)[0])
      .find((m) => m !== undefined);
  if (!match) return undefined;
  const stored = path.join(root, match.dir, 'files');
  for (const p of paths) {
    const from = path.join(stored, String(paths.indexOf(p)));
    if (await stat(from).catch(() => undefined)) {
      await rm(p, { recursive: true, force: true });
      await mkdir(path.dirname(path.resolve(p)), { recursive: true });
      await cp(from, p, { recursive: true });
    }
  }
  return match.key;
}

/** Saves paths under `key`; returns false when the entry exists or the service refused. */
export async function saveCache(
  paths: readonly string[],
  key: string,
  env: Env = process.env,
): Promise<boolean> {
  validateCacheKey(key);
  if (cacheServiceAvailable(env)) {
    const actionsCache = await import('@actions/cache');
    const id = await actionsCache.saveCache([...paths], key);
    return id !== -1;
  }
  const dir = path.join(localCacheRoot(env), createHash('sha256').update(key).digest('hex').slice(0, 32));
  if (await stat(path.join(dir, 'key.json')).catch(() => undefined)) return false; // entries are immutable
  await mkdir(path.join(dir, 'files'), { recursive: true });
  for (const [index, p] of paths.entries()) {
    if (await stat(p).catch(() => undefined))
      await cp(p, path.join(dir, 'files', String(index)), { recursive: true });
  }
  await writeFile(path.join(dir, 'key.json'), JSON.stringify({ key, at: Date.now(), paths }));
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
