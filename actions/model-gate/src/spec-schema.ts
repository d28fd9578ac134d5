/**
 * The gate spec's JSON Schema (TypeBox): the one definition the spec is validated against, the
 * TypeScript type of a parsed spec, the published `gate-spec.schema.json` and the generated
 * reference `docs/gate-spec.md` all come from here. Keys are kebab-case, as in workflow files.
 */
import { Type, type Static } from '@sinclair/typebox';

/** `$id` of the published gate spec schema. */
export const GATE_SPEC_SCHEMA_ID = 'urn:modelops-actions:schema:GateSpec:1';

/** A relative amount written as a percentage, e.g. `2%` or `0.5%`. */
const Percentage = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?%$',
  description: 'A percentage of the baseline value, e.g. `2%`.',
});

/** How far the candidate may move against the baseline: absolute, relative, or both. */
export const ChangeBoundSchema = Type.Union(
  [
    Type.Number({ minimum: 0, description: 'An absolute amount of the metric, e.g. `0.01`.' }),
    Percentage,
    Type.Object(
      {
        absolute: Type.Optional(Type.Number({ minimum: 0, description: 'Absolute amount.' })),
        relative: Type.Optional(
          Type.Union([
            Type.Number({ minimum: 0, description: 'Fraction of the baseline, e.g. 0.02.' }),
            Percentage,
          ]),
        ),
      },
      {
        additionalProperties: false,
        minProperties: 1,
        description: 'Both bounds must hold when both are given (TFMA change threshold).',
      },
    ),
  ],
  {
    description:
      'A number is an absolute amount (`0.01`), a percentage string a relative one (`2%` of the baseline); `{absolute, relative}` requires both.',
  },
);

/** Fairness metrics a check can bound (Fairlearn's definitions). */
export const FAIRNESS_METRICS = [
  'demographic-parity-difference',
  'demographic-parity-ratio',
  'equalized-odds-difference',
  'equalized-odds-ratio',
  'equal-opportunity-difference',
  'equal-opportunity-ratio',
  'false-positive-rate-difference',
  'false-positive-rate-ratio',
] as const;

/** Drift statistics a check can bound. */
export const DRIFT_STATISTICS = [
  'psi',
  'jensen-shannon',
  'wasserstein',
  'wasserstein-normed',
  'ks-statistic',
  'ks-p-value',
  'chi-square',
  'chi-square-p-value',
  'drift-share',
] as const;

/** Significance tests. */
export const SIGNIFICANCE_TESTS = ['mcnemar', 'delong', 'bootstrap'] as const;

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

/** Significance settings of a check. */
export const SignificanceSchema = Type.Object(
  {
    test: literals(
      SIGNIFICANCE_TESTS,
      '`mcnemar` (accuracy; exact binomial test on the rows the models disagree on), `delong` (roc_auc), or `bootstrap` (any resampleable metric; paired percentile interval).',
    ),
    alpha: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description: 'Significance level (default: `significance.alpha` of the spec, else 0.05).',
      }),
    ),
    mode: Type.Optional(
      literals(
        ['regression', 'improvement'],
        '`regression` (default): a change beyond the bound fails only when it is significant. `improvement`: the candidate must also be significantly better than the baseline.',
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Compare candidate and baseline predictions on the same rows. Needs a predictions file for both (`predictions` and `baseline` inputs).',
  },
);

/** One check. */
export const CheckSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Shown in the comment and in the `failed` output; unique within the spec.',
    }),
    metric: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A model metric: `accuracy`, `roc_auc`, `f1`, `log_loss`, `rmse`, … (see docs/model-gate.md), or any metric key of a metrics file or MLflow run.',
      }),
    ),
    slice: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Evaluate the metric on a slice: `region=eu`, `region=eu&device=ios`, or every slice of columns: `region`, `region&device`.',
      }),
    ),
    fairness: Type.Optional(
      literals(FAIRNESS_METRICS, 'A fairness metric over the groups of `group` (binary classifiers).'),
    ),
    group: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Sensitive-feature column of the predictions file (fairness).',
      }),
    ),
    'min-group-size': Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Groups with fewer rows are shown but left out of the fairness comparison (default: `fairness.min-group-size`).',
      }),
    ),
    drift: Type.Optional(
      literals(
        DRIFT_STATISTICS,
        'A drift statistic per feature column between `drift.reference` and `drift.current`; `drift-share` is the share of drifted columns.',
      ),
    ),
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Drift: the feature columns to check (default: every column listed under `drift`).',
      }),
    ),
    min: Type.Optional(Type.Number({ description: 'Value threshold: passes when value ≥ min (inclusive).' })),
    max: Type.Optional(Type.Number({ description: 'Value threshold: passes when value ≤ max (inclusive).' })),
    'max-regression': Type.Optional(ChangeBoundSchema),
    'min-improvement': Type.Optional(ChangeBoundSchema),
    direction: Type.Optional(
      literals(
        ['higher', 'lower'],
        'Whether a higher or a lower value is better; needed by change bounds on metrics whose direction is not known from the name.',
      ),
    ),
    significance: Type.Optional(SignificanceSchema),
    severity: Type.Optional(
      literals(['fail', 'warn'], '`fail` (default): a failure fails the gate. `warn`: it is reported only.'),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Exactly one of `metric`, `fairness` or `drift`, and at least one bound (`min`, `max`, `max-regression`, `min-improvement`).',
  },
);

