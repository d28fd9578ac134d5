/** The local MLflow protocol server for tests. */
export {
  startMlflowServer,
  type MlflowServer,
  type MlflowServerOptions,
  type RecordedRequest,
  type FaultOptions,
} from './server.ts';
export { MlflowState, ApiError } from './state.ts';
