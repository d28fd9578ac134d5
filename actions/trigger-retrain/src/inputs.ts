/**
 * The step's inputs, read and checked up front: a wrong or missing setting fails before anything is
 * hashed or dispatched, with a message naming the input and the fix.
 */
import {
  UserError,
  getBooleanInput,
  getChoiceInput,
  getDurationInput,
  getInput,
  getJsonInput,
  getListInput,
  getOptionalDurationInput,
  getOptionalInput,
  listNames,
  readContext,
  type InputSource,
} from '@modelops/core';
import { defaultLockPath } from './lock.ts';
import { DISPATCH_ENGINES, RESERVED_PARAMETERS, type DispatchEngine } from './dispatch/types.ts';

/** A model or dataset name: letters, digits, `.`, `_`, `-` (it becomes part of file and run names). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Where the baseline comes from. */
export type BaselineSetting =
  { kind: 'mlflow'; trackingUri?: string; experiment?: string } | { kind: 'lock'; path: string };

/** The chosen engine and its settings. */
export type DispatchSetting =
  | { engine: 'none' }
  | { engine: 'github-workflow'; repository: string; workflow: string; ref: string; token: string }
  | { engine: 'repository-dispatch'; repository: string; eventType: string; token: string }
  | {
      engine: 'kubeflow';
      url: string;
      pipelineId: string;
      pipelineVersionId?: string;
      experimentId?: string;
      token?: string;
    }
  | { engine: 'argo'; url: string; namespace: string; template: string; token?: string };

/** The step's inputs, parsed. */
export interface TriggerRetrainInputs {
  model: string;
  /** Dataset name → hash. */
  datasets: Record<string, string>;
  codePaths: string[];
  configPaths: string[];
  paramsFile?: string;
  paramsKeys: string[];
  maxAgeMs?: number;
  force: boolean;
  reason?: string;
  baseline: BaselineSetting;
  dispatch: DispatchSetting;
  /** Extra parameters for the training run (the `inputs` input). */
  extraInputs: Record<string, unknown>;
  wait: boolean;
  timeoutMs: number;
  updateLock: 'auto' | 'true' | 'false';
  upload: boolean;
}

/** Which engine reads which input, for "ignored" warnings. */
const ENGINE_INPUTS: Record<DispatchEngine, readonly string[]> = {
  'github-workflow': ['workflow', 'ref', 'repository'],
  'repository-dispatch': ['event-type', 'repository'],
  kubeflow: ['kfp-url', 'kfp-pipeline-id', 'kfp-pipeline-version-id', 'kfp-experiment-id'],
  argo: ['argo-url', 'argo-namespace', 'argo-template'],
};

function required(name: string, engine: string, env: InputSource, fix: string): string {
  const value = getOptionalInput(name, { env });
  if (value === undefined) {
    throw new UserError(`Input '${name}' is required with \`dispatch: ${engine}\`.`, { input: name, fix });
  }
  return value;
}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`Input '${name}' must be an http(s) URL, got '${value}'.`, {
      input: name,
      fix: `Give the server's base URL, e.g. \`${name}: https://${name.startsWith('kfp') ? 'kubeflow.example.com/pipeline' : 'argo.example.com:2746'}\`.`,
    });
  }
  return value.replace(/\/+$/, '');
}

/** Parses `dataset-hash`: one bare hash, or `name=hash` lines. */
export function parseDatasetHashes(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const fix =
    'Write one `name=hash` line per dataset (e.g. `train=${{ steps.data.outputs.hash }}`), or a single hash.';
  for (const line of lines) {
    const eq = line.indexOf('=');
    const bare = eq < 0 || /^[a-z0-9]+:/.test(line.slice(0, eq));
    if (bare && lines.length > 1) {
      throw new UserError(`Input 'dataset-hash' has several lines, so each needs a name: got '${line}'.`, {
        input: 'dataset-hash',
        fix,
      });
    }
    const name = bare ? 'dataset' : line.slice(0, eq).trim();
    const hash = bare ? line.trim() : line.slice(eq + 1).trim();
    if (!NAME_PATTERN.test(name)) {
      throw new UserError(`Input 'dataset-hash': '${name}' is not a valid dataset name.`, {
        input: 'dataset-hash',
        fix: 'Use letters, digits, `.`, `_` and `-` in dataset names.',
      });
    }
    if (hash === '' || /\s/.test(hash)) {
      throw new UserError(`Input 'dataset-hash': the hash of '${name}' is empty or has spaces ('${hash}').`, {
        input: 'dataset-hash',
        fix: 'Pass the `hash` output of dataset-hash; an empty value usually means that step did not run.',
      });
    }
    if (name in out) {
      throw new UserError(`Input 'dataset-hash' names the dataset '${name}' twice.`, {
        input: 'dataset-hash',
        fix,
      });
    }
    out[name] = hash;
  }
  return out;
}

