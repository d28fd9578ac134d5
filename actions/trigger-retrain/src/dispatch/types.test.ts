import { describe, expect, it } from 'vitest';
import { argoWorkflowName, argoRunState, fingerprintLabel, labelValue } from './argo.ts';
import { workflowRunState } from './github.ts';
import { kfpRunState } from './kubeflow.ts';
import { countsAsExisting, reasonsParameter, trainingParameters, type EngineRun } from './types.ts';

const FP = 'sha256:0123456789abcdef' + 'e'.repeat(48);

describe('countsAsExisting', () => {
  const run = (state: EngineRun['state'], createdAt?: string): EngineRun => ({
    id: '1',
    state,
    engineState: state,
    ...(createdAt ? { createdAt } : {}),
  });
  const since = new Date('2026-11-20T00:00:00Z');

  it('always counts pending and running runs', () => {
    expect(countsAsExisting(run('pending'), since)).toBe(true);
    expect(countsAsExisting(run('running', '2020-01-01T00:00:00Z'), since)).toBe(true);
  });

  it('counts a succeeded run only when newer than the baseline', () => {
    expect(countsAsExisting(run('succeeded', '2026-11-21T00:00:00Z'), since)).toBe(true);
    expect(countsAsExisting(run('succeeded', '2026-11-19T00:00:00Z'), since)).toBe(false);
    expect(countsAsExisting(run('succeeded', '2026-11-19T00:00:00Z'), undefined)).toBe(true);
  });

  it('never counts failed or cancelled runs', () => {
    expect(countsAsExisting(run('failed', '2026-11-21T00:00:00Z'), undefined)).toBe(false);
    expect(countsAsExisting(run('cancelled'), undefined)).toBe(false);
  });
});

describe('engine states', () => {
  it('map to the common states', () => {
    expect(['queued', 'waiting', 'in_progress'].map((s) => workflowRunState(s, null))).toEqual([
      'pending',
      'pending',
      'running',
    ]);
    expect(
      ['success', 'failure', 'cancelled', 'timed_out', 'skipped'].map((c) =>
        workflowRunState('completed', c),
      ),
    ).toEqual(['succeeded', 'failed', 'cancelled', 'failed', 'cancelled']);
    expect(
      [
        'PENDING',
        'RUNNING',
        'SUCCEEDED',
        'SKIPPED',
        'FAILED',
        'CANCELING',
        'CANCELED',
        'PAUSED',
        undefined,
      ].map(kfpRunState),
    ).toEqual([
      'pending',
      'running',
      'succeeded',
      'succeeded',
      'failed',
      'running',
      'cancelled',
      'running',
      'pending',
    ]);
    expect(['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error'].map(argoRunState)).toEqual([
      'pending',
      'pending',
      'running',
      'succeeded',
      'failed',
      'failed',
    ]);
  });
});

describe('Argo names', () => {
  it('are DNS labels of at most 63 characters, stable per fingerprint and attempt', () => {
    const long = argoWorkflowName('A_Very.Long-Model-Name-'.repeat(5), FP, 12);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(long.endsWith('-0123456789abcdef-r12')).toBe(true);
    expect(argoWorkflowName('churn', FP)).toBe('churn-0123456789abcdef');
    expect(argoWorkflowName('churn', FP, 2)).toBe('churn-0123456789abcdef-r2');
  });

  it('labels fit Kubernetes limits', () => {
    expect(fingerprintLabel(FP)).toHaveLength(40);
    expect(labelValue('-my model/v2-')).toBe('my-model-v2');
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
  });
});

describe('training parameters', () => {
  const reasons = Array.from({ length: 100 }, (_, i) => ({
    code: 'PARAMS_CHANGED' as const,
    detail: `p${i}: ${'x'.repeat(100)}`,
  }));

  it('carry the fingerprint, reasons and inputs record next to the extra inputs', () => {
    const params = trainingParameters({
      model: 'm',
      fingerprint: FP,
      reasons: reasons.slice(0, 1),
      fingerprintInputs: '{"v":1}',
      dispatchId: 'rt-1',
      inputs: { epochs: '20' },
    });
    expect(params).toEqual({
      epochs: '20',
      fingerprint: FP,
      reasons: JSON.stringify([{ code: 'PARAMS_CHANGED', detail: reasons[0]?.detail }]),
      fingerprint_inputs: '{"v":1}',
    });
  });

  it('cut the reasons list to the limit, keeping whole entries', () => {
    const text = reasonsParameter(reasons, 4000);
    expect(text.length).toBeLessThanOrEqual(4000);
    const parsed = JSON.parse(text) as { code: string }[];
    expect(parsed.length).toBeGreaterThan(10);
    expect(parsed.length).toBeLessThan(100);
  });
});
