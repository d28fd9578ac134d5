/**
 * Runs an action's committed bundle the way the GitHub runner does: inputs as `INPUT_*` variables
 * (defaults from action.yml applied), the `GITHUB_OUTPUT` / `GITHUB_STATE` / `GITHUB_STEP_SUMMARY`
 * files, `GITHUB_EVENT_PATH`, a fresh environment, then the `post:` step with `STATE_*` when the
 * action declares one (honouring `post-if`), optionally after cancelling the main step.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { nodeBinary, REPO_ROOT, type NodeMajor } from './node.ts';

/** The parts of action.yml the harness reads. */
interface ActionManifest {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

/** A workflow event for the step. */
export interface ActionEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** Options of {@link runAction}. */
export interface RunActionOptions {
  /** Inputs as written under `with:`. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (e.g. from a local server's `env(run)`). */
  env?: Record<string, string | undefined>;
  /** The triggering event (default `push` with an empty payload). */
  event?: ActionEvent;
  /** Node major version (default 24, the runner's runtime). */
  node?: NodeMajor;
  /** Working folder, also `GITHUB_WORKSPACE` (default: a fresh temp folder). */
  cwd?: string;
  /** Send SIGINT to the main step after this many ms (as the runner does on cancel). */
  cancelAfterMs?: number;
  /** Timeout for each step (default 120 s). */
  timeoutMs?: number;
  /** Folder holding the action (default `actions/<name>` in this repository). */
  actionDir?: string;
}

/** A workflow command the step printed (`::error::…`, `::warning …::…`). */
export interface Annotation {
  level: 'error' | 'warning' | 'notice' | 'debug';
  message: string;
  properties: Record<string, string>;
}

/** The result of one step process. */
export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  annotations: Annotation[];
  /** Strings the step asked the runner to mask. */
  masks: string[];
}

/** The result of running an action. */
export interface ActionRun extends StepResult {
  /** Step outputs. */
  outputs: Record<string, string>;
  /** Saved state for the post step. */
  state: Record<string, string>;
  /** Job summary markdown written by the main and post steps. */
  summary: string;
  /** The post step, when the action has one and `post-if` held. */
  post?: StepResult;
  /** Working folder of the run. */
  cwd: string;
  /** The error annotations' messages (convenience). */
  errors: string[];
}

/** Parses the runner's key/value file format (`name=value` and `name<<DELIM … DELIM`). */
export function parseKeyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`unterminated value for '${name}' in runner file`);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Parses workflow commands from a step's stdout. */
export function parseCommands(stdout: string): { annotations: Annotation[]; masks: string[] } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, props = '', data = ''] = match;
    const message = unescape(data);
    if (command === 'add-mask') masks.push(message);
    if (command === 'error' || command === 'warning' || command === 'notice' || command === 'debug') {
      const properties: Record<string, string> = {};
      for (const pair of props.split(',').filter(Boolean)) {
        const eq = pair.indexOf('=');
        properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
      }
      annotations.push({ level: command, message, properties });
    }
  }
  return { annotations, masks };
}

function unescape(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** The `INPUT_*` variable of an input, as the runner names it. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Evaluates the few expressions action.yml defaults use. */
function expandDefault(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    switch (expr) {
      case 'github.token':
        return env.GITHUB_TOKEN ?? '';
      case 'github.workspace':
        return env.GITHUB_WORKSPACE ?? '';
      case 'github.repository':
        return env.GITHUB_REPOSITORY ?? '';
      case 'github.event.repository.default_branch':
        return 'main';
      default:
        throw new Error(`harness: unsupported expression in an action.yml default: ${expr}`);
    }
  });
}

function evaluatePostIf(condition: string | undefined, mainFailed: boolean, cancelled: boolean): boolean {
  const c = (condition ?? 'always()').replace(/\$\{\{\s*|\s*\}\}/g, '').trim();
  if (c === 'always()') return true;
  if (c === 'success()') return !mainFailed && !cancelled;
  if (c === 'failure()') return mainFailed && !cancelled;
  if (c === 'cancelled()') return cancelled;
  if (c === '!cancelled()') return !cancelled;
  throw new Error(`harness: unsupported post-if: ${condition}`);
}

