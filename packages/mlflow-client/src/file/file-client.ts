/**
 * The file backend: MLflow's own local store (`mlruns/`), read and written in MLflow's exact layout so
 * `mlflow ui --backend-store-uri ./mlruns` shows what the suite wrote and the suite reads what
 * MLflow's Python client wrote. No server needed.
 */
import { BaseMlflowClient, toPairs } from '../base-client.ts';
import {
  MlflowAliasNotFoundError,
  MlflowError,
  MlflowInvalidParameterError,
  mlflowErrorFor,
} from '../errors.ts';
import { InvalidParameterValue } from '../invalid.ts';
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
import { pathToFileUri } from './format.ts';
import { FileRegistryStore } from './registry.ts';
import { StoreError } from './store-fs.ts';
import { FileTrackingStore } from './tracking.ts';

/** Options of {@link FileMlflowClient}. */
export interface FileMlflowClientOptions {
  /** Absolute path of the store root (an `mlruns` directory; created on first write). */
  root: string;
  /** User recorded on created runs (default: the OS user). */
  userId?: string;
}

/** File-system failures that are the user's to fix (permissions, full disk, a file where a folder goes). */
const ENVIRONMENT_ERRORS: Record<string, string> = {
  EACCES: 'Give the job write access to the store directory, or point MLFLOW_TRACKING_URI elsewhere.',
  EPERM: 'Give the job write access to the store directory, or point MLFLOW_TRACKING_URI elsewhere.',
  EROFS: 'The store is on a read-only file system; point MLFLOW_TRACKING_URI at a writable directory.',
  ENOSPC: 'The disk is full; free space or point MLFLOW_TRACKING_URI at another volume.',
  ENOTDIR: 'A file stands where the store expects a directory; check MLFLOW_TRACKING_URI.',
  EEXIST: 'A file stands where the store expects a directory; check MLFLOW_TRACKING_URI.',
};

/** {@link MlflowClient} over MLflow's file store. */
export class FileMlflowClient extends BaseMlflowClient {
  readonly backend = 'file' as const;
  readonly trackingUri: string;
  /** The store root directory. */
  readonly root: string;
  private readonly tracking: FileTrackingStore;
  private readonly registry: FileRegistryStore;
  private readonly service: string;

  constructor(options: FileMlflowClientOptions) {
    super();
    this.root = options.root;
    this.trackingUri = pathToFileUri(options.root);
    this.service = `MLflow file store at ${options.root}`;
    this.tracking = new FileTrackingStore({
      root: options.root,
      ...(options.userId ? { userId: options.userId } : {}),
    });
    this.registry = new FileRegistryStore({ root: options.root });
  }

