/**
 * `RolloutRecord`: what canary-rollout did, step by step, and how it ended. The record is rewritten
 * after every step and check while the rollout runs (`state: progressing`), so the `post:` step of a
 * cancelled job can finish it from the file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema, NullableNumber } from './common.ts';

/** How one metric fared in one check. */
export const AnalysisStatus = Type.Union([
  Type.Literal('successful'),
  Type.Literal('failed'),
  Type.Literal('inconclusive'),
  Type.Literal('error'),
]);

/** One analysis measurement during a check. */
export const AnalysisResultSchema = Type.Object(
  {
    metric: Type.String(),
    value: NullableNumber,
    status: AnalysisStatus,
    at: Type.String({ format: 'date-time' }),
    min: Type.Optional(Type.Number({ description: 'Lower bound (inclusive) the value had to meet.' })),
    max: Type.Optional(Type.Number({ description: 'Upper bound (inclusive) the value had to meet.' })),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** The outcome of a check: every metric measured once. */
export const CheckOutcome = Type.Union([
  Type.Literal('successful'),
  Type.Literal('failed'),
  Type.Literal('inconclusive'),
]);

/** One check: the metrics measured after an interval at the step's weight. */
export const AnalysisCheckSchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    outcome: CheckOutcome,
    results: Type.Array(AnalysisResultSchema),
  },
  { additionalProperties: false },
);

/** One step of a rollout: a traffic weight held for one or more checks. */
export const RolloutStepSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    weight: Type.Number({ minimum: 0, maximum: 100, description: 'Percent of traffic on the canary.' }),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    outcome: Type.Optional(
      Type.Union([
        Type.Literal('passed'),
        Type.Literal('failed'),
        Type.Literal('inconclusive'),
        Type.Literal('stopped'),
      ]),
    ),
    checks: Type.Array(AnalysisCheckSchema),
  },
  { additionalProperties: false },
);

/** A metric check of the analysis as configured. */
export const RolloutMetricSchema = Type.Object(
  {
    name: Type.String(),
    query: Type.Optional(Type.String()),
    key: Type.Optional(Type.String()),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link RolloutRecord}. */
export const RolloutRecordSchema = documentSchema(
  'RolloutRecord',
  1,
  'A progressive delivery of a model: steps, analysis and outcome.',
  {
    name: Type.String({ description: 'Rollout name (artifact rollout-record-<name>).' }),
    strategy: Type.Union([Type.Literal('canary'), Type.Literal('blue-green'), Type.Literal('shadow')]),
    router: Type.String({ description: 'Router kind, e.g. mlflow-alias, nginx, command.' }),
    routerDescription: Type.Optional(Type.String()),
    observer: Type.String({
      description: 'Observer kind, e.g. prometheus, metrics-file, gate-report, none.',
    }),
    stable: Type.Union([Type.String(), Type.Null()], {
      description: 'Version serving before the rollout (null for a first release).',
    }),
    canary: Type.String({ description: 'Version being rolled out.' }),
    environment: Type.Optional(Type.String()),
    deploymentId: Type.Optional(Type.Integer({ description: 'GitHub deployment of the rollout.' })),
    state: Type.Union([
      Type.Literal('progressing'),
      Type.Literal('promoted'),
      Type.Literal('rolled-back'),
      Type.Literal('aborted'),
    ]),
    reason: Type.Optional(Type.String({ description: 'Why the rollout ended the way it did.' })),
    weight: Type.Number({ minimum: 0, maximum: 100, description: 'Canary weight now (percent).' }),
    plan: Type.Object(
      {
        weights: Type.Array(Type.Number({ minimum: 0, maximum: 100 })),
        intervalMs: Type.Integer({ minimum: 0 }),
        iterations: Type.Integer({ minimum: 1, description: 'Successful checks needed per step.' }),
        threshold: Type.Integer({ minimum: 1, description: 'Failed checks before rollback.' }),
        inconclusiveLimit: Type.Integer({ minimum: 1, description: 'Inconclusive checks before abort.' }),
      },
      { additionalProperties: false },
    ),
    metrics: Type.Array(RolloutMetricSchema),
    failedChecks: Type.Integer({ minimum: 0 }),
    inconclusiveChecks: Type.Integer({ minimum: 0 }),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    steps: Type.Array(RolloutStepSchema),
  },
);

/** What canary-rollout did, step by step, and how it ended. */
export type RolloutRecord = Static<typeof RolloutRecordSchema>;
/** One step of a {@link RolloutRecord}. */
export type RolloutStep = Static<typeof RolloutStepSchema>;
/** One check of a {@link RolloutStep}. */
export type AnalysisCheck = Static<typeof AnalysisCheckSchema>;
/** One metric measurement of an {@link AnalysisCheck}. */
export type AnalysisResult = Static<typeof AnalysisResultSchema>;
/** A configured metric check of a {@link RolloutRecord}. */
export type RolloutMetric = Static<typeof RolloutMetricSchema>;
