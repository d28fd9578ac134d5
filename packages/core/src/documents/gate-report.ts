/** `GateReport`: the verdict of model-gate and every check behind it. */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema, NullableNumber } from './common.ts';

/** Result of one check. */
export const CheckStatus = Type.Union([
  Type.Literal('pass'),
  Type.Literal('fail'),
  Type.Literal('warn'),
  Type.Literal('no-baseline'),
  Type.Literal('undefined'),
]);

/** One evaluated check. */
export const GateCheckResultSchema = Type.Object(
  {
    name: Type.String(),
    metric: Type.String(),
    slice: Type.Optional(Type.String()),
    severity: Type.Union([Type.Literal('fail'), Type.Literal('warn')]),
    status: CheckStatus,
    candidate: NullableNumber,
    baseline: NullableNumber,
    delta: NullableNumber,
    bound: Type.String({ description: 'The bound as written for a reader, e.g. ">= 0.80".' }),
    message: Type.String(),
    pValue: Type.Optional(NullableNumber),
  },
  { additionalProperties: false },
);

/** A metrics source: where candidate or baseline numbers came from. */
export const MetricsSourceSchema = Type.Object(
  {
    source: Type.String({ description: 'predictions, metrics file, MLflow URI or artifact.' }),
    uri: Type.Optional(Type.String()),
    metrics: Type.Record(Type.String(), NullableNumber),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link GateReport}. */
export const GateReportSchema = documentSchema(
  'GateReport',
  1,
  'The verdict of a model gate and its checks.',
  {
    gate: Type.String({ description: 'Gate name; one sticky comment per gate.' }),
    passed: Type.Boolean(),
    candidate: MetricsSourceSchema,
    baseline: Type.Union([MetricsSourceSchema, Type.Null()]),
    checks: Type.Array(GateCheckResultSchema),
    groups: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Record(Type.String(), NullableNumber))),
    ),
  },
);

/** The verdict of model-gate and every check behind it. */
export type GateReport = Static<typeof GateReportSchema>;
