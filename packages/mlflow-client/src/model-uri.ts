/**
 * MLflow's model URIs: `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/latest`,
 * `models:/<name>/<stage>` (deprecated stages) and `runs:/<run_id>/<artifact path>`; parsed the way
 * MLflow parses them, and resolved through any {@link MlflowClient}.
 */
import { UserError } from '@modelops/core';
import type { ModelVersion, Run } from './types.ts';

/** A parsed `models:/` or `runs:/` URI. */
export type ModelUri =
  | { kind: 'model-version'; uri: string; name: string; version: string }
  | { kind: 'model-alias'; uri: string; name: string; alias: string }
  | { kind: 'model-latest'; uri: string; name: string }
  | { kind: 'model-stage'; uri: string; name: string; stage: string }
  | { kind: 'run-artifact'; uri: string; runId: string; artifactPath: string };

const MODELS_FORM =
  "Models URIs must be of the form 'models:/<model_name>/<version>', 'models:/<model_name>@<alias>', 'models:/<model_name>/latest' or 'models:/<model_name>/<stage>'.";
const RUNS_FORM = "Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'.";

function bad(uri: string, form: string, input?: string): UserError {
  const kind = uri.startsWith('runs:') ? 'runs:/' : 'models:/';
  return new UserError(`'${uri}' is not a proper ${kind} URI.`, {
    fix: form,
    ...(input === undefined ? {} : { input }),
  });
}

/** The part after `scheme:` with MLflow's allowance for `scheme:///path` (empty authority). */
function pathOf(uri: string, scheme: string): string | undefined {
  let rest = uri.slice(scheme.length + 1);
  if (rest.startsWith('//')) {
    const authorityEnd = rest.indexOf('/', 2);
    const authority = authorityEnd === -1 ? rest.slice(2) : rest.slice(2, authorityEnd);
    if (authority !== '') return undefined;
    rest = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  }
  return rest;
}

/**
 * Parses a `models:/` or `runs:/` URI; throws a {@link UserError} naming the expected forms.
 * `input` names the action input the URI came from, for the message.
 */
export function parseModelUri(uri: string, input?: string): ModelUri {
  const trimmed = uri.trim();
  if (trimmed.startsWith('models:')) {
    const path = pathOf(trimmed, 'models');
    if (path === undefined || !path.startsWith('/') || path.length <= 1)
      throw bad(trimmed, MODELS_FORM, input);
    const parts = path.slice(1).split('/');
    if (parts.length > 2 || (parts[0] ?? '').trim() === '') throw bad(trimmed, MODELS_FORM, input);
    const name = parts[0] ?? '';
    if (parts.length === 2) {
      const suffix = parts[1] ?? '';
      if (suffix.trim() === '' || name.includes('@')) throw bad(trimmed, MODELS_FORM, input);
      if (/^\d+$/.test(suffix))
        return { kind: 'model-version', uri: trimmed, name, version: String(Number(suffix)) };
      if (suffix.toLowerCase() === 'latest') return { kind: 'model-latest', uri: trimmed, name };
      return { kind: 'model-stage', uri: trimmed, name, stage: suffix };
    }
    const at = name.lastIndexOf('@');
    if (at <= 0 || at === name.length - 1) throw bad(trimmed, MODELS_FORM, input);
    return { kind: 'model-alias', uri: trimmed, name: name.slice(0, at), alias: name.slice(at + 1) };
  }
  if (trimmed.startsWith('runs:')) {
    const path = pathOf(trimmed, 'runs');
    if (path === undefined || !path.startsWith('/') || path.length <= 1) throw bad(trimmed, RUNS_FORM, input);
    const [runId = '', ...rest] = path.slice(1).split('/');
    if (runId === '') throw bad(trimmed, RUNS_FORM, input);
    return { kind: 'run-artifact', uri: trimmed, runId, artifactPath: rest.join('/') };
  }
  throw new UserError(`'${trimmed}' is not a model URI.`, {
    fix: `Use 'models:/<name>/<version>', 'models:/<name>@<alias>' or 'runs:/<run_id>/<path>'.`,
    ...(input === undefined ? {} : { input }),
  });
}

/** Builds `models:/<name>/<version>` or `models:/<name>@<alias>`. */
export function modelUri(name: string, reference: { version: string | number } | { alias: string }): string {
  return 'version' in reference
    ? `models:/${name}/${reference.version}`
    : `models:/${name}@${reference.alias}`;
}

/** A model URI resolved to what it points at. */
export type ResolvedModelUri =
  | {
      kind: 'model-version';
      uri: ModelUri;
      modelVersion: ModelVersion;
      /** Where the model files are: the version's source, with `runs:/` sources made absolute. */
      artifactUri: string;
    }
  | { kind: 'run-artifact'; uri: ModelUri; run: Run; artifactUri: string };

/** The client operations resolution needs. */
export interface ModelUriResolver {
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  getLatestModelVersion(name: string, stage?: string): Promise<ModelVersion>;
  getRun(runId: string): Promise<Run>;
}

/** Joins an artifact root URI and a relative path with one slash. */
export function joinArtifactUri(root: string, path: string): string {
  if (path === '') return root;
  return `${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Resolves a parsed or textual model URI to the model version or run it names. */
export async function resolveModelUri(
  resolver: ModelUriResolver,
  uri: string | ModelUri,
): Promise<ResolvedModelUri> {
  const parsed = typeof uri === 'string' ? parseModelUri(uri) : uri;
  if (parsed.kind === 'run-artifact') {
    const run = await resolver.getRun(parsed.runId);
    return {
      kind: 'run-artifact',
      uri: parsed,
      run,
      artifactUri: joinArtifactUri(run.info.artifactUri, parsed.artifactPath),
    };
  }
  let modelVersion: ModelVersion;
  switch (parsed.kind) {
    case 'model-version':
      modelVersion = await resolver.getModelVersion(parsed.name, parsed.version);
      break;
    case 'model-alias':
      modelVersion = await resolver.getModelVersionByAlias(parsed.name, parsed.alias);
      break;
    case 'model-latest':
      modelVersion = await resolver.getLatestModelVersion(parsed.name);
      break;
    case 'model-stage':
      modelVersion = await resolver.getLatestModelVersion(parsed.name, parsed.stage);
      break;
  }
  let artifactUri = modelVersion.source;
  if (artifactUri.startsWith('runs:')) {
    const source = parseModelUri(artifactUri);
    if (source.kind === 'run-artifact') {
      const run = await resolver.getRun(source.runId);
      artifactUri = joinArtifactUri(run.info.artifactUri, source.artifactPath);
    }
  }
  return { kind: 'model-version', uri: parsed, modelVersion, artifactUri };
}
