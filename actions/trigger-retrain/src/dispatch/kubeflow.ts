/**
 * Training as a Kubeflow Pipelines v2 run (REST API v2beta1). The API has no idempotency key, so a
 * run is named after its fingerprint (`display_name` = `retrain <model> <fingerprint>`) and looked
 * up with a `display_name EQUALS` filter before one is created; the description carries the
 * dispatch id, which tells a retried create call whether its first attempt landed.
 */
import { HttpClient, HttpError, UserError, type RetryOptions } from '@modelops/core';
import { createExactlyOnce, sentence } from './exactly-once.ts';
import {
  countsAsExisting,
  trainingParameters,
  type DispatchOutcome,
  type DispatchRequest,
  type Dispatcher,
  type EngineRun,
  type FindOptions,
  type RunState,
  grpcGatewayMessage,
} from './types.ts';

/** Settings of {@link KubeflowDispatcher}. */
export interface KubeflowSettings {
  /** Base URL of the KFP API server (or the UI, which proxies `/apis`). */
  url: string;
  /** The model; run names carry it. */
  model: string;
  pipelineId: string;
  /** Default: the pipeline's latest version. */
  pipelineVersionId?: string;
  /** Default: the server's default experiment. */
  experimentId?: string;
  /** Bearer token. */
  token?: string;
  retry?: RetryOptions;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

/** A v2beta1 run, as far as this module reads it. */
interface KfpRun {
  run_id: string;
  display_name?: string;
  description?: string;
  state?: string;
  created_at?: string;
}

/** Maps a KFP runtime state to a run state. */
export function kfpRunState(state: string | undefined): RunState {
  switch (state) {
    case 'RUNNING':
    case 'PAUSED':
    case 'CANCELING':
      return 'running';
    case 'SUCCEEDED':
    case 'SKIPPED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELED':
      return 'cancelled';
    default:
      return 'pending'; // PENDING, RUNTIME_STATE_UNSPECIFIED, or not reported yet
  }
}

/** The display name runs of a fingerprint get. */
export function kfpDisplayName(model: string, fingerprint: string): string {
  return `retrain ${model} ${fingerprint}`;
}

/** Dispatches to Kubeflow Pipelines. */
export class KubeflowDispatcher implements Dispatcher {
  readonly engine = 'kubeflow' as const;
  private readonly http: HttpClient;
  private readonly settings: KubeflowSettings;
  private readonly ui: string;

  constructor(settings: KubeflowSettings) {
    this.settings = settings;
    this.ui = settings.url.replace(/\/+$/, '');
    this.http = new HttpClient({
      service: 'Kubeflow Pipelines',
      baseUrl: settings.url,
      ...(settings.token ? { headers: { authorization: `Bearer ${settings.token}` } } : {}),
      ...(settings.retry ? { retry: settings.retry } : {}),
      ...(settings.log ? { log: settings.log } : {}),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      describeErrorBody: grpcGatewayMessage,
    });
  }

  get service(): string {
    return this.http.serviceName;
  }

  private toRun(run: KfpRun): EngineRun {
    return {
      id: run.run_id,
      url: `${this.ui}/#/runs/details/${encodeURIComponent(run.run_id)}`,
      state: kfpRunState(run.state),
      ...(run.created_at ? { createdAt: run.created_at } : {}),
      engineState: run.state ?? 'RUNTIME_STATE_UNSPECIFIED',
    };
  }

  /** Runs with this display name, newest first. */
  private async runsNamed(name: string): Promise<KfpRun[]> {
    const filter = JSON.stringify({
      predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: name }],
    });
    const out: KfpRun[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 5; page++) {
      const body = await this.http
        .json<{ runs?: KfpRun[]; next_page_token?: string }>('GET', 'apis/v2beta1/runs', undefined, {
          filter,
          page_size: 100,
          sort_by: 'created_at desc',
          page_token: pageToken,
          experiment_id: this.settings.experimentId,
        })
        .catch((error: unknown) => {
          throw this.refine(error);
        });
      out.push(...(body.runs ?? []));
      pageToken = body.next_page_token || undefined;
      if (!pageToken) break;
    }
    return out;
  }

  async find(fingerprint: string, options: FindOptions = {}): Promise<EngineRun | undefined> {
    for (const run of await this.runsNamed(kfpDisplayName(this.settings.model, fingerprint))) {
      const found = this.toRun(run);
      if (countsAsExisting(found, options.since)) return found;
    }
    return undefined;
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const displayName = kfpDisplayName(request.model, request.fingerprint);
    const body = {
      display_name: displayName,
      description: `Dispatched by modelops trigger-retrain (dispatch ${request.dispatchId}): ${request.reasons.map((r) => r.code).join(', ')}`,
      pipeline_version_reference: {
        pipeline_id: this.settings.pipelineId,
        ...(this.settings.pipelineVersionId ? { pipeline_version_id: this.settings.pipelineVersionId } : {}),
      },
      runtime_config: { parameters: trainingParameters(request) },
      ...(this.settings.experimentId ? { experiment_id: this.settings.experimentId } : {}),
    };
    const run = await createExactlyOnce<KfpRun>({
      service: this.service,
      call: 'POST /apis/v2beta1/runs',
      attempt: async () =>
        (await this.http.request<KfpRun>({ method: 'POST', path: 'apis/v2beta1/runs', body, retry: false }))
          .body,
      // The description carries the dispatch id: a run with it is what a failed attempt created.
      recover: async () =>
        (await this.runsNamed(displayName)).find((r) => r.description?.includes(request.dispatchId)),
      isRetryable: (error) => error instanceof HttpError && error.retryable,
      ...(this.settings.sleep ? { sleep: this.settings.sleep } : {}),
      ...(this.settings.log ? { log: this.settings.log } : {}),
    }).catch((error: unknown) => {
      throw this.refine(error, 'create a run');
    });
    return { run: this.toRun(run), deduplicated: false };
  }

  async status(runId: string): Promise<EngineRun> {
    const run = await this.http
      .json<KfpRun>('GET', `apis/v2beta1/runs/${encodeURIComponent(runId)}`)
      .catch((error: unknown) => {
        throw this.refine(error);
      });
    return this.toRun(run);
  }

  /** Turns the statuses that mean "wrong settings" into errors that name the input. */
  private refine(error: unknown, what = 'call the API'): unknown {
    if (!(error instanceof HttpError) || error.retryable) return error;
    const status = error.status;
    if (status === 401 || status === 403) {
      return new UserError(
        `Kubeflow Pipelines refused to ${what} (HTTP ${status}): ${sentence(error.message)}`,
        {
          input: 'token',
          fix: 'Pass a bearer token the KFP API server accepts (e.g. a service-account token) in `token`.',
          cause: error,
        },
      );
    }
    if (status === 404 || status === 400) {
      return new UserError(
        `Kubeflow Pipelines could not ${what} (HTTP ${status}): ${sentence(error.message)}`,
        {
          input: status === 404 ? 'kfp-pipeline-id' : 'inputs',
          fix:
            status === 404
              ? 'Check kfp-url, kfp-pipeline-id and kfp-pipeline-version-id (the pipeline and version must exist).'
              : 'Check the pipeline parameters: the pipeline must accept fingerprint, reasons and fingerprint_inputs plus the keys of `inputs`.',
          cause: error,
        },
      );
    }
    return error;
  }
}
