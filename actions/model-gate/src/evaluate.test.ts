import { describe, expect, it } from 'vitest';
import type { SignificanceResult } from '@modelops/core';
import { parseGateSpec, type GateCheck } from './spec.ts';
import { changeBoundText, evaluateChecks, verdictOf, type MetricSet } from './evaluate.ts';

/** Checks as a spec would give them (the same normalisation the action uses). */
function checks(...list: Record<string, unknown>[]): GateCheck[] {
  return parseGateSpec({ checks: list.map((c, i) => ({ name: `c${i}`, ...c })) }).checks;
}

function one(
  check: Record<string, unknown>,
  candidate: MetricSet['metrics'],
  baseline?: MetricSet['metrics'] | null,
) {
  const [result] = evaluateChecks({
    checks: checks(check),
    candidate: { metrics: candidate },
    baseline: baseline === undefined || baseline === null ? null : { metrics: baseline },
  });
  return result!;
}

describe('value bounds (inclusive, like TFMA and MLflow thresholds)', () => {
  it('passes at the bound and fails just beyond it', () => {
    expect(one({ metric: 'roc_auc', min: 0.8 }, { roc_auc: 0.8 }).status).toBe('pass');
    expect(one({ metric: 'roc_auc', min: 0.8 }, { roc_auc: 0.7999 }).status).toBe('fail');
    expect(one({ metric: 'log_loss', max: 0.3 }, { log_loss: 0.3 }).status).toBe('pass');
    expect(one({ metric: 'log_loss', max: 0.3 }, { log_loss: 0.3001 }).status).toBe('fail');
    const between = one({ metric: 'f1', min: 0.5, max: 0.9 }, { f1: 0.95 });
    expect(between).toMatchObject({ status: 'fail', bound: 'in [0.5, 0.9]', min: 0.5, max: 0.9 });
    expect(between.message).toBe('c0: f1 = 0.95, above the maximum 0.9');
  });
});

