/**
 * MLflow's search filter language, for runs, model versions, registered models and experiments:
 * `AND`-ed comparisons such as `tags.fingerprint = 'abc'`, `` tags.`data-hash` != 'x' ``,
 * `params.lr LIKE '0.%'`, `metrics.auc > 0.5`, `attributes.status = 'FINISHED'`,
 * `attributes.start_time >= 1700000000000`, `attributes.run_id IN ('a', 'b')`.
 *
 * Parsed once into {@link Comparison}s, then evaluated against any entity through a {@link Subject}
 * accessor, so the file store and the test server apply exactly the same semantics: a clause on a
 * missing metric, param or tag is false (even `!=`), strings compare case-sensitively, `LIKE` is SQL's
 * (`%` any run, `_` one character, anchored), `ILIKE` is `LIKE` ignoring case.
 */
import { InvalidParameterValue } from '../invalid.ts';

/** What the searched entities are; decides the valid identifiers. */
export type SearchKind = 'run' | 'model-version' | 'registered-model' | 'experiment';

/** The part of an entity a clause reads. */
export type ClauseType = 'metric' | 'param' | 'tag' | 'attribute';

/** A comparison operator. */
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/** One parsed `identifier comparator value` clause. */
export interface Comparison {
  type: ClauseType;
  /** The key, unquoted, with MLflow's aliases translated (`created` → `start_time`). */
  key: string;
  comparator: Comparator;
  value: string | number | string[];
}

/** Read access to one entity for evaluation; `undefined` means "not set". */
export interface Subject {
  get(type: ClauseType, key: string): string | number | undefined;
}

interface KindSpec {
  /** Accepted entity prefixes and what they mean. */
  entities: Record<string, ClauseType>;
  /** Attribute keys a filter may use. */
  searchable: ReadonlySet<string>;
  /** Attribute keys compared as numbers. */
  numeric: ReadonlySet<string>;
  /** Attribute keys that accept a `('a', 'b')` list. */
  listable: ReadonlySet<string>;
  /** Comparators for string attributes. */
  stringComparators: ReadonlySet<Comparator>;
  /** Alternative attribute names. */
  aliases: Record<string, string>;
}

const NUMERIC_COMPARATORS: ReadonlySet<Comparator> = new Set(['>', '>=', '!=', '=', '<', '<=']);
const TEXT_COMPARATORS: ReadonlySet<Comparator> = new Set(['!=', '=', 'LIKE', 'ILIKE']);

const RUN_ENTITIES: Record<string, ClauseType> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};
const REGISTRY_ENTITIES: Record<string, ClauseType> = { attribute: 'attribute', tag: 'tag', tags: 'tag' };

/** @internal per-kind rules, following MLflow's SearchUtils family. */
export const KIND_SPECS: Record<SearchKind, KindSpec> = {
  run: {
    entities: RUN_ENTITIES,
    searchable: new Set([
      'run_id',
      'run_name',
      'user_id',
      'status',
      'start_time',
      'end_time',
      'artifact_uri',
      'lifecycle_stage',
      'experiment_id',
    ]),
    numeric: new Set(['start_time', 'end_time']),
    listable: new Set(['run_id']),
    stringComparators: new Set(['!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']),
    aliases: {
      created: 'start_time',
      Created: 'start_time',
      'run name': 'run_name',
      'Run name': 'run_name',
      'Run Name': 'run_name',
    },
  },
  'model-version': {
    entities: REGISTRY_ENTITIES,
    searchable: new Set(['name', 'version_number', 'run_id', 'source_path']),
    numeric: new Set(['version_number', 'creation_timestamp', 'last_updated_timestamp']),
    listable: new Set(['run_id']),
    stringComparators: new Set(['!=', '=', 'LIKE', 'ILIKE', 'IN']),
    aliases: {},
  },
  'registered-model': {
    entities: REGISTRY_ENTITIES,
    searchable: new Set(['name']),
    numeric: new Set(['creation_timestamp', 'last_updated_timestamp']),
    listable: new Set(),
    stringComparators: new Set(['!=', '=', 'LIKE', 'ILIKE']),
    aliases: {},
  },
  experiment: {
    entities: REGISTRY_ENTITIES,
    searchable: new Set(['name', 'creation_time', 'last_update_time']),
    numeric: new Set(['creation_time', 'last_update_time']),
    listable: new Set(),
    stringComparators: new Set(['!=', '=', 'LIKE', 'ILIKE']),
    aliases: {},
  },
};

