/** Pieces every versioned document shares. */
import { Type, type Static, type TSchema, type TObject, type TProperties } from '@sinclair/typebox';
import type { RunContext } from '../context.ts';

/** JSON Schema dialect of every published schema. */
export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** The `$id` of a document schema: a stable URN with the schema version. */
export function schemaId(kind: string, version: number): string {
  return `urn:modelops-actions:schema:${kind}:${version}`;
}

/** Who produced a document: the action, its version and the workflow run. */
export const ProducerSchema = Type.Object(
  {
    action: Type.String({ description: 'Action that wrote the document, e.g. dataset-hash.' }),
    version: Type.String({ description: 'Version of modelops-actions.' }),
    repository: Type.Optional(Type.String()),
    sha: Type.Optional(Type.String({ description: 'Commit the workflow ran on.' })),
    ref: Type.Optional(Type.String()),
    runId: Type.Optional(Type.String({ description: 'Workflow run id.' })),
    runUrl: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Who produced a document. */
export type Producer = Static<typeof ProducerSchema>;

/** The release of modelops-actions written into every document. */
export const SUITE_VERSION = '1.0.0';

/** The `producer` of a document written by `action` in this run (`sha` overrides the run's commit). */
export function documentProducer(action: string, context: RunContext, sha = context.sha): Producer {
  return {
    action,
    version: SUITE_VERSION,
    ...(context.owner ? { repository: `${context.owner}/${context.repo}` } : {}),
    ...(sha ? { sha } : {}),
    ...(context.ref ? { ref: context.ref } : {}),
    ...(context.runId ? { runId: context.runId } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
}

/**
 * Wraps a document's own properties with `schemaVersion`, `kind`, `createdAt` and `producer`, and
 * sets the schema's `$id`, title and description.
 */
export function documentSchema<K extends string, V extends number, P extends TProperties>(
  kind: K,
  version: V,
  description: string,
  properties: P,
) {
  return Type.Object(
    {
      schemaVersion: Type.Literal(version, { description: 'Version of this document format.' }),
      kind: Type.Literal(kind),
      createdAt: Type.String({ format: 'date-time' }),
      producer: ProducerSchema,
      ...properties,
    },
    { $id: schemaId(kind, version), title: kind, description, additionalProperties: false },
  );
}

/** A nullable number: metrics can be undefined (e.g. ROC AUC with one class). */
export const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** A TypeBox schema of a document. */
export type DocumentSchema = TObject & TSchema;
