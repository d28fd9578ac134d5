/**
 * The entities of MLflow's tracking server and model registry, as the client returns them. Names are
 * camelCase; values keep MLflow's meaning (timestamps in milliseconds since the epoch, model versions
 * as decimal strings like the REST API).
 */

/** Lifecycle of an experiment or run: deleted ones live in the trash until garbage-collected. */
export type LifecycleStage = 'active' | 'deleted';

/** State of a run. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** All run states, in MLflow's enum order (the file store persists the 1-based index). */
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Which runs a search sees. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** An experiment: a named group of runs. */
export interface Experiment {
  experimentId: string;
  name: string;
  /** Where the runs of this experiment store their artifacts (a URI). */
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
}

/** One logged value of a metric. */
export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  step: number;
}

/** The metadata of a run. */
export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  /** Absent while the run is going. */
  endTime?: number;
  /** Root URI of the run's artifacts. */
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** What was logged to a run. */
export interface RunData {
  /** The latest value of each metric (highest step, then timestamp, then value — as MLflow picks it). */
  metrics: Record<string, Metric>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/** A run: its metadata and its data. */
export interface Run {
  info: RunInfo;
  data: RunData;
}

/** Registration state of a model version. */
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

/** A version of a registered model. */
export interface ModelVersion {
  name: string;
  /** The version number as a decimal string, e.g. `'3'`. */
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp?: number;
  /** Deprecated stages (`None`, `Staging`, `Production`, `Archived`); prefer aliases. */
  currentStage: string;
  description?: string;
  /** Where the model files are, e.g. `runs:/<run_id>/model` or an artifact URI. */
  source: string;
  runId?: string;
  runLink?: string;
  userId?: string;
  status: ModelVersionStatus;
  statusMessage?: string;
  tags: Record<string, string>;
  /** Aliases that point at this version. */
  aliases: string[];
}

/** A registered model: a name with versions, tags and aliases. */
export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  /** The newest version in each stage. */
  latestVersions: ModelVersion[];
  tags: Record<string, string>;
  /** Alias → version, e.g. `{ champion: '3' }`. */
  aliases: Record<string, string>;
}

/** One page of a paginated listing. */
export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextPageToken?: string;
}

/** A key/value pair (tags and params). */
export interface KeyValue {
  key: string;
  value: string;
}

/** Options of `createExperiment`. */
export interface CreateExperimentOptions {
  /** Where the experiment's runs store artifacts (default: chosen by the store). */
  artifactLocation?: string;
  tags?: Record<string, string>;
}

/** Options of `createRun`. */
export interface CreateRunOptions {
  experimentId: string;
  /** Default: a generated name such as `brave-owl-123`. */
  runName?: string;
  /** Milliseconds since the epoch (default: now). */
  startTime?: number;
  tags?: Record<string, string>;
  /** Default: the client's user. */
  userId?: string;
}

/** Options of `updateRun`. */
export interface UpdateRunOptions {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

/** Options of `logMetric`. */
export interface LogMetricOptions {
  /** Milliseconds since the epoch (default: now). */
  timestamp?: number;
  /** Default 0. */
  step?: number;
}

/** A metric point for `logBatch` (timestamp and step default as in `logMetric`). */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

/** What `logBatch` logs. */
export interface LogBatchInput {
  metrics?: MetricInput[];
  params?: Record<string, string> | KeyValue[];
  tags?: Record<string, string> | KeyValue[];
}

/** Options of `searchRuns`. */
export interface SearchRunsOptions {
  experimentIds: string[];
  /** MLflow filter syntax, e.g. `tags.fingerprint = 'abc' AND attributes.status = 'FINISHED'`. */
  filter?: string;
  /** e.g. `['attributes.start_time DESC']` or `['metrics.auc ASC']`. */
  orderBy?: string[];
  /** Page size (default 1000, at most 50 000). */
  maxResults?: number;
  pageToken?: string;
  runViewType?: ViewType;
}

/** Options of `getMetricHistory`. */
export interface MetricHistoryOptions {
  maxResults?: number;
  pageToken?: string;
}

/** Options of `createRegisteredModel`. */
export interface CreateRegisteredModelOptions {
  description?: string;
  tags?: Record<string, string>;
}

/** Options of `createModelVersion`. */
export interface CreateModelVersionOptions {
  name: string;
  /** Where the model files are, e.g. `runs:/<run_id>/model`. */
  source: string;
  runId?: string;
  tags?: Record<string, string>;
  description?: string;
  runLink?: string;
}

/** Options of `searchModelVersions` and `searchRegisteredModels`. */
export interface SearchRegistryOptions {
  /** e.g. `name = 'churn'` or `run_id = '…'` or `tags.stage = 'gold'`. */
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}
