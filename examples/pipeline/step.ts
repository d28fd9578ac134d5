/**
 * The pipeline's own stages as workflow steps (examples/pipeline/workflow.yml), sharing their code
 * with the local runner:
 *
 *   node --import tsx examples/pipeline/step.ts prepare   project files + data into the workspace
 *   node --import tsx examples/pipeline/step.ts train     train.py + MLflow record; step outputs
 *
 * `prepare` appends new customers when `CHANGE_DATA` is true. `train` reads the RetrainDecision named
 * by `DECISION` (trigger-retrain's `decision` output) and sets the outputs `run-id`, `version`,
 * `candidate` and `predictions`. The workspace is `GITHUB_WORKSPACE`, else the working directory.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { readDocument, setOutputs } from '@modelops/core';
import { appendTrainingRows, ensureDataset } from './data.ts';
import { PipelineError } from './log.ts';
import { MODEL } from './stages.ts';
import { trainAndRecord } from './training.ts';
import { checkoutProject } from './workspace.ts';

const log = (line: string) => console.log(line);
const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
const command = process.argv[2];

try {
  if (command === 'prepare') {
    const files = await checkoutProject(workspace);
    const data = await ensureDataset(workspace);
    log(
      `project files: ${files.join(', ')}; data: ${data.rows.train} training, ${data.rows.test} test customers`,
    );
    if (/^(1|true|yes)$/i.test(process.env.CHANGE_DATA ?? '')) {
      log(`data: appended 200 new customers (${await appendTrainingRows(workspace, 200)} training rows now)`);
    }
  } else if (command === 'train') {
    const file = process.env.DECISION;
    if (!file) {
      throw new PipelineError(
        'DECISION is not set.',
        'Pass trigger-retrain’s output: `env: DECISION: ${{ steps.retrain.outputs.decision }}`.',
      );
    }
    const decision = await readDocument('RetrainDecision', path.resolve(workspace, file));
    const trained = await trainAndRecord({
      workspace,
      model: MODEL,
      decision,
      runNumber: Number(process.env.GITHUB_RUN_NUMBER ?? '0'),
      env: process.env,
      log,
    });
    setOutputs({
      'run-id': trained.runId,
      version: trained.version,
      candidate: trained.candidateUri,
      predictions: trained.predictions,
    });
  } else {
    console.error('usage: step.ts prepare | train');
    process.exitCode = 2;
  }
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
