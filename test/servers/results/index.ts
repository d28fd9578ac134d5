/**
 * Local Actions results service for tests (artifact and cache Twirp services plus the blob storage
 * behind their signed URLs), the runtime environment helper, and the shared world. See
 * test/servers/README.md.
 */
export { ResultsServer, startResultsServer, type ResultsServerOptions } from './server.ts';
export { actionsRuntimeEnv, type RuntimeEndpoints, type RuntimeEnvOptions } from './runtime-env.ts';
export {
  cacheScopesOf,
  createRuntimeToken,
  readRuntimeToken,
  RuntimeTokenError,
  CACHE_READ,
  CACHE_WRITE,
  type CacheScope,
  type RuntimeTokenClaims,
} from './runtime-token.ts';
export { TwirpError, TWIRP_STATUS, type TwirpCode } from './twirp.ts';
export { type BlobOperation } from './blob-service.ts';
export { BlobStore, BLOB_ACCOUNT, type StoredBlob, type BlobPermission } from '../shared/blob-store.ts';
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
