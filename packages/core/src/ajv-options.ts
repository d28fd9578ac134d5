/**
 * What a validator is compiled with, at run time (`validate.ts`) and ahead of time
 * (`scripts/write-validators.ts`): the same options, and the fingerprint that ties a precompiled
 * validator to the schema it was compiled from.
 */
import { createHash } from 'node:crypto';

/**
 * The ajv options of every validator: all errors (a message lists every problem), `verbose` for the
 * parent schema (the allowed keys of an unknown one).
 */
export const AJV_OPTIONS = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true } as const;

/** What identifies a schema's content: the SHA-256 of its JSON (hex). */
export function schemaFingerprint(schema: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
