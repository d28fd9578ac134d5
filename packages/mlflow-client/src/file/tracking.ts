/**
 * The tracking half of MLflow's file store (mlflow/store/tracking/file_store.py), in MLflow's layout:
 *
 * ```
 * <root>/<experiment id>/meta.yaml            experiment: name, artifact_location, lifecycle, times
 * <root>/<experiment id>/tags/<key>
 * <root>/<experiment id>/<run id>/meta.yaml   run info; status as MLflow's enum number (1..5)
 * <root>/<experiment id>/<run id>/metrics/<key>   lines "<timestamp> <value> <step>"
 * <root>/<experiment id>/<run id>/params/<key>    the value
 * <root>/<experiment id>/<run id>/tags/<key>      the value
 * <root>/<experiment id>/<run id>/artifacts/
 * <root>/.trash/<experiment id>/…             deleted experiments
 * ```
 *
 * Searches read only what the filter and ordering need (each run's `meta.yaml` plus the named metric,
 * param and tag files), then load the full runs of the requested page, so they stay quick with
 * thousands of runs.
 */
import { userInfo } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidParameterValue } from '../invalid.ts';
import { generateExperimentId, generateRunId, generateRunName } from '../names.ts';
import { matchesFilter, parseFilter, type ClauseType, type Subject, keysRead } from '../search/filter.ts';
import { compareBy, parseOrderBy } from '../search/order.ts';
import { checkMaxResults, paginate, SEARCH_LIMITS } from '../search/paging.ts';
import { nearestNames } from '../errors.ts';
import { RUN_STATUSES } from '../types.ts';
import type {
  CreateExperimentOptions,
  CreateRunOptions,
  Experiment,
  KeyValue,
  Metric,
  MetricInput,
  MetricHistoryOptions,
  Page,
  Run,
  RunInfo,
  RunStatus,
  SearchRegistryOptions,
  SearchRunsOptions,
  UpdateRunOptions,
  ViewType,
} from '../types.ts';
import {
  validateBatch,
  validateExperimentId,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateParamValue,
  validateRunId,
  validateTagValue,
  paramChangedMessage,
} from '../validation.ts';
import {
  appendLines,
  dumpYaml,
  formatMetricLine,
  parseMetricLine,
  pathToFileUri,
  writeFileAtomic,
  yamlInt,
  yamlString,
} from './format.ts';
import {
  exists,
  isDirectory,
  listSubdirectories,
  mapLimit,
  readKeyFiles,
  readMeta,
  readMetaSync,
  readText,
  readTextSync,
  StoreError,
  walkFiles,
  yieldToEventLoop,
} from './store-fs.ts';

/** The tag MLflow keeps the run name in, besides `meta.yaml`. */
const RUN_NAME_TAG = 'mlflow.runName';
/** Directories inside an experiment that are not runs. */
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces']);
/** Directories at the root that are not experiments. */
const TRASH = '.trash';
const MODELS = 'models';
/** Parallel file reads during searches. */
const READ_CONCURRENCY = 32;
/** Runs scanned between two yields to the event loop. */
const SCAN_BATCH = 256;
/** MLflow's `SourceType.LOCAL`, which the file store records on every run. */
const SOURCE_TYPE_LOCAL = 4;

/** Where a run lives. */
interface RunLocation {
  experimentId: string;
  directory: string;
}

/** A run's `meta.yaml` read into a {@link RunInfo}. */
interface StoredRun {
  info: RunInfo;
  directory: string;
}

/** Options of {@link FileTrackingStore}. */
export interface FileTrackingStoreOptions {
  /** Absolute path of the store root (the `mlruns` directory). */
  root: string;
  /** User recorded on created runs (default: the OS user). */
  userId?: string;
}

function defaultUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** MLflow's run status enum number ↔ name. */
export function runStatusFromNumber(value: unknown): RunStatus {
  const number = yamlInt(value);
  if (number !== undefined && number >= 1 && number <= RUN_STATUSES.length)
    return RUN_STATUSES[number - 1] ?? 'RUNNING';
  const text = yamlString(value);
  if (text && (RUN_STATUSES as readonly string[]).includes(text)) return text as RunStatus;
  return 'RUNNING';
}

