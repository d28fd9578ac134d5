/**
 * The fingerprint of a training's inputs: sha256 of the canonical JSON of the model name, the
 * dataset hashes, the sorted (path, blob id) lists of the code and config files and the tracked
 * parameters. Content-based, so it is the same on every checkout of the same content.
 *
 * A compact record of those inputs travels with the dispatched training (parameter
 * `fingerprint_inputs`, MLflow tag `modelops.inputs`), so the next decision can name what changed.
 * When a part is too large for an MLflow tag it is replaced by its digest: the next decision can
 * still tell that part changed, not which file.
 */
import { checkSchema, type JsonSchema } from '@modelops/core';
import { canonicalJson, compareCodePoints, contentDigest, type JsonValue } from './canonical.ts';
import type { TrackedFile } from './files.ts';
import type { FlatParams } from './params.ts';

/** Everything a fingerprint is computed from. */
export interface RetrainInputs {
  /** Dataset name → dataset hash. */
  datasets: Record<string, string>;
  code: TrackedFile[];
  config: TrackedFile[];
  /** Tracked parameters, dotted keys. */
  params: FlatParams;
}

/** What a baseline recorded about its inputs: each part in full, as a digest, or not at all. */
export interface RecordedInputs {
  datasets?: Record<string, string> | string;
  code?: TrackedFile[] | string;
  config?: TrackedFile[] | string;
  params?: FlatParams | string;
}

/** The input parts, in the order reasons are reported. */
export const INPUT_PARTS = ['datasets', 'code', 'config', 'params'] as const;

/** Files as the fingerprint sees them: `{path, blob}` only, sorted by path. */
function canonicalFiles(files: readonly TrackedFile[]): TrackedFile[] {
  return files.map(({ path, blob }) => ({ path, blob })).sort((a, b) => compareCodePoints(a.path, b.path));
}

/** The fingerprint (`sha256:<hex>`) of a model's inputs. */
export function computeFingerprint(model: string, inputs: RetrainInputs): string {
  return contentDigest({
    model,
    datasets: inputs.datasets,
    code: canonicalFiles(inputs.code),
    config: canonicalFiles(inputs.config),
    params: inputs.params,
  });
}

/** The digest of one part, computed the same way whether the part came in full or as pairs. */
export function partDigest(part: (typeof INPUT_PARTS)[number], value: RetrainInputs[typeof part]): string {
  if (part === 'code' || part === 'config') return contentDigest(canonicalFiles(value as TrackedFile[]));
  return contentDigest(value);
}

/** Most characters of an MLflow tag value in MLflow 2.x (`MAX_TAG_VAL_LENGTH`). */
export const MLFLOW_TAG_LIMIT = 5000;

/**
 * The compact JSON record of the inputs (files as `[path, blob]` pairs), at most `limit`
 * characters: the largest parts are replaced by their digests until it fits.
 */
export function compactInputs(inputs: RetrainInputs, limit = MLFLOW_TAG_LIMIT): string {
  const record: Record<string, JsonValue> = {
    v: 1,
    datasets: inputs.datasets,
    code: canonicalFiles(inputs.code).map((f) => [f.path, f.blob]),
    config: canonicalFiles(inputs.config).map((f) => [f.path, f.blob]),
    params: inputs.params,
  };
  let text = canonicalJson(record);
  // Largest first, so the parts most useful to name (small ones) stay in full.
  const bySize = INPUT_PARTS.map((part) => ({ part, size: canonicalJson(record[part]).length })).sort(
    (a, b) => b.size - a.size,
  );
  for (const { part } of bySize) {
    if (text.length <= limit) break;
    record[part] = partDigest(part, inputs[part]);
    text = canonicalJson(record);
  }
  return text;
}

const DIGEST = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };
const PAIRS = {
  type: 'array',
  items: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 },
};
const INPUTS_RECORD_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    v: { const: 1 },
    datasets: { anyOf: [DIGEST, { type: 'object', additionalProperties: { type: 'string' } }] },
    code: { anyOf: [DIGEST, PAIRS] },
    config: { anyOf: [DIGEST, PAIRS] },
    params: { anyOf: [DIGEST, { type: 'object' }] },
  },
};
interface InputsRecord {
  datasets?: Record<string, string> | string;
  code?: [string, string][] | string;
  config?: [string, string][] | string;
  params?: FlatParams | string;
}

/**
 * Reads a record written by {@link compactInputs} (a string) or the full inputs of a lock file (an
 * object with `{path, blob}` files). Undefined when the value is not such a record.
 */
export function parseRecordedInputs(value: unknown): RecordedInputs | undefined {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const raw = parsed as Record<string, unknown>;
  const normalized: Record<string, unknown> = { ...raw };
  for (const part of ['code', 'config'] as const) {
    const files = raw[part];
    if (Array.isArray(files) && files.every((f) => f && typeof f === 'object' && !Array.isArray(f))) {
      normalized[part] = (files as { path?: unknown; blob?: unknown }[]).map((f) => [f.path, f.blob]);
    }
  }
  if (checkSchema(INPUTS_RECORD_SCHEMA, normalized).length > 0) return undefined;
  const record = normalized as InputsRecord;
  const out: RecordedInputs = {};
  if (record.datasets !== undefined) out.datasets = record.datasets;
  if (record.params !== undefined) out.params = record.params;
  for (const part of ['code', 'config'] as const) {
    const files = record[part];
    if (files === undefined) continue;
    out[part] = typeof files === 'string' ? files : files.map(([path, blob]) => ({ path, blob }));
  }
  return out;
}
