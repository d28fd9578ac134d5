import { ah as Type, ai as readInputFile, E as parseStructured, U as UserError, a9 as checkSchema, aj as nearest, I as didYouMean, a8 as parseDocument, V as markdownTable, z as readContext, ak as pullRequestNumber, u as describeError, y as writeDocument, x as readDocument, X as documentProducer, al as upsertStickyComment, am as isForkPullRequest, an as toGitHubError, ao as SUITE_VERSION, l as runStep, p as setOutputs, K as getOptionalInput, P as getBooleanInput, O as getChoiceInput, J as getInput, b as debug, f as error, w as warning, i as info, Y as appendJobSummary, Z as publishDocument, ap as fetchDocument, _ as createGitHubClient, q as setFailed } from '../../../dist/shared.js';
import 'node:crypto';
import 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import 'node:zlib';
import 'node:os';
import { p as parseModelUri, M as MlflowAliasNotFoundError, b as MlflowNotFoundError, c as createMlflowClient } from '../../../dist/shared-canary-rollout_model-gate_trigger-retrain.js';
import 'node:url';
import { M as METRIC_DIRECTIONS, r as readPredictions, d as drift, m as mcnemar, a as delong, p as pairedBootstrap, b as MetricsError, c as regressionMetrics, e as classificationMetrics, s as sliceMetrics, f as fairness, g as readFeatures } from '../../../dist/shared-model-gate.js';
import 'path';
import 'process';
import 'buffer';
import 'os';
import 'crypto';
import 'fs';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:child_process';
import 'node:util';

const GATE_SPEC_SCHEMA_ID = "urn:modelops-actions:schema:GateSpec:1";
const Percentage = Type.String({
  pattern: "^[0-9]+(\\.[0-9]+)?%$",
  description: "A percentage of the baseline value, e.g. `2%`."
});
const ChangeBoundSchema = Type.Union(
  [
    Type.Number({ minimum: 0, description: "An absolute amount of the metric, e.g. `0.01`." }),
    Percentage,
    Type.Object(
      {
        absolute: Type.Optional(Type.Number({ minimum: 0, description: "Absolute amount." })),
        relative: Type.Optional(
          Type.Union([
            Type.Number({ minimum: 0, description: "Fraction of the baseline, e.g. 0.02." }),
            Percentage
          ])
        )
      },
      {
        additionalProperties: false,
        minProperties: 1,
        description: "Both bounds must hold when both are given (TFMA change threshold)."
      }
    )
  ],
  {
    description: "A number is an absolute amount (`0.01`), a percentage string a relative one (`2%` of the baseline); `{absolute, relative}` requires both."
  }
);
const FAIRNESS_METRICS = [
  "demographic-parity-difference",
  "demographic-parity-ratio",
  "equalized-odds-difference",
  "equalized-odds-ratio",
  "equal-opportunity-difference",
  "equal-opportunity-ratio",
  "false-positive-rate-difference",
  "false-positive-rate-ratio"
];
const DRIFT_STATISTICS = [
  "psi",
  "jensen-shannon",
  "wasserstein",
  "wasserstein-normed",
  "ks-statistic",
  "ks-p-value",
  "chi-square",
  "chi-square-p-value",
  "drift-share"
];
const SIGNIFICANCE_TESTS = ["mcnemar", "delong", "bootstrap"];
const literals = (values, description) => Type.Union(
  values.map((value) => Type.Literal(value)),
  { description }
);
const SignificanceSchema = Type.Object(
  {
    test: literals(
      SIGNIFICANCE_TESTS,
      "`mcnemar` (accuracy; exact binomial test on the rows the models disagree on), `delong` (roc_auc), or `bootstrap` (any resampleable metric; paired percentile interval)."
    ),
    alpha: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description: "Significance level (default: `significance.alpha` of the spec, else 0.05)."
      })
    ),
    mode: Type.Optional(
      literals(
        ["regression", "improvement"],
        "`regression` (default): a change beyond the bound fails only when it is significant. `improvement`: the candidate must also be significantly better than the baseline."
      )
    )
  },
  {
    additionalProperties: false,
    description: "Compare candidate and baseline predictions on the same rows. Needs a predictions file for both (`predictions` and `baseline` inputs)."
  }
);
const CheckSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "Shown in the comment and in the `failed` output; unique within the spec."
    }),
    metric: Type.Optional(
      Type.String({
        minLength: 1,
        description: "A model metric: `accuracy`, `roc_auc`, `f1`, `log_loss`, `rmse`, \u2026 (see docs/model-gate.md), or any metric key of a metrics file or MLflow run."
      })
    ),
    slice: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Evaluate the metric on a slice: `region=eu`, `region=eu&device=ios`, or every slice of columns: `region`, `region&device`."
      })
    ),
    fairness: Type.Optional(
      literals(FAIRNESS_METRICS, "A fairness metric over the groups of `group` (binary classifiers).")
    ),
    group: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Sensitive-feature column of the predictions file (fairness)."
      })
    ),
    "min-group-size": Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "Groups with fewer rows are shown but left out of the fairness comparison (default: `fairness.min-group-size`)."
      })
    ),
    drift: Type.Optional(
      literals(
        DRIFT_STATISTICS,
        "A drift statistic per feature column between `drift.reference` and `drift.current`; `drift-share` is the share of drifted columns."
      )
    ),
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: "Drift: the feature columns to check (default: every column listed under `drift`)."
      })
    ),
    min: Type.Optional(Type.Number({ description: "Value threshold: passes when value \u2265 min (inclusive)." })),
    max: Type.Optional(Type.Number({ description: "Value threshold: passes when value \u2264 max (inclusive)." })),
    "max-regression": Type.Optional(ChangeBoundSchema),
    "min-improvement": Type.Optional(ChangeBoundSchema),
    direction: Type.Optional(
      literals(
        ["higher", "lower"],
        "Whether a higher or a lower value is better; needed by change bounds on metrics whose direction is not known from the name."
      )
    ),
    significance: Type.Optional(SignificanceSchema),
    severity: Type.Optional(
      literals(["fail", "warn"], "`fail` (default): a failure fails the gate. `warn`: it is reported only.")
    )
  },
  {
    additionalProperties: false,
    description: "Exactly one of `metric`, `fairness` or `drift`, and at least one bound (`min`, `max`, `max-regression`, `min-improvement`)."
  }
);
const PredictionsSchema = Type.Object(
  {
    label: Type.String({
      minLength: 1,
      description: "Column of the true label (or target, for regression)."
    }),
    score: Type.Optional(
      Type.String({ minLength: 1, description: "Binary classifiers: score of the positive class." })
    ),
    probabilities: Type.Optional(
      Type.Record(Type.String(), Type.String({ minLength: 1 }), {
        description: "Multiclass classifiers: class label \u2192 column of its probability."
      })
    ),
    predicted: Type.Optional(Type.String({ minLength: 1, description: "Column of the predicted class." })),
    prediction: Type.Optional(
      Type.String({ minLength: 1, description: "Regressors: column of the predicted value." })
    ),
    weight: Type.Optional(
      Type.String({ minLength: 1, description: "Column of non-negative sample weights." })
    ),
    id: Type.Optional(
      Type.String({ minLength: 1, description: "Row id column, used to pair candidate and baseline rows." })
    ),
    "positive-label": Type.Optional(
      Type.Union([Type.String(), Type.Number()], { description: "Positive class of a binary problem." })
    ),
    threshold: Type.Optional(
      Type.Number({ description: "Binary: predict positive when score \u2265 threshold (default 0.5)." })
    ),
    labels: Type.Optional(
      Type.Array(Type.Union([Type.String(), Type.Number()]), {
        description: "Every class the model can predict, when a file may not show all of them."
      })
    ),
    "zero-division": Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1)], {
        description: "Value of precision/recall when undefined (sklearn's zero_division; default 0)."
      })
    ),
    format: Type.Optional(
      literals(["csv", "tsv", "jsonl", "parquet"], "File format (default: from the file extension).")
    )
  },
  { additionalProperties: false, description: "Columns of the predictions files." }
);
const DriftDataSchema = Type.Object(
  {
    reference: Type.String({ minLength: 1, description: "Reference features file (e.g. the training set)." }),
    current: Type.String({ minLength: 1, description: "Current features file (e.g. the evaluation set)." }),
    numeric: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: "Numeric feature columns." })
    ),
    categorical: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: "Categorical feature columns." })
    ),
    bins: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 1e3,
        description: "Bins of numeric PSI and Jensen\u2013Shannon (default 30)."
      })
    ),
    format: Type.Optional(
      literals(["csv", "tsv", "jsonl", "parquet"], "File format (default: from the file extension).")
    )
  },
  { additionalProperties: false, description: "Paths are relative to the workspace." }
);
const GateSpecSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: "Schema reference for editors; ignored." })),
    gate: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        description: "Gate name (default `model-gate`): one sticky comment and one report artifact (`gate-report-<gate>`) per gate."
      })
    ),
    predictions: Type.Optional(PredictionsSchema),
    slices: Type.Optional(
      Type.Object(
        {
          "min-size": Type.Optional(
            Type.Integer({
              minimum: 1,
              description: "Slices with fewer rows are listed but not evaluated (TFMA's min_slice_size; default 1)."
            })
          )
        },
        { additionalProperties: false }
      )
    ),
    fairness: Type.Optional(
      Type.Object(
        {
          "min-group-size": Type.Optional(
            Type.Integer({
              minimum: 1,
              description: "Default minimum group size of fairness checks (default 30)."
            })
          )
        },
        { additionalProperties: false }
      )
    ),
    drift: Type.Optional(DriftDataSchema),
    significance: Type.Optional(
      Type.Object(
        {
          alpha: Type.Optional(
            Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: "Default level (0.05)." })
          ),
          resamples: Type.Optional(
            Type.Integer({
              minimum: 100,
              maximum: 1e5,
              description: "Bootstrap resamples (default 1000)."
            })
          ),
          seed: Type.Optional(Type.Integer({ minimum: 0, description: "Bootstrap seed (default 0)." }))
        },
        { additionalProperties: false }
      )
    ),
    report: Type.Optional(
      Type.Object(
        {
          chart: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              maxItems: 3,
              description: "Metrics charted across recent gate runs (default: the metric of the first metric check)."
            })
          ),
          history: Type.Optional(
            Type.Integer({
              minimum: 2,
              maximum: 50,
              description: "Gate runs kept in the history (default 20)."
            })
          )
        },
        { additionalProperties: false }
      )
    ),
    checks: Type.Array(CheckSchema, {
      minItems: 1,
      description: "The checks; a spec without checks is an error."
    })
  },
  {
    $id: GATE_SPEC_SCHEMA_ID,
    title: "model-gate spec",
    description: "What model-gate checks and how it reads the data.",
    additionalProperties: false
  }
);