/** The branch or tag to dispatch on when `ref` is not given: this run's, else the default branch. */
export function defaultRef(env: InputSource): string {
  const context = readContext(env);
  if (context.ref.startsWith('refs/heads/') || context.ref.startsWith('refs/tags/'))
    return context.ref.replace(/^refs\/(heads|tags)\//, '');
  return context.defaultBranch ?? 'main';
}

function parseBaseline(env: InputSource, model: string): BaselineSetting {
  const value = getInput('baseline', { env, fallback: 'mlflow' });
  if (value === 'mlflow') {
    const trackingUri = getOptionalInput('mlflow-tracking-uri', { env }) ?? env.MLFLOW_TRACKING_URI;
    const experiment = getOptionalInput('mlflow-experiment', { env });
    return { kind: 'mlflow', ...(trackingUri ? { trackingUri } : {}), ...(experiment ? { experiment } : {}) };
  }
  if (value === 'lock') return { kind: 'lock', path: defaultLockPath(model) };
  if (value.endsWith('.json')) return { kind: 'lock', path: value };
  throw new UserError(
    `Input 'baseline' must be 'mlflow', 'lock' or the path of a .json lock file, got '${value}'.`,
    {
      input: 'baseline',
      fix: `Use \`baseline: mlflow\` (the last finished MLflow run tagged modelops.model=${model}) or \`baseline: lock\` (${defaultLockPath(model)}).`,
    },
  );
}

function parseDispatch(env: InputSource): DispatchSetting {
  const engine = getChoiceInput('dispatch', ['none', ...DISPATCH_ENGINES] as const, {
    env,
    fallback: 'none',
  });
  const githubToken = () => {
    const token = getOptionalInput('token', { env }) ?? getOptionalInput('github-token', { env });
    if (!token) {
      throw new UserError(`Dispatching with \`dispatch: ${engine}\` needs a GitHub token.`, {
        input: 'github-token',
        fix: 'Leave `github-token` at its default (the job token) and grant `actions: write` (workflow_dispatch) or `contents: write` (repository_dispatch) in the job permissions.',
      });
    }
    return token;
  };
  const repository = getInput('repository', { env, fallback: env.GITHUB_REPOSITORY ?? '' });
  const checkRepository = () => {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
      throw new UserError(`Input 'repository' must be owner/name, got '${repository}'.`, {
        input: 'repository',
        fix: 'Set `repository: owner/name`, or leave it empty for this repository.',
      });
    }
    return repository;
  };
  switch (engine) {
    case 'none':
      return { engine };
    case 'github-workflow':
      return {
        engine,
        repository: checkRepository(),
        workflow: required(
          'workflow',
          engine,
          env,
          'Name the training workflow file, e.g. `workflow: train.yml`.',
        ).replace(/^\.github\/workflows\//, ''),
        ref: getInput('ref', { env }) || defaultRef(env),
        token: githubToken(),
      };
    case 'repository-dispatch': {
      const eventType = required(
        'event-type',
        engine,
        env,
        'Set the event type the training workflow listens for, e.g. `event-type: retrain`.',
      );
      if (eventType.length > 100) {
        throw new UserError(
          `Input 'event-type' is ${eventType.length} characters; GitHub allows at most 100.`,
          {
            input: 'event-type',
            fix: 'Use a shorter event type.',
          },
        );
      }
      return { engine, repository: checkRepository(), eventType, token: githubToken() };
    }
    case 'kubeflow': {
      const url = httpUrl(
        'kfp-url',
        required('kfp-url', engine, env, 'Set `kfp-url` to the Kubeflow Pipelines API (or UI) base URL.'),
      );
      const pipelineId = required(
        'kfp-pipeline-id',
        engine,
        env,
        'Set `kfp-pipeline-id` to the id of the training pipeline.',
      );
      const versionId = getOptionalInput('kfp-pipeline-version-id', { env });
      const experimentId = getOptionalInput('kfp-experiment-id', { env });
      const token = getOptionalInput('token', { env });
      return {
        engine,
        url,
        pipelineId,
        ...(versionId ? { pipelineVersionId: versionId } : {}),
        ...(experimentId ? { experimentId } : {}),
        ...(token ? { token } : {}),
      };
    }
    case 'argo': {
      const url = httpUrl(
        'argo-url',
        required('argo-url', engine, env, 'Set `argo-url` to the argo-server base URL.'),
      );
      const template = required(
        'argo-template',
        engine,
        env,
        'Set `argo-template` to the WorkflowTemplate that trains the model.',
      );
      const namespace = getInput('argo-namespace', { env, fallback: 'argo' });
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
        throw new UserError(`Input 'argo-namespace' is not a Kubernetes namespace name: '${namespace}'.`, {
          input: 'argo-namespace',
          fix: 'Use lowercase letters, digits and -, e.g. `argo-namespace: ml`.',
        });
      }
      const token = getOptionalInput('token', { env });
      return { engine, url, namespace, template, ...(token ? { token } : {}) };
    }
  }
}