/** A dotted identifier as written: its unquoted segments. */
export interface RawIdentifier {
  segments: string[];
  /** Which segments were quoted (backticks or double quotes). */
  quoted: boolean[];
}

/** @internal A cursor over the filter text. */
export class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] ?? '')) this.position++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** Reads a keyword (case-insensitive) if it is next, as a whole word. */
  keyword(word: string): boolean {
    this.skipSpace();
    const slice = this.text.slice(this.position, this.position + word.length);
    const after = this.text[this.position + word.length] ?? '';
    if (slice.toUpperCase() === word && !/[\w.]/.test(after)) {
      this.position += word.length;
      return true;
    }
    return false;
  }

  /** Reads a quoted run starting at the current character; returns its inside. */
  quoted(): string {
    const quote = this.peek();
    const start = this.position;
    let index = this.position + 1;
    while (index < this.text.length) {
      const char = this.text[index];
      if (char === '\\' && quote !== '`') {
        index += 2;
        continue;
      }
      if (char === quote) {
        // SQL doubles a quote to escape it inside a string.
        if (this.text[index + 1] === quote && quote !== '`') {
          index += 2;
          continue;
        }
        this.position = index + 1;
        return this.text.slice(start + 1, index);
      }
      index++;
    }
    throw new InvalidParameterValue(
      `Unterminated ${quote} quote in '${this.text}' at position ${start + 1}.`,
    );
  }

  /** Reads `segment(.segment)*` where a segment is a bare word or a quoted name. */
  identifier(): RawIdentifier {
    this.skipSpace();
    const segments: string[] = [];
    const quoted: boolean[] = [];
    for (;;) {
      const char = this.peek();
      if (char === '`' || char === '"') {
        segments.push(this.quoted());
        quoted.push(true);
      } else {
        const match = /^[A-Za-z0-9_:]+/.exec(this.text.slice(this.position));
        if (!match) break;
        segments.push(match[0]);
        quoted.push(false);
        this.position += match[0].length;
      }
      if (this.peek() !== '.') break;
      this.position++;
    }
    if (segments.length === 0) {
      const rest = this.text.slice(this.position, this.position + 20);
      throw new InvalidParameterValue(
        `Invalid clause(s) in filter string: expected an identifier at '${rest}'.`,
      );
    }
    return { segments, quoted };
  }
}

/** Splits a raw identifier into entity type and key like MLflow (`tags.a.b` → tag `a.b`). */
export function resolveIdentifier(
  raw: RawIdentifier,
  kind: SearchKind,
  validAttributes: ReadonlySet<string>,
): { type: ClauseType; key: string } {
  const spec = KIND_SPECS[kind];
  let type: ClauseType;
  let key: string;
  if (raw.segments.length === 1) {
    type = 'attribute';
    key = raw.segments[0] ?? '';
  } else {
    const entity = raw.segments[0] ?? '';
    const mapped = spec.entities[entity];
    if (!mapped) {
      throw new InvalidParameterValue(
        `Invalid entity type '${entity}'. Valid values are ${JSON.stringify(Object.keys(spec.entities))}`,
      );
    }
    type = mapped;
    key = raw.segments.slice(1).join('.');
  }
  if (type === 'attribute') {
    key = spec.aliases[key] ?? key;
    if (!validAttributes.has(key)) {
      throw new InvalidParameterValue(
        `Invalid attribute key '${key}' specified. Valid keys are '${JSON.stringify([...validAttributes])}'`,
      );
    }
  }
  if (key === '')
    throw new InvalidParameterValue(`Invalid identifier '${raw.segments.join('.')}': the key is empty.`);
  return { type, key };
}

