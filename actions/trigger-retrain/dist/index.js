import { aq as sleep, u as describeError, R as RemoteError, ar as backoffDelay, H as HttpClient, a as HttpError, U as UserError, an as toGitHubError, _ as createGitHubClient, B as validateOrThrow, D as writeFileAtomic, J as getInput, as as getJsonInput, at as listNames, P as getBooleanInput, O as getChoiceInput, K as getOptionalInput, N as getListInput, au as getOptionalDurationInput, M as getDurationInput, z as readContext, a9 as checkSchema, a2 as createPathFilter, av as gitTopLevel, aw as gitIndexEntries, a6 as gitModifiedPaths, a4 as git, a1 as normalizeRelative, a0 as globBase, ax as gitBlobId, ai as readInputFile, E as parseStructured, I as didYouMean, G as formatDuration, T as escapeCell, V as markdownTable, W as details, ay as resolveInside, X as documentProducer, y as writeDocument, az as ModelopsError, l as runStep, w as warning, s as setSecret, b as debug, i as info, p as setOutputs, Y as appendJobSummary, Z as publishDocument } from '../../../dist/shared.js';
import { readFile, lstat, readlink, readdir, stat } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import 'node:fs';
import path from 'node:path';
import 'node:zlib';
import 'node:os';
import { c as createMlflowClient } from '../../../dist/shared-canary-rollout_model-gate_trigger-retrain.js';
import 'node:url';
import 'path';
import 'process';
import 'buffer';
import 'os';
import 'crypto';
import 'fs';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:child_process';
import 'node:util';

