/**
 * The training stage: train.py (scikit-learn, Debian's python3-sklearn) fits the model, and the run
 * is recorded in MLflow through `@modelops/mlflow-client` the way a training job records itself for
 * the suite: a run tagged `modelops.model` / `modelops.fingerprint` / `modelops.inputs` (what
 * trigger-retrain compares the next time), its params, metrics and model files, and a registered
 * model version with the `challenger` alias (what model-gate checks and canary-rollout promotes).
 *
 * The run is created before training starts and stays RUNNING until it ends, so a second pipeline
 * started meanwhile sees the training in progress and does not start another (trigger-retrain's
 * `deduplicated`).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { RetrainDecision } from '@modelops/core';
import {
  MlflowAlreadyExistsError,
  MlflowNotFoundError,
  createMlflowClient,
  type MlflowClient,
} from '@modelops/mlflow-client';
import { ensureSystemPackages } from '../../test/harness/system-packages.ts';
import { PipelineError, type Log } from './log.ts';

/** Debian's Python, where Debian's python3-sklearn is installed. */
export const PYTHON = '/usr/bin/python3';

/** The MLflow experiment the training runs go to. */
export const EXPERIMENT = 'churn';

/** The alias a freshly trained version gets; model-gate checks it; canary-rollout promotes it to `champion`. */
export const CANDIDATE_ALIAS = 'challenger';

/** Where train.py writes, relative to the workspace. */
export const OUTPUT_DIR = 'outputs';

/** Options of {@link trainAndRecord}. */
export interface TrainingOptions {
  /** The workspace (train.py, params.yaml, data/ and mlruns/ are in it). */
  workspace: string;
  /** Registered model name (`modelops.model`). */
  model: string;
  /** trigger-retrain's decision: fingerprint and inputs to record. */
  decision: RetrainDecision;
  /** Pipeline run number, for the MLflow run name. */
  runNumber: number;
  /** Environment with `MLFLOW_TRACKING_URI` (unset: `./mlruns` in the workspace). */
  env: Record<string, string | undefined>;
  log: Log;
}

/** What the training produced. */
export interface TrainingResult {
  runId: string;
  /** The registered model version. */
  version: string;
  /** `models:/<model>@challenger`. */
  candidateUri: string;
  /** Test-split metrics computed by scikit-learn. */
  metrics: Record<string, number>;
  /** Predictions file, relative to the workspace. */
  predictions: string;
}

/** Checks that Debian's Python has scikit-learn; installs python3-sklearn as root, else fails with the fix. */
export function ensureScikitLearn(): void {
  try {
    // find_spec locates the package without importing it (an import costs as much as training).
    ensureSystemPackages([
      {
        name: 'python3-sklearn',
        check: [
          'python3',
          '-c',
          'import importlib.util, sys; sys.exit(importlib.util.find_spec("sklearn") is None)',
        ],
      },
    ]);
  } catch (error) {
    throw new PipelineError(
      `The training step needs scikit-learn for ${PYTHON}: ${(error as Error).message}`,
      'Install it with `sudo apt-get install -y python3-sklearn`, then run the pipeline again.',
    );
  }
}

/**
 * The MLflow client of a step in `workspace`: `MLFLOW_TRACKING_URI` from `env` (a relative store path
 * is relative to the workspace), else MLflow's file store `./mlruns`, the embedded default.
 */
export function workspaceMlflow(
  workspace: string,
  env: Record<string, string | undefined> = {},
): MlflowClient {
  return createMlflowClient({ cwd: workspace, env });
}

/** The `train` section of params.yaml. */
async function readTrainParams(workspace: string): Promise<Record<string, unknown>> {
  const file = path.join(workspace, 'params.yaml');
  const parsed = parseYaml(await readFile(file, 'utf8')) as { train?: unknown } | null;
  const train = parsed?.train;
  if (train === null || typeof train !== 'object' || Array.isArray(train)) {
    throw new PipelineError(
      `${file} has no \`train:\` mapping.`,
      'Put the training parameters under `train:`.',
    );
  }
  return train as Record<string, unknown>;
}

