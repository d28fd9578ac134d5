/**
 * JSON Schema validation (draft 2020-12, ajv) with messages a workflow author can act on: the input
 * or file, the JSON pointer, what was expected, what was found, and a hint.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AJV_OPTIONS, schemaFingerprint } from './ajv-options.ts';
import { UserError } from './errors.ts';
import { documentValidators } from './generated/document-validators.js';
import { didYouMean } from './text.ts';

/** A JSON Schema object (kept loose on purpose: schemas come from TypeBox or JSON files). */
export type JsonSchema = Record<string, unknown>;

let ajvInstance: Ajv2020 | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();
let precompiledById: Map<string, { fingerprint: string; validate: ValidateFunction }> | undefined;

/** The ajv instance, built on first use (compiling the meta-schemas costs start-up time). */
function getAjv(): Ajv2020 {
  if (!ajvInstance) {
    ajvInstance = new Ajv2020(AJV_OPTIONS);
    (addFormats as unknown as (a: Ajv2020) => void)(ajvInstance);
  }
  return ajvInstance;
}

/**
 * The validator compiled ahead of time for `schema` (the document schemas, by `npm run build`), or
 * undefined: for other schemas, and for a document schema edited since the build.
 */
export function precompiledValidator(schema: JsonSchema): ValidateFunction | undefined {
  precompiledById ??= new Map(
    documentValidators((name) => (addFormats as unknown as { get(name: string): unknown }).get(name)).map(
      (entry) => [entry.id, entry],
    ),
  );
  const entry = typeof schema.$id === 'string' ? precompiledById.get(schema.$id) : undefined;
  return entry && entry.fingerprint === schemaFingerprint(schema) ? entry.validate : undefined;
}

function compile(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = precompiledValidator(schema);
    if (!fn) {
      const ajv = getAjv();
      const id = typeof schema.$id === 'string' ? schema.$id : undefined;
      fn = (id && ajv.getSchema(id)) || ajv.compile(schema);
    }
    compiled.set(schema, fn);
  }
  return fn;
}

/** Where a validated value came from, for messages. */
export interface ValidationSource {
  /** Action input name, e.g. `spec`. */
  input?: string;
  /** File the value was read from. */
  file?: string;
  /** What the value is, e.g. `gate spec` (default `value`). */
  what?: string;
  /** Extra fix text appended to the generated hint. */
  fix?: string;
}

/** One readable validation problem. */
export interface ValidationProblem {
  /** JSON pointer of the offending value (`/` for the root). */
  pointer: string;
  /** What was expected and what was found. */
  message: string;
}

/** Returns the problems of `value` against `schema` (empty when valid). */
export function checkSchema(schema: JsonSchema, value: unknown): ValidationProblem[] {
  const fn = compile(schema);
  if (fn(value)) return [];
  return simplify(fn.errors ?? [], value);
}

/** Asserts `value` matches `schema`; otherwise throws a {@link UserError} listing the problems. */
export function validateOrThrow<T>(schema: JsonSchema, value: unknown, source: ValidationSource = {}): T {
  const problems = checkSchema(schema, value);
  if (problems.length === 0) return value as T;
  const what = source.what ?? 'value';
  const shown = problems.slice(0, 5).map((p) => `at ${p.pointer}: ${p.message}`);
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  throw new UserError(`Invalid ${what}: ${shown.join('; ')}${more}.`, {
    ...(source.input === undefined ? {} : { input: source.input }),
    ...(source.file === undefined ? {} : { file: source.file }),
    fix:
      source.fix ??
      `Correct the ${what} at the JSON pointer shown${
        typeof schema.$id === 'string' ? ` (schema: ${schema.$id})` : ''
      }.`,
  });
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return json.length > 40 ? kind : `${kind} ${json}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Turns ajv's errors into one readable line per problem, dropping noise from `anyOf`/`oneOf`. */
function simplify(errors: readonly ErrorObject[], root: unknown): ValidationProblem[] {
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  // A failing anyOf/oneOf reports every branch; prefer the most specific (deepest) messages.
  const deepest = new Map<string, number>();
  for (const e of errors)
    deepest.set(e.instancePath, Math.max(deepest.get(e.instancePath) ?? 0, e.schemaPath.length));
  for (const e of errors) {
    const pointer = e.instancePath || '/';
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(
          ((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ??
            {}) as object,
        );
        message = `unknown key '${key}'.${didYouMean(key, allowed)} Allowed: ${allowed.join(', ') || 'none'}`;
        break;
      }
      case 'required':
        message = `missing required key '${(e.params as { missingProperty: string }).missingProperty}'`;
        break;
      case 'enum':
      case 'const': {
        const allowed = (e.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ?? [
          (e.params as { allowedValue?: unknown }).allowedValue,
        ];
        message = `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describeValue(valueAt(root, e.instancePath))}`;
        break;
      }
      case 'type':
        message = `expected ${(e.params as { type: string }).type}, got ${describeValue(valueAt(root, e.instancePath))}`;
        break;
      case 'anyOf':
      case 'oneOf':
        if ((deepest.get(e.instancePath) ?? 0) > e.schemaPath.length) continue;
        message = `does not match any allowed form (got ${describeValue(valueAt(root, e.instancePath))})`;
        break;
      default:
        message = `${e.message ?? 'is invalid'} (got ${describeValue(valueAt(root, e.instancePath))})`;
    }
    const key = `${pointer} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ pointer, message });
    }
  }
  // An anyOf over types yields one `type` error per branch at the same pointer; fold them.
  return foldTypeErrors(out);
}

function foldTypeErrors(problems: ValidationProblem[]): ValidationProblem[] {
  const byPointer = new Map<string, ValidationProblem[]>();
  for (const p of problems) byPointer.set(p.pointer, [...(byPointer.get(p.pointer) ?? []), p]);
  const out: ValidationProblem[] = [];
  for (const [pointer, list] of byPointer) {
    const types = list.filter((p) => p.message.startsWith('expected ') && p.message.includes(', got '));
    if (types.length > 1 && types.length === list.length) {
      const expected = types.map((p) => p.message.slice(9, p.message.indexOf(', got ')));
      const got = types[0]?.message.slice(types[0].message.indexOf(', got ') + 6);
      const unique = [...new Set(expected)];
      const text = unique.every((e) => e.startsWith('one of '))
        ? `one of ${unique.map((e) => e.slice(7)).join(', ')}`
        : unique.join(' or ');
      out.push({ pointer, message: `expected ${text}, got ${got}` });
    } else out.push(...list);
  }
  return out;
}
