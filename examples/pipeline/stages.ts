/**
 * The pipeline's stages, in order. Each one logs what it does and returns its record; what a later
 * stage needs (the dataset hash, the retrain decision, the candidate model) goes through the shared
 * {@link PipelineState}. The inputs of the action stages are the `with:` blocks of workflow.yml.
 */
import path from 'node:path';
import type { RetrainDecision } from '@modelops/core';
import { logFields, type Log } from './log.ts';
import { runActionStep, type StepRecord } from './steps.ts';

/** The registered model (and `modelops.model`) of the example. */
export const MODEL = 'churn';

/** The dataset name given to dataset-hash (its manifest artifact is `dataset-manifest-churn`). */
export const DATASET = 'churn';

/**
 * canary-rollout's inputs (the `with:` block of workflow.yml): the challenger rolls out through the
 * MLflow aliases in canary steps of 10 % and 50 %, each step checked against the gate's report.
 * The first release (no champion yet) is promoted directly.
 */
export function rolloutInputs(gateReport: string): Record<string, string> {
  return {
    model: `models:/${MODEL}@challenger`,
    steps: '10,50',
    interval: '200ms',
    observer: 'gate-report',
    'observer-config': `file: ${gateReport}`,
    metrics: '- {name: gate, key: gate.passed, min: 1}\n- {name: accuracy, min: 0.7}',
    // A local run has no GitHub token: no Deployment to record the steps on.
    deployment: 'false',
  };
}

/** What the stages of one run share. */
export interface PipelineState {
  /** The job's workspace. */
  workspace: string;
  /** Environment of every step (run id, artifact and cache folders, MLflow store). */
  env: Record<string, string>;
  /** Folder of this run's job summaries. */
  summaryDir: string;
  runNumber: number;
  log: Log;
  /** dataset-hash's `hash`. */
  datasetHash?: string;
  /** trigger-retrain's outputs and decision document. */
  retrain?: { outputs: Record<string, string>; decision?: RetrainDecision };
  /** The model trained in this run, when one was. */
  candidate?: { uri: string; predictions: string };
  /** model-gate's verdict. */
  gatePassed?: boolean;
  /** model-gate's GateReport (workspace-relative path). */
  gateReport?: string;
}

/** One stage of the pipeline. */
export interface Stage {
  name: string;
  /** One line saying what the stage does. */
  what: string;
  run(state: PipelineState): Promise<StepRecord>;
}

function skipped(name: string, note: string, log: Log): StepRecord {
  log(`    skipped: ${note}`);
  return { name, status: 'skipped', note, outputs: {}, errors: [], durationMs: 0 };
}

function actionStep(state: PipelineState, action: string, inputs: Record<string, string>) {
  const { env, workspace, summaryDir, log } = state;
  return runActionStep({ action, inputs, env, workspace, summaryDir, log });
}

/** [1] dataset-hash on data/, diffed against the previous run's manifest artifact. */
export const datasetHashStage: Stage = {
  name: 'dataset-hash',
  what: 'content hash of data/, diff against the previous run’s manifest',
  async run(state) {
    const { record, run } = await actionStep(state, 'dataset-hash', {
      path: 'data/',
      name: DATASET,
      baseline: 'artifact',
    });
    if (record.status === 'failed') return record;
    const o = run.outputs;
    state.datasetHash = o.hash;
    logFields(state.log, 'outputs', {
      hash: o.hash ?? '',
      files: `${o.files} (${o.bytes} bytes)`,
      changed: `${o.changed} (added ${o.added}, removed ${o.removed}, modified ${o.modified})`,
      manifest: o.manifest ?? '',
    });
    return record;
  },
};

