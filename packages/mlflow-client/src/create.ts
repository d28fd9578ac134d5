/**
 * Choosing the backend from the tracking URI the way MLflow does: `http(s)://…` is a tracking server
 * (REST), a local path or `file://` URI is a file store, and no URI at all means `./mlruns`.
 */
import { UserError, type RetryOptions } from '@modelops/core';
import { resolve } from 'node:path';
import type { MlflowClient } from './client.ts';
import { fileUriToPath } from './file/format.ts';
import { FileMlflowClient } from './file/file-client.ts';
import { RestMlflowClient, type MlflowAuth } from './rest/rest-client.ts';

/** Options of {@link createMlflowClient}. */
export interface MlflowClientOptions {
  /** The tracking URI; default `MLFLOW_TRACKING_URI` from `env`, else `./mlruns`. */
  trackingUri?: string;
  /** Environment to read `MLFLOW_TRACKING_*` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Directory relative store paths are resolved against (default: the working directory). */
  cwd?: string;
  /** Credentials; default from `MLFLOW_TRACKING_TOKEN` or `MLFLOW_TRACKING_USERNAME`/`_PASSWORD`. */
  auth?: MlflowAuth;
  /** REST: per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** REST: retry policy (default: 4 attempts, jittered backoff from 500 ms). */
  retry?: RetryOptions;
  /** REST: debug log for retries. */
  log?: (line: string) => void;
  /** REST: fetch implementation (default: global). */
  fetch?: typeof fetch;
  /** User recorded on created runs (file store default: the OS user; REST default: the server decides). */
  userId?: string;
}

/** Where a tracking URI points. */
export type TrackingTarget = { backend: 'rest'; url: string } | { backend: 'file'; root: string };

/** The default store directory, as MLflow's `DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH`. */
export const DEFAULT_TRACKING_DIRECTORY = 'mlruns';

/**
 * Resolves a tracking URI to a backend. Schemes MLflow serves from a database (`sqlite:`,
 * `postgresql:`, `mysql:`, `mssql:`) or Databricks are refused with how to reach them over REST.
 */
export function resolveTrackingUri(uri: string | undefined, cwd = process.cwd()): TrackingTarget {
  const value = uri?.trim();
  if (!value) return { backend: 'file', root: resolve(cwd, DEFAULT_TRACKING_DIRECTORY) };
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new UserError(`Tracking URI '${value}' is not a valid URL.`, {
        input: 'MLFLOW_TRACKING_URI',
        fix: 'Give the tracking server as http(s)://host[:port][/prefix], e.g. http://mlflow:5000.',
      });
    }
    return { backend: 'rest', url: value.replace(/\/+$/, '') };
  }
  if (/^file:/i.test(value)) return { backend: 'file', root: fileUriToPath(value) };
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(value)?.[1];
  // A Windows drive letter (C:\…) is a path, not a scheme.
  if (scheme && !(scheme.length === 1 && process.platform === 'win32')) {
    throw new UserError(`Tracking URI scheme '${scheme}:' is not supported by this client.`, {
      input: 'MLFLOW_TRACKING_URI',
      fix:
        scheme === 'databricks'
          ? 'Use the workspace URL (https://<workspace>.cloud.databricks.com) with MLFLOW_TRACKING_TOKEN.'
          : `Serve the store with 'mlflow server --backend-store-uri ${value}' and set MLFLOW_TRACKING_URI to its http:// URL, or use a local mlruns directory.`,
    });
  }
  return { backend: 'file', root: resolve(cwd, value) };
}

/** Credentials from the environment, as MLflow reads them. */
export function authFromEnv(env: Record<string, string | undefined>): MlflowAuth | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return { token };
  const username = env.MLFLOW_TRACKING_USERNAME;
  if (username) return { username, password: env.MLFLOW_TRACKING_PASSWORD ?? '' };
  return undefined;
}

/** Creates the client for a tracking URI (see {@link resolveTrackingUri}). */
export function createMlflowClient(options: MlflowClientOptions = {}): MlflowClient {
  const env = options.env ?? process.env;
  const target = resolveTrackingUri(options.trackingUri ?? env.MLFLOW_TRACKING_URI, options.cwd);
  const userId = options.userId;
  if (target.backend === 'file') {
    return new FileMlflowClient({ root: target.root, ...(userId ? { userId } : {}) });
  }
  const auth = options.auth ?? authFromEnv(env);
  return new RestMlflowClient({
    trackingUri: target.url,
    ...(auth ? { auth } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(userId ? { userId } : {}),
  });
}
