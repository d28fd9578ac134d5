/**
 * The data of the local Kubeflow Pipelines server: pipelines with versions, experiments and runs,
 * with the rules the API server applies when a run is created (a pipeline and version must exist,
 * an omitted version means the pipeline's latest, an omitted experiment means the default one) and
 * the filters, sorting and paging of ListRuns. Tests drive runs through their states.
 */
import { randomUUID } from 'node:crypto';
import { FILTER_OPERATIONS, GRPC, RUN_FILTER_KEYS, type RuntimeState } from './api.ts';
import { GrpcApiError } from './protocol.ts';

/** An error the API answers with (a gRPC status mapped to HTTP). */
export class KfpApiError extends GrpcApiError {}

/** A pipeline and its versions (oldest first). */
export interface PipelineRecord {
  pipelineId: string;
  displayName: string;
  versions: { versionId: string; createdAt: Date }[];
}

/** A stored run, as the API renders it (snake_case JSON). */
export type RunRecord = Record<string, unknown> & {
  run_id: string;
  display_name: string;
  state: RuntimeState;
  created_at: string;
  experiment_id: string;
};

/** Listener called for each run created through the API. */
export type RunListener = (run: RunRecord) => void;

const NOT_FINISHED = '1970-01-01T00:00:00Z';

/** The server's data. */
export class KfpState {
  readonly pipelines: PipelineRecord[] = [];
  readonly experiments = new Map<string, string>();
  readonly runs: RunRecord[] = [];
  readonly defaultExperimentId = randomUUID();
  private readonly listeners = new Set<RunListener>();
  /** Strictly increasing creation times, so sorting by created_at is deterministic. */
  private lastCreated = 0;

  constructor() {
    this.experiments.set(this.defaultExperimentId, 'Default');
  }

  /** Adds a pipeline with `versions` versions; returns its id and the version ids (oldest first). */
  addPipeline(displayName: string, versions = 1): { pipelineId: string; versionIds: string[] } {
    const record: PipelineRecord = { pipelineId: randomUUID(), displayName, versions: [] };
    for (let i = 0; i < versions; i++)
      record.versions.push({ versionId: randomUUID(), createdAt: new Date(Date.now() + i) });
    this.pipelines.push(record);
    return { pipelineId: record.pipelineId, versionIds: record.versions.map((v) => v.versionId) };
  }

  /** Adds an experiment; returns its id. */
  addExperiment(displayName: string): string {
    const id = randomUUID();
    this.experiments.set(id, displayName);
    return id;
  }

