/**
 * Reads a gate spec: YAML/JSON → JSON Schema validation (unknown keys and wrong types rejected with
 * the JSON pointer and a "did you mean") → the rules a schema cannot say (one subject per check, at
 * least one bound, consistent bounds, tests that fit the metric, directions that are known) → a
 * normalised {@link GateSpec} the evaluation runs on.
 */
import {
  UserError,
  checkSchema,
  parseStructured,
  type JsonSchema,
  type ValidationProblem,
  didYouMean,
  nearest,
  readInputFile,
} from '@modelops/core';
import {
  GateSpecSchema,
  GATE_SPEC_SCHEMA_ID,
  type ChangeBoundInput,
  type CheckInput,
  type GateSpecInput,
} from './spec-schema.ts';
import {
  RESAMPLEABLE_METRICS,
  driftDirection,
  fairnessDirection,
  metricDirection,
  snake,
  type Direction,
  type SliceValues,
} from './metric-keys.ts';

/** Default gate name. */
export const DEFAULT_GATE_NAME = 'model-gate';
/** Default minimum group size of fairness checks. */
export const DEFAULT_MIN_GROUP_SIZE = 30;
/** Default significance level. */
export const DEFAULT_ALPHA = 0.05;

/** Which slices a check is evaluated on. */
export type SliceSelector = { kind: 'one'; slice: SliceValues } | { kind: 'every'; columns: string[] };

/** A change bound, normalised: amounts are fractions/absolutes, never percentages. */
export interface ChangeBound {
  /** `max-regression`: how much worse the candidate may be; `min-improvement`: how much better it must be. */
  kind: 'max-regression' | 'min-improvement';
  absolute?: number;
  /** Fraction of the baseline value (`2%` → 0.02). */
  relative?: number;
}

/** Significance settings of a check, with defaults applied. */
export interface SignificanceSpec {
  test: 'mcnemar' | 'delong' | 'bootstrap';
  alpha: number;
  mode: 'regression' | 'improvement';
  resamples: number;
  seed: number;
}

/** One check, normalised. */
export interface GateCheck {
  name: string;
  /** JSON pointer of the check in the spec, for messages. */
  pointer: string;
  kind: 'metric' | 'fairness' | 'drift';
  /** Model metric name, fairness metric or drift statistic (snake_case for the latter two). */
  metric: string;
  slice?: SliceSelector;
  /** Fairness: the sensitive-feature column. */
  group?: string;
  minGroupSize?: number;
  /** Drift: the feature columns (empty: every configured column). */
  columns?: string[];
  min?: number;
  max?: number;
  change?: ChangeBound;
  /** Whether higher is better; undefined when unknown (only allowed without change bounds). */
  direction?: Direction;
  significance?: SignificanceSpec;
  severity: 'fail' | 'warn';
}

/** Columns of the predictions files, normalised. */
export interface PredictionsSpec {
  label: string;
  score?: string;
  probabilities?: Record<string, string>;
  predicted?: string;
  prediction?: string;
  weight?: string;
  id?: string;
  positiveLabel?: string | number;
  threshold?: number;
  labels?: (string | number)[];
  zeroDivision?: 0 | 1;
  format?: 'csv' | 'tsv' | 'jsonl' | 'parquet';
}

/** Feature files for drift checks. */
export interface DriftSpec {
  reference: string;
  current: string;
  numeric: string[];
  categorical: string[];
  bins?: number;
  format?: 'csv' | 'tsv' | 'jsonl' | 'parquet';
}

/** A validated, normalised gate spec. */
export interface GateSpec {
  gate: string;
  predictions?: PredictionsSpec;
  sliceMinSize: number;
  drift?: DriftSpec;
  /** Metrics charted across recent gate runs. */
  chart: string[];
  /** Gate runs kept in the history. */
  historyLength: number;
  checks: GateCheck[];
}

/** Where the spec came from, for messages. */
export interface SpecSource {
  /** The action input naming the spec (default `spec`). */
  input?: string;
  file?: string;
}

