/**
 * Canonical JSON and content digests. The fingerprint of a retrain decision must not depend on key
 * order, whitespace or how a YAML file spelled a number, so values are serialised with sorted keys
 * and no whitespace before hashing (the same rule DVC uses for its run-cache keys).
 */
import { createHash } from 'node:crypto';

/** A JSON value as parsed from YAML/JSON files and inputs. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serialises a value with object keys sorted by code point and no whitespace. Non-finite numbers
 * (YAML's `.inf`, `.nan`), which JSON cannot hold, become the strings `Infinity`, `-Infinity` and
 * `NaN` so that they stay distinct from each other and from `null`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort(compareCodePoints);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
}

/** Orders strings by code point (not by UTF-16 unit or locale), as canonical JSON requires. */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!.codePointAt(0)!;
    const y = right[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}

/** `sha256:<hex>` of the canonical JSON of a value. */
export function contentDigest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** True for a `sha256:<64 hex>` digest. */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value);
}
