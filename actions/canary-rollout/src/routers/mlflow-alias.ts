/**
 * The `mlflow-alias` router, the embedded default: traffic is described in the MLflow model registry
 * for a serving layer to read.
 *
 * - the stable version is the one the `stable-alias` (default `champion`) points at;
 * - during the rollout the `canary-alias` (default `challenger`) points at the canary, and the
 *   registered-model tag `traffic-tag` (default `modelops.traffic`) holds the split as JSON, version →
 *   percent: `{"3": 90, "4": 10}`;
 * - promote: the stable alias moves to the canary, the canary alias is removed, the tag says
 *   `{"4": 100}`, and the canary version is tagged `modelops.rollout=promoted`;
 * - roll back: the stable alias is put back on the stable version, the canary alias removed (when it
 *   still points at the canary), the tag says `{"3": 100}`, and the canary version is tagged
 *   `modelops.rollout=rolled-back`.
 */
import { UserError, validateOrThrow, type JsonSchema } from '@modelops/core';
import {
  parseModelUri,
  validateAliasName,
  validateKey,
  type MlflowClient,
  type ModelVersion,
} from '@modelops/mlflow-client';
import type { PreparedRollout, Router, RouterMemo } from './types.ts';

/** `router-config` of the mlflow-alias router. */
export interface MlflowAliasConfig {
  'stable-alias'?: string;
  'canary-alias'?: string;
  'traffic-tag'?: string;
}

/** JSON Schema of {@link MlflowAliasConfig}. */
export const MLFLOW_ALIAS_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    'stable-alias': { type: 'string', minLength: 1 },
    'canary-alias': { type: 'string', minLength: 1 },
    'traffic-tag': { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
};

/** The version tag that records how a rollout of the version ended. */
export const ROLLOUT_VERSION_TAG = 'modelops.rollout';

/** Options of {@link MlflowAliasRouter}. */
export interface MlflowAliasRouterOptions {
  /** The `model` input: `models:/<name>/<version>` or `models:/<name>@<alias>`. */
  model: string;
  client: MlflowClient;
  config: MlflowAliasConfig;
  /** Memo saved by an earlier `prepare` (the post step). */
  memo?: RouterMemo;
  /** Environment for MLflow credentials. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

function checked(kind: 'alias' | 'tag', value: string, field: string): string {
  try {
    if (kind === 'alias') validateAliasName(value);
    else validateKey('tag', value);
  } catch (error) {
    throw new UserError(`router-config '${field}': ${(error as Error).message}`, {
      input: 'router-config',
      fix: `Use a valid MLflow ${kind} name for \`${field}\` (letters, digits, _ and -${kind === 'tag' ? ', . / and spaces' : ''}).`,
    });
  }
  return value;
}

/** Moves MLflow aliases and records the split in a registered-model tag; see the module comment. */
export class MlflowAliasRouter implements Router {
  readonly kind = 'mlflow-alias';
  readonly description: string;
  private readonly client: MlflowClient;
  private readonly stableAlias: string;
  private readonly canaryAlias: string;
  private readonly trafficTag: string;
  private readonly modelInput: string;
  private readonly name: string;
  private memo: RouterMemo | undefined;
  private readonly env: Record<string, string | undefined> | undefined;
  private readonly log: ((line: string) => void) | undefined;

