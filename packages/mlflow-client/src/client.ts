/**
 * The one MLflow client interface the actions program against. Two backends implement it: the REST
 * API 2.0 of a tracking server, and MLflow's own file store (`mlruns/`) read and written in place.
 */
import type { ModelUri, ResolvedModelUri } from './model-uri.ts';
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

/** Experiment, run and model-registry operations of MLflow. */
export interface MlflowClient {
  /** Which backend serves the calls. */
  readonly backend: 'rest' | 'file';
  /** The tracking URI as resolved: an `http(s)://` URL or a `file://` URI of the store root. */
  readonly trackingUri: string;

  /** An experiment by id; throws `MlflowNotFoundError` if there is none. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** An active experiment by name, or `undefined`. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** Creates an experiment and returns its id; throws `MlflowAlreadyExistsError` if the name is taken. */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<string>;
  /** The experiment with this name, created if missing (safe against a concurrent creator). */
  getOrCreateExperiment(name: string, options?: CreateExperimentOptions): Promise<Experiment>;
  /** One page of experiments (filter on `name`, `tags.x`; order by `name`, `creation_time`…). */
  searchExperiments(options?: SearchRegistryOptions): Promise<Page<Experiment>>;

  /** Starts a run (status `RUNNING`). */
  createRun(options: CreateRunOptions): Promise<Run>;
  /** A run with its latest metrics, params and tags; throws `MlflowNotFoundError` if unknown. */
  getRun(runId: string): Promise<Run>;
  /** Changes a run's status, end time or name. */
  updateRun(runId: string, options: UpdateRunOptions): Promise<RunInfo>;
  /** Ends a run: status (default `FINISHED`) and end time now. */
  finishRun(runId: string, status?: UpdateRunOptions['status']): Promise<RunInfo>;
  /** One page of runs matching a filter. */
  searchRuns(options: SearchRunsOptions): Promise<Page<Run>>;
  /** Every run matching a filter, fetched page by page. */
  iterateRuns(options: Omit<SearchRunsOptions, 'pageToken'>): AsyncIterable<Run>;

  /** Logs one metric value. */
  logMetric(runId: string, key: string, value: number, options?: LogMetricOptions): Promise<void>;
  /** Logs a param; logging a different value for an existing key is refused (params are immutable). */
  logParam(runId: string, key: string, value: string): Promise<void>;
  /** Sets (or overwrites) a run tag. */
  setTag(runId: string, key: string, value: string): Promise<void>;
  /** Logs metrics, params and tags in one call. */
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  /** One page of every value logged for a metric, in logging order. */
  getMetricHistory(runId: string, key: string, options?: MetricHistoryOptions): Promise<Page<Metric>>;
  /** Every value logged for a metric. */
  iterateMetricHistory(runId: string, key: string): AsyncIterable<Metric>;

  /** Creates a registered model; throws `MlflowAlreadyExistsError` if the name is taken. */
  createRegisteredModel(name: string, options?: CreateRegisteredModelOptions): Promise<RegisteredModel>;
  /** A registered model with its tags, aliases and latest versions; `MlflowNotFoundError` if unknown. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** One page of registered models (filter on `name`, `tags.x`). */
  searchRegisteredModels(options?: SearchRegistryOptions): Promise<Page<RegisteredModel>>;
  /** Registers a new version of a model (the next number). */
  createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion>;
  /** A model version; `MlflowNotFoundError` if the model or version is unknown. */
  getModelVersion(name: string, version: string | number): Promise<ModelVersion>;
  /** The newest version of a model, optionally only among those in a (deprecated) stage. */
  getLatestModelVersion(name: string, stage?: string): Promise<ModelVersion>;
  /** One page of model versions (filter on `name`, `run_id`, `tags.x`…). */
  searchModelVersions(options?: SearchRegistryOptions): Promise<Page<ModelVersion>>;
  /** Every model version matching a filter. */
  iterateModelVersions(options?: Omit<SearchRegistryOptions, 'pageToken'>): AsyncIterable<ModelVersion>;
  /** Sets (or overwrites) a tag of a registered model. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  /** Sets (or overwrites) a model version tag. */
  setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void>;
  /** Points an alias at a version (moving it if set). */
  setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void>;
  /** Removes an alias (no error if it is not set). */
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** The version an alias points at; throws `MlflowAliasNotFoundError` listing the set aliases. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** The version an alias points at, or `undefined` if the alias is not set. */
  findModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined>;

  /** Resolves `models:/name/3`, `models:/name@champion`, `models:/name/latest` or `runs:/id/path`. */
  resolveModelUri(uri: string | ModelUri): Promise<ResolvedModelUri>;
}
