/**
 * The traffic plan of a rollout: the canary weights held one after the other, and how long and how
 * often each is checked. `steps: 10,25,50` lists the weights; `step-weight: 10` + `max-weight: 50`
 * generates them (10, 20, … 50) as Flagger does. After the last weight passes its checks the canary
 * is promoted (100 %). Blue-green holds the new version at 0 % (preview) and then at 100 %, checking
 * both, and switches back on a failed check.
 */
import { UserError } from '@modelops/core';

/** Delivery strategies. */
export const STRATEGIES = ['canary', 'blue-green'] as const;
/** A delivery strategy. */
export type Strategy = (typeof STRATEGIES)[number];

/** Weights used when neither `steps` nor `step-weight` is given. */
export const DEFAULT_WEIGHTS: readonly number[] = [10, 25, 50];

/** The max weight used with `step-weight` when `max-weight` is not given. */
export const DEFAULT_MAX_WEIGHT = 50;

/** The plan a controller follows. */
export interface RolloutPlan {
  strategy: Strategy;
  /** Canary weight (percent) of each step, in order. */
  weights: number[];
  /** Wait before each check, in milliseconds. */
  intervalMs: number;
  /** Successful checks a step needs before the next weight. */
  iterations: number;
  /** Failed checks (over the whole rollout) that roll back. */
  threshold: number;
  /** Inconclusive checks (no data, errors; over the whole rollout) that abort. */
  inconclusiveLimit: number;
}

/** What the plan is built from (the inputs, parsed but not yet checked against each other). */
export interface PlanInputs {
  strategy: Strategy;
  /** `steps`, split on commas and lines; empty when not given. */
  steps: string[];
  stepWeight?: number;
  maxWeight?: number;
  intervalMs: number;
  iterations: number;
  threshold: number;
  inconclusiveLimit: number;
}

function parseWeight(text: string): number {
  const value = Number(text.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(text) || !Number.isInteger(value) || value < 1 || value > 100) {
    throw new UserError(`Input 'steps' has '${text}', which is not a whole percentage from 1 to 100.`, {
      input: 'steps',
      fix: 'List whole percentages in increasing order, e.g. `steps: 10,25,50`.',
    });
  }
  return value;
}

/** Generated weights: `step`, `2·step`, … up to `max` (the last one is `max` itself). */
export function generatedWeights(step: number, max: number): number[] {
  const weights: number[] = [];
  for (let weight = step; weight < max; weight += step) weights.push(weight);
  weights.push(max);
  return weights;
}

/** Checks the inputs against each other and builds the plan. */
export function buildPlan(inputs: PlanInputs): RolloutPlan {
  const { strategy } = inputs;
  const common = {
    strategy,
    intervalMs: inputs.intervalMs,
    iterations: inputs.iterations,
    threshold: inputs.threshold,
    inconclusiveLimit: inputs.inconclusiveLimit,
  };
  if (strategy === 'blue-green') {
    const extra =
      inputs.steps.length > 0 ? 'steps' : inputs.stepWeight !== undefined ? 'step-weight' : undefined;
    if (extra) {
      throw new UserError(`Input '${extra}' does not apply to \`strategy: blue-green\`.`, {
        input: extra,
        fix: 'Blue-green checks the new version at 0 % (preview) and at 100 %; remove the input, or use `strategy: canary`.',
      });
    }
    return { ...common, weights: [0, 100] };
  }
  if (inputs.steps.length > 0 && inputs.stepWeight !== undefined) {
    throw new UserError("Inputs 'steps' and 'step-weight' both define the canary weights.", {
      input: 'step-weight',
      fix: 'Keep one: `steps: 10,25,50` or `step-weight: 10` with `max-weight: 50`.',
    });
  }
  if (inputs.maxWeight !== undefined && inputs.stepWeight === undefined) {
    throw new UserError("Input 'max-weight' needs 'step-weight'.", {
      input: 'max-weight',
      fix: 'Add `step-weight:` (e.g. 10), or list the weights with `steps:` instead.',
    });
  }
  let weights: number[];
  if (inputs.steps.length > 0) {
    weights = inputs.steps.map(parseWeight);
    for (let i = 1; i < weights.length; i++) {
      if ((weights[i] as number) <= (weights[i - 1] as number)) {
        throw new UserError(`Input 'steps' must increase, but ${weights[i]} follows ${weights[i - 1]}.`, {
          input: 'steps',
          fix: 'List the canary weights in increasing order, e.g. `steps: 10,25,50,100`.',
        });
      }
    }
  } else if (inputs.stepWeight !== undefined) {
    const max = inputs.maxWeight ?? DEFAULT_MAX_WEIGHT;
    if (inputs.stepWeight > max) {
      throw new UserError(
        `Input 'step-weight' (${inputs.stepWeight}) is larger than 'max-weight' (${max}).`,
        {
          input: 'step-weight',
          fix: 'Make `step-weight` at most `max-weight`.',
        },
      );
    }
    weights = generatedWeights(inputs.stepWeight, max);
  } else {
    weights = [...DEFAULT_WEIGHTS];
  }
  return { ...common, weights };
}

/** Rough time to promote when every check passes: interval × checks (Flagger's estimate). */
export function timeToPromoteMs(plan: RolloutPlan): number {
  return plan.intervalMs * plan.iterations * plan.weights.length;
}
