/**
 * MLflow's `order_by` clauses (`attributes.start_time DESC`, `metrics.auc ASC`, `name`,
 * `version_number DESC`) and the orderings each kind of search falls back to, so every store sorts
 * results the same way and page boundaries agree.
 */
import { InvalidParameterValue } from '../invalid.ts';
import {
  KIND_SPECS,
  Scanner,
  resolveIdentifier,
  type ClauseType,
  type SearchKind,
  type Subject,
} from './filter.ts';

/** One parsed order-by clause. */
export interface OrderClause {
  type: ClauseType;
  key: string;
  ascending: boolean;
}

const ORDERABLE: Record<SearchKind, ReadonlySet<string>> = {
  run: new Set([
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
  'model-version': new Set(['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp']),
  'registered-model': new Set(['name', 'creation_timestamp', 'last_updated_timestamp', 'timestamp']),
  experiment: new Set(['name', 'experiment_id', 'creation_time', 'last_update_time']),
};

/** Parses one clause, e.g. `metrics.auc DESC` or `` tags.`data-hash` ``. */
export function parseOrderClause(clause: string, kind: SearchKind): OrderClause {
  const scanner = new Scanner(clause);
  const raw = scanner.identifier();
  let ascending = true;
  if (scanner.keyword('DESC')) ascending = false;
  else scanner.keyword('ASC');
  if (!scanner.atEnd()) {
    throw new InvalidParameterValue(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  }
  const { type, key } = resolveIdentifier(raw, kind, ORDERABLE[kind]);
  if (kind !== 'run' && type !== 'attribute') {
    throw new InvalidParameterValue(`Invalid order_by entity: ${type}`);
  }
  const aliased = kind === 'registered-model' && key === 'timestamp' ? 'creation_timestamp' : key;
  return { type, key: KIND_SPECS[kind].aliases[aliased] ?? aliased, ascending };
}

/**
 * The full ordering for a search: the caller's clauses, then the kind's defaults and tie-breakers
 * (runs: newest start first, then run id; model versions: last updated first, then name, then
 * highest version; registered models: name; experiments: newest first, then id).
 */
export function parseOrderBy(orderBy: readonly string[] | undefined, kind: SearchKind): OrderClause[] {
  const clauses = (orderBy ?? [])
    .filter((clause) => clause.trim() !== '')
    .map((c) => parseOrderClause(c, kind));
  const has = (key: string) => clauses.some((clause) => clause.type === 'attribute' && clause.key === key);
  const add = (key: string, ascending: boolean) => {
    if (!has(key)) clauses.push({ type: 'attribute', key, ascending });
  };
  switch (kind) {
    case 'run':
      add('start_time', false);
      add('run_id', true);
      break;
    case 'model-version':
      if (clauses.length === 0) add('last_updated_timestamp', false);
      add('name', true);
      add('version_number', false);
      break;
    case 'registered-model':
      add('name', true);
      break;
    case 'experiment':
      if (clauses.length === 0) add('creation_time', false);
      add('experiment_id', true);
      break;
  }
  return clauses;
}

/** Sort rank of a missing or NaN value: they go after every real value, NaN before missing. */
function rank(value: string | number | undefined): number {
  if (value === undefined) return 2;
  if (typeof value === 'number' && Number.isNaN(value)) return 1;
  return 0;
}

/** A comparator over subjects for the given ordering (missing values last in both directions). */
export function compareBy(order: readonly OrderClause[]): (a: Subject, b: Subject) => number {
  return (a, b) => {
    for (const clause of order) {
      const left = a.get(clause.type, clause.key);
      const right = b.get(clause.type, clause.key);
      const rankDifference = rank(left) - rank(right);
      if (rankDifference !== 0) return rankDifference;
      if (rank(left) !== 0 || left === right) continue;
      let difference: number;
      if (typeof left === 'number' && typeof right === 'number') difference = left - right;
      else {
        const l = String(left);
        const r = String(right);
        difference = l < r ? -1 : l > r ? 1 : 0;
      }
      if (difference !== 0) return clause.ascending ? difference : -difference;
    }
    return 0;
  };
}
