/** The decision table: each reason alone, combined, and the cases where nothing is due. */
import { describe, expect, it } from 'vitest';
import { computeFingerprint, partDigest, type RetrainInputs } from './fingerprint.ts';
import { decideReasons, diffFiles, shortHash, type Baseline, type DecisionInput } from './reasons.ts';

const H1 = 'sha256:' + '1'.repeat(64);
const H2 = 'sha256:' + '2'.repeat(64);
const trained: RetrainInputs = {
  datasets: { train: H1 },
  code: [
    { path: 'src/train.py', blob: 'a'.repeat(40) },
    { path: 'src/util.py', blob: 'b'.repeat(40) },
  ],
  config: [{ path: 'conf/model.yaml', blob: 'c'.repeat(40) }],
  params: { 'train.lr': 0.1, 'train.epochs': 10 },
};
const NOW = new Date('2026-11-27T12:00:00Z');

function baselineOf(inputs: RetrainInputs, extra: Partial<Baseline> = {}): Baseline {
  return {
    source: 'lock',
    location: '.modelops/churn.lock.json',
    fingerprint: computeFingerprint('churn', inputs),
    trainedAt: '2026-11-20T12:00:00.000Z',
    inputs,
    ...extra,
  };
}

function decide(now: RetrainInputs, baseline: Baseline | undefined, extra: Partial<DecisionInput> = {}) {
  return decideReasons({
    model: 'churn',
    inputs: now,
    fingerprint: computeFingerprint('churn', now),
    baseline,
    baselineLocation: 'no lock file at .modelops/churn.lock.json',
    now: NOW,
    ...extra,
  });
}

