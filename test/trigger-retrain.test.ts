/**
 * trigger-retrain through its committed bundle, run like the runner runs it: the decision model on
 * real git checkouts (full, shallow, none at all), the lock file baseline, the job summary, the
 * decision document, and clear errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '@modelops/core';
import {
  runAction,
  NODE_MAJORS,
  type ActionRun,
  type NodeMajor,
  type RunActionOptions,
} from './harness/index.ts';

const H1 = 'sha256:' + '1'.repeat(64);
const H2 = 'sha256:' + '2'.repeat(64);

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );
}

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

/** A training repository with code, config, params and docs, committed. */
function trainingRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrain-repo-'));
  git(dir, 'init', '-q');
  write(dir, 'src/train.py', 'import features\nprint("train")\n');
  write(dir, 'src/features.py', 'COLUMNS = ["age", "plan"]\n');
  write(dir, 'conf/model.yaml', 'kind: gbm\ndepth: 6\n');
  write(dir, 'params.yaml', 'train:\n  lr: 0.1\n  epochs: 10\nserve:\n  replicas: 2\n');
  write(dir, 'README.md', '# churn\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

const BASE_INPUTS = {
  model: 'churn',
  'dataset-hash': `train=${H1}`,
  'code-paths': 'src/**/*.py',
  'config-paths': 'conf/**',
  'params-file': 'params.yaml',
  'params-keys': 'train',
  baseline: 'lock',
};

function step(
  cwd: string,
  inputs: Record<string, string> = {},
  options: Partial<RunActionOptions> = {},
): Promise<ActionRun> {
  return runAction('trigger-retrain', {
    cwd,
    // Uploading the decision is covered once (the first run); the rest skip it to stay fast.
    inputs: { ...BASE_INPUTS, upload: 'false', ...inputs },
    env: {
      MODELOPS_RETRY_BASE_MS: '5',
      MODELOPS_POLL_BASE_MS: '20',
      GITHUB_ACTOR: 'octocat',
      ...options.env,
    },
    ...(options.node ? { node: options.node } : {}),
    ...(options.event ? { event: options.event } : {}),
  });
}

function reasonsOf(run: ActionRun): string[] {
  expect(run.errors).toEqual([]);
  return (JSON.parse(run.outputs.reasons ?? '[]') as { code: string }[]).map((r) => r.code);
}

describe.each(NODE_MAJORS)('decisions with a lock file on Node %i', (node: NodeMajor) => {
  it('first run, recorded training, unrelated commit, then a params change', async () => {
    const repo = trainingRepo();
    const first = await step(repo, { 'update-lock': 'true', upload: 'true' }, { node });
    expect(first.exitCode).toBe(0);
    expect(reasonsOf(first)).toEqual(['NO_BASELINE']);
    expect(first.outputs).toMatchObject({
      'should-retrain': 'true',
      deduplicated: 'false',
      'run-id': '',
      conclusion: '',
      decision: '.modelops/trigger-retrain/churn/retrain-decision-churn.json',
    });
    expect(first.outputs.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(first.outputs['fingerprint-inputs'] as string)).toMatchObject({
      v: 1,
      datasets: { train: H1 },
    });
    const decision = await readDocument('RetrainDecision', path.join(repo, first.outputs.decision as string));
    expect(decision.inputs.code.map((f) => f.path)).toEqual(['src/features.py', 'src/train.py']);
    expect(decision.inputs.params).toEqual({ 'train.epochs': 10, 'train.lr': 0.1 });
    expect(first.summary).toContain('| Retrain | **yes** — 1 reason |');
    expect(first.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    const lock = JSON.parse(readFileSync(path.join(repo, '.modelops/churn.lock.json'), 'utf8')) as {
      fingerprint: string;
    };
    expect(lock.fingerprint).toBe(first.outputs.fingerprint);

    // Commit the lock and a docs change: neither is an input, so nothing is due.
    write(repo, 'README.md', '# churn\n\nMore docs.\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'docs and lock');
    const unchanged = await step(repo, {}, { node });
    expect(reasonsOf(unchanged)).toEqual([]);
    expect(unchanged.outputs['should-retrain']).toBe('false');
    expect(unchanged.outputs.fingerprint).toBe(first.outputs.fingerprint);
    expect(unchanged.summary).toContain('| Retrain | no — up to date |');

    write(repo, 'params.yaml', 'train:\n  lr: 0.05\n  epochs: 10\nserve:\n  replicas: 3\n');
    const changed = await step(repo, {}, { node });
    expect(JSON.parse(changed.outputs.reasons as string)).toEqual([
      { code: 'PARAMS_CHANGED', detail: 'train.lr: 0.1 → 0.05 (Δ -0.05).' },
    ]);
    expect(changed.summary).toContain('| `train.lr` | 0.1 | 0.05 | -0.05 |');
  });
});

describe('decisions on Node 24', () => {
  it('names data, code and config changes, staleness and a manual request together', async () => {
    const repo = trainingRepo();
    expect((await step(repo, { 'update-lock': 'true' })).exitCode).toBe(0);
    // Age the recorded training by 40 days.
    const lockFile = path.join(repo, '.modelops/churn.lock.json');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { trainedAt: string };
    lock.trainedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    writeFileSync(lockFile, JSON.stringify(lock));
    write(repo, 'src/features.py', 'COLUMNS = ["age", "plan", "tenure"]\n');
    write(repo, 'src/new_feature.py', 'X = 1\n');
    write(repo, 'conf/model.yaml', 'kind: gbm\ndepth: 8\n');
    const run = await step(repo, {
      'dataset-hash': `train=${H2}\nholdout=${H1}`,
      'max-age': '30d',
      force: 'true',
      reason: 'relabelled churners',
    });
    expect(reasonsOf(run)).toEqual([
      'DATA_CHANGED',
      'DATA_CHANGED',
      'CODE_CHANGED',
      'CONFIG_CHANGED',
      'STALE',
      'MANUAL_REQUEST',
    ]);
    const reasons = JSON.parse(run.outputs.reasons as string) as { code: string; detail: string }[];
    expect(reasons.map((r) => r.detail)).toEqual([
      `Dataset 'holdout' is new: sha256:111111111111….`,
      `Dataset 'train' changed: sha256:111111111111… → sha256:222222222222….`,
      '2 code files changed since the last training: src/features.py (modified), src/new_feature.py (added).',
      '1 config file changed since the last training: conf/model.yaml (modified).',
      expect.stringMatching(/^The last training \(.*\) is 40d\d*h?\d*m?\d*s? old, more than max-age 30d\.$/),
      'relabelled churners (push by octocat)',
    ]);
    expect(run.summary).toContain('<summary>Code files (2)</summary>');
  });

  it('gives one fingerprint on a full clone, a shallow clone and a folder without git (schedule)', async () => {
    const origin = trainingRepo();
    write(origin, 'README.md', 'history the fingerprint ignores\n');
    git(origin, 'commit', '-qam', 'second');
    const base = mkdtempSync(path.join(os.tmpdir(), 'retrain-clones-'));
    git(base, 'clone', '-q', origin, 'full');
    git(base, 'clone', '-q', '--depth', '1', `file://${origin}`, 'shallow');
    cpSync(path.join(base, 'full'), path.join(base, 'plain'), { recursive: true });
    rmSync(path.join(base, 'plain', '.git'), { recursive: true });
    const schedule = { name: 'schedule', payload: { schedule: '0 3 * * *' } };
    const runs = await Promise.all(
      ['full', 'shallow', 'plain'].map((dir) => step(path.join(base, dir), {}, { event: schedule })),
    );
    for (const run of runs) expect(reasonsOf(run)).toEqual(['NO_BASELINE']);
    expect(new Set(runs.map((r) => r.outputs.fingerprint)).size).toBe(1);
  });
});

describe('bad input fails with one clear line', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'an unknown dispatcher',
      { dispatch: 'airflow' },
      /^Input 'dispatch' must be one of none, github-workflow, repository-dispatch, kubeflow, argo; got 'airflow'\./,
    ],
    [
      'missing settings of the chosen dispatcher',
      { dispatch: 'kubeflow', 'kfp-url': 'http://127.0.0.1:9' },
      /^Input 'kfp-pipeline-id' is required with `dispatch: kubeflow`\. Fix: Set `kfp-pipeline-id`/,
    ],
    [
      'a malformed params file',
      { 'params-file': 'broken.yaml' },
      /^input 'params-file', file 'broken\.yaml': Cannot parse the params file as YAML\/JSON at line \d: .* Fix: /,
    ],
    [
      'a params key that does not exist',
      { 'params-keys': 'train.lrate' },
      /params-keys: 'train\.lrate' matches no parameter in 'params\.yaml'\. Did you mean 'train\.lr'\?/,
    ],
    [
      'a reserved extra input',
      { inputs: '{"reasons": "x"}' },
      /Input 'inputs' sets 'reasons', which the action sets itself/,
    ],
    [
      'an MLflow baseline without MLflow',
      { baseline: 'mlflow' },
      /`baseline: mlflow` needs an MLflow tracking server.*Fix: Set `mlflow-tracking-uri`/,
    ],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const repo = trainingRepo();
    write(repo, 'broken.yaml', 'train:\n  lr: 0.1\n   epochs: [10\n');
    const run = await step(repo, inputs);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(run.stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace outside debug lines
    expect(run.stdout).not.toMatch(/^(?!::debug::).*\bat .*\.js:\d+/m);
    expect(existsSync(path.join(repo, '.modelops'))).toBe(false);
  });
});