describe('change bounds (MLflow min_absolute/relative_change, TFMA change thresholds)', () => {
  it('allows a regression up to the absolute amount, with floating-point rounding forgiven', () => {
    // 0.89 − 0.90 is −0.010000000000000009 in floating point; the bound is meant inclusively.
    const edge = one({ metric: 'roc_auc', 'max-regression': 0.01 }, { roc_auc: 0.89 }, { roc_auc: 0.9 });
    expect(edge).toMatchObject({ status: 'pass', bound: 'Δ ≥ −0.01', evaluated: true });
    expect(edge.delta).toBeCloseTo(-0.01, 12);
    const beyond = one({ metric: 'roc_auc', 'max-regression': 0.01 }, { roc_auc: 0.8899 }, { roc_auc: 0.9 });
    expect(beyond.status).toBe('fail');
    expect(beyond.message).toBe(
      'c0: roc_auc = 0.8899 vs baseline 0.9 (Δ −0.0101): a regression of 0.0101, more than the allowed 0.01',
    );
  });

  it('turns the difference around for lower-is-better metrics', () => {
    const loss = { metric: 'log_loss', 'max-regression': 0.02 };
    expect(one(loss, { log_loss: 0.32 }, { log_loss: 0.3 }).status).toBe('pass');
    expect(one(loss, { log_loss: 0.3201 }, { log_loss: 0.3 }).status).toBe('fail');
    expect(one(loss, { log_loss: 0.1 }, { log_loss: 0.3 }).status).toBe('pass');
    expect(one(loss, { log_loss: 0.3 }, { log_loss: 0.3 }).bound).toBe('Δ ≤ +0.02');
  });

  it('requires an improvement with min-improvement (MLflow: candidate ≥ baseline + δ)', () => {
    const gain = { metric: 'accuracy', 'min-improvement': 0.01 };
    expect(one(gain, { accuracy: 0.86 }, { accuracy: 0.85 }).status).toBe('pass');
    expect(one(gain, { accuracy: 0.855 }, { accuracy: 0.85 }).message).toMatch(
      /needs an improvement of at least 0\.01, got \+0\.005/,
    );
    // Lower is better: candidate ≤ baseline − δ.
    const rmse = { metric: 'rmse', 'min-improvement': 0.5 };
    expect(one(rmse, { rmse: 9.5 }, { rmse: 10 }).status).toBe('pass');
    expect(one(rmse, { rmse: 9.6 }, { rmse: 10 }).status).toBe('fail');
    expect(one(rmse, { rmse: 9.6 }, { rmse: 10 }).bound).toBe('Δ ≤ −0.5');
  });

  it('measures relative amounts against the baseline', () => {
    const relative = { metric: 'f1', 'max-regression': '2%' };
    expect(one(relative, { f1: 0.49 }, { f1: 0.5 }).status).toBe('pass');
    const fail = one(relative, { f1: 0.4899 }, { f1: 0.5 });
    expect(fail.status).toBe('fail');
    expect(fail.message).toMatch(/a regression of 2\.02 %, more than the allowed 2 %/);
    expect(
      one({ metric: 'log_loss', 'max-regression': '5%' }, { log_loss: 0.42 }, { log_loss: 0.4 }).status,
    ).toBe('pass');
    expect(
      one({ metric: 'log_loss', 'max-regression': '5%' }, { log_loss: 0.4201 }, { log_loss: 0.4 }).status,
    ).toBe('fail');
    expect(
      one({ metric: 'accuracy', 'min-improvement': '1%' }, { accuracy: 0.808 }, { accuracy: 0.8 }).status,
    ).toBe('pass');
    expect(
      one({ metric: 'accuracy', 'min-improvement': '1%' }, { accuracy: 0.807 }, { accuracy: 0.8 }).status,
    ).toBe('fail');
  });

  it('falls back to beating a zero baseline by 1e-10 for relative improvements (MLflow)', () => {
    const gain = { metric: 'accuracy', 'min-improvement': '5%' };
    expect(one(gain, { accuracy: 1e-11 }, { accuracy: 0 }).status).toBe('fail');
    expect(one(gain, { accuracy: 1e-11 }, { accuracy: 0 }).message).toMatch(
      /the baseline is 0, so it must be beaten by at least 1e-10/,
    );
    expect(one(gain, { accuracy: 1e-9 }, { accuracy: 0 }).status).toBe('pass');
    // A relative regression allowance of a zero baseline allows no regression at all.
    expect(one({ metric: 'r2', 'max-regression': '5%' }, { r2: -0.001 }, { r2: 0 }).status).toBe('fail');
    expect(one({ metric: 'r2', 'max-regression': '5%' }, { r2: 0 }, { r2: 0 }).status).toBe('pass');
  });

  it('requires both parts of {absolute, relative} (TFMA)', () => {
    const both = { metric: 'roc_auc', 'max-regression': { absolute: 0.05, relative: '1%' } };
    // Within 0.05 but more than 1 % of 0.9: fails on the relative part only.
    const result = one(both, { roc_auc: 0.88 }, { roc_auc: 0.9 });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/a regression of 2\.22 %, more than the allowed 1 %/);
    expect(result.message).not.toMatch(/allowed 0\.05/);
    expect(result.bound).toBe('Δ ≥ −0.05 and Δ ≥ −1 %');
    expect(one(both, { roc_auc: 0.895 }, { roc_auc: 0.9 }).status).toBe('pass');
  });

  it('writes bounds the way a reader compares Δ = candidate − baseline', () => {
    expect(changeBoundText({ kind: 'max-regression', absolute: 0.01 }, 'higher')).toBe('Δ ≥ −0.01');
    expect(changeBoundText({ kind: 'max-regression', absolute: 0.01 }, 'lower')).toBe('Δ ≤ +0.01');
    expect(changeBoundText({ kind: 'min-improvement', relative: 0.02 }, 'higher')).toBe('Δ ≥ +2 %');
    expect(changeBoundText({ kind: 'min-improvement', absolute: 0.5 }, 'lower')).toBe('Δ ≤ −0.5');
  });
});