/**
 * The `modelops.inputs` tag: the decision's inputs in trigger-retrain's compact form, so the next
 * decision can name what changed. Undefined when it would not fit MLflow's 5000-character tag limit.
 */
export function inputsTag(decision: RetrainDecision): string | undefined {
  const { inputs } = decision;
  const text = JSON.stringify({
    v: 1,
    datasets: inputs.datasets,
    code: inputs.code.map((file) => [file.path, file.blob]),
    config: inputs.config.map((file) => [file.path, file.blob]),
    params: inputs.params,
  });
  return text.length <= 5000 ? text : undefined;
}

function runPython(args: string[], cwd: string, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) log(`      │ ${line}`);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`train.py exited with ${code}:\n${stderr.trim()}`));
    });
  });
}

async function registeredModel(client: MlflowClient, name: string): Promise<void> {
  try {
    await client.getRegisteredModel(name);
  } catch (error) {
    if (!(error instanceof MlflowNotFoundError)) throw error;
    try {
      await client.createRegisteredModel(name, { description: 'Churn classifier of the example pipeline.' });
    } catch (raced) {
      if (!(raced instanceof MlflowAlreadyExistsError)) throw raced;
    }
  }
}

/** Trains with train.py and records the run, the model files and a registered version in MLflow. */
export async function trainAndRecord(options: TrainingOptions): Promise<TrainingResult> {
  const { workspace, model, decision, log } = options;
  ensureScikitLearn();
  const params = await readTrainParams(workspace);
  const client = workspaceMlflow(workspace, options.env);
  const experiment = await client.getOrCreateExperiment(EXPERIMENT);
  const inputs = inputsTag(decision);
  const run = await client.createRun({
    experimentId: experiment.experimentId,
    runName: `${model}-pipeline-${options.runNumber}`,
    tags: {
      'modelops.model': model,
      'modelops.fingerprint': decision.fingerprint,
      ...(inputs ? { 'modelops.inputs': inputs } : {}),
      'modelops.reasons': decision.reasons.map((r) => r.code).join(','),
      'mlflow.source.name': 'train.py',
      'mlflow.source.type': 'LOCAL',
    },
  });
  const runId = run.info.runId;
  log(`    MLflow run ${runId} (experiment '${EXPERIMENT}', ${client.trackingUri}) — RUNNING`);
  try {
    await client.logBatch(runId, {
      params: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
    });
    const outputs = path.join(workspace, OUTPUT_DIR);
    await rm(outputs, { recursive: true, force: true });
    await runPython(
      [
        'train.py',
        '--train',
        'data/train',
        '--test',
        'data/test',
        '--out',
        OUTPUT_DIR,
        '--params',
        JSON.stringify(params),
        '--run-id',
        runId,
      ],
      workspace,
      log,
    );
    const metrics = JSON.parse(await readFile(path.join(outputs, 'metrics.json'), 'utf8')) as Record<
      string,
      number
    >;
    await client.logBatch(runId, {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value })),
    });
    // The file store keeps a run's artifacts in a folder; copy the model and its evidence there.
    if (run.info.artifactUri.startsWith('file:')) {
      const artifacts = fileURLToPath(run.info.artifactUri);
      await mkdir(artifacts, { recursive: true });
      await cp(outputs, artifacts, { recursive: true });
    }
    await client.finishRun(runId, 'FINISHED');
    await registeredModel(client, model);
    const version = await client.createModelVersion({
      name: model,
      source: `runs:/${runId}/model`,
      runId,
      tags: { 'modelops.fingerprint': decision.fingerprint },
    });
    await client.setRegisteredModelAlias(model, CANDIDATE_ALIAS, version.version);
    log(
      `    MLflow run ${runId} FINISHED; registered ${model} version ${version.version}, alias '${CANDIDATE_ALIAS}'`,
    );
    return {
      runId,
      version: version.version,
      candidateUri: `models:/${model}@${CANDIDATE_ALIAS}`,
      metrics,
      predictions: `${OUTPUT_DIR}/predictions.csv`,
    };
  } catch (error) {
    await client.finishRun(runId, 'FAILED').catch(() => undefined);
    throw error;
  }
}