function specError(problems: readonly ValidationProblem[], source: SpecSource): UserError {
  const shown = problems.slice(0, 8).map((p) => `at ${p.pointer}: ${p.message}`);
  const more = problems.length > 8 ? ` (and ${problems.length - 8} more)` : '';
  return new UserError(`Invalid gate spec: ${shown.join('; ')}${more}.`, {
    input: source.input ?? 'spec',
    ...(source.file === undefined ? {} : { file: source.file }),
    fix: `Correct the spec at the JSON pointer shown; every key is described in docs/gate-spec.md (schema ${GATE_SPEC_SCHEMA_ID}).`,
  });
}

/** Reads and validates a spec file. */
export async function readGateSpec(file: string, source: SpecSource = {}): Promise<GateSpec> {
  const text = await readInputFile(file, {
    input: source.input ?? 'spec',
    what: 'gate spec',
    fix: 'Check the path (relative to the workspace) and that the file is checked out.',
  });
  const value = parseStructured(text, { input: source.input ?? 'spec', file, what: 'gate spec' });
  return parseGateSpec(value, { ...source, file });
}

/** Validates a parsed spec value and normalises it; throws a {@link UserError} listing every problem. */
export function parseGateSpec(value: unknown, source: SpecSource = {}): GateSpec {
  if (value === null || value === undefined) {
    throw new UserError('The gate spec is empty.', {
      input: source.input ?? 'spec',
      ...(source.file === undefined ? {} : { file: source.file }),
      fix: 'Write at least one check under `checks:` (see docs/gate-spec.md).',
    });
  }
  const raw = value as { checks?: unknown };
  if (
    typeof raw === 'object' &&
    !Array.isArray(raw) &&
    (raw.checks === undefined || (Array.isArray(raw.checks) && raw.checks.length === 0))
  ) {
    throw new UserError('The gate spec has no checks, so the gate could not refuse anything.', {
      input: source.input ?? 'spec',
      ...(source.file === undefined ? {} : { file: source.file }),
      fix: 'Add at least one check under `checks:`, e.g. `- {name: auc, metric: roc_auc, min: 0.8}`.',
    });
  }
  const problems = refineProblems(checkSchema(GateSpecSchema as unknown as JsonSchema, value));
  if (problems.length > 0) throw specError(problems, source);
  const spec = value as GateSpecInput;
  const semantic: ValidationProblem[] = [];
  const checks = spec.checks.map((check, index) => normaliseCheck(check, `/checks/${index}`, spec, semantic));
  crossCheck(spec, checks, semantic);
  if (semantic.length > 0) throw specError(semantic, source);
  const firstMetric = checks.find((check) => check.kind === 'metric' && !check.slice);
  return {
    gate: spec.gate ?? DEFAULT_GATE_NAME,
    ...(spec.predictions ? { predictions: normalisePredictions(spec.predictions) } : {}),
    sliceMinSize: spec.slices?.['min-size'] ?? 1,
    ...(spec.drift
      ? {
          drift: {
            reference: spec.drift.reference,
            current: spec.drift.current,
            numeric: spec.drift.numeric ?? [],
            categorical: spec.drift.categorical ?? [],
            ...(spec.drift.bins === undefined ? {} : { bins: spec.drift.bins }),
            ...(spec.drift.format === undefined ? {} : { format: spec.drift.format }),
          },
        }
      : {}),
    chart: spec.report?.chart ?? (firstMetric ? [firstMetric.metric] : []),
    historyLength: spec.report?.history ?? 20,
    checks,
  };
}

const CHANGE_BOUND_HINT =
  'expected an absolute amount (a number ≥ 0, e.g. 0.01), a relative one (a string such as "2%") or {absolute, relative}';

/**
 * Sharpens the generic validator's messages: "did you mean" that knows transpositions and
 * abbreviations, and one message for a change bound that matches none of its forms.
 */
