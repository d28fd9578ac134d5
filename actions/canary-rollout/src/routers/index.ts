/**
 * The router registry: the `router` input names one, `router-config` configures it (validated against
 * the router's schema). To add a router, implement {@link Router} in a file of its own and add one
 * entry to {@link ROUTERS}.
 */
import { UserError } from '@modelops/core';
import type { MlflowClient } from '@modelops/mlflow-client';
import { CommandRouter, type CommandConfig } from './command.ts';
import { MlflowAliasRouter, type MlflowAliasConfig } from './mlflow-alias.ts';
import { NginxRouter, type NginxConfig } from './nginx.ts';
import type { Router, RouterMemo } from './types.ts';

export type { Router, RouterMemo, PreparedRollout, StepInfo } from './types.ts';

/** What a router factory gets besides its config. */
export interface RouterContext {
  /** The `model` input (the canary). */
  model: string;
  /** The `stable` input (a label; empty when not given). */
  stable: string | undefined;
  /** Rollout name. */
  name: string;
  /** Workspace. */
  cwd: string;
  /** Environment (credentials of services). */
  env: Record<string, string | undefined>;
  /** Number of steps in the plan. */
  steps: number;
  /** The MLflow client for the `tracking-uri` input (created on demand). */
  mlflow: () => MlflowClient;
  /** Memo of an earlier `prepare` (the post step). */
  memo?: RouterMemo;
  log?: (line: string) => void;
}

interface RouterEntry {
  create(config: unknown, context: RouterContext): Router;
}

/** Every router, by the name the `router` input uses. */
export const ROUTERS: Record<string, RouterEntry> = {
  'mlflow-alias': {
    create: (config, context) => {
      if (context.stable) {
        throw new UserError("Input 'stable' does not apply to router mlflow-alias.", {
          input: 'stable',
          fix: 'Remove it: the stable version is the one the stable alias (router-config `stable-alias`, default champion) points at.',
        });
      }
      return new MlflowAliasRouter({
        model: context.model,
        client: context.mlflow(),
        config: (config ?? {}) as MlflowAliasConfig,
        env: context.env,
        ...(context.memo ? { memo: context.memo } : {}),
        ...(context.log ? { log: context.log } : {}),
      });
    },
  },
  nginx: {
    create: (config, context) =>
      new NginxRouter({
        config: requireConfig('nginx', config, 'file: /etc/nginx/conf.d/model-split.conf') as NginxConfig,
        cwd: context.cwd,
        stable: context.stable || 'stable',
        canary: context.model,
        ...(context.log ? { log: context.log } : {}),
      }),
  },
  command: {
    create: (config, context) =>
      new CommandRouter({
        config: requireConfig('command', config, 'command: ./deploy/route.sh') as CommandConfig,
        cwd: context.cwd,
        name: context.name,
        stable: context.stable || 'stable',
        canary: context.model,
        steps: context.steps,
        ...(context.log ? { log: context.log } : {}),
      }),
  },
};

function requireConfig(kind: string, config: unknown, example: string): unknown {
  if (config === undefined || config === null) {
    throw new UserError(`Router '${kind}' needs 'router-config'.`, {
      input: 'router-config',
      fix: `Add \`router-config: |\` with at least \`${example}\` (see docs/canary-rollout.md).`,
    });
  }
  return config;
}

/** Names the `router` input accepts. */
export const ROUTER_KINDS = Object.keys(ROUTERS);

/** Creates the router `kind` from its parsed config. */
export function createRouter(kind: string, config: unknown, context: RouterContext): Router {
  const entry = ROUTERS[kind];
  if (!entry) throw new Error(`internal: unknown router ${kind}`);
  return entry.create(config, context);
}
