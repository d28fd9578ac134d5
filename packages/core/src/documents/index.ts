/**
 * The versioned JSON documents the actions exchange. Each has one TypeBox definition that gives both
 * its JSON Schema (published under `packages/core/schemas/`) and its TypeScript type. Writes are
 * validated and atomic; reads are validated and say which file is wrong and how.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../atomic.ts';
import { checkSchema, validateOrThrow, type JsonSchema } from '../validate.ts';
import { DOCUMENT_SCHEMAS, currentVersion, type DocumentKind, type DocumentOf } from './schemas.ts';

export * from './common.ts';
export * from './dataset-manifest.ts';
export * from './retrain-decision.ts';
export * from './gate-report.ts';
export * from './rollout-record.ts';
export * from './schemas.ts';

/** Options of {@link readDocument} and {@link parseDocument}. */
export interface ReadDocumentOptions {
  /** The action input that named the file, for messages. */
  input?: string;
  /** Where the document came from if not a file (e.g. `artifact 'gate-report'`). */
  origin?: string;
}

/** Validates `value` as a document of `kind` and returns it typed. */
export function parseDocument<K extends DocumentKind>(
  kind: K,
  value: unknown,
  file: string,
  options: ReadDocumentOptions = {},
): DocumentOf<K> {
  const source = {
    ...(options.input === undefined ? {} : { input: options.input }),
    file,
  };
  const header = value as { kind?: unknown; schemaVersion?: unknown } | null;
  if (header === null || typeof header !== 'object' || header.kind !== kind) {
    throw new UserError(
      `${options.origin ?? 'The file'} is not a ${kind} document (kind: ${JSON.stringify(header?.kind ?? null)}).`,
      { ...source, fix: `Point to a ${kind} JSON file written by modelops-actions.` },
    );
  }
  const version = currentVersion(kind);
  if (typeof header.schemaVersion === 'number' && header.schemaVersion > version) {
    throw new UserError(
      `${kind} schemaVersion ${header.schemaVersion} is newer than this action understands (${version}).`,
      { ...source, fix: 'Use the same or a newer release of modelops-actions for every step.' },
    );
  }
  return validateOrThrow<DocumentOf<K>>(DOCUMENT_SCHEMAS[kind] as unknown as JsonSchema, value, {
    ...source,
    what: `${kind} document`,
    fix: `The ${kind} document is damaged or was edited by hand; regenerate it with the action that writes it.`,
  });
}

/** Reads and validates a document file. */
export async function readDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  options: ReadDocumentOptions = {},
): Promise<DocumentOf<K>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read the ${kind} '${file}' (${code === 'ENOENT' ? 'no such file' : code}).`, {
      ...(options.input === undefined ? {} : { input: options.input }),
      file,
      fix: 'Check the path, or that the step that writes it ran before this one.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`The ${kind} '${file}' is not valid JSON: ${(error as Error).message}.`, {
      ...(options.input === undefined ? {} : { input: options.input }),
      file,
      fix: 'Regenerate the file with the action that writes it; it may have been truncated.',
    });
  }
  return parseDocument(kind, value, file, options);
}

/** Validates and atomically writes a document as pretty JSON; returns the path. */
export async function writeDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  document: DocumentOf<K>,
): Promise<string> {
  const problems = checkSchema(DOCUMENT_SCHEMAS[kind] as unknown as JsonSchema, document);
  if (problems.length > 0) {
    // A document we built ourselves that fails its own schema is a bug, not bad input.
    throw new Error(
      `internal: refusing to write an invalid ${kind}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
    );
  }
  await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
