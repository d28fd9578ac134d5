/** `RetrainDecision`: what trigger-retrain decided, why, and what it dispatched. */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema } from './common.ts';

/** Reason codes of a retrain decision. */
export const RetrainReasonCode = Type.Union(
  [
    Type.Literal('NO_BASELINE'),
    Type.Literal('DATA_CHANGED'),
    Type.Literal('CODE_CHANGED'),
    Type.Literal('CONFIG_CHANGED'),
    Type.Literal('PARAMS_CHANGED'),
    Type.Literal('INPUTS_CHANGED'),
    Type.Literal('STALE'),
    Type.Literal('MANUAL_REQUEST'),
  ],
  {
    description:
      'NO_BASELINE: no successful training yet; DATA_CHANGED: a dataset hash differs (one reason per dataset); CODE_CHANGED / CONFIG_CHANGED: matched files differ; PARAMS_CHANGED: a tracked parameter differs (one reason per dotted key); INPUTS_CHANGED: the fingerprint differs but the baseline did not record which input; STALE: the last training is older than max-age; MANUAL_REQUEST: force.',
  },
);

/** One reason to retrain. */
export const RetrainReasonSchema = Type.Object(
  {
    code: RetrainReasonCode,
    detail: Type.String({ description: 'One line a reviewer understands.' }),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Machine-readable detail: {dataset, old, new}; {added, removed, modified}; {key, old, new, diff}; {trainedAt, ageMs, maxAgeMs}.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A tracked file and its git blob id. */
export const TrackedFileSchema = Type.Object(
  {
    path: Type.String({ description: 'POSIX path relative to the workspace.' }),
    blob: Type.String({ description: 'Git blob id of the content (the commit of a submodule).' }),
  },
  { additionalProperties: false },
);

/** What the fingerprint was computed from. */
export const RetrainInputsSchema = Type.Object(
  {
    datasets: Type.Record(Type.String(), Type.String(), { description: 'Dataset name → dataset hash.' }),
    code: Type.Array(TrackedFileSchema, { description: 'Files matched by code-paths, sorted by path.' }),
    config: Type.Array(TrackedFileSchema, { description: 'Files matched by config-paths, sorted by path.' }),
    params: Type.Record(Type.String(), Type.Unknown(), { description: 'Tracked parameters by dotted key.' }),
  },
  { additionalProperties: false },
);

const Digest = Type.String({ pattern: '^sha256:[0-9a-f]{64}$', description: 'Digest of the part only.' });

/** What a baseline recorded about its inputs: each part in full or as a digest (when it was too large). */
export const RecordedInputsSchema = Type.Object(
  {
    datasets: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Digest])),
    code: Type.Optional(Type.Union([Type.Array(TrackedFileSchema), Digest])),
    config: Type.Optional(Type.Union([Type.Array(TrackedFileSchema), Digest])),
    params: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Digest])),
  },
  { additionalProperties: false },
);

/** The last successful training the decision compared with. */
export const RetrainBaselineSchema = Type.Object(
  {
    source: Type.Union([Type.Literal('mlflow'), Type.Literal('lock')]),
    location: Type.String({ description: 'The MLflow tracking URI or the lock file path.' }),
    fingerprint: Type.Optional(Type.String()),
    trainedAt: Type.Optional(Type.String({ format: 'date-time' })),
    runId: Type.Optional(
      Type.String({ description: 'MLflow run id, or the engine run recorded in the lock file.' }),
    ),
    runUrl: Type.Optional(Type.String()),
    inputs: Type.Optional(RecordedInputsSchema),
  },
  { additionalProperties: false },
);

/** What was dispatched (or found already dispatched). */
export const RetrainDispatchSchema = Type.Object(
  {
    engine: Type.Union([
      Type.Literal('github-workflow'),
      Type.Literal('repository-dispatch'),
      Type.Literal('kubeflow'),
      Type.Literal('argo'),
      Type.Literal('mlflow'),
    ]),
    deduplicated: Type.Boolean({
      description: 'True when a run with this fingerprint was already pending, running or succeeded.',
    }),
    dispatchId: Type.Optional(Type.String({ description: 'Correlation id sent with the dispatch.' })),
    runId: Type.Optional(Type.String()),
    runUrl: Type.Optional(Type.String()),
    state: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('running'),
        Type.Literal('succeeded'),
        Type.Literal('failed'),
        Type.Literal('cancelled'),
      ]),
    ),
    conclusion: Type.Optional(
      Type.Union(
        [
          Type.Literal('success'),
          Type.Literal('failure'),
          Type.Literal('cancelled'),
          Type.Literal('timed_out'),
        ],
        { description: 'Set when the step waited for the run.' },
      ),
    ),
    error: Type.Optional(Type.String({ description: 'Why the dispatch failed.' })),
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
    baseline: Type.Union([Type.Null(), RetrainBaselineSchema], {
      description: 'null when no successful training was found.',
    }),
    dispatch: Type.Optional(RetrainDispatchSchema),
  },
);

/** What trigger-retrain decided, why, and what it dispatched. */
export type RetrainDecision = Static<typeof RetrainDecisionSchema>;
