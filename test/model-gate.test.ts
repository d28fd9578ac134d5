/**
 * model-gate through its committed bundle, like the runner runs it (`npm run build` first): files
 * as candidate and baseline, local artifacts as the previous run's report, the verdict in the exit
 * code, outputs, annotations and job summary.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDocument } from '@modelops/core';
import { NODE_MAJORS, runAction } from './harness/index.ts';
import { pullRequestEvent, workspaceWithSpec } from './fixtures/model-gate/helpers.ts';

const FAST = { MODELOPS_RETRY_BASE_MS: '5' };

const SPEC = `
gate: churn
predictions: {label: label, score: score, id: id}
fairness: {min-group-size: 30}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: AUC vs production, metric: roc_auc, max-regression: 0.01}
  - {name: AUC in the US, metric: roc_auc, slice: region=us, min: 0.85}
  - {name: equalized odds, fairness: equalized-odds-difference, group: gender, max: 0.1}
`;

const FAILING_SPEC = `
gate: churn
predictions: {label: label, score: score, id: id}
fairness: {min-group-size: 30}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: AUC by region, metric: roc_auc, slice: region, min: 0.75}
  - {name: four-fifths (age), fairness: demographic-parity-ratio, group: age_band, min: 0.8}
`;

describe.each(NODE_MAJORS)('model-gate bundle on Node %i', (node) => {
  it('passes a strong candidate against a baseline predictions file', async () => {
    const cwd = workspaceWithSpec(SPEC);
    const run = await runAction('model-gate', {
      node,
      cwd,
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv', baseline: 'baseline.csv' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toEqual({
      passed: 'true',
      report: '.modelops/model-gate/churn/gate-report.json',
      failed: '[]',
      warnings: '[]',
      'comment-url': '',
    });
    const report = await readDocument('GateReport', path.join(cwd, run.outputs.report as string));
    expect(report).toMatchObject({
      gate: 'churn',
      passed: true,
      baseline: { source: 'predictions', uri: 'baseline.csv' },
    });
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(run.summary).toMatch(/^### ✅ Model gate `churn` passed — 4 checks/);
    expect(run.summary).toContain('| check | candidate | baseline | Δ | bound | result |');
  });

  it('fails on a weak slice and an unfair group, with one annotation per failure', async () => {
    const cwd = workspaceWithSpec(FAILING_SPEC);
    const run = await runAction('model-gate', {
      node,
      cwd,
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv', baseline: 'baseline.csv' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(JSON.parse(run.outputs.failed as string)).toEqual([
      'AUC by region [region=apac]',
      'four-fifths (age)',
    ]);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => [a.properties.title, a.message])).toEqual([
      [
        'model-gate churn: AUC by region',
        'AUC by region: roc_auc [region=apac] = 0.6277, below the minimum 0.75',
      ],
      [
        'model-gate churn: four-fifths (age)',
        'four-fifths (age): demographic_parity_ratio over age_band = 0.5486, below the minimum 0.8',
      ],
      [undefined, "Gate 'churn' failed: 2 checks failed (AUC by region, four-fifths (age))."],
    ]);
    expect(run.summary).toContain('**Slices that fail** (1)');
    expect(run.summary).toContain('**Fairness over `age_band`**');
  });

  it('refuses a bad spec with the pointer and the fix, and never reports a pass', async () => {
    const cwd = workspaceWithSpec('checks:\n  - name: auc\n    metric: roc_auc\n    mni: 0.8\n');
    const run = await runAction('model-gate', {
      node,
      cwd,
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ passed: 'false' });
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^input 'spec', file '.*gate\.yml': Invalid gate spec: at \/checks\/0: unknown key 'mni'\. Did you mean 'min'\? Allowed: .* Fix: Correct the spec at the JSON pointer shown/,
      ),
    ]);
    const visible = run.stdout.split('\n').filter((line) => !line.startsWith('::debug::'));
    expect(visible.join('\n')).not.toMatch(/\bat .+\.js:\d+/);
  });
});

describe('model-gate bundle on Node 24', () => {
  it('labels a first run without a baseline and passes it on its value bounds', async () => {
    const cwd = workspaceWithSpec(SPEC);
    const run = await runAction('model-gate', {
      cwd,
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv', baseline: 'artifact' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.passed).toBe('true');
    expect(run.summary).toContain(
      '> ⚪ **No baseline** — no successful run on the default branch has published gate-report-churn yet (first run).',
    );
    expect(run.summary).toMatch(
      /\| AUC vs production \| 0\.9651 \| — \| — \| Δ ≥ −0\.01 \| ⚪ no baseline \|/,
    );
  });

  it('passes with warnings when only warn checks fail', async () => {
    const cwd = workspaceWithSpec(`
predictions: {label: label, score: score}
fairness: {min-group-size: 30}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: four-fifths (age), fairness: demographic-parity-ratio, group: age_band, min: 0.8, severity: warn}
  - {name: AUC by region, metric: roc_auc, slice: region, min: 0.75, severity: warn}
`);
    const run = await runAction('model-gate', {
      cwd,
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      passed: 'true',
      failed: '[]',
      warnings: '["four-fifths (age)","AUC by region [region=apac]"]',
    });
    expect(run.errors).toEqual([]);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.properties.title)).toEqual([
      'model-gate model-gate: four-fifths (age)',
      'model-gate model-gate: AUC by region',
    ]);
    expect(run.summary).toMatch(/^### ✅ Model gate `model-gate` passed with 2 warnings — 3 checks/);
  });

  it('lets a regression beyond the bound pass when it is not significant', async () => {
    const spec = `
predictions: {label: label, score: score, id: id}
checks:
  - name: accuracy holds
    metric: accuracy
    max-regression: 0.001
    significance: {test: mcnemar}
`;
    const close = await runAction('model-gate', {
      cwd: workspaceWithSpec(spec),
      env: FAST,
      inputs: { spec: 'gate.yml', predictions: 'candidate-close.csv', baseline: 'baseline.csv' },
    });
    expect(close.exitCode).toBe(0);
    expect(close.summary).toMatch(
      /\| accuracy holds \| mcnemar \| −0\.0033 \| mcnemar, p = 0\.\d+, α 0\.05 \| not significant \|/,
    );
  });

  it("takes the baseline from the previous run's report artifact and charts the history", async () => {
    const artifacts = mkdtempSync(path.join(os.tmpdir(), 'gate-artifacts-'));
    const shared = { ...FAST, MODELOPS_ARTIFACT_DIR: artifacts };
    const main = await runAction('model-gate', {
      cwd: workspaceWithSpec(SPEC),
      env: { ...shared, GITHUB_RUN_ID: '10', GITHUB_SHA: 'a'.repeat(40) },
      inputs: { spec: 'gate.yml', predictions: 'baseline.csv', baseline: 'none' },
    });
    expect(main.exitCode).toBe(0);
    expect(existsSync(path.join(artifacts, 'runs/10/gate-report-churn/gate-report-churn.json'))).toBe(true);
    const pr = await runAction('model-gate', {
      cwd: workspaceWithSpec(SPEC),
      env: { ...shared, GITHUB_RUN_ID: '11', GITHUB_REF: 'refs/pull/7/merge' },
      event: pullRequestEvent(),
      inputs: { spec: 'gate.yml', predictions: 'candidate.csv', baseline: 'artifact', comment: 'never' },
    });
    expect(pr.exitCode).toBe(0);
    expect(pr.summary).toContain('**Baseline** `gate-report-churn of run 10 (aaaaaaa)`');
    expect(pr.summary).toMatch(
      /\| AUC vs production \| 0\.9651 \| 0\.9208 \| \+0\.0442 \(\+4\.8 %\) \| Δ ≥ −0\.01 \| ✅ pass \|/,
    );
    expect(pr.summary).toContain('x-axis ["aaaaaaa", "this run"]');
    expect(pr.summary).toContain('line [0.920842, 0.965084]');
  });
});
