/**
 * The main step: inputs → observer (checked, and its source read once) → router (`prepare`: what
 * serves now) → saved state for the post step → GitHub deployment → the controller → the record
 * (written after every change, published at the end) → job summary → outputs.
 *
 * Nothing moves before every input is checked and both the router and the observer answered once.
 * Once traffic has moved, the state saved for the `post:` step lets it roll back when this step does
 * not finish (cancelled job, crash); `finished` is saved as soon as traffic is settled, before the
 * bookkeeping that could still fail.
 */
import path from 'node:path';
import {
  describeError,
  readContext,
  writeDocument,
  type AnalysisResult,
  type GitHubClient,
  type OutputValue,
  type PublishResult,
  type RolloutRecord,
  type RolloutStep,
  type RunContext,
  documentProducer,
} from '@modelops/core';
import type { MlflowClient } from '@modelops/mlflow-client';
import { judge, readMetricChecks, renderQuery, toRecordMetrics, type MetricCheck } from './analysis.ts';
import { runController, type ControllerEvent } from './controller.ts';
import { DeploymentTracker } from './deployment.ts';
import type { RolloutInputs } from './inputs.ts';
import { createObserver, type Observer } from './observers/index.ts';
import type { RolloutPlan } from './plan.ts';
import { createRouter, type Router } from './routers/index.ts';
import { encodeSavedRollout, STATE_KEYS, type SavedRollout } from './state.ts';
import { renderSummary } from './summary.ts';

/** Services and side effects of the step; tests pass local ones. */
export interface RolloutDeps {
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  mlflow: (trackingUri: string | undefined) => MlflowClient;
  github: (token: string) => Promise<GitHubClient>;
  publishRecord: (name: string, record: RolloutRecord) => Promise<PublishResult>;
  appendSummary: (markdown: string) => Promise<unknown>;
  setOutputs: (outputs: Record<string, OutputValue | undefined>) => void;
  saveState: (name: string, value: string) => void;
  info: (message: string) => void;
  notice: (message: string) => void;
  warning: (message: string) => void;
  debug: (message: string) => void;
}

/** How the step ended. */
export interface RolloutOutcome {
  /** Fail the step with `line` (rolled back, aborted, cancelled). */
  failStep: boolean;
  line: string;
  record: RolloutRecord;
}

/** Artifact name of a rollout's record. */
export function artifactName(name: string): string {
  return `rollout-record-${name}`;
}

/** Where the record is kept in the workspace. */
export function recordPath(cwd: string, name: string): string {
  return path.join(cwd, '.modelops', 'canary-rollout', name, 'rollout-record.json');
}

/** The `producer` of the record. */
export function producerOf(context: RunContext): RolloutRecord['producer'] {
  return documentProducer('canary-rollout', context);
}

/** The analysis interval as a Prometheus duration (whole seconds, at least 1s). */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** Builds the router named by the inputs (the post step builds it again with the saved memo). */
export function routerFor(
  inputs: RolloutInputs,
  deps: Pick<RolloutDeps, 'cwd' | 'env' | 'mlflow' | 'debug'>,
  memo?: Record<string, string>,
): Router {
  return createRouter(inputs.router, inputs.routerConfig, {
    model: inputs.model,
    stable: inputs.stable,
    name: inputs.name,
    cwd: deps.cwd,
    env: deps.env,
    steps: inputs.plan.weights.length,
    mlflow: () => deps.mlflow(inputs.trackingUri),
    ...(memo ? { memo } : {}),
    log: deps.debug,
  });
}

/** Checks metric placeholders now rather than in the middle of a rollout. */
function checkQueries(checks: readonly MetricCheck[]): void {
  const sample = {
    canary: 'c',
    stable: 's',
    canary_version: 'c',
    stable_version: 's',
    weight: 10,
    interval: '60s',
    step: 1,
  };
  for (const check of checks) if (check.query) renderQuery(check.query, sample);
}

function deploymentDescription(
  event: ControllerEvent,
  record: RolloutRecord,
  plan: RolloutPlan,
): string | undefined {
  if (event.type === 'step') return `canary ${event.step.weight}% (${event.number}/${event.of})`;
  if (event.type === 'check') {
    const last = event.step.checks[event.step.checks.length - 1];
    if (!last || last.outcome === 'successful') return undefined;
    const count =
      last.outcome === 'failed'
        ? `${record.failedChecks}/${plan.threshold} failed`
        : `${record.inconclusiveChecks}/${plan.inconclusiveLimit} inconclusive`;
    return `canary ${event.step.weight}% (${event.number}/${event.of}): check ${last.outcome} (${count})`;
  }
  return undefined;
}