function sliceKey(slice) {
  return Object.entries(slice).map(([column, value]) => `${column}=${value}`).join("&");
}
function parseSliceKey(key) {
  const out = {};
  for (const part of key.split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return void 0;
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
function metricKey(metric, slice) {
  if (slice === void 0) return metric;
  return `${metric}/${typeof slice === "string" ? slice : sliceKey(slice)}`;
}
function fairnessKey(group, metric) {
  return `fairness/${group}/${metric}`;
}
function driftKey(statistic, column) {
  return column === void 0 ? `drift/${statistic}` : `drift/${column}/${statistic}`;
}
function snake(name) {
  return name.replace(/-/g, "_");
}
function slicesInMap(metrics, metric, columns) {
  const prefix = `${metric}/`;
  const wanted = [...columns].sort().join("\0");
  const out = [];
  for (const key of Object.keys(metrics)) {
    if (!key.startsWith(prefix)) continue;
    const slice = parseSliceKey(key.slice(prefix.length));
    if (!slice || Object.keys(slice).sort().join("\0") !== wanted) continue;
    const ordered = {};
    for (const column of columns) ordered[column] = slice[column];
    out.push(ordered);
  }
  return out.sort((a, b) => sliceKey(a) < sliceKey(b) ? -1 : sliceKey(a) > sliceKey(b) ? 1 : 0);
}
const LOWER_IS_BETTER = /(^|[_./-])(loss|log_loss|error|err|mae|mse|rmse|mape|brier|ece|latency|latency_ms|latency_s|cost|fpr|fnr)$/i;
const HIGHER_IS_BETTER = /(^|[_./-])(accuracy|acc|auc|roc_auc|pr_auc|precision|recall|f1|f1_score|r2|average_precision|ap|tpr|tnr|specificity|sensitivity)$/i;
function metricDirection(metric) {
  const known = METRIC_DIRECTIONS[metric];
  if (known) return known;
  if (LOWER_IS_BETTER.test(metric)) return "lower";
  if (HIGHER_IS_BETTER.test(metric)) return "higher";
  return void 0;
}
function fairnessDirection(metric) {
  return metric.endsWith("ratio") ? "higher" : "lower";
}
function driftDirection(statistic) {
  return statistic.endsWith("p_value") || statistic.endsWith("p-value") ? "higher" : "lower";
}
const RESAMPLEABLE_METRICS = [
  "accuracy",
  ...["precision", "recall", "f1"].flatMap((m) => [m, `${m}_macro`, `${m}_micro`, `${m}_weighted`]),
  "roc_auc",
  "average_precision",
  "log_loss",
  "brier",
  "mae",
  "mse",
  "rmse",
  "r2",
  "mape"
];

const DEFAULT_GATE_NAME = "model-gate";
const DEFAULT_MIN_GROUP_SIZE = 30;
const DEFAULT_ALPHA = 0.05;
function specError(problems, source) {
  const shown = problems.slice(0, 8).map((p) => `at ${p.pointer}: ${p.message}`);
  const more = problems.length > 8 ? ` (and ${problems.length - 8} more)` : "";
  return new UserError(`Invalid gate spec: ${shown.join("; ")}${more}.`, {
    input: source.input ?? "spec",
    ...source.file === void 0 ? {} : { file: source.file },
    fix: `Correct the spec at the JSON pointer shown; every key is described in docs/gate-spec.md (schema ${GATE_SPEC_SCHEMA_ID}).`
  });
}
async function readGateSpec(file, source = {}) {
  const text = await readInputFile(file, {
    input: source.input ?? "spec",
    what: "gate spec",
    fix: "Check the path (relative to the workspace) and that the file is checked out."
  });
  const value = parseStructured(text, { input: source.input ?? "spec", file, what: "gate spec" });
  return parseGateSpec(value, { ...source, file });
}
function parseGateSpec(value, source = {}) {
  if (value === null || value === void 0) {
    throw new UserError("The gate spec is empty.", {
      input: source.input ?? "spec",
      ...source.file === void 0 ? {} : { file: source.file },
      fix: "Write at least one check under `checks:` (see docs/gate-spec.md)."
    });
  }
  const raw = value;
  if (typeof raw === "object" && !Array.isArray(raw) && (raw.checks === void 0 || Array.isArray(raw.checks) && raw.checks.length === 0)) {
    throw new UserError("The gate spec has no checks, so the gate could not refuse anything.", {
      input: source.input ?? "spec",
      ...source.file === void 0 ? {} : { file: source.file },
      fix: "Add at least one check under `checks:`, e.g. `- {name: auc, metric: roc_auc, min: 0.8}`."
    });
  }
  const problems = refineProblems(checkSchema(GateSpecSchema, value));
  if (problems.length > 0) throw specError(problems, source);
  const spec = value;
  const semantic = [];
  const checks = spec.checks.map((check, index) => normaliseCheck(check, `/checks/${index}`, spec, semantic));
  crossCheck(spec, checks, semantic);
  if (semantic.length > 0) throw specError(semantic, source);
  const firstMetric = checks.find((check) => check.kind === "metric" && !check.slice);
  return {
    gate: spec.gate ?? DEFAULT_GATE_NAME,
    ...spec.predictions ? { predictions: normalisePredictions(spec.predictions) } : {},
    sliceMinSize: spec.slices?.["min-size"] ?? 1,
    ...spec.drift ? {
      drift: {
        reference: spec.drift.reference,
        current: spec.drift.current,
        numeric: spec.drift.numeric ?? [],
        categorical: spec.drift.categorical ?? [],
        ...spec.drift.bins === void 0 ? {} : { bins: spec.drift.bins },
        ...spec.drift.format === void 0 ? {} : { format: spec.drift.format }
      }
    } : {},
    chart: spec.report?.chart ?? (firstMetric ? [firstMetric.metric] : []),
    historyLength: spec.report?.history ?? 20,
    checks
  };
}
const CHANGE_BOUND_HINT = 'expected an absolute amount (a number \u2265 0, e.g. 0.01), a relative one (a string such as "2%") or {absolute, relative}';
function refineProblems(problems) {
  const out = [];
  const changeBoundPointers = /* @__PURE__ */ new Set();
  for (const problem of problems) {
    const unknown = /^unknown key '(.+?)'\.(?: Did you mean '.+?'\?)? Allowed: (.*)$/.exec(problem.message);
    if (unknown) {
      const [, key = "", list = ""] = unknown;
      const suggestion = nearest(key, list.split(", "), 1)[0];
      out.push({
        pointer: problem.pointer,
        message: `unknown key '${key}'.${suggestion ? ` Did you mean '${suggestion}'?` : ""} Allowed: ${list}`
      });
      continue;
    }
    if (/\/(max-regression|min-improvement)(\/relative)?$/.test(problem.pointer)) {
      if (changeBoundPointers.has(problem.pointer)) continue;
      changeBoundPointers.add(problem.pointer);
      const got = /got (.*?)\)?$/.exec(problem.message)?.[1];
      out.push({ pointer: problem.pointer, message: `${CHANGE_BOUND_HINT}${got ? `, got ${got}` : ""}` });
      continue;
    }
    out.push(problem);
  }
  return out;
}
function normalisePredictions(p) {
  return {
    label: p.label,
    ...p.score === void 0 ? {} : { score: p.score },
    ...p.probabilities === void 0 ? {} : { probabilities: p.probabilities },
    ...p.predicted === void 0 ? {} : { predicted: p.predicted },
    ...p.prediction === void 0 ? {} : { prediction: p.prediction },
    ...p.weight === void 0 ? {} : { weight: p.weight },
    ...p.id === void 0 ? {} : { id: p.id },
    ...p["positive-label"] === void 0 ? {} : { positiveLabel: p["positive-label"] },
    ...p.threshold === void 0 ? {} : { threshold: p.threshold },
    ...p.labels === void 0 ? {} : { labels: p.labels },
    ...p["zero-division"] === void 0 ? {} : { zeroDivision: p["zero-division"] },
    ...p.format === void 0 ? {} : { format: p.format }
  };
}
function parseSliceSelector(text) {
  const parts = text.split("&").map((part) => part.trim());
  if (parts.some((part) => part === "")) return `'${text}' has an empty part between '&'`;
  const withValue = parts.filter((part) => part.includes("="));
  if (withValue.length === parts.length) {
    const slice = {};
    for (const part of parts) {
      const eq = part.indexOf("=");
      const column = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (column === "" || value === "") return `'${part}' must be column=value with both sides non-empty`;
      if (column in slice) return `column '${column}' appears twice`;
      slice[column] = value;
    }
    return { kind: "one", slice };
  }
  if (withValue.length === 0) {
    if (new Set(parts).size !== parts.length) return "a column appears twice";
    return { kind: "every", columns: parts };
  }
  return `'${text}' mixes column=value and bare columns; write either region=eu&device=ios or region&device`;
}
function changeBound(kind, input) {
  const percent = (text) => Number(text.slice(0, -1)) / 100;
  if (typeof input === "number") return { kind, absolute: input };
  if (typeof input === "string") return { kind, relative: percent(input) };
  return {
    kind,
    ...input.absolute === void 0 ? {} : { absolute: input.absolute },
    ...input.relative === void 0 ? {} : { relative: typeof input.relative === "string" ? percent(input.relative) : input.relative }
  };
}
function normaliseCheck(check, pointer, spec, problems) {
  const problem = (message, at = pointer) => problems.push({ pointer: at, message });
  const subjects = ["metric", "fairness", "drift"].filter((key) => check[key] !== void 0);
  if (subjects.length !== 1) {
    problem(
      subjects.length === 0 ? `check '${check.name}' names nothing to check: add one of \`metric\`, \`fairness\` or \`drift\`` : `check '${check.name}' has ${subjects.map((s) => `\`${s}\``).join(" and ")}: a check has exactly one of them (write one check each)`
    );
  }
  const kind = subjects[0] ?? "metric";
  const onlyWith = (key, subject) => {
    if (check[key] !== void 0 && kind !== subject) {
      problem(`\`${key}\` only applies to \`${subject}\` checks`, `${pointer}/${key}`);
    }
  };
  onlyWith("slice", "metric");
  onlyWith("group", "fairness");
  onlyWith("min-group-size", "fairness");
  onlyWith("columns", "drift");
  onlyWith("significance", "metric");
  const metric = kind === "metric" ? check.metric ?? "" : kind === "fairness" ? snake(check.fairness ?? "") : snake(check.drift ?? "");
  let slice;
  if (check.slice !== void 0 && kind === "metric") {
    const parsed = parseSliceSelector(check.slice);
    if (typeof parsed === "string") problem(`invalid slice: ${parsed}`, `${pointer}/slice`);
    else slice = parsed;
  }
  if (kind === "fairness" && check.group === void 0) {
    problem(
      `fairness check '${check.name}' needs \`group\`: the sensitive-feature column (e.g. \`group: gender\`)`
    );
  }
  if (kind === "metric" && metric.startsWith("fairness/")) {
    problem(
      `write fairness bounds as \`fairness: <metric>\` with \`group: <column>\`, not as a metric key`,
      `${pointer}/metric`
    );
  }
  const change = check["max-regression"] !== void 0 ? changeBound("max-regression", check["max-regression"]) : check["min-improvement"] !== void 0 ? changeBound("min-improvement", check["min-improvement"]) : void 0;
  if (check["max-regression"] !== void 0 && check["min-improvement"] !== void 0) {
    problem(
      "`max-regression` and `min-improvement` contradict each other on one check: keep one (a regression allowance, or a required improvement)"
    );
  }
  const significanceMode = check.significance?.mode ?? "regression";
  const hasBound = check.min !== void 0 || check.max !== void 0 || change !== void 0 || check.significance !== void 0 && significanceMode === "improvement";
  if (!hasBound) {
    problem(
      `check '${check.name}' has no bound, so it could never fail: add \`min\`, \`max\`, \`max-regression\` or \`min-improvement\``
    );
  }
  if (check.min !== void 0 && check.max !== void 0 && check.min > check.max) {
    problem(`min ${check.min} is greater than max ${check.max}: no value could pass`, `${pointer}/min`);
  }
  let direction = check.direction;
  if (direction === void 0) {
    direction = kind === "metric" ? metricDirection(metric) : kind === "fairness" ? fairnessDirection(metric) : driftDirection(metric);
  }
  const needsDirection = change !== void 0 || check.significance !== void 0;
  if (needsDirection && direction === void 0) {
    problem(
      `cannot tell whether a higher '${metric}' is better, which a comparison with the baseline needs: add \`direction: higher\` or \`direction: lower\``
    );
  }
  let significance;
  if (check.significance !== void 0 && kind === "metric") {
    const test = check.significance.test;
    if (slice !== void 0) {
      problem(
        "significance is computed on the whole test set: remove `slice` or `significance`",
        `${pointer}/significance`
      );
    }
    if (test === "mcnemar" && metric !== "accuracy") {
      problem(
        `McNemar's test compares error rates, so it fits \`metric: accuracy\` only (got '${metric}'): use \`test: bootstrap\``,
        `${pointer}/significance/test`
      );
    }
    if (test === "delong" && metric !== "roc_auc") {
      problem(
        `DeLong's test compares ROC AUCs, so it fits \`metric: roc_auc\` only (got '${metric}'): use \`test: bootstrap\``,
        `${pointer}/significance/test`
      );
    }
    if (test === "bootstrap" && !RESAMPLEABLE_METRICS.includes(metric)) {
      problem(
        `the bootstrap cannot resample '${metric}'.${didYouMean(metric, RESAMPLEABLE_METRICS)} Resampleable: ${RESAMPLEABLE_METRICS.join(", ")}`,
        `${pointer}/metric`
      );
    }
    significance = {
      test,
      alpha: check.significance.alpha ?? spec.significance?.alpha ?? DEFAULT_ALPHA,
      mode: significanceMode,
      resamples: spec.significance?.resamples ?? 1e3,
      seed: spec.significance?.seed ?? 0
    };
  }
  if (kind === "drift") {
    if (!spec.drift) {
      problem(
        "drift checks need the feature files: add `drift: {reference: <file>, current: <file>, numeric: [...]}`"
      );
    } else {
      const configured = [...spec.drift.numeric ?? [], ...spec.drift.categorical ?? []];
      if (configured.length === 0) {
        problem(
          "list the feature columns to compare under `drift.numeric` and/or `drift.categorical`",
          "/drift"
        );
      }
      (check.columns ?? []).forEach((column, index) => {
        if (!configured.includes(column)) {
          problem(
            `column '${column}' is not listed under \`drift.numeric\` or \`drift.categorical\`.${didYouMean(column, configured)}`,
            `${pointer}/columns/${index}`
          );
        }
      });
      if (metric === "drift_share" && check.columns !== void 0) {
        problem("`drift-share` is over every configured column: remove `columns`", `${pointer}/columns`);
      }
    }
  }
  return {
    name: check.name,
    pointer,
    kind,
    metric,
    ...slice ? { slice } : {},
    ...kind === "fairness" && check.group !== void 0 ? { group: check.group } : {},
    ...kind === "fairness" ? {
      minGroupSize: check["min-group-size"] ?? spec.fairness?.["min-group-size"] ?? DEFAULT_MIN_GROUP_SIZE
    } : {},
    ...kind === "drift" && metric !== "drift_share" ? { columns: check.columns ?? [...spec.drift?.numeric ?? [], ...spec.drift?.categorical ?? []] } : {},
    ...check.min === void 0 ? {} : { min: check.min },
    ...check.max === void 0 ? {} : { max: check.max },
    ...change ? { change } : {},
    ...direction ? { direction } : {},
    ...significance ? { significance } : {},
    severity: check.severity ?? "fail"
  };
}
function crossCheck(spec, checks, problems) {
  const seen = /* @__PURE__ */ new Map();
  for (const check of checks) {
    const first = seen.get(check.name);
    if (first !== void 0) {
      problems.push({
        pointer: `${check.pointer}/name`,
        message: `check name '${check.name}' is already used at ${first}; names identify checks in the comment and outputs`
      });
    } else seen.set(check.name, check.pointer);
  }
  const groupSizes = /* @__PURE__ */ new Map();
  for (const check of checks) {
    if (check.kind !== "fairness" || check.group === void 0 || check.minGroupSize === void 0) continue;
    const first = groupSizes.get(check.group);
    if (first && first.size !== check.minGroupSize) {
      problems.push({
        pointer: `${check.pointer}/min-group-size`,
        message: `group '${check.group}' already has min-group-size ${first.size} at ${first.pointer}: use one size per group column`
      });
    } else if (!first) groupSizes.set(check.group, { size: check.minGroupSize, pointer: check.pointer });
  }
  const p = spec.predictions;
  if (p) {
    const kinds = [p.score && "score", p.probabilities && "probabilities", p.predicted && "predicted"].filter(
      Boolean
    );
    if (p.prediction !== void 0 && kinds.length > 0) {
      problems.push({
        pointer: "/predictions",
        message: `\`prediction\` (regression) cannot be combined with ${kinds.map((k) => `\`${k}\``).join(", ")} (classification)`
      });
    }
    if (p.prediction === void 0 && kinds.length === 0) {
      problems.push({
        pointer: "/predictions",
        message: "name the prediction column: `score` (binary), `probabilities` or `predicted` (classification), or `prediction` (regression)"
      });
    }
  }
}

function asUserError(error, origin) {
  if (!(error instanceof MetricsError)) return error;
  const problem = error.message.endsWith(error.fix) ? error.message.slice(0, -error.fix.length).trim() : error.message;
  return new UserError(problem, {
    input: origin.input,
    ...origin.file === void 0 ? {} : { file: origin.file },
    fix: error.fix,
    cause: error
  });
}
function classificationOptions(p) {
  return {
    ...p.positiveLabel === void 0 ? {} : { positiveLabel: p.positiveLabel },
    ...p.threshold === void 0 ? {} : { threshold: p.threshold },
    ...p.zeroDivision === void 0 ? {} : { zeroDivision: p.zeroDivision }
  };
}
function sliceCombos(checks) {
  const seen = /* @__PURE__ */ new Map();
  for (const check of checks) {
    if (!check.slice) continue;
    const combo = check.slice.kind === "one" ? Object.keys(check.slice.slice) : check.slice.columns;
    seen.set(combo.join("\0"), combo);
  }
  return [...seen.values()];
}
function fairnessGroups(checks) {
  const groups = /* @__PURE__ */ new Map();
  for (const check of checks) {
    if (check.kind === "fairness" && check.group !== void 0)
      groups.set(check.group, check.minGroupSize ?? 1);
  }
  return groups;
}
async function computeFromPredictions(file, spec, origin) {
  const columns = spec.predictions;
  if (!columns) {
    throw new UserError(`A predictions file was given, but the spec does not say which columns hold what.`, {
      input: "spec",
      fix: "Add `predictions: {label: <column>, score: <column>}` to the spec (see docs/gate-spec.md)."
    });
  }
  const combos = sliceCombos(spec.checks);
  const groups = fairnessGroups(spec.checks);
  const groupColumns = [.../* @__PURE__ */ new Set([...combos.flat(), ...groups.keys()])];
  const mapping = {
    label: columns.label,
    ...columns.score === void 0 ? {} : { score: columns.score },
    ...columns.probabilities === void 0 ? {} : { probabilities: columns.probabilities },
    ...columns.predicted === void 0 ? {} : { predicted: columns.predicted },
    ...columns.prediction === void 0 ? {} : { prediction: columns.prediction },
    ...columns.weight === void 0 ? {} : { weight: columns.weight },
    ...columns.id === void 0 ? {} : { id: columns.id },
    ...groupColumns.length > 0 ? { groups: groupColumns } : {}
  };
  const absolute = path.resolve(origin.cwd, file);
  const where = { input: origin.input, file };
  let table;
  try {
    table = await readPredictions(absolute, mapping, {
      ...columns.format === void 0 ? {} : { format: columns.format },
      ...columns.labels === void 0 ? {} : { labels: columns.labels }
    });
  } catch (error) {
    throw asUserError(error, where);
  }
  try {
    return metricsOf(table, spec, columns, combos, groups);
  } catch (error) {
    throw asUserError(error, where);
  }
}
function metricsOf(table, spec, columns, combos, groups) {
  const options = classificationOptions(columns);
  const metrics = {};
  const undefinedReasons = {};
  const overall = table.task === "regression" ? regressionMetrics(table) : classificationMetrics(table, options);
  Object.assign(metrics, overall.metrics);
  Object.assign(undefinedReasons, overall.undefinedReasons);
  const task = overall.task;
  const skippedSlices = [];
  if (combos.length > 0) {
    const report = sliceMetrics(table, {
      ...options,
      by: combos.filter((combo) => combo.length === 1).map((combo) => combo[0]),
      crossed: combos.filter((combo) => combo.length > 1),
      minSize: spec.sliceMinSize
    });
    for (const slice of report.slices) {
      if (!slice.report) {
        skippedSlices.push({ key: slice.key, rows: slice.rows });
        continue;
      }
      for (const [metric, value] of Object.entries(slice.report.metrics))
        metrics[metricKey(metric, slice.key)] = value;
      for (const [metric, reason] of Object.entries(slice.report.undefinedReasons)) {
        undefinedReasons[metricKey(metric, slice.key)] = reason;
      }
    }
  }
  const details = [];
  for (const [group, minGroupSize] of groups) {
    if (table.task !== "classification") {
      throw new UserError(
        `Fairness checks on '${group}' need a binary classifier, but the predictions are a regression.`,
        {
          input: "spec",
          fix: "Remove the fairness checks, or give a classifier\u2019s predictions (`score` or `predicted`)."
        }
      );
    }
    const report = fairness(table, { ...options, group, minGroupSize });
    for (const [metric, value] of Object.entries(report.metrics)) metrics[fairnessKey(group, metric)] = value;
    for (const [metric, reason] of Object.entries(report.undefinedReasons)) {
      undefinedReasons[fairnessKey(group, metric)] = reason;
    }
    details.push({
      group,
      minGroupSize,
      positiveLabel: report.positiveLabel,
      groups: report.groups.map((g) => ({
        group: g.group,
        rows: g.rows,
        selectionRate: g.selectionRate,
        truePositiveRate: g.truePositiveRate,
        falsePositiveRate: g.falsePositiveRate,
        excluded: g.excluded
      })),
      metrics: report.metrics
    });
  }
  return {
    set: {
      metrics,
      undefinedReasons,
      skippedSlices: Object.fromEntries(skippedSlices.map((s) => [s.key, s.rows])),
      complete: true
    },
    table,
    task,
    rows: table.rows,
    fairness: details,
    skippedSlices
  };
}
async function computeDrift(config, cwd) {
  const features = { numeric: config.numeric, categorical: config.categorical };
  const read = async (file, key) => {
    try {
      return await readFeatures(path.resolve(cwd, file), features, {
        ...config.format === void 0 ? {} : { format: config.format }
      });
    } catch (error) {
      throw asUserError(error, { input: "spec", file: `${file} (drift.${key})` });
    }
  };
  const reference = await read(config.reference, "reference");
  const current = await read(config.current, "current");
  let report;
  try {
    report = drift(reference, current, { ...config.bins === void 0 ? {} : { bins: config.bins } });
  } catch (error) {
    throw asUserError(error, { input: "spec" });
  }
  const metrics = { [driftKey("drift_share")]: report.driftShare };
  const undefinedReasons = {};
  for (const column of report.columns) {
    for (const [statistic, value] of Object.entries(column.stats))
      metrics[driftKey(statistic, column.column)] = value;
    for (const [statistic, reason] of Object.entries(column.undefinedReasons)) {
      undefinedReasons[driftKey(statistic, column.column)] = reason;
    }
  }
  return {
    metrics,
    undefinedReasons,
    driftShare: report.driftShare,
    columns: report.columns.map((c) => ({
      column: c.column,
      type: c.type,
      test: c.test,
      value: c.value,
      threshold: c.threshold,
      drifted: c.drifted,
      stats: c.stats
    }))
  };
}
function significanceOf(check, candidate, baseline, columns) {
  const sig = check.significance;
  if (!sig) throw new Error(`internal: check '${check.name}' has no significance settings`);
  const head = { test: sig.test, alpha: sig.alpha, mode: sig.mode };
  const none = (note) => ({
    ...head,
    pValue: null,
    difference: null,
    significant: null,
    better: null,
    note
  });
  if (!baseline) return none("the test needs the baseline as a predictions file (baseline: <file>)");
  const options = classificationOptions(columns);
  const higher = check.direction !== "lower";
  const sideOf = (difference) => difference === null || difference === 0 ? null : higher ? difference > 0 : difference < 0;
  try {
    if (sig.test === "mcnemar") {
      if (candidate.task !== "classification" || baseline.task !== "classification") {
        return none("McNemar's test needs classifiers");
      }
      const result2 = mcnemar(candidate, baseline, options);
      const difference = result2.candidateAccuracy - result2.baselineAccuracy;
      return {
        ...head,
        pValue: result2.exactP,
        difference,
        significant: result2.exactP < sig.alpha,
        better: sideOf(difference)
      };
    }
    if (sig.test === "delong") {
      if (candidate.task !== "classification" || baseline.task !== "classification") {
        return none("DeLong's test needs binary classifiers with a score");
      }
      const result2 = delong(candidate, baseline, { ...options, confidence: 1 - sig.alpha });
      if (result2.pValue === null) return none(result2.reason ?? "DeLong\u2019s test is undefined here");
      return {
        ...head,
        pValue: result2.pValue,
        lower: result2.lower,
        upper: result2.upper,
        difference: result2.difference,
        significant: result2.pValue < sig.alpha,
        better: sideOf(result2.difference)
      };
    }
    const result = pairedBootstrap(candidate, baseline, {
      ...options,
      metric: check.metric,
      resamples: sig.resamples,
      seed: sig.seed,
      confidence: 1 - sig.alpha
    });
    if (result.lower === null || result.upper === null) return none("the bootstrap interval is undefined");
    const significant = result.lower > 0 || result.upper < 0;
    return {
      ...head,
      pValue: null,
      lower: result.lower,
      upper: result.upper,
      difference: result.difference,
      significant,
      better: significant ? sideOf(result.lower > 0 ? 1 : -1) : sideOf(result.difference)
    };
  } catch (error) {
    if (error instanceof MetricsError) return none(`${error.message}`);
    throw error;
  }
}

function formatNumber(value) {
  if (value === null || value === void 0) return "\u2014";
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2).replace("e+", "e");
  return String(Number(value.toFixed(4)));
}
function formatSigned(value) {
  if (value === null || value === void 0) return "\u2014";
  const text = formatNumber(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `\u2212${text}` : "0";
}
function formatPercent(fraction) {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}
function inert(text, maxLength = 200) {
  const flat = text.replace(/[\r\n\t]+/g, " ");
  const short = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}\u2026` : flat;
  return short.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]|~])/g, "\\$1").replace(/@/g, "@\u200B");
}
function code(text, maxLength = 200) {
  const flat = text.replace(/[\r\n\t]+/g, " ").replace(/`/g, "'");
  const short = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}\u2026` : flat;
  return `\`${short.replace(/\|/g, "\\|")}\``;
}

const TOLERANCE = 1e-12;
const ZERO_BASELINE_STEP = 1e-10;
function atLeast(value, bound) {
  return value >= bound - TOLERANCE * Math.max(1, Math.abs(value), Math.abs(bound));
}
function valueBoundText(min, max) {
  if (min !== void 0 && max !== void 0) return `in [${formatNumber(min)}, ${formatNumber(max)}]`;
  if (min !== void 0) return `\u2265 ${formatNumber(min)}`;
  if (max !== void 0) return `\u2264 ${formatNumber(max)}`;
  return "";
}
function changeBoundText(change, direction) {
  const sign = change.kind === "max-regression" ? -1 : 1;
  const op = direction === "higher" ? "\u2265" : "\u2264";
  const towards = (amount, text) => {
    const signed = sign * (direction === "higher" ? 1 : -1) * amount;
    return `${signed < 0 ? "\u2212" : "+"}${text}`;
  };
  const parts = [];
  if (change.absolute !== void 0)
    parts.push(`\u0394 ${op} ${towards(change.absolute, formatNumber(change.absolute))}`);
  if (change.relative !== void 0)
    parts.push(`\u0394 ${op} ${towards(change.relative, formatPercent(change.relative))}`);
  return parts.join(" and ");
}
function boundText(check) {
  const parts = [];
  const value = valueBoundText(check.min, check.max);
  if (value) parts.push(value);
  if (check.change && check.direction) parts.push(changeBoundText(check.change, check.direction));
  if (check.significance) {
    parts.push(
      check.significance.mode === "improvement" ? `significantly better (${check.significance.test}, \u03B1 ${check.significance.alpha})` : `fails only if significant (${check.significance.test}, \u03B1 ${check.significance.alpha})`
    );
  }
  return parts.join(" \xB7 ");
}
function targetsOf(check, candidate) {
  if (check.kind === "fairness") {
    return [
      { key: fairnessKey(check.group, check.metric), label: `${check.metric} over ${check.group}` }
    ];
  }
  if (check.kind === "drift") {
    if (check.metric === "drift_share") return [{ key: driftKey("drift_share"), label: "drift share" }];
    return (check.columns ?? []).map((column) => ({
      key: driftKey(check.metric, column),
      label: `${check.metric} of ${column}`,
      column
    }));
  }
  const slice = check.slice;
  if (!slice) return [{ key: check.metric, label: check.metric }];
  if (slice.kind === "one") {
    const key = sliceKey(slice.slice);
    return [{ key: metricKey(check.metric, key), label: `${check.metric} [${key}]`, slice: key }];
  }
  const found = slicesInMap(candidate.metrics, check.metric, slice.columns);
  if (found.length === 0) {
    const skipped = Object.entries(candidate.skippedSlices ?? {}).filter(
      ([key]) => slice.columns.every((column) => key.split("&").some((part) => part.startsWith(`${column}=`)))
    );
    return skipped.length > 0 ? `every slice of ${slice.columns.join(" \xD7 ")} is below the minimum slice size (${skipped.length} skipped)` : `the candidate has no '${check.metric}' slices of ${slice.columns.join(" \xD7 ")}`;
  }
  return found.map((values) => {
    const key = sliceKey(values);
    return { key: metricKey(check.metric, key), label: `${check.metric} [${key}]`, slice: key };
  });
}
function missingMessage(set, key, label, side) {
  if (key in set.metrics) {
    const reason = set.undefinedReasons?.[key];
    return `${label} is undefined for the ${side}${reason ? `: ${reason}` : ""}`;
  }
  const slicePart = key.includes("/") ? key.slice(key.indexOf("/") + 1) : void 0;
  const skippedRows = slicePart !== void 0 ? set.skippedSlices?.[slicePart] : void 0;
  if (skippedRows !== void 0) {
    return `${label} was not evaluated: the slice has ${skippedRows} rows, below the minimum slice size`;
  }
  return `${label} is missing from the ${side} metrics.${didYouMean(key, Object.keys(set.metrics))}`;
}
function evaluateChecks(input) {
  const results = [];
  for (const check of input.checks) {
    const targets = targetsOf(check, input.candidate);
    const common = {
      name: check.name,
      metric: check.metric,
      severity: check.severity,
      kind: check.kind,
      bound: boundText(check),
      ...check.min === void 0 ? {} : { min: check.min },
      ...check.max === void 0 ? {} : { max: check.max },
      ...check.group === void 0 ? {} : { group: check.group },
      ...check.direction === void 0 ? {} : { direction: check.direction }
    };
    if (typeof targets === "string") {
      results.push({
        ...common,
        status: "undefined",
        candidate: null,
        baseline: null,
        delta: null,
        message: `${check.name}: ${targets}`,
        evaluated: false
      });
      continue;
    }
    const significance = input.significance?.[check.name];
    for (const target of targets) results.push(evaluateTarget(check, target, common, input, significance));
  }
  return results;
}
function evaluateTarget(check, target, common, input, significance) {
  const candidate = input.candidate.metrics[target.key];
  const baselineValue = input.baseline?.metrics[target.key];
  const base = {
    ...common,
    key: target.key,
    ...target.slice === void 0 ? {} : { slice: target.slice },
    ...target.column === void 0 ? {} : { column: target.column },
    ...significance ? { significance, pValue: significance.pValue } : {}
  };
  const baseline = typeof baselineValue === "number" ? baselineValue : null;
  const delta = typeof candidate === "number" && baseline !== null ? candidate - baseline : null;
  const failStatus = check.severity === "fail" ? "fail" : "warn";
  if (typeof candidate !== "number") {
    return {
      ...base,
      status: "undefined",
      candidate: null,
      baseline,
      delta: null,
      message: `${check.name}: ${missingMessage(input.candidate, target.key, target.label, "candidate")}`,
      evaluated: false
    };
  }
  const failures = [];
  const passes = [];
  let evaluated = false;
  if (check.min !== void 0 || check.max !== void 0) {
    evaluated = true;
    if (check.min !== void 0 && !atLeast(candidate, check.min)) {
      failures.push(
        `${target.label} = ${formatNumber(candidate)}, below the minimum ${formatNumber(check.min)}`
      );
    } else if (check.max !== void 0 && !atLeast(check.max, candidate)) {
      failures.push(
        `${target.label} = ${formatNumber(candidate)}, above the maximum ${formatNumber(check.max)}`
      );
    } else {
      passes.push(`${target.label} = ${formatNumber(candidate)} ${valueBoundText(check.min, check.max)}`);
    }
  }
  const comparesWithBaseline = check.change !== void 0 || check.significance?.mode === "improvement";
  let noBaselineReason;
  if (comparesWithBaseline) {
    if (input.baseline === null) noBaselineReason = "no baseline to compare with";
    else if (baseline === null) {
      noBaselineReason = baselineValue === null ? `undefined in the baseline${input.baseline.undefinedReasons?.[target.key] ? ` (${input.baseline.undefinedReasons[target.key]})` : ""}` : `the baseline has no '${target.key}'`;
    }
  }
  if (comparesWithBaseline && noBaselineReason === void 0 && baseline !== null) {
    evaluated = true;
    const direction = check.direction;
    const improvement = direction === "higher" ? candidate - baseline : baseline - candidate;
    const versus = `${target.label} = ${formatNumber(candidate)} vs baseline ${formatNumber(baseline)} (\u0394 ${formatSigned(candidate - baseline)})`;
    const changeFailure = check.change ? changeFailureOf(check.change, improvement, baseline) : void 0;
    const sig = check.significance;
    if (sig && sig.mode === "improvement") {
      const confirmed = significance?.significant === true && significance.better === true;
      if (changeFailure) failures.push(`${versus}: ${changeFailure}`);
      else if (!confirmed)
        failures.push(`${versus}: not a significant improvement (${significanceText(significance)})`);
      else passes.push(`${versus}: significant improvement (${significanceText(significance)})`);
    } else if (changeFailure && sig) {
      if (significance?.note !== void 0 || significance === void 0) {
        failures.push(
          `${versus}: ${changeFailure}; significance not computed (${significance?.note ?? "no test result"})`
        );
      } else if (significance.significant === true && significance.better === false) {
        failures.push(`${versus}: ${changeFailure}, and significant (${significanceText(significance)})`);
      } else {
        passes.push(`${versus}: ${changeFailure}, but not significant (${significanceText(significance)})`);
      }
    } else if (changeFailure) failures.push(`${versus}: ${changeFailure}`);
    else passes.push(`${versus} within ${changeBoundText(check.change, direction)}`);
  }
  const noBaselineNote = noBaselineReason ? `change bound not evaluated: ${noBaselineReason}` : void 0;
  if (failures.length > 0) {
    return {
      ...base,
      status: failStatus,
      candidate,
      baseline,
      delta,
      message: `${check.name}: ${[...failures, ...noBaselineNote ? [noBaselineNote] : []].join("; ")}`,
      evaluated: true
    };
  }
  if (!evaluated) {
    return {
      ...base,
      status: "no-baseline",
      candidate,
      baseline,
      delta,
      message: `${check.name}: ${target.label} = ${formatNumber(candidate)}; ${noBaselineNote ?? "nothing to evaluate"}`,
      evaluated: false
    };
  }
  return {
    ...base,
    status: "pass",
    candidate,
    baseline,
    delta,
    message: `${check.name}: ${[...passes, ...noBaselineNote ? [noBaselineNote] : []].join("; ")}`,
    evaluated: true
  };
}
function changeFailureOf(change, improvement, baseline) {
  const reasons = [];
  const magnitude = Math.abs(baseline);
  if (change.kind === "max-regression") {
    if (change.absolute !== void 0 && !atLeast(improvement, -change.absolute)) {
      reasons.push(
        `a regression of ${formatNumber(-improvement)}, more than the allowed ${formatNumber(change.absolute)}`
      );
    }
    if (change.relative !== void 0 && !atLeast(improvement, -change.relative * magnitude)) {
      const relative = magnitude === 0 ? "any regression from 0" : `a regression of ${formatPercent(-improvement / magnitude)}`;
      reasons.push(`${relative}, more than the allowed ${formatPercent(change.relative)}`);
    }
  } else {
    if (change.absolute !== void 0 && !atLeast(improvement, change.absolute)) {
      reasons.push(
        `needs an improvement of at least ${formatNumber(change.absolute)}, got ${formatSigned(improvement)}`
      );
    }
    if (change.relative !== void 0) {
      const needed = magnitude === 0 ? ZERO_BASELINE_STEP : change.relative * magnitude;
      if (magnitude === 0 ? improvement < needed : !atLeast(improvement, needed)) {
        reasons.push(
          magnitude === 0 ? `the baseline is 0, so it must be beaten by at least ${ZERO_BASELINE_STEP}` : `needs an improvement of at least ${formatPercent(change.relative)}, got ${formatPercent(improvement / magnitude)}`
        );
      }
    }
  }
  return reasons.length > 0 ? reasons.join(" and ") : void 0;
}
function significanceText(result) {
  if (!result) return "no test result";
  if (result.note !== void 0) return result.note;
  const interval = result.lower !== void 0 && result.lower !== null && result.upper !== void 0 && result.upper !== null ? `${formatPercent(1 - result.alpha).replace(" ", "")} CI [${formatSigned(result.lower)}, ${formatSigned(result.upper)}]` : void 0;
  const p = result.pValue === null ? void 0 : `p = ${formatNumber(result.pValue)}`;
  return [result.test, p, interval, `\u03B1 ${result.alpha}`].filter(Boolean).join(", ");
}
function verdictOf(gate, results) {
  const failing = (r) => r.status === "fail" || r.status === "warn" || r.status === "undefined";
  const failed = results.filter((r) => r.severity === "fail" && failing(r));
  const warnings = results.filter((r) => r.severity === "warn" && failing(r));
  const noBaseline = results.filter((r) => r.status === "no-baseline");
  const evaluated = results.filter((r) => r.evaluated !== false).length;
  const names = (list) => [...new Set(list.map((r) => r.name))];
  let line;
  let passed;
  if (failed.length > 0) {
    passed = false;
    const checks = names(failed);
    line = `Gate '${gate}' failed: ${checks.length} check${checks.length === 1 ? "" : "s"} failed (${checks.join(", ")}).`;
  } else if (evaluated === 0) {
    passed = false;
    line = `Gate '${gate}' did not pass: no bound could be evaluated (no baseline and no value bound), so nothing is approved.`;
  } else {
    passed = true;
    const warned = names(warnings);
    line = `Gate '${gate}' passed${warned.length > 0 ? ` with ${warned.length} warning${warned.length === 1 ? "" : "s"} (${warned.join(", ")})` : ""}.`;
  }
  return { passed, failed, warnings, noBaseline, evaluated, line };
}

const PREDICTION_EXTENSIONS = [".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq"];
function fileKind(file) {
  const lower = file.toLowerCase();
  if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) return "metrics-file";
  if (PREDICTION_EXTENSIONS.some((ext) => lower.endsWith(ext))) return "predictions-file";
  return void 0;
}
function parseBaselineInput(text) {
  const value = text.trim();
  if (value === "" || value === "auto") return { kind: "auto" };
  if (value === "none") return { kind: "none" };
  if (value === "artifact") return { kind: "artifact" };
  if (value.startsWith("models:") || value.startsWith("runs:")) {
    return { kind: "mlflow", uri: parseModelUri(value, "baseline") };
  }
  const kind = fileKind(value);
  if (!kind) {
    throw new UserError(
      `Input 'baseline' must be auto, none, artifact, an MLflow URI or a file, got '${value}'.`,
      {
        input: "baseline",
        fix: "Use `models:/<name>@champion`, `artifact`, `none`, a metrics file (.json) or a predictions file (.csv, .jsonl, .parquet)."
      }
    );
  }
  return { kind, file: value };
}
async function readMetricsFile(file, input, cwd) {
  let text;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    const code = error.code;
    throw new UserError(
      code === "ENOENT" ? `The metrics file '${file}' does not exist.` : `Cannot read '${file}' (${code}).`,
      {
        input,
        file,
        fix: "Check the path (relative to the workspace) and that the step writing it ran before this one."
      }
    );
  }
  const value = parseStructured(text, { input, file, what: "metrics file" });
  if (value !== null && typeof value === "object" && value.kind === "GateReport") {
    const report = parseDocument("GateReport", value, file, { input });
    return {
      source: "report",
      uri: file,
      label: `${file} (GateReport of ${report.producer.sha ? report.producer.sha.slice(0, 7) : report.createdAt})`,
      metrics: report.candidate.metrics,
      ...report.candidate.undefinedReasons ? { undefinedReasons: report.candidate.undefinedReasons } : {},
      report
    };
  }
  const map = value !== null && typeof value === "object" && !Array.isArray(value) && "metrics" in value ? value.metrics : value;
  const pointerBase = map === value ? "" : "/metrics";
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new UserError(`The metrics file '${file}' must hold an object of metric name \u2192 number.`, {
      input,
      file,
      fix: 'Write e.g. {"roc_auc": 0.91, "f1": 0.84}, or a GateReport written by model-gate.'
    });
  }
  const metrics = {};
  const problems = [];
  for (const [key, entry] of Object.entries(map)) {
    if (entry === null || typeof entry === "number" && Number.isFinite(entry))
      metrics[key] = entry;
    else if (typeof entry === "string" && /^(nan|NaN)$/.test(entry)) metrics[key] = null;
    else {
      const found = typeof entry === "object" ? Array.isArray(entry) ? "an array" : "an object" : `${typeof entry} ${JSON.stringify(entry)}`;
      problems.push(
        `at ${pointerBase}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}: expected a number or null, got ${found}`
      );
    }
  }
  if (problems.length > 0) {
    throw new UserError(
      `Invalid metrics file: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}.`,
      {
        input,
        file,
        fix: "Every metric must be a number (or null when undefined); nest nothing else under metric names."
      }
    );
  }
  return { source: "metrics", uri: file, label: file, metrics };
}
function runMetrics(run) {
  const metrics = {};
  const undefinedReasons = {};
  for (const [key, metric] of Object.entries(run.data.metrics)) {
    if (Number.isFinite(metric.value)) metrics[key] = metric.value;
    else {
      metrics[key] = null;
      undefinedReasons[key] = `logged as ${metric.value} in MLflow`;
    }
  }
  return { metrics, undefinedReasons };
}
async function resolveModel(client, uri, input, missingIsNone = false) {
  if (uri.kind === "run-artifact") {
    const run2 = await client.getRun(uri.runId);
    return { uri, run: run2, label: `${uri.uri} (run ${run2.info.runName || uri.runId})` };
  }
  let resolved;
  try {
    resolved = await client.resolveModelUri(uri);
  } catch (error) {
    if (missingIsNone && (error instanceof MlflowAliasNotFoundError || error instanceof MlflowNotFoundError)) {
      return void 0;
    }
    throw error;
  }
  if (resolved.kind !== "model-version") throw new Error("internal: a models:/ URI resolved to a run");
  const version = resolved.modelVersion;
  if (!version.runId) {
    throw new UserError(
      `${uri.uri} (version ${version.version}) has no MLflow run, so it has no metrics to read.`,
      {
        input,
        fix: 'Register the version from a run (`mlflow.register_model("runs:/<run_id>/model", \u2026)`), or give its metrics with `metrics:` / `predictions:`.'
      }
    );
  }
  const run = await client.getRun(version.runId);
  const label = uri.kind === "model-version" ? uri.uri : `${uri.uri} (version ${version.version})`;
  return { uri, run, modelVersion: version, label };
}
function modelMetrics(model) {
  const { metrics, undefinedReasons } = runMetrics(model.run);
  return {
    source: "mlflow",
    uri: model.uri.uri,
    label: model.label,
    metrics,
    ...Object.keys(undefinedReasons).length > 0 ? { undefinedReasons } : {},
    runId: model.run.info.runId,
    ...model.modelVersion ? { modelVersion: { name: model.modelVersion.name, version: model.modelVersion.version } } : {}
  };
}
function defaultBaselineUri(candidate) {
  if (!candidate || candidate.kind === "run-artifact") return void 0;
  return parseModelUri(`models:/${candidate.name}@champion`, "baseline");
}

