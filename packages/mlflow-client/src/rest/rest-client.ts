/**
 * The REST backend: MLflow's REST API 2.0 (`/api/2.0/mlflow/…`) through the core's HTTP client, which
 * adds timeouts and retries of 429/5xx/connection failures. MLflow's `{error_code, message}` bodies
 * become typed errors; not-found errors about models, versions and aliases list what exists.
 */
import { HttpClient, HttpError, type RetryOptions } from '@modelops/core';
import { BaseMlflowClient, toPairs } from '../base-client.ts';
import {
  MlflowAliasNotFoundError,
  MlflowError,
  MlflowNotFoundError,
  mlflowErrorFor,
  nearestNames,
  quoteList,
} from '../errors.ts';
import type {
  CreateExperimentOptions,
  CreateModelVersionOptions,
  CreateRegisteredModelOptions,
  CreateRunOptions,
  Experiment,
  LogBatchInput,
  LogMetricOptions,
  Metric,
  MetricHistoryOptions,
  ModelVersion,
  Page,
  RegisteredModel,
  Run,
  RunInfo,
  SearchRegistryOptions,
  SearchRunsOptions,
  UpdateRunOptions,
} from '../types.ts';
import {
  fromWireExperiment,
  fromWireMetric,
  fromWireModelVersion,
  fromWireRegisteredModel,
  fromWireRun,
  fromWireRunInfo,
  toWireDouble,
  toWirePairs,
  type WireExperiment,
  type WireMetric,
  type WireModelVersion,
  type WireRegisteredModel,
  type WireRun,
  type WireRunInfo,
} from './wire.ts';

/** Credentials for a tracking server. */
export interface MlflowAuth {
  /** Sent as `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN). */
  token?: string;
  /** Basic auth user (MLFLOW_TRACKING_USERNAME). */
  username?: string;
  /** Basic auth password (MLFLOW_TRACKING_PASSWORD). */
  password?: string;
}

/** Options of {@link RestMlflowClient}. */
export interface RestMlflowClientOptions {
  /** The tracking server, e.g. `http://mlflow:5000` (a path prefix is kept). */
  trackingUri: string;
  auth?: MlflowAuth;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy of the core HTTP client. */
  retry?: RetryOptions;
  /** Debug log for retries. */
  log?: (line: string) => void;
  /** The fetch implementation (default: global). */
  fetch?: typeof fetch;
  /** User recorded on created runs (default: the OS user). */
  userId?: string;
}

/** Context of a call, used to explain not-found errors. */
interface LookupContext {
  model?: string;
  version?: string;
  alias?: string;
  runId?: string;
  experimentId?: string;
}

/** The `Authorization` header for the given credentials, if any. */
export function authorizationHeader(auth: MlflowAuth | undefined): string | undefined {
  if (auth?.token) return `Bearer ${auth.token}`;
  if (auth?.username !== undefined && auth.username !== '') {
    return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  return undefined;
}

function describeMlflowBody(_status: number, body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body) {
    const { error_code: code, message } = body as { error_code?: string; message?: unknown };
    return code ? `${code}: ${String(message)}` : String(message);
  }
  return undefined;
}

/** {@link MlflowClient} over MLflow's REST API 2.0. */
export class RestMlflowClient extends BaseMlflowClient {
  readonly backend = 'rest' as const;
  readonly trackingUri: string;
  private readonly http: HttpClient;
  private readonly userId: string | undefined;

