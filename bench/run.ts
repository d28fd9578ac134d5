/**
 * `npm run bench`: every benchmark, side by side with its named peer in one run, printed as a
 * table of figures and ratios (ours / peer; lower is better). Figures are recorded in docs/.
 * `npm run bench -- metrics` runs only the benchmarks whose name contains `metrics`.
 */
import { benchDatasetHash } from './dataset-hash.ts';
import { benchMetrics } from './metrics.ts';

interface Figure {
  name: string;
  ours: number;
  peer: number | null;
  ratio: number | null;
  unit: string;
}

const suites: Record<string, () => Promise<Figure[]>> = {
  'dataset-hash': () => benchDatasetHash(),
  metrics: () => benchMetrics(),
};

const filter = process.argv[2];
const rows: Figure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (filter && !name.includes(filter)) continue;
  console.log(`\n== ${name}`);
  rows.push(...(await run()));
}

const fmt = (n: number | null) => (n === null ? '—' : n >= 100 ? n.toFixed(0) : n.toPrecision(3));
console.log('\n| benchmark | ours | peer | ratio | unit |\n|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.name} | ${fmt(r.ours)} | ${fmt(r.peer)} | ${fmt(r.ratio)} | ${r.unit} |`);