function describeResults(results: readonly AnalysisResult[]): string {
  if (results.length === 0) return 'no metrics (observer none)';
  const mark = { successful: '✓', failed: '✗', inconclusive: '?', error: '!' } as const;
  return results.map((r) => `${mark[r.status]} ${r.message ?? r.metric}`).join('; ');
}

/** Runs the main step; see the module comment. */
export async function runRollout(inputs: RolloutInputs, deps: RolloutDeps): Promise<RolloutOutcome> {
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const { plan } = inputs;

  // 1. The analysis: checks, observer, and one read of its source.
  const checks = await readMetricChecks(inputs.metrics, cwd);
  const observer: Observer = createObserver(inputs.observer, inputs.observerConfig, { cwd, log: deps.debug });
  observer.validate(checks);
  checkQueries(checks);
  if (inputs.observer === 'none') {
    deps.warning(
      'No observer: each step only waits its interval, nothing is measured (set `observer` and `metrics`).',
    );
  }
  await observer.preflight?.();

  // 2. The router: what serves now.
  const router = routerFor(inputs, { ...deps, cwd });
  deps.info(`Router: ${router.description}.`);
  deps.info(
    `Observer: ${observer.kind === 'none' ? observer.description : `${observer.kind}, ${observer.description}`}; ${checks.length} metric check(s).`,
  );
  const prepared = await router.prepare();
  for (const warning of prepared.warnings ?? []) deps.warning(warning);

  const recordFile = recordPath(cwd, inputs.name);
  const startedAt = deps.now().toISOString();
  const record: RolloutRecord = {
    schemaVersion: 1,
    kind: 'RolloutRecord',
    createdAt: startedAt,
    producer: producerOf(context),
    name: inputs.name,
    strategy: plan.strategy,
    router: router.kind,
    routerDescription: router.description,
    observer: observer.kind,
    stable: prepared.stable,
    canary: prepared.canary,
    environment: inputs.environment,
    state: 'progressing',
    weight: 0,
    plan: {
      weights: plan.weights,
      intervalMs: plan.intervalMs,
      iterations: plan.iterations,
      threshold: plan.threshold,
      inconclusiveLimit: plan.inconclusiveLimit,
    },
    metrics: toRecordMetrics(checks),
    failedChecks: 0,
    inconclusiveChecks: 0,
    startedAt,
    steps: [],
  };

  const finish = async (failStep: boolean, line: string): Promise<RolloutOutcome> => {
    await writeDocument('RolloutRecord', recordFile, record);
    const relative = path.relative(cwd, recordFile);
    if (inputs.upload) {
      const published = await deps.publishRecord(artifactName(inputs.name), record);
      deps.info(`Record: ${relative} (artifact ${published.name}, ${published.location}).`);
    } else {
      deps.info(`Record: ${relative}.`);
    }
    await deps.appendSummary(renderSummary(record));
    deps.setOutputs({
      state: record.state,
      weight: record.weight,
      stable: record.state === 'promoted' ? record.canary : (record.stable ?? ''),
      canary: record.canary,
      record: relative,
      'deployment-id': record.deploymentId === undefined ? '' : String(record.deploymentId),
      'failed-checks': record.failedChecks,
      'inconclusive-checks': record.inconclusiveChecks,
      reason: record.reason ?? '',
    });
    return { failStep, line, record };
  };

  // Nothing to roll out: the canary already serves everything.
  if (prepared.alreadyStable) {
    record.state = 'promoted';
    record.weight = 100;
    record.endedAt = startedAt;
    record.reason = `${prepared.canary} already is the stable version; nothing to roll out`;
    deps.notice(record.reason);
    deps.saveState(STATE_KEYS.finished, 'true');
    return finish(false, record.reason);
  }

  // From here on traffic may move: the post step must be able to put it back.
  const saved: SavedRollout = { v: 1, name: inputs.name, recordFile, memo: prepared.memo };
  deps.saveState(STATE_KEYS.rollout, encodeSavedRollout(saved));

  let tracker: DeploymentTracker | undefined;
  if (inputs.deployment && inputs.githubToken && context.owner) {
    tracker = await DeploymentTracker.start({
      octokit: await deps.github(inputs.githubToken),
      context,
      environment: inputs.environment,
      ...(inputs.environmentUrl ? { environmentUrl: inputs.environmentUrl } : {}),
      description: `${plan.strategy} rollout of ${prepared.canary}`,
      payload: {
        name: inputs.name,
        canary: prepared.canary,
        stable: prepared.stable,
        router: router.kind,
        weights: plan.weights,
      },
      warning: deps.warning,
    });
    if (tracker) {
      record.deploymentId = tracker.id;
      deps.saveState(STATE_KEYS.rollout, encodeSavedRollout({ ...saved, deploymentId: tracker.id }));
      deps.info(`GitHub deployment ${tracker.id} (environment ${inputs.environment}).`);
    }
  }

  // A first release: nothing serves yet, so there is nothing to compare the canary with.
  if (prepared.stable === null) {
    deps.notice(
      `Nothing serves yet: ${prepared.canary} is promoted directly (a first release has no stable version to compare against).`,
    );
    await tracker?.status('in_progress', `first release of ${prepared.canary}`);
    await router.promote();
    deps.saveState(STATE_KEYS.finished, 'true');
    record.state = 'promoted';
    record.weight = 100;
    record.endedAt = deps.now().toISOString();
    record.reason = `first release: ${prepared.canary} promoted without a canary (nothing served before)`;
    await tracker?.status('success', `promoted ${prepared.canary} (first release)`);
    return finish(false, record.reason);
  }

  deps.info(
    `Rolling out ${prepared.canary} (stable: ${prepared.stable}): weights ${plan.weights.map((w) => `${w}%`).join(' → ')}, then promote.`,
  );
  let writeWarned = false;
  const onChange = async (event: ControllerEvent, current: RolloutRecord): Promise<void> => {
    try {
      await writeDocument('RolloutRecord', recordFile, current);
    } catch (error) {
      if (!writeWarned) deps.warning(`Could not write ${recordFile}: ${describeError(error)}`);
      writeWarned = true;
    }
    if (event.type === 'step')
      deps.info(`Step ${event.number}/${event.of}: canary weight ${event.step.weight}%.`);
    if (event.type === 'check') {
      const last = event.step.checks[event.step.checks.length - 1];
      if (last)
        deps.info(
          `  check ${event.step.checks.length} at ${event.step.weight}%: ${last.outcome} — ${describeResults(last.results)}`,
        );
    }
    if (event.type === 'end') deps.info(`Rollout ${event.state}: ${event.reason}.`);
    const description = deploymentDescription(event, current, plan);
    if (tracker && description) await tracker.status('in_progress', description);
  };

  const analyse = async (step: RolloutStep, number: number): Promise<AnalysisResult[]> => {
    if (checks.length === 0) return [];
    const now = deps.now();
    const variables = {
      canary: record.canary,
      stable: record.stable ?? '',
      canary_version: prepared.versions?.canary ?? record.canary,
      stable_version: prepared.versions?.stable ?? record.stable ?? '',
      weight: step.weight,
      interval: promDuration(plan.intervalMs),
      step: number,
    };
    const measured = await Promise.all(checks.map((check) => observer.measure(check, { variables, now })));
    return checks.map((check, i) => judge(check, measured[i] as NonNullable<(typeof measured)[number]>, now));
  };

  const result = await runController(record, plan, {
    router,
    analyse,
    sleep: deps.sleep,
    now: deps.now,
    signal: deps.signal,
    onChange,
  });

  if (result.cancelled) {
    deps.saveState(STATE_KEYS.cancelled, 'true');
    await writeDocument('RolloutRecord', recordFile, record).catch(() => undefined);
    deps.setOutputs({
      state: record.state,
      weight: record.weight,
      canary: record.canary,
      reason: result.reason,
    });
    return {
      failStep: true,
      line: `The rollout of ${record.canary} was ${result.reason}; the post step sends all traffic back to ${record.stable}.`,
      record,
    };
  }
  if (result.settled) deps.saveState(STATE_KEYS.finished, 'true');
  if (tracker) {
    const state =
      result.state === 'promoted' ? 'success' : result.state === 'rolled-back' ? 'failure' : 'error';
    const description =
      result.state === 'promoted'
        ? `promoted ${record.canary} (100%)`
        : `${result.state === 'rolled-back' ? 'rolled back' : 'aborted'}: ${result.reason}`;
    await tracker.status(state, description);
  }
  if (result.state === 'promoted') return finish(false, `Promoted ${record.canary}: ${result.reason}.`);
  const line = !result.settled
    ? `The rollout of ${record.canary} ${result.reason}. Traffic may still reach the canary: the post step tries the rollback again.`
    : result.state === 'rolled-back'
      ? `Rolled back ${record.canary}; all traffic is on ${record.stable} again. ${result.reason}.`
      : `Aborted the rollout of ${record.canary}; all traffic is on ${record.stable} again. ${result.reason}.`;
  return finish(true, line);
}
