/** Step outputs: strings as they are, everything else as JSON. */
import * as core from '@actions/core';

/** A value a step output can take. */
export type OutputValue = string | number | boolean | null | readonly unknown[] | Record<string, unknown>;

/** Sets several step outputs at once. */
export function setOutputs(outputs: Record<string, OutputValue | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
}
