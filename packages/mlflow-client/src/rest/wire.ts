/**
 * MLflow's REST JSON (proto3-style JSON of service.proto and model_registry.proto) and its conversion
 * to the client's entities. Readers are lenient the way proto JSON requires: absent repeated fields
 * are empty, 64-bit integers may arrive as numbers or strings, and doubles may be `"NaN"`,
 * `"Infinity"` or `"-Infinity"`.
 */
import type {
  Experiment,
  LifecycleStage,
  Metric,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
} from '../types.ts';

/** `{key, value}` as on the wire. */
export interface WireKeyValue {
  key?: string;
  value?: string;
}

/** An experiment on the wire. */
export interface WireExperiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: WireKeyValue[];
}

/** A metric point on the wire. */
export interface WireMetric {
  key?: string;
  value?: number | string;
  timestamp?: number | string;
  step?: number | string;
}

/** Run metadata on the wire. */
export interface WireRunInfo {
  run_id?: string;
  run_uuid?: string;
  run_name?: string;
  experiment_id?: string;
  user_id?: string;
  status?: string;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

/** A run on the wire. */
export interface WireRun {
  info?: WireRunInfo;
  data?: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] };
}

/** A model version on the wire. */
export interface WireModelVersion {
  name?: string;
  version?: string | number;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: WireKeyValue[];
  run_link?: string;
  aliases?: string[];
}

/** A registered model on the wire. */
export interface WireRegisteredModel {
  name?: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  user_id?: string;
  description?: string;
  latest_versions?: WireModelVersion[];
  tags?: WireKeyValue[];
  aliases?: { alias?: string; version?: string }[];
}

/** A 64-bit integer field (number or decimal string). */
export function wireInt(value: number | string | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A double field, including proto JSON's spellings of the non-finite values. */
export function wireDouble(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value ?? 0);
}

/** A double for the wire: JSON has no NaN or infinities, so proto JSON spells them as strings. */
export function toWireDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** `[{key, value}]` → record. */
export function fromWirePairs(pairs: WireKeyValue[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs ?? []) if (pair.key !== undefined) record[pair.key] = pair.value ?? '';
  return record;
}

/** record or pairs → `[{key, value}]`. */
export function toWirePairs(record: Record<string, string> | undefined): { key: string; value: string }[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

function lifecycle(value: string | undefined): LifecycleStage {
  return value === 'deleted' ? 'deleted' : 'active';
}

/** Experiment from the wire. */
export function fromWireExperiment(wire: WireExperiment): Experiment {
  const experiment: Experiment = {
    experimentId: String(wire.experiment_id ?? ''),
    name: wire.name ?? '',
    artifactLocation: wire.artifact_location ?? '',
    lifecycleStage: lifecycle(wire.lifecycle_stage),
    tags: fromWirePairs(wire.tags),
  };
  const creationTime = wireInt(wire.creation_time);
  const lastUpdateTime = wireInt(wire.last_update_time);
  if (creationTime !== undefined) experiment.creationTime = creationTime;
  if (lastUpdateTime !== undefined) experiment.lastUpdateTime = lastUpdateTime;
  return experiment;
}

/** Metric point from the wire. */
export function fromWireMetric(wire: WireMetric): Metric {
  return {
    key: wire.key ?? '',
    value: wireDouble(wire.value),
    timestamp: wireInt(wire.timestamp) ?? 0,
    step: wireInt(wire.step) ?? 0,
  };
}

/** Run metadata from the wire. */
export function fromWireRunInfo(wire: WireRunInfo): RunInfo {
  const info: RunInfo = {
    runId: wire.run_id ?? wire.run_uuid ?? '',
    runName: wire.run_name ?? '',
    experimentId: String(wire.experiment_id ?? ''),
    userId: wire.user_id ?? '',
    status: (wire.status ?? 'RUNNING') as RunStatus,
    startTime: wireInt(wire.start_time) ?? 0,
    artifactUri: wire.artifact_uri ?? '',
    lifecycleStage: lifecycle(wire.lifecycle_stage),
  };
  const endTime = wireInt(wire.end_time);
  if (endTime !== undefined) info.endTime = endTime;
  return info;
}

/** Run from the wire. */
export function fromWireRun(wire: WireRun): Run {
  const metrics: Record<string, Metric> = {};
  for (const metric of wire.data?.metrics ?? []) {
    const converted = fromWireMetric(metric);
    metrics[converted.key] = converted;
  }
  const tags = fromWirePairs(wire.data?.tags);
  const info = fromWireRunInfo(wire.info ?? {});
  if (!info.runName && tags['mlflow.runName']) info.runName = tags['mlflow.runName'];
  return { info, data: { metrics, params: fromWirePairs(wire.data?.params), tags } };
}

/** Model version from the wire. */
export function fromWireModelVersion(wire: WireModelVersion): ModelVersion {
  const version: ModelVersion = {
    name: wire.name ?? '',
    version: String(wire.version ?? ''),
    creationTimestamp: wireInt(wire.creation_timestamp) ?? 0,
    currentStage: wire.current_stage ?? 'None',
    source: wire.source ?? '',
    status: (wire.status ?? 'READY') as ModelVersionStatus,
    tags: fromWirePairs(wire.tags),
    aliases: [...(wire.aliases ?? [])],
  };
  const lastUpdated = wireInt(wire.last_updated_timestamp);
  if (lastUpdated !== undefined) version.lastUpdatedTimestamp = lastUpdated;
  if (wire.description) version.description = wire.description;
  if (wire.run_id) version.runId = wire.run_id;
  if (wire.run_link) version.runLink = wire.run_link;
  if (wire.user_id) version.userId = wire.user_id;
  if (wire.status_message) version.statusMessage = wire.status_message;
  return version;
}

/** Registered model from the wire. */
export function fromWireRegisteredModel(wire: WireRegisteredModel): RegisteredModel {
  const aliases: Record<string, string> = {};
  for (const alias of wire.aliases ?? []) if (alias.alias) aliases[alias.alias] = String(alias.version ?? '');
  const model: RegisteredModel = {
    name: wire.name ?? '',
    creationTimestamp: wireInt(wire.creation_timestamp) ?? 0,
    latestVersions: (wire.latest_versions ?? []).map(fromWireModelVersion),
    tags: fromWirePairs(wire.tags),
    aliases,
  };
  const lastUpdated = wireInt(wire.last_updated_timestamp);
  if (lastUpdated !== undefined) model.lastUpdatedTimestamp = lastUpdated;
  if (wire.description) model.description = wire.description;
  return model;
}