/** The enum number MLflow persists for a status. */
export function runStatusToNumber(status: RunStatus): number {
  return RUN_STATUSES.indexOf(status) + 1;
}

/** The latest point of a metric as MLflow chooses it: highest (step, timestamp, value). */
export function latestMetric(points: readonly Metric[]): Metric | undefined {
  let best: Metric | undefined;
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

/** The tracking store over an `mlruns/` directory. */
export class FileTrackingStore {
  readonly root: string;
  private readonly userId: string;
  private readonly runLocations = new Map<string, RunLocation>();

  constructor(options: FileTrackingStoreOptions) {
    this.root = options.root;
    this.userId = options.userId ?? defaultUser();
  }

  /** Creates the store the way MLflow does on first use: root, `Default` experiment `0`, `.trash`. */
  async ensureStore(): Promise<void> {
    if (!(await exists(this.root))) {
      await mkdir(this.root, { recursive: true });
      await this.writeExperiment('0', 'Default', undefined, undefined);
    }
    await mkdir(join(this.root, TRASH), { recursive: true });
    await mkdir(join(this.root, MODELS), { recursive: true });
  }

  private async activeExperimentIds(): Promise<string[]> {
    return (await listSubdirectories(this.root)).filter((name) => !name.endsWith(TRASH) && name !== MODELS);
  }

  private async deletedExperimentIds(): Promise<string[]> {
    return listSubdirectories(join(this.root, TRASH));
  }

  /** The directory of an experiment (active first, then trash), or undefined. */
  private async experimentDirectory(experimentId: string): Promise<string | undefined> {
    for (const parent of [this.root, join(this.root, TRASH)]) {
      const directory = join(parent, experimentId);
      if (await isDirectory(directory)) return directory;
    }
    return undefined;
  }

  private async readExperiment(directory: string, experimentId: string): Promise<Experiment | undefined> {
    const meta = await readMeta(directory);
    if (!meta) return undefined;
    const id = yamlString(meta.experiment_id);
    if (id !== experimentId) return undefined;
    const experiment: Experiment = {
      experimentId: id,
      name: yamlString(meta.name) ?? '',
      artifactLocation: yamlString(meta.artifact_location) ?? '',
      lifecycleStage: yamlString(meta.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
      tags: await readKeyFiles(join(directory, 'tags')),
    };
    const creationTime = yamlInt(meta.creation_time);
    const lastUpdateTime = yamlInt(meta.last_update_time);
    if (creationTime !== undefined) experiment.creationTime = creationTime;
    if (lastUpdateTime !== undefined) experiment.lastUpdateTime = lastUpdateTime;
    return experiment;
  }

  private async experimentNotFound(experimentId: string): Promise<StoreError> {
    const experiments = await this.listExperiments('ALL');
    const described = experiments
      .slice(0, 10)
      .map((experiment) => `${experiment.experimentId} (${experiment.name})`);
    return new StoreError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with ID ${experimentId}`, {
      suggestions: nearestNames(
        experimentId,
        experiments.map((experiment) => experiment.experimentId),
      ),
      fix: described.length
        ? `Experiments in ${this.root}: ${described.join(', ')}${experiments.length > 10 ? ', …' : ''}.`
        : `The store at ${this.root} has no experiments; create one first.`,
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    const directory = await this.experimentDirectory(experimentId);
    const experiment = directory ? await this.readExperiment(directory, experimentId) : undefined;
    if (!experiment) throw await this.experimentNotFound(experimentId);
    return experiment;
  }

  private async listExperiments(viewType: ViewType): Promise<Experiment[]> {
    const entries: { id: string; directory: string }[] = [];
    if (viewType !== 'DELETED_ONLY') {
      for (const id of await this.activeExperimentIds()) entries.push({ id, directory: join(this.root, id) });
    }
    if (viewType !== 'ACTIVE_ONLY') {
      for (const id of await this.deletedExperimentIds())
        entries.push({ id, directory: join(this.root, TRASH, id) });
    }
    const experiments = await mapLimit(entries, READ_CONCURRENCY, async ({ id, directory }) => {
      try {
        return await this.readExperiment(directory, id);
      } catch (error) {
        // MLflow skips malformed experiments in listings rather than failing them all.
        if (error instanceof StoreError) return undefined;
        throw error;
      }
    });
    return experiments.filter((experiment): experiment is Experiment => experiment !== undefined);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    if (!(await exists(this.root))) return undefined;
    const experiments = await this.listExperiments('ACTIVE_ONLY');
    return experiments.find(
      (experiment) => experiment.name === name && experiment.lifecycleStage === 'active',
    );
  }

  async searchExperiments(
    options: SearchRegistryOptions & { viewType?: ViewType },
  ): Promise<Page<Experiment>> {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.experiments.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.experiments.max);
    const clauses = parseFilter(options.filter, 'experiment');
    const order = compareBy(parseOrderBy(options.orderBy, 'experiment'));
    const experiments = (await exists(this.root))
      ? await this.listExperiments(options.viewType ?? 'ACTIVE_ONLY')
      : [];
    const subjects = experiments.map((experiment) => ({
      experiment,
      subject: experimentSubject(experiment),
    }));
    const matched = subjects.filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    return withToken(
      items.map(({ experiment }) => experiment),
      nextPageToken,
    );
  }

  private async writeExperiment(
    experimentId: string,
    name: string,
    artifactLocation: string | undefined,
    tags: Record<string, string> | undefined,
  ): Promise<void> {
    const directory = join(this.root, experimentId);
    await mkdir(directory);
    const now = Date.now();
    await writeFileAtomic(
      join(directory, 'meta.yaml'),
      dumpYaml({
        artifact_location: artifactLocation ?? `${pathToFileUri(this.root)}/${experimentId}`,
        creation_time: now,
        experiment_id: experimentId,
        last_update_time: now,
        lifecycle_stage: 'active',
        name,
      }),
    );
    for (const [key, value] of Object.entries(tags ?? {})) {
      validateKey('tag', key);
      await this.writeKeyFile(directory, 'tags', key, value);
    }
  }

  async createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    validateExperimentName(name);
    for (const key of Object.keys(options.tags ?? {})) validateKey('tag', key);
    await this.ensureStore();
    const existing = (await this.listExperiments('ALL')).find((experiment) => experiment.name === name);
    if (existing) {
      throw new StoreError(
        'RESOURCE_ALREADY_EXISTS',
        existing.lifecycleStage === 'deleted'
          ? `Experiment '${name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.`
          : `Experiment '${name}' already exists.`,
      );
    }
    let artifactLocation = options.artifactLocation;
    if (artifactLocation && !/^[a-zA-Z][\w+.-]*:/.test(artifactLocation))
      artifactLocation = pathToFileUri(artifactLocation);
    for (let attempt = 0; ; attempt++) {
      const id = generateExperimentId();
      try {
        await this.writeExperiment(id, name, artifactLocation, options.tags);
        return id;
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST' || attempt >= 3) throw error;
      }
    }
  }

  /** Finds a run's directory across active and deleted experiments. */
  private async locateRun(runId: string): Promise<RunLocation | undefined> {
    const cached = this.runLocations.get(runId);
    if (cached && (await exists(join(cached.directory, 'meta.yaml')))) return cached;
    this.runLocations.delete(runId);
    const candidates = [
      ...(await this.activeExperimentIds()).map((id) => ({ id, parent: this.root })),
      ...(await this.deletedExperimentIds()).map((id) => ({ id, parent: join(this.root, TRASH) })),
    ];
    for (const { id, parent } of candidates) {
      const directory = join(parent, id, runId);
      if (await isDirectory(directory)) {
        const location = { experimentId: id, directory };
        this.runLocations.set(runId, location);
        return location;
      }
    }
    return undefined;
  }

  private async runNotFound(runId: string): Promise<StoreError> {
    const known: string[] = [];
    for (const id of await this.activeExperimentIds()) {
      for (const run of await listSubdirectories(join(this.root, id))) {
        if (!RESERVED_EXPERIMENT_FOLDERS.has(run)) known.push(run);
      }
      if (known.length > 20_000) break;
    }
    const suggestions = nearestNames(runId, known);
    return new StoreError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' not found`, {
      suggestions,
      fix: suggestions.length
        ? `Did you mean ${suggestions.map((id) => `'${id}'`).join(' or ')}?`
        : `No run with this id is in ${this.root}; check the run id and the tracking URI.`,
    });
  }

  private async readRunInfo(directory: string, experimentId: string): Promise<RunInfo | undefined> {
    return runInfoFromMeta(await readMeta(directory), directory, experimentId);
  }

  private async storedRun(runId: string): Promise<StoredRun> {
    validateRunId(runId);
    const location = await this.locateRun(runId);
    if (!location) throw await this.runNotFound(runId);
    const info = await this.readRunInfo(location.directory, location.experimentId);
    if (!info) throw await this.runNotFound(runId);
    return { info, directory: location.directory };
  }

  private async activeRun(runId: string): Promise<StoredRun> {
    const run = await this.storedRun(runId);
    if (run.info.lifecycleStage !== 'active') {
      throw new InvalidParameterValue(
        `The run ${runId} must be in the 'active' state. Current state is ${run.info.lifecycleStage}.`,
      );
    }
    return run;
  }

  /** Reads one metric file into its points, in file order. */
  private async readMetricPoints(directory: string, key: string): Promise<Metric[] | undefined> {
    const file = join(directory, 'metrics', ...key.split('/'));
    return parseMetricFile(await readText(file), key, file);
  }

  private async readRun(stored: StoredRun): Promise<Run> {
    const { directory, info } = stored;
    const metricKeys = await walkFiles(join(directory, 'metrics'));
    const metrics: Record<string, Metric> = {};
    await mapLimit(metricKeys, READ_CONCURRENCY, async (key) => {
      const latest = latestMetric((await this.readMetricPoints(directory, key)) ?? []);
      if (latest) metrics[key] = latest;
    });
    const [params, tags] = await Promise.all([
      readKeyFiles(join(directory, 'params')),
      readKeyFiles(join(directory, 'tags')),
    ]);
    const runName = info.runName || tags[RUN_NAME_TAG] || '';
    return { info: { ...info, runName }, data: { metrics: sortRecord(metrics), params, tags } };
  }

  async getRun(runId: string): Promise<Run> {
    return this.readRun(await this.storedRun(runId));
  }

  private runMeta(info: RunInfo): Record<string, unknown> {
    return {
      artifact_uri: info.artifactUri,
      end_time: info.endTime ?? null,
      entry_point_name: '',
      experiment_id: info.experimentId,
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.runName,
      run_uuid: info.runId,
      source_name: '',
      source_type: SOURCE_TYPE_LOCAL,
      source_version: '',
      start_time: info.startTime,
      status: runStatusToNumber(info.status),
      tags: [],
      user_id: info.userId,
    };
  }

  private async writeKeyFile(
    entityDirectory: string,
    folder: string,
    key: string,
    value: string,
  ): Promise<void> {
    const file = join(entityDirectory, folder, ...key.split('/'));
    await mkdir(join(file, '..'), { recursive: true });
    await writeFileAtomic(file, value, entityDirectory);
  }

  async createRun(options: CreateRunOptions): Promise<Run> {
    const experimentId = options.experimentId || '0';
    // MLflow creates the store (with experiment 0) when it is opened, so a first run can go to 0.
    if (experimentId === '0') await this.ensureStore();
    const experiment = await this.getExperiment(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw new StoreError(
        'INVALID_STATE',
        `Could not create run under non-active experiment with ID ${experimentId}.`,
        { fix: 'Restore the experiment from the .trash folder or use another experiment.' },
      );
    }
    const tags = { ...(options.tags ?? {}) };
    for (const [key, value] of Object.entries(tags)) {
      validateKey('tag', key);
      validateTagValue(value);
    }
    const tagName = tags[RUN_NAME_TAG];
    if (options.runName && tagName && options.runName !== tagName) {
      throw new InvalidParameterValue(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const runName = options.runName || tagName || generateRunName();
    tags[RUN_NAME_TAG] = runName;
    const runId = generateRunId();
    const directory = join(this.root, experimentId, runId);
    const info: RunInfo = {
      runId,
      runName,
      experimentId,
      userId: options.userId ?? this.userId,
      status: 'RUNNING',
      startTime: options.startTime ?? Date.now(),
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
      lifecycleStage: 'active',
    };
    await mkdir(directory);
    await writeFileAtomic(
      join(directory, 'meta.yaml'),
      dumpYaml({ ...this.runMeta(info), deleted_time: null }),
    );
    for (const folder of ['metrics', 'params', 'artifacts'])
      await mkdir(join(directory, folder), { recursive: true });
    for (const [key, value] of Object.entries(tags)) await this.writeKeyFile(directory, 'tags', key, value);
    this.runLocations.set(runId, { experimentId, directory });
    return this.readRun({ info, directory });
  }

  async updateRun(runId: string, options: UpdateRunOptions): Promise<RunInfo> {
    const run = await this.activeRun(runId);
    if (options.status !== undefined && !RUN_STATUSES.includes(options.status)) {
      throw new InvalidParameterValue(
        `Invalid run status '${String(options.status)}'. Use one of ${RUN_STATUSES.join(', ')}.`,
      );
    }
    const tags = await readKeyFiles(join(run.directory, 'tags'));
    const info: RunInfo = {
      ...run.info,
      runName: run.info.runName || tags[RUN_NAME_TAG] || '',
      ...(options.status ? { status: options.status } : {}),
      ...(options.endTime === undefined ? {} : { endTime: options.endTime }),
    };
    if (options.runName) {
      info.runName = options.runName;
      await this.writeKeyFile(run.directory, 'tags', RUN_NAME_TAG, options.runName);
    }
    await writeFileAtomic(join(run.directory, 'meta.yaml'), dumpYaml(this.runMeta(info)));
    return info;
  }

  async logMetrics(runId: string, metrics: readonly MetricInput[]): Promise<void> {
    const run = await this.activeRun(runId);
    await this.appendMetrics(run, metrics);
  }

  private async appendMetrics(run: StoredRun, metrics: readonly MetricInput[]): Promise<void> {
    const now = Date.now();
    const byKey = new Map<string, string>();
    for (const metric of metrics) {
      const timestamp = metric.timestamp ?? now;
      const step = metric.step ?? 0;
      validateMetric(metric.key, metric.value, timestamp, step);
      byKey.set(metric.key, (byKey.get(metric.key) ?? '') + formatMetricLine(timestamp, metric.value, step));
    }
    for (const [key, lines] of byKey) {
      const file = join(run.directory, 'metrics', ...key.split('/'));
      await mkdir(join(file, '..'), { recursive: true });
      await appendLines(file, lines);
    }
  }

  private async checkParams(run: StoredRun, params: readonly KeyValue[]): Promise<KeyValue[]> {
    const toWrite: KeyValue[] = [];
    for (const { key, value } of params) {
      validateKey('param', key);
      validateParamValue(value);
      const current = await readText(join(run.directory, 'params', ...key.split('/')));
      if (current !== undefined && current !== value) {
        throw new InvalidParameterValue(paramChangedMessage(key, current, value, run.info.runId));
      }
      if (current === undefined) toWrite.push({ key, value });
    }
    return toWrite;
  }

  async logParams(runId: string, params: readonly KeyValue[]): Promise<void> {
    const run = await this.activeRun(runId);
    for (const { key, value } of await this.checkParams(run, params)) {
      await this.writeKeyFile(run.directory, 'params', key, value);
    }
  }

  async setTags(runId: string, tags: readonly KeyValue[]): Promise<void> {
    const run = await this.activeRun(runId);
    await this.writeTags(run, tags);
  }

  private async writeTags(run: StoredRun, tags: readonly KeyValue[]): Promise<void> {
    for (const { key, value } of tags) {
      validateKey('tag', key);
      validateTagValue(value);
    }
    for (const { key, value } of tags) {
      await this.writeKeyFile(run.directory, 'tags', key, value);
      if (key === RUN_NAME_TAG) {
        await writeFileAtomic(
          join(run.directory, 'meta.yaml'),
          dumpYaml(this.runMeta({ ...run.info, runName: value })),
        );
      }
    }
  }

  async logBatch(
    runId: string,
    metrics: readonly MetricInput[],
    params: readonly KeyValue[],
    tags: readonly KeyValue[],
  ) {
    validateBatch(metrics, params, tags);
    const run = await this.activeRun(runId);
    // Check everything before writing anything, so a refused batch leaves the run untouched.
    for (const metric of metrics)
      validateMetric(metric.key, metric.value, metric.timestamp ?? 0, metric.step ?? 0);
    for (const { key, value } of tags) {
      validateKey('tag', key);
      validateTagValue(value);
    }
    const newParams = await this.checkParams(run, params);
    for (const { key, value } of newParams) await this.writeKeyFile(run.directory, 'params', key, value);
    await this.appendMetrics(run, metrics);
    await this.writeTags(run, tags);
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<Page<Metric>> {
    validateKey('metric', key);
    const run = await this.storedRun(runId);
    const points = (await this.readMetricPoints(run.directory, key)) ?? [];
    const maxResults = options.maxResults ?? SEARCH_LIMITS.metricHistory.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.metricHistory.max);
    const { items, nextPageToken } = paginate(points, options.pageToken, maxResults);
    return withToken(items, nextPageToken);
  }

  async searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.runs.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.runs.max);
    const clauses = parseFilter(options.filter, 'run');
    const orderClauses = parseOrderBy(options.orderBy, 'run');
    const viewType = options.runViewType ?? 'ACTIVE_ONLY';
    const needed = keysRead([...clauses, ...orderClauses]);

    const candidates: { experimentId: string; directory: string }[] = [];
    for (const experimentId of options.experimentIds) {
      validateExperimentId(experimentId);
      const directory = await this.experimentDirectory(experimentId);
      if (!directory) continue;
      for (const name of await listSubdirectories(directory)) {
        if (!RESERVED_EXPERIMENT_FOLDERS.has(name))
          candidates.push({ experimentId, directory: join(directory, name) });
      }
    }

    // Scan with synchronous reads in batches (see readTextSync), yielding between batches.
    const loaded: ({ info: RunInfo; directory: string; subject: Subject } | undefined)[] = [];
    for (const [index, { experimentId, directory }] of candidates.entries()) {
      loaded.push(scanRun(directory, experimentId, viewType, needed));
      if (index % SCAN_BATCH === SCAN_BATCH - 1) await yieldToEventLoop();
    }
    const runs = loaded.filter((entry) => entry !== undefined && matchesFilter(clauses, entry.subject)) as {
      info: RunInfo;
      directory: string;
      subject: Subject;
    }[];
    const order = compareBy(orderClauses);
    runs.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(runs, options.pageToken, maxResults);
    const full = await mapLimit(items, READ_CONCURRENCY, (entry) => this.readRun(entry));
    for (const { info, directory } of items) {
      this.runLocations.set(info.runId, { experimentId: info.experimentId, directory });
    }
    return withToken(full, nextPageToken);
  }
}

