/**
 * The state and semantics of an MLflow 2.x tracking server with a SQL backend store, in memory:
 * experiments, runs (metric history, params, tags), registered models, versions, tags and aliases.
 * Every operation answers in MLflow's REST JSON (snake_case, empty lists left out, 64-bit integers
 * as numbers, versions as strings) or throws an {@link ApiError} with MLflow's code and message.
 *
 * Search filters, order-by and page tokens use the client package's shared parser and evaluator, so
 * the server and the file store agree on search semantics by construction.
 */
import {
  checkMaxResults,
  compareBy,
  InvalidParameterValue,
  matchesFilter,
  paginate,
  paramChangedMessage,
  parseFilter,
  parseOrderBy,
  validateAliasName,
  validateBatch,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateModelName,
  validateModelVersion,
  validateParamValue,
  validateTagValue,
  type Subject,
} from '@modelops/mlflow-client';
import { randomBytes, randomInt } from 'node:crypto';

/** An MLflow error answer: HTTP status plus `{error_code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (message: string) => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
const alreadyExists = (message: string) => new ApiError(400, 'RESOURCE_ALREADY_EXISTS', message);
const invalid = (message: string) => new ApiError(400, 'INVALID_PARAMETER_VALUE', message);

/** Runs shared validators and parsers, turning their refusals into HTTP 400 answers. */
function checked<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof InvalidParameterValue) throw invalid(error.message);
    throw error;
  }
}

type Json = Record<string, unknown>;
type Pair = { key: string; value: string };

interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

interface ExperimentRecord {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags: Map<string, string>;
}

interface RunRecord {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: 'active' | 'deleted';
  metrics: Map<string, MetricPoint[]>;
  params: Map<string, string>;
  tags: Map<string, string>;
}

interface VersionRecord {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  run_link: string;
  user_id: string;
  status: string;
  tags: Map<string, string>;
}

interface ModelRecord {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Map<string, string>;
  aliases: Map<string, number>;
  versions: Map<number, VersionRecord>;
}

const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

function pairs(map: Map<string, string>): Pair[] {
  return [...map].map(([key, value]) => ({ key, value }));
}

/** Drops undefined values and empty arrays, as proto JSON leaves them out. */
function compact(object: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value;
  }
  return result;
}