describe('no baseline (TFMA: first run blessed on value thresholds only)', () => {
  it('labels change bounds and lets value bounds decide', () => {
    const [value, change] = evaluateChecks({
      checks: checks({ metric: 'roc_auc', min: 0.8 }, { metric: 'roc_auc', 'max-regression': 0.01 }),
      candidate: { metrics: { roc_auc: 0.85 } },
      baseline: null,
    });
    expect(value).toMatchObject({ status: 'pass', evaluated: true });
    expect(change).toMatchObject({ status: 'no-baseline', evaluated: false, baseline: null, delta: null });
    expect(change?.message).toBe(
      'c1: roc_auc = 0.85; change bound not evaluated: no baseline to compare with',
    );
    expect(verdictOf('g', [value!, change!])).toMatchObject({ passed: true, evaluated: 1 });
  });

  it('approves nothing when no bound at all could be evaluated', () => {
    const results = evaluateChecks({
      checks: checks({ metric: 'roc_auc', 'max-regression': 0.01 }),
      candidate: { metrics: { roc_auc: 0.85 } },
      baseline: null,
    });
    const verdict = verdictOf('churn', results);
    expect(verdict.passed).toBe(false);
    expect(verdict.line).toBe(
      "Gate 'churn' did not pass: no bound could be evaluated (no baseline and no value bound), so nothing is approved.",
    );
  });

  it('treats a metric the baseline lacks as no baseline for that check', () => {
    const result = one({ metric: 'f1', min: 0.5, 'max-regression': 0.01 }, { f1: 0.7 }, { roc_auc: 0.9 });
    expect(result).toMatchObject({ status: 'pass', baseline: null });
    expect(result.message).toBe("c0: f1 = 0.7 ≥ 0.5; change bound not evaluated: the baseline has no 'f1'");
  });
});

describe('missing and undefined values (MLflow: a metric missing from the candidate fails)', () => {
  it('fails a check whose metric is missing, with a hint', () => {
    const result = one({ metric: 'roc_auc', min: 0.5 }, { roc_auc_ovr: 0.9, accuracy: 0.8 });
    expect(result).toMatchObject({ status: 'undefined', candidate: null, evaluated: false });
    expect(result.message).toBe(
      "c0: roc_auc is missing from the candidate metrics. Did you mean 'roc_auc_ovr'?",
    );
    expect(verdictOf('g', [result]).passed).toBe(false);
  });

  it('says why a value is undefined', () => {
    const [result] = evaluateChecks({
      checks: checks({ metric: 'roc_auc', min: 0.5 }),
      candidate: { metrics: { roc_auc: null }, undefinedReasons: { roc_auc: 'only one class present' } },
      baseline: null,
    });
    expect(result?.message).toBe('c0: roc_auc is undefined for the candidate: only one class present');
  });
});

describe('severity', () => {
  it('reports a failing warn check without failing the gate', () => {
    const results = evaluateChecks({
      checks: checks({ metric: 'roc_auc', min: 0.8 }, { metric: 'f1', min: 0.9, severity: 'warn' }),
      candidate: { metrics: { roc_auc: 0.85, f1: 0.7 } },
      baseline: null,
    });
    expect(results.map((r) => r.status)).toEqual(['pass', 'warn']);
    const verdict = verdictOf('g', results);
    expect(verdict).toMatchObject({ passed: true, line: "Gate 'g' passed with 1 warning (c1)." });
    expect(verdict.warnings.map((r) => r.name)).toEqual(['c1']);
  });
});

