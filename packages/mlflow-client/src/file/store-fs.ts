/**
 * Small file-system helpers of the file store, and {@link StoreError}: the store-level failure (with
 * MLflow's error code) that the client turns into a typed MLflow error naming the store and the call.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlatYaml, parseYaml } from './format.ts';

/** A refusal or failure of the file store, in MLflow's terms. */
export class StoreError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly details: { suggestions?: string[]; fix?: string; file?: string; alias?: boolean } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** True when the path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** True when the path is a directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** A file's text, or undefined when it does not exist. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error) || (error as { code?: string }).code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Names of the subdirectories of a directory (empty when it does not exist). */
export async function listSubdirectories(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * Every file under a directory as a `/`-separated relative path: metric, param and tag names may
 * contain slashes and are then nested directories, which MLflow walks the same way.
 */
export async function walkFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(directory: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(directory, entry.name), relative);
      else if (entry.isFile()) found.push(relative);
    }
  }
  await walk(root, '');
  return found.sort();
}

/** Reads every file under a directory into a key → content record. */
export async function readKeyFiles(root: string): Promise<Record<string, string>> {
  const record: Record<string, string> = {};
  for (const key of await walkFiles(root)) {
    const text = await readText(join(root, ...key.split('/')));
    if (text !== undefined) record[key] = text;
  }
  return record;
}

/**
 * A file's text read synchronously, or undefined when it does not exist. Searches use it to scan
 * thousands of tiny files: a thread-pool round trip per file costs several times the read itself.
 */
export function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error) || (error as { code?: string }).code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Lets other work run between batches of synchronous reads. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads and parses a `meta.yaml`; undefined when missing; {@link StoreError} when malformed. */
export async function readMeta(directory: string): Promise<Record<string, unknown> | undefined> {
  const file = join(directory, 'meta.yaml');
  return parseMeta(await readText(file), file);
}

/** {@link readMeta}, synchronously (for scans). */
export function readMetaSync(directory: string): Record<string, unknown> | undefined {
  const file = join(directory, 'meta.yaml');
  return parseMeta(readTextSync(file), file);
}

function parseMeta(text: string | undefined, file: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseFlatYaml(text) ?? parseYaml(text);
  } catch (error) {
    throw new StoreError('INTERNAL_ERROR', `'${file}' is not valid YAML: ${(error as Error).message}`, {
      file,
      fix: 'Repair or remove the file; it must be a YAML mapping as MLflow writes it.',
    });
  }
  if (parsed === null || parsed === undefined) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StoreError('INTERNAL_ERROR', `'${file}' is not a YAML mapping.`, {
      file,
      fix: 'Repair or remove the file; it must be a YAML mapping as MLflow writes it.',
    });
  }
  return parsed as Record<string, unknown>;
}

/** Runs `fn` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
