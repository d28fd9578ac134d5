/**
 * Sets environment variables for the duration of a test and restores the previous values.
 *
 * The Actions toolkit clients read `process.env` (some of them once, at import time), so tests set
 * the runtime variables before importing a client and restore them afterwards.
 *
 * @returns a function that puts back every variable exactly as it was (deleting the ones that were unset).
 */
export function applyEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    previous.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Runs `fn` with `vars` applied, restoring the environment afterwards even when `fn` throws. */
export async function withEnv<T>(
  vars: Readonly<Record<string, string | undefined>>,
  fn: () => Promise<T>,
): Promise<T> {
  const restore = applyEnv(vars);
  try {
    return await fn();
  } finally {
    restore();
  }
}
