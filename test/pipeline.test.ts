/**
 * The example pipeline end to end, as the README's `npm run pipeline` runs it (examples/pipeline/run.ts
 * on Node 24 with tsx), four times in one temp folder: a first run trains and passes the gate with no
 * baseline; a second run on unchanged data does not retrain; a third after new data arrives retrains
 * and is gated against the first model; a fourth with changed params and a stricter gate fails, and the
 * champion stays. Asserts on the documents, MLflow store and files the runs leave, not on log text only.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readDocument, type GateReport, type RetrainDecision } from '@modelops/core';
import { createMlflowClient, type MlflowClient } from '@modelops/mlflow-client';
import { customerRows, DATA_FILES } from '../examples/pipeline/data.ts';
import type { PipelineResult } from '../examples/pipeline/pipeline.ts';
import type { StepRecord } from '../examples/pipeline/steps.ts';
import { PROJECT_DIR, STATE_FOLDER } from '../examples/pipeline/workspace.ts';
import { nodeBinary, REPO_ROOT } from './harness/index.ts';

const RUN_SCRIPT = path.join(REPO_ROOT, 'examples/pipeline/run.ts');
const TSX = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run pipeline` in `cwd`: the same command line, without npm. */
function runPipelineCli(cwd: string, args: string[] = []): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary(24), ['--import', TSX, RUN_SCRIPT, ...args], {
      cwd,
      env: { ...process.env, MODELOPS_RETRY_BASE_MS: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let root: string;
let state: string;
let workspace: string;
let mlflow: MlflowClient;

function record(runNumber: number): PipelineResult {
  return JSON.parse(
    readFileSync(path.join(state, 'runs', String(runNumber), 'pipeline.json'), 'utf8'),
  ) as PipelineResult;
}

function step(result: PipelineResult, name: string): StepRecord {
  const found = result.steps.find((s) => s.name === name);
  if (!found) throw new Error(`run ${result.runNumber} has no step ${name}`);
  return found;
}

function decisionOf(result: PipelineResult): Promise<RetrainDecision> {
  const file = step(result, 'trigger-retrain').outputs.decision as string;
  return readDocument('RetrainDecision', path.join(workspace, file));
}

function gateReportOf(result: PipelineResult): Promise<GateReport> {
  return readDocument(
    'GateReport',
    path.join(workspace, step(result, 'model-gate').outputs.report as string),
  );
}

function sklearnMetrics(): Record<string, number> {
  return JSON.parse(readFileSync(path.join(workspace, 'outputs/metrics.json'), 'utf8')) as Record<
    string,
    number
  >;
}

function expectRolloutSkipped(result: PipelineResult): void {
  const rollout = step(result, 'canary-rollout');
  expect(rollout.status).toBe('skipped');
  expect(rollout.note).toMatch(/no model passed the gate/);
}

async function expectRolledOut(result: PipelineResult, weights: number[]): Promise<void> {
  const rollout = step(result, 'canary-rollout');
  expect(rollout.status, rollout.note).toBe('passed');
  expect(rollout.outputs).toMatchObject({ state: 'promoted', weight: '100' });
  const record = await readDocument(
    'RolloutRecord',
    path.resolve(workspace, rollout.outputs.record as string),
  );
  expect(record.state).toBe('promoted');
  expect(record.steps.map((s) => s.weight)).toEqual(weights);
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pipeline-it-'));
  state = path.join(root, STATE_FOLDER);
  workspace = path.join(state, 'workspace');
  mlflow = createMlflowClient({ trackingUri: path.join(workspace, 'mlruns'), env: {} });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('synthetic churn data', () => {
  it('is the same for the same seed and ids, and different for another seed', () => {
    const a = customerRows('TR', 1, 50, 42);
    expect(customerRows('TR', 1, 50, 42)).toBe(a);
    expect(customerRows('TR', 1, 50, 43)).not.toBe(a);
    const lines = a.trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[0]).toMatch(
      /^TR-000001,\d+,\d+\.\d{2},\d,(month-to-month|one-year|two-year),[a-z-]+,[a-z]+,[01]$/,
    );
  });
});

describe('the example pipeline, run after run in one folder', () => {
  it('run 1: no baseline → trains a real model, the gate passes without a baseline, the rollout promotes it', async () => {
    const cli = await runPipelineCli(root);
    expect(cli.stderr, cli.stdout).toBe('');
    expect(cli.code, cli.stdout).toBe(0);
    expect(cli.stdout).toContain('PASSED: dataset-hash passed → trigger-retrain passed → train passed');
    expect(cli.stdout).toContain(`job summaries: ${path.join(state, 'runs/1/summary.md')}`);

    const result = record(1);
    expect(result.passed).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual([
      'dataset-hash',
      'trigger-retrain',
      'train',
      'model-gate',
      'canary-rollout',
    ]);
    // The first release has no champion to compare with: promoted directly.
    await expectRolledOut(result, []);
    expect(readFileSync(path.join(state, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(existsSync(path.join(state, 'tmp')), 'the steps’ temp folders are removed').toBe(false);

    const hashed = step(result, 'dataset-hash').outputs;
    expect(hashed.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashed).toMatchObject({ files: '2', changed: 'true', added: '2' });

    const decision = await decisionOf(result);
    expect(decision.shouldRetrain).toBe(true);
    expect(decision.reasons.map((r) => r.code)).toEqual(['NO_BASELINE']);
    expect(decision.inputs.datasets).toEqual({ churn: hashed.hash });
    expect(decision.inputs.code.map((f) => f.path)).toEqual(['train.py']);
    expect(decision.inputs.params).toMatchObject({ 'train.model': 'logistic-regression', 'train.C': 1 });

    // The training run in MLflow carries what the next decision compares with.
    const trained = step(result, 'train').outputs;
    const run = await mlflow.getRun(trained['run-id'] as string);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.tags).toMatchObject({
      'modelops.model': 'churn',
      'modelops.fingerprint': decision.fingerprint,
    });
    expect(JSON.parse(run.data.tags['modelops.inputs'] as string)).toMatchObject({
      v: 1,
      datasets: { churn: hashed.hash },
    });
    expect(run.data.params).toMatchObject({ model: 'logistic-regression', C: '1' });
    expect(run.data.metrics.roc_auc?.value).toBeGreaterThan(0.75); // chance is 0.5: it learned
    expect(existsSync(path.join(new URL(run.info.artifactUri).pathname, 'model/model.pkl'))).toBe(true);
    expect(
      readFileSync(path.join(new URL(run.info.artifactUri).pathname, 'model/MLmodel'), 'utf8'),
    ).toContain(`run_id: ${run.info.runId}`);

    // The gate computed the candidate's metrics from the predictions, as scikit-learn did.
    const report = await gateReportOf(result);
    expect(report.passed).toBe(true);
    expect(report.baseline).toBeNull();
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    const sklearn = sklearnMetrics();
    for (const metric of ['accuracy', 'roc_auc', 'f1']) {
      expect(report.candidate.metrics[metric], metric).toBeCloseTo(sklearn[metric] as number, 10);
    }
    expect(report.candidate.modelVersion).toEqual({ name: 'churn', version: '1' });

    // Registered, and promoted by the rollout.
    const model = await mlflow.getRegisteredModel('churn');
    // Promotion moves `champion` to the canary and retires its `challenger` alias.
    expect(model.aliases).toEqual({ champion: '1' });
    expect((await mlflow.getModelVersion('churn', '1')).tags['modelops.gate']).toBe('passed');
    expect(readFileSync(path.join(state, 'runs/1/summary.md'), 'utf8')).toContain(
      'Model gate `churn` passed',
    );
  }, 60_000);

  it('run 2: unchanged data → the same hash, up to date, nothing trained or gated', async () => {
    const cli = await runPipelineCli(root);
    expect(cli.code, cli.stdout).toBe(0);
    const result = record(2);
    expect(result.passed).toBe(true);
    expect(step(result, 'dataset-hash').outputs).toMatchObject({
      hash: step(record(1), 'dataset-hash').outputs.hash,
      changed: 'false',
      modified: '0',
    });
    const decision = await decisionOf(result);
    expect(decision.shouldRetrain).toBe(false);
    expect(decision.reasons).toEqual([]);
    expect(decision.baseline?.runId).toBe(step(record(1), 'train').outputs['run-id']);
    expect(step(result, 'train')).toMatchObject({
      status: 'skipped',
      note: expect.stringContaining('up to date'),
    });
    expect(step(result, 'model-gate').status).toBe('skipped');
    expectRolloutSkipped(result);
    const versions = await mlflow.searchModelVersions({ filter: "name = 'churn'" });
    expect(versions.items).toHaveLength(1);
  }, 60_000);

  it('run 3: new rows in the training data → DATA_CHANGED, retrained, gated against the champion', async () => {
    const cli = await runPipelineCli(root, ['--change-data']);
    expect(cli.code, cli.stdout).toBe(0);
    const trainRows = readFileSync(path.join(workspace, DATA_FILES.train), 'utf8').trimEnd().split('\n');
    expect(trainRows).toHaveLength(1 + 2400 + 200);

    const result = record(3);
    expect(step(result, 'dataset-hash').outputs).toMatchObject({
      changed: 'true',
      modified: '1',
      added: '0',
    });
    const decision = await decisionOf(result);
    expect(decision.shouldRetrain).toBe(true);
    expect(decision.reasons).toEqual([
      expect.objectContaining({
        code: 'DATA_CHANGED',
        data: {
          dataset: 'churn',
          old: step(record(1), 'dataset-hash').outputs.hash,
          new: step(result, 'dataset-hash').outputs.hash,
        },
      }),
    ]);

    const report = await gateReportOf(result);
    expect(report.passed).toBe(true);
    expect(report.baseline).toMatchObject({
      source: 'mlflow',
      modelVersion: { name: 'churn', version: '1' },
    });
    const accuracy = report.checks.find((c) => c.name === 'accuracy');
    expect(accuracy?.baseline).toBeCloseTo(
      (await mlflow.getRun(step(record(1), 'train').outputs['run-id'] as string)).data.metrics.accuracy
        ?.value as number,
      12,
    );
    // Rolled out in canary steps of 10 % and 50 %, then promoted: champion moved to version 2.
    await expectRolledOut(result, [10, 50]);
    expect((await mlflow.getRegisteredModel('churn')).aliases).toEqual({ champion: '2' });
    expect(
      (await mlflow.getRun(step(result, 'train').outputs['run-id'] as string)).data.metrics.train_rows?.value,
    ).toBe(2600);
  }, 60_000);

  it('run 4: changed params and a gate the model cannot pass → exits 1, the champion stays', async () => {
    const project = path.join(root, 'strict-project');
    cpSync(PROJECT_DIR, project, { recursive: true });
    // A smaller C (a params change to retrain for) and an accuracy floor no model here reaches.
    const params = path.join(project, 'params.yaml');
    const paramsDoc = parseDocument(readFileSync(params, 'utf8'));
    paramsDoc.setIn(['train', 'C'], 0.5);
    writeFileSync(params, paramsDoc.toString());
    const gate = path.join(project, 'gate.yml');
    const gateDoc = parseDocument(readFileSync(gate, 'utf8'));
    expect(gateDoc.getIn(['checks', 0, 'name'])).toBe('accuracy');
    gateDoc.setIn(['checks', 0, 'min'], 0.95);
    gateDoc.deleteIn(['checks', 0, 'max-regression']);
    writeFileSync(gate, gateDoc.toString());

    const cli = await runPipelineCli(root, ['--project', project]);
    expect(cli.code, cli.stdout).toBe(1);
    expect(cli.stdout).toMatch(/^FAILED: .*model-gate failed/m);

    const result = record(4);
    expect(result.passed).toBe(false);
    const decision = await decisionOf(result);
    expect(decision.reasons).toEqual([
      expect.objectContaining({
        code: 'PARAMS_CHANGED',
        data: { key: 'train.C', old: 1, new: 0.5, diff: -0.5 },
      }),
    ]);
    const gateStep = step(result, 'model-gate');
    expect(gateStep.status).toBe('failed');
    expect(JSON.parse(gateStep.outputs.failed as string)).toEqual(['accuracy']);
    const report = await gateReportOf(result);
    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.name === 'accuracy')?.status).toBe('fail');
    // The rejected version is registered and tagged, but production keeps the last approved one.
    expect((await mlflow.getRegisteredModel('churn')).aliases).toEqual({ challenger: '3', champion: '2' });
    expect((await mlflow.getModelVersion('churn', '3')).tags['modelops.gate']).toBe('failed');
    // A failed stage ends the pipeline: the rollout stage is not reached.
    expect(result.steps.map((s) => s.name)).not.toContain('canary-rollout');
  }, 60_000);
});