/** Reads a run for a search: its info and only the keys the search needs; undefined to skip it. */
function scanRun(
  directory: string,
  experimentId: string,
  viewType: ViewType,
  needed: Record<ClauseType, Set<string>>,
): { info: RunInfo; directory: string; subject: Subject } | undefined {
  let info: RunInfo | undefined;
  try {
    info = runInfoFromMeta(readMetaSync(directory), directory, experimentId);
  } catch (error) {
    // As in MLflow, folders that are not well-formed runs are skipped by searches.
    if (error instanceof StoreError) return undefined;
    throw error;
  }
  if (!info || !matchesView(viewType, info.lifecycleStage)) return undefined;
  const values = {
    metric: new Map<string, number>(),
    param: new Map<string, string>(),
    tag: new Map<string, string>(),
  };
  for (const key of needed.metric) {
    if (!isSafeKey(key)) continue;
    const file = join(directory, 'metrics', ...key.split('/'));
    const latest = latestMetric(parseMetricFile(readTextSync(file), key, file) ?? []);
    if (latest) values.metric.set(key, latest.value);
  }
  for (const type of ['param', 'tag'] as const) {
    for (const key of needed[type]) {
      if (!isSafeKey(key)) continue;
      const text = readTextSync(join(directory, type === 'param' ? 'params' : 'tags', ...key.split('/')));
      if (text !== undefined) values[type].set(key, text);
    }
  }
  // Runs logged by old MLflow versions keep their name only in the mlflow.runName tag.
  if (!info.runName) {
    info.runName = values.tag.get(RUN_NAME_TAG) ?? readTextSync(join(directory, 'tags', RUN_NAME_TAG)) ?? '';
  }
  return { info, directory, subject: runSubject(info, values) };
}

