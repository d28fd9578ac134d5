/**
 * @modelops/mlflow-client — a typed MLflow client: the REST API 2.0 of a tracking server and MLflow's
 * own local file store behind one interface, with the model registry, search filters, model URIs and
 * typed errors. This file only re-exports the modules.
 */
export type { MlflowClient } from './client.ts';
export * from './create.ts';
export * from './types.ts';
export * from './errors.ts';
export * from './invalid.ts';
export * from './model-uri.ts';
export * from './validation.ts';
export { BaseMlflowClient, canonicalStage, iteratePages } from './base-client.ts';
export {
  RestMlflowClient,
  authorizationHeader,
  nameFilter,
  type MlflowAuth,
  type RestMlflowClientOptions,
} from './rest/rest-client.ts';
export * from './rest/wire.ts';
export { FileMlflowClient, type FileMlflowClientOptions } from './file/file-client.ts';
export {
  dumpYaml,
  parseYaml,
  parseFlatYaml,
  formatPythonFloat,
  parsePythonFloat,
  formatMetricLine,
  parseMetricLine,
} from './file/format.ts';
export { latestMetric, runAttribute, runStatusFromNumber, runStatusToNumber } from './file/tracking.ts';
export {
  parseFilter,
  matchesFilter,
  compareValues,
  likeToRegExp,
  keysRead,
  type Comparison,
  type Comparator,
  type ClauseType,
  type SearchKind,
  type Subject,
} from './search/filter.ts';
export { parseOrderBy, parseOrderClause, compareBy, type OrderClause } from './search/order.ts';
export {
  encodePageToken,
  decodePageToken,
  paginate,
  checkMaxResults,
  SEARCH_LIMITS,
} from './search/paging.ts';
export { generateRunId, generateRunName, generateExperimentId } from './names.ts';
