/**
 * The part of the Kubeflow Pipelines REST API v2beta1 the local server speaks, as JSON Schemas
 * (draft 2020-12) written from the API description `backend/api/v2beta1/swagger/run.swagger.json`
 * and `filter.proto` of kubeflow/pipelines: `v2beta1Run`, `v2beta1ListRunsResponse`,
 * `v2beta1RuntimeState`, `runtimeError` and the `Filter` message. Requests and the server's own
 * answers are validated against them.
 */

/** `v2beta1RuntimeState`. */
export const RUNTIME_STATES = [
  'RUNTIME_STATE_UNSPECIFIED',
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'SKIPPED',
  'FAILED',
  'CANCELING',
  'CANCELED',
  'PAUSED',
] as const;

/** A KFP runtime state. */
export type RuntimeState = (typeof RUNTIME_STATES)[number];

export { GRPC } from './protocol.ts';

const timestamp = { type: 'string', format: 'date-time' };
const status = {
  type: 'object',
  properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array' } },
};

/** `v2beta1RuntimeStatus`. */
const runtimeStatus = {
  type: 'object',
  properties: { update_time: timestamp, state: { enum: RUNTIME_STATES }, error: status },
  additionalProperties: false,
};

/** `v2beta1Run` — the request body of CreateRun and the answer of GetRun/CreateRun. */
export const RUN_SCHEMA = {
  $id: 'urn:test:kfp:v2beta1Run',
  type: 'object',
  additionalProperties: false,
  properties: {
    experiment_id: { type: 'string' },
    run_id: { type: 'string' },
    display_name: { type: 'string' },
    storage_state: { enum: ['STORAGE_STATE_UNSPECIFIED', 'AVAILABLE', 'ARCHIVED'] },
    description: { type: 'string' },
    pipeline_version_id: { type: 'string' },
    pipeline_spec: { type: 'object' },
    pipeline_version_reference: {
      type: 'object',
      additionalProperties: false,
      properties: { pipeline_id: { type: 'string' }, pipeline_version_id: { type: 'string' } },
    },
    runtime_config: {
      type: 'object',
      additionalProperties: false,
      properties: { parameters: { type: 'object' }, pipeline_root: { type: 'string' } },
    },
    service_account: { type: 'string' },
    created_at: timestamp,
    scheduled_at: timestamp,
    finished_at: timestamp,
    state: { enum: RUNTIME_STATES },
    error: status,
    run_details: { type: 'object' },
    recurring_run_id: { type: 'string' },
    state_history: { type: 'array', items: runtimeStatus },
  },
};

/** `v2beta1ListRunsResponse`. */
export const LIST_RUNS_SCHEMA = {
  $id: 'urn:test:kfp:v2beta1ListRunsResponse',
  type: 'object',
  additionalProperties: false,
  properties: {
    runs: { type: 'array', items: { $ref: 'urn:test:kfp:v2beta1Run' } },
    total_size: { type: 'integer' },
    next_page_token: { type: 'string' },
  },
};

/** `runtimeError` — every error answer. */
export const ERROR_SCHEMA = {
  $id: 'urn:test:kfp:runtimeError',
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    error: { type: 'string' },
    code: { type: 'integer' },
    message: { type: 'string' },
    details: { type: 'array' },
  },
};

/** Operations of `Predicate.Operation`, by name and number. */
export const FILTER_OPERATIONS = {
  OPERATION_UNSPECIFIED: 0,
  EQUALS: 1,
  NOT_EQUALS: 2,
  GREATER_THAN: 3,
  GREATER_THAN_EQUALS: 5,
  LESS_THAN: 6,
  LESS_THAN_EQUALS: 7,
  IN: 8,
  IS_SUBSTRING: 9,
} as const;

/** The `Filter` message in its JSON form (protojson accepts snake_case and lowerCamelCase names). */
export const FILTER_SCHEMA = {
  $id: 'urn:test:kfp:Filter',
  type: 'object',
  additionalProperties: false,
  properties: {
    predicates: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          operation: {
            anyOf: [{ enum: Object.keys(FILTER_OPERATIONS) }, { enum: Object.values(FILTER_OPERATIONS) }],
          },
          op: {
            anyOf: [{ enum: Object.keys(FILTER_OPERATIONS) }, { enum: Object.values(FILTER_OPERATIONS) }],
          },
          key: { type: 'string' },
          int_value: { type: 'integer' },
          intValue: { type: 'integer' },
          long_value: { type: ['string', 'integer'] },
          longValue: { type: ['string', 'integer'] },
          string_value: { type: 'string' },
          stringValue: { type: 'string' },
          timestamp_value: timestamp,
          timestampValue: timestamp,
          int_values: {
            type: 'object',
            properties: { values: { type: 'array', items: { type: 'integer' } } },
          },
          intValues: {
            type: 'object',
            properties: { values: { type: 'array', items: { type: 'integer' } } },
          },
          long_values: { type: 'object', properties: { values: { type: 'array' } } },
          longValues: { type: 'object', properties: { values: { type: 'array' } } },
          string_values: {
            type: 'object',
            properties: { values: { type: 'array', items: { type: 'string' } } },
          },
          stringValues: {
            type: 'object',
            properties: { values: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
  },
};

/** Run fields a filter or `sort_by` may name (the API → model field map of the v2beta1 run). */
export const RUN_FILTER_KEYS = [
  'run_id',
  'display_name',
  'name',
  'description',
  'experiment_id',
  'state',
  'created_at',
  'finished_at',
  'storage_state',
] as const;
