/**
 * The decision model: compare what the model would be trained on now with what its last
 * successful training was trained on, and say why it must be retrained (or not). Pure functions:
 * the inputs, the baseline and the clock come in, the reasons go out.
 */
import { formatDuration } from '@modelops/core';
import type { RetrainDecision } from '@modelops/core';
import { partDigest, type RecordedInputs, type RetrainInputs } from './fingerprint.ts';
import type { TrackedFile } from './files.ts';
import { describeParamChange, diffParams, type FlatParams } from './params.ts';

/** One reason to retrain, as the RetrainDecision document holds it. */
export type RetrainReason = RetrainDecision['reasons'][number];

/** The last successful training, as far as the baseline source knows it. */
export interface Baseline {
  /** `mlflow`, or `lock` for a lock file. */
  source: 'mlflow' | 'lock';
  /** The tracking URI or the lock file path, for messages. */
  location: string;
  fingerprint?: string;
  /** When the training finished (ISO date-time). */
  trainedAt?: string;
  runId?: string;
  runUrl?: string;
  /** What the training recorded about its inputs (absent when it recorded nothing). */
  inputs?: RecordedInputs;
}

/** What {@link decideReasons} compares. */
export interface DecisionInput {
  model: string;
  inputs: RetrainInputs;
  fingerprint: string;
  /** The last successful training; undefined when there is none. */
  baseline: Baseline | undefined;
  /** Where the baseline was looked for, for the NO_BASELINE message. */
  baselineLocation: string;
  now: Date;
  /** Retrain when the last training is older than this (milliseconds). */
  maxAgeMs?: number;
  /** A retrain was asked for explicitly. */
  force?: boolean;
  /** Why (the `reason` input). */
  forceReason?: string;
  /** Who or what asked, e.g. `workflow_dispatch by octocat`. */
  requestedBy?: string;
}

/** Most file paths a reason's data lists per kind of change. */
export const MAX_LISTED_FILES = 200;

/** `sha256:0123456789ab…` — enough of a hash for a person to tell two apart. */
export function shortHash(hash: string): string {
  const colon = hash.indexOf(':');
  const hex = colon >= 0 ? hash.slice(colon + 1) : hash;
  return hex.length > 16 ? `${hash.slice(0, colon + 1)}${hex.slice(0, 12)}…` : hash;
}

