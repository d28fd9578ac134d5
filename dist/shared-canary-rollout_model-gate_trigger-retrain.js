import { createRequire as __modelopsCreateRequire } from 'node:module';
const require = __modelopsCreateRequire(import.meta.url);
import { d as distExports, R as RemoteError, U as UserError, H as HttpClient, a as HttpError } from './shared.js';
import { writeFile, rename, rm, open, stat, readdir, readFile, mkdir } from 'node:fs/promises';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve, join, basename, dirname, posix } from 'node:path';
import 'node:zlib';
import { userInfo } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const pyTrue = {
  identify: (value) => value === true,
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: PYYAML_TRUE,
  resolve: () => true,
  stringify: () => "true"
};
const pyFalse = {
  identify: (value) => value === false,
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: PYYAML_FALSE,
  resolve: () => false,
  stringify: () => "false"
};
const pyFloat = {
  // Integral numbers stay integers (timestamps, enum values); JS cannot tell 2 from 2.0.
  identify: (value) => typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value),
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
  resolve: (text) => Number(text.replace(/_/g, "")),
  stringify: ({ value }) => formatPythonFloat(Number(value))
};
function pyyamlTags(tags) {
  const kept = tags.filter((tag) => {
    if (typeof tag === "string") return true;
    if (tag.tag === "tag:yaml.org,2002:bool" || tag.tag === "tag:yaml.org,2002:merge") return false;
    return tag.tag !== "tag:yaml.org,2002:float" || String(tag.test).includes("inf");
  });
  return [pyTrue, pyFalse, pyFloat, ...kept];
}
function quoteSpecial(value) {
  if (value === "=" || value === "<<") {
    const scalar = new distExports.Scalar(value);
    scalar.type = "QUOTE_SINGLE";
    return scalar;
  }
  if (Array.isArray(value)) return value.map(quoteSpecial);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, quoteSpecial(entry)]));
  }
  return value;
}
function dumpYaml(data) {
  return distExports.stringify(quoteSpecial(data), {
    version: "1.1",
    blockQuote: false,
    customTags: pyyamlTags,
    sortMapEntries: true,
    indentSeq: false,
    singleQuote: true,
    lineWidth: 0,
    nullStr: "null"
  });
}
function parseYaml(text) {
  return distExports.parse(text, { version: "1.1", customTags: pyyamlTags, intAsBigInt: true });
}
const FLAT_LINE = /^([A-Za-z_][A-Za-z0-9_]*): (.+)$/;
const PLAIN_NULL = /^(?:~|null|Null|NULL)$/;
const PLAIN_DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)$/;
const PLAIN_MAYBE_NUMBER = new RegExp(
  [
    "^[-+.]",
    "^[0-9][0-9_]*$",
    "^0[bBxXoO][0-9a-fA-F_]*$",
    "^[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+]?[0-9]+)?$",
    "^[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$",
    "^[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$",
    "^\\d{4}-\\d{1,2}-\\d{1,2}"
  ].join("|")
);
const PLAIN_SYNTAX = /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|:$|\s$/;
function parseFlatYaml(text) {
  const result = {};
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const match = FLAT_LINE.exec(line);
    if (!match) return void 0;
    const key = match[1];
    const raw = match[2];
    let value;
    if (raw === "[]") value = [];
    else if (raw === "{}") value = {};
    else if (raw.startsWith("'")) {
      if (raw.length < 2 || !raw.endsWith("'")) return void 0;
      const inner = raw.slice(1, -1);
      if (/'(?!')/.test(inner.replace(/''/g, ""))) return void 0;
      value = inner.replace(/''/g, "'");
    } else if (PLAIN_NULL.test(raw)) value = null;
    else if (PYYAML_TRUE.test(raw)) value = true;
    else if (PYYAML_FALSE.test(raw)) value = false;
    else if (PLAIN_DECIMAL.test(raw)) value = BigInt(raw);
    else if (PLAIN_MAYBE_NUMBER.test(raw) || PLAIN_SYNTAX.test(raw)) return void 0;
    else value = raw;
    if (Object.prototype.hasOwnProperty.call(result, key)) return void 0;
    result[key] = value;
  }
  return result;
}
function yamlInt(value) {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return void 0;
}
function yamlString(value) {
  if (value === void 0 || value === null) return void 0;
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return void 0;
}
function formatPythonFloat(value) {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.slice(1);
    const exponentSign = exponent < 0 ? "-" : "+";
    const exponentDigits = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${digits[0]}${fraction ? `.${fraction}` : ""}e${exponentSign}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fractionPart = digits.slice(exponent + 1);
  return `${sign}${integerPart}.${fractionPart || "0"}`;
}
function parsePythonFloat(text) {
  const lower = text.trim().toLowerCase();
  if (/^[+-]?nan$/.test(lower)) return Number.NaN;
  if (/^\+?inf(inity)?$/.test(lower)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(lower)) return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(lower)) return void 0;
  const value = Number(lower.replace(/_/g, ""));
  return Number.isNaN(value) ? void 0 : value;
}
function formatMetricLine(timestamp, value, step) {
  return `${Math.trunc(timestamp)} ${formatPythonFloat(value)} ${Math.trunc(step)}
`;
}
function parseMetricLine(line) {
  const parts = line.trim().split(" ");
  if (parts.length !== 2 && parts.length !== 3) return void 0;
  const timestamp = Number(parts[0]);
  const value = parsePythonFloat(parts[1] ?? "");
  const step = parts.length === 3 ? Number(parts[2]) : 0;
  if (!Number.isInteger(timestamp) || value === void 0 || !Number.isInteger(step)) return void 0;
  return { timestamp, value, step };
}
function pathToFileUri(path) {
  return pathToFileURL(resolve(path)).href;
}
function fileUriToPath(uri) {
  if (uri.startsWith("file:")) {
    if (!uri.startsWith("file://")) return resolve(decodeURIComponent(uri.slice("file:".length)));
    return fileURLToPath(uri);
  }
  return resolve(uri);
}
async function writeFileAtomic(target, content, tempDir = dirname(target)) {
  const temp = join(tempDir, `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, content, { encoding: "utf8", flag: "wx" });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
async function appendLines(target, content) {
  const handle = await open(target, "a");
  try {
    await handle.write(content);
  } finally {
    await handle.close();
  }
}

class MlflowError extends RemoteError {
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  errorCode;
  /** Existing names close to the one asked for (may be empty). */
  suggestions;
  constructor(message, options) {
    super(message, options);
    this.errorCode = options.errorCode;
    this.suggestions = options.suggestions ?? [];
  }
}
class MlflowNotFoundError extends MlflowError {
}
class MlflowAlreadyExistsError extends MlflowError {
}
class MlflowInvalidParameterError extends MlflowError {
}
class MlflowAliasNotFoundError extends MlflowInvalidParameterError {
}
function mlflowErrorFor(message, options) {
  switch (options.errorCode) {
    case "RESOURCE_DOES_NOT_EXIST":
      return new MlflowNotFoundError(message, options);
    case "RESOURCE_ALREADY_EXISTS":
      return new MlflowAlreadyExistsError(message, options);
    case "INVALID_PARAMETER_VALUE":
      return new MlflowInvalidParameterError(message, options);
    default:
      return new MlflowError(message, options);
  }
}
function editDistance(a, b) {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
function nearestNames(wanted, candidates, limit = 3) {
  const target = wanted.toLowerCase();
  const scored = [];
  for (const name of new Set(candidates)) {
    const lower = name.toLowerCase();
    const distance = editDistance(lower, target);
    const plausible = distance <= Math.max(2, Math.ceil(Math.max(lower.length, target.length) / 3));
    if (!plausible && !(target.length > 0 && lower.includes(target))) continue;
    scored.push({ name, score: distance });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}
function quoteList(names) {
  const quoted = names.map((name) => `'${name}'`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

const MODELS_FORM = "Models URIs must be of the form 'models:/<model_name>/<version>', 'models:/<model_name>@<alias>', 'models:/<model_name>/latest' or 'models:/<model_name>/<stage>'.";
const RUNS_FORM = "Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'.";
function bad(uri, form, input) {
  const kind = uri.startsWith("runs:") ? "runs:/" : "models:/";
  return new UserError(`'${uri}' is not a proper ${kind} URI.`, {
    fix: form,
    ...input === void 0 ? {} : { input }
  });
}
function pathOf(uri, scheme) {
  let rest = uri.slice(scheme.length + 1);
  if (rest.startsWith("//")) {
    const authorityEnd = rest.indexOf("/", 2);
    const authority = authorityEnd === -1 ? rest.slice(2) : rest.slice(2, authorityEnd);
    if (authority !== "") return void 0;
    rest = authorityEnd === -1 ? "" : rest.slice(authorityEnd);
  }
  return rest;
}
function parseModelUri(uri, input) {
  const trimmed = uri.trim();
  if (trimmed.startsWith("models:")) {
    const path = pathOf(trimmed, "models");
    if (path === void 0 || !path.startsWith("/") || path.length <= 1)
      throw bad(trimmed, MODELS_FORM, input);
    const parts = path.slice(1).split("/");
    if (parts.length > 2 || (parts[0] ?? "").trim() === "") throw bad(trimmed, MODELS_FORM, input);
    const name = parts[0] ?? "";
    if (parts.length === 2) {
      const suffix = parts[1] ?? "";
      if (suffix.trim() === "" || name.includes("@")) throw bad(trimmed, MODELS_FORM, input);
      if (/^\d+$/.test(suffix))
        return { kind: "model-version", uri: trimmed, name, version: String(Number(suffix)) };
      if (suffix.toLowerCase() === "latest") return { kind: "model-latest", uri: trimmed, name };
      return { kind: "model-stage", uri: trimmed, name, stage: suffix };
    }
    const at = name.lastIndexOf("@");
    if (at <= 0 || at === name.length - 1) throw bad(trimmed, MODELS_FORM, input);
    return { kind: "model-alias", uri: trimmed, name: name.slice(0, at), alias: name.slice(at + 1) };
  }
  if (trimmed.startsWith("runs:")) {
    const path = pathOf(trimmed, "runs");
    if (path === void 0 || !path.startsWith("/") || path.length <= 1) throw bad(trimmed, RUNS_FORM, input);
    const [runId = "", ...rest] = path.slice(1).split("/");
    if (runId === "") throw bad(trimmed, RUNS_FORM, input);
    return { kind: "run-artifact", uri: trimmed, runId, artifactPath: rest.join("/") };
  }
  throw new UserError(`'${trimmed}' is not a model URI.`, {
    fix: `Use 'models:/<name>/<version>', 'models:/<name>@<alias>' or 'runs:/<run_id>/<path>'.`,
    ...input === void 0 ? {} : { input }
  });
}
function joinArtifactUri(root, path) {
  if (path === "") return root;
  return `${root.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
async function resolveModelUri(resolver, uri) {
  const parsed = typeof uri === "string" ? parseModelUri(uri) : uri;
  if (parsed.kind === "run-artifact") {
    const run = await resolver.getRun(parsed.runId);
    return {
      kind: "run-artifact",
      uri: parsed,
      run,
      artifactUri: joinArtifactUri(run.info.artifactUri, parsed.artifactPath)
    };
  }
  let modelVersion;
  switch (parsed.kind) {
    case "model-version":
      modelVersion = await resolver.getModelVersion(parsed.name, parsed.version);
      break;
    case "model-alias":
      modelVersion = await resolver.getModelVersionByAlias(parsed.name, parsed.alias);
      break;
    case "model-latest":
      modelVersion = await resolver.getLatestModelVersion(parsed.name);
      break;
    case "model-stage":
      modelVersion = await resolver.getLatestModelVersion(parsed.name, parsed.stage);
      break;
  }
  let artifactUri = modelVersion.source;
  if (artifactUri.startsWith("runs:")) {
    const source = parseModelUri(artifactUri);
    if (source.kind === "run-artifact") {
      const run = await resolver.getRun(source.runId);
      artifactUri = joinArtifactUri(run.info.artifactUri, source.artifactPath);
    }
  }
  return { kind: "model-version", uri: parsed, modelVersion, artifactUri };
}

const ITERATION_PAGE_SIZE = 1e3;
async function* iteratePages(fetchPage) {
  let pageToken;
  do {
    const page = await fetchPage(pageToken);
    yield* page.items;
    pageToken = page.nextPageToken;
  } while (pageToken);
}
function canonicalStage(stage) {
  const known = ["None", "Staging", "Production", "Archived"];
  return known.find((name) => name.toLowerCase() === stage.toLowerCase()) ?? stage;
}
class BaseMlflowClient {
  async getOrCreateExperiment(name, options) {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing;
    try {
      return await this.getExperiment(await this.createExperiment(name, options));
    } catch (error) {
      if (!(error instanceof MlflowAlreadyExistsError)) throw error;
      const created = await this.getExperimentByName(name);
      if (!created) throw error;
      return created;
    }
  }
  finishRun(runId, status = "FINISHED") {
    return this.updateRun(runId, { status, endTime: Date.now() });
  }
  iterateRuns(options) {
    return iteratePages(
      (pageToken) => this.searchRuns({
        ...options,
        maxResults: options.maxResults ?? ITERATION_PAGE_SIZE,
        ...pageToken ? { pageToken } : {}
      })
    );
  }
  iterateMetricHistory(runId, key) {
    return iteratePages(
      (pageToken) => this.getMetricHistory(runId, key, { maxResults: 25e3, ...pageToken ? { pageToken } : {} })
    );
  }
  iterateModelVersions(options = {}) {
    return iteratePages(
      (pageToken) => this.searchModelVersions({
        ...options,
        maxResults: options.maxResults ?? ITERATION_PAGE_SIZE,
        ...pageToken ? { pageToken } : {}
      })
    );
  }
  async getLatestModelVersion(name, stage) {
    const model = await this.getRegisteredModel(name);
    const wanted = stage === void 0 ? void 0 : canonicalStage(stage);
    const candidates = model.latestVersions.filter(
      (version) => wanted === void 0 || version.currentStage === wanted
    );
    const newest = candidates.reduce(
      (best, version) => best === void 0 || Number(version.version) > Number(best.version) ? version : best,
      void 0
    );
    if (!newest) {
      const where = wanted === void 0 ? "" : ` in stage '${wanted}'`;
      const stages = [...new Set(model.latestVersions.map((version) => version.currentStage))];
      throw new MlflowNotFoundError(`Registered model '${name}' has no versions${where}.`, {
        service: `MLflow at ${this.trackingUri}`,
        call: `latest version of '${name}'`,
        errorCode: "RESOURCE_DOES_NOT_EXIST",
        suggestions: stages,
        fix: wanted === void 0 ? `Register a version first (e.g. mlflow.register_model), or check the model name.` : `Stages with versions: ${stages.length ? stages.join(", ") : "none"}. Prefer aliases (models:/${name}@champion) over stages.`
      });
    }
    return this.getModelVersion(name, newest.version);
  }
  async findModelVersionByAlias(name, alias) {
    try {
      return await this.getModelVersionByAlias(name, alias);
    } catch (error) {
      if (error instanceof MlflowAliasNotFoundError) return void 0;
      throw error;
    }
  }
  resolveModelUri(uri) {
    return resolveModelUri(this, uri);
  }
}
function toPairs(input) {
  if (!input) return [];
  if (Array.isArray(input)) return input.map(({ key, value }) => ({ key, value: String(value) }));
  return Object.entries(input).map(([key, value]) => ({ key, value: String(value) }));
}

class InvalidParameterValue extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidParameterValue";
  }
}

const NUMERIC_COMPARATORS = /* @__PURE__ */ new Set([">", ">=", "!=", "=", "<", "<="]);
const TEXT_COMPARATORS = /* @__PURE__ */ new Set(["!=", "=", "LIKE", "ILIKE"]);
const RUN_ENTITIES = {
  metric: "metric",
  metrics: "metric",
  parameter: "param",
  parameters: "param",
  param: "param",
  params: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute"
};
const REGISTRY_ENTITIES = { attribute: "attribute", tag: "tag", tags: "tag" };
const KIND_SPECS = {
  run: {
    entities: RUN_ENTITIES,
    searchable: /* @__PURE__ */ new Set([
      "run_id",
      "run_name",
      "user_id",
      "status",
      "start_time",
      "end_time",
      "artifact_uri",
      "lifecycle_stage",
      "experiment_id"
    ]),
    numeric: /* @__PURE__ */ new Set(["start_time", "end_time"]),
    listable: /* @__PURE__ */ new Set(["run_id"]),
    stringComparators: /* @__PURE__ */ new Set(["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"]),
    aliases: {
      created: "start_time",
      Created: "start_time",
      "run name": "run_name",
      "Run name": "run_name",
      "Run Name": "run_name"
    }
  },
  "model-version": {
    entities: REGISTRY_ENTITIES,
    searchable: /* @__PURE__ */ new Set(["name", "version_number", "run_id", "source_path"]),
    numeric: /* @__PURE__ */ new Set(["version_number", "creation_timestamp", "last_updated_timestamp"]),
    listable: /* @__PURE__ */ new Set(["run_id"]),
    stringComparators: /* @__PURE__ */ new Set(["!=", "=", "LIKE", "ILIKE", "IN"]),
    aliases: {}
  },
  "registered-model": {
    entities: REGISTRY_ENTITIES,
    searchable: /* @__PURE__ */ new Set(["name"]),
    numeric: /* @__PURE__ */ new Set(["creation_timestamp", "last_updated_timestamp"]),
    listable: /* @__PURE__ */ new Set(),
    stringComparators: /* @__PURE__ */ new Set(["!=", "=", "LIKE", "ILIKE"]),
    aliases: {}
  },
  experiment: {
    entities: REGISTRY_ENTITIES,
    searchable: /* @__PURE__ */ new Set(["name", "creation_time", "last_update_time"]),
    numeric: /* @__PURE__ */ new Set(["creation_time", "last_update_time"]),
    listable: /* @__PURE__ */ new Set(),
    stringComparators: /* @__PURE__ */ new Set(["!=", "=", "LIKE", "ILIKE"]),
    aliases: {}
  }
};
class Scanner {
  constructor(text) {
    this.text = text;
  }
  text;
  position = 0;
  skipSpace() {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] ?? "")) this.position++;
  }
  atEnd() {
    this.skipSpace();
    return this.position >= this.text.length;
  }
  peek() {
    return this.text[this.position] ?? "";
  }
  /** Reads a keyword (case-insensitive) if it is next, as a whole word. */
  keyword(word) {
    this.skipSpace();
    const slice = this.text.slice(this.position, this.position + word.length);
    const after = this.text[this.position + word.length] ?? "";
    if (slice.toUpperCase() === word && !/[\w.]/.test(after)) {
      this.position += word.length;
      return true;
    }
    return false;
  }
  /** Reads a quoted run starting at the current character; returns its inside. */
  quoted() {
    const quote = this.peek();
    const start = this.position;
    let index = this.position + 1;
    while (index < this.text.length) {
      const char = this.text[index];
      if (char === "\\" && quote !== "`") {
        index += 2;
        continue;
      }
      if (char === quote) {
        if (this.text[index + 1] === quote && quote !== "`") {
          index += 2;
          continue;
        }
        this.position = index + 1;
        return this.text.slice(start + 1, index);
      }
      index++;
    }
    throw new InvalidParameterValue(
      `Unterminated ${quote} quote in '${this.text}' at position ${start + 1}.`
    );
  }
  /** Reads `segment(.segment)*` where a segment is a bare word or a quoted name. */
  identifier() {
    this.skipSpace();
    const segments = [];
    const quoted = [];
    for (; ; ) {
      const char = this.peek();
      if (char === "`" || char === '"') {
        segments.push(this.quoted());
        quoted.push(true);
      } else {
        const match = /^[A-Za-z0-9_:]+/.exec(this.text.slice(this.position));
        if (!match) break;
        segments.push(match[0]);
        quoted.push(false);
        this.position += match[0].length;
      }
      if (this.peek() !== ".") break;
      this.position++;
    }
    if (segments.length === 0) {
      const rest = this.text.slice(this.position, this.position + 20);
      throw new InvalidParameterValue(
        `Invalid clause(s) in filter string: expected an identifier at '${rest}'.`
      );
    }
    return { segments, quoted };
  }
}
function resolveIdentifier(raw, kind, validAttributes) {
  const spec = KIND_SPECS[kind];
  let type;
  let key;
  if (raw.segments.length === 1) {
    type = "attribute";
    key = raw.segments[0] ?? "";
  } else {
    const entity = raw.segments[0] ?? "";
    const mapped = spec.entities[entity];
    if (!mapped) {
      throw new InvalidParameterValue(
        `Invalid entity type '${entity}'. Valid values are ${JSON.stringify(Object.keys(spec.entities))}`
      );
    }
    type = mapped;
    key = raw.segments.slice(1).join(".");
  }
  if (type === "attribute") {
    key = spec.aliases[key] ?? key;
    if (!validAttributes.has(key)) {
      throw new InvalidParameterValue(
        `Invalid attribute key '${key}' specified. Valid keys are '${JSON.stringify([...validAttributes])}'`
      );
    }
  }
  if (key === "")
    throw new InvalidParameterValue(`Invalid identifier '${raw.segments.join(".")}': the key is empty.`);
  return { type, key };
}
function readComparator(scanner) {
  scanner.skipSpace();
  for (const symbol of ["!=", ">=", "<=", "=", ">", "<"]) {
    if (scanner.text.startsWith(symbol, scanner.position)) {
      scanner.position += symbol.length;
      return symbol;
    }
  }
  if (scanner.keyword("NOT")) {
    if (scanner.keyword("IN")) return "NOT IN";
    throw new InvalidParameterValue(`Invalid clause(s) in filter string: 'NOT' must be followed by 'IN'.`);
  }
  for (const word of ["LIKE", "ILIKE", "IN"]) if (scanner.keyword(word)) return word;
  const rest = scanner.text.slice(scanner.position, scanner.position + 20);
  throw new InvalidParameterValue(`Invalid comparison clause: expected a comparator at '${rest}'.`);
}
function readValue(scanner) {
  scanner.skipSpace();
  const char = scanner.peek();
  if (char === "'" || char === '"') return { kind: "string", text: scanner.quoted() };
  if (char === "(") {
    scanner.position++;
    const items = [];
    for (; ; ) {
      scanner.skipSpace();
      if (scanner.peek() !== "'") {
        throw new InvalidParameterValue(
          "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list."
        );
      }
      items.push(scanner.quoted());
      scanner.skipSpace();
      if (scanner.peek() === ",") {
        scanner.position++;
        continue;
      }
      if (scanner.peek() === ")") {
        scanner.position++;
        return { kind: "list", items };
      }
      throw new InvalidParameterValue("While parsing a list in the query, expected a closing parenthesis.");
    }
  }
  const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])/.exec(scanner.text.slice(scanner.position));
  if (match) {
    scanner.position += match[0].length;
    return { kind: "number", text: match[0] };
  }
  const rest = scanner.text.slice(scanner.position, scanner.position + 20);
  throw new InvalidParameterValue(
    `Invalid comparison clause: expected a quoted string or a number at '${rest}'. Quote string values, e.g. 'my-value'.`
  );
}
function typedValue(kind, type, key, comparator, raw) {
  const spec = KIND_SPECS[kind];
  if (type === "metric") {
    if (!NUMERIC_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...NUMERIC_COMPARATORS].join(", ")}'`
      );
    }
    if (raw.kind !== "number") {
      throw new InvalidParameterValue(`Expected numeric value type for metric. Found ${describeRaw(raw)}`);
    }
    return Number(raw.text);
  }
  if (type === "param" || type === "tag") {
    if (!TEXT_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...TEXT_COMPARATORS].join(", ")}'`
      );
    }
    if (raw.kind !== "string") {
      throw new InvalidParameterValue(
        `Expected a quoted string value for ${type === "param" ? "parameter" : "tag"} (e.g. 'my-value'). Got value ${describeRaw(raw)}`
      );
    }
    return raw.text;
  }
  if (spec.numeric.has(key)) {
    if (!NUMERIC_COMPARATORS.has(comparator)) {
      throw new InvalidParameterValue(
        `Invalid comparator '${comparator}' not one of '${[...NUMERIC_COMPARATORS].join(", ")}'`
      );
    }
    const text = raw.kind === "list" ? "" : raw.text;
    const value = Number(text);
    if (raw.kind === "list" || raw.kind === "string" && kind !== "model-version" || text.trim() === "" || !Number.isInteger(value)) {
      throw new InvalidParameterValue(
        `Expected numeric value type for numeric attribute: ${key}. Found ${describeRaw(raw)}`
      );
    }
    return value;
  }
  if (!spec.stringComparators.has(comparator)) {
    throw new InvalidParameterValue(
      `Invalid comparator '${comparator}' not one of '${[...spec.stringComparators].join(", ")}'`
    );
  }
  if (raw.kind === "list") {
    if (!spec.listable.has(key)) {
      throw new InvalidParameterValue(
        `Only the ${[...spec.listable].map((name) => `'${name}'`).join(", ") || "no"} attribute supports comparison with a list of quoted string values.`
      );
    }
    if (comparator !== "IN" && comparator !== "NOT IN") {
      throw new InvalidParameterValue(
        `A list of values needs the IN or NOT IN comparator, not '${comparator}'.`
      );
    }
    return key === "run_id" ? raw.items.filter((item) => item === item.toLowerCase()) : raw.items;
  }
  if (comparator === "IN" || comparator === "NOT IN") {
    throw new InvalidParameterValue(
      `The ${comparator} comparator needs a list of quoted strings, e.g. ('a', 'b').`
    );
  }
  if (raw.kind !== "string") {
    throw new InvalidParameterValue(
      `Expected a quoted string value for attributes. Got value ${describeRaw(raw)}`
    );
  }
  return raw.text;
}
function describeRaw(raw) {
  return raw.kind === "list" ? `(${raw.items.map((item) => `'${item}'`).join(", ")})` : raw.text;
}
function parseFilter(filter, kind) {
  if (!filter || filter.trim() === "") return [];
  const scanner = new Scanner(filter);
  const spec = KIND_SPECS[kind];
  const clauses = [];
  for (; ; ) {
    const raw = scanner.identifier();
    const { type, key } = resolveIdentifier(raw, kind, spec.searchable);
    const comparator = readComparator(scanner);
    const value = readValue(scanner);
    clauses.push({ type, key, comparator, value: typedValue(kind, type, key, comparator, value) });
    if (scanner.atEnd()) return clauses;
    if (!scanner.keyword("AND")) {
      const rest = filter.slice(scanner.position).trim();
      throw new InvalidParameterValue(
        `Invalid clause(s) in filter string: '${rest}'. Only AND-ed comparisons are supported (no OR, no parentheses).`
      );
    }
  }
}
const likeCache = /* @__PURE__ */ new Map();
function likeToRegExp(pattern, ignoreCase = false) {
  const cacheKey = `${ignoreCase ? "i" : "s"}${pattern}`;
  let regexp = likeCache.get(cacheKey);
  if (!regexp) {
    let source = "";
    for (const char of pattern) {
      if (char === "%") source += "[\\s\\S]*";
      else if (char === "_") source += "[\\s\\S]";
      else source += char.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    }
    regexp = new RegExp(`^${source}$`, ignoreCase ? "iu" : "u");
    if (likeCache.size > 500) likeCache.clear();
    likeCache.set(cacheKey, regexp);
  }
  return regexp;
}
function compareValues(lhs, comparator, value) {
  switch (comparator) {
    case "=":
      return lhs === value;
    case "!=":
      return lhs !== value;
    case ">":
      return lhs > value;
    case ">=":
      return lhs >= value;
    case "<":
      return lhs < value;
    case "<=":
      return lhs <= value;
    case "LIKE":
      return likeToRegExp(String(value)).test(String(lhs));
    case "ILIKE":
      return likeToRegExp(String(value), true).test(String(lhs));
    case "IN":
      return value.includes(String(lhs));
    case "NOT IN":
      return !value.includes(String(lhs));
  }
}
function matchesFilter(clauses, subject) {
  for (const clause of clauses) {
    const lhs = subject.get(clause.type, clause.key);
    if (lhs === void 0) return false;
    if (!compareValues(lhs, clause.comparator, clause.value)) return false;
  }
  return true;
}
function keysRead(clauses) {
  const keys = {
    metric: /* @__PURE__ */ new Set(),
    param: /* @__PURE__ */ new Set(),
    tag: /* @__PURE__ */ new Set(),
    attribute: /* @__PURE__ */ new Set()
  };
  for (const clause of clauses) keys[clause.type].add(clause.key);
  return keys;
}

