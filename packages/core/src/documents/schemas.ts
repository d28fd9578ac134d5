/**
 * Every document kind with its schema, apart from reading and writing: the build scripts take the
 * schemas without the validation module (which imports the validators they generate).
 */
import type { Static } from '@sinclair/typebox';
import { DatasetManifestSchema, DatasetDiffSchema } from './dataset-manifest.ts';
import { RetrainDecisionSchema } from './retrain-decision.ts';
import { GateReportSchema } from './gate-report.ts';
import { RolloutRecordSchema } from './rollout-record.ts';

/** Every document kind and its schema. */
export const DOCUMENT_SCHEMAS = {
  DatasetManifest: DatasetManifestSchema,
  DatasetDiff: DatasetDiffSchema,
  RetrainDecision: RetrainDecisionSchema,
  GateReport: GateReportSchema,
  RolloutRecord: RolloutRecordSchema,
} as const;

/** A document kind, e.g. `GateReport`. */
export type DocumentKind = keyof typeof DOCUMENT_SCHEMAS;

/** The TypeScript type of a document kind. */
export type DocumentOf<K extends DocumentKind> = Static<(typeof DOCUMENT_SCHEMAS)[K]>;

/** The schema version this build writes for a kind. */
export function currentVersion(kind: DocumentKind): number {
  return (DOCUMENT_SCHEMAS[kind].properties.schemaVersion as unknown as { const: number }).const;
}

/** The published JSON Schema of a kind, ready to be written to a file. */
export function publishedSchema(kind: DocumentKind): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...structuredClone(DOCUMENT_SCHEMAS[kind]),
  };
}