async function createExactlyOnce(options) {
  const attempts = options.attempts ?? 4;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.attempt();
    } catch (error) {
      if (!options.isRetryable(error)) throw error;
      const landed = await options.recover();
      if (landed !== void 0) {
        options.log?.(
          `${options.call}: attempt ${attempt} failed (${describeError(error)}) but it had created the run.`
        );
        return landed;
      }
      if (attempt >= attempts) {
        const status = error.status;
        throw new RemoteError(describeError(error), {
          service: options.service,
          call: options.call,
          ...typeof status === "number" ? { status } : {},
          retryable: true,
          attempts: attempt,
          fix: "Nothing was dispatched. Check that the service is up and reachable from the runner, then re-run the job.",
          cause: error
        });
      }
      const delayMs = backoffDelay(attempt);
      options.log?.(
        `${options.call}: attempt ${attempt} failed (${describeError(error)}); nothing was created; retrying in ${delayMs} ms`
      );
      await wait(delayMs);
    }
  }
}
function sentence(text) {
  const trimmed = text.trim().replace(/[\s.]+$/, "");
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

const DISPATCH_ENGINES = ["github-workflow", "repository-dispatch", "kubeflow", "argo"];
function isTerminal(state) {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}
function countsAsExisting(run, since) {
  if (run.state === "pending" || run.state === "running") return true;
  if (run.state !== "succeeded") return false;
  if (since === void 0) return true;
  if (run.createdAt === void 0) return false;
  return Date.parse(run.createdAt) > since.getTime();
}
const REASONS_PARAMETER_LIMIT = 4e3;
function reasonsParameter(reasons, limit = REASONS_PARAMETER_LIMIT) {
  const list = reasons.map((r) => ({
    code: r.code,
    detail: r.detail.length > 300 ? `${r.detail.slice(0, 299)}\u2026` : r.detail
  }));
  let text = JSON.stringify(list);
  while (text.length > limit && list.length > 1) {
    list.pop();
    text = JSON.stringify(list);
  }
  return text;
}
function trainingParameters(request) {
  return {
    ...request.inputs,
    fingerprint: request.fingerprint,
    reasons: reasonsParameter(request.reasons),
    fingerprint_inputs: request.fingerprintInputs
  };
}
const RESERVED_PARAMETERS = [
  "fingerprint",
  "reasons",
  "fingerprint_inputs",
  "distinct_id",
  "model"
];
function grpcGatewayMessage(_status, body) {
  const b = body;
  const text = typeof b?.message === "string" && b.message ? b.message : b?.error;
  return typeof text === "string" && text ? text : void 0;
}

const ARGO_LABELS = {
  model: "modelops.io/model",
  fingerprint: "modelops.io/fingerprint",
  dispatchId: "modelops.io/dispatch-id"
};
function argoRunState(phase) {
  switch (phase) {
    case "Running":
      return "running";
    case "Succeeded":
      return "succeeded";
    case "Failed":
    case "Error":
      return "failed";
    default:
      return "pending";
  }
}
function labelValue(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
function fingerprintLabel(fingerprint) {
  return fingerprint.replace(/^sha256:/, "").slice(0, 40);
}
function argoWorkflowName(model, fingerprint, n = 1) {
  const hex = fingerprint.replace(/^sha256:/, "").slice(0, 16);
  const suffix = n > 1 ? `-r${n}` : "";
  const room = 63 - hex.length - suffix.length - 1;
  const prefix = model.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, room).replace(/-+$/, "");
  return `${prefix || "retrain"}-${hex}${suffix}`;
}
class ArgoDispatcher {
  engine = "argo";
  http;
  settings;
  ui;
  constructor(settings) {
    this.settings = settings;
    this.ui = settings.url.replace(/\/+$/, "");
    const token = settings.token?.replace(/^Bearer\s+/i, "");
    this.http = new HttpClient({
      service: "Argo Workflows",
      baseUrl: settings.url,
      ...token ? { headers: { authorization: `Bearer ${token}` } } : {},
      ...settings.retry ? { retry: settings.retry } : {},
      ...settings.log ? { log: settings.log } : {},
      ...settings.fetch ? { fetch: settings.fetch } : {},
      describeErrorBody: grpcGatewayMessage
    });
  }
  get service() {
    return this.http.serviceName;
  }
  get base() {
    return `api/v1/workflows/${encodeURIComponent(this.settings.namespace)}`;
  }
  toRun(workflow) {
    const name = workflow.metadata.name;
    return {
      id: name,
      url: `${this.ui}/workflows/${encodeURIComponent(this.settings.namespace)}/${encodeURIComponent(name)}`,
      state: argoRunState(workflow.status?.phase),
      ...workflow.metadata.creationTimestamp ? { createdAt: workflow.metadata.creationTimestamp } : {},
      engineState: workflow.status?.phase || "Pending"
    };
  }
  /** Every workflow of this fingerprint in the namespace. */
  async workflowsOf(fingerprint) {
    const selector = `${ARGO_LABELS.model}=${labelValue(this.settings.model)},${ARGO_LABELS.fingerprint}=${fingerprintLabel(fingerprint)}`;
    const body = await this.http.json("GET", this.base, void 0, {
      "listOptions.labelSelector": selector
    }).catch((error) => {
      throw this.refine(error);
    });
    return (body.items ?? []).filter(
      (w) => w.metadata.annotations?.[ARGO_LABELS.fingerprint] === fingerprint
    );
  }
  async find(fingerprint, options = {}) {
    const runs = (await this.workflowsOf(fingerprint)).map((w) => this.toRun(w)).sort((a, b) => Date.parse(b.createdAt ?? "0") - Date.parse(a.createdAt ?? "0"));
    return runs.find((run) => countsAsExisting(run, options.since));
  }
  async get(name) {
    const response = await this.http.request({
      method: "GET",
      path: `${this.base}/${encodeURIComponent(name)}`,
      allowStatus: [404]
    }).catch((error) => {
      throw this.refine(error);
    });
    return response.status === 404 ? void 0 : response.body;
  }
  async dispatch(request) {
    const existing = await this.workflowsOf(request.fingerprint);
    const current = existing.map((w) => this.toRun(w)).find((run) => countsAsExisting(run, request.since));
    if (current) return { run: current, deduplicated: true };
    const taken = new Set(existing.map((w) => w.metadata.name));
    let n = 1;
    while (taken.has(argoWorkflowName(request.model, request.fingerprint, n))) n++;
    const name = argoWorkflowName(request.model, request.fingerprint, n);
    const parameters = Object.entries(trainingParameters(request)).map(
      ([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`
    );
    const body = {
      namespace: this.settings.namespace,
      resourceKind: "WorkflowTemplate",
      resourceName: this.settings.template,
      submitOptions: {
        name,
        parameters,
        labels: `${ARGO_LABELS.model}=${labelValue(this.settings.model)},${ARGO_LABELS.fingerprint}=${fingerprintLabel(request.fingerprint)}`,
        annotations: `${ARGO_LABELS.fingerprint}=${request.fingerprint},${ARGO_LABELS.dispatchId}=${request.dispatchId}`
      }
    };
    const ours = (w) => w.metadata.annotations?.[ARGO_LABELS.dispatchId] === request.dispatchId;
    try {
      const workflow = await createExactlyOnce({
        service: this.service,
        call: `POST /${this.base}/submit`,
        attempt: async () => (await this.http.request({
          method: "POST",
          path: `${this.base}/submit`,
          body,
          retry: false
        })).body,
        recover: async () => {
          const existing2 = await this.get(name);
          return existing2 && ours(existing2) ? existing2 : void 0;
        },
        isRetryable: (error) => error instanceof HttpError && error.retryable,
        ...this.settings.sleep ? { sleep: this.settings.sleep } : {},
        ...this.settings.log ? { log: this.settings.log } : {}
      });
      return { run: this.toRun(workflow), deduplicated: false };
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) {
        const existing2 = await this.get(name);
        if (existing2) return { run: this.toRun(existing2), deduplicated: !ours(existing2) };
      }
      throw this.refine(error, `submit WorkflowTemplate '${this.settings.template}'`);
    }
  }
  async status(runId) {
    const workflow = await this.get(runId);
    if (!workflow) {
      throw new UserError(
        `Argo workflow '${runId}' no longer exists in namespace '${this.settings.namespace}'.`,
        {
          input: "argo-namespace",
          fix: "It was deleted (or garbage-collected by a TTL strategy) while the step waited; check the workflow archive."
        }
      );
    }
    return this.toRun(workflow);
  }
  refine(error, what = "call the API") {
    if (!(error instanceof HttpError) || error.retryable) return error;
    const status = error.status;
    if (status === 401 || status === 403) {
      return new UserError(`Argo Workflows refused to ${what} (HTTP ${status}): ${sentence(error.message)}`, {
        input: "token",
        fix: "Pass a bearer token argo-server accepts in `token`, with rights to submit workflows in the namespace.",
        cause: error
      });
    }
    if (status === 404 || status === 400) {
      return new UserError(`Argo Workflows could not ${what} (HTTP ${status}): ${sentence(error.message)}`, {
        input: status === 404 ? "argo-template" : "inputs",
        fix: status === 404 ? "Check argo-url, argo-namespace and argo-template (the WorkflowTemplate must exist in that namespace)." : "Check the parameters and the template.",
        cause: error
      });
    }
    return error;
  }
}

function workflowRunState(status, conclusion) {
  if (status !== "completed") return status === "in_progress" ? "running" : "pending";
  switch (conclusion) {
    case "success":
    case "neutral":
      return "succeeded";
    case "cancelled":
    case "skipped":
      return "cancelled";
    default:
      return "failed";
  }
}
function toEngineRun(run) {
  return {
    id: String(run.id),
    ...run.html_url ? { url: run.html_url } : {},
    state: workflowRunState(run.status, run.conclusion),
    ...run.created_at ? { createdAt: run.created_at } : {},
    engineState: run.status === "completed" ? `completed/${run.conclusion ?? "none"}` : run.status ?? "unknown"
  };
}
function statusOf(error) {
  const status = error?.status;
  return typeof status === "number" ? status : void 0;
}
function messageOf(error) {
  const e = error;
  return e?.response?.data?.message ?? e?.message ?? String(error);
}
function isRetryableGitHubError(error) {
  const status = statusOf(error);
  return status === void 0 || status >= 500 || status === 429;
}
class GitHubDispatcher {
  service = "GitHub API";
  octokit;
  owner;
  repo;
  settings;
  constructor(settings) {
    this.settings = settings;
    this.octokit = settings.octokit;
    this.owner = settings.owner;
    this.repo = settings.repo;
  }
  async find(fingerprint, options = {}) {
    const perPage = 100;
    const pages = Math.ceil((this.settings.searchDepth ?? 300) / perPage);
    for (let page = 1; page <= pages; page++) {
      const runs = await this.listRuns(page, perPage);
      for (const run of runs) {
        if (!run.display_title?.includes(fingerprint)) continue;
        const found = toEngineRun(run);
        if (countsAsExisting(found, options.since)) return found;
      }
      if (runs.length < perPage) break;
    }
    return void 0;
  }
  async status(runId) {
    try {
      const { data } = await this.octokit.rest.actions.getWorkflowRun({
        owner: this.owner,
        repo: this.repo,
        run_id: Number(runId)
      });
      return toEngineRun(data);
    } catch (error) {
      throw toGitHubError(error, `get workflow run ${runId}`, "actions: read");
    }
  }
  /** The run whose title carries `distinctId`, created since `since`, if it shows up in time. */
  async discover(distinctId, since, timeoutMs) {
    const now = this.settings.now ?? (() => /* @__PURE__ */ new Date());
    const wait = this.settings.sleep ?? sleep;
    const interval = this.settings.pollIntervalMs ?? 3e3;
    const created = `>=${new Date(since.getTime() - 5 * 6e4).toISOString().replace(/\.\d{3}Z$/, "Z")}`;
    const deadline = now().getTime() + timeoutMs;
    for (; ; ) {
      const runs = await this.listRuns(1, 50, created);
      const match = runs.find((run) => run.display_title?.includes(distinctId));
      if (match) return toEngineRun(match);
      if (now().getTime() + interval > deadline) return void 0;
      await wait(interval);
    }
  }
  listError(error, what) {
    return toGitHubError(error, `list ${what}`, "actions: read");
  }
}
class WorkflowDispatcher extends GitHubDispatcher {
  engine = "github-workflow";
  workflow;
  ref;
  /** Set once the server refused `return_run_details` (GHES ≤ 3.20). */
  legacy = false;
  constructor(settings) {
    super(settings);
    this.workflow = settings.workflow;
    this.ref = settings.ref;
  }
  async listRuns(page, perPage, created) {
    try {
      const { data } = await this.octokit.rest.actions.listWorkflowRuns({
        owner: this.owner,
        repo: this.repo,
        workflow_id: this.workflow,
        event: "workflow_dispatch",
        per_page: perPage,
        page,
        ...created ? { created } : {}
      });
      return data.workflow_runs;
    } catch (error) {
      if (statusOf(error) === 404) throw this.workflowMissing(error);
      throw this.listError(error, `runs of workflow ${this.workflow}`);
    }
  }
  workflowMissing(cause) {
    return new UserError(
      `The workflow '${this.workflow}' does not exist in ${this.owner}/${this.repo} (HTTP 404).`,
      {
        input: "workflow",
        fix: `Name a workflow file under .github/workflows/ of ${this.owner}/${this.repo} (e.g. train.yml), and give the token access to that repository.`,
        cause
      }
    );
  }
  /** Inputs as GitHub takes them: strings, at most 25. */
  dispatchInputs(request) {
    const inputs = {};
    for (const [key, value] of Object.entries({
      ...trainingParameters(request),
      distinct_id: request.dispatchId
    })) {
      inputs[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const count = Object.keys(inputs).length;
    if (count > 25) {
      throw new UserError(`workflow_dispatch takes at most 25 inputs; this dispatch has ${count}.`, {
        input: "inputs",
        fix: "Pass fewer extra inputs (the action itself sends fingerprint, reasons, fingerprint_inputs and distinct_id)."
      });
    }
    return inputs;
  }
  async dispatch(request) {
    const inputs = this.dispatchInputs(request);
    const started = (this.settings.now ?? (() => /* @__PURE__ */ new Date()))();
    const call = `POST /repos/${this.owner}/${this.repo}/actions/workflows/${this.workflow}/dispatches`;
    const sent = await createExactlyOnce({
      service: this.service,
      call,
      attempt: () => this.sendDispatch(inputs),
      recover: () => this.discover(request.dispatchId, started, 0),
      isRetryable: isRetryableGitHubError,
      ...this.settings.sleep ? { sleep: this.settings.sleep } : {},
      ...this.settings.log ? { log: this.settings.log } : {}
    }).catch((error) => {
      throw this.dispatchError(error, call);
    });
    if (sent !== "accepted") return { run: sent, deduplicated: false };
    const run = await this.discover(request.dispatchId, started, this.settings.discoveryTimeoutMs ?? 12e4);
    return { run, deduplicated: false };
  }
  /** One dispatch call: the run when the server names it, `accepted` for a bare 204. */
  async sendDispatch(inputs) {
    const base = {
      owner: this.owner,
      repo: this.repo,
      workflow_id: this.workflow,
      ref: this.ref,
      inputs,
      // Retries go through createExactlyOnce, which first checks whether the run exists.
      request: { retries: 0 }
    };
    if (!this.legacy) {
      try {
        const response = await this.octokit.request(
          "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
          {
            ...base,
            return_run_details: true
          }
        );
        const data = response.data;
        if (response.status === 200 && data?.workflow_run_id !== void 0) {
          return {
            id: String(data.workflow_run_id),
            ...data.html_url ? { url: data.html_url } : {},
            state: "pending",
            engineState: "queued"
          };
        }
        return "accepted";
      } catch (error) {
        const status = statusOf(error);
        if ((status === 400 || status === 422) && /return_run_details/.test(messageOf(error))) {
          this.settings.log?.(
            "The server does not know return_run_details (GHES \u2264 3.20): dispatching without it."
          );
          this.legacy = true;
        } else throw error;
      }
    }
    await this.octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", base);
    return "accepted";
  }
  dispatchError(error, call) {
    if (error instanceof UserError || error instanceof RemoteError) return error;
    const status = statusOf(error);
    const message = messageOf(error);
    if (status === 404) return this.workflowMissing(error);
    if (status === 422) {
      const unexpected = /Unexpected inputs provided: (.*)/.exec(message)?.[1];
      if (unexpected) {
        return new UserError(`The workflow '${this.workflow}' does not declare the inputs ${unexpected}.`, {
          input: "workflow",
          fix: "Declare them under `on: workflow_dispatch: inputs:` of the training workflow: fingerprint, reasons, fingerprint_inputs and distinct_id, plus the keys of `inputs`.",
          cause: error
        });
      }
      if (/No ref found/i.test(message)) {
        return new UserError(`The ref '${this.ref}' does not exist in ${this.owner}/${this.repo}.`, {
          input: "ref",
          fix: "Set `ref:` to a branch or tag that has the training workflow.",
          cause: error
        });
      }
      return new UserError(`GitHub refused to dispatch '${this.workflow}': ${message}`, {
        input: "workflow",
        fix: /workflow_dispatch/.test(message) ? "Add `on: workflow_dispatch:` to the training workflow, on the ref being dispatched." : "Check the workflow, the ref and the inputs.",
        cause: error
      });
    }
    return toGitHubError(error, call, "actions: write");
  }
}
class RepositoryDispatcher extends GitHubDispatcher {
  engine = "repository-dispatch";
  eventType;
  constructor(settings) {
    super(settings);
    this.eventType = settings.eventType;
  }
  async listRuns(page, perPage, created) {
    try {
      const { data } = await this.octokit.rest.actions.listWorkflowRunsForRepo({
        owner: this.owner,
        repo: this.repo,
        event: "repository_dispatch",
        per_page: perPage,
        page,
        ...created ? { created } : {}
      });
      return data.workflow_runs;
    } catch (error) {
      throw this.listError(error, `repository_dispatch runs of ${this.owner}/${this.repo}`);
    }
  }
  async dispatch(request) {
    const payload = {
      model: request.model,
      fingerprint: request.fingerprint,
      reasons: request.reasons.map((r) => ({ code: r.code, detail: r.detail })),
      fingerprint_inputs: request.fingerprintInputs,
      distinct_id: request.dispatchId,
      inputs: { ...request.inputs }
    };
    if (Buffer.byteLength(JSON.stringify(payload)) >= 64 * 1024) {
      payload.reasons = payload.reasons.slice(0, 20);
    }
    const started = (this.settings.now ?? (() => /* @__PURE__ */ new Date()))();
    const call = `POST /repos/${this.owner}/${this.repo}/dispatches`;
    await createExactlyOnce({
      service: this.service,
      call,
      attempt: async () => {
        await this.octokit.rest.repos.createDispatchEvent({
          owner: this.owner,
          repo: this.repo,
          event_type: this.eventType,
          client_payload: payload,
          request: { retries: 0 }
        });
        return true;
      },
      recover: () => this.discover(request.dispatchId, started, 0),
      isRetryable: isRetryableGitHubError,
      ...this.settings.sleep ? { sleep: this.settings.sleep } : {},
      ...this.settings.log ? { log: this.settings.log } : {}
    }).catch((error) => {
      if (error instanceof UserError || error instanceof RemoteError) throw error;
      if (statusOf(error) === 422) {
        throw new UserError(`GitHub refused the repository_dispatch event: ${messageOf(error)}`, {
          input: "event-type",
          fix: "Keep event-type under 100 characters and the extra inputs small (client_payload < 64 KB).",
          cause: error
        });
      }
      throw toGitHubError(error, call, "contents: write");
    });
    const run = await this.discover(request.dispatchId, started, this.settings.discoveryTimeoutMs ?? 12e4);
    return { run, deduplicated: false };
  }
}

function kfpRunState(state) {
  switch (state) {
    case "RUNNING":
    case "PAUSED":
    case "CANCELING":
      return "running";
    case "SUCCEEDED":
    case "SKIPPED":
      return "succeeded";
    case "FAILED":
      return "failed";
    case "CANCELED":
      return "cancelled";
    default:
      return "pending";
  }
}
function kfpDisplayName(model, fingerprint) {
  return `retrain ${model} ${fingerprint}`;
}
class KubeflowDispatcher {
  engine = "kubeflow";
  http;
  settings;
  ui;
  constructor(settings) {
    this.settings = settings;
    this.ui = settings.url.replace(/\/+$/, "");
    this.http = new HttpClient({
      service: "Kubeflow Pipelines",
      baseUrl: settings.url,
      ...settings.token ? { headers: { authorization: `Bearer ${settings.token}` } } : {},
      ...settings.retry ? { retry: settings.retry } : {},
      ...settings.log ? { log: settings.log } : {},
      ...settings.fetch ? { fetch: settings.fetch } : {},
      describeErrorBody: grpcGatewayMessage
    });
  }
  get service() {
    return this.http.serviceName;
  }
  toRun(run) {
    return {
      id: run.run_id,
      url: `${this.ui}/#/runs/details/${encodeURIComponent(run.run_id)}`,
      state: kfpRunState(run.state),
      ...run.created_at ? { createdAt: run.created_at } : {},
      engineState: run.state ?? "RUNTIME_STATE_UNSPECIFIED"
    };
  }
  /** Runs with this display name, newest first. */
  async runsNamed(name) {
    const filter = JSON.stringify({
      predicates: [{ key: "display_name", operation: "EQUALS", string_value: name }]
    });
    const out = [];
    let pageToken;
    for (let page = 0; page < 5; page++) {
      const body = await this.http.json("GET", "apis/v2beta1/runs", void 0, {
        filter,
        page_size: 100,
        sort_by: "created_at desc",
        page_token: pageToken,
        experiment_id: this.settings.experimentId
      }).catch((error) => {
        throw this.refine(error);
      });
      out.push(...body.runs ?? []);
      pageToken = body.next_page_token || void 0;
      if (!pageToken) break;
    }
    return out;
  }
  async find(fingerprint, options = {}) {
    for (const run of await this.runsNamed(kfpDisplayName(this.settings.model, fingerprint))) {
      const found = this.toRun(run);
      if (countsAsExisting(found, options.since)) return found;
    }
    return void 0;
  }
  async dispatch(request) {
    const displayName = kfpDisplayName(request.model, request.fingerprint);
    const body = {
      display_name: displayName,
      description: `Dispatched by modelops trigger-retrain (dispatch ${request.dispatchId}): ${request.reasons.map((r) => r.code).join(", ")}`,
      pipeline_version_reference: {
        pipeline_id: this.settings.pipelineId,
        ...this.settings.pipelineVersionId ? { pipeline_version_id: this.settings.pipelineVersionId } : {}
      },
      runtime_config: { parameters: trainingParameters(request) },
      ...this.settings.experimentId ? { experiment_id: this.settings.experimentId } : {}
    };
    const run = await createExactlyOnce({
      service: this.service,
      call: "POST /apis/v2beta1/runs",
      attempt: async () => (await this.http.request({ method: "POST", path: "apis/v2beta1/runs", body, retry: false })).body,
      // The description carries the dispatch id: a run with it is what a failed attempt created.
      recover: async () => (await this.runsNamed(displayName)).find((r) => r.description?.includes(request.dispatchId)),
      isRetryable: (error) => error instanceof HttpError && error.retryable,
      ...this.settings.sleep ? { sleep: this.settings.sleep } : {},
      ...this.settings.log ? { log: this.settings.log } : {}
    }).catch((error) => {
      throw this.refine(error, "create a run");
    });
    return { run: this.toRun(run), deduplicated: false };
  }
  async status(runId) {
    const run = await this.http.json("GET", `apis/v2beta1/runs/${encodeURIComponent(runId)}`).catch((error) => {
      throw this.refine(error);
    });
    return this.toRun(run);
  }
  /** Turns the statuses that mean "wrong settings" into errors that name the input. */
  refine(error, what = "call the API") {
    if (!(error instanceof HttpError) || error.retryable) return error;
    const status = error.status;
    if (status === 401 || status === 403) {
      return new UserError(
        `Kubeflow Pipelines refused to ${what} (HTTP ${status}): ${sentence(error.message)}`,
        {
          input: "token",
          fix: "Pass a bearer token the KFP API server accepts (e.g. a service-account token) in `token`.",
          cause: error
        }
      );
    }
    if (status === 404 || status === 400) {
      return new UserError(
        `Kubeflow Pipelines could not ${what} (HTTP ${status}): ${sentence(error.message)}`,
        {
          input: status === 404 ? "kfp-pipeline-id" : "inputs",
          fix: status === 404 ? "Check kfp-url, kfp-pipeline-id and kfp-pipeline-version-id (the pipeline and version must exist)." : "Check the pipeline parameters: the pipeline must accept fingerprint, reasons and fingerprint_inputs plus the keys of `inputs`.",
          cause: error
        }
      );
    }
    return error;
  }
}

async function createDispatcher(setting, context) {
  const common = {
    ...context.sleep ? { sleep: context.sleep } : {},
    ...context.log ? { log: context.log } : {}
  };
  switch (setting.engine) {
    case "none":
      return void 0;
    case "github-workflow":
    case "repository-dispatch": {
      const [owner = "", repo = ""] = setting.repository.split("/");
      const github = {
        octokit: await createGitHubClient(setting.token, {
          ...context.githubApiUrl ? { apiUrl: context.githubApiUrl } : {},
          ...context.log ? { log: context.log } : {}
        }),
        owner,
        repo,
        ...common,
        ...context.now ? { now: context.now } : {},
        ...context.pollIntervalMs === void 0 ? {} : { pollIntervalMs: context.pollIntervalMs },
        ...context.discoveryTimeoutMs === void 0 ? {} : { discoveryTimeoutMs: context.discoveryTimeoutMs }
      };
      return setting.engine === "github-workflow" ? new WorkflowDispatcher({ ...github, workflow: setting.workflow, ref: setting.ref }) : new RepositoryDispatcher({ ...github, eventType: setting.eventType });
    }
    case "kubeflow":
      return new KubeflowDispatcher({
        url: setting.url,
        model: context.model,
        pipelineId: setting.pipelineId,
        ...setting.pipelineVersionId ? { pipelineVersionId: setting.pipelineVersionId } : {},
        ...setting.experimentId ? { experimentId: setting.experimentId } : {},
        ...setting.token ? { token: setting.token } : {},
        ...common
      });
    case "argo":
      return new ArgoDispatcher({
        url: setting.url,
        namespace: setting.namespace,
        template: setting.template,
        model: context.model,
        ...setting.token ? { token: setting.token } : {},
        ...common
      });
  }
}

function canonicalJson(value) {
  if (value === null || value === void 0) return "null";
  if (typeof value === "number")
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (typeof value === "object") {
    const record = value;
    const keys = Object.keys(record).filter((key) => record[key] !== void 0).sort(compareCodePoints);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
  }
  throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
}
function compareCodePoints(a, b) {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i].codePointAt(0);
    const y = right[i].codePointAt(0);
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}
function contentDigest(value) {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

const FILES = {
  type: "array",
  items: {
    type: "object",
    required: ["path", "blob"],
    properties: { path: { type: "string" }, blob: { type: "string" } },
    additionalProperties: false
  }
};
const LOCK_FILE_SCHEMA = {
  type: "object",
  required: ["lockVersion", "model", "fingerprint", "trainedAt", "inputs"],
  additionalProperties: false,
  properties: {
    lockVersion: { const: 1 },
    model: { type: "string", minLength: 1 },
    fingerprint: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
    trainedAt: { type: "string", format: "date-time" },
    run: {
      type: "object",
      required: ["engine", "id"],
      additionalProperties: false,
      properties: { engine: { type: "string" }, id: { type: "string" }, url: { type: "string" } }
    },
    inputs: {
      type: "object",
      required: ["datasets", "code", "config", "params"],
      additionalProperties: false,
      properties: {
        datasets: { type: "object", additionalProperties: { type: "string" } },
        code: FILES,
        config: FILES,
        params: { type: "object" }
      }
    }
  }
};
function defaultLockPath(model) {
  return `.modelops/${model}.lock.json`;
}
async function readLockBaseline(file, displayPath, model) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new UserError(
      `Cannot read the lock file '${displayPath}' (${error.code}).`,
      {
        input: "baseline",
        file: displayPath,
        fix: "Check the path and the file permissions."
      }
    );
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `The lock file '${displayPath}' is not valid JSON: ${error.message.split("\n")[0]}.`,
      {
        input: "baseline",
        file: displayPath,
        fix: "Restore it from git history (it may hold a merge conflict), or delete it to start over with NO_BASELINE."
      }
    );
  }
  const lock = validateOrThrow(LOCK_FILE_SCHEMA, value, {
    input: "baseline",
    file: displayPath,
    what: "lock file",
    fix: "The lock file was edited by hand or by another tool; restore it from git history or delete it."
  });
  if (lock.model !== model) {
    throw new UserError(`The lock file '${displayPath}' is for model '${lock.model}', not '${model}'.`, {
      input: "baseline",
      file: displayPath,
      fix: `Give each model its own lock file, e.g. ${defaultLockPath(model)} (\`baseline: lock\`).`
    });
  }
  return {
    source: "lock",
    location: displayPath,
    fingerprint: lock.fingerprint,
    trainedAt: lock.trainedAt,
    ...lock.run ? { runId: lock.run.id, ...lock.run.url ? { runUrl: lock.run.url } : {} } : {},
    inputs: lock.inputs
  };
}
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    const record = value;
    const out = {};
    for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = sorted(record[key]);
    return out;
  }
  return value;
}
async function writeLockFile(file, lock) {
  await writeFileAtomic(file, `${JSON.stringify(sorted(lock), null, 2)}
`);
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ENGINE_INPUTS = {
  "github-workflow": ["workflow", "ref", "repository"],
  "repository-dispatch": ["event-type", "repository"],
  kubeflow: ["kfp-url", "kfp-pipeline-id", "kfp-pipeline-version-id", "kfp-experiment-id"],
  argo: ["argo-url", "argo-namespace", "argo-template"]
};
function required(name, engine, env, fix) {
  const value = getOptionalInput(name, { env });
  if (value === void 0) {
    throw new UserError(`Input '${name}' is required with \`dispatch: ${engine}\`.`, { input: name, fix });
  }
  return value;
}
function httpUrl(name, value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(`Input '${name}' must be an http(s) URL, got '${value}'.`, {
      input: name,
      fix: `Give the server's base URL, e.g. \`${name}: https://${name.startsWith("kfp") ? "kubeflow.example.com/pipeline" : "argo.example.com:2746"}\`.`
    });
  }
  return value.replace(/\/+$/, "");
}
function parseDatasetHashes(lines) {
  const out = {};
  const fix = "Write one `name=hash` line per dataset (e.g. `train=${{ steps.data.outputs.hash }}`), or a single hash.";
  for (const line of lines) {
    const eq = line.indexOf("=");
    const bare = eq < 0 || /^[a-z0-9]+:/.test(line.slice(0, eq));
    if (bare && lines.length > 1) {
      throw new UserError(`Input 'dataset-hash' has several lines, so each needs a name: got '${line}'.`, {
        input: "dataset-hash",
        fix
      });
    }
    const name = bare ? "dataset" : line.slice(0, eq).trim();
    const hash = bare ? line.trim() : line.slice(eq + 1).trim();
    if (!NAME_PATTERN.test(name)) {
      throw new UserError(`Input 'dataset-hash': '${name}' is not a valid dataset name.`, {
        input: "dataset-hash",
        fix: "Use letters, digits, `.`, `_` and `-` in dataset names."
      });
    }
    if (hash === "" || /\s/.test(hash)) {
      throw new UserError(`Input 'dataset-hash': the hash of '${name}' is empty or has spaces ('${hash}').`, {
        input: "dataset-hash",
        fix: "Pass the `hash` output of dataset-hash; an empty value usually means that step did not run."
      });
    }
    if (name in out) {
      throw new UserError(`Input 'dataset-hash' names the dataset '${name}' twice.`, {
        input: "dataset-hash",
        fix
      });
    }
    out[name] = hash;
  }
  return out;
}
function defaultRef(env) {
  const context = readContext(env);
  if (context.ref.startsWith("refs/heads/") || context.ref.startsWith("refs/tags/"))
    return context.ref.replace(/^refs\/(heads|tags)\//, "");
  return context.defaultBranch ?? "main";
}
function parseBaseline(env, model) {
  const value = getInput("baseline", { env, fallback: "mlflow" });
  if (value === "mlflow") {
    const trackingUri = getOptionalInput("mlflow-tracking-uri", { env }) ?? env.MLFLOW_TRACKING_URI;
    const experiment = getOptionalInput("mlflow-experiment", { env });
    return { kind: "mlflow", ...trackingUri ? { trackingUri } : {}, ...experiment ? { experiment } : {} };
  }
  if (value === "lock") return { kind: "lock", path: defaultLockPath(model) };
  if (value.endsWith(".json")) return { kind: "lock", path: value };
  throw new UserError(
    `Input 'baseline' must be 'mlflow', 'lock' or the path of a .json lock file, got '${value}'.`,
    {
      input: "baseline",
      fix: `Use \`baseline: mlflow\` (the last finished MLflow run tagged modelops.model=${model}) or \`baseline: lock\` (${defaultLockPath(model)}).`
    }
  );
}
function parseDispatch(env) {
  const engine = getChoiceInput("dispatch", ["none", ...DISPATCH_ENGINES], {
    env,
    fallback: "none"
  });
  const githubToken = () => {
    const token = getOptionalInput("token", { env }) ?? getOptionalInput("github-token", { env });
    if (!token) {
      throw new UserError(`Dispatching with \`dispatch: ${engine}\` needs a GitHub token.`, {
        input: "github-token",
        fix: "Leave `github-token` at its default (the job token) and grant `actions: write` (workflow_dispatch) or `contents: write` (repository_dispatch) in the job permissions."
      });
    }
    return token;
  };
  const repository = getInput("repository", { env, fallback: env.GITHUB_REPOSITORY ?? "" });
  const checkRepository = () => {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
      throw new UserError(`Input 'repository' must be owner/name, got '${repository}'.`, {
        input: "repository",
        fix: "Set `repository: owner/name`, or leave it empty for this repository."
      });
    }
    return repository;
  };
  switch (engine) {
    case "none":
      return { engine };
    case "github-workflow":
      return {
        engine,
        repository: checkRepository(),
        workflow: required(
          "workflow",
          engine,
          env,
          "Name the training workflow file, e.g. `workflow: train.yml`."
        ).replace(/^\.github\/workflows\//, ""),
        ref: getInput("ref", { env }) || defaultRef(env),
        token: githubToken()
      };
    case "repository-dispatch": {
      const eventType = required(
        "event-type",
        engine,
        env,
        "Set the event type the training workflow listens for, e.g. `event-type: retrain`."
      );
      if (eventType.length > 100) {
        throw new UserError(
          `Input 'event-type' is ${eventType.length} characters; GitHub allows at most 100.`,
          {
            input: "event-type",
            fix: "Use a shorter event type."
          }
        );
      }
      return { engine, repository: checkRepository(), eventType, token: githubToken() };
    }
    case "kubeflow": {
      const url = httpUrl(
        "kfp-url",
        required("kfp-url", engine, env, "Set `kfp-url` to the Kubeflow Pipelines API (or UI) base URL.")
      );
      const pipelineId = required(
        "kfp-pipeline-id",
        engine,
        env,
        "Set `kfp-pipeline-id` to the id of the training pipeline."
      );
      const versionId = getOptionalInput("kfp-pipeline-version-id", { env });
      const experimentId = getOptionalInput("kfp-experiment-id", { env });
      const token = getOptionalInput("token", { env });
      return {
        engine,
        url,
        pipelineId,
        ...versionId ? { pipelineVersionId: versionId } : {},
        ...experimentId ? { experimentId } : {},
        ...token ? { token } : {}
      };
    }
    case "argo": {
      const url = httpUrl(
        "argo-url",
        required("argo-url", engine, env, "Set `argo-url` to the argo-server base URL.")
      );
      const template = required(
        "argo-template",
        engine,
        env,
        "Set `argo-template` to the WorkflowTemplate that trains the model."
      );
      const namespace = getInput("argo-namespace", { env, fallback: "argo" });
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
        throw new UserError(`Input 'argo-namespace' is not a Kubernetes namespace name: '${namespace}'.`, {
          input: "argo-namespace",
          fix: "Use lowercase letters, digits and -, e.g. `argo-namespace: ml`."
        });
      }
      const token = getOptionalInput("token", { env });
      return { engine, url, namespace, template, ...token ? { token } : {} };
    }
  }
}
const NON_EMPTY_DEFAULTS = { "argo-namespace": "argo" };
function ignoredSettings(env) {
  const engine = getInput("dispatch", { env, fallback: "none" });
  const own = ENGINE_INPUTS[engine] ?? [];
  return [...new Set(Object.values(ENGINE_INPUTS).flat())].filter((name) => {
    const value = getOptionalInput(name, { env });
    return !own.includes(name) && value !== void 0 && value !== NON_EMPTY_DEFAULTS[name];
  });
}
function readInputs(env = process.env) {
  const model = getInput("model", { env, required: true });
  if (!NAME_PATTERN.test(model)) {
    throw new UserError(
      `Input 'model' must be letters, digits, '.', '_' or '-' (at most 100), got '${model}'.`,
      {
        input: "model",
        fix: "Use the model name your training tags its MLflow runs with, e.g. `model: churn-classifier`."
      }
    );
  }
  const dispatch = parseDispatch(env);
  const extraInputs = getJsonInput("inputs", {
    env,
    fallback: {},
    what: "the extra training inputs"
  });
  if (extraInputs === null || typeof extraInputs !== "object" || Array.isArray(extraInputs)) {
    throw new UserError("Input 'inputs' must be a JSON object of extra parameters for the training run.", {
      input: "inputs",
      fix: 'Write e.g. `inputs: \'{"epochs": "20"}\'`.'
    });
  }
  const reserved = Object.keys(extraInputs).filter(
    (key) => RESERVED_PARAMETERS.includes(key)
  );
  if (reserved.length > 0) {
    throw new UserError(`Input 'inputs' sets ${listNames(reserved)}, which the action sets itself.`, {
      input: "inputs",
      fix: `Rename them; ${listNames([...RESERVED_PARAMETERS])} are reserved.`
    });
  }
  const baseline = parseBaseline(env, model);
  const wait = getBooleanInput("wait", { env, fallback: false });
  const updateLock = getChoiceInput("update-lock", ["auto", "true", "false"], {
    env,
    fallback: "auto"
  });
  if (updateLock === "true" && baseline.kind !== "lock") {
    throw new UserError("`update-lock: true` writes the lock file, but the baseline is MLflow.", {
      input: "update-lock",
      fix: "Set `baseline: lock` (or a lock file path), or leave update-lock at auto."
    });
  }
  if (updateLock === "true" && dispatch.engine !== "none") {
    throw new UserError(
      "`update-lock: true` records a training that already ran in this job, so it cannot dispatch one.",
      {
        input: "update-lock",
        fix: "Use `dispatch: none` in the step after training, or `update-lock: auto` with `wait: true` to record a dispatched run once it succeeds."
      }
    );
  }
  const paramsFile = getOptionalInput("params-file", { env });
  const paramsKeys = getListInput("params-keys", { env, commas: true });
  if (paramsKeys.length > 0 && !paramsFile) {
    throw new UserError("Input 'params-keys' is set but 'params-file' is not.", {
      input: "params-keys",
      fix: "Name the file the keys come from, e.g. `params-file: params.yaml`."
    });
  }
  const maxAgeMs = getOptionalDurationInput("max-age", { env });
  const reason = getOptionalInput("reason", { env });
  return {
    model,
    datasets: parseDatasetHashes(getListInput("dataset-hash", { env })),
    codePaths: getListInput("code-paths", { env }),
    configPaths: getListInput("config-paths", { env }),
    ...paramsFile ? { paramsFile } : {},
    paramsKeys,
    ...maxAgeMs === void 0 ? {} : { maxAgeMs },
    force: getBooleanInput("force", { env, fallback: false }),
    ...reason ? { reason } : {},
    baseline,
    dispatch,
    extraInputs,
    wait,
    timeoutMs: getDurationInput("timeout", { env, fallback: "6h" }),
    updateLock,
    upload: getBooleanInput("upload", { env, fallback: true })
  };
}

