/**
 * Training as an Argo Workflows workflow submitted from a WorkflowTemplate (argo-server REST API).
 * Kubernetes names are unique per namespace, so the workflow gets a fixed name derived from the
 * model and the fingerprint: a second submission of the same fingerprint answers 409 AlreadyExists,
 * which means "already dispatched". Labels (≤ 63 characters) carry the model and a prefix of the
 * fingerprint for lookups; annotations carry the full fingerprint and the dispatch id.
 *
 * A fingerprint whose earlier workflow failed (or succeeded before the baseline, e.g. a retrain for
 * `max-age`) gets the next name, `<name>-r2`, `-r3`…: concurrent submitters pick the same next name,
 * so one of them still gets the 409.
 */
import { HttpClient, HttpError, UserError, type RetryOptions } from '@modelops/core';
import { createExactlyOnce, sentence } from './exactly-once.ts';
import {
  countsAsExisting,
  trainingParameters,
  type DispatchOutcome,
  type DispatchRequest,
  type Dispatcher,
  type EngineRun,
  type FindOptions,
  type RunState,
  grpcGatewayMessage,
} from './types.ts';

/** Settings of {@link ArgoDispatcher}. */
export interface ArgoSettings {
  /** Base URL of argo-server, e.g. https://argo.example.com:2746. */
  url: string;
  namespace: string;
  /** The WorkflowTemplate to submit. */
  template: string;
  /** The model; workflow names and labels carry it. */
  model: string;
  /** Bearer token (a `Bearer ` prefix is accepted). */
  token?: string;
  retry?: RetryOptions;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

/** The subset of an Argo Workflow this module reads. */
interface ArgoWorkflow {
  metadata: {
    name: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  status?: { phase?: string };
}

/** Label and annotation keys. */
export const ARGO_LABELS = {
  model: 'modelops.io/model',
  fingerprint: 'modelops.io/fingerprint',
  dispatchId: 'modelops.io/dispatch-id',
} as const;

/** Maps an Argo workflow phase to a run state. */
export function argoRunState(phase: string | undefined): RunState {
  switch (phase) {
    case 'Running':
      return 'running';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
    case 'Error':
      return 'failed';
    default:
      return 'pending'; // Pending, or no phase yet
  }
}

/** A Kubernetes label value: ≤ 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** The hex part of a fingerprint, as labels carry it (40 characters: labels allow 63). */
export function fingerprintLabel(fingerprint: string): string {
  return fingerprint.replace(/^sha256:/, '').slice(0, 40);
}

/** The workflow name of attempt `n` (1-based) of a fingerprint: a DNS-1123 label. */
export function argoWorkflowName(model: string, fingerprint: string, n = 1): string {
  const hex = fingerprint.replace(/^sha256:/, '').slice(0, 16);
  const suffix = n > 1 ? `-r${n}` : '';
  const room = 63 - hex.length - suffix.length - 1;
  const prefix = model
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, room)
    .replace(/-+$/, '');
  return `${prefix || 'retrain'}-${hex}${suffix}`;
}

/** Dispatches to Argo Workflows. */
export class ArgoDispatcher implements Dispatcher {
  readonly engine = 'argo' as const;
  private readonly http: HttpClient;
  private readonly settings: ArgoSettings;
  private readonly ui: string;

  constructor(settings: ArgoSettings) {
    this.settings = settings;
    this.ui = settings.url.replace(/\/+$/, '');
    const token = settings.token?.replace(/^Bearer\s+/i, '');
    this.http = new HttpClient({
      service: 'Argo Workflows',
      baseUrl: settings.url,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(settings.retry ? { retry: settings.retry } : {}),
      ...(settings.log ? { log: settings.log } : {}),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      describeErrorBody: grpcGatewayMessage,
    });
  }

  get service(): string {
    return this.http.serviceName;
  }

  private get base(): string {
    return `api/v1/workflows/${encodeURIComponent(this.settings.namespace)}`;
  }

  private toRun(workflow: ArgoWorkflow): EngineRun {
    const name = workflow.metadata.name;
    return {
      id: name,
      url: `${this.ui}/workflows/${encodeURIComponent(this.settings.namespace)}/${encodeURIComponent(name)}`,
      state: argoRunState(workflow.status?.phase),
      ...(workflow.metadata.creationTimestamp ? { createdAt: workflow.metadata.creationTimestamp } : {}),
      engineState: workflow.status?.phase || 'Pending',
    };
  }

  /** Every workflow of this fingerprint in the namespace. */
  private async workflowsOf(fingerprint: string): Promise<ArgoWorkflow[]> {
    const selector = `${ARGO_LABELS.model}=${labelValue(this.settings.model)},${ARGO_LABELS.fingerprint}=${fingerprintLabel(fingerprint)}`;
    const body = await this.http
      .json<{ items?: ArgoWorkflow[] | null }>('GET', this.base, undefined, {
        'listOptions.labelSelector': selector,
      })
      .catch((error: unknown) => {
        throw this.refine(error);
      });
    // `items` is null, not [], when nothing matches; the annotation holds the full fingerprint.
    return (body.items ?? []).filter(
      (w) => w.metadata.annotations?.[ARGO_LABELS.fingerprint] === fingerprint,
    );
  }