const ORDERABLE = {
  run: /* @__PURE__ */ new Set([
    "run_id",
    "run_name",
    "user_id",
    "status",
    "start_time",
    "end_time",
    "artifact_uri",
    "lifecycle_stage",
    "experiment_id"
  ]),
  "model-version": /* @__PURE__ */ new Set(["name", "version_number", "creation_timestamp", "last_updated_timestamp"]),
  "registered-model": /* @__PURE__ */ new Set(["name", "creation_timestamp", "last_updated_timestamp", "timestamp"]),
  experiment: /* @__PURE__ */ new Set(["name", "experiment_id", "creation_time", "last_update_time"])
};
function parseOrderClause(clause, kind) {
  const scanner = new Scanner(clause);
  const raw = scanner.identifier();
  let ascending = true;
  if (scanner.keyword("DESC")) ascending = false;
  else scanner.keyword("ASC");
  if (!scanner.atEnd()) {
    throw new InvalidParameterValue(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  }
  const { type, key } = resolveIdentifier(raw, kind, ORDERABLE[kind]);
  if (kind !== "run" && type !== "attribute") {
    throw new InvalidParameterValue(`Invalid order_by entity: ${type}`);
  }
  const aliased = kind === "registered-model" && key === "timestamp" ? "creation_timestamp" : key;
  return { type, key: KIND_SPECS[kind].aliases[aliased] ?? aliased, ascending };
}
function parseOrderBy(orderBy, kind) {
  const clauses = (orderBy ?? []).filter((clause) => clause.trim() !== "").map((c) => parseOrderClause(c, kind));
  const has = (key) => clauses.some((clause) => clause.type === "attribute" && clause.key === key);
  const add = (key, ascending) => {
    if (!has(key)) clauses.push({ type: "attribute", key, ascending });
  };
  switch (kind) {
    case "run":
      add("start_time", false);
      add("run_id", true);
      break;
    case "model-version":
      if (clauses.length === 0) add("last_updated_timestamp", false);
      add("name", true);
      add("version_number", false);
      break;
    case "registered-model":
      add("name", true);
      break;
    case "experiment":
      if (clauses.length === 0) add("creation_time", false);
      add("experiment_id", true);
      break;
  }
  return clauses;
}
function rank(value) {
  if (value === void 0) return 2;
  if (typeof value === "number" && Number.isNaN(value)) return 1;
  return 0;
}
function compareBy(order) {
  return (a, b) => {
    for (const clause of order) {
      const left = a.get(clause.type, clause.key);
      const right = b.get(clause.type, clause.key);
      const rankDifference = rank(left) - rank(right);
      if (rankDifference !== 0) return rankDifference;
      if (rank(left) !== 0 || left === right) continue;
      let difference;
      if (typeof left === "number" && typeof right === "number") difference = left - right;
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

function encodePageToken(offset) {
  return Buffer.from(JSON.stringify({ offset }).replace(":", ": "), "utf8").toString("base64");
}
function decodePageToken(token) {
  if (!token) return 0;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) {
    throw new InvalidParameterValue("Invalid page token, could not base64-decode");
  }
  const decoded = Buffer.from(token, "base64").toString("utf8");
  let parsed;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw new InvalidParameterValue(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = parsed?.offset;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset <= 0) {
    throw new InvalidParameterValue(`Invalid page token, parsed value=${decoded}`);
  }
  return offset;
}
function paginate(items, pageToken, maxResults) {
  const start = decodePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}
function checkMaxResults(maxResults, limit) {
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new InvalidParameterValue(
      `Invalid value for max_results. It must be a positive integer, but got ${maxResults}`
    );
  }
  if (maxResults > limit) {
    throw new InvalidParameterValue(
      `Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${maxResults}`
    );
  }
}
const SEARCH_LIMITS = {
  runs: { default: 1e3, max: 5e4 },
  modelVersions: { default: 2e5, max: 2e5 },
  registeredModels: { default: 100, max: 1e3 },
  experiments: { default: 1e3, max: 5e4 },
  metricHistory: { default: 25e3, max: 25e3 }
};

const MAX_ENTITY_KEY_LENGTH = 250;
const MAX_PARAM_VALUE_LENGTH = 6e3;
const MAX_TAG_VALUE_LENGTH = 5e3;
const MAX_METRICS_PER_BATCH = 1e3;
const MAX_PARAMS_TAGS_PER_BATCH = 100;
const MAX_ENTITIES_PER_BATCH = 1e3;
const KEY_PATTERN = /^[/\w.\- :]*$/;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,63}$/;
const ALIAS_PATTERN = /^[\w-]*$/;
const VERSION_ALIAS_PATTERN = /^[vV]\d+$/;
function validateKey(kind, key) {
  const label = kind === "metric" ? "Metric" : kind === "param" ? "Param" : "Tag";
  if (key === void 0 || key === null || key === "") {
    throw new InvalidParameterValue(`${label} name cannot be None. A key name must be provided.`);
  }
  if (typeof key !== "string") throw new InvalidParameterValue(`Invalid ${kind} name: '${String(key)}'.`);
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`
    );
  }
  const normalized = posix.normalize(key);
  if (normalized !== key || normalized === "." || normalized.startsWith("..") || key.startsWith("/") || key.endsWith("/")) {
    throw new InvalidParameterValue(
      `Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`
    );
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    throw new InvalidParameterValue(
      `${label} key '${key.slice(0, 20)}...' had length ${key.length}, which exceeded length limit of ${MAX_ENTITY_KEY_LENGTH}`
    );
  }
}
function validateParamValue(value) {
  if (value.length > MAX_PARAM_VALUE_LENGTH) {
    throw new InvalidParameterValue(
      `Param value '${value.slice(0, 20)}...' had length ${value.length}, which exceeded length limit of ${MAX_PARAM_VALUE_LENGTH}`
    );
  }
}
function validateTagValue(value) {
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    throw new InvalidParameterValue(
      `Tag value '${value.slice(0, 20)}...' had length ${value.length}, which exceeded length limit of ${MAX_TAG_VALUE_LENGTH}`
    );
  }
}
function validateMetric(key, value, timestamp, step) {
  validateKey("metric", key);
  if (typeof value !== "number") {
    throw new InvalidParameterValue(
      `Got invalid value ${String(value)} for metric '${key}' (timestamp=${String(timestamp)}). Please specify value as a valid double (64-bit floating point)`
    );
  }
  if (typeof timestamp !== "number" || !Number.isInteger(timestamp)) {
    throw new InvalidParameterValue(
      `Got invalid timestamp ${String(timestamp)} for metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer) `
    );
  }
  if (typeof step !== "number" || !Number.isInteger(step)) {
    throw new InvalidParameterValue(
      `Got invalid step ${String(step)} for metric '${key}' (value=${value}). Step must be a valid long (64-bit integer).`
    );
  }
}
function validateRunId(runId) {
  if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) {
    throw new InvalidParameterValue(`Invalid run ID: '${String(runId)}'`);
  }
}
function validateExperimentId(experimentId) {
  if (typeof experimentId !== "string" || !EXPERIMENT_ID_PATTERN.test(experimentId)) {
    throw new InvalidParameterValue(`Invalid experiment ID: '${String(experimentId)}'`);
  }
}
function validateExperimentName(name) {
  if (typeof name !== "string") {
    throw new InvalidParameterValue(`Invalid experiment name: ${String(name)}. Expects a string.`);
  }
  if (name === "") throw new InvalidParameterValue(`Invalid experiment name: '${name}'`);
}
function validateModelName(name) {
  if (typeof name !== "string" || name === "") {
    throw new InvalidParameterValue("Registered model name cannot be empty.");
  }
}
function validateModelVersion(version) {
  const text = String(version);
  if (!/^\d+$/.test(text.trim())) {
    throw new InvalidParameterValue(`Model version must be an integer, got '${text}'`);
  }
  return String(Number(text.trim()));
}
function validateAliasName(alias) {
  if (alias === void 0 || alias === null || alias === "") {
    throw new InvalidParameterValue("Registered model alias name cannot be empty.");
  }
  if (typeof alias !== "string" || !ALIAS_PATTERN.test(alias)) {
    throw new InvalidParameterValue(
      `Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`
    );
  }
  if (alias.length > 255) {
    throw new InvalidParameterValue(
      `Registered model alias name '${alias.slice(0, 20)}...' had length ${alias.length}, which exceeded length limit of 255`
    );
  }
  if (alias.toLowerCase() === "latest") {
    throw new InvalidParameterValue("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS_PATTERN.test(alias)) {
    throw new InvalidParameterValue(`Version alias name '${alias}' is reserved.`);
  }
}
function validateBatch(metrics, params, tags) {
  const over = (count, limit, what) => {
    if (count > limit) {
      throw new InvalidParameterValue(
        `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`
      );
    }
  };
  over(metrics.length, MAX_METRICS_PER_BATCH, "metrics");
  over(params.length, MAX_PARAMS_TAGS_PER_BATCH, "params");
  over(tags.length, MAX_PARAMS_TAGS_PER_BATCH, "tags");
  const total = metrics.length + params.length + tags.length;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw new InvalidParameterValue(
      `A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} metrics, params, and tags in total. Got ${total} metrics, params, and tags in total.`
    );
  }
  const seen = /* @__PURE__ */ new Map();
  const duplicates = /* @__PURE__ */ new Set();
  for (const { key, value } of params) {
    const previous = seen.get(key);
    if (previous !== void 0 && previous !== value) duplicates.add(key);
    seen.set(key, value);
  }
  if (duplicates.size > 0) {
    throw new InvalidParameterValue(
      `Duplicate parameter keys have been submitted: ${JSON.stringify([...duplicates])}. Please ensure the request contains only one param value per param key.`
    );
  }
}
function paramChangedMessage(key, oldValue, newValue, runId) {
  return `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`;
}

class StoreError extends Error {
  constructor(errorCode, message, details = {}) {
    super(message);
    this.errorCode = errorCode;
    this.details = details;
    this.name = "StoreError";
  }
  errorCode;
  details;
}
function isMissing(error) {
  const code = error?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
async function readText(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isMissing(error) || error.code === "EISDIR") return void 0;
    throw error;
  }
}
async function listSubdirectories(path) {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
async function walkFiles(root) {
  const found = [];
  async function walk(directory, prefix) {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(directory, entry.name), relative);
      else if (entry.isFile()) found.push(relative);
    }
  }
  await walk(root, "");
  return found.sort();
}
async function readKeyFiles(root) {
  const record = {};
  for (const key of await walkFiles(root)) {
    const text = await readText(join(root, ...key.split("/")));
    if (text !== void 0) record[key] = text;
  }
  return record;
}
function readTextSync(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (isMissing(error) || error.code === "EISDIR") return void 0;
    throw error;
  }
}
function yieldToEventLoop() {
  return new Promise((resolve) => setImmediate(resolve));
}
async function readMeta(directory) {
  const file = join(directory, "meta.yaml");
  return parseMeta(await readText(file), file);
}
function readMetaSync(directory) {
  const file = join(directory, "meta.yaml");
  return parseMeta(readTextSync(file), file);
}
function parseMeta(text, file) {
  if (text === void 0) return void 0;
  let parsed;
  try {
    parsed = parseFlatYaml(text) ?? parseYaml(text);
  } catch (error) {
    throw new StoreError("INTERNAL_ERROR", `'${file}' is not valid YAML: ${error.message}`, {
      file,
      fix: "Repair or remove the file; it must be a YAML mapping as MLflow writes it."
    });
  }
  if (parsed === null || parsed === void 0) return void 0;
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new StoreError("INTERNAL_ERROR", `'${file}' is not a YAML mapping.`, {
      file,
      fix: "Repair or remove the file; it must be a YAML mapping as MLflow writes it."
    });
  }
  return parsed;
}
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const DELETED_STAGE = "Deleted_Internal";
const READ_CONCURRENCY$1 = 32;
class FileRegistryStore {
  root;
  modelsDirectory;
  constructor(options) {
    this.root = options.root;
    this.modelsDirectory = join(options.root, "models");
  }
  /** The directory of a model, after checking the name cannot escape `models/`. */
  modelDirectory(name) {
    validateModelName(name);
    if (name.includes("/") || name.includes("\\")) {
      throw new InvalidParameterValue(
        `Invalid name: '${name}'. Registered model name cannot contain path separator`
      );
    }
    if (name.includes("%")) {
      throw new InvalidParameterValue(
        `Invalid name: '${name}'. Registered model name cannot contain '%' character`
      );
    }
    if (name === "." || name === "..") throw new InvalidParameterValue(`Invalid name: '${name}'.`);
    return join(this.modelsDirectory, name);
  }
  async modelNotFound(name) {
    const names = await listSubdirectories(this.modelsDirectory);
    const suggestions = nearestNames(name, names);
    return new StoreError("RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${name} not found`, {
      suggestions,
      fix: suggestions.length ? `Did you mean ${suggestions.map((entry) => `'${entry}'`).join(" or ")}? Registered models are case-sensitive.` : names.length ? `Registered models in ${this.root}: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", \u2026" : ""}.` : `The store at ${this.root} has no registered models; register one first.`
    });
  }
  /** The directory of an existing model, or a not-found error listing near names. */
  async existingModel(name) {
    const directory = this.modelDirectory(name);
    if (!await isDirectory(directory)) throw await this.modelNotFound(name);
    return directory;
  }
  async readAliases(modelDirectory) {
    const aliases = await readKeyFiles(join(modelDirectory, "aliases"));
    for (const alias of Object.keys(aliases)) aliases[alias] = (aliases[alias] ?? "").trim();
    return aliases;
  }
  async readVersion(directory, aliases) {
    const meta = await readMeta(directory);
    if (!meta) return void 0;
    const number = directory.slice(directory.lastIndexOf("version-") + "version-".length);
    const version = {
      name: yamlString(meta.name) ?? "",
      version: yamlString(meta.version) ?? number,
      creationTimestamp: yamlInt(meta.creation_timestamp) ?? 0,
      currentStage: yamlString(meta.current_stage) ?? "None",
      source: yamlString(meta.source) ?? "",
      status: yamlString(meta.status) ?? "READY",
      tags: await readKeyFiles(join(directory, "tags")),
      aliases: Object.entries(aliases).filter(([, target]) => target === number).map(([alias]) => alias)
    };
    const optional = {
      lastUpdatedTimestamp: yamlInt(meta.last_updated_timestamp),
      description: yamlString(meta.description),
      runId: yamlString(meta.run_id),
      runLink: yamlString(meta.run_link),
      userId: yamlString(meta.user_id),
      statusMessage: yamlString(meta.status_message)
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== void 0 && value !== "") Object.assign(version, { [key]: value });
    }
    return { version, directory, deleted: version.currentStage === DELETED_STAGE };
  }
  /** Every version of a model (deleted ones included, flagged). */
  async versionsOf(modelDirectory) {
    const aliases = await this.readAliases(modelDirectory);
    const names = (await listSubdirectories(modelDirectory)).filter((name) => /^version-\d+$/.test(name));
    const versions = await mapLimit(
      names,
      READ_CONCURRENCY$1,
      (name) => this.readVersion(join(modelDirectory, name), aliases)
    );
    return versions.filter((entry) => entry !== void 0);
  }
  async readModel(directory, name, withVersions = true) {
    const meta = await readMeta(directory);
    if (!meta) return void 0;
    const model = {
      name: yamlString(meta.name) ?? name,
      creationTimestamp: yamlInt(meta.creation_timestamp) ?? 0,
      latestVersions: [],
      tags: await readKeyFiles(join(directory, "tags")),
      aliases: await this.readAliases(directory)
    };
    const lastUpdated = yamlInt(meta.last_updated_timestamp);
    const description = yamlString(meta.description);
    if (lastUpdated !== void 0) model.lastUpdatedTimestamp = lastUpdated;
    if (description) model.description = description;
    if (withVersions) model.latestVersions = latestPerStage(await this.versionsOf(directory));
    return model;
  }
  async writeModelMeta(directory, model) {
    await writeFileAtomic(
      join(directory, "meta.yaml"),
      dumpYaml({
        aliases: model.aliases,
        creation_timestamp: model.creationTimestamp,
        description: model.description ?? null,
        last_updated_timestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
        name: model.name
      })
    );
  }
  /** Rewrites the model's `meta.yaml` with a new last-updated time, as MLflow does on every change. */
  async touchModel(name, directory) {
    const model = await this.readModel(directory, name, false);
    if (!model) return;
    await this.writeModelMeta(directory, { ...model, lastUpdatedTimestamp: Date.now() });
  }
  async writeKeyFile(entityDirectory, folder, key, value) {
    const file = join(entityDirectory, folder, ...key.split("/"));
    await mkdir(join(file, ".."), { recursive: true });
    await writeFileAtomic(file, value, entityDirectory);
  }
  async createRegisteredModel(name, options = {}) {
    const directory = this.modelDirectory(name);
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key);
      validateTagValue(value);
    }
    await mkdir(this.modelsDirectory, { recursive: true });
    try {
      await mkdir(directory);
    } catch (error) {
      if (error.code === "EEXIST") {
        throw new StoreError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
      }
      throw error;
    }
    const now = Date.now();
    const model = {
      name,
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      latestVersions: [],
      tags: { ...options.tags ?? {} },
      aliases: {},
      ...options.description ? { description: options.description } : {}
    };
    await this.writeModelMeta(directory, model);
    for (const [key, value] of Object.entries(model.tags))
      await this.writeKeyFile(directory, "tags", key, value);
    return model;
  }
  async getRegisteredModel(name) {
    const directory = await this.existingModel(name);
    const model = await this.readModel(directory, name);
    if (!model) throw await this.modelNotFound(name);
    return model;
  }
  async searchRegisteredModels(options) {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.registeredModels.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.registeredModels.max);
    const clauses = parseFilter(options.filter, "registered-model");
    const order = compareBy(parseOrderBy(options.orderBy, "registered-model"));
    const names = await listSubdirectories(this.modelsDirectory);
    const models = await mapLimit(
      names,
      READ_CONCURRENCY$1,
      (name) => this.readModel(join(this.modelsDirectory, name), name, false)
    );
    const matched = models.filter((model) => model !== void 0).map((model) => ({ model, subject: registeredModelSubject(model) })).filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    const full = await mapLimit(items, READ_CONCURRENCY$1, async ({ model }) => ({
      ...model,
      latestVersions: latestPerStage(await this.versionsOf(join(this.modelsDirectory, model.name)))
    }));
    return nextPageToken ? { items: full, nextPageToken } : { items: full };
  }
  async createModelVersion(options) {
    const directory = await this.existingModel(options.name);
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key);
      validateTagValue(value);
    }
    for (let attempt = 0; ; attempt++) {
      const existing = (await listSubdirectories(directory)).map((name) => /^version-(\d+)$/.exec(name)?.[1]).filter((number2) => number2 !== void 0).map(Number);
      const number = existing.length ? Math.max(...existing) + 1 : 1;
      const versionDirectory = join(directory, `version-${number}`);
      try {
        await mkdir(versionDirectory);
      } catch (error) {
        if (error.code === "EEXIST" && attempt < 3) continue;
        throw error;
      }
      const now = Date.now();
      await writeFileAtomic(
        join(versionDirectory, "meta.yaml"),
        dumpYaml({
          aliases: [],
          creation_timestamp: now,
          current_stage: "None",
          description: options.description ?? null,
          last_updated_timestamp: now,
          name: options.name,
          run_id: options.runId ?? null,
          run_link: options.runLink ?? null,
          source: options.source,
          status: "READY",
          status_message: null,
          storage_location: options.source,
          user_id: null,
          version: number
        })
      );
      for (const [key, value] of Object.entries(options.tags ?? {})) {
        await this.writeKeyFile(versionDirectory, "tags", key, value);
      }
      await this.touchModel(options.name, directory);
      return this.getModelVersion(options.name, String(number));
    }
  }
  async versionNotFound(name, directory, version) {
    const numbers = (await this.versionsOf(directory)).filter((entry) => !entry.deleted).map((entry) => entry.version.version).sort((a, b) => Number(a) - Number(b));
    return new StoreError(
      "RESOURCE_DOES_NOT_EXIST",
      `Model Version (name=${name}, version=${version}) not found`,
      {
        suggestions: numbers,
        fix: numbers.length ? `Model '${name}' has versions ${numbers.join(", ")}.` : `Model '${name}' has no versions yet.`
      }
    );
  }
  async existingVersion(name, version) {
    const number = validateModelVersion(version);
    const modelDirectory = await this.existingModel(name);
    const directory = join(modelDirectory, `version-${number}`);
    const stored = await isDirectory(directory) ? await this.readVersion(directory, await this.readAliases(modelDirectory)) : void 0;
    if (!stored || stored.deleted) throw await this.versionNotFound(name, modelDirectory, number);
    return { ...stored, modelDirectory };
  }
  async getModelVersion(name, version) {
    return (await this.existingVersion(name, version)).version;
  }
  async searchModelVersions(options) {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.modelVersions.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.modelVersions.max);
    const clauses = parseFilter(options.filter, "model-version");
    const order = compareBy(parseOrderBy(options.orderBy, "model-version"));
    const byName = clauses.find(
      (clause) => clause.type === "attribute" && clause.key === "name" && clause.comparator === "="
    );
    let names = await listSubdirectories(this.modelsDirectory);
    if (byName) names = names.filter((name) => name === byName.value);
    const perModel = await mapLimit(
      names,
      READ_CONCURRENCY$1,
      (name) => this.versionsOf(join(this.modelsDirectory, name))
    );
    const matched = perModel.flat().filter((entry) => !entry.deleted).map((entry) => ({ version: entry.version, subject: modelVersionSubject(entry.version) })).filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    const versions = items.map(({ version }) => version);
    return nextPageToken ? { items: versions, nextPageToken } : { items: versions };
  }
  async setRegisteredModelTag(name, key, value) {
    validateKey("tag", key);
    validateTagValue(value);
    const directory = await this.existingModel(name);
    await this.writeKeyFile(directory, "tags", key, value);
    await this.touchModel(name, directory);
  }
  async setModelVersionTag(name, version, key, value) {
    validateKey("tag", key);
    validateTagValue(value);
    const stored = await this.existingVersion(name, version);
    await this.writeKeyFile(stored.directory, "tags", key, value);
    await this.touchModel(name, stored.modelDirectory);
  }
  async setRegisteredModelAlias(name, alias, version) {
    validateAliasName(alias);
    const stored = await this.existingVersion(name, version);
    await this.writeKeyFile(stored.modelDirectory, "aliases", alias, stored.version.version);
    await this.touchModel(name, stored.modelDirectory);
  }
  async deleteRegisteredModelAlias(name, alias) {
    validateAliasName(alias);
    const directory = await this.existingModel(name);
    const file = join(directory, "aliases", alias);
    if (await exists(file)) {
      await rm(file);
      await this.touchModel(name, directory);
    }
  }
  async getModelVersionByAlias(name, alias) {
    validateAliasName(alias);
    const directory = await this.existingModel(name);
    const version = await readText(join(directory, "aliases", alias));
    if (version === void 0) {
      const aliases = await this.readAliases(directory);
      throw new StoreError("INVALID_PARAMETER_VALUE", `Registered model alias ${alias} not found.`, {
        alias: true,
        suggestions: nearestNames(alias, Object.keys(aliases)),
        fix: Object.keys(aliases).length ? `Aliases of '${name}': ${Object.entries(aliases).map(([entry, target]) => `${entry} \u2192 version ${target}`).join(", ")}.` : `Model '${name}' has no aliases yet; set one with setRegisteredModelAlias.`
      });
    }
    return this.getModelVersion(name, version.trim());
  }
}
function latestPerStage(versions) {
  const latest = /* @__PURE__ */ new Map();
  for (const { version, deleted } of versions) {
    if (deleted) continue;
    const current = latest.get(version.currentStage);
    if (!current || Number(version.version) > Number(current.version))
      latest.set(version.currentStage, version);
  }
  return [...latest.values()].sort((a, b) => Number(a.version) - Number(b.version));
}
function modelVersionSubject(version) {
  return {
    get(type, key) {
      if (type === "tag") return version.tags[key];
      switch (key) {
        case "name":
          return version.name;
        case "version_number":
          return Number(version.version);
        case "run_id":
          return version.runId;
        case "source_path":
          return version.source;
        case "creation_timestamp":
          return version.creationTimestamp;
        case "last_updated_timestamp":
          return version.lastUpdatedTimestamp;
        default:
          return void 0;
      }
    }
  };
}
function registeredModelSubject(model) {
  return {
    get(type, key) {
      if (type === "tag") return model.tags[key];
      switch (key) {
        case "name":
          return model.name;
        case "creation_timestamp":
          return model.creationTimestamp;
        case "last_updated_timestamp":
          return model.lastUpdatedTimestamp;
        default:
          return void 0;
      }
    }
  };
}