function refineProblems(problems: ValidationProblem[]): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const changeBoundPointers = new Set<string>();
  for (const problem of problems) {
    const unknown = /^unknown key '(.+?)'\.(?: Did you mean '.+?'\?)? Allowed: (.*)$/.exec(problem.message);
    if (unknown) {
      const [, key = '', list = ''] = unknown;
      const suggestion = nearest(key, list.split(', '), 1)[0];
      out.push({
        pointer: problem.pointer,
        message: `unknown key '${key}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Allowed: ${list}`,
      });
      continue;
    }
    if (/\/(max-regression|min-improvement)(\/relative)?$/.test(problem.pointer)) {
      if (changeBoundPointers.has(problem.pointer)) continue;
      changeBoundPointers.add(problem.pointer);
      const got = /got (.*?)\)?$/.exec(problem.message)?.[1];
      out.push({ pointer: problem.pointer, message: `${CHANGE_BOUND_HINT}${got ? `, got ${got}` : ''}` });
      continue;
    }
    out.push(problem);
  }
  return out;
}

function normalisePredictions(p: NonNullable<GateSpecInput['predictions']>): PredictionsSpec {
  return {
    label: p.label,
    ...(p.score === undefined ? {} : { score: p.score }),
    ...(p.probabilities === undefined ? {} : { probabilities: p.probabilities }),
    ...(p.predicted === undefined ? {} : { predicted: p.predicted }),
    ...(p.prediction === undefined ? {} : { prediction: p.prediction }),
    ...(p.weight === undefined ? {} : { weight: p.weight }),
    ...(p.id === undefined ? {} : { id: p.id }),
    ...(p['positive-label'] === undefined ? {} : { positiveLabel: p['positive-label'] }),
    ...(p.threshold === undefined ? {} : { threshold: p.threshold }),
    ...(p.labels === undefined ? {} : { labels: p.labels }),
    ...(p['zero-division'] === undefined ? {} : { zeroDivision: p['zero-division'] }),
    ...(p.format === undefined ? {} : { format: p.format }),
  };
}

/** Parses `region=eu&device=ios` (one slice) or `region&device` (every slice of the columns). */
export function parseSliceSelector(text: string): SliceSelector | string {
  const parts = text.split('&').map((part) => part.trim());
  if (parts.some((part) => part === '')) return `'${text}' has an empty part between '&'`;
  const withValue = parts.filter((part) => part.includes('='));
  if (withValue.length === parts.length) {
    const slice: SliceValues = {};
    for (const part of parts) {
      const eq = part.indexOf('=');
      const column = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (column === '' || value === '') return `'${part}' must be column=value with both sides non-empty`;
      if (column in slice) return `column '${column}' appears twice`;
      slice[column] = value;
    }
    return { kind: 'one', slice };
  }
  if (withValue.length === 0) {
    if (new Set(parts).size !== parts.length) return 'a column appears twice';
    return { kind: 'every', columns: parts };
  }
  return `'${text}' mixes column=value and bare columns; write either region=eu&device=ios or region&device`;
}

function changeBound(kind: ChangeBound['kind'], input: ChangeBoundInput): ChangeBound {
  const percent = (text: string) => Number(text.slice(0, -1)) / 100;
  if (typeof input === 'number') return { kind, absolute: input };
  if (typeof input === 'string') return { kind, relative: percent(input) };
  return {
    kind,
    ...(input.absolute === undefined ? {} : { absolute: input.absolute }),
    ...(input.relative === undefined
      ? {}
      : { relative: typeof input.relative === 'string' ? percent(input.relative) : input.relative }),
  };
}

