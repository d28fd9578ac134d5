/**
 * Typed readers for action inputs. They read the runner's `INPUT_<NAME>` variables (as
 * `@actions/core` does) and fail with a {@link UserError} that names the input and the fix.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UserError } from './errors.ts';
import { parseDuration } from './duration.ts';
import { validateOrThrow, type JsonSchema } from './validate.ts';

/** Where inputs come from (default `process.env`); tests pass their own. */
export type InputSource = Record<string, string | undefined>;

/** Options common to the input readers. */
export interface InputOptions {
  /** Fail when the input is empty (default false). */
  required?: boolean;
  /** Read from this environment instead of `process.env`. */
  env?: InputSource;
}

/** The environment variable the runner uses for an input. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function raw(name: string, options: InputOptions): string {
  const value = (options.env ?? process.env)[inputVariable(name)]?.trim() ?? '';
  if (value === '' && options.required) {
    throw new UserError(`Input '${name}' is required but was not given.`, {
      input: name,
      fix: `Add \`${name}:\` under \`with:\` in the step that uses this action.`,
    });
  }
  return value;
}

/** A string input; `fallback` when empty. */
export function getInput(name: string, options: InputOptions & { fallback?: string } = {}): string {
  const value = raw(name, options);
  return value === '' ? (options.fallback ?? '') : value;
}

/** An optional string input: `undefined` when empty. */
export function getOptionalInput(name: string, options: InputOptions = {}): string | undefined {
  const value = raw(name, options);
  return value === '' ? undefined : value;
}

/** A boolean input (YAML 1.2 core schema words: true/True/TRUE/false/False/FALSE). */
export function getBooleanInput(name: string, options: InputOptions & { fallback?: boolean } = {}): boolean {
  const value = raw(name, options);
  if (value === '') {
    if (options.fallback !== undefined) return options.fallback;
    return false;
  }
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UserError(`Input '${name}' must be true or false, got '${value}'.`, {
    input: name,
    fix: `Set \`${name}: true\` or \`${name}: false\`.`,
  });
}

/** An integer input within optional bounds. */
export function getIntegerInput(
  name: string,
  options: InputOptions & { fallback?: number; min?: number; max?: number } = {},
): number {
  const value = raw(name, options);
  if (value === '' && options.fallback !== undefined) return options.fallback;
  const n = Number(value);
  const bounds = `${options.min ?? '-∞'}..${options.max ?? '∞'}`;
  if (
    value === '' ||
    !Number.isInteger(n) ||
    (options.min ?? -Infinity) > n ||
    n > (options.max ?? Infinity)
  ) {
    throw new UserError(`Input '${name}' must be a whole number in ${bounds}, got '${value}'.`, {
      input: name,
      fix: `Set \`${name}:\` to a whole number between ${options.min ?? 'any'} and ${options.max ?? 'any'}.`,
    });
  }
  return n;
}

/** A number input within optional bounds. */
export function getNumberInput(
  name: string,
  options: InputOptions & { fallback?: number; min?: number; max?: number } = {},
): number {
  const value = raw(name, options);
  if (value === '' && options.fallback !== undefined) return options.fallback;
  const n = Number(value);
  if (
    value === '' ||
    !Number.isFinite(n) ||
    (options.min ?? -Infinity) > n ||
    n > (options.max ?? Infinity)
  ) {
    throw new UserError(`Input '${name}' must be a number, got '${value}'.`, {
      input: name,
      fix: `Set \`${name}:\` to a number${options.min !== undefined ? ` ≥ ${options.min}` : ''}${options.max !== undefined ? ` ≤ ${options.max}` : ''}.`,
    });
  }
  return n;
}

/** A duration input (`90s`, `15m`, `1h30m`, `30d`, or plain seconds) in milliseconds. */
export function getDurationInput(name: string, options: InputOptions & { fallback?: string } = {}): number {
  const value = raw(name, options) || options.fallback || '';
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new UserError(`Input '${name}' must be a duration, got '${value}'.`, {
      input: name,
      fix: `Write a duration such as \`90s\`, \`15m\`, \`1h30m\` or \`30d\`.`,
    });
  }
  return ms;
}