const PREDICATES = [
  "able",
  "bold",
  "brave",
  "bright",
  "calm",
  "clever",
  "crisp",
  "daring",
  "eager",
  "fair",
  "gentle",
  "glad",
  "honest",
  "keen",
  "kind",
  "lively",
  "lucid",
  "merry",
  "nimble",
  "polite",
  "proud",
  "quick",
  "quiet",
  "rare",
  "shy",
  "smart",
  "steady",
  "swift",
  "tidy",
  "vivid",
  "warm",
  "wise"
];
const NOUNS = [
  "ant",
  "bat",
  "bear",
  "bee",
  "carp",
  "cat",
  "crab",
  "crow",
  "deer",
  "dove",
  "eel",
  "elk",
  "fox",
  "frog",
  "goat",
  "hare",
  "hawk",
  "lark",
  "lynx",
  "mole",
  "moth",
  "newt",
  "owl",
  "ram",
  "seal",
  "slug",
  "swan",
  "toad",
  "vole",
  "wasp",
  "wolf",
  "yak"
];
function generateRunName() {
  const predicate = PREDICATES[randomInt(PREDICATES.length)] ?? "brave";
  const noun = NOUNS[randomInt(NOUNS.length)] ?? "owl";
  return `${predicate}-${noun}-${randomInt(1e3)}`;
}
function generateRunId() {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] ?? 0) & 15 | 64;
  bytes[8] = (bytes[8] ?? 0) & 63 | 128;
  return bytes.toString("hex");
}
function generateExperimentId() {
  let id = String(randomInt(1, 10));
  for (let index = 1; index < 18; index++) id += String(randomInt(10));
  return id;
}

