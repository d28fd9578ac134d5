/**
 * The example's dataset: synthetic customer churn, deterministic from a seed, so the same rows (and
 * therefore the same dataset hash) come out on every machine. Features: tenure, monthly charges,
 * support calls, contract and payment method; `region` is the group column of the fairness checks;
 * `churned` is the label, drawn from a logistic model of the features, so there is signal to learn.
 */
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The columns of every data file, in order. */
export const COLUMNS = [
  'customer_id',
  'tenure_months',
  'monthly_charges',
  'support_calls',
  'contract',
  'payment_method',
  'region',
  'churned',
] as const;

/** Where the splits live, relative to the workspace. */
export const DATA_FILES = {
  train: 'data/train/customers.csv',
  test: 'data/test/customers.csv',
} as const;

/** Options of {@link ensureDataset}. */
export interface DatasetOptions {
  /** Base seed (default 42). */
  seed?: number;
  /** Rows of the training split (default 2400). */
  trainRows?: number;
  /** Rows of the test split (default 800). */
  testRows?: number;
}

/** What {@link ensureDataset} and {@link appendTrainingRows} did. */
export interface DatasetState {
  /** Absolute paths of the split files. */
  files: { train: string; test: string };
  /** Data rows per split (header excluded). */
  rows: { train: number; test: number };
  /** True when the files were written now (they did not exist). */
  created: boolean;
}

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same stream everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  let u = random();
  for (const [value, weight] of weighted) {
    if (u < weight) return value;
    u -= weight;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

const CONTRACTS = [
  ['month-to-month', 0.55],
  ['one-year', 0.25],
  ['two-year', 0.2],
] as const;
const PAYMENTS = [
  ['card', 0.35],
  ['bank-transfer', 0.3],
  ['electronic-check', 0.35],
] as const;
const REGIONS = [
  ['north', 0.3],
  ['south', 0.25],
  ['east', 0.25],
  ['west', 0.2],
] as const;
const CONTRACT_EFFECT: Record<string, number> = { 'month-to-month': 1.1, 'one-year': -0.2, 'two-year': -1.3 };

/** One customer as a CSV line (no newline). */
function customerLine(id: string, random: () => number): string {
  const tenure = 1 + Math.floor(random() * 72);
  const charges = 20 + random() * 100;
  // Support calls: mostly few, a long tail (geometric with p = 0.45, at most 9).
  let calls = 0;
  while (calls < 9 && random() > 0.45) calls++;
  const contract = pick(random, CONTRACTS);
  const payment = pick(random, PAYMENTS);
  const region = pick(random, REGIONS);
  const logit =
    -0.4 -
    0.045 * tenure +
    0.022 * (charges - 70) +
    0.38 * calls +
    (CONTRACT_EFFECT[contract] ?? 0) +
    (payment === 'electronic-check' ? 0.55 : 0);
  const churned = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  return [id, tenure, charges.toFixed(2), calls, contract, payment, region, churned].join(',');
}

/** `count` customers with ids `<prefix>-<n>` from `firstNumber` on, each line ending in a newline. */
export function customerRows(prefix: string, firstNumber: number, count: number, seed: number): string {
  const random = seededRandom(seed);
  let out = '';
  for (let i = 0; i < count; i++) {
    out += `${customerLine(`${prefix}-${String(firstNumber + i).padStart(6, '0')}`, random)}\n`;
  }
  return out;
}

async function dataRows(file: string): Promise<number | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return Math.max(0, text.split('\n').filter((line) => line !== '').length - 1);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the train and test splits under `workspace` when they do not exist yet; existing files are
 * left as they are (they may hold appended rows), so the dataset hash only changes when rows change.
 */
export async function ensureDataset(workspace: string, options: DatasetOptions = {}): Promise<DatasetState> {
  const seed = options.seed ?? 42;
  const files = {
    train: path.join(workspace, DATA_FILES.train),
    test: path.join(workspace, DATA_FILES.test),
  };
  const header = `${COLUMNS.join(',')}\n`;
  let created = false;
  for (const [split, rows, prefix, splitSeed] of [
    ['train', options.trainRows ?? 2400, 'TR', seed],
    ['test', options.testRows ?? 800, 'TE', seed + 1_000_003],
  ] as const) {
    const file = files[split];
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, header + customerRows(prefix, 1, rows, splitSeed));
    created = true;
  }
  return {
    files,
    rows: { train: (await dataRows(files.train)) ?? 0, test: (await dataRows(files.test)) ?? 0 },
    created,
  };
}

/**
 * Appends `count` new customers to the training split — new labelled data arriving, which changes
 * the dataset hash. The rows are seeded by how many rows the file has, so the same sequence of
 * appends gives the same files.
 */
export async function appendTrainingRows(
  workspace: string,
  count = 200,
  options: Pick<DatasetOptions, 'seed'> = {},
): Promise<number> {
  const file = path.join(workspace, DATA_FILES.train);
  const existing = await dataRows(file);
  if (existing === undefined) throw new Error(`cannot append rows: ${file} does not exist`);
  await appendFile(
    file,
    customerRows('TR', existing + 1, count, (options.seed ?? 42) + 7919 * (existing + 1)),
  );
  return existing + count;
}