const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('decideReasons', () => {
  it('first run: NO_BASELINE and nothing else', () => {
    const reasons = decide(trained, undefined, { maxAgeMs: 1 });
    expect(codes(reasons)).toEqual(['NO_BASELINE']);
    expect(reasons[0]?.detail).toBe(
      "No successful training of 'churn' was found (no lock file at .modelops/churn.lock.json).",
    );
  });

  it('same inputs as the last training: no reasons', () => {
    expect(decide(structuredClone(trained), baselineOf(trained))).toEqual([]);
  });

  it('DATA_CHANGED alone, per dataset with old and new hashes', () => {
    const reasons = decide({ ...trained, datasets: { train: H2, extra: H1 } }, baselineOf(trained));
    expect(reasons).toEqual([
      {
        code: 'DATA_CHANGED',
        detail: `Dataset 'extra' is new: ${shortHash(H1)}.`,
        data: { dataset: 'extra', new: H1 },
      },
      {
        code: 'DATA_CHANGED',
        detail: "Dataset 'train' changed: sha256:111111111111… → sha256:222222222222….",
        data: { dataset: 'train', old: H1, new: H2 },
      },
    ]);
  });

  it('CODE_CHANGED alone, naming modified, added and removed files', () => {
    const code = [
      { path: 'src/train.py', blob: 'f'.repeat(40) },
      { path: 'src/new.py', blob: 'e'.repeat(40) },
    ];
    const [reason, ...rest] = decide({ ...trained, code }, baselineOf(trained));
    expect(rest).toEqual([]);
    expect(reason).toEqual({
      code: 'CODE_CHANGED',
      detail:
        '3 code files changed since the last training: src/train.py (modified), src/new.py (added), src/util.py (removed).',
      data: { added: ['src/new.py'], removed: ['src/util.py'], modified: ['src/train.py'] },
    });
  });

  it('CONFIG_CHANGED alone', () => {
    const reasons = decide(
      { ...trained, config: [{ path: 'conf/model.yaml', blob: '0'.repeat(40) }] },
      baselineOf(trained),
    );
    expect(codes(reasons)).toEqual(['CONFIG_CHANGED']);
    expect(reasons[0]?.detail).toBe(
      '1 config file changed since the last training: conf/model.yaml (modified).',
    );
  });

  it('PARAMS_CHANGED alone, one reason per dotted key with old/new/diff', () => {
    const reasons = decide(
      { ...trained, params: { 'train.lr': 0.05, 'train.epochs': 10, 'train.seed': 1 } },
      baselineOf(trained),
    );
    expect(reasons).toEqual([
      {
        code: 'PARAMS_CHANGED',
        detail: 'train.lr: 0.1 → 0.05 (Δ -0.05).',
        data: { key: 'train.lr', old: 0.1, new: 0.05, diff: -0.05 },
      },
      { code: 'PARAMS_CHANGED', detail: 'train.seed: - → 1.', data: { key: 'train.seed', new: 1 } },
    ]);
  });

  it('STALE alone: older than max-age, not when younger', () => {
    const baseline = baselineOf(trained); // 7 days old
    expect(decide(trained, baseline, { maxAgeMs: 8 * 86_400_000 })).toEqual([]);
    const reasons = decide(trained, baseline, { maxAgeMs: 6 * 86_400_000 });
    expect(codes(reasons)).toEqual(['STALE']);
    expect(reasons[0]?.detail).toBe(
      'The last training (2026-11-20T12:00:00.000Z) is 7d old, more than max-age 6d.',
    );
  });

  it('MANUAL_REQUEST alone, with the reason and who asked', () => {
    const reasons = decide(trained, baselineOf(trained), {
      force: true,
      forceReason: 'label noise fixed upstream',
      requestedBy: 'workflow_dispatch by octocat',
    });
    expect(reasons).toEqual([
      {
        code: 'MANUAL_REQUEST',
        detail: 'label noise fixed upstream (workflow_dispatch by octocat)',
        data: { reason: 'label noise fixed upstream' },
      },
    ]);
  });

  it('combines every reason in a fixed order', () => {
    const now: RetrainInputs = {
      datasets: { train: H2 },
      code: [{ path: 'src/train.py', blob: '9'.repeat(40) }, trained.code[1]!],
      config: [],
      params: { 'train.lr': 0.2, 'train.epochs': 10 },
    };
    const reasons = decide(now, baselineOf(trained), { maxAgeMs: 86_400_000, force: true });
    expect(codes(reasons)).toEqual([
      'DATA_CHANGED',
      'CODE_CHANGED',
      'CONFIG_CHANGED',
      'PARAMS_CHANGED',
      'STALE',
      'MANUAL_REQUEST',
    ]);
  });

  it('NO_BASELINE combines with MANUAL_REQUEST but not with STALE', () => {
    expect(codes(decide(trained, undefined, { force: true, maxAgeMs: 0 }))).toEqual([
      'NO_BASELINE',
      'MANUAL_REQUEST',
    ]);
  });

  it('a baseline that recorded digests only still tells which part changed', () => {
    const recorded = {
      datasets: partDigest('datasets', trained.datasets),
      code: partDigest('code', trained.code),
      config: partDigest('config', trained.config),
      params: partDigest('params', trained.params),
    };
    const reasons = decide(
      { ...trained, code: trained.code.slice(0, 1) },
      baselineOf(trained, { inputs: recorded }),
    );
    expect(codes(reasons)).toEqual(['CODE_CHANGED']);
    expect(reasons[0]?.detail).toMatch(/recorded only a digest/);
  });

  it('INPUTS_CHANGED when the baseline recorded only its fingerprint', () => {
    const baseline = baselineOf(trained, { source: 'mlflow', inputs: undefined });
    const reasons = decide({ ...trained, datasets: { train: H2 } }, baseline);
    expect(codes(reasons)).toEqual(['INPUTS_CHANGED']);
    expect(reasons[0]?.detail).toMatch(/did not record its inputs \(tag modelops\.inputs\)/);
    // Same fingerprint: nothing to say, recorded inputs or not.
    expect(decide(trained, baseline)).toEqual([]);
  });
});

describe('diffFiles', () => {
  it('splits added, removed and modified', () => {
    expect(
      diffFiles(
        [
          { path: 'a', blob: '1' },
          { path: 'b', blob: '2' },
        ],
        [
          { path: 'b', blob: '3' },
          { path: 'c', blob: '4' },
        ],
      ),
    ).toEqual({ added: ['c'], removed: ['a'], modified: ['b'] });
  });
});
