/**
 * Start-up of each action's step: the committed bundle (`node actions/<name>/dist/index.js`) in a
 * fresh process with no inputs, so it loads every module a step loads at start and stops at its first
 * required input; the peer is Node starting with nothing to load (`node -e 0`). Each is run seven
 * times, alternating, and the best is kept.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './figure.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 7;

function seconds(args: string[]): number {
  const t = performance.now();
  spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
  return (performance.now() - t) / 1000;
}

/** Runs the start-up benchmark of every action and prints one line per action. */
export function benchStartup(): BenchFigure[] {
  const actions = readdirSync(path.join(ROOT, 'actions')).sort();
  execFileSync(process.execPath, ['-e', '0']); // the binary in the page cache for everyone
  const figures: BenchFigure[] = [];
  for (const action of actions) {
    const bundle = path.join(ROOT, 'actions', action, 'dist', 'index.js');
    let ours = Infinity;
    let peer = Infinity;
    for (let k = 0; k < RUNS; k++) {
      ours = Math.min(ours, seconds([bundle]));
      peer = Math.min(peer, seconds(['-e', '0']));
    }
    const figure = {
      name: `${action} step start-up (to its first input) vs node -e 0`,
      ours,
      peer,
      ratio: ours / peer,
      unit: 's',
    };
    console.log(
      `${figure.name}: ours ${ours.toFixed(3)} s, peer ${peer.toFixed(3)} s, ${(ours - peer).toFixed(3)} s over Node's own start`,
    );
    figures.push(figure);
  }
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) benchStartup();
