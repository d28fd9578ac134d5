/**
 * The gate in-process (spec → metrics → evaluation → report → markdown) on the fixture data, with the
 * rendered comment snapshotted so every change to what reviewers read is reviewed. The docs example
 * (docs/examples/model-gate-comment.md) is one of these snapshots.
 */
import { describe, expect, it } from 'vitest';
import { readDocument, type GateReport } from '@modelops/core';
import { runGate, type GateInputs } from '../actions/model-gate/src/run.ts';
import { renderReport } from '../actions/model-gate/src/render.ts';
import {
  pullRequestEvent,
  recordingDeps,
  runnerEnv,
  sha,
  workspaceWithSpec,
} from './fixtures/model-gate/helpers.ts';

const inputs = (overrides: Partial<GateInputs>): GateInputs => ({
  spec: 'gate.yml',
  baseline: 'none',
  comment: 'never',
  failOn: 'fail',
  mlflowTags: true,
  history: true,
  ...overrides,
});

const PASSING_SPEC = `
gate: churn
predictions: {label: label, score: score, id: id}
slices: {min-size: 50}
fairness: {min-group-size: 30}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: AUC vs production, metric: roc_auc, max-regression: 0.01, significance: {test: delong}}
  - {name: accuracy, metric: accuracy, min: 0.8, max-regression: 1%}
  - {name: log loss, metric: log_loss, max-regression: 5%}
  - {name: AUC in the US, metric: roc_auc, slice: region=us, min: 0.85}
  - {name: equalized odds, fairness: equalized-odds-difference, group: gender, max: 0.1}
`;

const FAILING_SPEC = `
gate: churn
predictions: {label: label, score: score, id: id}
fairness: {min-group-size: 30}
drift: {reference: reference.csv, current: current.csv, numeric: [age], categorical: [plan]}
report: {chart: [roc_auc, f1]}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: F1 vs production, metric: f1, max-regression: 0.02}
  - {name: AUC by region, metric: roc_auc, slice: region, min: 0.75}
  - {name: four-fifths (age), fairness: demographic-parity-ratio, group: age_band, min: 0.8}
  - {name: equalized odds, fairness: equalized-odds-difference, group: gender, max: 0.1}
  - {name: feature drift, drift: psi, max: 0.2, severity: warn}
`;

/** Earlier gate runs on the default branch, each carrying the history of the ones before. */
async function previousReports(count: number): Promise<GateReport> {
  let previous: GateReport | undefined;
  const files = ['candidate-regressed.csv', 'baseline.csv', 'candidate-close.csv', 'baseline.csv'];
  for (let i = 0; i < count; i++) {
    const dir = workspaceWithSpec(FAILING_SPEC);
    const env = runnerEnv({ runId: String(100 + i), sha: sha(`${i}0f${i}e`) });
    const prior = previous;
    const deps = recordingDeps(dir, env, {
      now: () => new Date(Date.UTC(2026, 10, 20 + i)),
      fetchPreviousReport: async () => (prior ? { document: prior, runId: String(99 + i) } : undefined),
    });
    const outcome = await runGate(inputs({ predictions: files[i % files.length], failOn: 'never' }), deps);
    previous = outcome.report;
  }
  return previous as GateReport;
}

