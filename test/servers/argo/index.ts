/** The local Argo Workflows server (argo-server `/api/v1`) for tests. */
export { startArgoServer, type ArgoServer, type ArgoServerOptions } from './server.ts';
export { ArgoState, ArgoApiError, type TemplateRecord, type WorkflowRecord } from './state.ts';
export { WORKFLOW_PHASES, type WorkflowPhase } from './api.ts';
