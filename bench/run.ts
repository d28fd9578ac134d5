/**
 * `npm run bench`: every benchmark, side by side with its named peer in one run, printed as a
 * table of figures and ratios (ours / peer; lower is better). Figures are recorded in docs/.
 * `npm run bench -- metrics` runs only the benchmarks whose name contains `metrics`.
 */
import { benchDatasetHash } from './dataset-hash.ts';
import { benchMetrics } from './metrics.ts';
import type { BenchFigure } from './figure.ts';
import { benchStartup } from './startup.ts';

const suites: Record<string, () => Promise<BenchFigure[]>> = {
  'dataset-hash': () => benchDatasetHash(),
  metrics: () => benchMetrics(),
  startup: async () => benchStartup(),
};

const filter = process.argv[2];
const rows: BenchFigure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (filter && !name.includes(filter)) continue;
  console.log(`\n== ${name}`);
  rows.push(...(await run()));
}

// Suites state their ratios their own way in their logs; the table puts every figure one way.
const fmt = (n: number | null) => (n === null ? '—' : n >= 100 ? n.toFixed(0) : n.toPrecision(3));
console.log('\n| benchmark | ours | peer | ours / peer (lower is better) | unit |\n|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.peer ? r.ours / r.peer : null;
  console.log(`| ${r.name} | ${fmt(r.ours)} | ${fmt(r.peer)} | ${fmt(ratio)} | ${r.unit} |`);
}
