/**
 * Column sinks: where a reader delivers each field of a column. A numeric sink parses into a growable
 * Float64Array, a categorical sink interns into a dictionary and stores Int32 codes. Bad values fail
 * here, with the file, column, row and value in the error.
 */

import { ByteDictionary } from './dictionary.ts';
import { PredictionsFileError, quoteValue } from './errors.ts';
import { parseDecimal } from './numeric.ts';
import type { CategoricalColumn, Column, NumericColumn } from './table.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Receives the values of one column, row by row, from any reader. */
export interface ColumnSink {
  /** Column name in the file. */
  readonly name: string;
  /** Make room for `rows` values so the buffer is not regrown while reading. */
  reserve(rows: number): void;
  /** A raw field as bytes (CSV); `row` is the 1-based data row, for messages. */
  pushBytes(bytes: Uint8Array, start: number, end: number, row: number): void;
  /** A decoded value (JSON Lines, Parquet, quoted CSV fields with escapes). */
  pushValue(value: unknown, row: number): void;
  /** The finished column holding `rows` values. */
  finish(rows: number): Column;
}

/** Rules a numeric column enforces on its values. */
export interface NumericRules {
  /** Reject values below zero (sample weights). */
  nonNegative?: boolean;
}

function growFloat(values: Float64Array, needed: number): Float64Array {
  const next = new Float64Array(Math.max(needed, Math.ceil(values.length * 1.5) + 1024));
  next.set(values);
  return next;
}

function growInt(values: Int32Array, needed: number): Int32Array {
  const next = new Int32Array(Math.max(needed, Math.ceil(values.length * 1.5) + 1024));
  next.set(values);
  return next;
}

/** Trim a buffer to `rows` values, copying only when the spare capacity is worth returning. */
function trimmed<T extends Float64Array | Int32Array>(values: T, rows: number): T {
  if (values.length === rows) return values;
  return (values.length > rows * 1.1 + 1024 ? values.slice(0, rows) : values.subarray(0, rows)) as T;
}

/** A sink that parses numbers into a Float64Array. */
export class NumericSink implements ColumnSink {
  private values: Float64Array = new Float64Array(1024);
  private count = 0;

  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly rules: NumericRules = {},
  ) {}

  reserve(rows: number): void {
    if (rows > this.values.length) this.values = growFloat(this.values, rows);
  }

  pushBytes(bytes: Uint8Array, start: number, end: number, row: number): void {
    const value = parseDecimal(bytes, start, end);
    if (!Number.isFinite(value) || (this.rules.nonNegative && value < 0)) {
      this.reject(decoder.decode(bytes.subarray(start, end)), row);
    }
    if (this.count === this.values.length) this.values = growFloat(this.values, this.count + 1);
    this.values[this.count++] = value;
  }

  pushValue(value: unknown, row: number): void {
    let number: number;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'bigint') number = Number(value);
    else if (typeof value === 'string') {
      const bytes = encoder.encode(value);
      number = parseDecimal(bytes, 0, bytes.length);
    } else {
      this.reject(value === null || value === undefined ? '' : JSON.stringify(value), row);
    }
    if (!Number.isFinite(number) || (this.rules.nonNegative && number < 0)) this.reject(String(value), row);
    if (this.count === this.values.length) this.values = growFloat(this.values, this.count + 1);
    this.values[this.count++] = number;
  }

  private reject(text: string, row: number): never {
    const location = { file: this.file, column: this.name, row, value: text };
    if (text.trim() === '') {
      throw new PredictionsFileError(
        'MISSING_VALUE',
        `${this.file}: column "${this.name}" has no value at row ${row}.`,
        'Fill or drop rows with missing values before evaluating; metrics never guess a value.',
        location,
      );
    }
    if (this.rules.nonNegative && Number(text) < 0) {
      throw new PredictionsFileError(
        'INVALID_VALUE',
        `${this.file}: column "${this.name}" has the negative weight ${quoteValue(text)} at row ${row}.`,
        'Sample weights must be zero or positive.',
        location,
      );
    }
    throw new PredictionsFileError(
      'NON_NUMERIC',
      `${this.file}: column "${this.name}" has the non-numeric value ${quoteValue(text)} at row ${row}.`,
      'The column must hold finite numbers (e.g. 0.73, 1e-5); check the column mapping and the file.',
      location,
    );
  }

  finish(rows: number): NumericColumn {
    return { kind: 'numeric', name: this.name, values: trimmed(this.values, Math.min(rows, this.count)) };
  }
}

/** A sink that dictionary-encodes values; sinks given the same dictionary share codes. */
export class CategoricalSink implements ColumnSink {
  private codes: Int32Array = new Int32Array(1024);
  private count = 0;

  constructor(
    readonly name: string,
    private readonly file: string,
    readonly dictionary: ByteDictionary = new ByteDictionary(),
  ) {}

  reserve(rows: number): void {
    if (rows > this.codes.length) this.codes = growInt(this.codes, rows);
  }

  pushBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.count === this.codes.length) this.codes = growInt(this.codes, this.count + 1);
    this.codes[this.count++] = this.dictionary.internBytes(bytes, start, end);
  }

  pushValue(value: unknown, row: number): void {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      text = String(value);
    } else {
      throw new PredictionsFileError(
        'MISSING_VALUE',
        `${this.file}: column "${this.name}" has no usable value at row ${row} (got ${value === undefined ? 'nothing' : JSON.stringify(value)}).`,
        'Every row needs a value in this column (a string, number or boolean).',
        { file: this.file, column: this.name, row, value: String(value) },
      );
    }
    if (this.count === this.codes.length) this.codes = growInt(this.codes, this.count + 1);
    this.codes[this.count++] = this.dictionary.internText(text);
  }

  finish(rows: number): CategoricalColumn {
    return {
      kind: 'categorical',
      name: this.name,
      codes: trimmed(this.codes, Math.min(rows, this.count)),
      categories: this.dictionary.categories,
    };
  }
}
