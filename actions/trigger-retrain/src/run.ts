/**
 * The trigger-retrain step: gather the inputs (datasets, files, params), fingerprint them, compare
 * with the last successful training, and when there are reasons, make sure exactly one training
 * run of this fingerprint exists — found, or dispatched — then optionally wait for it. Services come
 * in through {@link TriggerRetrainDeps} so tests can give local ones.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ModelopsError,
  UserError,
  describeError,
  formatDuration,
  readContext,
  resolveInside,
  writeDocument,
  type OutputValue,
  type PublishResult,
  type RetrainDecision,
  documentProducer,
} from '@modelops/core';
import type { MlflowClient } from '@modelops/mlflow-client';
import { compactInputs, computeFingerprint, type RetrainInputs } from './fingerprint.ts';
import { listTrackedFiles } from './files.ts';
import type { TriggerRetrainInputs } from './inputs.ts';
import { readLockBaseline, writeLockFile } from './lock.ts';
import { findMlflowActiveRun, findMlflowBaseline, type MlflowLookup } from './mlflow.ts';
import { readParamsFile } from './params.ts';
import { decideReasons, type Baseline } from './reasons.ts';
import { summaryMarkdown } from './summary.ts';
import { describeWait, waitForRun, type WaitConclusion } from './wait.ts';
import type { Dispatcher, EngineRun } from './dispatch/types.ts';

/** What the step needs from the outside world. */
export interface TriggerRetrainDeps {
  /** The workspace. */
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** The engine's dispatcher (undefined for `dispatch: none`). */
  dispatcher: Dispatcher | undefined;
  /** The MLflow client for a tracking URI (undefined: MLflow's default, `./mlruns`). */
  mlflowClient: (trackingUri: string | undefined) => MlflowClient;
  publishDecision: (name: string, decision: RetrainDecision) => Promise<PublishResult>;
  appendSummary: (markdown: string) => Promise<unknown>;
  setOutputs: (outputs: Record<string, OutputValue>) => void;
  info: (line: string) => void;
  warning: (line: string) => void;
  debug: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** First poll interval while waiting (default 5 s). */
  pollBaseMs?: number;
  /** A fresh correlation id for a dispatch. */
  dispatchId?: () => string;
}

/** What the step produced. */
export interface TriggerRetrainOutcome {
  decision: RetrainDecision;
  /** Absolute path of the decision document. */
  decisionFile: string;
  outputs: Record<string, string>;
}

/** A training run that was waited for did not succeed. */
export class TrainingRunFailed extends ModelopsError {
  constructor(message: string, fix: string) {
    super(message, { fix });
  }
}