/** A run's `meta.yaml` as a {@link RunInfo}; refuses a run filed under another experiment. */
function runInfoFromMeta(
  meta: Record<string, unknown> | undefined,
  directory: string,
  experimentId: string,
): RunInfo | undefined {
  if (!meta) return undefined;
  const runId = yamlString(meta.run_id) ?? yamlString(meta.run_uuid) ?? '';
  const info: RunInfo = {
    runId,
    runName: yamlString(meta.run_name) ?? '',
    experimentId: yamlString(meta.experiment_id) ?? '',
    userId: yamlString(meta.user_id) ?? '',
    status: runStatusFromNumber(meta.status),
    startTime: yamlInt(meta.start_time) ?? 0,
    artifactUri: yamlString(meta.artifact_uri) ?? '',
    lifecycleStage: yamlString(meta.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
  };
  const endTime = yamlInt(meta.end_time);
  if (endTime !== undefined) info.endTime = endTime;
  if (info.experimentId !== experimentId) {
    throw new StoreError('INVALID_STATE', `Run '${runId}' metadata is in invalid state.`, {
      file: join(directory, 'meta.yaml'),
      fix: `Its experiment_id is '${info.experimentId}' but it lies in experiment folder '${experimentId}'.`,
    });
  }
  return info;
}

/** A metric file's points in file order; undefined when the file does not exist. */
function parseMetricFile(text: string | undefined, key: string, file: string): Metric[] | undefined {
  if (text === undefined) return undefined;
  const points: Metric[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseMetricLine(line);
    if (!parsed) {
      throw new StoreError(
        'INTERNAL_ERROR',
        `Metric '${key}' is malformed; persisted metric data contained ${line.trim().split(' ').length} fields. Expected 2 or 3 fields.`,
        { file, fix: `Repair or remove the line '${line.trim()}' in ${file}.` },
      );
    }
    points.push({ key, ...parsed });
  }
  return points;
}

/** True when a key read from a filter may be used as a path (no `..`, no absolute paths). */
function isSafeKey(key: string): boolean {
  try {
    validateKey('tag', key);
    return true;
  } catch {
    return false;
  }
}

function matchesView(viewType: ViewType, stage: string): boolean {
  if (viewType === 'ALL') return true;
  return viewType === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted';
}

function withToken<T>(items: T[], nextPageToken: string | undefined): Page<T> {
  return nextPageToken ? { items, nextPageToken } : { items };
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A run as a search subject. */
export function runSubject(
  info: RunInfo,
  values: { metric: Map<string, number>; param: Map<string, string>; tag: Map<string, string> },
): Subject {
  return {
    get(type, key) {
      switch (type) {
        case 'metric':
          return values.metric.get(key);
        case 'param':
          return values.param.get(key);
        case 'tag':
          return values.tag.get(key);
        case 'attribute':
          return runAttribute(info, key);
      }
    },
  };
}

/** A run attribute by its MLflow search name. */
export function runAttribute(info: RunInfo, key: string): string | number | undefined {
  switch (key) {
    case 'run_id':
      return info.runId;
    case 'run_name':
      return info.runName;
    case 'user_id':
      return info.userId;
    case 'status':
      return info.status;
    case 'start_time':
      return info.startTime;
    case 'end_time':
      return info.endTime;
    case 'artifact_uri':
      return info.artifactUri;
    case 'lifecycle_stage':
      return info.lifecycleStage;
    case 'experiment_id':
      return info.experimentId;
    default:
      return undefined;
  }
}

/** An experiment as a search subject. */
export function experimentSubject(experiment: Experiment): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return experiment.tags[key];
      switch (key) {
        case 'name':
          return experiment.name;
        case 'experiment_id':
          return experiment.experimentId;
        case 'creation_time':
          return experiment.creationTime;
        case 'last_update_time':
          return experiment.lastUpdateTime;
        default:
          return undefined;
      }
    },
  };
}
