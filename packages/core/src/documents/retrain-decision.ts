/** `RetrainDecision`: what trigger-retrain decided, why, and what it dispatched. */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema } from './common.ts';

/** Reason codes of a retrain decision. */
export const RetrainReasonCode = Type.Union([
  Type.Literal('NO_BASELINE'),
  Type.Literal('DATA_CHANGED'),
  Type.Literal('CODE_CHANGED'),
  Type.Literal('CONFIG_CHANGED'),
  Type.Literal('PARAMS_CHANGED'),
  Type.Literal('STALE'),
  Type.Literal('MANUAL_REQUEST'),
]);

/** One reason to retrain. */
export const RetrainReasonSchema = Type.Object(
  {
    code: RetrainReasonCode,
    detail: Type.String({ description: 'One line a reviewer understands.' }),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

/** A tracked file and its git blob id. */
export const TrackedFileSchema = Type.Object(
  { path: Type.String(), blob: Type.String() },
  { additionalProperties: false },
);

/** What the fingerprint was computed from. */
export const RetrainInputsSchema = Type.Object(
  {
    datasets: Type.Record(Type.String(), Type.String()),
    code: Type.Array(TrackedFileSchema),
    config: Type.Array(TrackedFileSchema),
    params: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link RetrainDecision}. */
export const RetrainDecisionSchema = documentSchema(
  'RetrainDecision',
  1,
  'Whether a model must be retrained, why, and the training run that was dispatched.',
  {
    model: Type.String(),
    shouldRetrain: Type.Boolean(),
    fingerprint: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
    reasons: Type.Array(RetrainReasonSchema),
    inputs: RetrainInputsSchema,
    baseline: Type.Union([
      Type.Null(),
      Type.Object(
        {
          source: Type.String({ description: 'mlflow or the lock file path.' }),
          fingerprint: Type.Optional(Type.String()),
          trainedAt: Type.Optional(Type.String({ format: 'date-time' })),
          runId: Type.Optional(Type.String()),
          inputs: Type.Optional(RetrainInputsSchema),
        },
        { additionalProperties: false },
      ),
    ]),
    dispatch: Type.Optional(
      Type.Object(
        {
          engine: Type.String(),
          deduplicated: Type.Boolean(),
          runId: Type.Optional(Type.String()),
          runUrl: Type.Optional(Type.String()),
          conclusion: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
);

/** What trigger-retrain decided, why, and what it dispatched. */
export type RetrainDecision = Static<typeof RetrainDecisionSchema>;
