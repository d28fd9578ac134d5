/**
 * Local GitHub REST API server for tests, validated against GitHub's OpenAPI description, and the
 * shared world it serves. See test/servers/README.md.
 */
export {
  GitHubServer,
  IMPLEMENTED_OPERATIONS,
  startGitHubServer,
  type GitHubServerOptions,
  type SecondaryRateLimitOptions,
  type Violation,
  type ViolationKind,
} from './server.ts';
export {
  OpenApiCatalog,
  openApiToJsonSchema,
  type MatchedOperation,
  type RouteMatch,
  type SchemaIssue,
} from './openapi.ts';
export { RateLimiter, type CallerKind, type RateLimitState, type RateLimiterOptions } from './rate-limit.ts';
export { GitHubApiError, type RouteContext, type RouteDefinition, type RouteResult } from './routing.ts';
export * from '../shared/world.ts';
export { startWorld, type StartWorldOptions, type StartedWorld } from '../shared/start-world.ts';
export { applyEnv, withEnv } from '../shared/env.ts';
export {
  FaultInjector,
  type FaultMatcher,
  type FaultSpec,
  type FaultTarget,
  type InjectedFault,
} from '../shared/faults.ts';
export { RequestLog, type LoggedRequest } from '../shared/request-log.ts';
export { createZip, type ZipEntry } from '../shared/zip.ts';
