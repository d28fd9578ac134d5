/**
 * The byte-level formats of MLflow's file store, so that files written here are the files MLflow's
 * Python code writes, and files it wrote read back exactly:
 *
 * - `meta.yaml` is PyYAML `safe_dump` output (block style, sorted keys, YAML 1.1 scalars). YAML 1.1
 *   is used for both reading and writing, with PyYAML's narrower booleans (`yes/no/true/false/on/off`
 *   but not `y`/`n`), and integers read as big integers first so 18-digit ids stay exact.
 * - metric files hold lines `<timestamp ms> <value> <step>` with the value in Python's float `repr`
 *   (`0.5`, `1.0`, `1e-05`, `nan`, `inf`); old files may have only `<timestamp> <value>`.
 * - params, tags and aliases are files holding the raw value, no trailing newline.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, Scalar, stringify, type ScalarTag, type Tags } from 'yaml';

const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const pyTrue: ScalarTag = {
  identify: (value) => value === true,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: PYYAML_TRUE,
  resolve: () => true,
  stringify: () => 'true',
};
const pyFalse: ScalarTag = {
  identify: (value) => value === false,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: PYYAML_FALSE,
  resolve: () => false,
  stringify: () => 'false',
};

/**
 * PyYAML's float: a dot is required and an exponent needs its sign (`1.0e+5`), so `1e5` stays a
 * string, unlike YAML 1.1 as the `yaml` package reads it. (Infinities and NaN keep the package's tag.)
 */
const pyFloat: ScalarTag = {
  // Integral numbers stay integers (timestamps, enum values); JS cannot tell 2 from 2.0.
  identify: (value) => typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
  resolve: (text) => Number(text.replace(/_/g, '')),
  stringify: ({ value }) => formatPythonFloat(Number(value)),
};

/** YAML 1.1 tags narrowed to what PyYAML's `SafeLoader` resolves (booleans without `y`/`n`, floats). */
function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => {
    if (typeof tag === 'string') return true;
    // Booleans are replaced below; merge keys never occur in MLflow's files and would hide `<<` strings.
    if (tag.tag === 'tag:yaml.org,2002:bool' || tag.tag === 'tag:yaml.org,2002:merge') return false;
    // Keep only the package's infinity/NaN float; the others are replaced by PyYAML's pattern.
    return tag.tag !== 'tag:yaml.org,2002:float' || String(tag.test).includes('inf');
  });
  return [pyTrue, pyFalse, pyFloat, ...kept];
}

/** Strings PyYAML quotes because it reads them as special keys (`=` value, `<<` merge). */
function quoteSpecial(value: unknown): unknown {
  if (value === '=' || value === '<<') {
    const scalar = new Scalar(value);
    scalar.type = 'QUOTE_SINGLE';
    return scalar;
  }
  if (Array.isArray(value)) return value.map(quoteSpecial);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, quoteSpecial(entry)]));
  }
  return value;
}

/** Renders a mapping the way PyYAML's `safe_dump(default_flow_style=False)` does. */
export function dumpYaml(data: Record<string, unknown>): string {
  return stringify(quoteSpecial(data), {
    version: '1.1',
    blockQuote: false,
    customTags: pyyamlTags,
    sortMapEntries: true,
    indentSeq: false,
    singleQuote: true,
    lineWidth: 0,
    nullStr: 'null',
  });
}

/** Parses a `meta.yaml`; integers come back as bigint (see {@link yamlInt}). */
export function parseYaml(text: string): unknown {
  return parse(text, { version: '1.1', customTags: pyyamlTags, intAsBigInt: true });
}

const FLAT_LINE = /^([A-Za-z_][A-Za-z0-9_]*): (.+)$/;
const PLAIN_NULL = /^(?:~|null|Null|NULL)$/;
const PLAIN_DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)$/;
/** Plain scalars that may be numbers or dates (other integer forms, floats, sexagesimals, timestamps). */
const PLAIN_MAYBE_NUMBER = new RegExp(
  [
    '^[-+.]',
    '^[0-9][0-9_]*$',
    '^0[bBxXoO][0-9a-fA-F_]*$',
    '^[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+]?[0-9]+)?$',
    '^[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$',
    '^[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$',
    '^\\d{4}-\\d{1,2}-\\d{1,2}',
  ].join('|'),
);
/** Plain scalars with YAML syntax in them (indicators, comments, mapping colons, edge spaces). */
const PLAIN_SYNTAX = /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|:$|\s$/;