/** Inputs whose action.yml default is not empty: at their default they were not "given". */
const NON_EMPTY_DEFAULTS: Record<string, string> = { 'argo-namespace': 'argo' };

/** Settings given for an engine other than the chosen one (they are ignored). */
export function ignoredSettings(env: InputSource): string[] {
  const engine = getInput('dispatch', { env, fallback: 'none' });
  const own = ENGINE_INPUTS[engine as DispatchEngine] ?? [];
  return [...new Set(Object.values(ENGINE_INPUTS).flat())].filter((name) => {
    const value = getOptionalInput(name, { env });
    return !own.includes(name) && value !== undefined && value !== NON_EMPTY_DEFAULTS[name];
  });
}

/** Reads and checks every input. */
export function readInputs(env: InputSource = process.env): TriggerRetrainInputs {
  const model = getInput('model', { env, required: true });
  if (!NAME_PATTERN.test(model)) {
    throw new UserError(
      `Input 'model' must be letters, digits, '.', '_' or '-' (at most 100), got '${model}'.`,
      {
        input: 'model',
        fix: 'Use the model name your training tags its MLflow runs with, e.g. `model: churn-classifier`.',
      },
    );
  }
  const dispatch = parseDispatch(env);
  const extraInputs = getJsonInput<unknown>('inputs', {
    env,
    fallback: {},
    what: 'the extra training inputs',
  });
  if (extraInputs === null || typeof extraInputs !== 'object' || Array.isArray(extraInputs)) {
    throw new UserError("Input 'inputs' must be a JSON object of extra parameters for the training run.", {
      input: 'inputs',
      fix: 'Write e.g. `inputs: \'{"epochs": "20"}\'`.',
    });
  }
  const reserved = Object.keys(extraInputs).filter((key) =>
    (RESERVED_PARAMETERS as readonly string[]).includes(key),
  );
  if (reserved.length > 0) {
    throw new UserError(`Input 'inputs' sets ${listNames(reserved)}, which the action sets itself.`, {
      input: 'inputs',
      fix: `Rename them; ${listNames([...RESERVED_PARAMETERS])} are reserved.`,
    });
  }
  const baseline = parseBaseline(env, model);
  const wait = getBooleanInput('wait', { env, fallback: false });
  const updateLock = getChoiceInput('update-lock', ['auto', 'true', 'false'] as const, {
    env,
    fallback: 'auto',
  });
  if (updateLock === 'true' && baseline.kind !== 'lock') {
    throw new UserError('`update-lock: true` writes the lock file, but the baseline is MLflow.', {
      input: 'update-lock',
      fix: 'Set `baseline: lock` (or a lock file path), or leave update-lock at auto.',
    });
  }
  if (updateLock === 'true' && dispatch.engine !== 'none') {
    throw new UserError(
      '`update-lock: true` records a training that already ran in this job, so it cannot dispatch one.',
      {
        input: 'update-lock',
        fix: 'Use `dispatch: none` in the step after training, or `update-lock: auto` with `wait: true` to record a dispatched run once it succeeds.',
      },
    );
  }
  const paramsFile = getOptionalInput('params-file', { env });
  const paramsKeys = getListInput('params-keys', { env, commas: true });
  if (paramsKeys.length > 0 && !paramsFile) {
    throw new UserError("Input 'params-keys' is set but 'params-file' is not.", {
      input: 'params-keys',
      fix: 'Name the file the keys come from, e.g. `params-file: params.yaml`.',
    });
  }
  const maxAgeMs = getOptionalDurationInput('max-age', { env });
  const reason = getOptionalInput('reason', { env });
  return {
    model,
    datasets: parseDatasetHashes(getListInput('dataset-hash', { env })),
    codePaths: getListInput('code-paths', { env }),
    configPaths: getListInput('config-paths', { env }),
    ...(paramsFile ? { paramsFile } : {}),
    paramsKeys,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
    force: getBooleanInput('force', { env, fallback: false }),
    ...(reason ? { reason } : {}),
    baseline,
    dispatch,
    extraInputs: extraInputs as Record<string, unknown>,
    wait,
    timeoutMs: getDurationInput('timeout', { env, fallback: '6h' }),
    updateLock,
    upload: getBooleanInput('upload', { env, fallback: true }),
  };
}
