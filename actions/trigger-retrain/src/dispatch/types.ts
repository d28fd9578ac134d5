/**
 * One interface for every training engine: find a run by fingerprint, dispatch a run, read a run's
 * state. The exactly-once rule lives on top of it (see {@link countsAsExisting}): a run that is
 * pending, running, or succeeded since the baseline stands for "this fingerprint is being, or has
 * been, trained".
 */
import type { RetrainReason } from '../reasons.ts';

/** The engines a decision can dispatch to. */
export const DISPATCH_ENGINES = ['github-workflow', 'repository-dispatch', 'kubeflow', 'argo'] as const;

/** An engine a decision can dispatch to. */
export type DispatchEngine = (typeof DISPATCH_ENGINES)[number];

/** The state of a training run, common to every engine. */
export type RunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A training run of an engine. */
export interface EngineRun {
  /** The engine's id: workflow run id, KFP run id, Argo workflow name, MLflow run id. */
  id: string;
  url?: string;
  state: RunState;
  /** When the engine created the run (ISO date-time), when known. */
  createdAt?: string;
  /** The engine's own word for the state, e.g. `in_progress`, `RUNNING`, `Failed`. */
  engineState: string;
}

/** What a dispatch sends to the training run. */
export interface DispatchRequest {
  model: string;
  fingerprint: string;
  reasons: readonly RetrainReason[];
  /** The compact inputs record (see `compactInputs`), for the training to tag `modelops.inputs`. */
  fingerprintInputs: string;
  /** Correlates this dispatch with the run it creates (and its retries). */
  dispatchId: string;
  /** Extra parameters from the `inputs` input. */
  inputs: Readonly<Record<string, unknown>>;
  /** The baseline's training time: succeeded runs created before it do not count (see {@link countsAsExisting}). */
  since?: Date;
}

/** What a dispatch did. */
export interface DispatchOutcome {
  /** The run, unless the engine gives no way to find it (repository_dispatch without run-name). */
  run: EngineRun | undefined;
  /** True when the run was already there (found while dispatching, e.g. Argo's 409). */
  deduplicated: boolean;
}

/** Options of {@link Dispatcher.find}. */
export interface FindOptions {
  /** A succeeded run counts only when created after this (the baseline's training time). */
  since?: Date;
}

/** A training engine. */
export interface Dispatcher {
  readonly engine: DispatchEngine;
  /** The engine and where it is, for messages, e.g. `Kubeflow Pipelines at http://kfp:8888`. */
  readonly service: string;
  /** A run with this fingerprint that is pending, running, or succeeded since `since`. */
  find(fingerprint: string, options?: FindOptions): Promise<EngineRun | undefined>;
  /** Starts a training run. Never starts two runs for one call, even when a call is retried. */
  dispatch(request: DispatchRequest): Promise<DispatchOutcome>;
  /** The current state of a run. */
  status(runId: string): Promise<EngineRun>;
}

/** True for states that will not change any more. */
export function isTerminal(state: RunState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/**
 * The exactly-once rule: a pending or running run always counts; a succeeded run counts when it was
 * created after the baseline's training (or when there is no baseline), so a retrain asked for by
 * `max-age` or `force` is not swallowed by the very run that produced the baseline.
 */
export function countsAsExisting(run: EngineRun, since: Date | undefined): boolean {
  if (run.state === 'pending' || run.state === 'running') return true;
  if (run.state !== 'succeeded') return false;
  if (since === undefined) return true;
  if (run.createdAt === undefined) return false;
  return Date.parse(run.createdAt) > since.getTime();
}

/** Most characters of the `reasons` parameter: engines cap parameter sizes (GitHub ≈ 65 KB for all inputs). */
export const REASONS_PARAMETER_LIMIT = 4000;

/** The reasons as the compact JSON list `[{code, detail}]` training runs receive, cut to fit. */
export function reasonsParameter(reasons: readonly RetrainReason[], limit = REASONS_PARAMETER_LIMIT): string {
  const list = reasons.map((r) => ({
    code: r.code,
    detail: r.detail.length > 300 ? `${r.detail.slice(0, 299)}…` : r.detail,
  }));
  let text = JSON.stringify(list);
  while (text.length > limit && list.length > 1) {
    list.pop();
    text = JSON.stringify(list);
  }
  return text;
}

/** The parameters every engine passes to the training run, plus the caller's extra ones. */
export function trainingParameters(request: DispatchRequest): Record<string, unknown> {
  return {
    ...request.inputs,
    fingerprint: request.fingerprint,
    reasons: reasonsParameter(request.reasons),
    fingerprint_inputs: request.fingerprintInputs,
  };
}

/** Parameter names the action sets itself; the `inputs` input may not use them. */
export const RESERVED_PARAMETERS = [
  'fingerprint',
  'reasons',
  'fingerprint_inputs',
  'distinct_id',
  'model',
] as const;

/**
 * The readable message of a grpc-gateway error body (`{error, code, message, details}`), which both
 * Kubeflow Pipelines and argo-server answer with.
 */
export function grpcGatewayMessage(_status: number, body: unknown): string | undefined {
  const b = body as { message?: unknown; error?: unknown } | undefined;
  const text = typeof b?.message === 'string' && b.message ? b.message : b?.error;
  return typeof text === 'string' && text ? text : undefined;
}