  constructor(options: RestMlflowClientOptions) {
    super();
    this.trackingUri = options.trackingUri.replace(/\/+$/, '');
    const authorization = authorizationHeader(options.auth);
    this.http = new HttpClient({
      service: 'MLflow',
      baseUrl: `${this.trackingUri}/api/2.0/mlflow/`,
      ...(authorization ? { headers: { authorization } } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      describeErrorBody: describeMlflowBody,
    });
    this.userId = options.userId;
  }

  /** Sends one call and maps MLflow error bodies to typed errors. */
  private async call<T>(
    method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
    path: string,
    payload: Record<string, unknown>,
    context: LookupContext = {},
  ): Promise<T> {
    const isQuery = method === 'GET';
    const query: Record<string, string | number | boolean | undefined | readonly string[]> = {};
    if (isQuery) {
      for (const [key, value] of Object.entries(payload)) {
        if (value === undefined) continue;
        query[key] = Array.isArray(value) ? value.map(String) : String(value as string | number);
      }
    }
    try {
      const response = await this.http.request<T>({
        method,
        path,
        ...(isQuery ? { query } : { body: payload }),
      });
      return (response.body ?? {}) as T;
    } catch (error) {
      throw await this.toMlflowError(error, context);
    }
  }

  private async toMlflowError(error: unknown, context: LookupContext): Promise<unknown> {
    if (!(error instanceof HttpError)) return error;
    const body = error.body as { error_code?: string; message?: string } | undefined;
    const base = {
      service: error.service,
      call: error.call,
      ...(error.status === undefined ? {} : { status: error.status }),
      attempts: error.attempts,
      retryable: error.retryable,
      cause: error,
    };
    if (error.status === 401 || error.status === 403) {
      return new MlflowError(body?.message ?? error.message, {
        ...base,
        errorCode: body?.error_code ?? (error.status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED'),
        fix: 'Give the tracking server credentials: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic), with access to this experiment or model.',
      });
    }
    if (!body || typeof body !== 'object' || !body.error_code) return error;
    const message = body.message ?? error.message;
    if (
      body.error_code === 'INVALID_PARAMETER_VALUE' &&
      context.alias !== undefined &&
      context.model !== undefined
    ) {
      if (/alias/i.test(message) && /not found|does not exist/i.test(message)) {
        const aliases = await this.aliasesOf(context.model);
        return new MlflowAliasNotFoundError(message, {
          ...base,
          errorCode: body.error_code,
          suggestions: nearestNames(context.alias, Object.keys(aliases ?? {})),
          fix: describeAliases(context.model, aliases),
        });
      }
    }
    if (body.error_code === 'RESOURCE_DOES_NOT_EXIST') {
      const explained = await this.explainNotFound(context);
      return new MlflowNotFoundError(message, { ...base, errorCode: body.error_code, ...explained });
    }
    return mlflowErrorFor(message, { ...base, errorCode: body.error_code });
  }

  /** Aliases of a model (alias → version), or undefined when the model cannot be read. */
  private async aliasesOf(model: string): Promise<Record<string, string> | undefined> {
    try {
      const response = await this.http.request<{ registered_model?: WireRegisteredModel }>({
        path: 'registered-models/get',
        query: { name: model },
        retry: false,
      });
      return fromWireRegisteredModel(response.body.registered_model ?? {}).aliases;
    } catch {
      return undefined;
    }
  }

  /** Lists what exists near a missing model or version, with one cheap extra call. */
  private async explainNotFound(context: LookupContext): Promise<{ suggestions?: string[]; fix?: string }> {
    if (context.model === undefined) {
      if (context.runId !== undefined) {
        return {
          fix: `Check the run id '${context.runId}' (32 hex characters) and that it was logged to ${this.trackingUri}.`,
        };
      }
      if (context.experimentId !== undefined) {
        return { fix: `Check the experiment id '${context.experimentId}' on ${this.trackingUri}.` };
      }
      return {};
    }
    try {
      const model = await this.http.request<{ registered_model?: WireRegisteredModel }>({
        path: 'registered-models/get',
        query: { name: context.model },
        retry: false,
        allowStatus: [404],
      });
      if (model.status === 200 && context.version !== undefined) {
        const versions = await this.http.request<{ model_versions?: WireModelVersion[] }>({
          path: 'model-versions/search',
          query: { filter: nameFilter(context.model), max_results: 1000 },
          retry: false,
        });
        const numbers = (versions.body.model_versions ?? []).map((version) => String(version.version));
        numbers.sort((a, b) => Number(a) - Number(b));
        return {
          suggestions: numbers,
          fix: numbers.length
            ? `Model '${context.model}' has versions ${numbers.join(', ')}.`
            : `Model '${context.model}' has no versions yet.`,
        };
      }
      if (model.status === 404) {
        const listing = await this.http.request<{ registered_models?: WireRegisteredModel[] }>({
          path: 'registered-models/search',
          query: { max_results: 1000 },
          retry: false,
        });
        const names = (listing.body.registered_models ?? []).map((entry) => entry.name ?? '');
        const nearest = nearestNames(context.model, names);
        return {
          suggestions: nearest,
          fix: nearest.length
            ? `Did you mean ${quoteList(nearest)}? Registered models are case-sensitive.`
            : `No registered model is named like '${context.model}'; register it first (registered-models/create).`,
        };
      }
    } catch {
      // The explanation is a courtesy: the original error is what matters.
    }
    return {};
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const body = await this.call<{ experiment?: WireExperiment }>(
      'GET',
      'experiments/get',
      { experiment_id: experimentId },
      { experimentId },
    );
    return fromWireExperiment(body.experiment ?? {});
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const body = await this.call<{ experiment?: WireExperiment }>('GET', 'experiments/get-by-name', {
        experiment_name: name,
      });
      return fromWireExperiment(body.experiment ?? {});
    } catch (error) {
      if (error instanceof MlflowNotFoundError) return undefined;
      throw error;
    }
  }

  async createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    const body = await this.call<{ experiment_id?: string }>('POST', 'experiments/create', {
      name,
      ...(options.artifactLocation ? { artifact_location: options.artifactLocation } : {}),
      tags: toWirePairs(options.tags),
    });
    return String(body.experiment_id ?? '');
  }