  /** Runs a store operation, turning its failures into typed errors naming this store and the call. */
  private async run<T>(call: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.translate(error, call);
    }
  }

  private translate(error: unknown, call: string): unknown {
    const base = { service: this.service, call };
    if (error instanceof InvalidParameterValue) {
      return new MlflowInvalidParameterError(error.message, {
        ...base,
        errorCode: 'INVALID_PARAMETER_VALUE',
      });
    }
    if (error instanceof StoreError) {
      const options = {
        ...base,
        errorCode: error.errorCode,
        ...(error.details.suggestions ? { suggestions: error.details.suggestions } : {}),
        ...(error.details.fix ? { fix: error.details.fix } : {}),
        ...(error.details.file ? { file: error.details.file } : {}),
      };
      return error.details.alias
        ? new MlflowAliasNotFoundError(error.message, options)
        : mlflowErrorFor(error.message, options);
    }
    const code = (error as { code?: string } | null)?.code;
    const fix = code ? ENVIRONMENT_ERRORS[code] : undefined;
    if (fix) {
      const path = (error as { path?: string }).path;
      return new MlflowError(`${code}: ${(error as Error).message}`, {
        ...base,
        errorCode: 'INTERNAL_ERROR',
        fix,
        ...(path ? { file: path } : {}),
        cause: error,
      });
    }
    return error;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.run(`getExperiment(${experimentId})`, () => this.tracking.getExperiment(experimentId));
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.run(`getExperimentByName(${name})`, () => this.tracking.getExperimentByName(name));
  }

  createExperiment(name: string, options?: CreateExperimentOptions): Promise<string> {
    return this.run(`createExperiment(${name})`, () => this.tracking.createExperiment(name, options));
  }

  searchExperiments(options: SearchRegistryOptions = {}): Promise<Page<Experiment>> {
    return this.run('searchExperiments', () => this.tracking.searchExperiments(options));
  }

  createRun(options: CreateRunOptions): Promise<Run> {
    return this.run(`createRun(experiment ${options.experimentId})`, () => this.tracking.createRun(options));
  }

  getRun(runId: string): Promise<Run> {
    return this.run(`getRun(${runId})`, () => this.tracking.getRun(runId));
  }

  updateRun(runId: string, options: UpdateRunOptions): Promise<RunInfo> {
    return this.run(`updateRun(${runId})`, () => this.tracking.updateRun(runId, options));
  }

  searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    return this.run('searchRuns', () => this.tracking.searchRuns(options));
  }

  logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    return this.run(`logMetric(${runId}, ${key})`, () =>
      this.tracking.logMetrics(runId, [{ key, value, ...options }]),
    );
  }

  logParam(runId: string, key: string, value: string): Promise<void> {
    return this.run(`logParam(${runId}, ${key})`, () =>
      this.tracking.logParams(runId, [{ key, value: String(value) }]),
    );
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.run(`setTag(${runId}, ${key})`, () =>
      this.tracking.setTags(runId, [{ key, value: String(value) }]),
    );
  }

  logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    return this.run(`logBatch(${runId})`, () =>
      this.tracking.logBatch(runId, batch.metrics ?? [], toPairs(batch.params), toPairs(batch.tags)),
    );
  }

  getMetricHistory(runId: string, key: string, options?: MetricHistoryOptions): Promise<Page<Metric>> {
    return this.run(`getMetricHistory(${runId}, ${key})`, () =>
      this.tracking.getMetricHistory(runId, key, options),
    );
  }

  createRegisteredModel(name: string, options?: CreateRegisteredModelOptions): Promise<RegisteredModel> {
    return this.run(`createRegisteredModel(${name})`, async () => {
      await this.tracking.ensureStore();
      return this.registry.createRegisteredModel(name, options);
    });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.run(`getRegisteredModel(${name})`, () => this.registry.getRegisteredModel(name));
  }

  searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<Page<RegisteredModel>> {
    return this.run('searchRegisteredModels', () => this.registry.searchRegisteredModels(options));
  }

  createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    return this.run(`createModelVersion(${options.name})`, () => this.registry.createModelVersion(options));
  }

  getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return this.run(`getModelVersion(${name}, ${version})`, () =>
      this.registry.getModelVersion(name, version),
    );
  }

  searchModelVersions(options: SearchRegistryOptions = {}): Promise<Page<ModelVersion>> {
    return this.run('searchModelVersions', () => this.registry.searchModelVersions(options));
  }

  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.run(`setRegisteredModelTag(${name}, ${key})`, () =>
      this.registry.setRegisteredModelTag(name, key, String(value)),
    );
  }

  setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    return this.run(`setModelVersionTag(${name}, ${version}, ${key})`, () =>
      this.registry.setModelVersionTag(name, version, key, String(value)),
    );
  }

  setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    return this.run(`setRegisteredModelAlias(${name}, ${alias})`, () =>
      this.registry.setRegisteredModelAlias(name, alias, version),
    );
  }

  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.run(`deleteRegisteredModelAlias(${name}, ${alias})`, () =>
      this.registry.deleteRegisteredModelAlias(name, alias),
    );
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.run(`getModelVersionByAlias(${name}, ${alias})`, () =>
      this.registry.getModelVersionByAlias(name, alias),
    );
  }
}
