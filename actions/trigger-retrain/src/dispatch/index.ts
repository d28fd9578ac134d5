/** Creates the dispatcher for the chosen engine. */
import { createGitHubClient } from '@modelops/core';
import type { DispatchSetting } from '../inputs.ts';
import { ArgoDispatcher } from './argo.ts';
import { RepositoryDispatcher, WorkflowDispatcher } from './github.ts';
import { KubeflowDispatcher } from './kubeflow.ts';
import type { Dispatcher } from './types.ts';

export * from './types.ts';

/** What dispatchers need besides their settings. */
export interface DispatcherContext {
  model: string;
  /** GitHub REST base URL (`GITHUB_API_URL`). */
  githubApiUrl?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  log?: (line: string) => void;
  /** Milliseconds between looks for a dispatched GitHub run. */
  pollIntervalMs?: number;
  /** How long to look for a dispatched GitHub run the server did not name. */
  discoveryTimeoutMs?: number;
}

/** The dispatcher of a setting; undefined for `dispatch: none`. */
export async function createDispatcher(
  setting: DispatchSetting,
  context: DispatcherContext,
): Promise<Dispatcher | undefined> {
  const common = {
    ...(context.sleep ? { sleep: context.sleep } : {}),
    ...(context.log ? { log: context.log } : {}),
  };
  switch (setting.engine) {
    case 'none':
      return undefined;
    case 'github-workflow':
    case 'repository-dispatch': {
      const [owner = '', repo = ''] = setting.repository.split('/');
      const github = {
        octokit: await createGitHubClient(setting.token, {
          ...(context.githubApiUrl ? { apiUrl: context.githubApiUrl } : {}),
          ...(context.log ? { log: context.log } : {}),
        }),
        owner,
        repo,
        ...common,
        ...(context.now ? { now: context.now } : {}),
        ...(context.pollIntervalMs === undefined ? {} : { pollIntervalMs: context.pollIntervalMs }),
        ...(context.discoveryTimeoutMs === undefined
          ? {}
          : { discoveryTimeoutMs: context.discoveryTimeoutMs }),
      };
      return setting.engine === 'github-workflow'
        ? new WorkflowDispatcher({ ...github, workflow: setting.workflow, ref: setting.ref })
        : new RepositoryDispatcher({ ...github, eventType: setting.eventType });
    }
    case 'kubeflow':
      return new KubeflowDispatcher({
        url: setting.url,
        model: context.model,
        pipelineId: setting.pipelineId,
        ...(setting.pipelineVersionId ? { pipelineVersionId: setting.pipelineVersionId } : {}),
        ...(setting.experimentId ? { experimentId: setting.experimentId } : {}),
        ...(setting.token ? { token: setting.token } : {}),
        ...common,
      });
    case 'argo':
      return new ArgoDispatcher({
        url: setting.url,
        namespace: setting.namespace,
        template: setting.template,
        model: context.model,
        ...(setting.token ? { token: setting.token } : {}),
        ...common,
      });
  }
}