const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

const RUN_NAME_TAG = "mlflow.runName";
const RESERVED_EXPERIMENT_FOLDERS = /* @__PURE__ */ new Set(["tags", "datasets", "traces"]);
const TRASH = ".trash";
const MODELS = "models";
const READ_CONCURRENCY = 32;
const SCAN_BATCH = 256;
const SOURCE_TYPE_LOCAL = 4;
function defaultUser() {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
function runStatusFromNumber(value) {
  const number = yamlInt(value);
  if (number !== void 0 && number >= 1 && number <= RUN_STATUSES.length)
    return RUN_STATUSES[number - 1] ?? "RUNNING";
  const text = yamlString(value);
  if (text && RUN_STATUSES.includes(text)) return text;
  return "RUNNING";
}
function runStatusToNumber(status) {
  return RUN_STATUSES.indexOf(status) + 1;
}
function latestMetric(points) {
  let best;
  for (const point of points) {
    if (!best || point.step > best.step || point.step === best.step && (point.timestamp > best.timestamp || point.timestamp === best.timestamp && point.value > best.value)) {
      best = point;
    }
  }
  return best;
}
class FileTrackingStore {
  root;
  userId;
  runLocations = /* @__PURE__ */ new Map();
  constructor(options) {
    this.root = options.root;
    this.userId = options.userId ?? defaultUser();
  }
  /** Creates the store the way MLflow does on first use: root, `Default` experiment `0`, `.trash`. */
  async ensureStore() {
    if (!await exists(this.root)) {
      await mkdir(this.root, { recursive: true });
      await this.writeExperiment("0", "Default", void 0, void 0);
    }
    await mkdir(join(this.root, TRASH), { recursive: true });
    await mkdir(join(this.root, MODELS), { recursive: true });
  }
  async activeExperimentIds() {
    return (await listSubdirectories(this.root)).filter((name) => !name.endsWith(TRASH) && name !== MODELS);
  }
  async deletedExperimentIds() {
    return listSubdirectories(join(this.root, TRASH));
  }
  /** The directory of an experiment (active first, then trash), or undefined. */
  async experimentDirectory(experimentId) {
    for (const parent of [this.root, join(this.root, TRASH)]) {
      const directory = join(parent, experimentId);
      if (await isDirectory(directory)) return directory;
    }
    return void 0;
  }
  async readExperiment(directory, experimentId) {
    const meta = await readMeta(directory);
    if (!meta) return void 0;
    const id = yamlString(meta.experiment_id);
    if (id !== experimentId) return void 0;
    const experiment = {
      experimentId: id,
      name: yamlString(meta.name) ?? "",
      artifactLocation: yamlString(meta.artifact_location) ?? "",
      lifecycleStage: yamlString(meta.lifecycle_stage) === "deleted" ? "deleted" : "active",
      tags: await readKeyFiles(join(directory, "tags"))
    };
    const creationTime = yamlInt(meta.creation_time);
    const lastUpdateTime = yamlInt(meta.last_update_time);
    if (creationTime !== void 0) experiment.creationTime = creationTime;
    if (lastUpdateTime !== void 0) experiment.lastUpdateTime = lastUpdateTime;
    return experiment;
  }
  async experimentNotFound(experimentId) {
    const experiments = await this.listExperiments("ALL");
    const described = experiments.slice(0, 10).map((experiment) => `${experiment.experimentId} (${experiment.name})`);
    return new StoreError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with ID ${experimentId}`, {
      suggestions: nearestNames(
        experimentId,
        experiments.map((experiment) => experiment.experimentId)
      ),
      fix: described.length ? `Experiments in ${this.root}: ${described.join(", ")}${experiments.length > 10 ? ", \u2026" : ""}.` : `The store at ${this.root} has no experiments; create one first.`
    });
  }
  async getExperiment(experimentId) {
    validateExperimentId(experimentId);
    const directory = await this.experimentDirectory(experimentId);
    const experiment = directory ? await this.readExperiment(directory, experimentId) : void 0;
    if (!experiment) throw await this.experimentNotFound(experimentId);
    return experiment;
  }
  async listExperiments(viewType) {
    const entries = [];
    if (viewType !== "DELETED_ONLY") {
      for (const id of await this.activeExperimentIds()) entries.push({ id, directory: join(this.root, id) });
    }
    if (viewType !== "ACTIVE_ONLY") {
      for (const id of await this.deletedExperimentIds())
        entries.push({ id, directory: join(this.root, TRASH, id) });
    }
    const experiments = await mapLimit(entries, READ_CONCURRENCY, async ({ id, directory }) => {
      try {
        return await this.readExperiment(directory, id);
      } catch (error) {
        if (error instanceof StoreError) return void 0;
        throw error;
      }
    });
    return experiments.filter((experiment) => experiment !== void 0);
  }
  async getExperimentByName(name) {
    if (!await exists(this.root)) return void 0;
    const experiments = await this.listExperiments("ACTIVE_ONLY");
    return experiments.find(
      (experiment) => experiment.name === name && experiment.lifecycleStage === "active"
    );
  }
  async searchExperiments(options) {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.experiments.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.experiments.max);
    const clauses = parseFilter(options.filter, "experiment");
    const order = compareBy(parseOrderBy(options.orderBy, "experiment"));
    const experiments = await exists(this.root) ? await this.listExperiments(options.viewType ?? "ACTIVE_ONLY") : [];
    const subjects = experiments.map((experiment) => ({
      experiment,
      subject: experimentSubject(experiment)
    }));
    const matched = subjects.filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    return withToken(
      items.map(({ experiment }) => experiment),
      nextPageToken
    );
  }
  async writeExperiment(experimentId, name, artifactLocation, tags) {
    const directory = join(this.root, experimentId);
    await mkdir(directory);
    const now = Date.now();
    await writeFileAtomic(
      join(directory, "meta.yaml"),
      dumpYaml({
        artifact_location: artifactLocation ?? `${pathToFileUri(this.root)}/${experimentId}`,
        creation_time: now,
        experiment_id: experimentId,
        last_update_time: now,
        lifecycle_stage: "active",
        name
      })
    );
    for (const [key, value] of Object.entries(tags ?? {})) {
      validateKey("tag", key);
      await this.writeKeyFile(directory, "tags", key, value);
    }
  }
  async createExperiment(name, options = {}) {
    validateExperimentName(name);
    for (const key of Object.keys(options.tags ?? {})) validateKey("tag", key);
    await this.ensureStore();
    const existing = (await this.listExperiments("ALL")).find((experiment) => experiment.name === name);
    if (existing) {
      throw new StoreError(
        "RESOURCE_ALREADY_EXISTS",
        existing.lifecycleStage === "deleted" ? `Experiment '${name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.` : `Experiment '${name}' already exists.`
      );
    }
    let artifactLocation = options.artifactLocation;
    if (artifactLocation && !/^[a-zA-Z][\w+.-]*:/.test(artifactLocation))
      artifactLocation = pathToFileUri(artifactLocation);
    for (let attempt = 0; ; attempt++) {
      const id = generateExperimentId();
      try {
        await this.writeExperiment(id, name, artifactLocation, options.tags);
        return id;
      } catch (error) {
        if (error.code !== "EEXIST" || attempt >= 3) throw error;
      }
    }
  }
  /** Finds a run's directory across active and deleted experiments. */
  async locateRun(runId) {
    const cached = this.runLocations.get(runId);
    if (cached && await exists(join(cached.directory, "meta.yaml"))) return cached;
    this.runLocations.delete(runId);
    const candidates = [
      ...(await this.activeExperimentIds()).map((id) => ({ id, parent: this.root })),
      ...(await this.deletedExperimentIds()).map((id) => ({ id, parent: join(this.root, TRASH) }))
    ];
    for (const { id, parent } of candidates) {
      const directory = join(parent, id, runId);
      if (await isDirectory(directory)) {
        const location = { experimentId: id, directory };
        this.runLocations.set(runId, location);
        return location;
      }
    }
    return void 0;
  }
  async runNotFound(runId) {
    const known = [];
    for (const id of await this.activeExperimentIds()) {
      for (const run of await listSubdirectories(join(this.root, id))) {
        if (!RESERVED_EXPERIMENT_FOLDERS.has(run)) known.push(run);
      }
      if (known.length > 2e4) break;
    }
    const suggestions = nearestNames(runId, known);
    return new StoreError("RESOURCE_DOES_NOT_EXIST", `Run '${runId}' not found`, {
      suggestions,
      fix: suggestions.length ? `Did you mean ${suggestions.map((id) => `'${id}'`).join(" or ")}?` : `No run with this id is in ${this.root}; check the run id and the tracking URI.`
    });
  }
  async readRunInfo(directory, experimentId) {
    return runInfoFromMeta(await readMeta(directory), directory, experimentId);
  }
  async storedRun(runId) {
    validateRunId(runId);
    const location = await this.locateRun(runId);
    if (!location) throw await this.runNotFound(runId);
    const info = await this.readRunInfo(location.directory, location.experimentId);
    if (!info) throw await this.runNotFound(runId);
    return { info, directory: location.directory };
  }
  async activeRun(runId) {
    const run = await this.storedRun(runId);
    if (run.info.lifecycleStage !== "active") {
      throw new InvalidParameterValue(
        `The run ${runId} must be in the 'active' state. Current state is ${run.info.lifecycleStage}.`
      );
    }
    return run;
  }
  /** Reads one metric file into its points, in file order. */
  async readMetricPoints(directory, key) {
    const file = join(directory, "metrics", ...key.split("/"));
    return parseMetricFile(await readText(file), key, file);
  }
  async readRun(stored) {
    const { directory, info } = stored;
    const metricKeys = await walkFiles(join(directory, "metrics"));
    const metrics = {};
    await mapLimit(metricKeys, READ_CONCURRENCY, async (key) => {
      const latest = latestMetric(await this.readMetricPoints(directory, key) ?? []);
      if (latest) metrics[key] = latest;
    });
    const [params, tags] = await Promise.all([
      readKeyFiles(join(directory, "params")),
      readKeyFiles(join(directory, "tags"))
    ]);
    const runName = info.runName || tags[RUN_NAME_TAG] || "";
    return { info: { ...info, runName }, data: { metrics: sortRecord(metrics), params, tags } };
  }
  async getRun(runId) {
    return this.readRun(await this.storedRun(runId));
  }
  runMeta(info) {
    return {
      artifact_uri: info.artifactUri,
      end_time: info.endTime ?? null,
      entry_point_name: "",
      experiment_id: info.experimentId,
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.runName,
      run_uuid: info.runId,
      source_name: "",
      source_type: SOURCE_TYPE_LOCAL,
      source_version: "",
      start_time: info.startTime,
      status: runStatusToNumber(info.status),
      tags: [],
      user_id: info.userId
    };
  }
  async writeKeyFile(entityDirectory, folder, key, value) {
    const file = join(entityDirectory, folder, ...key.split("/"));
    await mkdir(join(file, ".."), { recursive: true });
    await writeFileAtomic(file, value, entityDirectory);
  }
  async createRun(options) {
    const experimentId = options.experimentId || "0";
    if (experimentId === "0") await this.ensureStore();
    const experiment = await this.getExperiment(experimentId);
    if (experiment.lifecycleStage !== "active") {
      throw new StoreError(
        "INVALID_STATE",
        `Could not create run under non-active experiment with ID ${experimentId}.`,
        { fix: "Restore the experiment from the .trash folder or use another experiment." }
      );
    }
    const tags = { ...options.tags ?? {} };
    for (const [key, value] of Object.entries(tags)) {
      validateKey("tag", key);
      validateTagValue(value);
    }
    const tagName = tags[RUN_NAME_TAG];
    if (options.runName && tagName && options.runName !== tagName) {
      throw new InvalidParameterValue(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`
      );
    }
    const runName = options.runName || tagName || generateRunName();
    tags[RUN_NAME_TAG] = runName;
    const runId = generateRunId();
    const directory = join(this.root, experimentId, runId);
    const info = {
      runId,
      runName,
      experimentId,
      userId: options.userId ?? this.userId,
      status: "RUNNING",
      startTime: options.startTime ?? Date.now(),
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, "")}/${runId}/artifacts`,
      lifecycleStage: "active"
    };
    await mkdir(directory);
    await writeFileAtomic(
      join(directory, "meta.yaml"),
      dumpYaml({ ...this.runMeta(info), deleted_time: null })
    );
    for (const folder of ["metrics", "params", "artifacts"])
      await mkdir(join(directory, folder), { recursive: true });
    for (const [key, value] of Object.entries(tags)) await this.writeKeyFile(directory, "tags", key, value);
    this.runLocations.set(runId, { experimentId, directory });
    return this.readRun({ info, directory });
  }
  async updateRun(runId, options) {
    const run = await this.activeRun(runId);
    if (options.status !== void 0 && !RUN_STATUSES.includes(options.status)) {
      throw new InvalidParameterValue(
        `Invalid run status '${String(options.status)}'. Use one of ${RUN_STATUSES.join(", ")}.`
      );
    }
    const tags = await readKeyFiles(join(run.directory, "tags"));
    const info = {
      ...run.info,
      runName: run.info.runName || tags[RUN_NAME_TAG] || "",
      ...options.status ? { status: options.status } : {},
      ...options.endTime === void 0 ? {} : { endTime: options.endTime }
    };
    if (options.runName) {
      info.runName = options.runName;
      await this.writeKeyFile(run.directory, "tags", RUN_NAME_TAG, options.runName);
    }
    await writeFileAtomic(join(run.directory, "meta.yaml"), dumpYaml(this.runMeta(info)));
    return info;
  }
  async logMetrics(runId, metrics) {
    const run = await this.activeRun(runId);
    await this.appendMetrics(run, metrics);
  }
  async appendMetrics(run, metrics) {
    const now = Date.now();
    const byKey = /* @__PURE__ */ new Map();
    for (const metric of metrics) {
      const timestamp = metric.timestamp ?? now;
      const step = metric.step ?? 0;
      validateMetric(metric.key, metric.value, timestamp, step);
      byKey.set(metric.key, (byKey.get(metric.key) ?? "") + formatMetricLine(timestamp, metric.value, step));
    }
    for (const [key, lines] of byKey) {
      const file = join(run.directory, "metrics", ...key.split("/"));
      await mkdir(join(file, ".."), { recursive: true });
      await appendLines(file, lines);
    }
  }
  async checkParams(run, params) {
    const toWrite = [];
    for (const { key, value } of params) {
      validateKey("param", key);
      validateParamValue(value);
      const current = await readText(join(run.directory, "params", ...key.split("/")));
      if (current !== void 0 && current !== value) {
        throw new InvalidParameterValue(paramChangedMessage(key, current, value, run.info.runId));
      }
      if (current === void 0) toWrite.push({ key, value });
    }
    return toWrite;
  }
  async logParams(runId, params) {
    const run = await this.activeRun(runId);
    for (const { key, value } of await this.checkParams(run, params)) {
      await this.writeKeyFile(run.directory, "params", key, value);
    }
  }
  async setTags(runId, tags) {
    const run = await this.activeRun(runId);
    await this.writeTags(run, tags);
  }
  async writeTags(run, tags) {
    for (const { key, value } of tags) {
      validateKey("tag", key);
      validateTagValue(value);
    }
    for (const { key, value } of tags) {
      await this.writeKeyFile(run.directory, "tags", key, value);
      if (key === RUN_NAME_TAG) {
        await writeFileAtomic(
          join(run.directory, "meta.yaml"),
          dumpYaml(this.runMeta({ ...run.info, runName: value }))
        );
      }
    }
  }
  async logBatch(runId, metrics, params, tags) {
    validateBatch(metrics, params, tags);
    const run = await this.activeRun(runId);
    for (const metric of metrics)
      validateMetric(metric.key, metric.value, metric.timestamp ?? 0, metric.step ?? 0);
    for (const { key, value } of tags) {
      validateKey("tag", key);
      validateTagValue(value);
    }
    const newParams = await this.checkParams(run, params);
    for (const { key, value } of newParams) await this.writeKeyFile(run.directory, "params", key, value);
    await this.appendMetrics(run, metrics);
    await this.writeTags(run, tags);
  }
  async getMetricHistory(runId, key, options = {}) {
    validateKey("metric", key);
    const run = await this.storedRun(runId);
    const points = await this.readMetricPoints(run.directory, key) ?? [];
    const maxResults = options.maxResults ?? SEARCH_LIMITS.metricHistory.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.metricHistory.max);
    const { items, nextPageToken } = paginate(points, options.pageToken, maxResults);
    return withToken(items, nextPageToken);
  }
  async searchRuns(options) {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.runs.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.runs.max);
    const clauses = parseFilter(options.filter, "run");
    const orderClauses = parseOrderBy(options.orderBy, "run");
    const viewType = options.runViewType ?? "ACTIVE_ONLY";
    const needed = keysRead([...clauses, ...orderClauses]);
    const candidates = [];
    for (const experimentId of options.experimentIds) {
      validateExperimentId(experimentId);
      const directory = await this.experimentDirectory(experimentId);
      if (!directory) continue;
      for (const name of await listSubdirectories(directory)) {
        if (!RESERVED_EXPERIMENT_FOLDERS.has(name))
          candidates.push({ experimentId, directory: join(directory, name) });
      }
    }
    const loaded = [];
    for (const [index, { experimentId, directory }] of candidates.entries()) {
      loaded.push(scanRun(directory, experimentId, viewType, needed));
      if (index % SCAN_BATCH === SCAN_BATCH - 1) await yieldToEventLoop();
    }
    const runs = loaded.filter((entry) => entry !== void 0 && matchesFilter(clauses, entry.subject));
    const order = compareBy(orderClauses);
    runs.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(runs, options.pageToken, maxResults);
    const full = await mapLimit(items, READ_CONCURRENCY, (entry) => this.readRun(entry));
    for (const { info, directory } of items) {
      this.runLocations.set(info.runId, { experimentId: info.experimentId, directory });
    }
    return withToken(full, nextPageToken);
  }
}
function scanRun(directory, experimentId, viewType, needed) {
  let info;
  try {
    info = runInfoFromMeta(readMetaSync(directory), directory, experimentId);
  } catch (error) {
    if (error instanceof StoreError) return void 0;
    throw error;
  }
  if (!info || !matchesView(viewType, info.lifecycleStage)) return void 0;
  const values = {
    metric: /* @__PURE__ */ new Map(),
    param: /* @__PURE__ */ new Map(),
    tag: /* @__PURE__ */ new Map()
  };
  for (const key of needed.metric) {
    if (!isSafeKey(key)) continue;
    const file = join(directory, "metrics", ...key.split("/"));
    const latest = latestMetric(parseMetricFile(readTextSync(file), key, file) ?? []);
    if (latest) values.metric.set(key, latest.value);
  }
  for (const type of ["param", "tag"]) {
    for (const key of needed[type]) {
      if (!isSafeKey(key)) continue;
      const text = readTextSync(join(directory, type === "param" ? "params" : "tags", ...key.split("/")));
      if (text !== void 0) values[type].set(key, text);
    }
  }
  if (!info.runName) {
    info.runName = values.tag.get(RUN_NAME_TAG) ?? readTextSync(join(directory, "tags", RUN_NAME_TAG)) ?? "";
  }
  return { info, directory, subject: runSubject(info, values) };
}
function runInfoFromMeta(meta, directory, experimentId) {
  if (!meta) return void 0;
  const runId = yamlString(meta.run_id) ?? yamlString(meta.run_uuid) ?? "";
  const info = {
    runId,
    runName: yamlString(meta.run_name) ?? "",
    experimentId: yamlString(meta.experiment_id) ?? "",
    userId: yamlString(meta.user_id) ?? "",
    status: runStatusFromNumber(meta.status),
    startTime: yamlInt(meta.start_time) ?? 0,
    artifactUri: yamlString(meta.artifact_uri) ?? "",
    lifecycleStage: yamlString(meta.lifecycle_stage) === "deleted" ? "deleted" : "active"
  };
  const endTime = yamlInt(meta.end_time);
  if (endTime !== void 0) info.endTime = endTime;
  if (info.experimentId !== experimentId) {
    throw new StoreError("INVALID_STATE", `Run '${runId}' metadata is in invalid state.`, {
      file: join(directory, "meta.yaml"),
      fix: `Its experiment_id is '${info.experimentId}' but it lies in experiment folder '${experimentId}'.`
    });
  }
  return info;
}
function parseMetricFile(text, key, file) {
  if (text === void 0) return void 0;
  const points = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const parsed = parseMetricLine(line);
    if (!parsed) {
      throw new StoreError(
        "INTERNAL_ERROR",
        `Metric '${key}' is malformed; persisted metric data contained ${line.trim().split(" ").length} fields. Expected 2 or 3 fields.`,
        { file, fix: `Repair or remove the line '${line.trim()}' in ${file}.` }
      );
    }
    points.push({ key, ...parsed });
  }
  return points;
}
function isSafeKey(key) {
  try {
    validateKey("tag", key);
    return true;
  } catch {
    return false;
  }
}
function matchesView(viewType, stage) {
  if (viewType === "ALL") return true;
  return viewType === "ACTIVE_ONLY" ? stage === "active" : stage === "deleted";
}
function withToken(items, nextPageToken) {
  return nextPageToken ? { items, nextPageToken } : { items };
}
function sortRecord(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function runSubject(info, values) {
  return {
    get(type, key) {
      switch (type) {
        case "metric":
          return values.metric.get(key);
        case "param":
          return values.param.get(key);
        case "tag":
          return values.tag.get(key);
        case "attribute":
          return runAttribute(info, key);
      }
    }
  };
}
function runAttribute(info, key) {
  switch (key) {
    case "run_id":
      return info.runId;
    case "run_name":
      return info.runName;
    case "user_id":
      return info.userId;
    case "status":
      return info.status;
    case "start_time":
      return info.startTime;
    case "end_time":
      return info.endTime;
    case "artifact_uri":
      return info.artifactUri;
    case "lifecycle_stage":
      return info.lifecycleStage;
    case "experiment_id":
      return info.experimentId;
    default:
      return void 0;
  }
}
function experimentSubject(experiment) {
  return {
    get(type, key) {
      if (type === "tag") return experiment.tags[key];
      switch (key) {
        case "name":
          return experiment.name;
        case "experiment_id":
          return experiment.experimentId;
        case "creation_time":
          return experiment.creationTime;
        case "last_update_time":
          return experiment.lastUpdateTime;
        default:
          return void 0;
      }
    }
  };
}

const ENVIRONMENT_ERRORS = {
  EACCES: "Give the job write access to the store directory, or point MLFLOW_TRACKING_URI elsewhere.",
  EPERM: "Give the job write access to the store directory, or point MLFLOW_TRACKING_URI elsewhere.",
  EROFS: "The store is on a read-only file system; point MLFLOW_TRACKING_URI at a writable directory.",
  ENOSPC: "The disk is full; free space or point MLFLOW_TRACKING_URI at another volume.",
  ENOTDIR: "A file stands where the store expects a directory; check MLFLOW_TRACKING_URI.",
  EEXIST: "A file stands where the store expects a directory; check MLFLOW_TRACKING_URI."
};
class FileMlflowClient extends BaseMlflowClient {
  backend = "file";
  trackingUri;
  /** The store root directory. */
  root;
  tracking;
  registry;
  service;
  constructor(options) {
    super();
    this.root = options.root;
    this.trackingUri = pathToFileUri(options.root);
    this.service = `MLflow file store at ${options.root}`;
    this.tracking = new FileTrackingStore({
      root: options.root,
      ...options.userId ? { userId: options.userId } : {}
    });
    this.registry = new FileRegistryStore({ root: options.root });
  }
  /** Runs a store operation, turning its failures into typed errors naming this store and the call. */
  async run(call, operation) {
    try {
      return await operation();
    } catch (error) {
      throw this.translate(error, call);
    }
  }
  translate(error, call) {
    const base = { service: this.service, call };
    if (error instanceof InvalidParameterValue) {
      return new MlflowInvalidParameterError(error.message, {
        ...base,
        errorCode: "INVALID_PARAMETER_VALUE"
      });
    }
    if (error instanceof StoreError) {
      const options = {
        ...base,
        errorCode: error.errorCode,
        ...error.details.suggestions ? { suggestions: error.details.suggestions } : {},
        ...error.details.fix ? { fix: error.details.fix } : {},
        ...error.details.file ? { file: error.details.file } : {}
      };
      return error.details.alias ? new MlflowAliasNotFoundError(error.message, options) : mlflowErrorFor(error.message, options);
    }
    const code = error?.code;
    const fix = code ? ENVIRONMENT_ERRORS[code] : void 0;
    if (fix) {
      const path = error.path;
      return new MlflowError(`${code}: ${error.message}`, {
        ...base,
        errorCode: "INTERNAL_ERROR",
        fix,
        ...path ? { file: path } : {},
        cause: error
      });
    }
    return error;
  }
  getExperiment(experimentId) {
    return this.run(`getExperiment(${experimentId})`, () => this.tracking.getExperiment(experimentId));
  }
  getExperimentByName(name) {
    return this.run(`getExperimentByName(${name})`, () => this.tracking.getExperimentByName(name));
  }
  createExperiment(name, options) {
    return this.run(`createExperiment(${name})`, () => this.tracking.createExperiment(name, options));
  }
  searchExperiments(options = {}) {
    return this.run("searchExperiments", () => this.tracking.searchExperiments(options));
  }
  createRun(options) {
    return this.run(`createRun(experiment ${options.experimentId})`, () => this.tracking.createRun(options));
  }
  getRun(runId) {
    return this.run(`getRun(${runId})`, () => this.tracking.getRun(runId));
  }
  updateRun(runId, options) {
    return this.run(`updateRun(${runId})`, () => this.tracking.updateRun(runId, options));
  }
  searchRuns(options) {
    return this.run("searchRuns", () => this.tracking.searchRuns(options));
  }
  logMetric(runId, key, value, options = {}) {
    return this.run(
      `logMetric(${runId}, ${key})`,
      () => this.tracking.logMetrics(runId, [{ key, value, ...options }])
    );
  }
  logParam(runId, key, value) {
    return this.run(
      `logParam(${runId}, ${key})`,
      () => this.tracking.logParams(runId, [{ key, value: String(value) }])
    );
  }
  setTag(runId, key, value) {
    return this.run(
      `setTag(${runId}, ${key})`,
      () => this.tracking.setTags(runId, [{ key, value: String(value) }])
    );
  }
  logBatch(runId, batch) {
    return this.run(
      `logBatch(${runId})`,
      () => this.tracking.logBatch(runId, batch.metrics ?? [], toPairs(batch.params), toPairs(batch.tags))
    );
  }
  getMetricHistory(runId, key, options) {
    return this.run(
      `getMetricHistory(${runId}, ${key})`,
      () => this.tracking.getMetricHistory(runId, key, options)
    );
  }
  createRegisteredModel(name, options) {
    return this.run(`createRegisteredModel(${name})`, async () => {
      await this.tracking.ensureStore();
      return this.registry.createRegisteredModel(name, options);
    });
  }
  getRegisteredModel(name) {
    return this.run(`getRegisteredModel(${name})`, () => this.registry.getRegisteredModel(name));
  }
  searchRegisteredModels(options = {}) {
    return this.run("searchRegisteredModels", () => this.registry.searchRegisteredModels(options));
  }
  createModelVersion(options) {
    return this.run(`createModelVersion(${options.name})`, () => this.registry.createModelVersion(options));
  }
  getModelVersion(name, version) {
    return this.run(
      `getModelVersion(${name}, ${version})`,
      () => this.registry.getModelVersion(name, version)
    );
  }
  searchModelVersions(options = {}) {
    return this.run("searchModelVersions", () => this.registry.searchModelVersions(options));
  }
  setRegisteredModelTag(name, key, value) {
    return this.run(
      `setRegisteredModelTag(${name}, ${key})`,
      () => this.registry.setRegisteredModelTag(name, key, String(value))
    );
  }
  setModelVersionTag(name, version, key, value) {
    return this.run(
      `setModelVersionTag(${name}, ${version}, ${key})`,
      () => this.registry.setModelVersionTag(name, version, key, String(value))
    );
  }
  setRegisteredModelAlias(name, alias, version) {
    return this.run(
      `setRegisteredModelAlias(${name}, ${alias})`,
      () => this.registry.setRegisteredModelAlias(name, alias, version)
    );
  }
  deleteRegisteredModelAlias(name, alias) {
    return this.run(
      `deleteRegisteredModelAlias(${name}, ${alias})`,
      () => this.registry.deleteRegisteredModelAlias(name, alias)
    );
  }
  getModelVersionByAlias(name, alias) {
    return this.run(
      `getModelVersionByAlias(${name}, ${alias})`,
      () => this.registry.getModelVersionByAlias(name, alias)
    );
  }
}

function wireInt(value) {
  if (value === void 0 || value === null || value === "") return void 0;
  const number = Number(value);
  return Number.isFinite(number) ? number : void 0;
}
function wireDouble(value) {
  if (typeof value === "number") return value;
  if (value === "NaN") return Number.NaN;
  if (value === "Infinity") return Number.POSITIVE_INFINITY;
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
  return Number(value ?? 0);
}
function toWireDouble(value) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return value;
}
function fromWirePairs(pairs) {
  const record = {};
  for (const pair of pairs ?? []) if (pair.key !== void 0) record[pair.key] = pair.value ?? "";
  return record;
}
function toWirePairs(record) {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}
function lifecycle(value) {
  return value === "deleted" ? "deleted" : "active";
}
function fromWireExperiment(wire) {
  const experiment = {
    experimentId: String(wire.experiment_id ?? ""),
    name: wire.name ?? "",
    artifactLocation: wire.artifact_location ?? "",
    lifecycleStage: lifecycle(wire.lifecycle_stage),
    tags: fromWirePairs(wire.tags)
  };
  const creationTime = wireInt(wire.creation_time);
  const lastUpdateTime = wireInt(wire.last_update_time);
  if (creationTime !== void 0) experiment.creationTime = creationTime;
  if (lastUpdateTime !== void 0) experiment.lastUpdateTime = lastUpdateTime;
  return experiment;
}
function fromWireMetric(wire) {
  return {
    key: wire.key ?? "",
    value: wireDouble(wire.value),
    timestamp: wireInt(wire.timestamp) ?? 0,
    step: wireInt(wire.step) ?? 0
  };
}
function fromWireRunInfo(wire) {
  const info = {
    runId: wire.run_id ?? wire.run_uuid ?? "",
    runName: wire.run_name ?? "",
    experimentId: String(wire.experiment_id ?? ""),
    userId: wire.user_id ?? "",
    status: wire.status ?? "RUNNING",
    startTime: wireInt(wire.start_time) ?? 0,
    artifactUri: wire.artifact_uri ?? "",
    lifecycleStage: lifecycle(wire.lifecycle_stage)
  };
  const endTime = wireInt(wire.end_time);
  if (endTime !== void 0) info.endTime = endTime;
  return info;
}
function fromWireRun(wire) {
  const metrics = {};
  for (const metric of wire.data?.metrics ?? []) {
    const converted = fromWireMetric(metric);
    metrics[converted.key] = converted;
  }
  const tags = fromWirePairs(wire.data?.tags);
  const info = fromWireRunInfo(wire.info ?? {});
  if (!info.runName && tags["mlflow.runName"]) info.runName = tags["mlflow.runName"];
  return { info, data: { metrics, params: fromWirePairs(wire.data?.params), tags } };
}
function fromWireModelVersion(wire) {
  const version = {
    name: wire.name ?? "",
    version: String(wire.version ?? ""),
    creationTimestamp: wireInt(wire.creation_timestamp) ?? 0,
    currentStage: wire.current_stage ?? "None",
    source: wire.source ?? "",
    status: wire.status ?? "READY",
    tags: fromWirePairs(wire.tags),
    aliases: [...wire.aliases ?? []]
  };
  const lastUpdated = wireInt(wire.last_updated_timestamp);
  if (lastUpdated !== void 0) version.lastUpdatedTimestamp = lastUpdated;
  if (wire.description) version.description = wire.description;
  if (wire.run_id) version.runId = wire.run_id;
  if (wire.run_link) version.runLink = wire.run_link;
  if (wire.user_id) version.userId = wire.user_id;
  if (wire.status_message) version.statusMessage = wire.status_message;
  return version;
}
function fromWireRegisteredModel(wire) {
  const aliases = {};
  for (const alias of wire.aliases ?? []) if (alias.alias) aliases[alias.alias] = String(alias.version ?? "");
  const model = {
    name: wire.name ?? "",
    creationTimestamp: wireInt(wire.creation_timestamp) ?? 0,
    latestVersions: (wire.latest_versions ?? []).map(fromWireModelVersion),
    tags: fromWirePairs(wire.tags),
    aliases
  };
  const lastUpdated = wireInt(wire.last_updated_timestamp);
  if (lastUpdated !== void 0) model.lastUpdatedTimestamp = lastUpdated;
  if (wire.description) model.description = wire.description;
  return model;
}

