/**
 * `GateReport`: the verdict of model-gate and every check behind it, with the numbers a later gate
 * run needs as its baseline and history (flat metric keys: `roc_auc`, `roc_auc/region=eu`,
 * `fairness/gender/demographic_parity_ratio`, `drift/age/psi`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema, NullableNumber } from './common.ts';

/**
 * Result of one check: `pass`; `fail` (a `fail` check failed); `warn` (a `warn` check failed);
 * `no-baseline` (a change bound with nothing to compare with: not evaluated, as TFMA drops change
 * thresholds on a first run); `undefined` (the candidate's value is missing or undefined — counts as
 * a failure of the check's severity).
 */
export const CheckStatus = Type.Union([
  Type.Literal('pass'),
  Type.Literal('fail'),
  Type.Literal('warn'),
  Type.Literal('no-baseline'),
  Type.Literal('undefined'),
]);

/** The significance test behind a check. */
export const SignificanceResultSchema = Type.Object(
  {
    test: Type.Union([Type.Literal('mcnemar'), Type.Literal('delong'), Type.Literal('bootstrap')]),
    alpha: Type.Number(),
    mode: Type.Union([Type.Literal('regression'), Type.Literal('improvement')]),
    pValue: NullableNumber,
    /** Bounds of the (1 − alpha) interval of candidate − baseline (bootstrap, DeLong). */
    lower: Type.Optional(NullableNumber),
    upper: Type.Optional(NullableNumber),
    difference: NullableNumber,
    significant: Type.Union([Type.Boolean(), Type.Null()]),
    /** Whether the difference goes the better way; null when there is none. */
    better: Type.Union([Type.Boolean(), Type.Null()]),
    /** Why the test could not run, when it did not. */
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One evaluated check (per slice or column when the check covers several). */
export const GateCheckResultSchema = Type.Object(
  {
    name: Type.String(),
    metric: Type.String(),
    slice: Type.Optional(Type.String({ description: 'Slice key, e.g. region=eu.' })),
    severity: Type.Union([Type.Literal('fail'), Type.Literal('warn')]),
    status: CheckStatus,
    candidate: NullableNumber,
    baseline: NullableNumber,
    delta: NullableNumber,
    bound: Type.String({ description: 'The bound as written for a reader, e.g. "≥ 0.80".' }),
    min: Type.Optional(Type.Number({ description: 'Value bound: the minimum (inclusive).' })),
    max: Type.Optional(Type.Number({ description: 'Value bound: the maximum (inclusive).' })),
    message: Type.String(),
    pValue: Type.Optional(NullableNumber),
    kind: Type.Optional(
      Type.Union([Type.Literal('metric'), Type.Literal('fairness'), Type.Literal('drift')]),
    ),
    key: Type.Optional(Type.String({ description: 'Flat metric key compared.' })),
    group: Type.Optional(Type.String({ description: 'Fairness: the sensitive-feature column.' })),
    column: Type.Optional(Type.String({ description: 'Drift: the feature column.' })),
    direction: Type.Optional(Type.Union([Type.Literal('higher'), Type.Literal('lower')])),
    evaluated: Type.Optional(
      Type.Boolean({ description: 'False when no bound could be evaluated (no baseline, undefined value).' }),
    ),
    significance: Type.Optional(SignificanceResultSchema),
  },
  { additionalProperties: false },
);

/** A metrics source: where candidate or baseline numbers came from. */
export const MetricsSourceSchema = Type.Object(
  {
    source: Type.String({ description: 'predictions, metrics, mlflow, artifact or report.' }),
    uri: Type.Optional(Type.String()),
    label: Type.Optional(
      Type.String({ description: 'What a reader sees, e.g. models:/churn@champion (v3).' }),
    ),
    runId: Type.Optional(Type.String({ description: 'MLflow run id, or the workflow run of an artifact.' })),
    modelVersion: Type.Optional(
      Type.Object({ name: Type.String(), version: Type.String() }, { additionalProperties: false }),
    ),
    rows: Type.Optional(Type.Integer({ minimum: 0 })),
    task: Type.Optional(Type.String()),
    metrics: Type.Record(Type.String(), NullableNumber),
    undefinedReasons: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

/** Rates of one group of a sensitive feature. */
export const FairnessGroupSchema = Type.Object(
  {
    group: Type.String(),
    rows: Type.Integer({ minimum: 0 }),
    selectionRate: NullableNumber,
    truePositiveRate: NullableNumber,
    falsePositiveRate: NullableNumber,
    excluded: Type.Union([Type.String(), Type.Null()], { description: 'Why the group was not compared.' }),
  },
  { additionalProperties: false },
);

/** Fairness of the candidate over the groups of one column. */
export const FairnessDetailSchema = Type.Object(
  {
    group: Type.String({ description: 'The sensitive-feature column.' }),
    minGroupSize: Type.Integer({ minimum: 1 }),
    positiveLabel: Type.Union([Type.String(), Type.Null()]),
    groups: Type.Array(FairnessGroupSchema),
    metrics: Type.Record(Type.String(), NullableNumber),
  },
  { additionalProperties: false },
);

/** Drift of one feature column. */
export const DriftColumnSchema = Type.Object(
  {
    column: Type.String(),
    type: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
    test: Type.String(),
    value: NullableNumber,
    threshold: Type.Number(),
    drifted: Type.Union([Type.Boolean(), Type.Null()]),
    stats: Type.Record(Type.String(), NullableNumber),
  },
  { additionalProperties: false },
);

/** One earlier gate run, for the history chart. */
export const HistoryPointSchema = Type.Object(
  {
    createdAt: Type.String({ format: 'date-time' }),
    passed: Type.Boolean(),
    sha: Type.Optional(Type.String()),
    ref: Type.Optional(Type.String()),
    runId: Type.Optional(Type.String()),
    runUrl: Type.Optional(Type.String()),
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
    verdict: Type.Optional(Type.String({ description: 'The verdict in one line.' })),
    failOn: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('warn'), Type.Literal('never')])),
    candidate: MetricsSourceSchema,
    baseline: Type.Union([MetricsSourceSchema, Type.Null()]),
    baselineNote: Type.Optional(
      Type.String({ description: 'Why there is no baseline, or where it came from.' }),
    ),
    checks: Type.Array(GateCheckResultSchema),
    slices: Type.Optional(
      Type.Object(
        {
          minSize: Type.Integer({ minimum: 1 }),
          skipped: Type.Array(
            Type.Object(
              { key: Type.String(), rows: Type.Integer({ minimum: 0 }) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    fairness: Type.Optional(Type.Array(FairnessDetailSchema)),
    drift: Type.Optional(
      Type.Object(
        {
          reference: Type.String(),
          current: Type.String(),
          driftShare: Type.Number(),
          columns: Type.Array(DriftColumnSchema),
        },
        { additionalProperties: false },
      ),
    ),
    pullRequest: Type.Optional(
      Type.Object(
        { number: Type.Integer({ minimum: 1 }), headSha: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    history: Type.Optional(
      Type.Array(HistoryPointSchema, { description: 'Earlier gate runs, oldest first.' }),
    ),
    chart: Type.Optional(
      Type.Array(Type.String(), { description: 'Metric keys the comment charts over the history.' }),
    ),
    notes: Type.Optional(Type.Array(Type.String())),
  },
);

/** The verdict of model-gate and every check behind it. */
export type GateReport = Static<typeof GateReportSchema>;
/** One check result of a {@link GateReport}. */
export type GateCheckResult = Static<typeof GateCheckResultSchema>;
/** A metrics source of a {@link GateReport}. */
export type MetricsSource = Static<typeof MetricsSourceSchema>;
/** The significance part of a {@link GateCheckResult}. */
export type SignificanceResult = Static<typeof SignificanceResultSchema>;
/** Fairness of the candidate over one column. */
export type FairnessDetail = Static<typeof FairnessDetailSchema>;
/** Drift of one feature column. */
export type DriftColumn = Static<typeof DriftColumnSchema>;
/** One earlier gate run. */
export type HistoryPoint = Static<typeof HistoryPointSchema>;
