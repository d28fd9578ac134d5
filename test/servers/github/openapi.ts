import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isRecord } from '../shared/http.ts';

/**
 * GitHub's OpenAPI description (from the `@octokit/openapi` package), used to match requests to
 * operations and to validate parameters, request bodies and responses.
 *
 * The description is large (13 MB), so it is read once per process on first use, and only the
 * schemas of operations actually hit are converted and compiled (then cached).
 */

type JsonObject = Record<string, unknown>;

/** A request matched to a documented operation. */
export interface MatchedOperation {
  readonly method: string;
  /** Path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  readonly template: string;
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
  /** Documentation URL that GitHub puts in error bodies. */
  readonly documentationUrl: string;
}

/** One problem found while validating against the description. */
export interface SchemaIssue {
  /** Where: `path.run_id`, `query.per_page`, `body` or `response`. */
  readonly location: string;
  /** A GitHub-style sentence, e.g. `For 'properties/state', "x" is not a member of [...]`. */
  readonly message: string;
  /** A query parameter the operation does not document (GitHub ignores it; the caller likely has a typo). */
  readonly undocumented?: boolean;
}

/** The result of matching a method and path. */
export type RouteMatch =
  | { readonly kind: 'operation'; readonly operation: MatchedOperation }
  | { readonly kind: 'method-not-allowed'; readonly template: string }
  | { readonly kind: 'unknown-path' };

interface RouteEntry {
  readonly template: string;
  readonly segments: readonly string[];
  readonly methods: ReadonlyMap<string, JsonObject>;
}

interface ParameterSpec {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly schema: unknown;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not', 'additionalItems', 'contains']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
/** OpenAPI-only annotations that are not JSON Schema. */
const DROPPED_KEYWORDS = new Set(['nullable', 'example', 'examples', 'discriminator', 'xml', 'externalDocs']);

/**
 * Converts an OpenAPI 3.0 schema to JSON Schema: `nullable: true` becomes a `null` type (or an
 * `anyOf` with null when there is no `type`), boolean `exclusiveMinimum`/`exclusiveMaximum` become
 * numbers, a string `default` is accepted even when it does not fit the `format`, and
 * OpenAPI-only annotations are dropped. `$ref`s are kept.
 */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (!isRecord(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_KEYWORDS.has(key)) out[key] = openApiToJsonSchema(value);
    else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) out[key] = value.map(openApiToJsonSchema);
    else if (SCHEMA_MAP_KEYWORDS.has(key) && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, openApiToJsonSchema(sub)]),
      );
    } else out[key] = value;
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  if (typeof out.format === 'string' && typeof out.default === 'string') {
    // GitHub documents some fields as `format: uri` with `default: ""` and answers "" when unset:
    // the documented default is accepted as well as the format.
    const format = out.format;
    delete out.format;
    out.allOf = [
      ...(Array.isArray(out.allOf) ? out.allOf : []),
      { anyOf: [{ format }, { const: out.default }] },
    ];
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function collectRefs(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') found.add(value);
    else collectRefs(value, found);
  }
}

function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Turns an ajv error into a sentence close to the ones GitHub writes for invalid requests. */
export function describeAjvError(error: ErrorObject, data: unknown, root: string): string {
  const pointer = error.instancePath;
  const field = pointer ? `${root}${pointer.replace(/\//g, '.')}` : root;
  let value: unknown = data;
  for (const part of pointer.split('/').slice(1)) {
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  }
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `"${String(params.missingProperty)}" wasn't supplied (${field}).`;
    case 'enum':
      return `For '${field}', ${describeValue(value)} is not a member of ${describeValue(params.allowedValues)}.`;
    case 'type':
      return `For '${field}', ${describeValue(value)} is not of type ${String(params.type)}.`;
    case 'additionalProperties':
      return `"${String(params.additionalProperty)}" is not a permitted key (${field}).`;
    default:
      return `For '${field}', ${describeValue(value)} ${error.message ?? 'is invalid'}.`;
  }
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  addFormats(ajv);
  // GitHub's own addresses are not RFC 5322 (e.g. `41898282+github-actions[bot]@users.noreply.github.com`).
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