const INPUT_PARTS = ["datasets", "code", "config", "params"];
function canonicalFiles(files) {
  return files.map(({ path, blob }) => ({ path, blob })).sort((a, b) => compareCodePoints(a.path, b.path));
}
function computeFingerprint(model, inputs) {
  return contentDigest({
    model,
    datasets: inputs.datasets,
    code: canonicalFiles(inputs.code),
    config: canonicalFiles(inputs.config),
    params: inputs.params
  });
}
function partDigest(part, value) {
  if (part === "code" || part === "config") return contentDigest(canonicalFiles(value));
  return contentDigest(value);
}
const MLFLOW_TAG_LIMIT = 5e3;
function compactInputs(inputs, limit = MLFLOW_TAG_LIMIT) {
  const record = {
    v: 1,
    datasets: inputs.datasets,
    code: canonicalFiles(inputs.code).map((f) => [f.path, f.blob]),
    config: canonicalFiles(inputs.config).map((f) => [f.path, f.blob]),
    params: inputs.params
  };
  let text = canonicalJson(record);
  const bySize = INPUT_PARTS.map((part) => ({ part, size: canonicalJson(record[part]).length })).sort(
    (a, b) => b.size - a.size
  );
  for (const { part } of bySize) {
    if (text.length <= limit) break;
    record[part] = partDigest(part, inputs[part]);
    text = canonicalJson(record);
  }
  return text;
}
const DIGEST = { type: "string", pattern: "^sha256:[0-9a-f]{64}$" };
const PAIRS = {
  type: "array",
  items: { type: "array", prefixItems: [{ type: "string" }, { type: "string" }], minItems: 2, maxItems: 2 }
};
const INPUTS_RECORD_SCHEMA = {
  type: "object",
  properties: {
    v: { const: 1 },
    datasets: { anyOf: [DIGEST, { type: "object", additionalProperties: { type: "string" } }] },
    code: { anyOf: [DIGEST, PAIRS] },
    config: { anyOf: [DIGEST, PAIRS] },
    params: { anyOf: [DIGEST, { type: "object" }] }
  }
};
function parseRecordedInputs(value) {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return void 0;
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return void 0;
  const raw = parsed;
  const normalized = { ...raw };
  for (const part of ["code", "config"]) {
    const files = raw[part];
    if (Array.isArray(files) && files.every((f) => f && typeof f === "object" && !Array.isArray(f))) {
      normalized[part] = files.map((f) => [f.path, f.blob]);
    }
  }
  if (checkSchema(INPUTS_RECORD_SCHEMA, normalized).length > 0) return void 0;
  const record = normalized;
  const out = {};
  if (record.datasets !== void 0) out.datasets = record.datasets;
  if (record.params !== void 0) out.params = record.params;
  for (const part of ["code", "config"]) {
    const files = record[part];
    if (files === void 0) continue;
    out[part] = typeof files === "string" ? files : files.map(([path, blob]) => ({ path, blob }));
  }
  return out;
}

