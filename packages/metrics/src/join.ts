/**
 * Pairs a candidate's predictions with a baseline's on the same rows: by the id column when both
 * tables have one, otherwise by row order. The true labels must agree row for row.
 */

import { JoinError } from './errors.ts';
import { selectRows, type PredictionTable } from './table.ts';

/** How to pair candidate and baseline rows. */
export interface JoinOptions {
  /** `id`: by the id column (default when both tables have one); `row`: by position. */
  joinBy?: 'id' | 'row';
}

/** Candidate and baseline tables aligned row by row. */
export interface PairedTables<T extends PredictionTable> {
  candidate: T;
  baseline: T;
  joinedBy: 'id' | 'row';
}

function labelText(table: PredictionTable, row: number): string {
  return table.task === 'regression' ? String(table.label[row]) : table.classes[table.label[row]!]!;
}

/** Align `baseline` to `candidate`. Throws a {@link JoinError} naming the first mismatches. */
export function pairTables<T extends PredictionTable>(
  candidate: T,
  baseline: T,
  options: JoinOptions = {},
): PairedTables<T> {
  if (candidate.task !== baseline.task) {
    throw new JoinError(
      `Cannot compare a ${candidate.task} table (${candidate.source}) with a ${baseline.task} table (${baseline.source}).`,
      'Read both prediction files with the same kind of columns.',
    );
  }
  const joinBy = options.joinBy ?? (candidate.id && baseline.id ? 'id' : 'row');
  let aligned: T = baseline;
  if (joinBy === 'id') {
    if (!candidate.id || !baseline.id) {
      throw new JoinError(
        'Joining by id needs an id column in both tables.',
        'Set `id` in both column mappings, or join by row order.',
      );
    }
    const baseRow = new Map<string, number>();
    for (let i = 0; i < baseline.rows; i++) {
      const id = baseline.id.categories[baseline.id.codes[i]!]!;
      if (baseRow.has(id)) {
        throw new JoinError(
          `${baseline.source}: id "${id}" appears more than once.`,
          'Ids must be unique to pair rows.',
        );
      }
      baseRow.set(id, i);
    }
    const index = new Int32Array(candidate.rows);
    const missing: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < candidate.rows; i++) {
      const id = candidate.id.categories[candidate.id.codes[i]!]!;
      if (seen.has(id)) {
        throw new JoinError(
          `${candidate.source}: id "${id}" appears more than once.`,
          'Ids must be unique to pair rows.',
        );
      }
      seen.add(id);
      const row = baseRow.get(id);
      if (row === undefined) missing.push(id);
      else index[i] = row;
    }
    if (missing.length > 0 || candidate.rows !== baseline.rows) {
      const extra = baseline.rows - (candidate.rows - missing.length);
      throw new JoinError(
        `Candidate and baseline do not cover the same rows: ${missing.length} candidate id(s) missing from the baseline` +
          `${
            missing.length > 0
              ? ` (e.g. ${missing
                  .slice(0, 3)
                  .map((id) => `"${id}"`)
                  .join(', ')})`
              : ''
          }, ${extra} baseline id(s) not in the candidate.`,
        'Evaluate both models on the same test set.',
      );
    }
    aligned = selectRows(baseline, index);
  } else if (candidate.rows !== baseline.rows) {
    throw new JoinError(
      `Candidate (${candidate.rows} rows) and baseline (${baseline.rows} rows) differ in length.`,
      'Evaluate both models on the same test set, or join them by an id column.',
    );
  }
  for (let i = 0; i < candidate.rows; i++) {
    const a = labelText(candidate, i);
    const b = labelText(aligned, i);
    if (a !== b) {
      throw new JoinError(
        `Candidate and baseline disagree on the true label at row ${i + 1} ("${a}" vs "${b}").`,
        joinBy === 'row'
          ? 'The files are not in the same order: join them by an id column.'
          : 'Both files must carry the same labels.',
      );
    }
  }
  return { candidate, baseline: aligned, joinedBy: joinBy };
}