/** An optional duration input: `undefined` when empty. */
export function getOptionalDurationInput(name: string, options: InputOptions = {}): number | undefined {
  return raw(name, options) === '' ? undefined : getDurationInput(name, options);
}

/**
 * A multiline list input: one item per line, blank lines and `#` comments dropped. With
 * `commas: true` items may also be separated by commas.
 */
export function getListInput(name: string, options: InputOptions & { commas?: boolean } = {}): string[] {
  const value = raw(name, options);
  return value
    .split(/\r?\n/)
    .flatMap((line) => (options.commas ? line.split(',') : [line]))
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

/** A multiline `key=value` input as an ordered record. */
export function getKeyValueInput(name: string, options: InputOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of getListInput(name, options)) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new UserError(`Input '${name}' expects lines of the form key=value, got '${line}'.`, {
        input: name,
        fix: `Write one \`key=value\` per line under \`${name}: |\`.`,
      });
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** One of a fixed set of words. */
export function getChoiceInput<const T extends string>(
  name: string,
  choices: readonly T[],
  options: InputOptions & { fallback?: T } = {},
): T {
  const value = raw(name, options);
  if (value === '' && options.fallback !== undefined) return options.fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UserError(`Input '${name}' must be one of ${choices.join(', ')}; got '${value}'.`, {
    input: name,
    fix: `Set \`${name}:\` to one of: ${choices.join(', ')}.`,
  });
}

/** Parses YAML (a superset of JSON) and reports syntax errors with their line. */
export function parseStructured(
  text: string,
  source: { input?: string; file?: string; what?: string } = {},
): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new UserError(
      `Cannot parse ${source.what ?? 'the value'} as YAML/JSON${where}: ${(error as Error).message.split('\n')[0]}`,
      {
        ...(source.input === undefined ? {} : { input: source.input }),
        ...(source.file === undefined ? {} : { file: source.file }),
        fix: 'Fix the syntax (indentation, quotes, a missing colon) at the line shown.',
      },
    );
  }
}

/** A JSON or YAML input value, optionally validated against a schema. */
export function getJsonInput<T = unknown>(
  name: string,
  options: InputOptions & { schema?: JsonSchema; fallback?: T; what?: string } = {},
): T {
  const value = raw(name, options);
  if (value === '' && options.fallback !== undefined) return options.fallback;
  const parsed = parseStructured(value, { input: name, what: options.what ?? `input '${name}'` });
  return options.schema
    ? validateOrThrow<T>(options.schema, parsed, { input: name, what: options.what ?? 'value' })
    : (parsed as T);
}

/** Options of {@link readConfigFile}. */
export interface ReadConfigOptions {
  /** The input that named the file. */
  input?: string;
  /** What the file is, e.g. `gate spec`. */
  what?: string;
  /** Schema the content must match. */
  schema?: JsonSchema;
}

/** Options of {@link readInputFile}. */
export interface ReadInputFileOptions {
  /** The input that named the file. */
  input?: string;
  /** What the file is, e.g. `gate spec` (default `file`). */
  what?: string;
  /** The path as the user wrote it, for messages (default the path read). */
  displayPath?: string;
  /** The fix when the file is missing or unreadable. */
  fix?: string;
}

/** Reads a text file an input names; a missing or unreadable file is a {@link UserError} naming both. */
export async function readInputFile(file: string, options: ReadInputFileOptions = {}): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = options.what ?? 'file';
    const shown = options.displayPath ?? file;
    throw new UserError(
      code === 'ENOENT'
        ? `The ${what} '${shown}' does not exist.`
        : `Cannot read the ${what} '${shown}' (${code}).`,
      {
        ...(options.input === undefined ? {} : { input: options.input }),
        file: shown,
        fix:
          options.fix ??
          'Check the path (relative to the workspace) and that an earlier step created the file.',
      },
    );
  }
}

/** Reads a YAML/JSON config file, validating it against a schema when one is given. */
export async function readConfigFile<T = unknown>(file: string, options: ReadConfigOptions = {}): Promise<T> {
  const text = await readInputFile(file, options);
  const source = {
    ...(options.input === undefined ? {} : { input: options.input }),
    file,
    what: options.what ?? 'file',
  };
  const parsed = parseStructured(text, source);
  return options.schema ? validateOrThrow<T>(options.schema, parsed, source) : (parsed as T);
}
