import { describe, expect, it } from 'vitest';
import type { RetrainDecision } from '@modelops/core';
import { summaryMarkdown } from './summary.ts';

const FP = 'sha256:' + 'f'.repeat(64);
const decision: RetrainDecision = {
  schemaVersion: 1,
  kind: 'RetrainDecision',
  createdAt: '2026-11-27T12:00:00.000Z',
  producer: { action: 'trigger-retrain', version: '1.0.0' },
  model: 'churn',
  shouldRetrain: true,
  fingerprint: FP,
  reasons: [
    {
      code: 'PARAMS_CHANGED',
      detail: 'train.lr: 0.1 → 0.05 (Δ -0.05).',
      data: { key: 'train.lr', old: 0.1, new: 0.05, diff: -0.05 },
    },
    { code: 'PARAMS_CHANGED', detail: 'train.seed: - → 1.', data: { key: 'train.seed', new: 1 } },
    {
      code: 'CODE_CHANGED',
      detail: '2 code files changed since the last training: a|b.py (modified), c.py (added).',
      data: { modified: ['a|b.py'], added: ['c.py'], removed: [] },
    },
  ],
  inputs: { datasets: {}, code: [], config: [], params: {} },
  baseline: {
    source: 'mlflow',
    location: 'http://mlflow',
    runId: 'abc',
    runUrl: 'http://mlflow/#/experiments/1/runs/abc',
    trainedAt: '2026-11-01T00:00:00.000Z',
  },
  dispatch: {
    engine: 'kubeflow',
    deduplicated: false,
    runId: 'run-1',
    runUrl: 'http://kfp/#/runs/details/run-1',
    state: 'succeeded',
    conclusion: 'success',
  },
};

describe('summaryMarkdown', () => {
  const md = summaryMarkdown(decision);

  it('states the verdict, the baseline and the run with links', () => {
    expect(md).toContain('### Retrain decision: `churn`');
    expect(md).toContain('| Retrain | **yes** — 3 reasons |');
    expect(md).toContain(
      'MLflow run [abc](http://mlflow/#/experiments/1/runs/abc), trained 2026-11-01T00:00:00.000Z',
    );
    expect(md).toContain('dispatched [run run-1](http://kfp/#/runs/details/run-1) on Kubeflow Pipelines');
    expect(md).toContain('| Conclusion | **success** |');
  });

  it('tabulates reasons and the params diff as old/new/Δ, escaping cells', () => {
    expect(md).toContain('| `PARAMS_CHANGED` | train.lr: 0.1 → 0.05 (Δ -0.05). |');
    expect(md).toContain('| `train.lr` | 0.1 | 0.05 | -0.05 |');
    expect(md).toContain('| `train.seed` | - | 1 |  |');
    expect(md).toContain('| modified | `a\\|b.py` |');
  });

  it('says when a run was found instead of dispatched, and when nothing is due', () => {
    const found = summaryMarkdown({
      ...decision,
      dispatch: { engine: 'argo', deduplicated: true, runId: 'w', state: 'running' },
    });
    expect(found).toContain('already under way: run w (not dispatched again) on Argo Workflows');
    const none = summaryMarkdown({
      ...decision,
      shouldRetrain: false,
      reasons: [],
      dispatch: undefined,
      baseline: null,
    });
    expect(none).toContain('| Retrain | no — up to date |');
    expect(none).toContain('| Baseline | none (first training) |');
    expect(none).not.toContain('#### Reasons');
  });
});