/** Where the step writes its decision document, relative to the workspace. */
export function decisionPath(model: string): string {
  return `.modelops/trigger-retrain/${model}/retrain-decision-${model}.json`;
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p)
    .then((s) => s.isDirectory())
    .catch(() => false);
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Runs the step. */
export async function runTriggerRetrain(
  inputs: TriggerRetrainInputs,
  deps: TriggerRetrainDeps,
): Promise<TriggerRetrainOutcome> {
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const now = deps.now();
  if (inputs.wait && inputs.dispatch.engine === 'none') {
    deps.warning('`wait: true` has no effect with `dispatch: none`: there is no dispatched run to wait for.');
  }

  // 1. What the model would be trained on now.
  const [code, config] = await Promise.all([
    listTrackedFiles({ cwd, patterns: inputs.codePaths }),
    listTrackedFiles({ cwd, patterns: inputs.configPaths }),
  ]);
  for (const [name, list, patterns] of [
    ['code-paths', code, inputs.codePaths],
    ['config-paths', config, inputs.configPaths],
  ] as const) {
    if (patterns.length > 0 && list.files.length === 0) {
      deps.warning(
        `${name} matched no files (${patterns.join(', ')}); check the globs (paths are relative to the workspace).`,
      );
    }
  }
  const params = inputs.paramsFile
    ? await readParamsFile(
        resolveInside(cwd, inputs.paramsFile, { source: "input 'params-file'" }),
        inputs.paramsKeys,
        inputs.paramsFile,
      )
    : {};
  const current: RetrainInputs = {
    datasets: inputs.datasets,
    code: code.files,
    config: config.files,
    params,
  };
  const fingerprint = computeFingerprint(inputs.model, current);
  deps.info(
    `${inputs.model}: fingerprint ${fingerprint} (${Object.keys(current.datasets).length} datasets, ${current.code.length} code and ${current.config.length} config files from ${code.source === 'git' || config.source === 'git' ? 'git' : 'the file system'}, ${Object.keys(params).length} params)`,
  );

  // 2. The last successful training.
  let baseline: Baseline | undefined;
  let mlflow: MlflowLookup | undefined;
  let baselineLocation: string;
  let lockFile: string | undefined;
  if (inputs.baseline.kind === 'mlflow') {
    if (!inputs.baseline.trackingUri && !(await isDirectory(path.join(cwd, 'mlruns')))) {
      throw new UserError(
        '`baseline: mlflow` needs an MLflow tracking server, but MLFLOW_TRACKING_URI is not set and there is no ./mlruns.',
        {
          input: 'mlflow-tracking-uri',
          fix: 'Set `mlflow-tracking-uri` (or MLFLOW_TRACKING_URI in env:) to the tracking server, or use `baseline: lock` to keep the baseline in the repository.',
        },
      );
    }
    const client = deps.mlflowClient(inputs.baseline.trackingUri);
    mlflow = {
      client,
      model: inputs.model,
      ...(inputs.baseline.experiment ? { experiment: inputs.baseline.experiment } : {}),
    };
    baselineLocation = `MLflow at ${client.trackingUri}${inputs.baseline.experiment ? `, experiment '${inputs.baseline.experiment}'` : ''}: no finished run tagged modelops.model=${inputs.model} with a modelops.fingerprint`;
    baseline = await findMlflowBaseline(mlflow);
  } else {
    lockFile = resolveInside(cwd, inputs.baseline.path, { source: "input 'baseline'" });
    baselineLocation = `no lock file at ${inputs.baseline.path}`;
    baseline = await readLockBaseline(lockFile, inputs.baseline.path, inputs.model);
  }

  // 3. The reasons.
  const actor = deps.env.GITHUB_ACTOR;
  const reasons = decideReasons({
    model: inputs.model,
    inputs: current,
    fingerprint,
    baseline,
    baselineLocation,
    now,
    ...(inputs.maxAgeMs === undefined ? {} : { maxAgeMs: inputs.maxAgeMs }),
    force: inputs.force,
    ...(inputs.reason ? { forceReason: inputs.reason } : {}),
    ...(context.eventName ? { requestedBy: `${context.eventName}${actor ? ` by ${actor}` : ''}` } : {}),
  });
  const shouldRetrain = reasons.length > 0;
  deps.info(
    shouldRetrain
      ? `Retrain ${inputs.model}:\n${reasons.map((r) => `  ${r.code}: ${r.detail}`).join('\n')}`
      : `${inputs.model} is up to date with its last training${baseline?.runId ? ` (run ${baseline.runId})` : ''}.`,
  );

  const decision: RetrainDecision = {
    schemaVersion: 1,
    kind: 'RetrainDecision',
    createdAt: now.toISOString(),
    producer: documentProducer('trigger-retrain', context),
    model: inputs.model,
    shouldRetrain,
    fingerprint,
    reasons,
    inputs: current,
    baseline: baseline
      ? {
          source: baseline.source,
          location: baseline.location,
          ...(baseline.fingerprint ? { fingerprint: baseline.fingerprint } : {}),
          ...(baseline.trainedAt ? { trainedAt: baseline.trainedAt } : {}),
          ...(baseline.runId ? { runId: baseline.runId } : {}),
          ...(baseline.runUrl ? { runUrl: baseline.runUrl } : {}),
          ...(baseline.inputs ? { inputs: baseline.inputs } : {}),
        }
      : null,
  };

  // 4. Exactly one training run of this fingerprint: find it, or dispatch it; then maybe wait.
  let failure: unknown;
  if (shouldRetrain) {
    try {
      await ensureRun(inputs, deps, decision, baseline, mlflow, current);
    } catch (error) {
      failure = error;
      decision.dispatch ??= { engine: deps.dispatcher?.engine ?? 'mlflow', deduplicated: false };
      decision.dispatch.error = describeError(error);
    }
  }

  // 5. The lock file.
  const conclusion = decision.dispatch?.conclusion;
  const trainedRun = decision.dispatch?.state === 'succeeded' ? decision.dispatch : undefined;
  if (
    lockFile &&
    !failure &&
    (inputs.updateLock === 'true' || (inputs.updateLock === 'auto' && trainedRun !== undefined))
  ) {
    await writeLockFile(lockFile, {
      lockVersion: 1,
      model: inputs.model,
      fingerprint,
      trainedAt: deps.now().toISOString(),
      ...(trainedRun?.runId
        ? {
            run: {
              engine: trainedRun.engine,
              id: trainedRun.runId,
              ...(trainedRun.runUrl ? { url: trainedRun.runUrl } : {}),
            },
          }
        : {}),
      inputs: current,
    });
    deps.info(
      `Lock file ${inputs.baseline.kind === 'lock' ? inputs.baseline.path : ''} now records ${fingerprint}.`,
    );
  }

  // 6. The document, the outputs, the summary.
  const relativeDecision = decisionPath(inputs.model);
  const decisionFile = path.join(cwd, relativeDecision);
  await writeDocument('RetrainDecision', decisionFile, decision);
  const dispatched = decision.dispatch;
  const outputs: Record<string, string> = {
    'should-retrain': String(shouldRetrain),
    reasons: JSON.stringify(reasons.map((r) => ({ code: r.code, detail: r.detail }))),
    fingerprint,
    'fingerprint-inputs': compactInputs(current),
    deduplicated: String(dispatched?.deduplicated ?? false),
    'run-id': dispatched?.runId ?? '',
    'run-url': dispatched?.runUrl ?? '',
    conclusion: conclusion ?? '',
    decision: posix(relativeDecision),
  };
  deps.setOutputs(outputs);
  await deps.appendSummary(summaryMarkdown(decision));
  if (inputs.upload) {
    const artifact = `retrain-decision-${inputs.model}`;
    try {
      const published = await deps.publishDecision(artifact, decision);
      deps.info(`Decision uploaded as artifact '${artifact}' (${published.location}).`);
    } catch (error) {
      // The decision (and any dispatch) stands; a missing copy of the document must not undo it.
      deps.warning(
        `Could not upload the decision as artifact '${artifact}': ${describeError(error)}. Give each trigger-retrain step of a job its own model, or set upload: false.`,
      );
    }
  }
  if (failure) throw failure;
  if (conclusion && conclusion !== 'success') {
    const run = decision.dispatch;
    const where = run?.runUrl ? ` (${run.runUrl})` : '';
    throw new TrainingRunFailed(
      conclusion === 'timed_out'
        ? `The training run ${run?.runId}${where} did not finish within ${formatDuration(inputs.timeoutMs)}; it is still ${run?.state}.`
        : `The training run ${run?.runId}${where} ended ${conclusion === 'cancelled' ? 'cancelled' : 'in failure'}.`,
      conclusion === 'timed_out'
        ? 'Raise `timeout` (and the job timeout), or set `wait: false` and let a later step or workflow check the run.'
        : 'Look at the training run’s logs; re-running this job dispatches the fingerprint again, since a failed run does not count as trained.',
    );
  }
  return { decision, decisionFile, outputs };
}

