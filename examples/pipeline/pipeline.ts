/**
 * The example ML pipeline, run locally exactly as examples/pipeline/workflow.yml runs it on GitHub:
 *
 *   dataset-hash → trigger-retrain → train (when there is a reason) → model-gate → canary-rollout
 *
 * The actions run from their committed bundles through the runner protocol (`INPUT_*`,
 * `GITHUB_OUTPUT`, job summaries…), in one workspace, with one `GITHUB_RUN_ID` per pipeline run and
 * the artifact and cache stand-ins in the state folder, so each run sees the previous runs' artifacts,
 * hash cache and MLflow store the way the next workflow run would. The stages are in stages.ts.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../test/harness/node.ts';
import { appendTrainingRows, DATA_FILES, ensureDataset } from './data.ts';
import { logStage, type Log } from './log.ts';
import { STAGES, type PipelineState } from './stages.ts';
import type { StepRecord } from './steps.ts';
import { PROJECT_DIR, prepareRun, type RunFolders } from './workspace.ts';

export { DATASET, MODEL, rolloutInputs } from './stages.ts';

/** Options of {@link runPipeline}. */
export interface PipelineOptions {
  /** Working directory; the state folder `.modelops-pipeline/` goes here. */
  cwd: string;
  /** Append new customers to the training split first, so the dataset (and its hash) changes. */
  changeData?: boolean;
  /** Rows appended by `changeData` (default 200). */
  newRows?: number;
  /** Folder with the project files (train.py, params.yaml, gate.yml); default examples/pipeline/project. */
  projectDir?: string;
  /** Where the log goes (default: stdout). */
  log?: Log;
}

/** What a pipeline run did; also written to `runs/<n>/pipeline.json`. */
export interface PipelineResult {
  runNumber: number;
  /** True when no stage failed. */
  passed: boolean;
  steps: StepRecord[];
  workspace: string;
  /** All job summaries of the run, one after the other. */
  summaryFile: string;
  /** This record as a file. */
  recordFile: string;
}

function sharedEnv(folders: RunFolders): Record<string, string> {
  const head = gitHeadSync(REPO_ROOT);
  return {
    GITHUB_REPOSITORY: 'example/churn-model',
    ...(head ? { GITHUB_SHA: head } : {}),
    GITHUB_RUN_ID: String(folders.runNumber),
    GITHUB_RUN_NUMBER: String(folders.runNumber),
    GITHUB_WORKFLOW: 'example-pipeline',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    MODELOPS_ARTIFACT_DIR: folders.artifacts,
    MODELOPS_CACHE_DIR: folders.cache,
    // MLflow's file store in the workspace, the embedded default (relative to the workspace).
    MLFLOW_TRACKING_URI: 'mlruns',
    // The workspace is a plain folder, as a fresh job's files would be without history: keep git from
    // treating it as part of an enclosing repository (whose ignore rules would hide its files).
    GIT_CEILING_DIRECTORIES: path.dirname(folders.workspace),
  };
}

/** The commit of this checkout (the actions' code the run used), or undefined outside git. */
function gitHeadSync(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs the pipeline once; see the module comment. A failing stage ends the run and makes `passed`
 * false; a pipeline that cannot run at all (a missing bundle) throws a `PipelineError` with the fix.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const folders = await prepareRun(options.cwd, options.projectDir ?? PROJECT_DIR);
  const { workspace } = folders;
  log(`modelops example pipeline — run ${folders.runNumber}`);
  log(`  workspace: ${workspace}`);

  // The data: generated once, appended to on request.
  const data = await ensureDataset(workspace);
  if (data.created) log(`  data: wrote ${data.rows.train} training and ${data.rows.test} test customers`);
  if (options.changeData) {
    const rows = options.newRows ?? 200;
    const total = await appendTrainingRows(workspace, rows);
    log(`  data: appended ${rows} new customers to ${DATA_FILES.train} (${total} rows now)`);
  }

  const state: PipelineState = {
    workspace,
    env: sharedEnv(folders),
    summaryDir: folders.run,
    runNumber: folders.runNumber,
    log,
  };
  const steps: StepRecord[] = [];
  for (const [index, stage] of STAGES.entries()) {
    logStage(log, index + 1, stage.name, stage.what);
    const record = await stage.run(state);
    steps.push(record);
    if (record.status === 'failed') break;
  }

  // The record and the job summaries.
  const passed = steps.every((s) => s.status !== 'failed');
  const summaryFile = path.join(folders.run, 'summary.md');
  await writeFile(summaryFile, `# Example pipeline, run ${folders.runNumber}\n\n`);
  for (const step of steps) {
    if (step.summaryFile) await appendFile(summaryFile, `${await readFile(step.summaryFile, 'utf8')}\n\n`);
  }
  const recordFile = path.join(folders.run, 'pipeline.json');
  const result: PipelineResult = {
    runNumber: folders.runNumber,
    passed,
    steps,
    workspace,
    summaryFile,
    recordFile,
  };
  await writeFile(recordFile, `${JSON.stringify(result, null, 2)}\n`);

  log('');
  const failed = steps.find((s) => s.status === 'failed');
  const chain = steps.map((s) => `${s.name} ${s.status}`).join(' → ');
  log(`${passed ? 'PASSED' : 'FAILED'}: ${chain}${failed ? ` — ${failed.name}: ${failed.note}` : ''}`);
  log(`  job summaries: ${summaryFile} (each step: ${folders.run}/<action>.md)`);
  log(`  record: ${recordFile}`);
  log(`  MLflow store: ${path.join(workspace, 'mlruns')} (mlflow ui --backend-store-uri <that folder>)`);
  return result;
}