/**
 * The fast path for the files MLflow writes most: flat mappings of `key: scalar` lines (run and
 * experiment `meta.yaml`). Resolves scalars exactly as {@link parseYaml} does and returns undefined
 * for anything else (nesting, multi-line or double-quoted strings, other number forms), which the
 * caller then hands to the full parser. Searches read one `meta.yaml` per run, so this matters.
 */
export function parseFlatYaml(text: string): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const match = FLAT_LINE.exec(line);
    if (!match) return undefined;
    const key = match[1] as string;
    const raw = match[2] as string;
    let value: unknown;
    if (raw === '[]') value = [];
    else if (raw === '{}') value = {};
    else if (raw.startsWith("'")) {
      if (raw.length < 2 || !raw.endsWith("'")) return undefined;
      const inner = raw.slice(1, -1);
      if (/'(?!')/.test(inner.replace(/''/g, ''))) return undefined;
      value = inner.replace(/''/g, "'");
    } else if (PLAIN_NULL.test(raw)) value = null;
    else if (PYYAML_TRUE.test(raw)) value = true;
    else if (PYYAML_FALSE.test(raw)) value = false;
    else if (PLAIN_DECIMAL.test(raw)) value = BigInt(raw);
    else if (PLAIN_MAYBE_NUMBER.test(raw) || PLAIN_SYNTAX.test(raw)) return undefined;
    else value = raw;
    if (Object.prototype.hasOwnProperty.call(result, key)) return undefined;
    result[key] = value;
  }
  return result;
}

/** A YAML integer field as a number (undefined when absent or null). */
export function yamlInt(value: unknown): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A YAML string field (ids written as integers by old MLflow versions become strings). */
export function yamlString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

/** Python's `repr(float)`: shortest round-trip digits, `e` notation outside [1e-4, 1e16). */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.slice(1);
    const exponentSign = exponent < 0 ? '-' : '+';
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction ? `.${fraction}` : ''}e${exponentSign}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1);
  return `${sign}${integerPart}.${fractionPart || '0'}`;
}

/** Python's `float(text)` for what MLflow writes; undefined when it is not a float. */
export function parsePythonFloat(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (/^[+-]?nan$/.test(lower)) return Number.NaN;
  if (/^\+?inf(inity)?$/.test(lower)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(lower)) return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(lower)) return undefined;
  const value = Number(lower.replace(/_/g, ''));
  return Number.isNaN(value) ? undefined : value;
}

/** One metric line as MLflow writes it. */
export function formatMetricLine(timestamp: number, value: number, step: number): string {
  return `${Math.trunc(timestamp)} ${formatPythonFloat(value)} ${Math.trunc(step)}\n`;
}

/** One metric line as MLflow reads it: 2 or 3 space-separated fields; undefined when malformed. */
export function parseMetricLine(
  line: string,
): { timestamp: number; value: number; step: number } | undefined {
  const parts = line.trim().split(' ');
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const timestamp = Number(parts[0]);
  const value = parsePythonFloat(parts[1] ?? '');
  const step = parts.length === 3 ? Number(parts[2]) : 0;
  if (!Number.isInteger(timestamp) || value === undefined || !Number.isInteger(step)) return undefined;
  return { timestamp, value, step };
}

/** `file:///abs/path` for a local path (what MLflow's `path_to_local_file_uri` gives). */
export function pathToFileUri(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

/** The local path of a `file:` URI or a plain path. */
export function fileUriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    // MLflow writes `file:///abs`; accept `file:relative` and `file:/abs` too.
    if (!uri.startsWith('file://')) return resolve(decodeURIComponent(uri.slice('file:'.length)));
    return fileURLToPath(uri);
  }
  return resolve(uri);
}

/**
 * Writes a file atomically: a temporary file in `tempDir` (the entity directory, which MLflow never
 * walks, so a crash cannot leave a stray tag or param behind) is renamed over the target.
 */
export async function writeFileAtomic(
  target: string,
  content: string,
  tempDir = dirname(target),
): Promise<void> {
  const temp = join(tempDir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Appends to a file with one `write` on an `O_APPEND` descriptor: metric files grow by whole lines,
 * so concurrent writers (MLflow itself appends) never lose or interleave points, which a
 * rewrite-and-rename of the whole file could.
 */
export async function appendLines(target: string, content: string): Promise<void> {
  const handle = await open(target, 'a');
  try {
    await handle.write(content);
  } finally {
    await handle.close();
  }
}
