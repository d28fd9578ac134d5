/** The local Kubeflow Pipelines API server for tests (REST v2beta1, runs). */
export { startKfpServer, type KfpServer, type KfpServerOptions } from './server.ts';
export { KfpState, KfpApiError, predicateOf, type RunRecord, type PipelineRecord } from './state.ts';
export { RUNTIME_STATES, type RuntimeState } from './api.ts';
export type { EngineRequest, EngineFaultSpec } from './protocol.ts';
