/**
 * One pipeline step that is an action: run its committed bundle the way the GitHub runner does
 * (through the test harness's runner protocol), show its log, keep its job summary, and report
 * outputs and errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runAction, type ActionRun } from '../../test/harness/run-action.ts';
import { REPO_ROOT } from '../../test/harness/node.ts';
import { logFields, PipelineError, type Log } from './log.ts';

/** How a stage ended. */
export type StepStatus = 'passed' | 'failed' | 'skipped';

/** The record of one stage, as printed and as written to `pipeline.json`. */
export interface StepRecord {
  name: string;
  status: StepStatus;
  /** Why the stage was skipped or failed, in one line. */
  note?: string;
  /** Inputs the step was given (actions). */
  inputs?: Record<string, string>;
  /** Outputs the step set. */
  outputs: Record<string, string>;
  /** Error annotations of the step. */
  errors: string[];
  /** The step's job summary file, when it wrote one. */
  summaryFile?: string;
  durationMs: number;
}

/** Throws with the fix when the committed bundle of an action is missing. */
export function checkBundle(name: string): void {
  const actionDir = path.join(REPO_ROOT, 'actions', name);
  const manifest = parseYaml(readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as {
    runs?: { main?: string; post?: string };
  };
  for (const entry of [manifest.runs?.main, manifest.runs?.post]) {
    if (entry && !existsSync(path.join(actionDir, entry))) {
      throw new PipelineError(
        `The bundle of ${name} (actions/${name}/${entry}) is missing.`,
        'Run `npm run build` to bundle the actions.',
      );
    }
  }
}

/** The lines of a step's stdout a runner shows: its log, annotations as `error:` / `warning:`. */
export function visibleLog(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line === '') continue;
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) {
      out.push(line);
      continue;
    }
    const [, name, message = ''] = command;
    if (name === 'error' || name === 'warning' || name === 'notice') {
      const text = message.replace(/%0D/g, '').replace(/%0A/g, '\n').replace(/%25/g, '%');
      text.split('\n').forEach((part, i) => out.push(i === 0 ? `${name}: ${part}` : `  ${part}`));
    }
  }
  return out;
}

/** What {@link runActionStep} needs. */
export interface ActionStepOptions {
  /** Action name: the folder under `actions/`. */
  action: string;
  inputs: Record<string, string>;
  /** Environment shared by the pipeline's steps. */
  env: Record<string, string>;
  /** The workspace (GITHUB_WORKSPACE). */
  workspace: string;
  /** Folder for the step's job summary. */
  summaryDir: string;
  log: Log;
}

/** Runs an action's committed bundle like the runner, logs it, and returns its record and run. */
export async function runActionStep(
  options: ActionStepOptions,
): Promise<{ record: StepRecord; run: ActionRun }> {
  const { action, inputs, log } = options;
  checkBundle(action);
  logFields(log, 'with', inputs);
  const started = Date.now();
  const run = await runAction(action, { inputs, env: options.env, cwd: options.workspace });
  const durationMs = Date.now() - started;
  const shown = visibleLog(run.stdout);
  if (shown.length > 0) {
    log('    log:');
    for (const line of shown) log(`      │ ${line}`);
  }
  for (const line of run.stderr.split('\n').filter(Boolean)) log(`      ! ${line}`);
  let summaryFile: string | undefined;
  if (run.summary.trim() !== '') {
    summaryFile = path.join(options.summaryDir, `${action}.md`);
    await writeFile(summaryFile, run.summary);
  }
  const failed = run.exitCode !== 0;
  log(`    ${failed ? 'failed' : 'passed'} in ${(durationMs / 1000).toFixed(1)} s`);
  const record: StepRecord = {
    name: action,
    status: failed ? 'failed' : 'passed',
    inputs,
    outputs: run.outputs,
    errors: run.errors,
    ...(summaryFile ? { summaryFile } : {}),
    durationMs,
  };
  if (failed) {
    record.note =
      run.errors[0] ??
      `exited with ${run.exitCode ?? run.signal}${run.stderr ? `: ${run.stderr.trim()}` : ''}`;
  }
  return { record, run };
}