/** Files added, removed and modified between two lists. */
export function diffFiles(
  before: readonly TrackedFile[],
  after: readonly TrackedFile[],
): { added: string[]; removed: string[]; modified: string[] } {
  const old = new Map(before.map((f) => [f.path, f.blob]));
  const now = new Map(after.map((f) => [f.path, f.blob]));
  const added: string[] = [];
  const modified: string[] = [];
  for (const [file, blob] of now) {
    const was = old.get(file);
    if (was === undefined) added.push(file);
    else if (was !== blob) modified.push(file);
  }
  const removed = [...old.keys()].filter((file) => !now.has(file));
  return { added, removed, modified };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function filesReason(
  code: 'CODE_CHANGED' | 'CONFIG_CHANGED',
  recorded: TrackedFile[] | string | undefined,
  current: TrackedFile[],
): RetrainReason | undefined {
  const kind = code === 'CODE_CHANGED' ? 'code' : 'config';
  if (recorded === undefined) return undefined;
  if (typeof recorded === 'string') {
    if (recorded === partDigest(kind, current)) return undefined;
    return {
      code,
      detail: `${kind} files differ from the last training (it recorded only a digest of its ${kind} files; ${plural(current.length, 'file')} now).`,
      data: { digest: { old: recorded, new: partDigest(kind, current) } },
    };
  }
  const { added, removed, modified } = diffFiles(recorded, current);
  const total = added.length + removed.length + modified.length;
  if (total === 0) return undefined;
  const named = [
    ...modified.map((f) => `${f} (modified)`),
    ...added.map((f) => `${f} (added)`),
    ...removed.map((f) => `${f} (removed)`),
  ];
  const shown = named.slice(0, 5).join(', ');
  const more = named.length > 5 ? ` and ${named.length - 5} more` : '';
  return {
    code,
    detail: `${plural(total, `${kind} file`)} changed since the last training: ${shown}${more}.`,
    data: {
      added: added.slice(0, MAX_LISTED_FILES),
      removed: removed.slice(0, MAX_LISTED_FILES),
      modified: modified.slice(0, MAX_LISTED_FILES),
      ...(Math.max(added.length, removed.length, modified.length) > MAX_LISTED_FILES
        ? { truncated: true }
        : {}),
    },
  };
}

function datasetReasons(
  recorded: Record<string, string> | string | undefined,
  current: Record<string, string>,
): RetrainReason[] {
  if (recorded === undefined) return [];
  if (typeof recorded === 'string') {
    const now = partDigest('datasets', current);
    if (recorded === now) return [];
    return [
      {
        code: 'DATA_CHANGED',
        detail:
          'The datasets differ from the last training (it recorded only a digest of its dataset hashes).',
        data: { digest: { old: recorded, new: now } },
      },
    ];
  }
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  const reasons: RetrainReason[] = [];
  for (const name of names) {
    const old = recorded[name];
    const now = current[name];
    if (old === now) continue;
    const detail =
      old === undefined
        ? `Dataset '${name}' is new: ${shortHash(now as string)}.`
        : now === undefined
          ? `Dataset '${name}' is no longer an input (was ${shortHash(old)}).`
          : `Dataset '${name}' changed: ${shortHash(old)} → ${shortHash(now)}.`;
    reasons.push({
      code: 'DATA_CHANGED',
      detail,
      data: {
        dataset: name,
        ...(old === undefined ? {} : { old }),
        ...(now === undefined ? {} : { new: now }),
      },
    });
  }
  return reasons;
}

function paramReasons(recorded: FlatParams | string | undefined, current: FlatParams): RetrainReason[] {
  if (recorded === undefined) return [];
  if (typeof recorded === 'string') {
    const now = partDigest('params', current);
    if (recorded === now) return [];
    return [
      {
        code: 'PARAMS_CHANGED',
        detail: 'The tracked parameters differ from the last training (it recorded only a digest of them).',
        data: { digest: { old: recorded, new: now } },
      },
    ];
  }
  return diffParams(recorded, current).map((change) => ({
    code: 'PARAMS_CHANGED',
    detail: `${describeParamChange(change)}.`,
    data: { ...change },
  }));
}

/** The reasons to retrain, in a fixed order; empty when the model is up to date. */
export function decideReasons(input: DecisionInput): RetrainReason[] {
  const reasons: RetrainReason[] = [];
  const { baseline } = input;
  if (!baseline) {
    reasons.push({
      code: 'NO_BASELINE',
      detail: `No successful training of '${input.model}' was found (${input.baselineLocation}).`,
    });
  } else if (baseline.fingerprint !== input.fingerprint) {
    const recorded = baseline.inputs ?? {};
    const content = [
      ...datasetReasons(recorded.datasets, input.inputs.datasets),
      ...[filesReason('CODE_CHANGED', recorded.code, input.inputs.code)],
      ...[filesReason('CONFIG_CHANGED', recorded.config, input.inputs.config)],
      ...paramReasons(recorded.params, input.inputs.params),
    ].filter((r): r is RetrainReason => r !== undefined);
    reasons.push(...content);
    if (content.length === 0) {
      const why = baseline.inputs
        ? 'although every input it recorded matches'
        : `it did not record its inputs${baseline.source === 'mlflow' ? ' (tag modelops.inputs)' : ''}, so the changed ones cannot be named`;
      reasons.push({
        code: 'INPUTS_CHANGED',
        detail: `The inputs differ from the last training's (fingerprint ${shortHash(baseline.fingerprint ?? 'none')} → ${shortHash(input.fingerprint)}); ${why}.`,
        data: { old: baseline.fingerprint ?? null, new: input.fingerprint },
      });
    }
  }
  if (baseline?.trainedAt && input.maxAgeMs !== undefined) {
    const ageMs = input.now.getTime() - Date.parse(baseline.trainedAt);
    if (ageMs > input.maxAgeMs) {
      reasons.push({
        code: 'STALE',
        detail: `The last training (${baseline.trainedAt}) is ${formatDuration(ageMs)} old, more than max-age ${formatDuration(input.maxAgeMs)}.`,
        data: { trainedAt: baseline.trainedAt, ageMs, maxAgeMs: input.maxAgeMs },
      });
    }
  }
  if (input.force) {
    const by = input.requestedBy ? ` (${input.requestedBy})` : '';
    reasons.push({
      code: 'MANUAL_REQUEST',
      detail: input.forceReason
        ? `${input.forceReason}${by}`
        : `Retraining was requested with force: true${by}.`,
      ...(input.forceReason ? { data: { reason: input.forceReason } } : {}),
    });
  }
  return reasons;
}
