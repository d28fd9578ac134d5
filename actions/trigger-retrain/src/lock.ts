/**
 * The lock file: a baseline kept in the repository, `.modelops/<model>.lock.json` by default, like
 * `dvc.lock`. It records the fingerprint and the full inputs of the last successful training, so
 * the next decision can name every changed file and key without any tracking server. Written
 * atomically (temporary file + rename) with sorted keys, so its diffs review well.
 */
import { readFile } from 'node:fs/promises';
import { UserError, validateOrThrow, writeFileAtomic, type JsonSchema } from '@modelops/core';
import { compareCodePoints } from './canonical.ts';
import type { RetrainInputs } from './fingerprint.ts';
import type { Baseline } from './reasons.ts';

/** The lock file format. */
export interface LockFile {
  lockVersion: 1;
  model: string;
  fingerprint: string;
  /** When the training finished, or when it was recorded (ISO date-time). */
  trainedAt: string;
  /** The run that trained, when known. */
  run?: { engine: string; id: string; url?: string };
  inputs: RetrainInputs;
}

const FILES = {
  type: 'array',
  items: {
    type: 'object',
    required: ['path', 'blob'],
    properties: { path: { type: 'string' }, blob: { type: 'string' } },
    additionalProperties: false,
  },
};

/** JSON Schema of {@link LockFile}. */
export const LOCK_FILE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['lockVersion', 'model', 'fingerprint', 'trainedAt', 'inputs'],
  additionalProperties: false,
  properties: {
    lockVersion: { const: 1 },
    model: { type: 'string', minLength: 1 },
    fingerprint: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    trainedAt: { type: 'string', format: 'date-time' },
    run: {
      type: 'object',
      required: ['engine', 'id'],
      additionalProperties: false,
      properties: { engine: { type: 'string' }, id: { type: 'string' }, url: { type: 'string' } },
    },
    inputs: {
      type: 'object',
      required: ['datasets', 'code', 'config', 'params'],
      additionalProperties: false,
      properties: {
        datasets: { type: 'object', additionalProperties: { type: 'string' } },
        code: FILES,
        config: FILES,
        params: { type: 'object' },
      },
    },
  },
};

/** The default lock file of a model, relative to the workspace. */
export function defaultLockPath(model: string): string {
  return `.modelops/${model}.lock.json`;
}

/** Reads a lock file as a baseline; undefined when the file does not exist (the first training). */
export async function readLockBaseline(
  file: string,
  displayPath: string,
  model: string,
): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(
      `Cannot read the lock file '${displayPath}' (${(error as NodeJS.ErrnoException).code}).`,
      {
        input: 'baseline',
        file: displayPath,
        fix: 'Check the path and the file permissions.',
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `The lock file '${displayPath}' is not valid JSON: ${(error as Error).message.split('\n')[0]}.`,
      {
        input: 'baseline',
        file: displayPath,
        fix: 'Restore it from git history (it may hold a merge conflict), or delete it to start over with NO_BASELINE.',
      },
    );
  }
  const lock = validateOrThrow<LockFile>(LOCK_FILE_SCHEMA, value, {
    input: 'baseline',
    file: displayPath,
    what: 'lock file',
    fix: 'The lock file was edited by hand or by another tool; restore it from git history or delete it.',
  });
  if (lock.model !== model) {
    throw new UserError(`The lock file '${displayPath}' is for model '${lock.model}', not '${model}'.`, {
      input: 'baseline',
      file: displayPath,
      fix: `Give each model its own lock file, e.g. ${defaultLockPath(model)} (\`baseline: lock\`).`,
    });
  }
  return {
    source: 'lock',
    location: displayPath,
    fingerprint: lock.fingerprint,
    trainedAt: lock.trainedAt,
    ...(lock.run ? { runId: lock.run.id, ...(lock.run.url ? { runUrl: lock.run.url } : {}) } : {}),
    inputs: lock.inputs,
  };
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = sorted(record[key]);
    return out;
  }
  return value;
}

/** Writes a lock file atomically, keys sorted and pretty-printed. */
export async function writeLockFile(file: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(sorted(lock), null, 2)}\n`);
}
