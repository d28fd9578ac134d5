/**
 * The operations that are the same for every backend, written once over the backend primitives:
 * get-or-create, iteration over pages, "latest version", alias lookups that may miss, URI resolution.
 */
import type { MlflowClient } from './client.ts';
import { MlflowAliasNotFoundError, MlflowAlreadyExistsError, MlflowNotFoundError } from './errors.ts';
import { resolveModelUri, type ModelUri, type ResolvedModelUri } from './model-uri.ts';
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
} from './types.ts';

/** Page size the iterators ask for. */
const ITERATION_PAGE_SIZE = 1000;

/** Walks every page of a paginated call. */
export async function* iteratePages<T>(
  fetchPage: (pageToken?: string) => Promise<Page<T>>,
): AsyncIterable<T> {
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    yield* page.items;
    pageToken = page.nextPageToken;
  } while (pageToken);
}

/** MLflow's canonical spelling of a stage name (`production` → `Production`). */
export function canonicalStage(stage: string): string {
  const known = ['None', 'Staging', 'Production', 'Archived'];
  return known.find((name) => name.toLowerCase() === stage.toLowerCase()) ?? stage;
}

/** Shared implementation of the backend-independent half of {@link MlflowClient}. */
export abstract class BaseMlflowClient implements MlflowClient {
  abstract readonly backend: 'rest' | 'file';
  abstract readonly trackingUri: string;

  abstract getExperiment(experimentId: string): Promise<Experiment>;
  abstract getExperimentByName(name: string): Promise<Experiment | undefined>;
  abstract createExperiment(name: string, options?: CreateExperimentOptions): Promise<string>;
  abstract searchExperiments(options?: SearchRegistryOptions): Promise<Page<Experiment>>;
  abstract createRun(options: CreateRunOptions): Promise<Run>;
  abstract getRun(runId: string): Promise<Run>;
  abstract updateRun(runId: string, options: UpdateRunOptions): Promise<RunInfo>;
  abstract searchRuns(options: SearchRunsOptions): Promise<Page<Run>>;
  abstract logMetric(runId: string, key: string, value: number, options?: LogMetricOptions): Promise<void>;
  abstract logParam(runId: string, key: string, value: string): Promise<void>;
  abstract setTag(runId: string, key: string, value: string): Promise<void>;
  abstract logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  abstract getMetricHistory(
    runId: string,
    key: string,
    options?: MetricHistoryOptions,
  ): Promise<Page<Metric>>;
  abstract createRegisteredModel(
    name: string,
    options?: CreateRegisteredModelOptions,
  ): Promise<RegisteredModel>;
  abstract getRegisteredModel(name: string): Promise<RegisteredModel>;
  abstract searchRegisteredModels(options?: SearchRegistryOptions): Promise<Page<RegisteredModel>>;
  abstract createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion>;
  abstract getModelVersion(name: string, version: string | number): Promise<ModelVersion>;
  abstract searchModelVersions(options?: SearchRegistryOptions): Promise<Page<ModelVersion>>;
  abstract setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  abstract setModelVersionTag(
    name: string,
    version: string | number,
    key: string,
    value: string,
  ): Promise<void>;
  abstract setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void>;
  abstract deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  abstract getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  async getOrCreateExperiment(name: string, options?: CreateExperimentOptions): Promise<Experiment> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing;
    try {
      return await this.getExperiment(await this.createExperiment(name, options));
    } catch (error) {
      // Another job created it between our lookup and our create: use theirs.
      if (!(error instanceof MlflowAlreadyExistsError)) throw error;
      const created = await this.getExperimentByName(name);
      if (!created) throw error;
      return created;
    }
  }

  finishRun(runId: string, status: UpdateRunOptions['status'] = 'FINISHED'): Promise<RunInfo> {
    return this.updateRun(runId, { status, endTime: Date.now() });
  }

  iterateRuns(options: Omit<SearchRunsOptions, 'pageToken'>): AsyncIterable<Run> {
    return iteratePages((pageToken) =>
      this.searchRuns({
        ...options,
        maxResults: options.maxResults ?? ITERATION_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
  }

  iterateMetricHistory(runId: string, key: string): AsyncIterable<Metric> {
    return iteratePages((pageToken) =>
      this.getMetricHistory(runId, key, { maxResults: 25_000, ...(pageToken ? { pageToken } : {}) }),
    );
  }

  iterateModelVersions(options: Omit<SearchRegistryOptions, 'pageToken'> = {}): AsyncIterable<ModelVersion> {
    return iteratePages((pageToken) =>
      this.searchModelVersions({
        ...options,
        maxResults: options.maxResults ?? ITERATION_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      }),
    );
  }

  async getLatestModelVersion(name: string, stage?: string): Promise<ModelVersion> {
    const model = await this.getRegisteredModel(name);
    const wanted = stage === undefined ? undefined : canonicalStage(stage);
    const candidates = model.latestVersions.filter(
      (version) => wanted === undefined || version.currentStage === wanted,
    );
    const newest = candidates.reduce<ModelVersion | undefined>(
      (best, version) =>
        best === undefined || Number(version.version) > Number(best.version) ? version : best,
      undefined,
    );
    if (!newest) {
      const where = wanted === undefined ? '' : ` in stage '${wanted}'`;
      const stages = [...new Set(model.latestVersions.map((version) => version.currentStage))];
      throw new MlflowNotFoundError(`Registered model '${name}' has no versions${where}.`, {
        service: `MLflow at ${this.trackingUri}`,
        call: `latest version of '${name}'`,
        errorCode: 'RESOURCE_DOES_NOT_EXIST',
        suggestions: stages,
        fix:
          wanted === undefined
            ? `Register a version first (e.g. mlflow.register_model), or check the model name.`
            : `Stages with versions: ${stages.length ? stages.join(', ') : 'none'}. Prefer aliases (models:/${name}@champion) over stages.`,
      });
    }
    return this.getModelVersion(name, newest.version);
  }

  async findModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    try {
      return await this.getModelVersionByAlias(name, alias);
    } catch (error) {
      if (error instanceof MlflowAliasNotFoundError) return undefined;
      throw error;
    }
  }

  resolveModelUri(uri: string | ModelUri): Promise<ResolvedModelUri> {
    return resolveModelUri(this, uri);
  }
}

/** Turns `Record` or `[{key, value}]` input into a list of pairs. */
export function toPairs(input: Record<string, string> | { key: string; value: string }[] | undefined) {
  if (!input) return [];
  if (Array.isArray(input)) return input.map(({ key, value }) => ({ key, value: String(value) }));
  return Object.entries(input).map(([key, value]) => ({ key, value: String(value) }));
}
