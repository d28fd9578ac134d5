/**
 * GitHub Deployments for rollouts: one deployment per rollout and a status per step, so the
 * environment page shows "canary 25% (2/4)" and then success or failure.
 */
import type { GitHubClient } from './github.ts';
import { toGitHubError } from './github.ts';

/** Deployment states GitHub accepts. */
export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/** Options of {@link createDeployment}. */
export interface CreateDeploymentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  ref: string;
  environment: string;
  description?: string;
  task?: string;
  payload?: Record<string, unknown>;
  transient?: boolean;
  production?: boolean;
}

/** Creates a deployment (no merge, no required contexts); returns its id. */
export async function createDeployment(options: CreateDeploymentOptions): Promise<number> {
  const { octokit, owner, repo } = options;
  try {
    const response = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.ref,
      task: options.task ?? 'deploy:model',
      auto_merge: false,
      required_contexts: [],
      environment: options.environment,
      ...(options.payload === undefined ? {} : { payload: options.payload as { [key: string]: unknown } }),
      ...(options.description === undefined ? {} : { description: clip(options.description) }),
      transient_environment: options.transient ?? false,
      production_environment: options.production ?? options.environment === 'production',
    });
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(`unexpected response ${response.status}`);
    }
    return response.data.id;
  } catch (error) {
    throw toGitHubError(error, 'create deployment', 'deployments: write');
  }
}

/** Options of {@link setDeploymentStatus}. */
export interface DeploymentStatusOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** Adds a status to a deployment (description clipped to GitHub's 140 characters). */
export async function setDeploymentStatus(options: DeploymentStatusOptions): Promise<void> {
  const { octokit, owner, repo } = options;
  try {
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: options.deploymentId,
      state: options.state,
      ...(options.description === undefined ? {} : { description: clip(options.description) }),
      ...(options.environmentUrl === undefined ? {} : { environment_url: options.environmentUrl }),
      ...(options.logUrl === undefined ? {} : { log_url: options.logUrl }),
      auto_inactive: options.state === 'success',
    });
  } catch (error) {
    throw toGitHubError(error, `set deployment ${options.deploymentId} status`, 'deployments: write');
  }
}

function clip(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