const ALWAYS_EXCLUDED = [".git", ".modelops"];
async function listTrackedFiles(options) {
  if (options.patterns.length === 0) return { files: [], source: "filesystem" };
  const filter = createPathFilter(options.patterns, ALWAYS_EXCLUDED);
  const cwd = path.resolve(options.cwd);
  const inRepo = await gitTopLevel(cwd) !== void 0;
  const files = inRepo ? await fromGit(cwd, filter.matches) : await fromFilesystem(cwd, options.patterns, filter.matches);
  files.sort((a, b) => compareCodePoints(a.path, b.path));
  return { files, source: inRepo ? "git" : "filesystem" };
}
async function fromGit(cwd, matches) {
  const index = await gitIndexEntries(cwd);
  const modified = await gitModifiedPaths(cwd);
  if (modified === void 0) {
    throw new UserError(`git could not compare the work tree with its index in '${cwd}' (git diff failed).`, {
      fix: "Run the step in a healthy clone (after actions/checkout); `git diff --name-only` must succeed there."
    });
  }
  const untracked = (await git(cwd, ["ls-files", "-o", "--exclude-standard", "-z"]) ?? "").split("\0").filter(Boolean);
  const out = [];
  for (const [file, entry] of index) {
    if (!matches(file)) continue;
    if (entry.mode === "160000") {
      out.push({ path: file, blob: entry.blob });
      continue;
    }
    if (!modified.has(file)) {
      out.push({ path: file, blob: entry.blob });
      continue;
    }
    const blob = await blobOfPath(path.join(cwd, file));
    if (blob !== void 0) out.push({ path: file, blob });
  }
  for (const file of untracked) {
    if (index.has(file) || !matches(file)) continue;
    const blob = await blobOfPath(path.join(cwd, file));
    if (blob !== void 0) out.push({ path: file, blob });
  }
  return out;
}
async function blobOfPath(file) {
  try {
    const stats = await lstat(file);
    if (stats.isSymbolicLink()) return gitBlobId(Buffer.from(await readlink(file), "utf8"));
    if (!stats.isFile()) return void 0;
    return gitBlobId(await readFile(file));
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function fromFilesystem(cwd, patterns, matches) {
  const bases = [
    ...new Set(patterns.filter((p) => !p.startsWith("!")).map((p) => normalizeRelative(globBase(p))))
  ].map((b) => b === "" ? "." : b.replace(/\/+$/, "")).sort();
  const roots = bases.filter(
    (base, i) => !bases.slice(0, i).some((other) => other === "." || base.startsWith(`${other}/`))
  );
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const root of roots) {
    for (const file of await walk(cwd, root === "." ? "" : root)) {
      if (seen.has(file) || !matches(file)) continue;
      seen.add(file);
      const blob = await blobOfPath(path.join(cwd, file));
      if (blob !== void 0) out.push({ path: file, blob });
    }
  }
  return out;
}
async function walk(cwd, relative) {
  const absolute = path.join(cwd, relative);
  let stats;
  try {
    stats = await lstat(absolute);
  } catch {
    return [];
  }
  if (!stats.isDirectory()) return relative ? [relative] : [];
  const out = [];
  for (const entry of await readdir(absolute, { withFileTypes: true })) {
    if (entry.isDirectory() && ALWAYS_EXCLUDED.includes(entry.name)) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...await walk(cwd, child));
    else out.push(child);
  }
  return out;
}

