/**
 * The model-gate step: read the spec → the candidate's numbers (predictions, metrics file or MLflow)
 * and drift → the baseline (MLflow alias, a previous run's GateReport, files, or none) →
 * significance tests → the pure evaluation → the GateReport (written, uploaded) → the comment and
 * job summary → annotations → MLflow tags and alias promotion → outputs. Services come in through
 * {@link GateDeps}, so tests give local ones.
 *
 * Failing safe: a service that stays unavailable after retries (MLflow, GitHub) throws, and the
 * step fails with the reason — the gate never passes without having checked.
 */
import path from 'node:path';
import {
  UserError,
  isForkPullRequest,
  pullRequestNumber,
  readContext,
  readDocument,
  upsertStickyComment,
  writeDocument,
  describeError,
  toGitHubError,
  type GateReport,
  type GitHubClient,
  type MetricsSource,
  type OutputValue,
  type PublishResult,
  type RunContext,
  type SignificanceResult,
  type StickyCommentResult,
  didYouMean,
  documentProducer,
  SUITE_VERSION,
} from '@modelops/core';
import type { MlflowClient, ModelUri } from '@modelops/mlflow-client';
import { parseModelUri } from '@modelops/mlflow-client';
import type { PredictionTable } from '@modelops/metrics';
import { readGateSpec, type GateSpec } from './spec.ts';
import { computeDrift, computeFromPredictions, significanceOf, type ComputedPredictions } from './compute.ts';
import { evaluateChecks, verdictOf, type MetricSet, type Verdict } from './evaluate.ts';
import {
  defaultBaselineUri,
  modelMetrics,
  parseBaselineInput,
  readMetricsFile,
  resolveModel,
  type ResolvedModel,
  type SourceMetrics,
} from './sources.ts';
import { historyAfter } from './history.ts';
import { renderReport } from './render.ts';
import { checkAliasName, gateTags, promoteCandidate, tagCandidate } from './mlflow.ts';

/** The step's inputs, parsed. */
export interface GateInputs {
  /** Path of the gate spec (required unless `fromReport`). */
  spec?: string;
  /** Candidate predictions file. */
  predictions?: string;
  /** Candidate metrics file. */
  metrics?: string;
  /** The candidate in MLflow: `runs:/<id>`, `models:/<name>/<version>`, `models:/<name>@<alias>`. */
  candidate?: string;
  /** `auto`, `none`, `artifact`, an MLflow URI, a metrics or a predictions file. */
  baseline: string;
  comment: 'auto' | 'always' | 'never';
  failOn: 'fail' | 'warn' | 'never';
  /** Alias to set on the candidate version when the gate passes. */
  promoteAlias?: string;
  trackingUri?: string;
  /** Write the verdict as MLflow tags on the candidate. */
  mlflowTags: boolean;
  /** Read the previous report for the history chart. */
  history: boolean;
  /** Post the comment of an existing GateReport instead of evaluating (fork-safe second workflow). */
  fromReport?: string;
  githubToken?: string;
}

