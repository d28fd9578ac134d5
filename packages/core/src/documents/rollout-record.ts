/** `RolloutRecord`: what canary-rollout did, step by step, and how it ended. */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema, NullableNumber } from './common.ts';

/** One analysis measurement during a step. */
export const AnalysisResultSchema = Type.Object(
  {
    metric: Type.String(),
    value: NullableNumber,
    status: Type.Union([
      Type.Literal('successful'),
      Type.Literal('failed'),
      Type.Literal('inconclusive'),
      Type.Literal('error'),
    ]),
    at: Type.String({ format: 'date-time' }),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One step of a rollout. */
export const RolloutStepSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    weight: Type.Number({ minimum: 0, maximum: 100 }),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    analysis: Type.Array(AnalysisResultSchema),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link RolloutRecord}. */
export const RolloutRecordSchema = documentSchema(
  'RolloutRecord',
  1,
  'A progressive delivery of a model: steps, analysis and outcome.',
  {
    model: Type.String(),
    strategy: Type.Union([Type.Literal('canary'), Type.Literal('blue-green'), Type.Literal('shadow')]),
    router: Type.String(),
    stable: Type.String({ description: 'Model version serving before the rollout.' }),
    canary: Type.String({ description: 'Model version being rolled out.' }),
    state: Type.Union([
      Type.Literal('in-progress'),
      Type.Literal('promoted'),
      Type.Literal('rolled-back'),
      Type.Literal('aborted'),
    ]),
    reason: Type.Optional(Type.String()),
    steps: Type.Array(RolloutStepSchema),
  },
);

/** What canary-rollout did, step by step, and how it ended. */
export type RolloutRecord = Static<typeof RolloutRecordSchema>;