function pointOf(report, keys) {
  const metrics = {};
  for (const key of keys) {
    const value = report.candidate.metrics[key];
    if (value !== void 0) metrics[key] = value;
  }
  return {
    createdAt: report.createdAt,
    passed: report.passed,
    ...report.producer.sha ? { sha: report.producer.sha } : {},
    ...report.producer.ref ? { ref: report.producer.ref } : {},
    ...report.producer.runId ? { runId: report.producer.runId } : {},
    ...report.producer.runUrl ? { runUrl: report.producer.runUrl } : {},
    metrics
  };
}
function historyAfter(previous, keys, limit) {
  if (!previous) return [];
  const points = [...previous.history ?? [], pointOf(previous, keys)];
  return points.slice(Math.max(0, points.length - limit));
}
function label(text) {
  return text.replace(/[^A-Za-z0-9 #._:/=&+-]/g, "").slice(0, 40);
}
function historyChart(history, current, metric, options = {}) {
  const points = [...history, current].map((point, index, all2) => ({
    value: point.metrics[metric],
    name: index === all2.length - 1 ? "this run" : point.sha ? point.sha.slice(0, 7) : point.runId ? `run ${point.runId}` : `#${index + 1}`
  })).filter(
    (p) => typeof p.value === "number" && Number.isFinite(p.value)
  );
  if (points.length < 2) return void 0;
  const values = points.map((p) => p.value);
  const all = options.bound === void 0 ? values : [...values, options.bound];
  let low = Math.min(...all);
  let high = Math.max(...all);
  const pad = high > low ? (high - low) * 0.15 : Math.max(Math.abs(high) * 0.05, 0.01);
  low = Number((low - pad).toPrecision(4));
  high = Number((high + pad).toPrecision(4));
  if (all.every((v) => v >= 0 && v <= 1)) {
    low = Math.max(0, low);
    high = Math.min(1, high);
  }
  const round = (v) => Number(v.toPrecision(6));
  const names = points.map((p, i) => `"${label(p.name) || `#${i + 1}`}"`);
  const title = `${label(metric)} across recent gate runs${options.boundText ? ` - flat line: ${label(options.boundText)}` : ""}`;
  const lines = [
    "```mermaid",
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis [${names.join(", ")}]`,
    `    y-axis "${label(metric)}" ${low} --> ${high}`,
    `    line [${values.map(round).join(", ")}]`
  ];
  if (options.bound !== void 0)
    lines.push(`    line [${values.map(() => round(options.bound)).join(", ")}]`);
  lines.push("```");
  return lines.join("\n");
}
function trendLine(history, current, metric) {
  const values = [...history, current].map((p) => p.metrics[metric]).filter((v) => typeof v === "number" && Number.isFinite(v));
  if (values.length < 2) return void 0;
  return `${metric}: ${values.map((v) => formatNumber(v)).join(" \u2192 ")}`;
}

const ICON = {
  pass: "\u2705 pass",
  fail: "\u274C fail",
  warn: "\u26A0\uFE0F warn",
  "no-baseline": "\u26AA no baseline",
  undefined: "\u274C undefined"
};
function resultCell(result) {
  if (result.status === "undefined" && result.severity === "warn") return "\u26A0\uFE0F undefined";
  return ICON[result.status];
}
function isFailing(result) {
  return result.status === "fail" || result.status === "warn" || result.status === "undefined";
}
function deltaCell(result) {
  if (result.delta === null || result.baseline === null) return "\u2014";
  if (result.delta === 0) return "0";
  const relative = result.baseline !== 0 ? ` (${result.delta >= 0 ? "+" : "\u2212"}${formatPercent(Math.abs(result.delta / result.baseline))})` : "";
  return `${formatSigned(result.delta)}${relative}`;
}
function byCheck(results) {
  const groups = /* @__PURE__ */ new Map();
  for (const result of results) groups.set(result.name, [...groups.get(result.name) ?? [], result]);
  return [...groups.values()];
}
function checkRow(results) {
  const first = results[0];
  const name = `${inert(first.name)}${first.severity === "warn" ? " <sub>(warn)</sub>" : ""}`;
  if (results.length === 1) {
    const subject = first.kind === "fairness" ? ` <sub>${inert(`${first.metric} over ${first.group ?? ""}`)}</sub>` : first.slice !== void 0 || first.column !== void 0 ? ` <sub>${inert(first.slice ?? first.column ?? "", 60)}</sub>` : "";
    return [
      `${name}${subject}`,
      formatNumber(first.candidate),
      formatNumber(first.baseline),
      deltaCell(first),
      inert(first.bound, 300),
      resultCell(first)
    ];
  }
  const failing = results.filter(isFailing);
  const what = results.some((r) => r.column !== void 0) ? "columns" : "slices";
  const worst = failing[0] ?? results[0];
  const where = worst?.slice ?? worst?.column;
  const status = failing.length === 0 ? results.every((r) => r.status === "no-baseline") ? ICON["no-baseline"] : `\u2705 ${results.length} ${what} pass` : `${first.severity === "warn" ? "\u26A0\uFE0F" : "\u274C"} ${failing.length} of ${results.length} ${what} fail`;
  return [
    `${name} <sub>${results.length} ${what}</sub>`,
    worst ? `${formatNumber(worst.candidate)}${where ? ` <sub>${inert(where, 60)}</sub>` : ""}` : "\u2014",
    worst ? formatNumber(worst.baseline) : "\u2014",
    worst ? deltaCell(worst) : "\u2014",
    inert(first.bound, 300),
    status
  ];
}
function verdictHeading(report) {
  const failed = report.checks.filter((r) => r.severity === "fail" && isFailing(r));
  const warned = report.checks.filter((r) => r.severity === "warn" && isFailing(r));
  const checks = new Set(report.checks.map((r) => r.name)).size;
  const failedChecks = new Set(failed.map((r) => r.name)).size;
  const warnedChecks = new Set(warned.map((r) => r.name)).size;
  const gate = `Model gate ${code(report.gate)}`;
  let line;
  if (report.passed) {
    line = `### \u2705 ${gate} passed${warnedChecks > 0 ? ` with ${warnedChecks} warning${warnedChecks === 1 ? "" : "s"}` : ""} \u2014 ${checks} check${checks === 1 ? "" : "s"}`;
  } else if (failedChecks > 0) {
    line = `### \u274C ${gate} failed \u2014 ${failedChecks} of ${checks} check${checks === 1 ? "" : "s"} failed`;
  } else {
    line = `### \u274C ${gate} did not pass \u2014 no bound could be evaluated`;
  }
  if (report.failOn === "never" && !report.passed) line += " (report only: `fail-on: never`)";
  return line;
}
function sourceLine(report) {
  const candidate = report.candidate;
  const rows = candidate.rows === void 0 ? "" : `, ${candidate.rows.toLocaleString("en-US")} rows`;
  const task = candidate.task ? `, ${inert(candidate.task)}` : "";
  const parts = [
    `**Candidate** ${code(candidate.label ?? candidate.uri ?? candidate.source, 120)}${rows}${task}`
  ];
  parts.push(
    report.baseline ? `**Baseline** ${code(report.baseline.label ?? report.baseline.uri ?? report.baseline.source, 120)}` : "**Baseline** none"
  );
  return parts.join(" \xB7 ");
}
function failuresSection(report, maxRows) {
  const failing = report.checks.filter(isFailing);
  if (failing.length === 0) return void 0;
  const shown = failing.slice(0, maxRows).map((r) => `- ${r.severity === "warn" ? "\u26A0\uFE0F" : "\u274C"} ${inert(r.message, 400)}`);
  if (failing.length > maxRows) shown.push(`- \u2026 and ${failing.length - maxRows} more in the report artifact`);
  return `**Why**

${shown.join("\n")}`;
}
function fairnessSection(report, maxRows) {
  if (!report.fairness || report.fairness.length === 0) return void 0;
  const parts = [];
  for (const detail of report.fairness) {
    const rows = detail.groups.slice(0, maxRows).map((g) => [
      inert(g.group, 60),
      g.rows.toLocaleString("en-US"),
      formatNumber(g.selectionRate),
      formatNumber(g.truePositiveRate),
      formatNumber(g.falsePositiveRate),
      g.excluded ? `not compared: ${inert(g.excluded)}` : "compared"
    ]);
    const checked = report.checks.filter((r) => r.kind === "fairness" && r.group === detail.group).map(
      (r) => `${inert(r.metric.replace(/_/g, " "))} **${formatNumber(r.candidate)}** (${inert(r.bound)}) ${resultCell(r)}`
    );
    parts.push(
      [
        `**Fairness over ${code(detail.group)}** (positive class ${inert(String(detail.positiveLabel ?? "\u2014"))}; groups under ${detail.minGroupSize} rows are not compared)`,
        "",
        markdownTable(["group", "rows", "selection rate", "TPR", "FPR", ""], rows, true),
        ...detail.groups.length > maxRows ? ["", `\u2026 and ${detail.groups.length - maxRows} more groups`] : [],
        ...checked.length > 0 ? ["", checked.join(" \xB7 ")] : []
      ].join("\n")
    );
  }
  return parts.join("\n\n");
}
function significanceSection(report) {
  const rows = report.checks.filter((r) => r.significance && r.status !== "no-baseline").map((r) => {
    const s = r.significance;
    const verdict = s.note !== void 0 ? "not computed" : s.significant ? s.better ? "significantly better" : "significantly worse" : "not significant";
    return [
      inert(r.name),
      inert(s.test),
      formatSigned(s.difference),
      inert(significanceText(s), 300),
      verdict
    ];
  });
  if (rows.length === 0) return void 0;
  return `**Significance** (candidate \u2212 baseline on the same rows)

${markdownTable(["check", "test", "\u0394", "result", "verdict"], rows, true)}`;
}
function slicesSection(report, maxRows) {
  const failing = report.checks.filter((r) => r.slice !== void 0 && isFailing(r));
  const skipped = report.slices?.skipped ?? [];
  if (failing.length === 0 && skipped.length === 0) return void 0;
  const parts = [];
  if (failing.length > 0) {
    const rows = failing.slice(0, maxRows).map((r) => [
      inert(r.name),
      inert(r.slice ?? "", 100),
      formatNumber(r.candidate),
      formatNumber(r.baseline),
      deltaCell(r),
      inert(r.bound, 200),
      resultCell(r)
    ]);
    parts.push(
      `**Slices that fail** (${failing.length})

${markdownTable(["check", "slice", "candidate", "baseline", "\u0394", "bound", "result"], rows, true)}`
    );
    if (failing.length > maxRows)
      parts.push(`\u2026 and ${failing.length - maxRows} more failing slices in the report artifact.`);
  }
  if (skipped.length > 0) {
    const list = skipped.slice(0, 20).map((s) => `${code(s.key, 60)} (${s.rows})`).join(", ");
    parts.push(
      `<sub>Not evaluated \u2014 fewer than ${report.slices?.minSize ?? 1} rows: ${list}${skipped.length > 20 ? ` and ${skipped.length - 20} more` : ""}</sub>`
    );
  }
  return parts.join("\n\n");
}
function driftSection(report, maxRows) {
  if (!report.drift || report.drift.columns.length === 0) return void 0;
  const rows = report.drift.columns.slice(0, maxRows).map((c) => [
    inert(c.column, 60),
    c.type,
    inert(c.test),
    formatNumber(c.value),
    formatNumber(c.threshold),
    c.drifted === null ? "\u2014" : c.drifted ? "drifted" : "stable",
    formatNumber(c.stats.psi)
  ]);
  return [
    `**Drift** ${code(report.drift.reference, 80)} \u2192 ${code(report.drift.current, 80)}: ${formatPercent(report.drift.driftShare)} of columns drifted`,
    "",
    markdownTable(["column", "type", "test", "value", "threshold", "default test", "PSI"], rows, true)
  ].join("\n");
}
function historySection(report, chart) {
  const history = report.history ?? [];
  if (history.length === 0 || chart.length === 0) return void 0;
  const current = pointOf(report, chart);
  const parts = [];
  for (const metric of chart) {
    const valueCheck = report.checks.find(
      (r) => r.key === metric && r.slice === void 0 && r.min === void 0 !== (r.max === void 0)
    );
    const bound = valueCheck?.min ?? valueCheck?.max;
    const drawn = historyChart(history, current, metric, {
      ...bound === void 0 ? {} : {
        bound,
        boundText: `${valueCheck?.min !== void 0 ? "minimum" : "maximum"} ${formatNumber(bound)}`
      }
    });
    if (drawn) {
      const trend = trendLine(history, current, metric);
      parts.push(drawn + (trend ? `

<sub>${inert(trend, 600)}</sub>` : ""));
    }
  }
  if (parts.length === 0) return void 0;
  return `**History** (this gate on the default branch, then this run)

${parts.join("\n\n")}`;
}
function footer(report, options) {
  const p = report.producer;
  const parts = [`model-gate ${inert(options.version)}`];
  if (p.runUrl && /^https:\/\//.test(p.runUrl))
    parts.push(`[run ${inert(p.runId ?? "")}](${encodeURI(p.runUrl)})`);
  if (p.sha) parts.push(`commit ${inert(p.sha.slice(0, 7))}`);
  if (options.artifactName) parts.push(`full report: artifact ${code(options.artifactName)}`);
  return `<sub>${parts.join(" \xB7 ")}</sub>`;
}
function renderReport(report, options) {
  const maxRows = options.maxRows ?? 50;
  const sections = [verdictHeading(report), sourceLine(report)];
  if (!report.baseline || report.checks.some((r) => r.status === "no-baseline")) {
    const note = report.baselineNote ?? "no baseline";
    if (report.checks.some((r) => r.status === "no-baseline")) {
      sections.push(
        `> \u26AA **No baseline** \u2014 ${inert(note, 300)}. Change bounds are not evaluated (shown as \u201Cno baseline\u201D); value bounds decide.`
      );
    }
  }
  const rows = byCheck(report.checks).map(checkRow);
  sections.push(markdownTable(["check", "candidate", "baseline", "\u0394", "bound", "result"], rows, true));
  sections.push(failuresSection(report, maxRows));
  sections.push(fairnessSection(report, maxRows));
  sections.push(significanceSection(report));
  sections.push(slicesSection(report, maxRows));
  sections.push(driftSection(report, maxRows));
  sections.push(historySection(report, options.chart ?? report.chart ?? []));
  for (const note of report.notes ?? []) sections.push(`> \u2139\uFE0F ${inert(note, 400)}`);
  sections.push(footer(report, options));
  return `${sections.filter((s) => s !== void 0 && s !== "").join("\n\n")}
`;
}

function gateTags(gate, passed, runUrl) {
  const verdict = passed ? "passed" : "failed";
  return {
    "modelops.gate": verdict,
    [`modelops.gate.${gate}`]: verdict,
    ...runUrl ? { [`modelops.gate.${gate}.run`]: runUrl } : {}
  };
}
async function tagCandidate(client, candidate, tags) {
  if (candidate.modelVersion) {
    const { name, version } = candidate.modelVersion;
    for (const [key, value] of Object.entries(tags))
      await client.setModelVersionTag(name, version, key, value);
    return `model version ${name}/${version}`;
  }
  await client.logBatch(candidate.run.info.runId, { tags });
  return `run ${candidate.run.info.runId}`;
}
function checkAliasName(alias) {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(alias) || /^latest$/i.test(alias) || /^v\d+$/i.test(alias)) {
    throw new UserError(
      `Input 'promote-alias' must be an MLflow alias such as 'challenger', got '${alias}'.`,
      {
        input: "promote-alias",
        fix: "Use letters, digits, '_' and '-'; 'latest' and 'v<number>' are reserved by MLflow."
      }
    );
  }
}
async function promoteCandidate(client, candidate, alias) {
  const version = candidate.modelVersion;
  if (!version) throw new Error("internal: promotion needs a model version");
  await client.setRegisteredModelAlias(version.name, alias, version.version);
  return `models:/${version.name}@${alias} \u2192 version ${version.version}`;
}

function artifactName(gate) {
  return `gate-report-${gate}`;
}
function commentId(gate) {
  return `model-gate:${gate}`;
}
const FORK_HINT = "This run\u2019s token cannot write comments (pull requests from forks get a read-only token), so the report is here in the job summary. To get the comment on fork pull requests too, use the two-workflow recipe: run the gate with `comment: never` and upload its report (action-templates/model-gate-fork-safe.yml), then post it from a `workflow_run` workflow with `from-report` (action-templates/model-gate-comment.yml).";
function producerOf(context) {
  return documentProducer("model-gate", context, context.payload.pull_request?.head?.sha ?? context.sha);
}
function toSource(side, extra = {}) {
  return {
    source: side.source,
    ...side.uri === void 0 ? {} : { uri: side.uri },
    label: side.label,
    ...side.runId === void 0 ? {} : { runId: side.runId },
    ...side.modelVersion === void 0 ? {} : { modelVersion: side.modelVersion },
    ...extra,
    metrics: side.metrics,
    ...side.undefinedReasons && Object.keys(side.undefinedReasons).length > 0 ? { undefinedReasons: side.undefinedReasons } : {}
  };
}
async function runGate(inputs, deps) {
  if (inputs.fromReport) return publishExistingReport(inputs, deps);
  if (!inputs.spec) {
    throw new UserError("Input 'spec' is required but was not given.", {
      input: "spec",
      fix: "Add `spec: <path of the gate spec>` under `with:` (or `from-report:` to post an existing report)."
    });
  }
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const spec = await readGateSpec(path.resolve(cwd, inputs.spec), { input: "spec" });
  deps.info(`Gate '${spec.gate}': ${spec.checks.length} check(s) from ${inputs.spec}.`);
  const pr = pullRequestNumber(context);
  checkCommentInputs(inputs, pr, context);
  if (inputs.predictions && inputs.metrics) {
    throw new UserError("Inputs 'predictions' and 'metrics' both give the candidate's numbers.", {
      input: "metrics",
      fix: "Keep one: `predictions` (metrics are computed) or `metrics` (a metrics JSON)."
    });
  }
  if (!inputs.predictions && !inputs.metrics && !inputs.candidate) {
    throw new UserError("Nothing to gate: no candidate was given.", {
      input: "predictions",
      fix: "Give `predictions` (a predictions file), `metrics` (a metrics JSON) or `candidate` (models:/<name>/<version> or runs:/<id>)."
    });
  }
  const candidateUri = inputs.candidate ? parseModelUri(inputs.candidate, "candidate") : void 0;
  if (inputs.promoteAlias) {
    checkAliasName(inputs.promoteAlias);
    if (!candidateUri || candidateUri.kind === "run-artifact") {
      throw new UserError("Input 'promote-alias' needs a registered model version as the candidate.", {
        input: "promote-alias",
        fix: "Set `candidate: models:/<name>/<version>` (or `models:/<name>@<alias>`), or remove `promote-alias`."
      });
    }
  }
  const baselineInput = parseBaselineInput(inputs.baseline);
  const baselineUri = baselineInput.kind === "mlflow" ? baselineInput.uri : baselineInput.kind === "auto" ? defaultBaselineUri(candidateUri) : void 0;
  let client;
  const mlflow = () => client ??= deps.mlflow(inputs.trackingUri);
  let candidateModel;
  if (candidateUri) {
    candidateModel = await resolveModel(mlflow(), candidateUri, "candidate");
    deps.info(`Candidate: ${candidateModel?.label}.`);
  }
  let candidate;
  let candidateComputed;
  if (inputs.predictions) {
    candidateComputed = await computeFromPredictions(inputs.predictions, spec, { input: "predictions", cwd });
    candidate = {
      source: "predictions",
      uri: inputs.predictions,
      label: candidateModel ? `${candidateModel.label} \xB7 ${inputs.predictions}` : inputs.predictions,
      metrics: candidateComputed.set.metrics,
      undefinedReasons: candidateComputed.set.undefinedReasons,
      ...candidateModel ? { runId: candidateModel.run.info.runId } : {},
      ...candidateModel?.modelVersion ? {
        modelVersion: {
          name: candidateModel.modelVersion.name,
          version: candidateModel.modelVersion.version
        }
      } : {}
    };
  } else if (inputs.metrics) {
    candidate = await readMetricsFile(inputs.metrics, "metrics", cwd);
    if (candidateModel) candidate = { ...candidate, label: `${candidateModel.label} \xB7 ${inputs.metrics}` };
  } else {
    candidate = modelMetrics(candidateModel);
  }
  let drift;
  if (spec.drift && spec.checks.some((c) => c.kind === "drift")) {
    drift = await computeDrift(spec.drift, cwd);
    candidate = {
      ...candidate,
      metrics: { ...candidate.metrics, ...drift.metrics },
      undefinedReasons: { ...candidate.undefinedReasons ?? {}, ...drift.undefinedReasons }
    };
  }
  const notes = [];
  let baseline;
  let baselineComputed;
  let baselineNote;
  let previous;
  let previousFetched = false;
  if (baselineInput.kind === "none" || baselineInput.kind === "auto" && !baselineUri) {
    baselineNote = baselineInput.kind === "none" ? "baseline: none" : "the candidate names no registered model, so there is no default baseline (baseline: auto)";
  } else if (baselineInput.kind === "artifact") {
    previous = await deps.fetchPreviousReport(artifactName(spec.gate));
    previousFetched = true;
    if (previous) {
      const doc = previous.document;
      baseline = {
        source: "artifact",
        uri: artifactName(spec.gate),
        label: `${artifactName(spec.gate)} of run ${previous.runId}${doc.producer.sha ? ` (${doc.producer.sha.slice(0, 7)})` : ""}`,
        metrics: doc.candidate.metrics,
        ...doc.candidate.undefinedReasons ? { undefinedReasons: doc.candidate.undefinedReasons } : {},
        runId: previous.runId
      };
      baselineNote = `the GateReport of the latest successful run on the default branch (run ${previous.runId})`;
    } else {
      baselineNote = `no successful run on the default branch has published ${artifactName(spec.gate)} yet (first run)`;
    }
  } else if (baselineUri) {
    const model2 = await resolveModel(mlflow(), baselineUri, "baseline", true);
    if (model2) {
      baseline = modelMetrics(model2);
      baselineNote = `${model2.label} in MLflow`;
      if (candidateModel?.modelVersion && model2.modelVersion && candidateModel.modelVersion.name === model2.modelVersion.name && candidateModel.modelVersion.version === model2.modelVersion.version) {
        notes.push(`The baseline ${model2.label} is the candidate itself, so every change is 0.`);
      }
    } else {
      baselineNote = baselineUri.kind === "model-alias" ? `${baselineUri.uri} is not set yet (first run)` : `${baselineUri.uri} does not exist yet (first run)`;
    }
  } else if (baselineInput.kind === "metrics-file") {
    baseline = await readMetricsFile(baselineInput.file, "baseline", cwd);
    baselineNote = `the metrics in ${baselineInput.file}`;
  } else if (baselineInput.kind === "predictions-file") {
    baselineComputed = await computeFromPredictions(baselineInput.file, spec, { input: "baseline", cwd });
    baseline = {
      source: "predictions",
      uri: baselineInput.file,
      label: baselineInput.file,
      metrics: baselineComputed.set.metrics,
      undefinedReasons: baselineComputed.set.undefinedReasons
    };
    baselineNote = `predictions in ${baselineInput.file}`;
  } else {
    baselineNote = "no baseline";
  }
  deps.info(baseline ? `Baseline: ${baseline.label}.` : `No baseline: ${baselineNote}.`);
  const significance = {};
  for (const check of spec.checks) {
    if (!check.significance || !baseline) continue;
    const candidateTable = candidateComputed?.table;
    significance[check.name] = candidateTable && spec.predictions ? significanceOf(check, candidateTable, baselineComputed?.table, spec.predictions) : {
      test: check.significance.test,
      alpha: check.significance.alpha,
      mode: check.significance.mode,
      pValue: null,
      difference: null,
      significant: null,
      better: null,
      note: "the test needs the candidate as a predictions file (predictions: <file>)"
    };
  }
  const candidateSet = {
    metrics: candidate.metrics,
    ...candidate.undefinedReasons ? { undefinedReasons: candidate.undefinedReasons } : {},
    ...candidateComputed ? { skippedSlices: candidateComputed.set.skippedSlices ?? {}, complete: true } : {}
  };
  if (candidateComputed) checkMetricNames(spec, candidateComputed);
  const baselineSet = baseline ? {
    metrics: baseline.metrics,
    ...baseline.undefinedReasons ? { undefinedReasons: baseline.undefinedReasons } : {}
  } : null;
  const results = evaluateChecks({
    checks: spec.checks,
    candidate: candidateSet,
    baseline: baselineSet,
    significance
  });
  const verdict = verdictOf(spec.gate, results);
  if (!previousFetched && inputs.history) {
    try {
      previous = await deps.fetchPreviousReport(artifactName(spec.gate));
    } catch (error) {
      deps.warning(`No history chart: could not read the previous GateReport (${describeError(error)}).`);
    }
  }
  const historyKeys = [
    .../* @__PURE__ */ new Set([
      ...spec.chart,
      ...results.filter((r) => r.slice === void 0 && r.column === void 0 && r.key).map((r) => r.key)
    ])
  ];
  const pullRequest = pr === void 0 ? void 0 : { number: pr, headSha: context.payload.pull_request?.head?.sha };
  const report = {
    schemaVersion: 1,
    kind: "GateReport",
    createdAt: deps.now().toISOString(),
    producer: producerOf(context),
    gate: spec.gate,
    passed: verdict.passed,
    verdict: verdict.line,
    failOn: inputs.failOn,
    candidate: toSource(candidate, {
      ...candidateComputed ? { rows: candidateComputed.rows, task: candidateComputed.task } : {}
    }),
    baseline: baseline ? toSource(
      baseline,
      baselineComputed ? { rows: baselineComputed.rows, task: baselineComputed.task } : {}
    ) : null,
    baselineNote,
    checks: results,
    ...candidateComputed && (candidateComputed.skippedSlices.length > 0 || spec.checks.some((c) => c.slice)) ? { slices: { minSize: spec.sliceMinSize, skipped: candidateComputed.skippedSlices } } : {},
    ...candidateComputed && candidateComputed.fairness.length > 0 ? { fairness: candidateComputed.fairness } : {},
    ...drift && spec.drift ? {
      drift: {
        reference: spec.drift.reference,
        current: spec.drift.current,
        driftShare: drift.driftShare,
        columns: drift.columns
      }
    } : {},
    ...pullRequest ? { pullRequest: pullRequest.headSha ? pullRequest : { number: pullRequest.number } } : {},
    history: historyAfter(previous?.document, historyKeys, spec.historyLength),
    chart: spec.chart,
    ...notes.length > 0 ? { notes } : {}
  };
  const reportFile = path.join(cwd, ".modelops", "model-gate", spec.gate, "gate-report.json");
  await writeDocument("GateReport", reportFile, report);
  const published = await deps.publishReport(artifactName(spec.gate), report);
  deps.info(`Report: ${path.relative(cwd, reportFile)} (artifact ${published.name}, ${published.location}).`);
  const model = candidateModel;
  const mlflowStep = model && (inputs.mlflowTags || inputs.promoteAlias) ? async () => {
    if (inputs.mlflowTags) {
      const tags = gateTags(spec.gate, verdict.passed, context.runUrl || void 0);
      deps.info(
        `MLflow: tagged ${await tagCandidate(mlflow(), model, tags)} with modelops.gate=${tags["modelops.gate"]}.`
      );
    }
    if (inputs.promoteAlias) {
      if (verdict.passed)
        deps.info(`MLflow: promoted ${await promoteCandidate(mlflow(), model, inputs.promoteAlias)}.`);
      else deps.info(`MLflow: '${inputs.promoteAlias}' not set, the gate did not pass.`);
    }
  } : void 0;
  return finish(report, reportFile, verdict, inputs, deps, pr, context, mlflowStep);
}
function checkCommentInputs(inputs, pr, context) {
  if (inputs.comment === "always" && pr === void 0) {
    throw new UserError(
      `Input 'comment' is 'always', but this ${context.eventName || "run"} event is not about a pull request.`,
      {
        input: "comment",
        fix: "Use `comment: auto` (comment on pull requests, job summary otherwise), or run the workflow on `pull_request`."
      }
    );
  }
}
function checkMetricNames(spec, computed) {
  const overall = new Set(Object.keys(computed.set.metrics).filter((k) => !k.includes("/")));
  for (const check of spec.checks) {
    if (check.kind !== "metric" || overall.has(check.metric)) continue;
    throw new UserError(
      `Check '${check.name}' asks for metric '${check.metric}', which is not computed for ${computed.task} predictions.${didYouMean(check.metric, overall)}`,
      {
        input: "spec",
        fix: `Use one of: ${[...overall].sort().join(", ")}.`
      }
    );
  }
}
async function finish(report, reportFile, verdict, inputs, deps, pr, context, mlflowStep) {
  const markdown = renderReport(report, {
    version: SUITE_VERSION,
    artifactName: artifactName(report.gate),
    chart: report.chart ?? []
  });
  let comment;
  if (inputs.comment !== "never" && pr !== void 0) {
    const token = inputs.githubToken;
    if (!token) {
      throw new UserError("Commenting on the pull request needs a token.", {
        input: "github-token",
        fix: "Pass `github-token: ${{ github.token }}` with `pull-requests: write`, or set `comment: never`."
      });
    }
    comment = await upsertStickyComment({
      octokit: await deps.github(token),
      owner: context.owner,
      repo: context.repo,
      issueNumber: pr,
      id: commentId(report.gate),
      body: markdown,
      readOnlyHint: FORK_HINT,
      env: deps.env
    });
    deps.info(
      comment.action === "summary-fallback" ? `No comment on #${pr}: the token is read-only${isForkPullRequest(context) ? " (fork pull request)" : ""}; the report is in the job summary.` : `Comment ${comment.action} on #${pr}: ${comment.url}`
    );
  }
  if (comment?.action !== "summary-fallback") await deps.appendSummary(markdown);
  const annotate = (list, emit) => {
    for (const result of list.slice(0, 10))
      emit(result.message, { title: `model-gate ${report.gate}: ${result.name}` });
    if (list.length > 10)
      emit(`\u2026 and ${list.length - 10} more; see the job summary.`, { title: `model-gate ${report.gate}` });
  };
  annotate(verdict.failed, deps.error);
  annotate(verdict.warnings, deps.warning);
  if (mlflowStep) await mlflowStep();
  const names = (list) => list.map((r) => r.slice ?? r.column ? `${r.name} [${r.slice ?? r.column}]` : r.name);
  const outputs = {
    passed: String(verdict.passed),
    report: path.relative(path.resolve(deps.cwd), reportFile).split(path.sep).join("/"),
    failed: JSON.stringify(names(verdict.failed)),
    warnings: JSON.stringify(names(verdict.warnings)),
    "comment-url": comment?.url ?? ""
  };
  deps.setOutputs(outputs);
  deps.info(verdict.line);
  const failStep = inputs.failOn === "never" ? false : inputs.failOn === "warn" ? !verdict.passed || verdict.warnings.length > 0 : !verdict.passed;
  return {
    report,
    reportFile,
    markdown,
    ...comment ? { comment } : {},
    outputs,
    failStep,
    line: verdict.line
  };
}
async function publishExistingReport(inputs, deps) {
  const cwd = path.resolve(deps.cwd);
  const file = path.resolve(cwd, inputs.fromReport);
  const report = await readDocument("GateReport", file, { input: "from-report" });
  const context = readContext(deps.env);
  const pr = await trustedPullRequest(report, context, inputs, deps);
  checkCommentInputs(inputs, pr, context);
  const verdict = verdictOf(report.gate, report.checks);
  const passed = report.passed && verdict.passed;
  deps.info(
    `Posting the report of gate '${report.gate}' from ${inputs.fromReport} (run ${report.producer.runId ?? "?"}).`
  );
  return finish(
    report,
    file,
    { ...verdict, passed, line: passed ? verdict.line : `Gate '${report.gate}' failed.` },
    inputs,
    deps,
    pr,
    context
  );
}
async function trustedPullRequest(report, context, inputs, deps) {
  const run = context.payload.workflow_run;
  if (!run) return pullRequestNumber(context);
  const listed = run.pull_requests?.[0]?.number;
  if (listed !== void 0) return listed;
  const claimed = report.pullRequest?.number;
  if (claimed === void 0 || inputs.comment === "never") return void 0;
  if (!inputs.githubToken) {
    throw new UserError("Checking which pull request the report belongs to needs a token.", {
      input: "github-token",
      fix: "Pass `github-token: ${{ github.token }}` (with `pull-requests: write`)."
    });
  }
  const octokit = await deps.github(inputs.githubToken);
  let headSha;
  try {
    const { data } = await octokit.rest.pulls.get({
      owner: context.owner,
      repo: context.repo,
      pull_number: claimed
    });
    headSha = data.head.sha;
  } catch (error) {
    throw toGitHubError(error, `get pull request #${claimed}`, "pull-requests: read");
  }
  if (headSha !== run.head_sha) {
    throw new UserError(
      `The report names pull request #${claimed}, whose head is ${headSha.slice(0, 7)}, but the run that produced it built ${String(run.head_sha).slice(0, 7)}.`,
      {
        input: "from-report",
        fix: "Post only reports of the run that triggered this workflow (download the artifact with `run-id: ${{ github.event.workflow_run.id }}`); a newer push may have superseded it."
      }
    );
  }
  return claimed;
}

await runStep(
  async () => {
    setOutputs({ passed: "false" });
    const token = getOptionalInput("github-token");
    const outcome = await runGate(
      {
        spec: getOptionalInput("spec"),
        predictions: getOptionalInput("predictions"),
        metrics: getOptionalInput("metrics"),
        candidate: getOptionalInput("candidate"),
        baseline: getInput("baseline", { fallback: "auto" }),
        comment: getChoiceInput("comment", ["auto", "always", "never"], { fallback: "auto" }),
        failOn: getChoiceInput("fail-on", ["fail", "warn", "never"], { fallback: "fail" }),
        promoteAlias: getOptionalInput("promote-alias"),
        trackingUri: getOptionalInput("tracking-uri"),
        mlflowTags: getBooleanInput("mlflow-tags", { fallback: true }),
        history: getBooleanInput("history", { fallback: true }),
        fromReport: getOptionalInput("from-report"),
        githubToken: token
      },
      {
        cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
        env: process.env,
        now: () => /* @__PURE__ */ new Date(),
        mlflow: (trackingUri) => createMlflowClient({
          ...trackingUri ? { trackingUri } : {},
          env: process.env,
          cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
          log: info
        }),
        github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: info }),
        fetchPreviousReport: (name) => fetchDocument("GateReport", name, { kind: "latest-successful" }, token ? { token } : {}),
        publishReport: (name, report) => publishDocument("GateReport", name, report, token ? { token } : {}),
        appendSummary: (markdown) => appendJobSummary(markdown),
        setOutputs,
        info: info,
        warning: (message, properties) => warning(message, properties ?? {}),
        error: (message, properties) => error(message, properties ?? {}),
        debug: debug
      }
    );
    if (outcome.failStep) setFailed(outcome.line);
  },
  { action: "model-gate" }
);