describe('model-gate in-process, rendered', () => {
  it('passes a strong candidate against the production baseline', async () => {
    const dir = workspaceWithSpec(PASSING_SPEC);
    const deps = recordingDeps(dir, runnerEnv({ event: pullRequestEvent() }));
    const outcome = await runGate(inputs({ predictions: 'candidate.csv', baseline: 'baseline.csv' }), deps);
    expect(outcome.failStep).toBe(false);
    expect(deps.records.outputs).toMatchObject({
      passed: 'true',
      failed: '[]',
      warnings: '[]',
      'comment-url': '',
    });
    expect(outcome.report.checks.map((c) => c.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(outcome.report.checks[1]?.significance).toMatchObject({
      test: 'delong',
      significant: true,
      better: true,
    });
    // The report on disk is the one published, and a valid GateReport.
    expect(await readDocument('GateReport', outcome.reportFile)).toEqual(outcome.report);
    expect(deps.records.published).toEqual([{ name: 'gate-report-churn', report: outcome.report }]);
    expect(deps.records.summary).toEqual([outcome.markdown]);
    await expect(outcome.markdown).toMatchFileSnapshot('./__snapshots__/model-gate-passing.md');
  });

  it('fails on a weak slice and an unfair age band, warns on drift, and charts the history', async () => {
    const previous = await previousReports(4);
    expect(previous.history).toHaveLength(3);
    const dir = workspaceWithSpec(FAILING_SPEC);
    const deps = recordingDeps(dir, runnerEnv({ event: pullRequestEvent() }), {
      fetchPreviousReport: async (name) => {
        expect(name).toBe('gate-report-churn');
        return { document: previous, runId: '103' };
      },
    });
    const outcome = await runGate(inputs({ predictions: 'candidate.csv', baseline: 'artifact' }), deps);
    expect(outcome.failStep).toBe(true);
    expect(outcome.line).toBe("Gate 'churn' failed: 2 checks failed (AUC by region, four-fifths (age)).");
    expect(JSON.parse(deps.records.outputs.failed as string)).toEqual([
      'AUC by region [region=apac]',
      'four-fifths (age)',
    ]);
    expect(JSON.parse(deps.records.outputs.warnings as string)).toEqual(['feature drift [age]']);
    expect(deps.records.errors.map((e) => e.properties?.title)).toEqual([
      'model-gate churn: AUC by region',
      'model-gate churn: four-fifths (age)',
    ]);
    expect(deps.records.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^feature drift: psi of age = 0\.\d+, above the maximum 0\.2$/),
    ]);
    expect(outcome.report.history).toHaveLength(4);
    expect(outcome.report.baseline?.source).toBe('artifact');
    expect(outcome.markdown).toContain('```mermaid\nxychart-beta');
    await expect(outcome.markdown).toMatchFileSnapshot('./__snapshots__/model-gate-failing.md');
    await expect(outcome.markdown).toMatchFileSnapshot('../docs/examples/model-gate-comment.md');
  });

  it('labels a first run without a baseline and lets the value bounds decide', async () => {
    const dir = workspaceWithSpec(PASSING_SPEC);
    const deps = recordingDeps(dir, runnerEnv({ event: pullRequestEvent() }));
    const outcome = await runGate(inputs({ predictions: 'candidate.csv', baseline: 'none' }), deps);
    expect(outcome.report.passed).toBe(true);
    expect(outcome.report.checks.map((c) => c.status)).toEqual([
      'pass',
      'no-baseline',
      'pass',
      'no-baseline',
      'pass',
      'pass',
    ]);
    expect(outcome.markdown).toContain(
      '> ⚪ **No baseline** — baseline: none. Change bounds are not evaluated',
    );
    await expect(outcome.markdown).toMatchFileSnapshot('./__snapshots__/model-gate-first-run.md');
  });

  it('fails the step on warnings with fail-on: warn, and never with fail-on: never', async () => {
    const spec = `
predictions: {label: label, score: score}
checks:
  - {name: AUC floor, metric: roc_auc, min: 0.9}
  - {name: AUC by region, metric: roc_auc, slice: region, min: 0.75, severity: warn}
`;
    const warn = await runGate(
      inputs({ predictions: 'candidate.csv', failOn: 'warn' }),
      recordingDeps(workspaceWithSpec(spec), runnerEnv()),
    );
    expect(warn).toMatchObject({ failStep: true, report: { passed: true, failOn: 'warn' } });
    const never = await runGate(
      inputs({ predictions: 'candidate-regressed.csv', failOn: 'never' }),
      recordingDeps(workspaceWithSpec(spec), runnerEnv()),
    );
    expect(never).toMatchObject({ failStep: false, report: { passed: false } });
  });

  it('approves nothing when only change bounds exist and there is no baseline', async () => {
    const dir = workspaceWithSpec(`
predictions: {label: label, score: score}
checks:
  - {name: no regression, metric: roc_auc, max-regression: 0.01}
`);
    const deps = recordingDeps(dir, runnerEnv());
    const outcome = await runGate(inputs({ predictions: 'candidate.csv', baseline: 'artifact' }), deps);
    expect(outcome.report).toMatchObject({ passed: false, baselineNote: expect.stringMatching(/first run/) });
    expect(outcome.failStep).toBe(true);
    expect(outcome.markdown).toMatch(
      /^### ❌ Model gate `model-gate` did not pass — no bound could be evaluated/,
    );
  });

  it('gates a regression on its significance', async () => {
    const spec = `
predictions: {label: label, score: score, id: id}
checks:
  - name: accuracy holds
    metric: accuracy
    max-regression: 0.001
    significance: {test: mcnemar, alpha: 0.05}
`;
    const close = await runGate(
      inputs({ predictions: 'candidate-close.csv', baseline: 'baseline.csv' }),
      recordingDeps(workspaceWithSpec(spec), runnerEnv()),
    );
    const [quiet] = close.report.checks;
    expect(quiet?.delta).toBeLessThan(-0.001);
    expect(quiet).toMatchObject({ status: 'pass', significance: { significant: false } });
    expect(quiet?.message).toMatch(/but not significant \(mcnemar, p = 0\.\d+, α 0\.05\)/);
    const regressed = await runGate(
      inputs({ predictions: 'candidate-regressed.csv', baseline: 'baseline.csv' }),
      recordingDeps(workspaceWithSpec(spec), runnerEnv()),
    );
    expect(regressed.report.checks[0]).toMatchObject({
      status: 'fail',
      significance: { significant: true, better: false },
    });
  });

  it('reads a metrics file as candidate and a GateReport as baseline', async () => {
    const first = await runGate(
      inputs({ predictions: 'baseline.csv' }),
      recordingDeps(workspaceWithSpec(PASSING_SPEC), runnerEnv()),
    );
    const dir = workspaceWithSpec(PASSING_SPEC);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${dir}/metrics.json`,
      JSON.stringify({ metrics: { ...first.report.candidate.metrics, roc_auc: 0.93 } }),
    );
    writeFileSync(`${dir}/previous.json`, JSON.stringify(first.report));
    const outcome = await runGate(
      inputs({ metrics: 'metrics.json', baseline: 'previous.json' }),
      recordingDeps(dir, runnerEnv()),
    );
    expect(outcome.report.candidate).toMatchObject({ source: 'metrics', uri: 'metrics.json' });
    expect(outcome.report.baseline).toMatchObject({ source: 'report', uri: 'previous.json' });
    const auc = outcome.report.checks.find((c) => c.name === 'AUC vs production');
    expect(auc?.delta).toBeCloseTo(0.93 - (first.report.candidate.metrics.roc_auc as number), 12);
    // Without predictions no significance test can run: the check says so and fails safe only if needed.
    expect(auc?.significance?.note).toMatch(/needs the candidate as a predictions file/);
  });
});

describe('model-gate in-process, other tasks and mistakes', () => {
  it('gates a regressor and refuses a metric that predictions never give', async () => {
    const dir = workspaceWithSpec(`
predictions: {label: y, prediction: yhat}
checks:
  - {name: error, metric: rmse, max: 0.5}
  - {name: fit, metric: r2, min: 0.9}
`);
    const { writeFileSync } = await import('node:fs');
    const rows = Array.from({ length: 50 }, (_, i) => `${i / 10},${i / 10 + (i % 2 === 0 ? 0.1 : -0.1)}`);
    writeFileSync(`${dir}/regression.csv`, `y,yhat\n${rows.join('\n')}\n`);
    const outcome = await runGate(inputs({ predictions: 'regression.csv' }), recordingDeps(dir, runnerEnv()));
    expect(outcome.report).toMatchObject({ passed: true, candidate: { task: 'regression', rows: 50 } });
    expect(outcome.report.candidate.metrics.rmse).toBeCloseTo(0.1, 12);

    writeFileSync(
      `${dir}/gate.yml`,
      'predictions: {label: y, prediction: yhat}\nchecks:\n  - {name: e, metric: rmsee, max: 1}\n',
    );
    await expect(
      runGate(inputs({ predictions: 'regression.csv' }), recordingDeps(dir, runnerEnv())),
    ).rejects.toThrow(
      /Check 'e' asks for metric 'rmsee', which is not computed for regression predictions\. Did you mean 'rmse'\?/,
    );
  });

  it('refuses contradictory inputs before reading anything', async () => {
    const dir = workspaceWithSpec(PASSING_SPEC);
    const deps = recordingDeps(dir, runnerEnv());
    await expect(runGate(inputs({ predictions: 'candidate.csv', metrics: 'm.json' }), deps)).rejects.toThrow(
      /Inputs 'predictions' and 'metrics' both give the candidate's numbers/,
    );
    await expect(runGate(inputs({}), deps)).rejects.toThrow(/Nothing to gate: no candidate was given/);
    await expect(
      runGate(inputs({ predictions: 'candidate.csv', promoteAlias: 'challenger' }), deps),
    ).rejects.toThrow(/'promote-alias' needs a registered model version as the candidate/);
    await expect(runGate(inputs({ predictions: 'candidate.csv', comment: 'always' }), deps)).rejects.toThrow(
      /Input 'comment' is 'always', but this push event is not about a pull request/,
    );
    await expect(runGate(inputs({ predictions: 'candidate.csv', baseline: 'prod' }), deps)).rejects.toThrow(
      /Input 'baseline' must be auto, none, artifact, an MLflow URI or a file, got 'prod'/,
    );
    expect(deps.records.published).toEqual([]);
  });
});

describe('renderReport with hostile text', () => {
  it('makes names, slices, groups and paths inert and keeps Mermaid labels clean', () => {
    const report: GateReport = {
      schemaVersion: 1,
      kind: 'GateReport',
      createdAt: '2026-11-27T10:00:00.000Z',
      producer: {
        action: 'model-gate',
        version: '1.0.0',
        runId: '1',
        runUrl: 'javascript:alert(1)',
        sha: sha('b'),
      },
      gate: 'churn',
      passed: false,
      candidate: { source: 'metrics', label: 'evil`|path', metrics: { roc_auc: 0.5 } },
      baseline: null,
      checks: [
        {
          name: '<img src=x onerror=alert(1)> @octocat [click](https://evil.example) | pipe',
          metric: 'roc_auc',
          slice: 'region=<b>eu</b>',
          severity: 'fail',
          status: 'fail',
          candidate: 0.5,
          baseline: null,
          delta: null,
          bound: '≥ 0.8',
          message: 'failed\n## injected heading',
        },
      ],
      fairness: [
        {
          group: 'gender`',
          minGroupSize: 1,
          positiveLabel: '1',
          groups: [
            {
              group: '**bold**',
              rows: 3,
              selectionRate: 0.5,
              truePositiveRate: null,
              falsePositiveRate: null,
              excluded: null,
            },
          ],
          metrics: {},
        },
      ],
      history: [
        {
          createdAt: '2026-11-26T10:00:00.000Z',
          passed: true,
          sha: '"]; graph TD; A-->B',
          metrics: { roc_auc: 0.6 },
        },
      ],
      chart: ['roc_auc'],
    };
    const markdown = renderReport(report, { version: '1.0.0' });
    expect(markdown).not.toMatch(/<img|<b>/);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdown).toContain('@\u200boctocat');
    expect(markdown).toContain('\\[click\\](https://evil.example)');
    expect(markdown).toContain('\\| pipe');
    expect(markdown).not.toContain('\n## injected');
    expect(markdown).toContain("`evil'\\|path`");
    expect(markdown).toContain('\\*\\*bold\\*\\*');
    expect(markdown).not.toContain('javascript:');
    const chart = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
    const labels = /x-axis \[(.*)\]/.exec(chart)?.[1]?.split(', ') ?? [];
    expect(labels).toHaveLength(2);
    for (const label of labels) expect(label).toMatch(/^"[A-Za-z0-9 #._:/=&+-]*"$/);
    expect(chart).not.toMatch(/graph TD|;/);
    // Every table row still has the six cells of the header.
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
    expect(rows[1]?.split(/(?<!\\)\|/).length).toBe(rows[0]?.split(/(?<!\\)\|/).length);
  });
});