/** A double for JSON, with proto JSON's spellings of the non-finite values. */
function jsonDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** A double from JSON (number, numeric string, or proto JSON's NaN/Infinity strings). */
function readDouble(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  throw invalid(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
  );
}

/** A 64-bit integer from JSON (number or decimal string). */
function readInt(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw invalid(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
  );
}

/** A required string parameter. */
export function requireString(request: Json, name: string): string {
  const value = request[name];
  if (value === undefined || value === null || value === '') {
    throw invalid(
      `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
    );
  }
  if (typeof value !== 'string') {
    throw invalid(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  }
  return value;
}

function optionalString(request: Json, name: string): string | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalid(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  }
  return value;
}

function readPairs(value: unknown, name: string): Pair[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied.`);
  return value.map((entry: unknown) => {
    const item = (entry ?? {}) as { key?: unknown; value?: unknown };
    if (typeof item.key !== 'string' || item.key === '') {
      throw invalid(
        `Missing value for required parameter '${name}.key'. See the API docs for more information about request parameters.`,
      );
    }
    return {
      key: item.key,
      value: item.value === undefined || item.value === null ? '' : String(item.value),
    };
  });
}

function readMaxResults(value: unknown, fallback: number): number {
  return value === undefined || value === null || value === '' ? fallback : readInt(value, 'max_results');
}

function latest(points: readonly MetricPoint[]): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (const point of points) {
    if (
      !best ||
      point.step > best.step ||
      (point.step === best.step &&
        (point.timestamp > best.timestamp ||
          (point.timestamp === best.timestamp && point.value > best.value)))
    ) {
      best = point;
    }
  }
  return best;
}

function metricJson(point: MetricPoint): Json {
  return { key: point.key, value: jsonDouble(point.value), timestamp: point.timestamp, step: point.step };
}

const PREDICATES = ['able', 'bold', 'brave', 'calm', 'eager', 'keen', 'merry', 'swift'];
const NOUNS = ['ant', 'bee', 'cat', 'doe', 'elk', 'fox', 'owl', 'yak'];

/** What a live MLflow server knows, with the operations of its REST API. */
export class MlflowState {
  private readonly experiments = new Map<string, ExperimentRecord>();
  private readonly runs = new Map<string, RunRecord>();
  private readonly models = new Map<string, ModelRecord>();
  private nextExperimentId = 1;

  constructor() {
    this.reset();
  }

  /** Back to a fresh server: only the `Default` experiment `0`. */
  reset(): void {
    this.experiments.clear();
    this.runs.clear();
    this.models.clear();
    this.nextExperimentId = 1;
    const now = Date.now();
    this.experiments.set('0', {
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      tags: new Map(),
    });
  }

  // ---- experiments ---------------------------------------------------------------------------

  private experimentJson(record: ExperimentRecord): Json {
    return compact({
      experiment_id: record.experiment_id,
      name: record.name,
      artifact_location: record.artifact_location,
      lifecycle_stage: record.lifecycle_stage,
      last_update_time: record.last_update_time,
      creation_time: record.creation_time,
      tags: pairs(record.tags),
    });
  }

  private experiment(id: string): ExperimentRecord {
    const record = this.experiments.get(id);
    if (!record) throw notFound(`No Experiment with id=${id} exists`);
    return record;
  }

  createExperiment(request: Json): Json {
    const name = requireString(request, 'name');
    checked(() => validateExperimentName(name));
    if ([...this.experiments.values()].some((experiment) => experiment.name === name)) {
      throw alreadyExists(`Experiment(name=${name}) already exists.`);
    }
    const tags = readPairs(request.tags, 'tags');
    const id = String(this.nextExperimentId++);
    const now = Date.now();
    this.experiments.set(id, {
      experiment_id: id,
      name,
      artifact_location: optionalString(request, 'artifact_location') || `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      tags: new Map(tags.map(({ key, value }) => [key, value])),
    });
    return { experiment_id: id };
  }

  getExperiment(request: Json): Json {
    return { experiment: this.experimentJson(this.experiment(requireString(request, 'experiment_id'))) };
  }

  getExperimentByName(request: Json): Json {
    const name = requireString(request, 'experiment_name');
    const record = [...this.experiments.values()].find((experiment) => experiment.name === name);
    if (!record) throw notFound(`Could not find experiment with name '${name}'`);
    return { experiment: this.experimentJson(record) };
  }

  searchExperiments(request: Json): Json {
    const maxResults = readMaxResults(request.max_results, 1000);
    return checked(() => {
      checkMaxResults(maxResults, 50_000);
      const clauses = parseFilter(optionalString(request, 'filter'), 'experiment');
      const order = compareBy(parseOrderBy(asList(request.order_by), 'experiment'));
      const view = String(request.view_type ?? 'ACTIVE_ONLY');
      const subjects = [...this.experiments.values()]
        .filter(
          (record) => view === 'ALL' || (view === 'DELETED_ONLY') === (record.lifecycle_stage === 'deleted'),
        )
        .map((record) => ({ record, subject: experimentSubject(record) }))
        .filter(({ subject }) => matchesFilter(clauses, subject))
        .sort((a, b) => order(a.subject, b.subject));
      const page = paginate(subjects, optionalString(request, 'page_token'), maxResults);
      return compact({
        experiments: page.items.map(({ record }) => this.experimentJson(record)),
        next_page_token: page.nextPageToken,
      });
    });
  }

  // ---- runs ------------------------------------------------------------------------------------

  private run(request: Json): RunRecord {
    const runId = (request.run_id ?? request.run_uuid) as unknown;
    if (runId === undefined || runId === null || runId === '') {
      throw invalid(
        `Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.`,
      );
    }
    const record = this.runs.get(String(runId));
    if (!record) throw notFound(`Run with id=${String(runId)} not found`);
    return record;
  }

  private activeRun(request: Json): RunRecord {
    const record = this.run(request);
    if (record.lifecycle_stage !== 'active') {
      throw invalid(
        `The run ${record.run_id} must be in the 'active' state. Current state is ${record.lifecycle_stage}.`,
      );
    }
    return record;
  }

  private runInfoJson(record: RunRecord): Json {
    return compact({
      run_uuid: record.run_id,
      run_id: record.run_id,
      run_name: record.run_name,
      experiment_id: record.experiment_id,
      user_id: record.user_id,
      status: record.status,
      start_time: record.start_time,
      end_time: record.end_time,
      artifact_uri: record.artifact_uri,
      lifecycle_stage: record.lifecycle_stage,
    });
  }

  private runJson(record: RunRecord): Json {
    const metrics = [...record.metrics.values()]
      .map((points) => latest(points))
      .filter((point): point is MetricPoint => point !== undefined)
      .map(metricJson);
    return {
      info: this.runInfoJson(record),
      data: compact({ metrics, params: pairs(record.params), tags: pairs(record.tags) }),
      inputs: {},
    };
  }

  createRun(request: Json): Json {
    const experimentId = optionalString(request, 'experiment_id') || '0';
    const experiment = this.experiment(experimentId);
    if (experiment.lifecycle_stage !== 'active') {
      throw new ApiError(
        400,
        'INVALID_STATE',
        `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
      );
    }
    const tags = readPairs(request.tags, 'tags');
    for (const { key, value } of tags) {
      checked(() => {
        validateKey('tag', key);
        validateTagValue(value);
      });
    }
    const tagName = tags.find(({ key }) => key === 'mlflow.runName')?.value;
    const runName = optionalString(request, 'run_name');
    if (runName && tagName && runName !== tagName) {
      throw invalid(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${tagName}').`,
      );
    }
    const name =
      runName ||
      tagName ||
      `${PREDICATES[randomInt(PREDICATES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
    const runId = randomBytes(16).toString('hex');
    const record: RunRecord = {
      run_id: runId,
      run_name: name,
      experiment_id: experimentId,
      user_id: optionalString(request, 'user_id') ?? '',
      status: 'RUNNING',
      start_time: request.start_time === undefined ? Date.now() : readInt(request.start_time, 'start_time'),
      artifact_uri: `${experiment.artifact_location}/${runId}/artifacts`,
      lifecycle_stage: 'active',
      metrics: new Map(),
      params: new Map(),
      tags: new Map(tags.map(({ key, value }) => [key, value])),
    };
    record.tags.set('mlflow.runName', name);
    this.runs.set(runId, record);
    return { run: this.runJson(record) };
  }

  getRun(request: Json): Json {
    return { run: this.runJson(this.run(request)) };
  }

  updateRun(request: Json): Json {
    const record = this.activeRun(request);
    const status = optionalString(request, 'status');
    if (status !== undefined) {
      if (!RUN_STATUSES.includes(status)) {
        throw invalid(
          `Invalid value "${status}" for parameter 'status' supplied. Valid values are ${RUN_STATUSES.join(', ')}.`,
        );
      }
      record.status = status;
    }
    if (request.end_time !== undefined && request.end_time !== null)
      record.end_time = readInt(request.end_time, 'end_time');
    const runName = optionalString(request, 'run_name');
    if (runName) {
      record.run_name = runName;
      record.tags.set('mlflow.runName', runName);
    }
    return { run_info: this.runInfoJson(record) };
  }

  private readMetric(entry: unknown, name: string): MetricPoint {
    const metric = (entry ?? {}) as Json;
    const key = metric.key;
    if (typeof key !== 'string' || key === '') {
      throw invalid(
        `Missing value for required parameter '${name === 'metrics' ? 'metrics.key' : 'key'}'. See the API docs for more information about request parameters.`,
      );
    }
    if (metric.value === undefined || metric.value === null) {
      throw invalid(
        `Missing value for required parameter 'value'. See the API docs for more information about request parameters.`,
      );
    }
    if (metric.timestamp === undefined || metric.timestamp === null) {
      throw invalid(
        `Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.`,
      );
    }
    const point = {
      key,
      value: readDouble(metric.value, 'value'),
      timestamp: readInt(metric.timestamp, 'timestamp'),
      step: metric.step === undefined || metric.step === null ? 0 : readInt(metric.step, 'step'),
    };
    checked(() => validateMetric(point.key, point.value, point.timestamp, point.step));
    return point;
  }

  private appendMetric(record: RunRecord, point: MetricPoint): void {
    const history = record.metrics.get(point.key) ?? [];
    history.push(point);
    record.metrics.set(point.key, history);
  }

  logMetric(request: Json): Json {
    const point = this.readMetric(request, 'metric');
    this.appendMetric(this.activeRun(request), point);
    return {};
  }

  private checkParam(record: RunRecord, { key, value }: Pair): void {
    checked(() => {
      validateKey('param', key);
      validateParamValue(value);
    });
    const current = record.params.get(key);
    if (current !== undefined && current !== value)
      throw invalid(paramChangedMessage(key, current, value, record.run_id));
  }

  logParam(request: Json): Json {
    const record = this.activeRun(request);
    const param = { key: requireString(request, 'key'), value: optionalString(request, 'value') ?? '' };
    this.checkParam(record, param);
    record.params.set(param.key, param.value);
    return {};
  }

  private setRunTag(record: RunRecord, { key, value }: Pair): void {
    record.tags.set(key, value);
    if (key === 'mlflow.runName') record.run_name = value;
  }

  setTag(request: Json): Json {
    const record = this.activeRun(request);
    const tag = { key: requireString(request, 'key'), value: optionalString(request, 'value') ?? '' };
    checked(() => {
      validateKey('tag', tag.key);
      validateTagValue(tag.value);
    });
    this.setRunTag(record, tag);
    return {};
  }

  logBatch(request: Json): Json {
    const record = this.activeRun(request);
    const rawMetrics = request.metrics ?? [];
    if (!Array.isArray(rawMetrics))
      throw invalid(`Invalid value ${JSON.stringify(rawMetrics)} for parameter 'metrics' supplied.`);
    const params = readPairs(request.params, 'params');
    const tags = readPairs(request.tags, 'tags');
    checked(() => validateBatch(rawMetrics, params, tags));
    const metrics = rawMetrics.map((entry: unknown) => this.readMetric(entry, 'metrics'));
    for (const param of params) this.checkParam(record, param);
    for (const { key, value } of tags) {
      checked(() => {
        validateKey('tag', key);
        validateTagValue(value);
      });
    }
    for (const param of params) record.params.set(param.key, param.value);
    for (const metric of metrics) this.appendMetric(record, metric);
    for (const tag of tags) this.setRunTag(record, tag);
    return {};
  }

  getMetricHistory(request: Json): Json {
    const record = this.run(request);
    const key = requireString(request, 'metric_key');
    const maxResults = readMaxResults(request.max_results, 25_000);
    return checked(() => {
      checkMaxResults(maxResults, 25_000);
      const page = paginate(record.metrics.get(key) ?? [], optionalString(request, 'page_token'), maxResults);
      return compact({ metrics: page.items.map(metricJson), next_page_token: page.nextPageToken });
    });
  }

  searchRuns(request: Json): Json {
    const maxResults = readMaxResults(request.max_results, 1000);
    const experimentIds = asList(request.experiment_ids);
    const view = String(request.run_view_type ?? 'ACTIVE_ONLY');
    return checked(() => {
      checkMaxResults(maxResults, 50_000);
      const clauses = parseFilter(optionalString(request, 'filter'), 'run');
      const order = compareBy(parseOrderBy(asList(request.order_by), 'run'));
      const matched = [...this.runs.values()]
        .filter((record) => experimentIds.includes(record.experiment_id))
        .filter(
          (record) => view === 'ALL' || (view === 'DELETED_ONLY') === (record.lifecycle_stage === 'deleted'),
        )
        .map((record) => ({ record, subject: runSubject(record) }))
        .filter(({ subject }) => matchesFilter(clauses, subject))
        .sort((a, b) => order(a.subject, b.subject));
      const page = paginate(matched, optionalString(request, 'page_token'), maxResults);
      return compact({
        runs: page.items.map(({ record }) => this.runJson(record)),
        next_page_token: page.nextPageToken,
      });
    });
  }

  // ---- model registry ----------------------------------------------------------------------------

  private model(name: string): ModelRecord {
    const record = this.models.get(name);
    if (!record) throw notFound(`Registered Model with name=${name} not found`);
    return record;
  }

  private version(model: ModelRecord, versionText: unknown): VersionRecord {
    const number = Number(checked(() => validateModelVersion(versionText)));
    const record = model.versions.get(number);
    if (!record) throw notFound(`Model Version (name=${model.name}, version=${number}) not found`);
    return record;
  }

  private versionJson(model: ModelRecord, record: VersionRecord): Json {
    return compact({
      name: record.name,
      version: String(record.version),
      creation_timestamp: record.creation_timestamp,
      last_updated_timestamp: record.last_updated_timestamp,
      user_id: record.user_id || undefined,
      current_stage: record.current_stage,
      description: record.description,
      source: record.source,
      run_id: record.run_id,
      run_link: record.run_link,
      status: record.status,
      tags: pairs(record.tags),
      aliases: [...model.aliases].filter(([, version]) => version === record.version).map(([alias]) => alias),
    });
  }

  private modelJson(record: ModelRecord): Json {
    const latestPerStage = new Map<string, VersionRecord>();
    for (const version of record.versions.values()) {
      const current = latestPerStage.get(version.current_stage);
      if (!current || version.version > current.version) latestPerStage.set(version.current_stage, version);
    }
    return compact({
      name: record.name,
      creation_timestamp: record.creation_timestamp,
      last_updated_timestamp: record.last_updated_timestamp,
      description: record.description || undefined,
      latest_versions: [...latestPerStage.values()]
        .sort((a, b) => a.version - b.version)
        .map((version) => this.versionJson(record, version)),
      tags: pairs(record.tags),
      aliases: [...record.aliases].map(([alias, version]) => ({ alias, version: String(version) })),
    });
  }

  createRegisteredModel(request: Json): Json {
    const name = requireString(request, 'name');
    checked(() => validateModelName(name));
    if (this.models.has(name)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
    const tags = readPairs(request.tags, 'tags');
    for (const { key, value } of tags) {
      checked(() => {
        validateKey('tag', key);
        validateTagValue(value);
      });
    }
    const now = Date.now();
    const record: ModelRecord = {
      name,
      creation_timestamp: now,
      last_updated_timestamp: now,
      description: optionalString(request, 'description') ?? '',
      tags: new Map(tags.map(({ key, value }) => [key, value])),
      aliases: new Map(),
      versions: new Map(),
    };
    this.models.set(name, record);
    return { registered_model: this.modelJson(record) };
  }

  getRegisteredModel(request: Json): Json {
    return { registered_model: this.modelJson(this.model(requireString(request, 'name'))) };
  }

  searchRegisteredModels(request: Json): Json {
    const maxResults = readMaxResults(request.max_results, 100);
    return checked(() => {
      checkMaxResults(maxResults, 1000);
      const clauses = parseFilter(optionalString(request, 'filter'), 'registered-model');
      const order = compareBy(parseOrderBy(asList(request.order_by), 'registered-model'));
      const matched = [...this.models.values()]
        .map((record) => ({ record, subject: modelSubject(record) }))
        .filter(({ subject }) => matchesFilter(clauses, subject))
        .sort((a, b) => order(a.subject, b.subject));
      const page = paginate(matched, optionalString(request, 'page_token'), maxResults);
      return compact({
        registered_models: page.items.map(({ record }) => this.modelJson(record)),
        next_page_token: page.nextPageToken,
      });
    });
  }

  createModelVersion(request: Json): Json {
    const name = requireString(request, 'name');
    const source = requireString(request, 'source');
    const runId = optionalString(request, 'run_id') ?? '';
    this.validateSource(source, runId);
    const model = this.model(name);
    const tags = readPairs(request.tags, 'tags');
    for (const { key, value } of tags) {
      checked(() => {
        validateKey('tag', key);
        validateTagValue(value);
      });
    }
    const number = Math.max(0, ...model.versions.keys()) + 1;
    const now = Date.now();
    const record: VersionRecord = {
      name,
      version: number,
      creation_timestamp: now,
      last_updated_timestamp: now,
      current_stage: 'None',
      description: optionalString(request, 'description') ?? '',
      source,
      run_id: runId,
      run_link: optionalString(request, 'run_link') ?? '',
      user_id: '',
      status: 'READY',
      tags: new Map(tags.map(({ key, value }) => [key, value])),
    };
    model.versions.set(number, record);
    model.last_updated_timestamp = now;
    return { model_version: this.versionJson(model, record) };
  }

  /** MLflow ≥ 2.9 only accepts a local source that lies inside the artifact folder of its run. */
  private validateSource(source: string, runId: string): void {
    const scheme = /^([a-zA-Z][\w+.-]*):/.exec(source)?.[1];
    const local = scheme === undefined || scheme.toLowerCase() === 'file';
    if (!local) return;
    const run = runId ? this.runs.get(runId) : undefined;
    const artifactRoot = run?.artifact_uri.replace(/^file:\/\//, '');
    const path = source.replace(/^file:\/\//, '');
    if (run && artifactRoot && (path === artifactRoot || path.startsWith(`${artifactRoot}/`))) return;
    throw invalid(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }

  getModelVersion(request: Json): Json {
    const model = this.model(requireString(request, 'name'));
    return { model_version: this.versionJson(model, this.version(model, request.version)) };
  }

  searchModelVersions(request: Json): Json {
    const maxResults = readMaxResults(request.max_results, 200_000);
    return checked(() => {
      checkMaxResults(maxResults, 200_000);
      const clauses = parseFilter(optionalString(request, 'filter'), 'model-version');
      const order = compareBy(parseOrderBy(asList(request.order_by), 'model-version'));
      const matched = [...this.models.values()]
        .flatMap((model) => [...model.versions.values()].map((record) => ({ model, record })))
        .map((entry) => ({ ...entry, subject: versionSubject(entry.record) }))
        .filter(({ subject }) => matchesFilter(clauses, subject))
        .sort((a, b) => order(a.subject, b.subject));
      const page = paginate(matched, optionalString(request, 'page_token'), maxResults);
      return compact({
        model_versions: page.items.map(({ model, record }) => this.versionJson(model, record)),
        next_page_token: page.nextPageToken,
      });
    });
  }

  setRegisteredModelTag(request: Json): Json {
    const model = this.model(requireString(request, 'name'));
    const key = requireString(request, 'key');
    const value = optionalString(request, 'value') ?? '';
    checked(() => {
      validateKey('tag', key);
      validateTagValue(value);
    });
    model.tags.set(key, value);
    model.last_updated_timestamp = Date.now();
    return {};
  }

  setModelVersionTag(request: Json): Json {
    const model = this.model(requireString(request, 'name'));
    const record = this.version(model, request.version);
    const key = requireString(request, 'key');
    const value = optionalString(request, 'value') ?? '';
    checked(() => {
      validateKey('tag', key);
      validateTagValue(value);
    });
    record.tags.set(key, value);
    return {};
  }

  setAlias(request: Json): Json {
    const name = requireString(request, 'name');
    const alias = requireString(request, 'alias');
    checked(() => validateAliasName(alias));
    const model = this.model(name);
    const record = this.version(model, requireString(request, 'version'));
    model.aliases.set(alias, record.version);
    model.last_updated_timestamp = Date.now();
    return {};
  }

  deleteAlias(request: Json): Json {
    const name = requireString(request, 'name');
    const alias = requireString(request, 'alias');
    checked(() => validateAliasName(alias));
    const model = this.model(name);
    if (model.aliases.delete(alias)) model.last_updated_timestamp = Date.now();
    return {};
  }

  getAlias(request: Json): Json {
    const name = requireString(request, 'name');
    const alias = requireString(request, 'alias');
    checked(() => validateAliasName(alias));
    const model = this.model(name);
    const version = model.aliases.get(alias);
    // MLflow 2.x answers a missing alias with 400 INVALID_PARAMETER_VALUE, not 404.
    if (version === undefined) throw invalid(`Registered model alias ${alias} not found.`);
    return { model_version: this.versionJson(model, this.version(model, version)) };
  }
}

/** A request field that may be one value or a list (query strings repeat keys for lists). */
function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function experimentSubject(record: ExperimentRecord): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return record.tags.get(key);
      const attributes: Record<string, string | number> = {
        name: record.name,
        experiment_id: record.experiment_id,
        creation_time: record.creation_time,
        last_update_time: record.last_update_time,
      };
      return attributes[key];
    },
  };
}

function runSubject(record: RunRecord): Subject {
  return {
    get(type, key) {
      switch (type) {
        case 'metric':
          return latest(record.metrics.get(key) ?? [])?.value;
        case 'param':
          return record.params.get(key);
        case 'tag':
          return record.tags.get(key);
        case 'attribute': {
          const attributes: Record<string, string | number | undefined> = {
            run_id: record.run_id,
            run_name: record.run_name,
            user_id: record.user_id,
            status: record.status,
            start_time: record.start_time,
            end_time: record.end_time,
            artifact_uri: record.artifact_uri,
            lifecycle_stage: record.lifecycle_stage,
            experiment_id: record.experiment_id,
          };
          return attributes[key];
        }
      }
    },
  };
}

function modelSubject(record: ModelRecord): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return record.tags.get(key);
      const attributes: Record<string, string | number> = {
        name: record.name,
        creation_timestamp: record.creation_timestamp,
        last_updated_timestamp: record.last_updated_timestamp,
      };
      return attributes[key];
    },
  };
}

function versionSubject(record: VersionRecord): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return record.tags.get(key);
      const attributes: Record<string, string | number | undefined> = {
        name: record.name,
        version_number: record.version,
        run_id: record.run_id || undefined,
        source_path: record.source,
        creation_timestamp: record.creation_timestamp,
        last_updated_timestamp: record.last_updated_timestamp,
      };
      return attributes[key];
    },
  };
}
