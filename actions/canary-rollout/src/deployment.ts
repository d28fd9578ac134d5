/**
 * The GitHub Deployment of a rollout: one deployment, a status per step ("canary 25% (2/4)"), then
 * success, failure (rolled back) or error (aborted). Bookkeeping must never stop a rollback, so every
 * failure here is a warning, and a token without `deployments: write` turns the feature off with the
 * fix in the log.
 */
import {
  createDeployment,
  describeError,
  setDeploymentStatus,
  type DeploymentState,
  type GitHubClient,
  type RunContext,
} from '@modelops/core';

/** Options of {@link DeploymentTracker.start}. */
export interface DeploymentStartOptions {
  octokit: GitHubClient;
  context: RunContext;
  environment: string;
  environmentUrl?: string;
  description: string;
  payload: Record<string, unknown>;
  warning: (message: string) => void;
}

/** Reports statuses to one deployment; see the module comment. */
export class DeploymentTracker {
  private constructor(
    readonly id: number,
    private readonly octokit: GitHubClient,
    private readonly context: RunContext,
    private readonly environmentUrl: string | undefined,
    private readonly warning: (message: string) => void,
  ) {}

  /** Creates the deployment; undefined (with a warning) when GitHub refuses. */
  static async start(options: DeploymentStartOptions): Promise<DeploymentTracker | undefined> {
    const { context } = options;
    try {
      const id = await createDeployment({
        octokit: options.octokit,
        owner: context.owner,
        repo: context.repo,
        ref: context.sha || context.ref,
        environment: options.environment,
        description: options.description,
        task: 'deploy:model',
        payload: options.payload,
      });
      return new DeploymentTracker(id, options.octokit, context, options.environmentUrl, options.warning);
    } catch (error) {
      options.warning(`No GitHub deployment for this rollout: ${describeError(error)}`);
      return undefined;
    }
  }

  /** Reattaches to an existing deployment (the post step). */
  static attach(
    id: number,
    octokit: GitHubClient,
    context: RunContext,
    environmentUrl: string | undefined,
    warning: (message: string) => void,
  ): DeploymentTracker {
    return new DeploymentTracker(id, octokit, context, environmentUrl, warning);
  }

  /** Adds a status; failures become warnings. */
  async status(state: DeploymentState, description: string): Promise<void> {
    try {
      await setDeploymentStatus({
        octokit: this.octokit,
        owner: this.context.owner,
        repo: this.context.repo,
        deploymentId: this.id,
        state,
        description,
        ...(this.environmentUrl ? { environmentUrl: this.environmentUrl } : {}),
        ...(this.context.runUrl ? { logUrl: this.context.runUrl } : {}),
      });
    } catch (error) {
      this.warning(`Could not set deployment ${this.id} to ${state}: ${describeError(error)}`);
    }
  }
}