function readComparator(scanner: Scanner): Comparator {
  scanner.skipSpace();
  for (const symbol of ['!=', '>=', '<=', '=', '>', '<'] as const) {
    if (scanner.text.startsWith(symbol, scanner.position)) {
      scanner.position += symbol.length;
      return symbol;
    }
  }
  if (scanner.keyword('NOT')) {
    if (scanner.keyword('IN')) return 'NOT IN';
    throw new InvalidParameterValue(`Invalid clause(s) in filter string: 'NOT' must be followed by 'IN'.`);
  }
  for (const word of ['LIKE', 'ILIKE', 'IN'] as const) if (scanner.keyword(word)) return word;
  const rest = scanner.text.slice(scanner.position, scanner.position + 20);
  throw new InvalidParameterValue(`Invalid comparison clause: expected a comparator at '${rest}'.`);
}

type RawValue =
  { kind: 'string'; text: string } | { kind: 'number'; text: string } | { kind: 'list'; items: string[] };

function readValue(scanner: Scanner): RawValue {
  scanner.skipSpace();
  const char = scanner.peek();
  if (char === "'" || char === '"') return { kind: 'string', text: scanner.quoted() };
  if (char === '(') {
    scanner.position++;
    const items: string[] = [];
    for (;;) {
      scanner.skipSpace();
      if (scanner.peek() !== "'") {
        throw new InvalidParameterValue(
          'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
        );
      }
      items.push(scanner.quoted());
      scanner.skipSpace();
      if (scanner.peek() === ',') {
        scanner.position++;
        continue;
      }
      if (scanner.peek() === ')') {
        scanner.position++;
        return { kind: 'list', items };
      }
      throw new InvalidParameterValue('While parsing a list in the query, expected a closing parenthesis.');
    }
  }
  const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])/.exec(scanner.text.slice(scanner.position));
  if (match) {
    scanner.position += match[0].length;
    return { kind: 'number', text: match[0] };
  }
  const rest = scanner.text.slice(scanner.position, scanner.position + 20);
  throw new InvalidParameterValue(
    `Invalid comparison clause: expected a quoted string or a number at '${rest}'. Quote string values, e.g. 'my-value'.`,
  );
}

function typedValue(kind: SearchKind, type: ClauseType, key: string, comparator: Comparator, raw: RawValue) {
  const spec = KIND_SPECS[kind];
  if (type === 'metric') {
    if (!NUMERIC_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...NUMERIC_COMPARATORS].join(', ')}'`,
      );
    }
    if (raw.kind !== 'number') {
      throw new InvalidParameterValue(`Expected numeric value type for metric. Found ${describeRaw(raw)}`);
    }
    return Number(raw.text);
  }
  if (type === 'param' || type === 'tag') {
    if (!TEXT_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...TEXT_COMPARATORS].join(', ')}'`,
      );
    }
    if (raw.kind !== 'string') {
      throw new InvalidParameterValue(
        `Expected a quoted string value for ${type === 'param' ? 'parameter' : 'tag'} (e.g. 'my-value'). Got value ${describeRaw(raw)}`,
      );
    }
    return raw.text;
  }
  if (spec.numeric.has(key)) {
    if (!NUMERIC_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...NUMERIC_COMPARATORS].join(', ')}'`,
      );
    }
    const text = raw.kind === 'list' ? '' : raw.text;
    const value = Number(text);
    if (
      raw.kind === 'list' ||
      (raw.kind === 'string' && kind !== 'model-version') ||
      text.trim() === '' ||
      !Number.isInteger(value)
    ) {
      throw new InvalidParameterValue(
        `Expected numeric value type for numeric attribute: ${key}. Found ${describeRaw(raw)}`,
      );
    }
    return value;
  }
  if (!spec.stringComparators.has(comparator)) {
    throw new InvalidParameterValue(
      `Invalid comparator '${comparator}' not one of '${[...spec.stringComparators].join(', ')}'`,
    );
  }
  if (raw.kind === 'list') {
    if (!spec.listable.has(key)) {
      throw new InvalidParameterValue(
        `Only the ${[...spec.listable].map((name) => `'${name}'`).join(', ') || 'no'} attribute supports comparison with a list of quoted string values.`,
      );
    }
    if (comparator !== 'IN' && comparator !== 'NOT IN') {
      throw new InvalidParameterValue(
        `A list of values needs the IN or NOT IN comparator, not '${comparator}'.`,
      );
    }
    // MLflow drops ids with capitals: run ids are lower-case hex.
    return key === 'run_id' ? raw.items.filter((item) => item === item.toLowerCase()) : raw.items;
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    throw new InvalidParameterValue(
      `The ${comparator} comparator needs a list of quoted strings, e.g. ('a', 'b').`,
    );
  }
  if (raw.kind !== 'string') {
    throw new InvalidParameterValue(
      `Expected a quoted string value for attributes. Got value ${describeRaw(raw)}`,
    );
  }
  return raw.text;
}