function normaliseCheck(
  check: CheckInput,
  pointer: string,
  spec: GateSpecInput,
  problems: ValidationProblem[],
): GateCheck {
  const problem = (message: string, at = pointer) => problems.push({ pointer: at, message });
  const subjects = (['metric', 'fairness', 'drift'] as const).filter((key) => check[key] !== undefined);
  if (subjects.length !== 1) {
    problem(
      subjects.length === 0
        ? `check '${check.name}' names nothing to check: add one of \`metric\`, \`fairness\` or \`drift\``
        : `check '${check.name}' has ${subjects.map((s) => `\`${s}\``).join(' and ')}: a check has exactly one of them (write one check each)`,
    );
  }
  const kind = subjects[0] ?? 'metric';
  const onlyWith = (key: keyof CheckInput, subject: GateCheck['kind']) => {
    if (check[key] !== undefined && kind !== subject) {
      problem(`\`${key}\` only applies to \`${subject}\` checks`, `${pointer}/${key}`);
    }
  };
  onlyWith('slice', 'metric');
  onlyWith('group', 'fairness');
  onlyWith('min-group-size', 'fairness');
  onlyWith('columns', 'drift');
  onlyWith('significance', 'metric');

  const metric =
    kind === 'metric'
      ? (check.metric ?? '')
      : kind === 'fairness'
        ? snake(check.fairness ?? '')
        : snake(check.drift ?? '');
  let slice: SliceSelector | undefined;
  if (check.slice !== undefined && kind === 'metric') {
    const parsed = parseSliceSelector(check.slice);
    if (typeof parsed === 'string') problem(`invalid slice: ${parsed}`, `${pointer}/slice`);
    else slice = parsed;
  }
  if (kind === 'fairness' && check.group === undefined) {
    problem(
      `fairness check '${check.name}' needs \`group\`: the sensitive-feature column (e.g. \`group: gender\`)`,
    );
  }
  if (kind === 'metric' && metric.startsWith('fairness/')) {
    problem(
      `write fairness bounds as \`fairness: <metric>\` with \`group: <column>\`, not as a metric key`,
      `${pointer}/metric`,
    );
  }

  const change =
    check['max-regression'] !== undefined
      ? changeBound('max-regression', check['max-regression'])
      : check['min-improvement'] !== undefined
        ? changeBound('min-improvement', check['min-improvement'])
        : undefined;
  if (check['max-regression'] !== undefined && check['min-improvement'] !== undefined) {
    problem(
      '`max-regression` and `min-improvement` contradict each other on one check: keep one (a regression allowance, or a required improvement)',
    );
  }
  const significanceMode = check.significance?.mode ?? 'regression';
  const hasBound =
    check.min !== undefined ||
    check.max !== undefined ||
    change !== undefined ||
    (check.significance !== undefined && significanceMode === 'improvement');
  if (!hasBound) {
    problem(
      `check '${check.name}' has no bound, so it could never fail: add \`min\`, \`max\`, \`max-regression\` or \`min-improvement\``,
    );
  }
  if (check.min !== undefined && check.max !== undefined && check.min > check.max) {
    problem(`min ${check.min} is greater than max ${check.max}: no value could pass`, `${pointer}/min`);
  }

  let direction: Direction | undefined = check.direction;
  if (direction === undefined) {
    direction =
      kind === 'metric'
        ? metricDirection(metric)
        : kind === 'fairness'
          ? fairnessDirection(metric)
          : driftDirection(metric);
  }
  const needsDirection = change !== undefined || check.significance !== undefined;
  if (needsDirection && direction === undefined) {
    problem(
      `cannot tell whether a higher '${metric}' is better, which a comparison with the baseline needs: add \`direction: higher\` or \`direction: lower\``,
    );
  }

  let significance: SignificanceSpec | undefined;
  if (check.significance !== undefined && kind === 'metric') {
    const test = check.significance.test;
    if (slice !== undefined) {
      problem(
        'significance is computed on the whole test set: remove `slice` or `significance`',
        `${pointer}/significance`,
      );
    }
    if (test === 'mcnemar' && metric !== 'accuracy') {
      problem(
        `McNemar's test compares error rates, so it fits \`metric: accuracy\` only (got '${metric}'): use \`test: bootstrap\``,
        `${pointer}/significance/test`,
      );
    }
    if (test === 'delong' && metric !== 'roc_auc') {
      problem(
        `DeLong's test compares ROC AUCs, so it fits \`metric: roc_auc\` only (got '${metric}'): use \`test: bootstrap\``,
        `${pointer}/significance/test`,
      );
    }
    if (test === 'bootstrap' && !RESAMPLEABLE_METRICS.includes(metric)) {
      problem(
        `the bootstrap cannot resample '${metric}'.${didYouMean(metric, RESAMPLEABLE_METRICS)} Resampleable: ${RESAMPLEABLE_METRICS.join(', ')}`,
        `${pointer}/metric`,
      );
    }
    significance = {
      test,
      alpha: check.significance.alpha ?? spec.significance?.alpha ?? DEFAULT_ALPHA,
      mode: significanceMode,
      resamples: spec.significance?.resamples ?? 1000,
      seed: spec.significance?.seed ?? 0,
    };
  }

  if (kind === 'drift') {
    if (!spec.drift) {
      problem(
        'drift checks need the feature files: add `drift: {reference: <file>, current: <file>, numeric: [...]}`',
      );
    } else {
      const configured = [...(spec.drift.numeric ?? []), ...(spec.drift.categorical ?? [])];
      if (configured.length === 0) {
        problem(
          'list the feature columns to compare under `drift.numeric` and/or `drift.categorical`',
          '/drift',
        );
      }
      (check.columns ?? []).forEach((column, index) => {
        if (!configured.includes(column)) {
          problem(
            `column '${column}' is not listed under \`drift.numeric\` or \`drift.categorical\`.${didYouMean(column, configured)}`,
            `${pointer}/columns/${index}`,
          );
        }
      });
      if (metric === 'drift_share' && check.columns !== undefined) {
        problem('`drift-share` is over every configured column: remove `columns`', `${pointer}/columns`);
      }
    }
  }

  return {
    name: check.name,
    pointer,
    kind,
    metric,
    ...(slice ? { slice } : {}),
    ...(kind === 'fairness' && check.group !== undefined ? { group: check.group } : {}),
    ...(kind === 'fairness'
      ? {
          minGroupSize:
            check['min-group-size'] ?? spec.fairness?.['min-group-size'] ?? DEFAULT_MIN_GROUP_SIZE,
        }
      : {}),
    ...(kind === 'drift' && metric !== 'drift_share'
      ? { columns: check.columns ?? [...(spec.drift?.numeric ?? []), ...(spec.drift?.categorical ?? [])] }
      : {}),
    ...(check.min === undefined ? {} : { min: check.min }),
    ...(check.max === undefined ? {} : { max: check.max }),
    ...(change ? { change } : {}),
    ...(direction ? { direction } : {}),
    ...(significance ? { significance } : {}),
    severity: check.severity ?? 'fail',
  };
}