/** Coerces a query or path string to the primitive type its schema declares (GitHub parses them). */
function coerceParameter(raw: string, schema: unknown): unknown {
  const type = isRecord(schema) ? schema.type : undefined;
  if (type === 'integer' && /^-?\d+$/.test(raw)) return Number(raw);
  if (type === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Lazily loaded, cached view of GitHub's OpenAPI description. */
export class OpenApiCatalog {
  private static instance: OpenApiCatalog | undefined;

  private readonly document: JsonObject;
  private readonly routes: RouteEntry[] = [];
  private readonly converted = new Map<string, unknown>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = newAjv();

  private constructor(document: JsonObject) {
    this.document = document;
    const paths = isRecord(document.paths) ? document.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      if (!isRecord(item)) continue;
      const methods = new Map<string, JsonObject>();
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (isRecord(operation)) {
          const shared = Array.isArray(item.parameters) ? item.parameters : [];
          const own = Array.isArray(operation.parameters) ? operation.parameters : [];
          methods.set(method.toUpperCase(), { ...operation, parameters: [...shared, ...own] });
        }
      }
      this.routes.push({ template, segments: template.split('/').slice(1), methods });
    }
  }

  /** The process-wide catalog (reads `api.github.com.json` from `@octokit/openapi` on first call). */
  static shared(): OpenApiCatalog {
    if (!OpenApiCatalog.instance) {
      const require = createRequire(import.meta.url);
      const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
      OpenApiCatalog.instance = new OpenApiCatalog(JSON.parse(readFileSync(file, 'utf8')) as JsonObject);
    }
    return OpenApiCatalog.instance;
  }

  /** Version of the description (the `@octokit/openapi` release). */
  get version(): string {
    const info = isRecord(this.document.info) ? this.document.info : {};
    return String(info.version ?? 'unknown');
  }

  /**
   * Matches `method` and a URL path to an operation. When several templates match, the one with a
   * literal segment where the other has a parameter wins (GitHub's router does the same).
   */
  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
    let best: RouteEntry | undefined;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const fits = route.segments.every(
        (segment, index) => segment.startsWith('{') || segment === parts[index],
      );
      if (!fits) continue;
      if (!best || this.moreSpecific(route, best)) best = route;
    }
    if (!best) return { kind: 'unknown-path' };
    const operation = best.methods.get(method.toUpperCase());
    if (!operation) return { kind: 'method-not-allowed', template: best.template };
    const pathParams: Record<string, string> = {};
    best.segments.forEach((segment, index) => {
      if (segment.startsWith('{')) pathParams[segment.slice(1, -1)] = decodeURIComponent(parts[index] ?? '');
    });
    const docs = isRecord(operation.externalDocs) ? String(operation.externalDocs.url ?? '') : '';
    return {
      kind: 'operation',
      operation: {
        method: method.toUpperCase(),
        template: best.template,
        operationId: String(operation.operationId),
        pathParams,
        documentationUrl: docs || 'https://docs.github.com/rest',
      },
    };
  }

  /** Validates path and query parameters (types, enums, required) after GitHub-like coercion. */
  validateParameters(op: MatchedOperation, query: URLSearchParams): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    const specs = this.parameters(op);
    const known = new Set(specs.filter((spec) => spec.in === 'query').map((spec) => spec.name));
    for (const name of new Set(query.keys())) {
      if (!known.has(name)) {
        issues.push({
          location: `query.${name}`,
          message: `Query parameter "${name}" is not documented for ${op.operationId}.`,
          undocumented: true,
        });
      }
    }
    for (const spec of specs) {
      if (spec.in !== 'path' && spec.in !== 'query') continue;
      const raw = spec.in === 'path' ? op.pathParams[spec.name] : (query.get(spec.name) ?? undefined);
      if (raw === undefined) {
        if (spec.required)
          issues.push({ location: `${spec.in}.${spec.name}`, message: `"${spec.name}" wasn't supplied.` });
        continue;
      }
      // `created` is documented as a date-time but takes GitHub's search ranges (`>=2026-01-01`, `a..b`).
      const schema = spec.name === 'created' ? { type: 'string' } : spec.schema;
      const validate = this.compile(`param:${op.operationId}:${spec.in}:${spec.name}`, schema);
      const value = coerceParameter(raw, this.resolve(schema));
      if (!validate(value)) {
        for (const error of validate.errors ?? []) {
          issues.push({
            location: `${spec.in}.${spec.name}`,
            message: describeAjvError(error, value, spec.name),
          });
        }
      }
    }
    return issues;
  }

  /** Whether the operation documents a JSON request body, and whether it is required. */
  requestBodyInfo(op: MatchedOperation): { readonly documented: boolean; readonly required: boolean } {
    const body = this.requestBody(op);
    return { documented: body !== undefined, required: body?.required === true };
  }

  /** Validates a JSON request body against the operation's schema. */
  validateBody(op: MatchedOperation, body: unknown): SchemaIssue[] {
    const schema = this.jsonSchemaOf(this.requestBody(op)?.content);
    if (schema === undefined) return [];
    const validate = this.compile(`body:${op.operationId}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((error) => ({
      location: 'body',
      message: describeAjvError(error, body, 'properties'),
    }));
  }

  /**
   * Validates a response body against the schema documented for `status`. A 2xx status the
   * operation does not document is reported too.
   */
  validateResponse(op: MatchedOperation, status: number, body: unknown): SchemaIssue[] {
    const operation = this.operation(op);
    const responses = isRecord(operation.responses) ? operation.responses : {};
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (documented === undefined) {
      return status < 300
        ? [{ location: 'response', message: `Status ${status} is not documented for ${op.operationId}.` }]
        : [];
    }
    const response = this.resolve(documented);
    const schema = isRecord(response) ? this.jsonSchemaOf(response.content) : undefined;
    if (schema === undefined || body === undefined) return [];
    const validate = this.compile(`response:${op.operationId}:${status}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 10).map((error) => ({
      location: 'response',
      message: describeAjvError(error, body, 'response'),
    }));
  }

  /** Names of every documented operation id (for coverage reports). */
  operationIds(): string[] {
    return this.routes.flatMap((route) =>
      [...route.methods.values()].map((operation) => String(operation.operationId)),
    );
  }

  private moreSpecific(candidate: RouteEntry, current: RouteEntry): boolean {
    for (let index = 0; index < candidate.segments.length; index += 1) {
      const a = candidate.segments[index]?.startsWith('{') ?? false;
      const b = current.segments[index]?.startsWith('{') ?? false;
      if (a !== b) return !a;
    }
    return false;
  }

  private operation(op: MatchedOperation): JsonObject {
    const route = this.routes.find((candidate) => candidate.template === op.template);
    const operation = route?.methods.get(op.method);
    if (!operation) throw new Error(`No operation ${op.method} ${op.template} in the description.`);
    return operation;
  }

  private parameters(op: MatchedOperation): ParameterSpec[] {
    const list = this.operation(op).parameters;
    return (Array.isArray(list) ? list : []).flatMap((entry) => {
      const parameter = this.resolve(entry);
      if (!isRecord(parameter)) return [];
      return [
        {
          name: String(parameter.name),
          in: String(parameter.in),
          required: parameter.required === true,
          schema: parameter.schema ?? {},
        },
      ];
    });
  }

  private requestBody(op: MatchedOperation): JsonObject | undefined {
    const body = this.operation(op).requestBody;
    if (body === undefined) return undefined;
    const resolved = this.resolve(body);
    return isRecord(resolved) ? resolved : undefined;
  }

  private jsonSchemaOf(content: unknown): unknown {
    if (!isRecord(content)) return undefined;
    const media = content['application/json'];
    return isRecord(media) ? media.schema : undefined;
  }

  /** Follows `$ref`s (`#/components/...`) until a non-reference node. */
  private resolve(node: unknown): unknown {
    let current = node;
    for (let depth = 0; depth < 20 && isRecord(current) && typeof current.$ref === 'string'; depth += 1) {
      current = this.pointer(current.$ref);
    }
    return current;
  }

  private pointer(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, got ${ref}.`);
    let current: unknown = this.document;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      current = isRecord(current) ? current[key] : undefined;
    }
    if (current === undefined)
      throw new Error(`Reference ${ref} does not resolve in the OpenAPI description.`);
    return current;
  }

  /**
   * Compiles (once) a validator for `schema`, bundling the converted component schemas it refers
   * to, transitively, under `components` so that its `#/components/...` references resolve.
   */
  private compile(cacheKey: string, schema: unknown): ValidateFunction {
    const cached = this.validators.get(cacheKey);
    if (cached) return cached;
    const root = openApiToJsonSchema(this.resolve(schema));
    const components: Record<string, Record<string, unknown>> = {};
    const pending = new Set<string>();
    collectRefs(root, pending);
    const seen = new Set<string>();
    while (pending.size > 0) {
      const [ref] = pending;
      if (ref === undefined) break;
      pending.delete(ref);
      if (seen.has(ref)) continue;
      seen.add(ref);
      const parts = ref.slice(2).split('/');
      const [, section, name] = parts;
      if (parts[0] !== 'components' || !section || !name) throw new Error(`Unsupported reference ${ref}.`);
      let converted = this.converted.get(ref);
      if (converted === undefined) {
        converted = openApiToJsonSchema(this.pointer(ref));
        this.converted.set(ref, converted);
      }
      (components[section] ??= {})[name] = converted;
      const nested = new Set<string>();
      collectRefs(converted, nested);
      for (const next of nested) if (!seen.has(next)) pending.add(next);
    }
    const bundled = isRecord(root) ? { ...root, components } : root;
    const validate = this.ajv.compile(bundled as JsonObject);
    this.validators.set(cacheKey, validate);
    return validate;
  }
}