function describeRaw(raw: RawValue): string {
  return raw.kind === 'list' ? `(${raw.items.map((item) => `'${item}'`).join(', ')})` : raw.text;
}

/** Parses a filter string for the given kind of entity; empty/undefined means "everything". */
export function parseFilter(filter: string | undefined, kind: SearchKind): Comparison[] {
  if (!filter || filter.trim() === '') return [];
  const scanner = new Scanner(filter);
  const spec = KIND_SPECS[kind];
  const clauses: Comparison[] = [];
  for (;;) {
    const raw = scanner.identifier();
    const { type, key } = resolveIdentifier(raw, kind, spec.searchable);
    const comparator = readComparator(scanner);
    const value = readValue(scanner);
    clauses.push({ type, key, comparator, value: typedValue(kind, type, key, comparator, value) });
    if (scanner.atEnd()) return clauses;
    if (!scanner.keyword('AND')) {
      const rest = filter.slice(scanner.position).trim();
      throw new InvalidParameterValue(
        `Invalid clause(s) in filter string: '${rest}'. Only AND-ed comparisons are supported (no OR, no parentheses).`,
      );
    }
  }
}

const likeCache = new Map<string, RegExp>();

/** SQL `LIKE` as a regular expression: `%` any run, `_` one character, anchored. */
export function likeToRegExp(pattern: string, ignoreCase = false): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regexp = likeCache.get(cacheKey);
  if (!regexp) {
    let source = '';
    for (const char of pattern) {
      if (char === '%') source += '[\\s\\S]*';
      else if (char === '_') source += '[\\s\\S]';
      else source += char.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    }
    regexp = new RegExp(`^${source}$`, ignoreCase ? 'iu' : 'u');
    if (likeCache.size > 500) likeCache.clear();
    likeCache.set(cacheKey, regexp);
  }
  return regexp;
}

/** Applies a comparator; `lhs` is the entity's value (never undefined here). */
export function compareValues(
  lhs: string | number,
  comparator: Comparator,
  value: Comparison['value'],
): boolean {
  switch (comparator) {
    case '=':
      return lhs === value;
    case '!=':
      return lhs !== value;
    case '>':
      return lhs > (value as number | string);
    case '>=':
      return lhs >= (value as number | string);
    case '<':
      return lhs < (value as number | string);
    case '<=':
      return lhs <= (value as number | string);
    case 'LIKE':
      return likeToRegExp(String(value)).test(String(lhs));
    case 'ILIKE':
      return likeToRegExp(String(value), true).test(String(lhs));
    case 'IN':
      return (value as string[]).includes(String(lhs));
    case 'NOT IN':
      return !(value as string[]).includes(String(lhs));
  }
}

/** True when the entity satisfies every clause. */
export function matchesFilter(clauses: readonly Comparison[], subject: Subject): boolean {
  for (const clause of clauses) {
    const lhs = subject.get(clause.type, clause.key);
    if (lhs === undefined) return false;
    if (!compareValues(lhs, clause.comparator, clause.value)) return false;
  }
  return true;
}

/** The metric, param and tag keys a set of clauses reads (so a store can load only those). */
export function keysRead(
  clauses: readonly { type: ClauseType; key: string }[],
): Record<ClauseType, Set<string>> {
  const keys: Record<ClauseType, Set<string>> = {
    metric: new Set(),
    param: new Set(),
    tag: new Set(),
    attribute: new Set(),
  };
  for (const clause of clauses) keys[clause.type].add(clause.key);
  return keys;
}