function authorizationHeader(auth) {
  if (auth?.token) return `Bearer ${auth.token}`;
  if (auth?.username !== void 0 && auth.username !== "") {
    return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ""}`, "utf8").toString("base64")}`;
  }
  return void 0;
}
function describeMlflowBody(_status, body) {
  if (body && typeof body === "object" && "message" in body) {
    const { error_code: code, message } = body;
    return code ? `${code}: ${String(message)}` : String(message);
  }
  return void 0;
}
class RestMlflowClient extends BaseMlflowClient {
  backend = "rest";
  trackingUri;
  http;
  userId;
  constructor(options) {
    super();
    this.trackingUri = options.trackingUri.replace(/\/+$/, "");
    const authorization = authorizationHeader(options.auth);
    this.http = new HttpClient({
      service: "MLflow",
      baseUrl: `${this.trackingUri}/api/2.0/mlflow/`,
      ...authorization ? { headers: { authorization } } : {},
      ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs },
      ...options.retry ? { retry: options.retry } : {},
      ...options.log ? { log: options.log } : {},
      ...options.fetch ? { fetch: options.fetch } : {},
      describeErrorBody: describeMlflowBody
    });
    this.userId = options.userId;
  }
  /** Sends one call and maps MLflow error bodies to typed errors. */
  async call(method, path, payload, context = {}) {
    const isQuery = method === "GET";
    const query = {};
    if (isQuery) {
      for (const [key, value] of Object.entries(payload)) {
        if (value === void 0) continue;
        query[key] = Array.isArray(value) ? value.map(String) : String(value);
      }
    }
    try {
      const response = await this.http.request({
        method,
        path,
        ...isQuery ? { query } : { body: payload }
      });
      return response.body ?? {};
    } catch (error) {
      throw await this.toMlflowError(error, context);
    }
  }
  async toMlflowError(error, context) {
    if (!(error instanceof HttpError)) return error;
    const body = error.body;
    const base = {
      service: error.service,
      call: error.call,
      ...error.status === void 0 ? {} : { status: error.status },
      attempts: error.attempts,
      retryable: error.retryable,
      cause: error
    };
    if (error.status === 401 || error.status === 403) {
      return new MlflowError(body?.message ?? error.message, {
        ...base,
        errorCode: body?.error_code ?? (error.status === 401 ? "UNAUTHENTICATED" : "PERMISSION_DENIED"),
        fix: "Give the tracking server credentials: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic), with access to this experiment or model."
      });
    }
    if (!body || typeof body !== "object" || !body.error_code) return error;
    const message = body.message ?? error.message;
    if (body.error_code === "INVALID_PARAMETER_VALUE" && context.alias !== void 0 && context.model !== void 0) {
      if (/alias/i.test(message) && /not found|does not exist/i.test(message)) {
        const aliases = await this.aliasesOf(context.model);
        return new MlflowAliasNotFoundError(message, {
          ...base,
          errorCode: body.error_code,
          suggestions: nearestNames(context.alias, Object.keys(aliases ?? {})),
          fix: describeAliases(context.model, aliases)
        });
      }
    }
    if (body.error_code === "RESOURCE_DOES_NOT_EXIST") {
      const explained = await this.explainNotFound(context);
      return new MlflowNotFoundError(message, { ...base, errorCode: body.error_code, ...explained });
    }
    return mlflowErrorFor(message, { ...base, errorCode: body.error_code });
  }
  /** Aliases of a model (alias → version), or undefined when the model cannot be read. */
  async aliasesOf(model) {
    try {
      const response = await this.http.request({
        path: "registered-models/get",
        query: { name: model },
        retry: false
      });
      return fromWireRegisteredModel(response.body.registered_model ?? {}).aliases;
    } catch {
      return void 0;
    }
  }
  /** Lists what exists near a missing model or version, with one cheap extra call. */
  async explainNotFound(context) {
    if (context.model === void 0) {
      if (context.runId !== void 0) {
        return {
          fix: `Check the run id '${context.runId}' (32 hex characters) and that it was logged to ${this.trackingUri}.`
        };
      }
      if (context.experimentId !== void 0) {
        return { fix: `Check the experiment id '${context.experimentId}' on ${this.trackingUri}.` };
      }
      return {};
    }
    try {
      const model = await this.http.request({
        path: "registered-models/get",
        query: { name: context.model },
        retry: false,
        allowStatus: [404]
      });
      if (model.status === 200 && context.version !== void 0) {
        const versions = await this.http.request({
          path: "model-versions/search",
          query: { filter: nameFilter(context.model), max_results: 1e3 },
          retry: false
        });
        const numbers = (versions.body.model_versions ?? []).map((version) => String(version.version));
        numbers.sort((a, b) => Number(a) - Number(b));
        return {
          suggestions: numbers,
          fix: numbers.length ? `Model '${context.model}' has versions ${numbers.join(", ")}.` : `Model '${context.model}' has no versions yet.`
        };
      }
      if (model.status === 404) {
        const listing = await this.http.request({
          path: "registered-models/search",
          query: { max_results: 1e3 },
          retry: false
        });
        const names = (listing.body.registered_models ?? []).map((entry) => entry.name ?? "");
        const nearest = nearestNames(context.model, names);
        return {
          suggestions: nearest,
          fix: nearest.length ? `Did you mean ${quoteList(nearest)}? Registered models are case-sensitive.` : `No registered model is named like '${context.model}'; register it first (registered-models/create).`
        };
      }
    } catch {
    }
    return {};
  }
  async getExperiment(experimentId) {
    const body = await this.call(
      "GET",
      "experiments/get",
      { experiment_id: experimentId },
      { experimentId }
    );
    return fromWireExperiment(body.experiment ?? {});
  }
  async getExperimentByName(name) {
    try {
      const body = await this.call("GET", "experiments/get-by-name", {
        experiment_name: name
      });
      return fromWireExperiment(body.experiment ?? {});
    } catch (error) {
      if (error instanceof MlflowNotFoundError) return void 0;
      throw error;
    }
  }
  async createExperiment(name, options = {}) {
    const body = await this.call("POST", "experiments/create", {
      name,
      ...options.artifactLocation ? { artifact_location: options.artifactLocation } : {},
      tags: toWirePairs(options.tags)
    });
    return String(body.experiment_id ?? "");
  }
  async searchExperiments(options = {}) {
    const body = await this.call(
      "POST",
      "experiments/search",
      {
        max_results: options.maxResults ?? 1e3,
        ...options.filter ? { filter: options.filter } : {},
        ...options.orderBy ? { order_by: options.orderBy } : {},
        ...options.pageToken ? { page_token: options.pageToken } : {}
      }
    );
    return page((body.experiments ?? []).map(fromWireExperiment), body.next_page_token);
  }
  async createRun(options) {
    const body = await this.call(
      "POST",
      "runs/create",
      {
        experiment_id: options.experimentId,
        start_time: options.startTime ?? Date.now(),
        ...options.runName ? { run_name: options.runName } : {},
        ...options.userId ?? this.userId ? { user_id: options.userId ?? this.userId } : {},
        tags: toWirePairs(options.tags)
      },
      { experimentId: options.experimentId }
    );
    return fromWireRun(body.run ?? {});
  }
  async getRun(runId) {
    const body = await this.call("GET", "runs/get", { run_id: runId }, { runId });
    return fromWireRun(body.run ?? {});
  }
  async updateRun(runId, options) {
    const body = await this.call(
      "POST",
      "runs/update",
      {
        run_id: runId,
        run_uuid: runId,
        ...options.status ? { status: options.status } : {},
        ...options.endTime === void 0 ? {} : { end_time: options.endTime },
        ...options.runName === void 0 ? {} : { run_name: options.runName }
      },
      { runId }
    );
    return fromWireRunInfo(body.run_info ?? {});
  }
  async searchRuns(options) {
    const body = await this.call("POST", "runs/search", {
      experiment_ids: options.experimentIds,
      max_results: options.maxResults ?? 1e3,
      run_view_type: options.runViewType ?? "ACTIVE_ONLY",
      ...options.filter ? { filter: options.filter } : {},
      ...options.orderBy?.length ? { order_by: options.orderBy } : {},
      ...options.pageToken ? { page_token: options.pageToken } : {}
    });
    return page((body.runs ?? []).map(fromWireRun), body.next_page_token);
  }
  async logMetric(runId, key, value, options = {}) {
    await this.call(
      "POST",
      "runs/log-metric",
      {
        run_id: runId,
        run_uuid: runId,
        key,
        value: toWireDouble(value),
        timestamp: options.timestamp ?? Date.now(),
        step: options.step ?? 0
      },
      { runId }
    );
  }
  async logParam(runId, key, value) {
    await this.call("POST", "runs/log-parameter", { run_id: runId, run_uuid: runId, key, value }, { runId });
  }
  async setTag(runId, key, value) {
    await this.call("POST", "runs/set-tag", { run_id: runId, run_uuid: runId, key, value }, { runId });
  }
  async logBatch(runId, batch) {
    const now = Date.now();
    await this.call(
      "POST",
      "runs/log-batch",
      {
        run_id: runId,
        metrics: (batch.metrics ?? []).map((metric) => ({
          key: metric.key,
          value: toWireDouble(metric.value),
          timestamp: metric.timestamp ?? now,
          step: metric.step ?? 0
        })),
        params: toPairs(batch.params),
        tags: toPairs(batch.tags)
      },
      { runId }
    );
  }
  async getMetricHistory(runId, key, options = {}) {
    const body = await this.call(
      "GET",
      "metrics/get-history",
      { run_id: runId, metric_key: key, max_results: options.maxResults, page_token: options.pageToken },
      { runId }
    );
    return page((body.metrics ?? []).map(fromWireMetric), body.next_page_token);
  }
  async createRegisteredModel(name, options = {}) {
    const body = await this.call(
      "POST",
      "registered-models/create",
      {
        name,
        tags: toWirePairs(options.tags),
        ...options.description ? { description: options.description } : {}
      }
    );
    return fromWireRegisteredModel(body.registered_model ?? {});
  }
  async getRegisteredModel(name) {
    const body = await this.call(
      "GET",
      "registered-models/get",
      { name },
      { model: name }
    );
    return fromWireRegisteredModel(body.registered_model ?? {});
  }
  async searchRegisteredModels(options = {}) {
    const body = await this.call(
      "GET",
      "registered-models/search",
      {
        filter: options.filter,
        max_results: options.maxResults ?? 100,
        order_by: options.orderBy,
        page_token: options.pageToken
      }
    );
    return page((body.registered_models ?? []).map(fromWireRegisteredModel), body.next_page_token);
  }
  async createModelVersion(options) {
    const body = await this.call(
      "POST",
      "model-versions/create",
      {
        name: options.name,
        source: options.source,
        ...options.runId ? { run_id: options.runId } : {},
        ...options.runLink ? { run_link: options.runLink } : {},
        ...options.description ? { description: options.description } : {},
        tags: toWirePairs(options.tags)
      },
      { model: options.name }
    );
    return fromWireModelVersion(body.model_version ?? {});
  }
  async getModelVersion(name, version) {
    const body = await this.call(
      "GET",
      "model-versions/get",
      { name, version: String(version) },
      { model: name, version: String(version) }
    );
    return fromWireModelVersion(body.model_version ?? {});
  }
  async searchModelVersions(options = {}) {
    const body = await this.call(
      "GET",
      "model-versions/search",
      {
        filter: options.filter,
        max_results: options.maxResults ?? 1e3,
        order_by: options.orderBy,
        page_token: options.pageToken
      }
    );
    return page((body.model_versions ?? []).map(fromWireModelVersion), body.next_page_token);
  }
  async setRegisteredModelTag(name, key, value) {
    await this.call("POST", "registered-models/set-tag", { name, key, value }, { model: name });
  }
  async setModelVersionTag(name, version, key, value) {
    await this.call(
      "POST",
      "model-versions/set-tag",
      { name, version: String(version), key, value },
      { model: name, version: String(version) }
    );
  }
  async setRegisteredModelAlias(name, alias, version) {
    await this.call(
      "POST",
      "registered-models/alias",
      { name, alias, version: String(version) },
      { model: name, version: String(version) }
    );
  }
  async deleteRegisteredModelAlias(name, alias) {
    await this.call("DELETE", "registered-models/alias", { name, alias }, { model: name });
  }
  async getModelVersionByAlias(name, alias) {
    const body = await this.call(
      "GET",
      "registered-models/alias",
      { name, alias },
      { model: name, alias }
    );
    return fromWireModelVersion(body.model_version ?? {});
  }
}
function page(items, nextPageToken) {
  return nextPageToken ? { items, nextPageToken } : { items };
}
function nameFilter(name) {
  return name.includes("'") ? `name = "${name}"` : `name = '${name}'`;
}
function describeAliases(model, aliases) {
  if (!aliases) return `Check that model '${model}' exists and the alias is set (registered-models/alias).`;
  const entries = Object.entries(aliases);
  if (entries.length === 0)
    return `Model '${model}' has no aliases yet; set one with setRegisteredModelAlias.`;
  return `Aliases of '${model}': ${entries.map(([alias, version]) => `${alias} \u2192 version ${version}`).join(", ")}.`;
}

