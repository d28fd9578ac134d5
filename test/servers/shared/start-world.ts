import { GitHubServer } from '../github/server.ts';
import { ResultsServer } from '../results/server.ts';
import { actionsRuntimeEnv, type RuntimeEnvOptions } from '../results/runtime-env.ts';
import { GitHubWorld, type GitHubWorldOptions, type WorkflowRunRecord } from './world.ts';

/** Options of {@link startWorld}. */
export interface StartWorldOptions extends GitHubWorldOptions {
  /** Use this world instead of creating one from the other options. */
  readonly world?: GitHubWorld;
  /** Validate the REST server's answers against GitHub's response schemas (default true). */
  readonly validateResponses?: boolean;
  /** One hourly primary rate limit for every REST caller. */
  readonly rateLimit?: number;
}

/** A world with both local servers running. */
export interface StartedWorld {
  readonly world: GitHubWorld;
  readonly github: GitHubServer;
  readonly results: ResultsServer;
  /**
   * The environment a node action step sees in `run` (see {@link actionsRuntimeEnv}).
   * Set it before importing `@actions/artifact` or `@actions/github`: they read `GITHUB_API_URL`
   * once, when first imported.
   */
  env(run: WorkflowRunRecord, options?: RuntimeEnvOptions): Record<string, string>;
  /** Stops both servers. */
  close(): Promise<void>;
}

/**
 * Starts a local GitHub REST server and a local results service sharing one {@link GitHubWorld}.
 *
 * @example
 * const { world, env, close } = await startWorld({ owner: 'acme', repo: 'ml' });
 * const run = world.addWorkflowRun({ workflow: 'train.yml' });
 * const restore = applyEnv(env(run, { workspace, runnerTemp }));
 */
export async function startWorld(options: StartWorldOptions = {}): Promise<StartedWorld> {
  const world = options.world ?? new GitHubWorld(options);
  const github = await GitHubServer.start({
    world,
    ...(options.validateResponses === undefined ? {} : { validateResponses: options.validateResponses }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
  });
  const results = await ResultsServer.start({ world });
  return {
    world,
    github,
    results,
    env: (run, envOptions) =>
      actionsRuntimeEnv(world, run, { githubUrl: github.url, resultsUrl: results.url }, envOptions),
    close: async () => {
      await Promise.all([github.close(), results.close()]);
    },
  };
}