const MLFLOW_TAGS = {
  model: "modelops.model",
  fingerprint: "modelops.fingerprint",
  inputs: "modelops.inputs"
};
const MLFLOW_RUNNING_WINDOW_MS = 24 * 36e5;
async function experimentIds(lookup) {
  if (lookup.experiment) {
    const found = await lookup.client.getExperimentByName(lookup.experiment);
    return found ? [found.experimentId] : [];
  }
  const ids = [];
  let pageToken;
  do {
    const page = await lookup.client.searchExperiments({
      maxResults: 1e3,
      ...pageToken ? { pageToken } : {}
    });
    ids.push(...page.items.map((e) => e.experimentId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}
function mlflowRunUrl(client, run) {
  if (client.backend !== "rest") return void 0;
  return `${client.trackingUri.replace(/\/+$/, "")}/#/experiments/${run.info.experimentId}/runs/${run.info.runId}`;
}
function quoted(value) {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
async function findMlflowBaseline(lookup) {
  const ids = await experimentIds(lookup);
  if (ids.length === 0) return void 0;
  const page = await lookup.client.searchRuns({
    experimentIds: ids,
    filter: `tags.\`${MLFLOW_TAGS.model}\` = ${quoted(lookup.model)} AND tags.\`${MLFLOW_TAGS.fingerprint}\` LIKE 'sha256:%' AND attributes.status = 'FINISHED'`,
    orderBy: ["attributes.end_time DESC"],
    maxResults: 1
  });
  const run = page.items[0];
  if (!run) return void 0;
  const trainedAt = run.info.endTime ?? run.info.startTime;
  const inputs = parseRecordedInputs(run.data.tags[MLFLOW_TAGS.inputs]);
  const url = mlflowRunUrl(lookup.client, run);
  return {
    source: "mlflow",
    location: lookup.client.trackingUri,
    fingerprint: run.data.tags[MLFLOW_TAGS.fingerprint],
    ...trainedAt ? { trainedAt: new Date(trainedAt).toISOString() } : {},
    runId: run.info.runId,
    ...url ? { runUrl: url } : {},
    ...inputs ? { inputs } : {}
  };
}
async function findMlflowActiveRun(lookup, fingerprint, now) {
  const ids = await experimentIds(lookup);
  if (ids.length === 0) return void 0;
  const page = await lookup.client.searchRuns({
    experimentIds: ids,
    filter: `tags.\`${MLFLOW_TAGS.model}\` = ${quoted(lookup.model)} AND tags.\`${MLFLOW_TAGS.fingerprint}\` = ${quoted(fingerprint)}`,
    orderBy: ["attributes.start_time DESC"],
    maxResults: 100
  });
  const run = page.items.find(
    (r) => (r.info.status === "RUNNING" || r.info.status === "SCHEDULED") && now.getTime() - r.info.startTime < MLFLOW_RUNNING_WINDOW_MS
  );
  if (!run) return void 0;
  const url = mlflowRunUrl(lookup.client, run);
  return {
    id: run.info.runId,
    ...url ? { url } : {},
    state: run.info.status === "RUNNING" ? "running" : "pending",
    createdAt: new Date(run.info.startTime).toISOString(),
    engineState: run.info.status
  };
}

function isMapping(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
function toJson(value) {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (isMapping(value)) {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJson(item);
    return out;
  }
  if (typeof value === "bigint") return Number(value);
  if (value === void 0) return null;
  return value;
}
function flattenParams(value, prefix = "") {
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (isMapping(item) && Object.keys(item).length > 0) Object.assign(out, flattenParams(item, dotted));
    else out[dotted] = toJson(item);
  }
  return sortKeys(out);
}
function sortKeys(record) {
  const out = {};
  for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = record[key];
  return out;
}
function selectParams(flat, keys, file) {
  if (keys.length === 0) return flat;
  const out = {};
  const all = Object.keys(flat);
  for (const key of keys) {
    const matched = all.filter((candidate) => candidate === key || candidate.startsWith(`${key}.`));
    if (matched.length === 0) {
      throw new UserError(`params-keys: '${key}' matches no parameter in '${file}'.${didYouMean(key, all)}`, {
        input: "params-keys",
        file,
        fix: `Use dotted keys or prefixes that exist in the file (it has ${listNames(all, 8) || "no keys"}).`
      });
    }
    for (const candidate of matched) out[candidate] = flat[candidate];
  }
  return sortKeys(out);
}
async function readParamsFile(file, keys, displayPath = file) {
  const text = await readInputFile(file, {
    input: "params-file",
    what: "params file",
    displayPath,
    fix: "Give the path of a YAML or JSON file relative to the workspace (e.g. params.yaml)."
  });
  const parsed = parseStructured(text, { input: "params-file", file: displayPath, what: "the params file" });
  if (parsed === null || parsed === void 0) return {};
  if (!isMapping(parsed)) {
    throw new UserError(
      `The params file '${displayPath}' must hold a mapping of names to values at the top level.`,
      {
        input: "params-file",
        file: displayPath,
        fix: "Write parameters as `name: value` pairs (nested mappings are fine), e.g. `train: {lr: 0.1}`."
      }
    );
  }
  return selectParams(flattenParams(parsed), keys, displayPath);
}
function roundDiff(value) {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}
function diffParams(before, after) {
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareCodePoints);
  const changes = [];
  for (const key of keys) {
    const hasOld = Object.hasOwn(before, key);
    const hasNew = Object.hasOwn(after, key);
    const oldValue = before[key];
    const newValue = after[key];
    if (hasOld && hasNew && canonicalJson(oldValue) === canonicalJson(newValue)) continue;
    const change = { key };
    if (hasOld) change.old = oldValue;
    if (hasNew) change.new = newValue;
    if (typeof oldValue === "number" && typeof newValue === "number" && Number.isFinite(oldValue - newValue)) {
      change.diff = roundDiff(newValue - oldValue);
    }
    changes.push(change);
  }
  return changes;
}
function formatParamValue(value, present = value !== void 0) {
  if (!present) return "-";
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}
function describeParamChange(change) {
  const from = formatParamValue(change.old, "old" in change);
  const to = formatParamValue(change.new, "new" in change);
  const delta = change.diff === void 0 ? "" : ` (\u0394 ${change.diff > 0 ? "+" : ""}${change.diff})`;
  return `${change.key}: ${from} \u2192 ${to}${delta}`;
}

const MAX_LISTED_FILES = 200;
function shortHash(hash) {
  const colon = hash.indexOf(":");
  const hex = colon >= 0 ? hash.slice(colon + 1) : hash;
  return hex.length > 16 ? `${hash.slice(0, colon + 1)}${hex.slice(0, 12)}\u2026` : hash;
}
function diffFiles(before, after) {
  const old = new Map(before.map((f) => [f.path, f.blob]));
  const now = new Map(after.map((f) => [f.path, f.blob]));
  const added = [];
  const modified = [];
  for (const [file, blob] of now) {
    const was = old.get(file);
    if (was === void 0) added.push(file);
    else if (was !== blob) modified.push(file);
  }
  const removed = [...old.keys()].filter((file) => !now.has(file));
  return { added, removed, modified };
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function filesReason(code, recorded, current) {
  const kind = code === "CODE_CHANGED" ? "code" : "config";
  if (recorded === void 0) return void 0;
  if (typeof recorded === "string") {
    if (recorded === partDigest(kind, current)) return void 0;
    return {
      code,
      detail: `${kind} files differ from the last training (it recorded only a digest of its ${kind} files; ${plural(current.length, "file")} now).`,
      data: { digest: { old: recorded, new: partDigest(kind, current) } }
    };
  }
  const { added, removed, modified } = diffFiles(recorded, current);
  const total = added.length + removed.length + modified.length;
  if (total === 0) return void 0;
  const named = [
    ...modified.map((f) => `${f} (modified)`),
    ...added.map((f) => `${f} (added)`),
    ...removed.map((f) => `${f} (removed)`)
  ];
  const shown = named.slice(0, 5).join(", ");
  const more = named.length > 5 ? ` and ${named.length - 5} more` : "";
  return {
    code,
    detail: `${plural(total, `${kind} file`)} changed since the last training: ${shown}${more}.`,
    data: {
      added: added.slice(0, MAX_LISTED_FILES),
      removed: removed.slice(0, MAX_LISTED_FILES),
      modified: modified.slice(0, MAX_LISTED_FILES),
      ...Math.max(added.length, removed.length, modified.length) > MAX_LISTED_FILES ? { truncated: true } : {}
    }
  };
}
function datasetReasons(recorded, current) {
  if (recorded === void 0) return [];
  if (typeof recorded === "string") {
    const now = partDigest("datasets", current);
    if (recorded === now) return [];
    return [
      {
        code: "DATA_CHANGED",
        detail: "The datasets differ from the last training (it recorded only a digest of its dataset hashes).",
        data: { digest: { old: recorded, new: now } }
      }
    ];
  }
  const names = [.../* @__PURE__ */ new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  const reasons = [];
  for (const name of names) {
    const old = recorded[name];
    const now = current[name];
    if (old === now) continue;
    const detail = old === void 0 ? `Dataset '${name}' is new: ${shortHash(now)}.` : now === void 0 ? `Dataset '${name}' is no longer an input (was ${shortHash(old)}).` : `Dataset '${name}' changed: ${shortHash(old)} \u2192 ${shortHash(now)}.`;
    reasons.push({
      code: "DATA_CHANGED",
      detail,
      data: {
        dataset: name,
        ...old === void 0 ? {} : { old },
        ...now === void 0 ? {} : { new: now }
      }
    });
  }
  return reasons;
}
function paramReasons(recorded, current) {
  if (recorded === void 0) return [];
  if (typeof recorded === "string") {
    const now = partDigest("params", current);
    if (recorded === now) return [];
    return [
      {
        code: "PARAMS_CHANGED",
        detail: "The tracked parameters differ from the last training (it recorded only a digest of them).",
        data: { digest: { old: recorded, new: now } }
      }
    ];
  }
  return diffParams(recorded, current).map((change) => ({
    code: "PARAMS_CHANGED",
    detail: `${describeParamChange(change)}.`,
    data: { ...change }
  }));
}
function decideReasons(input) {
  const reasons = [];
  const { baseline } = input;
  if (!baseline) {
    reasons.push({
      code: "NO_BASELINE",
      detail: `No successful training of '${input.model}' was found (${input.baselineLocation}).`
    });
  } else if (baseline.fingerprint !== input.fingerprint) {
    const recorded = baseline.inputs ?? {};
    const content = [
      ...datasetReasons(recorded.datasets, input.inputs.datasets),
      ...[filesReason("CODE_CHANGED", recorded.code, input.inputs.code)],
      ...[filesReason("CONFIG_CHANGED", recorded.config, input.inputs.config)],
      ...paramReasons(recorded.params, input.inputs.params)
    ].filter((r) => r !== void 0);
    reasons.push(...content);
    if (content.length === 0) {
      const why = baseline.inputs ? "although every input it recorded matches" : `it did not record its inputs${baseline.source === "mlflow" ? " (tag modelops.inputs)" : ""}, so the changed ones cannot be named`;
      reasons.push({
        code: "INPUTS_CHANGED",
        detail: `The inputs differ from the last training's (fingerprint ${shortHash(baseline.fingerprint ?? "none")} \u2192 ${shortHash(input.fingerprint)}); ${why}.`,
        data: { old: baseline.fingerprint ?? null, new: input.fingerprint }
      });
    }
  }
  if (baseline?.trainedAt && input.maxAgeMs !== void 0) {
    const ageMs = input.now.getTime() - Date.parse(baseline.trainedAt);
    if (ageMs > input.maxAgeMs) {
      reasons.push({
        code: "STALE",
        detail: `The last training (${baseline.trainedAt}) is ${formatDuration(ageMs)} old, more than max-age ${formatDuration(input.maxAgeMs)}.`,
        data: { trainedAt: baseline.trainedAt, ageMs, maxAgeMs: input.maxAgeMs }
      });
    }
  }
  if (input.force) {
    const by = input.requestedBy ? ` (${input.requestedBy})` : "";
    reasons.push({
      code: "MANUAL_REQUEST",
      detail: input.forceReason ? `${input.forceReason}${by}` : `Retraining was requested with force: true${by}.`,
      ...input.forceReason ? { data: { reason: input.forceReason } } : {}
    });
  }
  return reasons;
}

const SUMMARY_FILES = 30;
const ENGINE_NAMES = {
  "github-workflow": "GitHub workflow",
  "repository-dispatch": "repository_dispatch",
  kubeflow: "Kubeflow Pipelines",
  argo: "Argo Workflows",
  mlflow: "MLflow"
};
function link(text, url) {
  return url ? `[${escapeCell(text)}](${url})` : escapeCell(text);
}
function baselineCell(decision) {
  const b = decision.baseline;
  if (!b) return "none (first training)";
  const where = b.source === "mlflow" ? `MLflow run ${link(b.runId ?? "?", b.runUrl)}` : `lock file \`${escapeCell(b.location)}\``;
  const when = b.trainedAt ? `, trained ${b.trainedAt}` : "";
  const fp = b.fingerprint ? ` \u2014 \`${shortHash(b.fingerprint)}\`` : "";
  return `${where}${when}${fp}`;
}
function dispatchCell(decision) {
  const d = decision.dispatch;
  if (!d) return decision.shouldRetrain ? "none (`dispatch: none`)" : "\u2014";
  const engine = ENGINE_NAMES[d.engine] ?? d.engine;
  if (d.error && !d.runId) return `**failed** on ${engine}: ${escapeCell(d.error)}`;
  const run = d.runId ? link(`run ${d.runId}`, d.runUrl) : "a run (not identifiable: see the docs on run-name)";
  const how = d.deduplicated ? `already ${d.state === "succeeded" ? "trained" : "under way"}: ${run} (not dispatched again)` : `dispatched ${run}`;
  return `${how} on ${engine}${d.error ? ` \u2014 then: ${escapeCell(d.error)}` : ""}`;
}
function summaryMarkdown(decision) {
  const { reasons } = decision;
  const rows = [
    [
      "Retrain",
      decision.shouldRetrain ? `**yes** \u2014 ${reasons.length} reason${reasons.length === 1 ? "" : "s"}` : "no \u2014 up to date"
    ],
    ["Fingerprint", `\`${decision.fingerprint}\``],
    ["Baseline", baselineCell(decision)],
    ["Training run", dispatchCell(decision)]
  ];
  if (decision.dispatch?.conclusion) rows.push(["Conclusion", `**${decision.dispatch.conclusion}**`]);
  const lines = [
    `### Retrain decision: \`${escapeCell(decision.model)}\``,
    "",
    markdownTable(["", ""], rows, true)
  ];
  if (reasons.length > 0) {
    lines.push(
      "",
      "#### Reasons",
      "",
      markdownTable(
        ["Reason", "Detail"],
        reasons.map((r) => [`\`${r.code}\``, escapeCell(r.detail)]),
        true
      )
    );
  }
  const params = reasons.filter((r) => r.code === "PARAMS_CHANGED" && r.data && typeof r.data.key === "string").map((r) => r.data);
  if (params.length > 0) {
    lines.push(
      "",
      "#### Parameters",
      "",
      markdownTable(
        ["Parameter", "Old", "New", "\u0394"],
        params.map((c) => [
          `\`${escapeCell(c.key)}\``,
          escapeCell(formatParamValue(c.old, "old" in c)),
          escapeCell(formatParamValue(c.new, "new" in c)),
          c.diff === void 0 ? "" : `${c.diff > 0 ? "+" : ""}${c.diff}`
        ]),
        true
      )
    );
  }
  for (const reason of reasons.filter((r) => r.code === "CODE_CHANGED" || r.code === "CONFIG_CHANGED")) {
    const data = reason.data ?? {};
    const fileRows = [
      ...(data.modified ?? []).map((f) => ["modified", f]),
      ...(data.added ?? []).map((f) => ["added", f]),
      ...(data.removed ?? []).map((f) => ["removed", f])
    ];
    if (fileRows.length === 0) continue;
    const shown = fileRows.slice(0, SUMMARY_FILES).map(([kind, f]) => [kind, `\`${escapeCell(f)}\``]);
    const more = fileRows.length > SUMMARY_FILES ? `

\u2026 and ${fileRows.length - SUMMARY_FILES} more in the decision document.` : "";
    lines.push(
      "",
      details(
        `${reason.code === "CODE_CHANGED" ? "Code" : "Config"} files (${fileRows.length})`,
        `${markdownTable(["Change", "File"], shown, true)}${more}`
      )
    );
  }
  return lines.join("\n");
}

function defaultPollBaseMs(env = process.env) {
  const value = Number(env.MODELOPS_POLL_BASE_MS);
  return env.MODELOPS_POLL_BASE_MS !== void 0 && Number.isFinite(value) && value >= 0 ? value : 5e3;
}
function conclusionOf(run) {
  if (run.state === "succeeded") return "success";
  if (run.state === "cancelled") return "cancelled";
  return "failure";
}
async function waitForRun(dispatcher, runId, options) {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const base = options.pollBaseMs ?? defaultPollBaseMs();
  const max = options.pollMaxMs ?? 6e4;
  const start = now();
  let interval = base;
  for (; ; ) {
    const run = await dispatcher.status(runId);
    const elapsedMs = now() - start;
    options.onPoll?.(run, elapsedMs);
    if (isTerminal(run.state)) return { run, conclusion: conclusionOf(run), elapsedMs };
    const left = options.timeoutMs - elapsedMs;
    if (left <= 0) return { run, conclusion: "timed_out", elapsedMs };
    await wait(Math.min(interval, left));
    interval = Math.min(max, Math.max(1, Math.round(interval * 1.5)));
  }
}
function describeWait(run, elapsedMs) {
  return `${run.engineState} after ${formatDuration(elapsedMs)}`;
}

class TrainingRunFailed extends ModelopsError {
  constructor(message, fix) {
    super(message, { fix });
  }
}
function decisionPath(model) {
  return `.modelops/trigger-retrain/${model}/retrain-decision-${model}.json`;
}
async function isDirectory(p) {
  return stat(p).then((s) => s.isDirectory()).catch(() => false);
}
function posix(p) {
  return p.split(path.sep).join("/");
}
async function runTriggerRetrain(inputs, deps) {
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const now = deps.now();
  if (inputs.wait && inputs.dispatch.engine === "none") {
    deps.warning("`wait: true` has no effect with `dispatch: none`: there is no dispatched run to wait for.");
  }
  const [code, config] = await Promise.all([
    listTrackedFiles({ cwd, patterns: inputs.codePaths }),
    listTrackedFiles({ cwd, patterns: inputs.configPaths })
  ]);
  for (const [name, list, patterns] of [
    ["code-paths", code, inputs.codePaths],
    ["config-paths", config, inputs.configPaths]
  ]) {
    if (patterns.length > 0 && list.files.length === 0) {
      deps.warning(
        `${name} matched no files (${patterns.join(", ")}); check the globs (paths are relative to the workspace).`
      );
    }
  }
  const params = inputs.paramsFile ? await readParamsFile(
    resolveInside(cwd, inputs.paramsFile, { source: "input 'params-file'" }),
    inputs.paramsKeys,
    inputs.paramsFile
  ) : {};
  const current = {
    datasets: inputs.datasets,
    code: code.files,
    config: config.files,
    params
  };
  const fingerprint = computeFingerprint(inputs.model, current);
  deps.info(
    `${inputs.model}: fingerprint ${fingerprint} (${Object.keys(current.datasets).length} datasets, ${current.code.length} code and ${current.config.length} config files from ${code.source === "git" || config.source === "git" ? "git" : "the file system"}, ${Object.keys(params).length} params)`
  );
  let baseline;
  let mlflow;
  let baselineLocation;
  let lockFile;
  if (inputs.baseline.kind === "mlflow") {
    if (!inputs.baseline.trackingUri && !await isDirectory(path.join(cwd, "mlruns"))) {
      throw new UserError(
        "`baseline: mlflow` needs an MLflow tracking server, but MLFLOW_TRACKING_URI is not set and there is no ./mlruns.",
        {
          input: "mlflow-tracking-uri",
          fix: "Set `mlflow-tracking-uri` (or MLFLOW_TRACKING_URI in env:) to the tracking server, or use `baseline: lock` to keep the baseline in the repository."
        }
      );
    }
    const client = deps.mlflowClient(inputs.baseline.trackingUri);
    mlflow = {
      client,
      model: inputs.model,
      ...inputs.baseline.experiment ? { experiment: inputs.baseline.experiment } : {}
    };
    baselineLocation = `MLflow at ${client.trackingUri}${inputs.baseline.experiment ? `, experiment '${inputs.baseline.experiment}'` : ""}: no finished run tagged modelops.model=${inputs.model} with a modelops.fingerprint`;
    baseline = await findMlflowBaseline(mlflow);
  } else {
    lockFile = resolveInside(cwd, inputs.baseline.path, { source: "input 'baseline'" });
    baselineLocation = `no lock file at ${inputs.baseline.path}`;
    baseline = await readLockBaseline(lockFile, inputs.baseline.path, inputs.model);
  }
  const actor = deps.env.GITHUB_ACTOR;
  const reasons = decideReasons({
    model: inputs.model,
    inputs: current,
    fingerprint,
    baseline,
    baselineLocation,
    now,
    ...inputs.maxAgeMs === void 0 ? {} : { maxAgeMs: inputs.maxAgeMs },
    force: inputs.force,
    ...inputs.reason ? { forceReason: inputs.reason } : {},
    ...context.eventName ? { requestedBy: `${context.eventName}${actor ? ` by ${actor}` : ""}` } : {}
  });
  const shouldRetrain = reasons.length > 0;
  deps.info(
    shouldRetrain ? `Retrain ${inputs.model}:
${reasons.map((r) => `  ${r.code}: ${r.detail}`).join("\n")}` : `${inputs.model} is up to date with its last training${baseline?.runId ? ` (run ${baseline.runId})` : ""}.`
  );
  const decision = {
    schemaVersion: 1,
    kind: "RetrainDecision",
    createdAt: now.toISOString(),
    producer: documentProducer("trigger-retrain", context),
    model: inputs.model,
    shouldRetrain,
    fingerprint,
    reasons,
    inputs: current,
    baseline: baseline ? {
      source: baseline.source,
      location: baseline.location,
      ...baseline.fingerprint ? { fingerprint: baseline.fingerprint } : {},
      ...baseline.trainedAt ? { trainedAt: baseline.trainedAt } : {},
      ...baseline.runId ? { runId: baseline.runId } : {},
      ...baseline.runUrl ? { runUrl: baseline.runUrl } : {},
      ...baseline.inputs ? { inputs: baseline.inputs } : {}
    } : null
  };
  let failure;
  if (shouldRetrain) {
    try {
      await ensureRun(inputs, deps, decision, baseline, mlflow, current);
    } catch (error) {
      failure = error;
      decision.dispatch ??= { engine: deps.dispatcher?.engine ?? "mlflow", deduplicated: false };
      decision.dispatch.error = describeError(error);
    }
  }
  const conclusion = decision.dispatch?.conclusion;
  const trainedRun = decision.dispatch?.state === "succeeded" ? decision.dispatch : void 0;
  if (lockFile && !failure && (inputs.updateLock === "true" || inputs.updateLock === "auto" && trainedRun !== void 0)) {
    await writeLockFile(lockFile, {
      lockVersion: 1,
      model: inputs.model,
      fingerprint,
      trainedAt: deps.now().toISOString(),
      ...trainedRun?.runId ? {
        run: {
          engine: trainedRun.engine,
          id: trainedRun.runId,
          ...trainedRun.runUrl ? { url: trainedRun.runUrl } : {}
        }
      } : {},
      inputs: current
    });
    deps.info(
      `Lock file ${inputs.baseline.kind === "lock" ? inputs.baseline.path : ""} now records ${fingerprint}.`
    );
  }
  const relativeDecision = decisionPath(inputs.model);
  const decisionFile = path.join(cwd, relativeDecision);
  await writeDocument("RetrainDecision", decisionFile, decision);
  const dispatched = decision.dispatch;
  const outputs = {
    "should-retrain": String(shouldRetrain),
    reasons: JSON.stringify(reasons.map((r) => ({ code: r.code, detail: r.detail }))),
    fingerprint,
    "fingerprint-inputs": compactInputs(current),
    deduplicated: String(dispatched?.deduplicated ?? false),
    "run-id": dispatched?.runId ?? "",
    "run-url": dispatched?.runUrl ?? "",
    conclusion: conclusion ?? "",
    decision: posix(relativeDecision)
  };
  deps.setOutputs(outputs);
  await deps.appendSummary(summaryMarkdown(decision));
  if (inputs.upload) {
    const artifact = `retrain-decision-${inputs.model}`;
    try {
      const published = await deps.publishDecision(artifact, decision);
      deps.info(`Decision uploaded as artifact '${artifact}' (${published.location}).`);
    } catch (error) {
      deps.warning(
        `Could not upload the decision as artifact '${artifact}': ${describeError(error)}. Give each trigger-retrain step of a job its own model, or set upload: false.`
      );
    }
  }
  if (failure) throw failure;
  if (conclusion && conclusion !== "success") {
    const run = decision.dispatch;
    const where = run?.runUrl ? ` (${run.runUrl})` : "";
    throw new TrainingRunFailed(
      conclusion === "timed_out" ? `The training run ${run?.runId}${where} did not finish within ${formatDuration(inputs.timeoutMs)}; it is still ${run?.state}.` : `The training run ${run?.runId}${where} ended ${conclusion === "cancelled" ? "cancelled" : "in failure"}.`,
      conclusion === "timed_out" ? "Raise `timeout` (and the job timeout), or set `wait: false` and let a later step or workflow check the run." : "Look at the training run\u2019s logs; re-running this job dispatches the fingerprint again, since a failed run does not count as trained."
    );
  }
  return { decision, decisionFile, outputs };
}
async function ensureRun(inputs, deps, decision, baseline, mlflow, current) {
  const { dispatcher } = deps;
  const since = baseline?.trainedAt ? new Date(baseline.trainedAt) : void 0;
  const { fingerprint } = decision;
  let existing;
  let engine = dispatcher?.engine;
  if (dispatcher) existing = await dispatcher.find(fingerprint, since ? { since } : {});
  if (!existing && mlflow) {
    existing = await findMlflowActiveRun(mlflow, fingerprint, deps.now());
    if (existing) engine = "mlflow";
  }
  if (existing && engine) {
    deps.info(
      `A ${existing.state} run of fingerprint ${fingerprint} exists (${engine} ${existing.id}${existing.url ? `, ${existing.url}` : ""}): not dispatching again.`
    );
    decision.dispatch = {
      engine,
      deduplicated: true,
      runId: existing.id,
      ...existing.url ? { runUrl: existing.url } : {},
      state: existing.state
    };
  } else if (dispatcher) {
    const dispatchId = deps.dispatchId?.() ?? `rt-${randomBytes(8).toString("hex")}`;
    decision.dispatch = { engine: dispatcher.engine, deduplicated: false, dispatchId };
    const outcome = await dispatcher.dispatch({
      model: inputs.model,
      fingerprint,
      reasons: decision.reasons,
      fingerprintInputs: compactInputs(current),
      dispatchId,
      inputs: inputs.extraInputs,
      ...since ? { since } : {}
    });
    decision.dispatch.deduplicated = outcome.deduplicated;
    if (outcome.run) {
      decision.dispatch.runId = outcome.run.id;
      if (outcome.run.url) decision.dispatch.runUrl = outcome.run.url;
      decision.dispatch.state = outcome.run.state;
      deps.info(
        `${outcome.deduplicated ? "Found" : "Dispatched"} ${dispatcher.engine} run ${outcome.run.id}${outcome.run.url ? ` (${outcome.run.url})` : ""}.`
      );
    } else {
      deps.warning(
        `Dispatched (${dispatcher.engine}, distinct_id ${dispatchId}) but could not find the run it started: the training workflow's run-name must include the distinct_id and fingerprint it receives.`
      );
    }
  }
  if (!inputs.wait || !decision.dispatch) return;
  const run = decision.dispatch;
  if (run.state === "succeeded" || run.state === "failed" || run.state === "cancelled") {
    run.conclusion = run.state === "succeeded" ? "success" : run.state === "failed" ? "failure" : "cancelled";
    return;
  }
  if (run.engine === "mlflow" || !dispatcher) {
    deps.warning(
      `Not waiting: the run in progress (${run.runId}) was found in MLflow, which the step cannot follow to its end.`
    );
    return;
  }
  if (!run.runId) {
    throw new UserError("Cannot wait for the dispatched run: it could not be identified.", {
      input: "wait",
      fix: "Put `${{ inputs.distinct_id }}` (workflow_dispatch) or `${{ github.event.client_payload.distinct_id }}` (repository_dispatch) in the training workflow\u2019s run-name."
    });
  }
  deps.info(`Waiting up to ${formatDuration(inputs.timeoutMs)} for ${dispatcher.engine} run ${run.runId}\u2026`);
  const waited = await waitForRun(dispatcher, run.runId, {
    timeoutMs: inputs.timeoutMs,
    ...deps.pollBaseMs === void 0 ? {} : { pollBaseMs: deps.pollBaseMs },
    ...deps.sleep ? { sleep: deps.sleep } : {},
    onPoll: (polled, elapsedMs) => deps.debug(`run ${polled.id}: ${describeWait(polled, elapsedMs)}`)
  });
  run.state = waited.run.state;
  run.conclusion = waited.conclusion;
  deps.info(
    `Run ${run.runId} ${waited.conclusion === "timed_out" ? "is still" : "ended"} ${describeWait(waited.run, waited.elapsedMs)}: ${waited.conclusion}.`
  );
}

await runStep(
  async () => {
    const inputs = readInputs();
    for (const name of ignoredSettings(process.env)) {
      warning(`Input '${name}' is ignored with \`dispatch: ${inputs.dispatch.engine}\`.`);
    }
    if (inputs.dispatch.engine !== "none" && inputs.dispatch.token) setSecret(inputs.dispatch.token);
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
    const pollBaseMs = defaultPollBaseMs();
    await runTriggerRetrain(inputs, {
      cwd,
      env: process.env,
      now: () => /* @__PURE__ */ new Date(),
      dispatcher: await createDispatcher(inputs.dispatch, {
        model: inputs.model,
        ...process.env.GITHUB_API_URL ? { githubApiUrl: process.env.GITHUB_API_URL } : {},
        log: debug,
        pollIntervalMs: Math.min(3e3, pollBaseMs),
        discoveryTimeoutMs: Math.min(12e4, inputs.timeoutMs)
      }),
      mlflowClient: (trackingUri) => createMlflowClient({
        ...trackingUri ? { trackingUri } : {},
        env: process.env,
        cwd,
        log: debug
      }),
      publishDecision: (name, decision) => publishDocument("RetrainDecision", name, decision),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      info: info,
      warning: warning,
      debug: debug,
      pollBaseMs
    });
  },
  { action: "trigger-retrain" }
);
