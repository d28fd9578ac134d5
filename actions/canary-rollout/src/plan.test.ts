import { describe, it, expect } from 'vitest';
import { UserError } from '@modelops/core';
import { buildPlan, generatedWeights, timeToPromoteMs, type PlanInputs } from './plan.ts';

const base: PlanInputs = {
  strategy: 'canary',
  steps: [],
  intervalMs: 60_000,
  iterations: 1,
  threshold: 1,
  inconclusiveLimit: 2,
};

function error(inputs: Partial<PlanInputs>): UserError {
  try {
    buildPlan({ ...base, ...inputs });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('buildPlan', () => {
  it('takes the listed weights, with or without %', () => {
    expect(buildPlan({ ...base, steps: ['10', '25%', '50', '100'] }).weights).toEqual([10, 25, 50, 100]);
  });

  it('defaults to 10, 25, 50', () => {
    expect(buildPlan(base).weights).toEqual([10, 25, 50]);
  });

  it('generates step-weight increments up to max-weight, ending exactly at the max', () => {
    expect(buildPlan({ ...base, stepWeight: 10 }).weights).toEqual([10, 20, 30, 40, 50]);
    expect(buildPlan({ ...base, stepWeight: 20, maxWeight: 90 }).weights).toEqual([20, 40, 60, 80, 90]);
    expect(generatedWeights(25, 100)).toEqual([25, 50, 75, 100]);
  });

  it('checks blue-green at 0 % (preview) and then at 100 %', () => {
    expect(buildPlan({ ...base, strategy: 'blue-green' }).weights).toEqual([0, 100]);
    expect(error({ strategy: 'blue-green', steps: ['10'] }).input).toBe('steps');
  });

  it('refuses weights that do not increase, or are not whole percentages', () => {
    expect(error({ steps: ['10', '10'] }).message).toBe("Input 'steps' must increase, but 10 follows 10.");
    expect(error({ steps: ['0'] }).input).toBe('steps');
    expect(error({ steps: ['12.5'] }).message).toMatch(/not a whole percentage/);
    expect(error({ steps: ['101'] }).input).toBe('steps');
    expect(error({ steps: ['ten'] }).input).toBe('steps');
  });

  it('refuses conflicting inputs, naming them', () => {
    expect(error({ steps: ['10'], stepWeight: 10 }).input).toBe('step-weight');
    expect(error({ maxWeight: 50 }).input).toBe('max-weight');
    expect(error({ stepWeight: 60, maxWeight: 50 }).input).toBe('step-weight');
  });

  it('estimates the time to promote as Flagger does', () => {
    expect(timeToPromoteMs(buildPlan({ ...base, stepWeight: 10, iterations: 2 }))).toBe(60_000 * 2 * 5);
  });
});