/** Finds or dispatches the training run and records it in `decision.dispatch`; waits when asked. */
async function ensureRun(
  inputs: TriggerRetrainInputs,
  deps: TriggerRetrainDeps,
  decision: RetrainDecision,
  baseline: Baseline | undefined,
  mlflow: MlflowLookup | undefined,
  current: RetrainInputs,
): Promise<void> {
  const { dispatcher } = deps;
  const since = baseline?.trainedAt ? new Date(baseline.trainedAt) : undefined;
  const { fingerprint } = decision;
  let existing: EngineRun | undefined;
  let engine: NonNullable<RetrainDecision['dispatch']>['engine'] | undefined = dispatcher?.engine;
  if (dispatcher) existing = await dispatcher.find(fingerprint, since ? { since } : {});
  if (!existing && mlflow) {
    existing = await findMlflowActiveRun(mlflow, fingerprint, deps.now());
    if (existing) engine = 'mlflow';
  }
  if (existing && engine) {
    deps.info(
      `A ${existing.state} run of fingerprint ${fingerprint} exists (${engine} ${existing.id}${existing.url ? `, ${existing.url}` : ''}): not dispatching again.`,
    );
    decision.dispatch = {
      engine,
      deduplicated: true,
      runId: existing.id,
      ...(existing.url ? { runUrl: existing.url } : {}),
      state: existing.state,
    };
  } else if (dispatcher) {
    const dispatchId = deps.dispatchId?.() ?? `rt-${randomBytes(8).toString('hex')}`;
    decision.dispatch = { engine: dispatcher.engine, deduplicated: false, dispatchId };
    const outcome = await dispatcher.dispatch({
      model: inputs.model,
      fingerprint,
      reasons: decision.reasons,
      fingerprintInputs: compactInputs(current),
      dispatchId,
      inputs: inputs.extraInputs,
      ...(since ? { since } : {}),
    });
    decision.dispatch.deduplicated = outcome.deduplicated;
    if (outcome.run) {
      decision.dispatch.runId = outcome.run.id;
      if (outcome.run.url) decision.dispatch.runUrl = outcome.run.url;
      decision.dispatch.state = outcome.run.state;
      deps.info(
        `${outcome.deduplicated ? 'Found' : 'Dispatched'} ${dispatcher.engine} run ${outcome.run.id}${outcome.run.url ? ` (${outcome.run.url})` : ''}.`,
      );
    } else {
      deps.warning(
        `Dispatched (${dispatcher.engine}, distinct_id ${dispatchId}) but could not find the run it started: the training workflow's run-name must include the distinct_id and fingerprint it receives.`,
      );
    }
  }
  if (!inputs.wait || !decision.dispatch) return;
  const run = decision.dispatch;
  if (run.state === 'succeeded' || run.state === 'failed' || run.state === 'cancelled') {
    run.conclusion = run.state === 'succeeded' ? 'success' : run.state === 'failed' ? 'failure' : 'cancelled';
    return;
  }
  if (run.engine === 'mlflow' || !dispatcher) {
    deps.warning(
      `Not waiting: the run in progress (${run.runId}) was found in MLflow, which the step cannot follow to its end.`,
    );
    return;
  }
  if (!run.runId) {
    throw new UserError('Cannot wait for the dispatched run: it could not be identified.', {
      input: 'wait',
      fix: 'Put `${{ inputs.distinct_id }}` (workflow_dispatch) or `${{ github.event.client_payload.distinct_id }}` (repository_dispatch) in the training workflow’s run-name.',
    });
  }
  deps.info(`Waiting up to ${formatDuration(inputs.timeoutMs)} for ${dispatcher.engine} run ${run.runId}…`);
  const waited = await waitForRun(dispatcher, run.runId, {
    timeoutMs: inputs.timeoutMs,
    ...(deps.pollBaseMs === undefined ? {} : { pollBaseMs: deps.pollBaseMs }),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onPoll: (polled, elapsedMs) => deps.debug(`run ${polled.id}: ${describeWait(polled, elapsedMs)}`),
  });
  run.state = waited.run.state;
  run.conclusion = waited.conclusion as WaitConclusion;
  deps.info(
    `Run ${run.runId} ${waited.conclusion === 'timed_out' ? 'is still' : 'ended'} ${describeWait(waited.run, waited.elapsedMs)}: ${waited.conclusion}.`,
  );
}
