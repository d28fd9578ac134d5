/**
 * The step's inputs, read and checked once (by the main step, and again by the post step, which sees
 * the same `INPUT_*` variables).
 */
import {
  UserError,
  getBooleanInput,
  getChoiceInput,
  getDurationInput,
  getInput,
  getIntegerInput,
  getListInput,
  getOptionalInput,
  parseStructured,
  type InputSource,
} from '@modelops/core';
import { parseModelUri } from '@modelops/mlflow-client';
import { buildPlan, STRATEGIES, type RolloutPlan } from './plan.ts';
import { ROUTER_KINDS } from './routers/index.ts';
import { OBSERVER_KINDS } from './observers/index.ts';

/** The inputs, parsed. */
export interface RolloutInputs {
  /** The canary: an MLflow model URI (mlflow-alias) or a version label. */
  model: string;
  /** Label of the stable version (routers other than mlflow-alias). */
  stable?: string;
  /** Rollout name (artifact `rollout-record-<name>`, state folder). */
  name: string;
  plan: RolloutPlan;
  router: string;
  /** Parsed `router-config` (undefined when empty). */
  routerConfig: unknown;
  observer: string;
  observerConfig: unknown;
  /** Raw `metrics` input (inline YAML or a path). */
  metrics?: string;
  trackingUri?: string;
  environment: string;
  environmentUrl?: string;
  githubToken?: string;
  deployment: boolean;
  upload: boolean;
}

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** The default rollout name: the registered model of a `models:/` URI, else the label made safe. */
export function defaultName(model: string): string {
  if (model.startsWith('models:')) {
    try {
      const uri = parseModelUri(model, 'model');
      if ('name' in uri) return uri.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'model';
    } catch {
      // The router reports a malformed URI with the right message.
    }
  }
  const cleaned = model
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return cleaned || 'model';
}

function structured(name: string, env: InputSource): unknown {
  const value = getOptionalInput(name, { env });
  if (value === undefined) return undefined;
  const parsed = parseStructured(value, { input: name, what: `input '${name}'` });
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new UserError(`Input '${name}' must be a YAML or JSON mapping.`, {
      input: name,
      fix: `Write \`${name}: |\` followed by \`key: value\` lines (see docs/canary-rollout.md).`,
    });
  }
  return parsed ?? undefined;
}

function optionalInteger(name: string, env: InputSource, min: number, max: number): number | undefined {
  return getOptionalInput(name, { env }) === undefined ? undefined : getIntegerInput(name, { env, min, max });
}

/** Reads every input; throws a `UserError` naming the input and the fix. */
export function readInputs(env: InputSource = process.env): RolloutInputs {
  const model = getInput('model', { env, required: true });
  const stable = getOptionalInput('stable', { env });
  if (stable !== undefined && stable === model) {
    throw new UserError(`Inputs 'model' and 'stable' are both '${model}'.`, {
      input: 'stable',
      fix: '`model` is the new version to roll out and `stable` the one serving now; they must differ.',
    });
  }
  const name = getInput('name', { env, fallback: defaultName(model) });
  if (!NAME_PATTERN.test(name)) {
    throw new UserError(`Input 'name' must be 1–100 letters, digits, '.', '_' or '-', got '${name}'.`, {
      input: 'name',
      fix: 'Use a short name such as `churn`; it names the artifact rollout-record-<name>.',
    });
  }
  const stepWeight = optionalInteger('step-weight', env, 1, 100);
  const maxWeight = optionalInteger('max-weight', env, 1, 100);
  const plan = buildPlan({
    strategy: getChoiceInput('strategy', STRATEGIES, { env, fallback: 'canary' }),
    steps: getListInput('steps', { env, commas: true }),
    ...(stepWeight === undefined ? {} : { stepWeight }),
    ...(maxWeight === undefined ? {} : { maxWeight }),
    intervalMs: getDurationInput('interval', { env, fallback: '1m' }),
    iterations: getIntegerInput('iterations', { env, fallback: 1, min: 1, max: 1000 }),
    threshold: getIntegerInput('threshold', { env, fallback: 1, min: 1, max: 1000 }),
    inconclusiveLimit: getIntegerInput('inconclusive-limit', { env, fallback: 2, min: 1, max: 1000 }),
  });
  const router = getChoiceInput('router', ROUTER_KINDS, { env, fallback: 'mlflow-alias' });
  const observer = getChoiceInput('observer', OBSERVER_KINDS, { env, fallback: 'none' });
  const metrics = getOptionalInput('metrics', { env });
  const trackingUri = getOptionalInput('tracking-uri', { env });
  const environmentUrl = getOptionalInput('environment-url', { env });
  const githubToken = getOptionalInput('github-token', { env });
  return {
    model,
    ...(stable === undefined ? {} : { stable }),
    name,
    plan,
    router,
    routerConfig: structured('router-config', env),
    observer,
    observerConfig: structured('observer-config', env),
    ...(metrics === undefined ? {} : { metrics }),
    ...(trackingUri === undefined ? {} : { trackingUri }),
    environment: getInput('environment', { env, fallback: 'production' }),
    ...(environmentUrl === undefined ? {} : { environmentUrl }),
    ...(githubToken === undefined ? {} : { githubToken }),
    deployment: getBooleanInput('deployment', { env, fallback: true }),
    upload: getBooleanInput('upload', { env, fallback: true }),
  };
}
