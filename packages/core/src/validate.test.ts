import { describe, expect, it } from 'vitest';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AJV_OPTIONS } from './ajv-options.ts';
import { DOCUMENT_SCHEMAS } from './documents/schemas.ts';
import { checkSchema, precompiledValidator, type JsonSchema } from './validate.ts';

/** A validator compiled now, by a fresh ajv with the options of run time. */
function compiledNow(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv2020(AJV_OPTIONS);
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(schema);
}

const HEX64 = 'a'.repeat(64);

/** A document valid against `schema`, every optional key present (the schemas' keywords only). */
function exampleOf(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) return exampleOf(branches[0] as JsonSchema);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>))
        out[key] = exampleOf(child);
      for (const child of Object.values((schema.patternProperties ?? {}) as Record<string, JsonSchema>))
        out.example = exampleOf(child);
      return out;
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items as JsonSchema)] : [];
    case 'string': {
      if (schema.format === 'date-time') return '2026-11-27T10:00:00.000Z';
      if (typeof schema.pattern === 'string') {
        const pattern = new RegExp(schema.pattern);
        const sample = [`sha256:${HEX64}`, HEX64].find((s) => pattern.test(s));
        if (sample === undefined) throw new Error(`no sample string for the pattern ${schema.pattern}`);
        return sample;
      }
      return 'x';
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum + 1 : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  -1,
  0.5,
  2 ** 60,
  '',
  'x',
  '2026-11-27T10:00:00Z',
  'not a date',
  'sha256:' + 'a'.repeat(64),
  [],
  [1, 'a'],
  {},
  { unknown: true },
  true,
];

/** `document` with one value somewhere inside replaced, removed, or a key added. */
function mutate(document: unknown, next: () => number): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  let node: Record<string, unknown> | unknown[] = copy;
  for (let depth = 0; depth < 4; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[Math.floor(next() * keys.length)] as string;
    const child = (node as Record<string, unknown>)[key];
    const roll = next();
    if (child === null || typeof child !== 'object' || roll < 0.3) {
      if (roll < 0.1 && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
      else if (roll < 0.2 && !Array.isArray(node)) (node as Record<string, unknown>).extraKey = 1;
      else (node as Record<string, unknown>)[key] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
      return copy;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

describe('precompiled document validators', () => {
  const kinds = Object.entries(DOCUMENT_SCHEMAS) as [string, unknown][];

  it('serve every document schema (nothing to compile when a step starts)', () => {
    for (const [kind, schema] of kinds) {
      expect(precompiledValidator(schema as JsonSchema), kind).toBeTypeOf('function');
    }
  });

  it('report exactly what a validator compiled now reports, on valid and broken documents', () => {
    const next = random(42);
    for (const [kind, schema] of kinds) {
      const json = schema as JsonSchema;
      const ahead = precompiledValidator(json) as ValidateFunction;
      const now = compiledNow(json);
      const valid = exampleOf(json);
      expect(now(valid), `${kind}: ${JSON.stringify(now.errors)}`).toBe(true); // the example is a valid document
      const documents: unknown[] = [valid, {}, [], null, { kind, schemaVersion: 2 }];
      for (let k = 0; k < 300; k++) documents.push(mutate(valid, next));
      let failures = 0;
      for (const document of documents) {
        const passed = now(document);
        expect(ahead(document), kind).toBe(passed);
        // As JSON: the schemas the errors quote carry TypeBox's symbol keys when compiled now.
        expect(asJson(ahead.errors), `${kind}: ${JSON.stringify(document)}`).toEqual(asJson(now.errors));
        if (!passed) failures++;
      }
      expect(failures, kind).toBeGreaterThan(200); // the mutations do break documents
    }
  });

  it('are not used for a schema edited since the build: it is compiled at run time', () => {
    const edited = structuredClone(DOCUMENT_SCHEMAS.RetrainDecision) as unknown as JsonSchema;
    edited.required = [...(edited.required as string[]), 'newKey'];
    expect(precompiledValidator(edited)).toBeUndefined();
    const document = exampleOf(DOCUMENT_SCHEMAS.RetrainDecision as unknown as JsonSchema);
    expect(checkSchema(DOCUMENT_SCHEMAS.RetrainDecision as unknown as JsonSchema, document)).toEqual([]);
    expect(checkSchema(edited, document)).toEqual([
      { pointer: '/', message: "missing required key 'newKey'" },
    ]);
  });
});
