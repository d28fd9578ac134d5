/**
 * The real services both steps of the action (main and post) run with: MLflow, GitHub, the record
 * artifact, the job summary and the log. Tests pass their own instead.
 */
import * as core from '@actions/core';
import { appendJobSummary, createGitHubClient, publishDocument, readContext } from '@modelops/core';
import { createMlflowClient } from '@modelops/mlflow-client';
import type { CleanupDeps } from './cleanup.ts';

/** The services shared by {@link CleanupDeps} and the main step's dependencies. */
export type RolloutServices = Pick<
  CleanupDeps,
  | 'cwd'
  | 'env'
  | 'now'
  | 'mlflow'
  | 'github'
  | 'publishRecord'
  | 'appendSummary'
  | 'info'
  | 'warning'
  | 'debug'
>;

/** The services of a step; `token` (the `github-token` input) uploads the record. */
export function realServices(token: string | undefined): RolloutServices {
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
  return {
    cwd,
    env: process.env,
    now: () => new Date(),
    mlflow: (trackingUri) =>
      createMlflowClient({ ...(trackingUri ? { trackingUri } : {}), env: process.env, cwd, log: core.debug }),
    github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: core.info }),
    publishRecord: (name, record) => publishDocument('RolloutRecord', name, record, token ? { token } : {}),
    appendSummary: (markdown) => appendJobSummary(markdown),
    info: core.info,
    warning: (message) => core.warning(message),
    debug: core.debug,
  };
}