  constructor(options: MlflowAliasRouterOptions) {
    const config = validateOrThrow<MlflowAliasConfig>(MLFLOW_ALIAS_CONFIG_SCHEMA, options.config, {
      input: 'router-config',
      what: 'mlflow-alias router config',
    });
    this.client = options.client;
    this.stableAlias = checked('alias', config['stable-alias'] ?? 'champion', 'stable-alias');
    this.canaryAlias = checked('alias', config['canary-alias'] ?? 'challenger', 'canary-alias');
    this.trafficTag = checked('tag', config['traffic-tag'] ?? 'modelops.traffic', 'traffic-tag');
    if (this.stableAlias === this.canaryAlias) {
      throw new UserError(
        `router-config: 'stable-alias' and 'canary-alias' are both '${this.stableAlias}'.`,
        {
          input: 'router-config',
          fix: 'Use two different aliases, e.g. champion and challenger.',
        },
      );
    }
    this.modelInput = options.model;
    const uri = parseModelUri(options.model, 'model');
    if (uri.kind !== 'model-version' && uri.kind !== 'model-alias') {
      throw new UserError(
        `Input 'model' must name a registered model version for router mlflow-alias, got '${options.model}'.`,
        {
          input: 'model',
          fix: 'Write `models:/<name>/<version>` or `models:/<name>@<alias>` (e.g. models:/churn@challenger).',
        },
      );
    }
    this.name = uri.name;
    this.memo = options.memo;
    this.env = options.env;
    this.log = options.log;
    this.description = `MLflow aliases of '${this.name}' (${this.stableAlias} / ${this.canaryAlias}, tag ${this.trafficTag}) at ${this.client.trackingUri}`;
  }

  /** The registered model name. */
  get model(): string {
    return this.name;
  }

  private label(version: string): string {
    return `models:/${this.name}/${version}`;
  }

  private facts(): { canary: string; stable: string | undefined } {
    if (!this.memo?.canary) throw new Error('internal: mlflow-alias router used before prepare()');
    return { canary: this.memo.canary, stable: this.memo.stable || undefined };
  }

  async prepare(): Promise<PreparedRollout> {
    const uri = parseModelUri(this.modelInput, 'model');
    let canary: ModelVersion;
    if (uri.kind === 'model-version') canary = await this.client.getModelVersion(uri.name, uri.version);
    else if (uri.kind === 'model-alias')
      canary = await this.client.getModelVersionByAlias(uri.name, uri.alias);
    else throw new Error('internal: model URI kind checked in the constructor');
    const stable = await this.client.findModelVersionByAlias(this.name, this.stableAlias);
    this.memo = { model: this.name, canary: canary.version, stable: stable?.version ?? '' };
    return {
      stable: stable ? this.label(stable.version) : null,
      canary: this.label(canary.version),
      alreadyStable: stable?.version === canary.version,
      memo: this.memo,
      versions: { canary: canary.version, stable: stable?.version ?? null },
    };
  }

  private async writeTraffic(split: Record<string, number>): Promise<void> {
    await this.client.setRegisteredModelTag(this.name, this.trafficTag, JSON.stringify(split));
  }

  async setWeight(weight: number): Promise<void> {
    const { canary, stable } = this.facts();
    await this.client.setRegisteredModelAlias(this.name, this.canaryAlias, canary);
    const split: Record<string, number> = {};
    if (stable !== undefined) split[stable] = 100 - weight;
    split[canary] = weight;
    await this.writeTraffic(split);
  }

  async promote(): Promise<void> {
    const { canary } = this.facts();
    await this.client.setRegisteredModelAlias(this.name, this.stableAlias, canary);
    await this.client.deleteRegisteredModelAlias(this.name, this.canaryAlias);
    await this.writeTraffic({ [canary]: 100 });
    await this.client.setModelVersionTag(this.name, canary, ROLLOUT_VERSION_TAG, 'promoted');
  }

  async rollback(): Promise<void> {
    const { canary, stable } = this.facts();
    if (stable !== undefined) {
      await this.client.setRegisteredModelAlias(this.name, this.stableAlias, stable);
    } else {
      // A first release: nothing served before, so the stable alias must not point at the canary.
      const current = await this.client.findModelVersionByAlias(this.name, this.stableAlias);
      if (current?.version === canary)
        await this.client.deleteRegisteredModelAlias(this.name, this.stableAlias);
    }
    const aliased = await this.client.findModelVersionByAlias(this.name, this.canaryAlias);
    if (aliased?.version === canary)
      await this.client.deleteRegisteredModelAlias(this.name, this.canaryAlias);
    await this.writeTraffic(stable === undefined ? {} : { [stable]: 100 });
    await this.client.setModelVersionTag(this.name, canary, ROLLOUT_VERSION_TAG, 'rolled-back');
  }
}
