/**
 * Locates the Python that has Debian's python3-sklearn and runs the oracle script once. The tests
 * fail (never skip) with the install command when it is missing.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter (python3-sklearn installs there), overridable with MODELOPS_PYTHON. */
export const PYTHON =
  process.env.MODELOPS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Path of the oracle script. */
export const ORACLE_SCRIPT = fileURLToPath(new URL('./sklearn_oracle.py', import.meta.url));

/** Throw a clear error unless scikit-learn, pandas and scipy import. */
export function requireSklearn(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, pandas, scipy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `The oracle tests need scikit-learn, pandas and scipy in ${PYTHON} (python3 -c 'import sklearn' failed: ` +
        `${(probe.stderr || String(probe.error)).trim().split('\n').pop()}). ` +
        'Install them with: apt-get install -y python3-sklearn python3-pandas',
    );
  }
}

/** Run the oracle on a manifest; returns its parsed output. */
export function runOracle(manifestPath: string, outputPath: string): void {
  execFileSync(PYTHON, [ORACLE_SCRIPT, manifestPath, outputPath], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