/** [2] trigger-retrain: data, train.py and the `train` params against the last MLflow training. */
export const triggerRetrainStage: Stage = {
  name: 'trigger-retrain',
  what: 'retrain when data, code or params changed since the last training',
  async run(state) {
    const { record, run } = await actionStep(state, 'trigger-retrain', {
      model: MODEL,
      'dataset-hash': `${DATASET}=${state.datasetHash ?? ''}`,
      'code-paths': 'train.py',
      'params-file': 'params.yaml',
      'params-keys': 'train',
      baseline: 'mlflow',
      dispatch: 'none',
    });
    if (record.status === 'failed') return record;
    const o = run.outputs;
    const reasons = JSON.parse(o.reasons || '[]') as { code: string; detail: string }[];
    logFields(state.log, 'outputs', {
      'should-retrain': o['should-retrain'] ?? '',
      fingerprint: o.fingerprint ?? '',
      deduplicated: o.deduplicated ?? '',
      reasons: reasons.length === 0 ? 'none' : reasons.map((r) => `${r.code}: ${r.detail}`).join('\n'),
      decision: o.decision ?? '',
    });
    state.retrain = { outputs: o };
    if (o['should-retrain'] === 'true' && o.decision) {
      // Loaded only when needed: the core library takes a while to load.
      const { readDocument } = await import('@modelops/core');
      state.retrain.decision = await readDocument('RetrainDecision', path.join(state.workspace, o.decision));
    }
    return record;
  },
};

/** [3] train.py and the MLflow record, when trigger-retrain asks for it and nothing runs already. */
export const trainStage: Stage = {
  name: 'train',
  what: 'scikit-learn on data/train, recorded in MLflow (./mlruns), version → challenger',
  async run(state) {
    const { log } = state;
    const o = state.retrain?.outputs ?? {};
    if (o['should-retrain'] !== 'true' || !state.retrain?.decision) {
      return skipped('train', 'the model is up to date with its last training (should-retrain=false)', log);
    }
    if (o.deduplicated === 'true') {
      return skipped('train', `a training of this fingerprint is already running (${o['run-id']})`, log);
    }
    const started = Date.now();
    try {
      // Loaded only when needed: the MLflow client takes a while to load.
      const { trainAndRecord } = await import('./training.ts');
      const trained = await trainAndRecord({
        workspace: state.workspace,
        model: MODEL,
        decision: state.retrain.decision,
        runNumber: state.runNumber,
        env: state.env,
        log,
      });
      state.candidate = { uri: trained.candidateUri, predictions: trained.predictions };
      const outputs = {
        'run-id': trained.runId,
        version: trained.version,
        candidate: trained.candidateUri,
        predictions: trained.predictions,
        accuracy: String(trained.metrics.accuracy),
        roc_auc: String(trained.metrics.roc_auc),
        f1: String(trained.metrics.f1),
      };
      logFields(log, 'outputs', outputs);
      const durationMs = Date.now() - started;
      log(`    passed in ${(durationMs / 1000).toFixed(1)} s`);
      return { name: 'train', status: 'passed', outputs, errors: [], durationMs };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`    error: ${message}`);
      const durationMs = Date.now() - started;
      return {
        name: 'train',
        status: 'failed',
        note: message.split('\n')[0],
        outputs: {},
        errors: [message],
        durationMs,
      };
    }
  },
};

/** [4] model-gate on the new model's predictions (the `challenger`), against the `champion`. */
export const modelGateStage: Stage = {
  name: 'model-gate',
  what: 'gate.yml on the predictions, against models:/churn@champion',
  async run(state) {
    if (!state.candidate) return skipped('model-gate', 'no new model was trained in this run', state.log);
    const { record, run } = await actionStep(state, 'model-gate', {
      spec: 'gate.yml',
      predictions: state.candidate.predictions,
      candidate: state.candidate.uri,
      baseline: 'auto',
    });
    state.gatePassed = run.outputs.passed === 'true';
    state.gateReport = run.outputs.report;
    logFields(state.log, 'outputs', run.outputs);
    state.log(
      `    verdict: ${state.gatePassed ? 'PASSED' : 'FAILED'}${record.note ? ` — ${record.note}` : ''}`,
    );
    return record;
  },
};

/** [5] canary-rollout of the challenger that passed the gate; promotion moves `champion` to it. */
export const canaryRolloutStage: Stage = {
  name: 'canary-rollout',
  what: 'progressive delivery of models:/churn@challenger via the MLflow aliases, checked against the gate report',
  async run(state) {
    const { log } = state;
    if (!state.gatePassed || !state.gateReport) {
      return skipped('canary-rollout', 'no model passed the gate in this run', log);
    }
    const { record, run } = await actionStep(state, 'canary-rollout', rolloutInputs(state.gateReport));
    logFields(log, 'outputs', run.outputs);
    return record;
  },
};

/** The stages, in order. */
export const STAGES: readonly Stage[] = [
  datasetHashStage,
  triggerRetrainStage,
  trainStage,
  modelGateStage,
  canaryRolloutStage,
];