  /** Calls `listener` for every run created from now on; returns an unsubscribe function. */
  onRunCreated(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private now(): Date {
    this.lastCreated = Math.max(Date.now(), this.lastCreated + 1);
    return new Date(this.lastCreated);
  }

  /** CreateRun. */
  createRun(body: Record<string, unknown>, queryExperimentId?: string): RunRecord {
    const displayName = typeof body.display_name === 'string' ? body.display_name.trim() : '';
    if (!displayName) {
      throw new KfpApiError(
        GRPC.INVALID_ARGUMENT,
        'Invalid input error: The run display name is empty. Please specify a valid name',
      );
    }
    const reference = body.pipeline_version_reference as
      { pipeline_id?: string; pipeline_version_id?: string } | undefined;
    if (!reference?.pipeline_id && !body.pipeline_spec) {
      throw new KfpApiError(
        GRPC.INVALID_ARGUMENT,
        'Invalid input error: Failed to create a run: neither pipeline spec nor pipeline version reference is provided',
      );
    }
    let versionId: string | undefined;
    if (reference?.pipeline_id) {
      const pipeline = this.pipelines.find((p) => p.pipelineId === reference.pipeline_id);
      if (!pipeline) throw new KfpApiError(GRPC.NOT_FOUND, `Pipeline ${reference.pipeline_id} not found`);
      versionId = reference.pipeline_version_id || pipeline.versions.at(-1)?.versionId;
      if (!versionId || !pipeline.versions.some((v) => v.versionId === versionId)) {
        throw new KfpApiError(GRPC.NOT_FOUND, `PipelineVersion ${reference.pipeline_version_id} not found`);
      }
    }
    const experimentId =
      (body.experiment_id as string | undefined) || queryExperimentId || this.defaultExperimentId;
    if (!this.experiments.has(experimentId))
      throw new KfpApiError(GRPC.NOT_FOUND, `Experiment ${experimentId} not found`);
    const created = this.now().toISOString();
    const run: RunRecord = {
      experiment_id: experimentId,
      run_id: randomUUID(),
      display_name: displayName,
      storage_state: 'AVAILABLE',
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      ...(reference?.pipeline_id
        ? {
            pipeline_version_reference: {
              pipeline_id: reference.pipeline_id,
              pipeline_version_id: versionId,
            },
          }
        : {}),
      runtime_config: (body.runtime_config as Record<string, unknown> | undefined) ?? {},
      ...(typeof body.service_account === 'string' ? { service_account: body.service_account } : {}),
      created_at: created,
      scheduled_at: created,
      finished_at: NOT_FINISHED,
      state: 'PENDING',
      state_history: [{ update_time: created, state: 'PENDING' }],
    };
    this.runs.push(run);
    for (const listener of this.listeners) listener(run);
    return run;
  }

  /** GetRun. */
  getRun(runId: string): RunRecord {
    const run = this.runs.find((r) => r.run_id === runId);
    if (!run) throw new KfpApiError(GRPC.NOT_FOUND, `Run ${runId} not found`);
    return run;
  }

  /** Moves a run to `state` (tests play the orchestrator). */
  setRunState(runId: string, state: RuntimeState): RunRecord {
    const run = this.getRun(runId);
    const at = new Date().toISOString();
    run.state = state;
    (run.state_history as unknown[]).push({ update_time: at, state });
    if (['SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELED'].includes(state)) run.finished_at = at;
    return run;
  }

  /** ListRuns: filter, sort and page. */
  listRuns(query: URLSearchParams): { runs: RunRecord[]; total: number; nextPageToken?: string } {
    let runs = [...this.runs];
    const experimentId = query.get('experiment_id');
    if (experimentId) runs = runs.filter((r) => r.experiment_id === experimentId);
    const filter = query.get('filter');
    if (filter) runs = runs.filter(predicateOf(filter));
    runs.sort(sorterOf(query.get('sort_by') ?? ''));
    const size = Number(query.get('page_size') || 20);
    if (!Number.isInteger(size) || size < 0)
      throw new KfpApiError(GRPC.INVALID_ARGUMENT, `Invalid page size ${query.get('page_size')}`);
    const token = query.get('page_token');
    let offset = 0;
    if (token) {
      const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(decoded) || decoded < 0)
        throw new KfpApiError(GRPC.INVALID_ARGUMENT, 'Invalid page token');
      offset = decoded;
    }
    const page = runs.slice(offset, offset + (size || 20));
    const next = offset + page.length;
    return {
      runs: page,
      total: runs.length,
      ...(next < runs.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
    };
  }
}

type Operation = keyof typeof FILTER_OPERATIONS;

function fieldOf(run: RunRecord, key: string): unknown {
  const field = key === 'name' ? 'display_name' : key === 'id' ? 'run_id' : key;
  return run[field];
}

/** Compiles a URL-encoded JSON `Filter` into a predicate over runs (predicates are AND-ed). */
export function predicateOf(text: string): (run: RunRecord) => boolean {
  let filter: { predicates?: Record<string, unknown>[] };
  try {
    filter = JSON.parse(text) as typeof filter;
  } catch (error) {
    throw new KfpApiError(
      GRPC.INVALID_ARGUMENT,
      `Invalid input error: failed to parse the filter: ${(error as Error).message}`,
    );
  }
  const tests = (filter.predicates ?? []).map((p) => {
    const key = String(p.key ?? '');
    if (!(RUN_FILTER_KEYS as readonly string[]).includes(key)) {
      throw new KfpApiError(
        GRPC.INVALID_ARGUMENT,
        `Invalid input error: Filter key '${key}' is not supported for runs`,
      );
    }
    const rawOp = p.operation ?? p.op ?? 'OPERATION_UNSPECIFIED';
    const op = (
      typeof rawOp === 'number' ? Object.entries(FILTER_OPERATIONS).find(([, n]) => n === rawOp)?.[0] : rawOp
    ) as Operation | undefined;
    const value =
      p.string_value ??
      p.stringValue ??
      p.int_value ??
      p.intValue ??
      p.long_value ??
      p.longValue ??
      p.timestamp_value ??
      p.timestampValue;
    const values = (
      (p.string_values ?? p.stringValues ?? p.int_values ?? p.intValues ?? p.long_values ?? p.longValues) as
        { values?: unknown[] } | undefined
    )?.values;
    const comparable = (v: unknown) =>
      key.endsWith('_at') ? Date.parse(String(v)) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    return (run: RunRecord): boolean => {
      const field = comparable(fieldOf(run, key));
      const other = comparable(value);
      switch (op) {
        case 'EQUALS':
          return field === other;
        case 'NOT_EQUALS':
          return field !== other;
        case 'GREATER_THAN':
          return (field as number) > (other as number);
        case 'GREATER_THAN_EQUALS':
          return (field as number) >= (other as number);
        case 'LESS_THAN':
          return (field as number) < (other as number);
        case 'LESS_THAN_EQUALS':
          return (field as number) <= (other as number);
        case 'IN':
          return (values ?? []).map(comparable).includes(field);
        case 'IS_SUBSTRING':
          return typeof field === 'string' && field.includes(String(value));
        default:
          throw new KfpApiError(
            GRPC.INVALID_ARGUMENT,
            `Invalid input error: unsupported filter operation ${String(rawOp)}`,
          );
      }
    };
  });
  return (run) => tests.every((test) => test(run));
}

/** `field`, `field asc` or `field desc`; ascending by default, then by run id. */
function sorterOf(sortBy: string): (a: RunRecord, b: RunRecord) => number {
  const [rawField = 'created_at', direction = 'asc'] = sortBy.trim().split(/\s+/).filter(Boolean);
  const field = rawField || 'created_at';
  if (!(RUN_FILTER_KEYS as readonly string[]).includes(field)) {
    throw new KfpApiError(GRPC.INVALID_ARGUMENT, `Invalid input error: Invalid sorting field: "${field}"`);
  }
  if (direction !== 'asc' && direction !== 'desc') {
    throw new KfpApiError(
      GRPC.INVALID_ARGUMENT,
      `Invalid input error: Invalid sorting order: "${direction}"`,
    );
  }
  const sign = direction === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = String(fieldOf(a, field) ?? '');
    const y = String(fieldOf(b, field) ?? '');
    return sign * (x < y ? -1 : x > y ? 1 : a.run_id < b.run_id ? -1 : 1);
  };
}