/** An annotation's properties. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
}

/** What the step needs from the outside world. */
export interface GateDeps {
  /** The workspace. */
  cwd: string;
  env: Record<string, string | undefined>;
  now(): Date;
  /** The MLflow client for a tracking URI (undefined: `MLFLOW_TRACKING_URI`, else ./mlruns). */
  mlflow(trackingUri: string | undefined): MlflowClient;
  github(token: string): Promise<GitHubClient>;
  /** The GateReport artifact `name` of the latest successful run on the default branch. */
  fetchPreviousReport(name: string): Promise<{ document: GateReport; runId: string } | undefined>;
  publishReport(name: string, report: GateReport): Promise<PublishResult>;
  appendSummary(markdown: string): Promise<unknown>;
  setOutputs(outputs: Record<string, OutputValue>): void;
  info(line: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  debug(line: string): void;
}

/** What the step did. */
export interface GateOutcome {
  report: GateReport;
  /** Absolute path of the report. */
  reportFile: string;
  markdown: string;
  comment?: StickyCommentResult;
  outputs: Record<string, string>;
  /** Whether the step must fail (per `fail-on`). */
  failStep: boolean;
  /** The verdict in one line. */
  line: string;
}

/** Name of the report artifact of a gate. */
export function artifactName(gate: string): string {
  return `gate-report-${gate}`;
}

/** The sticky comment id of a gate. */
export function commentId(gate: string): string {
  return `model-gate:${gate}`;
}

/** What the job summary says on a fork PR, where the token may not comment. */
export const FORK_HINT =
  'This run’s token cannot write comments (pull requests from forks get a read-only token), so the report is here in the job summary. ' +
  'To get the comment on fork pull requests too, use the two-workflow recipe: run the gate with `comment: never` and upload its report ' +
  '(action-templates/model-gate-fork-safe.yml), then post it from a `workflow_run` workflow with `from-report` (action-templates/model-gate-comment.yml).';

/** The producer of the report; on a PR the commit is the PR's head, which the fork-safe flow checks. */
function producerOf(context: RunContext) {
  return documentProducer('model-gate', context, context.payload.pull_request?.head?.sha ?? context.sha);
}

function toSource(side: SourceMetrics, extra: Partial<MetricsSource> = {}): MetricsSource {
  return {
    source: side.source,
    ...(side.uri === undefined ? {} : { uri: side.uri }),
    label: side.label,
    ...(side.runId === undefined ? {} : { runId: side.runId }),
    ...(side.modelVersion === undefined ? {} : { modelVersion: side.modelVersion }),
    ...extra,
    metrics: side.metrics,
    ...(side.undefinedReasons && Object.keys(side.undefinedReasons).length > 0
      ? { undefinedReasons: side.undefinedReasons }
      : {}),
  };
}

/** Runs the step. */
export async function runGate(inputs: GateInputs, deps: GateDeps): Promise<GateOutcome> {
  if (inputs.fromReport) return publishExistingReport(inputs, deps);
  if (!inputs.spec) {
    throw new UserError("Input 'spec' is required but was not given.", {
      input: 'spec',
      fix: 'Add `spec: <path of the gate spec>` under `with:` (or `from-report:` to post an existing report).',
    });
  }
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const spec = await readGateSpec(path.resolve(cwd, inputs.spec), { input: 'spec' });
  deps.info(`Gate '${spec.gate}': ${spec.checks.length} check(s) from ${inputs.spec}.`);
  const pr = pullRequestNumber(context);
  checkCommentInputs(inputs, pr, context);
  if (inputs.predictions && inputs.metrics) {
    throw new UserError("Inputs 'predictions' and 'metrics' both give the candidate's numbers.", {
      input: 'metrics',
      fix: 'Keep one: `predictions` (metrics are computed) or `metrics` (a metrics JSON).',
    });
  }
  if (!inputs.predictions && !inputs.metrics && !inputs.candidate) {
    throw new UserError('Nothing to gate: no candidate was given.', {
      input: 'predictions',
      fix: 'Give `predictions` (a predictions file), `metrics` (a metrics JSON) or `candidate` (models:/<name>/<version> or runs:/<id>).',
    });
  }
  const candidateUri: ModelUri | undefined = inputs.candidate
    ? parseModelUri(inputs.candidate, 'candidate')
    : undefined;
  if (inputs.promoteAlias) {
    checkAliasName(inputs.promoteAlias);
    if (!candidateUri || candidateUri.kind === 'run-artifact') {
      throw new UserError("Input 'promote-alias' needs a registered model version as the candidate.", {
        input: 'promote-alias',
        fix: 'Set `candidate: models:/<name>/<version>` (or `models:/<name>@<alias>`), or remove `promote-alias`.',
      });
    }
  }
  const baselineInput = parseBaselineInput(inputs.baseline);
  const baselineUri =
    baselineInput.kind === 'mlflow'
      ? baselineInput.uri
      : baselineInput.kind === 'auto'
        ? defaultBaselineUri(candidateUri)
        : undefined;
  let client: MlflowClient | undefined;
  const mlflow = () => (client ??= deps.mlflow(inputs.trackingUri));

  // Candidate.
  let candidateModel: ResolvedModel | undefined;
  if (candidateUri) {
    candidateModel = await resolveModel(mlflow(), candidateUri, 'candidate');
    deps.info(`Candidate: ${candidateModel?.label}.`);
  }
  let candidate: SourceMetrics;
  let candidateComputed: ComputedPredictions | undefined;
  if (inputs.predictions) {
    candidateComputed = await computeFromPredictions(inputs.predictions, spec, { input: 'predictions', cwd });
    candidate = {
      source: 'predictions',
      uri: inputs.predictions,
      label: candidateModel ? `${candidateModel.label} · ${inputs.predictions}` : inputs.predictions,
      metrics: candidateComputed.set.metrics,
      undefinedReasons: candidateComputed.set.undefinedReasons,
      ...(candidateModel ? { runId: candidateModel.run.info.runId } : {}),
      ...(candidateModel?.modelVersion
        ? {
            modelVersion: {
              name: candidateModel.modelVersion.name,
              version: candidateModel.modelVersion.version,
            },
          }
        : {}),
    };
  } else if (inputs.metrics) {
    candidate = await readMetricsFile(inputs.metrics, 'metrics', cwd);
    if (candidateModel) candidate = { ...candidate, label: `${candidateModel.label} · ${inputs.metrics}` };
  } else {
    candidate = modelMetrics(candidateModel as ResolvedModel);
  }

  let drift: Awaited<ReturnType<typeof computeDrift>> | undefined;
  if (spec.drift && spec.checks.some((c) => c.kind === 'drift')) {
    drift = await computeDrift(spec.drift, cwd);
    candidate = {
      ...candidate,
      metrics: { ...candidate.metrics, ...drift.metrics },
      undefinedReasons: { ...(candidate.undefinedReasons ?? {}), ...drift.undefinedReasons },
    };
  }

  // Baseline.
  const notes: string[] = [];
  let baseline: SourceMetrics | undefined;
  let baselineComputed: ComputedPredictions | undefined;
  let baselineNote: string;
  let previous: { document: GateReport; runId: string } | undefined;
  let previousFetched = false;
  if (baselineInput.kind === 'none' || (baselineInput.kind === 'auto' && !baselineUri)) {
    baselineNote =
      baselineInput.kind === 'none'
        ? 'baseline: none'
        : 'the candidate names no registered model, so there is no default baseline (baseline: auto)';
  } else if (baselineInput.kind === 'artifact') {
    previous = await deps.fetchPreviousReport(artifactName(spec.gate));
    previousFetched = true;
    if (previous) {
      const doc = previous.document;
      baseline = {
        source: 'artifact',
        uri: artifactName(spec.gate),
        label: `${artifactName(spec.gate)} of run ${previous.runId}${doc.producer.sha ? ` (${doc.producer.sha.slice(0, 7)})` : ''}`,
        metrics: doc.candidate.metrics,
        ...(doc.candidate.undefinedReasons ? { undefinedReasons: doc.candidate.undefinedReasons } : {}),
        runId: previous.runId,
      };
      baselineNote = `the GateReport of the latest successful run on the default branch (run ${previous.runId})`;
    } else {
      baselineNote = `no successful run on the default branch has published ${artifactName(spec.gate)} yet (first run)`;
    }
  } else if (baselineUri) {
    const model = await resolveModel(mlflow(), baselineUri, 'baseline', true);
    if (model) {
      baseline = modelMetrics(model);
      baselineNote = `${model.label} in MLflow`;
      if (
        candidateModel?.modelVersion &&
        model.modelVersion &&
        candidateModel.modelVersion.name === model.modelVersion.name &&
        candidateModel.modelVersion.version === model.modelVersion.version
      ) {
        notes.push(`The baseline ${model.label} is the candidate itself, so every change is 0.`);
      }
    } else {
      baselineNote =
        baselineUri.kind === 'model-alias'
          ? `${baselineUri.uri} is not set yet (first run)`
          : `${baselineUri.uri} does not exist yet (first run)`;
    }
  } else if (baselineInput.kind === 'metrics-file') {
    baseline = await readMetricsFile(baselineInput.file, 'baseline', cwd);
    baselineNote = `the metrics in ${baselineInput.file}`;
  } else if (baselineInput.kind === 'predictions-file') {
    baselineComputed = await computeFromPredictions(baselineInput.file, spec, { input: 'baseline', cwd });
    baseline = {
      source: 'predictions',
      uri: baselineInput.file,
      label: baselineInput.file,
      metrics: baselineComputed.set.metrics,
      undefinedReasons: baselineComputed.set.undefinedReasons,
    };
    baselineNote = `predictions in ${baselineInput.file}`;
  } else {
    baselineNote = 'no baseline';
  }
  deps.info(baseline ? `Baseline: ${baseline.label}.` : `No baseline: ${baselineNote}.`);

  // Significance.
  const significance: Record<string, SignificanceResult> = {};
  for (const check of spec.checks) {
    // Without a baseline the change bounds are not evaluated, so there is nothing to test.
    if (!check.significance || !baseline) continue;
    const candidateTable: PredictionTable | undefined = candidateComputed?.table;
    // A computed candidate means the spec has `predictions:` (computeFromPredictions requires it).
    significance[check.name] =
      candidateTable && spec.predictions
        ? significanceOf(check, candidateTable, baselineComputed?.table, spec.predictions)
        : {
            test: check.significance.test,
            alpha: check.significance.alpha,
            mode: check.significance.mode,
            pValue: null,
            difference: null,
            significant: null,
            better: null,
            note: 'the test needs the candidate as a predictions file (predictions: <file>)',
          };
  }

  // Evaluation.
  const candidateSet: MetricSet = {
    metrics: candidate.metrics,
    ...(candidate.undefinedReasons ? { undefinedReasons: candidate.undefinedReasons } : {}),
    ...(candidateComputed
      ? { skippedSlices: candidateComputed.set.skippedSlices ?? {}, complete: true }
      : {}),
  };
  if (candidateComputed) checkMetricNames(spec, candidateComputed);
  const baselineSet: MetricSet | null = baseline
    ? {
        metrics: baseline.metrics,
        ...(baseline.undefinedReasons ? { undefinedReasons: baseline.undefinedReasons } : {}),
      }
    : null;
  const results = evaluateChecks({
    checks: spec.checks,
    candidate: candidateSet,
    baseline: baselineSet,
    significance,
  });
  const verdict = verdictOf(spec.gate, results);

  // History (decoration: a failure to read it is a warning, not a verdict).
  if (!previousFetched && inputs.history) {
    try {
      previous = await deps.fetchPreviousReport(artifactName(spec.gate));
    } catch (error) {
      deps.warning(`No history chart: could not read the previous GateReport (${describeError(error)}).`);
    }
  }
  const historyKeys = [
    ...new Set([
      ...spec.chart,
      ...results
        .filter((r) => r.slice === undefined && r.column === undefined && r.key)
        .map((r) => r.key as string),
    ]),
  ];

  const pullRequest =
    pr === undefined ? undefined : { number: pr, headSha: context.payload.pull_request?.head?.sha };
  const report: GateReport = {
    schemaVersion: 1,
    kind: 'GateReport',
    createdAt: deps.now().toISOString(),
    producer: producerOf(context),
    gate: spec.gate,
    passed: verdict.passed,
    verdict: verdict.line,
    failOn: inputs.failOn,
    candidate: toSource(candidate, {
      ...(candidateComputed ? { rows: candidateComputed.rows, task: candidateComputed.task } : {}),
    }),
    baseline: baseline
      ? toSource(
          baseline,
          baselineComputed ? { rows: baselineComputed.rows, task: baselineComputed.task } : {},
        )
      : null,
    baselineNote,
    checks: results,
    ...(candidateComputed && (candidateComputed.skippedSlices.length > 0 || spec.checks.some((c) => c.slice))
      ? { slices: { minSize: spec.sliceMinSize, skipped: candidateComputed.skippedSlices } }
      : {}),
    ...(candidateComputed && candidateComputed.fairness.length > 0
      ? { fairness: candidateComputed.fairness }
      : {}),
    ...(drift && spec.drift
      ? {
          drift: {
            reference: spec.drift.reference,
            current: spec.drift.current,
            driftShare: drift.driftShare,
            columns: drift.columns,
          },
        }
      : {}),
    ...(pullRequest
      ? { pullRequest: pullRequest.headSha ? pullRequest : { number: pullRequest.number } }
      : {}),
    history: historyAfter(previous?.document, historyKeys, spec.historyLength),
    chart: spec.chart,
    ...(notes.length > 0 ? { notes } : {}),
  };

  const reportFile = path.join(cwd, '.modelops', 'model-gate', spec.gate, 'gate-report.json');
  await writeDocument('GateReport', reportFile, report);
  const published = await deps.publishReport(artifactName(spec.gate), report);
  deps.info(`Report: ${path.relative(cwd, reportFile)} (artifact ${published.name}, ${published.location}).`);
  const model = candidateModel;
  const mlflowStep =
    model && (inputs.mlflowTags || inputs.promoteAlias)
      ? async () => {
          if (inputs.mlflowTags) {
            const tags = gateTags(spec.gate, verdict.passed, context.runUrl || undefined);
            deps.info(
              `MLflow: tagged ${await tagCandidate(mlflow(), model, tags)} with modelops.gate=${tags['modelops.gate']}.`,
            );
          }
          if (inputs.promoteAlias) {
            if (verdict.passed)
              deps.info(`MLflow: promoted ${await promoteCandidate(mlflow(), model, inputs.promoteAlias)}.`);
            else deps.info(`MLflow: '${inputs.promoteAlias}' not set, the gate did not pass.`);
          }
        }
      : undefined;
  return finish(report, reportFile, verdict, inputs, deps, pr, context, mlflowStep);
}

/** `comment: always` insists on a pull request to comment on. */
function checkCommentInputs(inputs: GateInputs, pr: number | undefined, context: RunContext): void {
  if (inputs.comment === 'always' && pr === undefined) {
    throw new UserError(
      `Input 'comment' is 'always', but this ${context.eventName || 'run'} event is not about a pull request.`,
      {
        input: 'comment',
        fix: 'Use `comment: auto` (comment on pull requests, job summary otherwise), or run the workflow on `pull_request`.',
      },
    );
  }
}

/** A metric a spec names that predictions never give is a typo, not a failing model. */
function checkMetricNames(spec: GateSpec, computed: ComputedPredictions): void {
  const overall = new Set(Object.keys(computed.set.metrics).filter((k) => !k.includes('/')));
  for (const check of spec.checks) {
    if (check.kind !== 'metric' || overall.has(check.metric)) continue;
    throw new UserError(
      `Check '${check.name}' asks for metric '${check.metric}', which is not computed for ${computed.task} predictions.${didYouMean(check.metric, overall)}`,
      {
        input: 'spec',
        fix: `Use one of: ${[...overall].sort().join(', ')}.`,
      },
    );
  }
}

/** Comment, summary, annotations, outputs; shared by both modes. */
async function finish(
  report: GateReport,
  reportFile: string,
  verdict: Pick<Verdict, 'passed' | 'failed' | 'warnings' | 'line'>,
  inputs: GateInputs,
  deps: GateDeps,
  pr: number | undefined,
  context: RunContext,
  mlflowStep?: () => Promise<void>,
): Promise<GateOutcome> {
  const markdown = renderReport(report, {
    version: SUITE_VERSION,
    artifactName: artifactName(report.gate),
    chart: report.chart ?? [],
  });
  let comment: StickyCommentResult | undefined;
  if (inputs.comment !== 'never' && pr !== undefined) {
    const token = inputs.githubToken;
    if (!token) {
      throw new UserError('Commenting on the pull request needs a token.', {
        input: 'github-token',
        fix: 'Pass `github-token: ${{ github.token }}` with `pull-requests: write`, or set `comment: never`.',
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
      env: deps.env,
    });
    deps.info(
      comment.action === 'summary-fallback'
        ? `No comment on #${pr}: the token is read-only${isForkPullRequest(context) ? ' (fork pull request)' : ''}; the report is in the job summary.`
        : `Comment ${comment.action} on #${pr}: ${comment.url}`,
    );
  }
  if (comment?.action !== 'summary-fallback') await deps.appendSummary(markdown);

  const annotate = (list: typeof verdict.failed, emit: GateDeps['error']) => {
    for (const result of list.slice(0, 10))
      emit(result.message, { title: `model-gate ${report.gate}: ${result.name}` });
    if (list.length > 10)
      emit(`… and ${list.length - 10} more; see the job summary.`, { title: `model-gate ${report.gate}` });
  };
  annotate(verdict.failed, deps.error);
  annotate(verdict.warnings, deps.warning);

  if (mlflowStep) await mlflowStep();

  const names = (list: typeof verdict.failed) =>
    list.map((r) => ((r.slice ?? r.column) ? `${r.name} [${r.slice ?? r.column}]` : r.name));
  const outputs = {
    passed: String(verdict.passed),
    report: path.relative(path.resolve(deps.cwd), reportFile).split(path.sep).join('/'),
    failed: JSON.stringify(names(verdict.failed)),
    warnings: JSON.stringify(names(verdict.warnings)),
    'comment-url': comment?.url ?? '',
  };
  deps.setOutputs(outputs);
  deps.info(verdict.line);
  const failStep =
    inputs.failOn === 'never'
      ? false
      : inputs.failOn === 'warn'
        ? !verdict.passed || verdict.warnings.length > 0
        : !verdict.passed;
  return {
    report,
    reportFile,
    markdown,
    ...(comment ? { comment } : {}),
    outputs,
    failStep,
    line: verdict.line,
  };
}

/** The fork-safe second workflow: post the comment of a report written by an earlier run. */
async function publishExistingReport(inputs: GateInputs, deps: GateDeps): Promise<GateOutcome> {
  const cwd = path.resolve(deps.cwd);
  const file = path.resolve(cwd, inputs.fromReport as string);
  const report = await readDocument('GateReport', file, { input: 'from-report' });
  const context = readContext(deps.env);
  const pr = await trustedPullRequest(report, context, inputs, deps);
  checkCommentInputs(inputs, pr, context);
  const verdict = verdictOf(report.gate, report.checks);
  // The stored verdict counts: a report that says "failed" stays failed even if its checks were edited.
  const passed = report.passed && verdict.passed;
  deps.info(
    `Posting the report of gate '${report.gate}' from ${inputs.fromReport} (run ${report.producer.runId ?? '?'}).`,
  );
  return finish(
    report,
    file,
    { ...verdict, passed, line: passed ? verdict.line : `Gate '${report.gate}' failed.` },
    inputs,
    deps,
    pr,
    context,
  );
}

/**
 * The pull request a report may be posted on. In a `workflow_run` of a fork PR GitHub lists no pull
 * request, so the number comes from the report — which the fork's run wrote and may have forged — and
 * is only trusted when that PR's head is the commit the triggering run built.
 */
async function trustedPullRequest(
  report: GateReport,
  context: RunContext,
  inputs: GateInputs,
  deps: GateDeps,
): Promise<number | undefined> {
  const run = context.payload.workflow_run;
  if (!run) return pullRequestNumber(context);
  const listed = run.pull_requests?.[0]?.number;
  if (listed !== undefined) return listed;
  const claimed = report.pullRequest?.number;
  if (claimed === undefined || inputs.comment === 'never') return undefined;
  if (!inputs.githubToken) {
    throw new UserError('Checking which pull request the report belongs to needs a token.', {
      input: 'github-token',
      fix: 'Pass `github-token: ${{ github.token }}` (with `pull-requests: write`).',
    });
  }
  const octokit = await deps.github(inputs.githubToken);
  let headSha: string;
  try {
    const { data } = await octokit.rest.pulls.get({
      owner: context.owner,
      repo: context.repo,
      pull_number: claimed,
    });
    headSha = data.head.sha;
  } catch (error) {
    throw toGitHubError(error, `get pull request #${claimed}`, 'pull-requests: read');
  }
  if (headSha !== run.head_sha) {
    throw new UserError(
      `The report names pull request #${claimed}, whose head is ${headSha.slice(0, 7)}, but the run that produced it built ${String(run.head_sha).slice(0, 7)}.`,
      {
        input: 'from-report',
        fix: 'Post only reports of the run that triggered this workflow (download the artifact with `run-id: ${{ github.event.workflow_run.id }}`); a newer push may have superseded it.',
      },
    );
  }
  return claimed;
}