describe('slices, fairness and drift', () => {
  const candidate: MetricSet = {
    metrics: {
      roc_auc: 0.9,
      'roc_auc/region=eu': 0.93,
      'roc_auc/region=us': 0.88,
      'roc_auc/region=apac': 0.61,
      'roc_auc/region=eu&device=ios': 0.9,
      'fairness/gender/demographic_parity_ratio': 0.75,
      'drift/age/psi': 0.31,
      'drift/plan/psi': 0.02,
      'drift/drift_share': 0.5,
    },
    skippedSlices: { 'region=latam': 4 },
  };
  it('evaluates every slice of a column, sorted, and names the failing ones', () => {
    const results = evaluateChecks({
      checks: checks({ metric: 'roc_auc', slice: 'region', min: 0.7 }),
      candidate,
      baseline: null,
    });
    expect(results.map((r) => [r.slice, r.status])).toEqual([
      ['region=apac', 'fail'],
      ['region=eu', 'pass'],
      ['region=us', 'pass'],
    ]);
    expect(results[0]?.message).toBe('c0: roc_auc [region=apac] = 0.61, below the minimum 0.7');
  });
  it('evaluates one slice, crossed slices, and explains a slice that was too small', () => {
    expect(one({ metric: 'roc_auc', slice: 'region=us', min: 0.9 }, candidate.metrics).status).toBe('fail');
    const [crossed] = evaluateChecks({
      checks: checks({ metric: 'roc_auc', slice: 'device=ios&region=eu', min: 0.8 }),
      candidate,
      baseline: null,
    });
    expect(crossed).toMatchObject({ status: 'undefined' });
    const [small] = evaluateChecks({
      checks: checks({ metric: 'roc_auc', slice: 'region=latam', min: 0.8 }),
      candidate,
      baseline: null,
    });
    expect(small?.message).toBe(
      'c0: roc_auc [region=latam] was not evaluated: the slice has 4 rows, below the minimum slice size',
    );
    const [none] = evaluateChecks({
      checks: checks({ metric: 'roc_auc', slice: 'plan', min: 0.8 }),
      candidate,
      baseline: null,
    });
    expect(none).toMatchObject({
      status: 'undefined',
      message: "c0: the candidate has no 'roc_auc' slices of plan",
    });
  });
  it('evaluates fairness over a group column and drift per column', () => {
    const spec = parseGateSpec({
      drift: { reference: 'r.csv', current: 'c.csv', numeric: ['age'], categorical: ['plan'] },
      checks: [
        { name: 'parity', fairness: 'demographic-parity-ratio', group: 'gender', min: 0.8 },
        { name: 'psi', drift: 'psi', max: 0.2 },
        { name: 'share', drift: 'drift-share', max: 0.5 },
      ],
    });
    const results = evaluateChecks({ checks: spec.checks, candidate, baseline: null });
    expect(results.map((r) => [r.name, r.column ?? r.group, r.status])).toEqual([
      ['parity', 'gender', 'fail'],
      ['psi', 'age', 'fail'],
      ['psi', 'plan', 'pass'],
      ['share', undefined, 'pass'],
    ]);
    expect(results[0]?.message).toBe(
      'parity: demographic_parity_ratio over gender = 0.75, below the minimum 0.8',
    );
  });
});

describe('significance gating', () => {
  const sig = (overrides: Partial<SignificanceResult>): SignificanceResult => ({
    test: 'delong',
    alpha: 0.05,
    mode: 'regression',
    pValue: 0.3,
    difference: -0.02,
    significant: false,
    better: false,
    ...overrides,
  });
  const run = (check: Record<string, unknown>, significance: SignificanceResult) =>
    evaluateChecks({
      checks: checks(check),
      candidate: { metrics: { roc_auc: 0.88 } },
      baseline: { metrics: { roc_auc: 0.9 } },
      significance: { c0: significance },
    })[0]!;
  const regression = { metric: 'roc_auc', 'max-regression': 0.01, significance: { test: 'delong' } };

  it('fails a regression beyond the bound only when it is significant', () => {
    const quiet = run(regression, sig({}));
    expect(quiet.status).toBe('pass');
    expect(quiet.message).toMatch(
      /more than the allowed 0\.01, but not significant \(delong, p = 0\.3, α 0\.05\)/,
    );
    expect(quiet.pValue).toBe(0.3);
    const loud = run(regression, sig({ pValue: 0.001, significant: true }));
    expect(loud.status).toBe('fail');
    expect(loud.message).toMatch(/and significant \(delong, p = 0\.001, α 0\.05\)/);
  });

  it('fails safe when the test could not run', () => {
    const result = run(
      regression,
      sig({
        pValue: null,
        significant: null,
        better: null,
        note: 'needs the baseline as a predictions file',
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/significance not computed \(needs the baseline as a predictions file\)/);
  });

  it('requires a significant improvement in improvement mode', () => {
    const improvement = { metric: 'roc_auc', significance: { test: 'delong', mode: 'improvement' } };
    const better = evaluateChecks({
      checks: checks(improvement),
      candidate: { metrics: { roc_auc: 0.93 } },
      baseline: { metrics: { roc_auc: 0.9 } },
      significance: {
        c0: sig({ mode: 'improvement', difference: 0.03, pValue: 0.01, significant: true, better: true }),
      },
    })[0]!;
    expect(better.status).toBe('pass');
    expect(better.bound).toBe('significantly better (delong, α 0.05)');
    const unsure = evaluateChecks({
      checks: checks(improvement),
      candidate: { metrics: { roc_auc: 0.91 } },
      baseline: { metrics: { roc_auc: 0.9 } },
      significance: {
        c0: sig({ mode: 'improvement', difference: 0.01, pValue: 0.2, significant: false, better: true }),
      },
    })[0]!;
    expect(unsure.status).toBe('fail');
    expect(unsure.message).toMatch(/not a significant improvement \(delong, p = 0\.2, α 0\.05\)/);
  });
});