/** How to read predictions files (candidate and baseline). */
export const PredictionsSchema = Type.Object(
  {
    label: Type.String({
      minLength: 1,
      description: 'Column of the true label (or target, for regression).',
    }),
    score: Type.Optional(
      Type.String({ minLength: 1, description: 'Binary classifiers: score of the positive class.' }),
    ),
    probabilities: Type.Optional(
      Type.Record(Type.String(), Type.String({ minLength: 1 }), {
        description: 'Multiclass classifiers: class label → column of its probability.',
      }),
    ),
    predicted: Type.Optional(Type.String({ minLength: 1, description: 'Column of the predicted class.' })),
    prediction: Type.Optional(
      Type.String({ minLength: 1, description: 'Regressors: column of the predicted value.' }),
    ),
    weight: Type.Optional(
      Type.String({ minLength: 1, description: 'Column of non-negative sample weights.' }),
    ),
    id: Type.Optional(
      Type.String({ minLength: 1, description: 'Row id column, used to pair candidate and baseline rows.' }),
    ),
    'positive-label': Type.Optional(
      Type.Union([Type.String(), Type.Number()], { description: 'Positive class of a binary problem.' }),
    ),
    threshold: Type.Optional(
      Type.Number({ description: 'Binary: predict positive when score ≥ threshold (default 0.5).' }),
    ),
    labels: Type.Optional(
      Type.Array(Type.Union([Type.String(), Type.Number()]), {
        description: 'Every class the model can predict, when a file may not show all of them.',
      }),
    ),
    'zero-division': Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1)], {
        description: "Value of precision/recall when undefined (sklearn's zero_division; default 0).",
      }),
    ),
    format: Type.Optional(
      literals(['csv', 'tsv', 'jsonl', 'parquet'], 'File format (default: from the file extension).'),
    ),
  },
  { additionalProperties: false, description: 'Columns of the predictions files.' },
);

/** Feature files compared by drift checks. */
export const DriftDataSchema = Type.Object(
  {
    reference: Type.String({ minLength: 1, description: 'Reference features file (e.g. the training set).' }),
    current: Type.String({ minLength: 1, description: 'Current features file (e.g. the evaluation set).' }),
    numeric: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Numeric feature columns.' }),
    ),
    categorical: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Categorical feature columns.' }),
    ),
    bins: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 1000,
        description: 'Bins of numeric PSI and Jensen–Shannon (default 30).',
      }),
    ),
    format: Type.Optional(
      literals(['csv', 'tsv', 'jsonl', 'parquet'], 'File format (default: from the file extension).'),
    ),
  },
  { additionalProperties: false, description: 'Paths are relative to the workspace.' },
);

/** JSON Schema of the gate spec. */
export const GateSpecSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Schema reference for editors; ignored.' })),
    gate: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
        description:
          'Gate name (default `model-gate`): one sticky comment and one report artifact (`gate-report-<gate>`) per gate.',
      }),
    ),
    predictions: Type.Optional(PredictionsSchema),
    slices: Type.Optional(
      Type.Object(
        {
          'min-size': Type.Optional(
            Type.Integer({
              minimum: 1,
              description:
                "Slices with fewer rows are listed but not evaluated (TFMA's min_slice_size; default 1).",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    fairness: Type.Optional(
      Type.Object(
        {
          'min-group-size': Type.Optional(
            Type.Integer({
              minimum: 1,
              description: 'Default minimum group size of fairness checks (default 30).',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    drift: Type.Optional(DriftDataSchema),
    significance: Type.Optional(
      Type.Object(
        {
          alpha: Type.Optional(
            Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Default level (0.05).' }),
          ),
          resamples: Type.Optional(
            Type.Integer({
              minimum: 100,
              maximum: 100_000,
              description: 'Bootstrap resamples (default 1000).',
            }),
          ),
          seed: Type.Optional(Type.Integer({ minimum: 0, description: 'Bootstrap seed (default 0).' })),
        },
        { additionalProperties: false },
      ),
    ),
    report: Type.Optional(
      Type.Object(
        {
          chart: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              maxItems: 3,
              description:
                'Metrics charted across recent gate runs (default: the metric of the first metric check).',
            }),
          ),
          history: Type.Optional(
            Type.Integer({
              minimum: 2,
              maximum: 50,
              description: 'Gate runs kept in the history (default 20).',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    checks: Type.Array(CheckSchema, {
      minItems: 1,
      description: 'The checks; a spec without checks is an error.',
    }),
  },
  {
    $id: GATE_SPEC_SCHEMA_ID,
    title: 'model-gate spec',
    description: 'What model-gate checks and how it reads the data.',
    additionalProperties: false,
  },
);

/** A gate spec as written (after schema validation). */
export type GateSpecInput = Static<typeof GateSpecSchema>;
/** One check as written. */
export type CheckInput = Static<typeof CheckSchema>;
/** A change bound as written. */
export type ChangeBoundInput = Static<typeof ChangeBoundSchema>;
