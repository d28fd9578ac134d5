/**
 * Benchmark of @modelops/metrics against pandas + scikit-learn on the same predictions CSV.
 *
 * 2M rows (label, score, group): both sides read the file and compute accuracy, F1, ROC AUC, log
 * loss and per-group rates, each in its own process; wall time is measured from spawn to exit and
 * peak RSS is reported by each process itself. Then a 10M-row file is evaluated by this package
 * alone to show its memory stays bounded.
 *
 * Our side runs as a single bundled ES module (built here with esbuild, as the actions ship), so
 * the figure is the library's cost, not the TypeScript loader's.
 *
 * Run on its own: npx tsx bench/metrics.ts   (or from bench/run.ts via benchMetrics())
 */

import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRandom } from '../packages/metrics/src/random.ts';
import type { BenchFigure } from './figure.ts';

// Ratios: ours / peer (lower is better).
const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work');
const PYTHON =
  process.env.MODELOPS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Write `rows` rows of label, score (6 decimals), group to `path` once (reused across runs). */
async function generate(path: string, rows: number): Promise<void> {
  if (existsSync(path) && statSync(path).size > 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const random = createRandom(rows);
  const out = createWriteStream(path);
  const write = (text: string) =>
    new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write('label,score,group\n');
  const batch = 50_000;
  for (let start = 0; start < rows; start += batch) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const group = random.nextInt(8);
      const label = random.next() < 0.3 + group * 0.03 ? 1 : 0;
      const score = Math.min(0.999999, Math.max(0, random.next() * 0.75 + label * 0.25 - group * 0.01));
      text += `${label},${score.toFixed(6)},g${group}\n`;
    }
    await write(text);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

interface ChildRun {
  wallSeconds: number;
  report: Record<string, unknown> & { maxRssKb: number };
}

function run(command: string, args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      resolve({ wallSeconds, report: JSON.parse(output.trim().split('\n').pop()!) as ChildRun['report'] });
    });
  });
}

const childBundle = join(work, 'metrics-child.mjs');

/** Bundle bench/metrics-child.ts and the package into one ES module for Node. */
async function bundleChild(): Promise<void> {
  mkdirSync(work, { recursive: true });
  await build({
    entryPoints: [join(here, 'metrics-child.ts')],
    outfile: childBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

const ours = (file: string) => run(process.execPath, [childBundle, file]);
const peer = (file: string) => run(PYTHON, [join(here, 'metrics_reference.py'), file]);

/** Run the benchmark and return its figures (also printed). */
export async function benchMetrics(): Promise<BenchFigure[]> {
  const file2m = join(work, 'metrics-2m.csv');
  const file10m = join(work, 'metrics-10m.csv');
  await bundleChild();
  await generate(file2m, 2_000_000);
  // Warm the page cache for both sides, then measure each side once.
  await ours(file2m);
  const a = await ours(file2m);
  const b = await peer(file2m);
  const mb = (kb: number) => kb / 1024;
  const results: BenchFigure[] = [
    {
      name: 'metrics 2M rows wall time',
      ours: a.wallSeconds,
      peer: b.wallSeconds,
      ratio: a.wallSeconds / b.wallSeconds,
      unit: 's',
    },
    {
      name: 'metrics 2M rows CPU time',
      ours: a.report.cpuSeconds as number,
      peer: b.report.cpuSeconds as number,
      ratio: (a.report.cpuSeconds as number) / (b.report.cpuSeconds as number),
      unit: 's',
    },
    {
      name: 'metrics 2M rows peak RSS',
      ours: mb(a.report.maxRssKb),
      peer: mb(b.report.maxRssKb),
      ratio: a.report.maxRssKb / b.report.maxRssKb,
      unit: 'MB',
    },
  ];
  console.log(`metrics, 2M rows (${(statSync(file2m).size / 1e6).toFixed(1)} MB CSV):`);
  console.log(
    `  ours   ${a.wallSeconds.toFixed(2)} s wall, ${mb(a.report.maxRssKb).toFixed(0)} MB peak RSS ` +
      `(read ${(a.report.readSeconds as number).toFixed(2)} s, metrics ${(a.report.metricsSeconds as number).toFixed(2)} s)`,
  );
  console.log(
    `  pandas+sklearn ${b.wallSeconds.toFixed(2)} s wall, ${mb(b.report.maxRssKb).toFixed(0)} MB peak RSS ` +
      `(imports ${(b.report.importSeconds as number).toFixed(2)} s, read ${(b.report.readSeconds as number).toFixed(2)} s, metrics ${(b.report.metricsSeconds as number).toFixed(2)} s)`,
  );
  const cpu = (r: ChildRun) => (r.report.cpuSeconds as number).toFixed(2);
  console.log(
    `  CPU time (user + system, steadier on a busy machine): ours ${cpu(a)} s, pandas+sklearn ${cpu(b)} s`,
  );
  console.log(
    `  ratio  wall ${results[0]!.ratio!.toFixed(2)}x, RSS ${results[2]!.ratio!.toFixed(2)}x (targets ≤ 0.5x)`,
  );
  for (const key of ['accuracy', 'f1', 'roc_auc', 'log_loss']) {
    const x = a.report[key] as number;
    const y = b.report[key] as number;
    console.log(
      `  ${key.padEnd(9)} ours ${x}  sklearn ${y}  rel. diff ${(Math.abs(x - y) / Math.abs(y)).toExponential(1)}`,
    );
  }

  await generate(file10m, 10_000_000);
  const big = await ours(file10m);
  results.push({
    name: 'metrics 10M rows wall time',
    ours: big.wallSeconds,
    peer: null,
    ratio: null,
    unit: 's',
  });
  results.push({
    name: 'metrics 10M rows peak RSS',
    ours: mb(big.report.maxRssKb),
    peer: null,
    ratio: null,
    unit: 'MB',
  });
  console.log(
    `metrics, 10M rows (${(statSync(file10m).size / 1e6).toFixed(0)} MB CSV): ours ${big.wallSeconds.toFixed(2)} s wall, ${cpu(big)} s CPU, ` +
      `${mb(big.report.maxRssKb).toFixed(0)} MB peak RSS`,
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchMetrics();
}