  async find(fingerprint: string, options: FindOptions = {}): Promise<EngineRun | undefined> {
    const runs = (await this.workflowsOf(fingerprint))
      .map((w) => this.toRun(w))
      .sort((a, b) => Date.parse(b.createdAt ?? '0') - Date.parse(a.createdAt ?? '0'));
    return runs.find((run) => countsAsExisting(run, options.since));
  }

  private async get(name: string): Promise<ArgoWorkflow | undefined> {
    const response = await this.http
      .request<ArgoWorkflow>({
        method: 'GET',
        path: `${this.base}/${encodeURIComponent(name)}`,
        allowStatus: [404],
      })
      .catch((error: unknown) => {
        throw this.refine(error);
      });
    return response.status === 404 ? undefined : response.body;
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    const existing = await this.workflowsOf(request.fingerprint);
    // Another step may have submitted since this one looked: then that workflow is the run.
    const current = existing.map((w) => this.toRun(w)).find((run) => countsAsExisting(run, request.since));
    if (current) return { run: current, deduplicated: true };
    const taken = new Set(existing.map((w) => w.metadata.name));
    let n = 1;
    while (taken.has(argoWorkflowName(request.model, request.fingerprint, n))) n++;
    const name = argoWorkflowName(request.model, request.fingerprint, n);
    const parameters = Object.entries(trainingParameters(request)).map(
      ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    );
    const body = {
      namespace: this.settings.namespace,
      resourceKind: 'WorkflowTemplate',
      resourceName: this.settings.template,
      submitOptions: {
        name,
        parameters,
        labels: `${ARGO_LABELS.model}=${labelValue(this.settings.model)},${ARGO_LABELS.fingerprint}=${fingerprintLabel(request.fingerprint)}`,
        annotations: `${ARGO_LABELS.fingerprint}=${request.fingerprint},${ARGO_LABELS.dispatchId}=${request.dispatchId}`,
      },
    };
    const ours = (w: ArgoWorkflow) => w.metadata.annotations?.[ARGO_LABELS.dispatchId] === request.dispatchId;
    try {
      const workflow = await createExactlyOnce<ArgoWorkflow>({
        service: this.service,
        call: `POST /${this.base}/submit`,
        attempt: async () =>
          (
            await this.http.request<ArgoWorkflow>({
              method: 'POST',
              path: `${this.base}/submit`,
              body,
              retry: false,
            })
          ).body,
        recover: async () => {
          const existing = await this.get(name);
          return existing && ours(existing) ? existing : undefined;
        },
        isRetryable: (error) => error instanceof HttpError && error.retryable,
        ...(this.settings.sleep ? { sleep: this.settings.sleep } : {}),
        ...(this.settings.log ? { log: this.settings.log } : {}),
      });
      return { run: this.toRun(workflow), deduplicated: false };
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) {
        // Another submitter (or our own earlier attempt) created the workflow first.
        const existing = await this.get(name);
        if (existing) return { run: this.toRun(existing), deduplicated: !ours(existing) };
      }
      throw this.refine(error, `submit WorkflowTemplate '${this.settings.template}'`);
    }
  }

  async status(runId: string): Promise<EngineRun> {
    const workflow = await this.get(runId);
    if (!workflow) {
      throw new UserError(
        `Argo workflow '${runId}' no longer exists in namespace '${this.settings.namespace}'.`,
        {
          input: 'argo-namespace',
          fix: 'It was deleted (or garbage-collected by a TTL strategy) while the step waited; check the workflow archive.',
        },
      );
    }
    return this.toRun(workflow);
  }

  private refine(error: unknown, what = 'call the API'): unknown {
    if (!(error instanceof HttpError) || error.retryable) return error;
    const status = error.status;
    if (status === 401 || status === 403) {
      return new UserError(`Argo Workflows refused to ${what} (HTTP ${status}): ${sentence(error.message)}`, {
        input: 'token',
        fix: 'Pass a bearer token argo-server accepts in `token`, with rights to submit workflows in the namespace.',
        cause: error,
      });
    }
    if (status === 404 || status === 400) {
      return new UserError(`Argo Workflows could not ${what} (HTTP ${status}): ${sentence(error.message)}`, {
        input: status === 404 ? 'argo-template' : 'inputs',
        fix:
          status === 404
            ? 'Check argo-url, argo-namespace and argo-template (the WorkflowTemplate must exist in that namespace).'
            : 'Check the parameters and the template.',
        cause: error,
      });
    }
    return error;
  }
}
