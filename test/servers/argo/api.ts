/**
 * The part of the Argo Workflows server API (argo-server, `/api/v1`) the local server speaks, as
 * JSON Schemas written from the API description `api/openapi-spec/swagger.json` of
 * argoproj/argo-workflows: `io.argoproj.workflow.v1alpha1.WorkflowSubmitRequest`, `SubmitOpts`,
 * `Workflow`, `WorkflowList` and `grpc.gateway.runtime.Error`.
 */

export { GRPC } from '../kubeflow/protocol.ts';

/** Workflow phases (`status.phase`; empty until the controller sees the workflow). */
export const WORKFLOW_PHASES = ['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error'] as const;

/** A workflow phase. */
export type WorkflowPhase = (typeof WORKFLOW_PHASES)[number];

/** `io.argoproj.workflow.v1alpha1.SubmitOpts`. */
const SUBMIT_OPTS = {
  type: 'object',
  additionalProperties: false,
  properties: {
    annotations: { type: 'string' },
    dryRun: { type: 'boolean' },
    entryPoint: { type: 'string' },
    generateName: { type: 'string' },
    labels: { type: 'string' },
    name: { type: 'string' },
    ownerReference: { type: 'object' },
    parameters: { type: 'array', items: { type: 'string' } },
    podPriorityClassName: { type: 'string' },
    priority: { type: 'integer' },
    serverDryRun: { type: 'boolean' },
    serviceAccount: { type: 'string' },
  },
};

/** `io.argoproj.workflow.v1alpha1.WorkflowSubmitRequest`. */
export const SUBMIT_REQUEST_SCHEMA = {
  $id: 'urn:test:argo:WorkflowSubmitRequest',
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: { type: 'string' },
    resourceKind: { type: 'string' },
    resourceName: { type: 'string' },
    submitOptions: SUBMIT_OPTS,
  },
};

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/** `io.argoproj.workflow.v1alpha1.Workflow` (metadata and spec required). */
export const WORKFLOW_SCHEMA = {
  $id: 'urn:test:argo:Workflow',
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        generateName: { type: 'string' },
        namespace: { type: 'string' },
        uid: { type: 'string' },
        resourceVersion: { type: 'string' },
        generation: { type: 'integer' },
        creationTimestamp: { type: 'string', format: 'date-time' },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      properties: {
        entrypoint: { type: 'string' },
        arguments: {
          type: 'object',
          properties: {
            parameters: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' }, value: { type: 'string' } },
              },
            },
          },
        },
        workflowTemplateRef: {
          type: 'object',
          properties: { name: { type: 'string' }, clusterScope: { type: 'boolean' } },
        },
      },
    },
    status: {
      type: 'object',
      properties: {
        phase: { enum: WORKFLOW_PHASES },
        startedAt: { type: ['string', 'null'] },
        finishedAt: { type: ['string', 'null'] },
        message: { type: 'string' },
      },
    },
  },
};

/** `io.argoproj.workflow.v1alpha1.WorkflowList` (`items` is null when empty, as Go encodes a nil slice). */
export const WORKFLOW_LIST_SCHEMA = {
  $id: 'urn:test:argo:WorkflowList',
  type: 'object',
  required: ['metadata', 'items'],
  properties: {
    metadata: {
      type: 'object',
      properties: { resourceVersion: { type: 'string' }, continue: { type: 'string' } },
    },
    items: { anyOf: [{ type: 'null' }, { type: 'array', items: { $ref: 'urn:test:argo:Workflow' } }] },
  },
};

/** `grpc.gateway.runtime.Error`. */
export const ERROR_SCHEMA = {
  $id: 'urn:test:argo:Error',
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
