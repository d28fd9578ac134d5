/**
 * The entry wrapper every action's `main` uses: runs the step and turns failures into one clear
 * `::error::` line and a failed step. A user's mistake gets its message and fix, never a stack
 * trace; the full detail of every failure goes to the debug log.
 */
import * as core from '@actions/core';
import { isModelopsError } from './errors.ts';

/** Options of {@link runStep}. */
export interface RunStepOptions {
  /** Action name for the bug report line. */
  action?: string;
}

/** The line reported for a failure, by kind. */
export function failureMessage(error: unknown, options: RunStepOptions = {}): string {
  if (isModelopsError(error)) return error.describe();
  const message = error instanceof Error ? error.message : String(error);
  return (
    `${options.action ?? 'The action'} failed unexpectedly: ${message}. ` +
    'This is a bug in modelops-actions: re-run the job with debug logging enabled and report the log.'
  );
}

/** Runs an action step; sets the step failed (exit code 1) on any error. */
export async function runStep(step: () => Promise<void>, options: RunStepOptions = {}): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    if (error instanceof Error && error.cause instanceof Error && error.cause.stack) {
      core.debug(`caused by: ${error.cause.stack}`);
    }
    core.setFailed(failureMessage(error, options));
  }
}