/** Rules across checks: unique names, one minimum group size per fairness column. */
function crossCheck(spec: GateSpecInput, checks: GateCheck[], problems: ValidationProblem[]): void {
  const seen = new Map<string, string>();
  for (const check of checks) {
    const first = seen.get(check.name);
    if (first !== undefined) {
      problems.push({
        pointer: `${check.pointer}/name`,
        message: `check name '${check.name}' is already used at ${first}; names identify checks in the comment and outputs`,
      });
    } else seen.set(check.name, check.pointer);
  }
  const groupSizes = new Map<string, { size: number; pointer: string }>();
  for (const check of checks) {
    if (check.kind !== 'fairness' || check.group === undefined || check.minGroupSize === undefined) continue;
    const first = groupSizes.get(check.group);
    if (first && first.size !== check.minGroupSize) {
      problems.push({
        pointer: `${check.pointer}/min-group-size`,
        message: `group '${check.group}' already has min-group-size ${first.size} at ${first.pointer}: use one size per group column`,
      });
    } else if (!first) groupSizes.set(check.group, { size: check.minGroupSize, pointer: check.pointer });
  }
  const p = spec.predictions;
  if (p) {
    const kinds = [p.score && 'score', p.probabilities && 'probabilities', p.predicted && 'predicted'].filter(
      Boolean,
    );
    if (p.prediction !== undefined && kinds.length > 0) {
      problems.push({
        pointer: '/predictions',
        message: `\`prediction\` (regression) cannot be combined with ${kinds.map((k) => `\`${k}\``).join(', ')} (classification)`,
      });
    }
    if (p.prediction === undefined && kinds.length === 0) {
      problems.push({
        pointer: '/predictions',
        message:
          'name the prediction column: `score` (binary), `probabilities` or `predicted` (classification), or `prediction` (regression)',
      });
    }
  }
}
