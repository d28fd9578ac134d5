/**
 * Debian packages the tests need (oracles, real servers). Installed with apt-get when missing — the
 * tests run as root on CI and developer machines of this project — and a clear failure otherwise:
 * a test never skips because a tool is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** A Debian package and a command that proves it works. */
export interface SystemPackage {
  /** Debian package name. */
  name: string;
  /** argv that exits 0 when the package is usable. */
  check: readonly string[];
}

/** Every Debian package the test suite uses. */
export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { name: 'git', check: ['git', '--version'] },
  { name: 'zstd', check: ['zstd', '--version'] },
  { name: 'python3-sklearn', check: ['python3', '-c', 'import sklearn'] },
  { name: 'python3-pandas', check: ['python3', '-c', 'import pandas'] },
  { name: 'python3-yaml', check: ['python3', '-c', 'import yaml'] },
  { name: 'tar', check: ['tar', '--version'] },
  { name: 'nginx-light', check: ['/usr/sbin/nginx', '-v'] },
  { name: 'prometheus', check: ['prometheus', '--version'] },
];

function works(argv: readonly string[]): boolean {
  const [command, ...args] = argv as [string, ...string[]];
  // The machine's python3 may not be Debian's; Debian's packages install into /usr/bin/python3.
  const resolved = command === 'python3' ? '/usr/bin/python3' : command;
  return spawnSync(resolved, args, { stdio: 'ignore' }).status === 0;
}

/** Installs the missing packages; throws with the fix when that is impossible. */
export function ensureSystemPackages(packages: readonly SystemPackage[] = SYSTEM_PACKAGES): void {
  const missing = packages.filter((p) => !works(p.check));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages for the tests: ${names.join(' ')}. Fix: sudo apt-get install -y ${names.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    stdio: 'inherit',
    env,
  });
  const still = missing.filter((p) => !works(p.check));
  if (still.length > 0) throw new Error(`Installed but not working: ${still.map((p) => p.name).join(' ')}`);
}