function runStep(
  node: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
  cancelAfterMs?: number,
): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timers: NodeJS.Timeout[] = [];
    timers.push(
      setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`step ${script} timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
        );
      }, timeoutMs),
    );
    if (cancelAfterMs !== undefined) {
      // The runner sends SIGINT, then SIGTERM 7.5 s later if the process is still there.
      timers.push(setTimeout(() => child.kill('SIGINT'), cancelAfterMs));
      timers.push(setTimeout(() => child.kill('SIGTERM'), cancelAfterMs + 7500));
    }
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      timers.forEach(clearTimeout);
      resolve({ exitCode, signal, stdout, stderr, ...parseCommands(stdout) });
    });
  });
}

/** Runs `actions/<name>` (or `options.actionDir`) like the runner; see the module comment. */
export async function runAction(name: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const actionDir = options.actionDir ?? path.join(REPO_ROOT, 'actions', name);
  const manifest = parseYaml(readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as ActionManifest;
  if (manifest.runs.using !== 'node24')
    throw new Error(`${name}: runs.using is ${manifest.runs.using}, expected node24`);
  const node = nodeBinary(options.node ?? 24);
  const home = mkdtempSync(path.join(os.tmpdir(), `run-${name}-`));
  const cwd = options.cwd ?? path.join(home, 'workspace');
  mkdirSync(cwd, { recursive: true });
  const files = {
    GITHUB_OUTPUT: path.join(home, 'output'),
    GITHUB_STATE: path.join(home, 'state'),
    GITHUB_STEP_SUMMARY: path.join(home, 'summary.md'),
    GITHUB_ENV: path.join(home, 'env'),
    GITHUB_PATH: path.join(home, 'path'),
    GITHUB_EVENT_PATH: path.join(home, 'event.json'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const event = options.event ?? { name: 'push', payload: {} };
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event.payload));
  const runnerTemp = path.join(home, 'runner-temp');
  mkdirSync(runnerTemp);
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: runnerTemp,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: cwd,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_ACTION: name,
    GITHUB_REPOSITORY: 'acme/ml',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'ci',
    MODELOPS_ARTIFACT_DIR: path.join(home, 'artifacts'),
    MODELOPS_CACHE_DIR: path.join(home, 'cache'),
    ...files,
    ...options.env,
  };
  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(manifest.inputs ?? {})) {
    if (spec.default !== undefined) inputs[inputEnvName(input)] = expandDefault(String(spec.default), base);
  }
  for (const [input, value] of Object.entries(options.inputs ?? {}))
    inputs[inputEnvName(input)] = String(value);
  const env = Object.fromEntries(
    Object.entries({ ...base, ...inputs }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const timeoutMs = options.timeoutMs ?? 120_000;
  const main = await runStep(
    node,
    path.join(actionDir, manifest.runs.main),
    env,
    cwd,
    timeoutMs,
    options.cancelAfterMs,
  );
  const cancelled =
    (options.cancelAfterMs !== undefined && main.signal !== null) ||
    (options.cancelAfterMs !== undefined && main.exitCode !== 0);
  const state = parseKeyValueFile(readFileSync(files.GITHUB_STATE, 'utf8'));
  let post: StepResult | undefined;
  if (manifest.runs.post && evaluatePostIf(manifest.runs['post-if'], main.exitCode !== 0, cancelled)) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
    post = await runStep(
      node,
      path.join(actionDir, manifest.runs.post),
      { ...env, ...stateEnv },
      cwd,
      timeoutMs,
    );
  }
  const outputs = parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
  const summary = existsSync(files.GITHUB_STEP_SUMMARY)
    ? readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
    : '';
  return {
    ...main,
    outputs,
    state,
    summary,
    ...(post ? { post } : {}),
    cwd,
    errors: main.annotations.filter((a) => a.level === 'error').map((a) => a.message),
  };
}
