/**
 * Every document kind with its schema, apart from reading and writing: build scripts take the schemas
 * without the validation module (which imports the validators they generate).
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
