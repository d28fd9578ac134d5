/** The runner-faithful test harness: run committed action bundles like the GitHub runner does. */
export * from './node.ts';
export * from './run-action.ts';
