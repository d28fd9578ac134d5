/**
 * Generated names and ids in MLflow's shapes: run names like `brave-owl-123`, 32-hex run ids and
 * 18-digit experiment ids (the file store's `_generate_unique_integer_id`).
 */
import { randomBytes, randomInt } from 'node:crypto';

const PREDICATES = [
  'able',
  'bold',
  'brave',
  'bright',
  'calm',
  'clever',
  'crisp',
  'daring',
  'eager',
  'fair',
  'gentle',
  'glad',
  'honest',
  'keen',
  'kind',
  'lively',
  'lucid',
  'merry',
  'nimble',
  'polite',
  'proud',
  'quick',
  'quiet',
  'rare',
  'shy',
  'smart',
  'steady',
  'swift',
  'tidy',
  'vivid',
  'warm',
  'wise',
];
const NOUNS = [
  'ant',
  'bat',
  'bear',
  'bee',
  'carp',
  'cat',
  'crab',
  'crow',
  'deer',
  'dove',
  'eel',
  'elk',
  'fox',
  'frog',
  'goat',
  'hare',
  'hawk',
  'lark',
  'lynx',
  'mole',
  'moth',
  'newt',
  'owl',
  'ram',
  'seal',
  'slug',
  'swan',
  'toad',
  'vole',
  'wasp',
  'wolf',
  'yak',
];

/** A readable run name, `<adjective>-<animal>-<0..999>`, as MLflow generates when none is given. */
export function generateRunName(): string {
  const predicate = PREDICATES[randomInt(PREDICATES.length)] ?? 'brave';
  const noun = NOUNS[randomInt(NOUNS.length)] ?? 'owl';
  return `${predicate}-${noun}-${randomInt(1000)}`;
}

/** A run id: 32 lower-case hex characters (a uuid4 without dashes). */
export function generateRunId(): string {
  const bytes = randomBytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return bytes.toString('hex');
}

/** An experiment id for the file store: 18 decimal digits, no leading zero. */
export function generateExperimentId(): string {
  let id = String(randomInt(1, 10));
  for (let index = 1; index < 18; index++) id += String(randomInt(10));
  return id;
}