  async searchExperiments(options: SearchRegistryOptions = {}): Promise<Page<Experiment>> {
    const body = await this.call<{ experiments?: WireExperiment[]; next_page_token?: string }>(
      'POST',
      'experiments/search',
      {
        max_results: options.maxResults ?? 1000,
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.orderBy ? { order_by: options.orderBy } : {}),
        ...(options.pageToken ? { page_token: options.pageToken } : {}),
      },
    );
    return page((body.experiments ?? []).map(fromWireExperiment), body.next_page_token);
  }

  async createRun(options: CreateRunOptions): Promise<Run> {
    const body = await this.call<{ run?: WireRun }>(
      'POST',
      'runs/create',
      {
        experiment_id: options.experimentId,
        start_time: options.startTime ?? Date.now(),
        ...(options.runName ? { run_name: options.runName } : {}),
        ...((options.userId ?? this.userId) ? { user_id: options.userId ?? this.userId } : {}),
        tags: toWirePairs(options.tags),
      },
      { experimentId: options.experimentId },
    );
    return fromWireRun(body.run ?? {});
  }

  async getRun(runId: string): Promise<Run> {
    const body = await this.call<{ run?: WireRun }>('GET', 'runs/get', { run_id: runId }, { runId });
    return fromWireRun(body.run ?? {});
  }

  async updateRun(runId: string, options: UpdateRunOptions): Promise<RunInfo> {
    const body = await this.call<{ run_info?: WireRunInfo }>(
      'POST',
      'runs/update',
      {
        run_id: runId,
        run_uuid: runId,
        ...(options.status ? { status: options.status } : {}),
        ...(options.endTime === undefined ? {} : { end_time: options.endTime }),
        ...(options.runName === undefined ? {} : { run_name: options.runName }),
      },
      { runId },
    );
    return fromWireRunInfo(body.run_info ?? {});
  }

  async searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    const body = await this.call<{ runs?: WireRun[]; next_page_token?: string }>('POST', 'runs/search', {
      experiment_ids: options.experimentIds,
      max_results: options.maxResults ?? 1000,
      run_view_type: options.runViewType ?? 'ACTIVE_ONLY',
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
    });
    return page((body.runs ?? []).map(fromWireRun), body.next_page_token);
  }

  async logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    await this.call(
      'POST',
      'runs/log-metric',
      {
        run_id: runId,
        run_uuid: runId,
        key,
        value: toWireDouble(value),
        timestamp: options.timestamp ?? Date.now(),
        step: options.step ?? 0,
      },
      { runId },
    );
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key, value }, { runId });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, run_uuid: runId, key, value }, { runId });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const now = Date.now();
    await this.call(
      'POST',
      'runs/log-batch',
      {
        run_id: runId,
        metrics: (batch.metrics ?? []).map((metric) => ({
          key: metric.key,
          value: toWireDouble(metric.value),
          timestamp: metric.timestamp ?? now,
          step: metric.step ?? 0,
        })),
        params: toPairs(batch.params),
        tags: toPairs(batch.tags),
      },
      { runId },
    );
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<Page<Metric>> {
    const body = await this.call<{ metrics?: WireMetric[]; next_page_token?: string }>(
      'GET',
      'metrics/get-history',
      { run_id: runId, metric_key: key, max_results: options.maxResults, page_token: options.pageToken },
      { runId },
    );
    return page((body.metrics ?? []).map(fromWireMetric), body.next_page_token);
  }

  async createRegisteredModel(
    name: string,
    options: CreateRegisteredModelOptions = {},
  ): Promise<RegisteredModel> {
    const body = await this.call<{ registered_model?: WireRegisteredModel }>(
      'POST',
      'registered-models/create',
      {
        name,
        tags: toWirePairs(options.tags),
        ...(options.description ? { description: options.description } : {}),
      },
    );
    return fromWireRegisteredModel(body.registered_model ?? {});
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const body = await this.call<{ registered_model?: WireRegisteredModel }>(
      'GET',
      'registered-models/get',
      { name },
      { model: name },
    );
    return fromWireRegisteredModel(body.registered_model ?? {});
  }

  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<Page<RegisteredModel>> {
    const body = await this.call<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>(
      'GET',
      'registered-models/search',
      {
        filter: options.filter,
        max_results: options.maxResults ?? 100,
        order_by: options.orderBy,
        page_token: options.pageToken,
      },
    );
    return page((body.registered_models ?? []).map(fromWireRegisteredModel), body.next_page_token);
  }

  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    const body = await this.call<{ model_version?: WireModelVersion }>(
      'POST',
      'model-versions/create',
      {
        name: options.name,
        source: options.source,
        ...(options.runId ? { run_id: options.runId } : {}),
        ...(options.runLink ? { run_link: options.runLink } : {}),
        ...(options.description ? { description: options.description } : {}),
        tags: toWirePairs(options.tags),
      },
      { model: options.name },
    );
    return fromWireModelVersion(body.model_version ?? {});
  }

  async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    const body = await this.call<{ model_version?: WireModelVersion }>(
      'GET',
      'model-versions/get',
      { name, version: String(version) },
      { model: name, version: String(version) },
    );
    return fromWireModelVersion(body.model_version ?? {});
  }

  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<Page<ModelVersion>> {
    const body = await this.call<{ model_versions?: WireModelVersion[]; next_page_token?: string }>(
      'GET',
      'model-versions/search',
      {
        filter: options.filter,
        max_results: options.maxResults ?? 1000,
        order_by: options.orderBy,
        page_token: options.pageToken,
      },
    );
    return page((body.model_versions ?? []).map(fromWireModelVersion), body.next_page_token);
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'registered-models/set-tag', { name, key, value }, { model: name });
  }

  async setModelVersionTag(
    name: string,
    version: string | number,
    key: string,
    value: string,
  ): Promise<void> {
    await this.call(
      'POST',
      'model-versions/set-tag',
      { name, version: String(version), key, value },
      { model: name, version: String(version) },
    );
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call(
      'POST',
      'registered-models/alias',
      { name, alias, version: String(version) },
      { model: name, version: String(version) },
    );
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', { name, alias }, { model: name });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const body = await this.call<{ model_version?: WireModelVersion }>(
      'GET',
      'registered-models/alias',
      { name, alias },
      { model: name, alias },
    );
    return fromWireModelVersion(body.model_version ?? {});
  }
}

function page<T>(items: T[], nextPageToken: string | undefined): Page<T> {
  return nextPageToken ? { items, nextPageToken } : { items };
}

/** `name = '<name>'`, double-quoted when the name holds a single quote. */
export function nameFilter(name: string): string {
  return name.includes("'") ? `name = "${name}"` : `name = '${name}'`;
}

/** "Aliases of 'm': champion → 3, challenger → 4." for fixes. */
export function describeAliases(model: string, aliases: Record<string, string> | undefined): string {
  if (!aliases) return `Check that model '${model}' exists and the alias is set (registered-models/alias).`;
  const entries = Object.entries(aliases);
  if (entries.length === 0)
    return `Model '${model}' has no aliases yet; set one with setRegisteredModelAlias.`;
  return `Aliases of '${model}': ${entries.map(([alias, version]) => `${alias} → version ${version}`).join(', ')}.`;
}