const DEFAULT_TRACKING_DIRECTORY = "mlruns";
function resolveTrackingUri(uri, cwd = process.cwd()) {
  const value = uri?.trim();
  if (!value) return { backend: "file", root: resolve(cwd, DEFAULT_TRACKING_DIRECTORY) };
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new UserError(`Tracking URI '${value}' is not a valid URL.`, {
        input: "MLFLOW_TRACKING_URI",
        fix: "Give the tracking server as http(s)://host[:port][/prefix], e.g. http://mlflow:5000."
      });
    }
    return { backend: "rest", url: value.replace(/\/+$/, "") };
  }
  if (/^file:/i.test(value)) return { backend: "file", root: fileUriToPath(value) };
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(value)?.[1];
  if (scheme && !(scheme.length === 1 && process.platform === "win32")) {
    throw new UserError(`Tracking URI scheme '${scheme}:' is not supported by this client.`, {
      input: "MLFLOW_TRACKING_URI",
      fix: scheme === "databricks" ? "Use the workspace URL (https://<workspace>.cloud.databricks.com) with MLFLOW_TRACKING_TOKEN." : `Serve the store with 'mlflow server --backend-store-uri ${value}' and set MLFLOW_TRACKING_URI to its http:// URL, or use a local mlruns directory.`
    });
  }
  return { backend: "file", root: resolve(cwd, value) };
}
function authFromEnv(env) {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return { token };
  const username = env.MLFLOW_TRACKING_USERNAME;
  if (username) return { username, password: env.MLFLOW_TRACKING_PASSWORD ?? "" };
  return void 0;
}
function createMlflowClient(options = {}) {
  const env = options.env ?? process.env;
  const target = resolveTrackingUri(options.trackingUri ?? env.MLFLOW_TRACKING_URI, options.cwd);
  const userId = options.userId;
  if (target.backend === "file") {
    return new FileMlflowClient({ root: target.root, ...userId ? { userId } : {} });
  }
  const auth = options.auth ?? authFromEnv(env);
  return new RestMlflowClient({
    trackingUri: target.url,
    ...auth ? { auth } : {},
    ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs },
    ...options.retry ? { retry: options.retry } : {},
    ...options.log ? { log: options.log } : {},
    ...options.fetch ? { fetch: options.fetch } : {},
    ...userId ? { userId } : {}
  });
}

export { MlflowAliasNotFoundError as M, validateKey as a, MlflowNotFoundError as b, createMlflowClient as c, parseModelUri as p, validateAliasName as v };
