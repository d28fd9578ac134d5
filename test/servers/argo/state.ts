/**
 * The data of the local Argo Workflows server: WorkflowTemplates and workflows per namespace, with
 * the rules argo-server and the Kubernetes API apply on submit — `NAME=VALUE` parameters, label
 * values ≤ 63 characters, template parameters without a default must be given, and a workflow name
 * is unique in its namespace (409 AlreadyExists). Tests play the controller by moving phases.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GRPC, type WorkflowPhase } from './api.ts';
import { GrpcApiError } from '../kubeflow/protocol.ts';

/** An error argo-server answers with. */
export class ArgoApiError extends GrpcApiError {}

/** A WorkflowTemplate: its arguments (no `value` = must be given on submit). */
export interface TemplateRecord {
  namespace: string;
  name: string;
  parameters: { name: string; value?: string }[];
  entrypoint: string;
}

/** A workflow as the API renders it. */
export interface WorkflowRecord {
  metadata: {
    name: string;
    generateName?: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    generation: number;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    arguments: { parameters: { name: string; value: string }[] };
    workflowTemplateRef: { name: string };
    entrypoint?: string;
  };
  status: { phase?: Exclude<WorkflowPhase, ''>; startedAt?: string; finishedAt?: string };
}

/** Listener called for every workflow created through the API. */
export type WorkflowListener = (workflow: WorkflowRecord) => void;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Kubernetes timestamps have second precision. */
function k8sTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parsePairs(text: string | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new ArgoApiError(
        GRPC.INVALID_ARGUMENT,
        `expected ${what} of the form: NAME=VALUE. Received: ${item}`,
      );
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** The server's data. */
export class ArgoState {
  readonly templates: TemplateRecord[] = [];
  readonly workflows: WorkflowRecord[] = [];
  private resourceVersion = 1000;
  private readonly listeners = new Set<WorkflowListener>();

  /** Adds a WorkflowTemplate. */
  addTemplate(template: Omit<TemplateRecord, 'entrypoint'> & { entrypoint?: string }): TemplateRecord {
    const record = { entrypoint: 'main', ...template };
    this.templates.push(record);
    return record;
  }

  /** Calls `listener` for every workflow created from now on; returns an unsubscribe function. */
  onWorkflowCreated(listener: WorkflowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private nextVersion(): string {
    return String(++this.resourceVersion);
  }

  /** SubmitWorkflow from a WorkflowTemplate. */
  submit(namespace: string, request: Record<string, unknown>): WorkflowRecord {
    const kind = String(request.resourceKind ?? '');
    const name = String(request.resourceName ?? '');
    if (kind !== 'WorkflowTemplate' && kind !== 'workflowtemplate') {
      throw new ArgoApiError(GRPC.INVALID_ARGUMENT, `resourceKind "${kind}" is not supported by this server`);
    }
    const template = this.templates.find((t) => t.namespace === namespace && t.name === name);
    if (!template)
      throw new ArgoApiError(GRPC.NOT_FOUND, `workflowtemplates.argoproj.io "${name}" not found`);
    const options = (request.submitOptions ?? {}) as Record<string, unknown>;
    const given = new Map<string, string>();
    for (const item of (options.parameters as string[] | undefined) ?? []) {
      const eq = item.indexOf('=');
      if (eq <= 0)
        throw new ArgoApiError(
          GRPC.INVALID_ARGUMENT,
          `expected parameter of the form: NAME=VALUE. Received: ${item}`,
        );
      given.set(item.slice(0, eq), item.slice(eq + 1));
    }
    const parameters = template.parameters.map((p) => ({
      name: p.name,
      value: given.get(p.name) ?? p.value,
    }));
    const missing = parameters.find((p) => p.value === undefined);
    if (missing)
      throw new ArgoApiError(GRPC.INVALID_ARGUMENT, `spec.arguments.${missing.name}.value is required`);
    // Arguments the template does not declare are kept (argo passes them through).
    for (const [key, value] of given)
      if (!parameters.some((p) => p.name === key)) parameters.push({ name: key, value });
    const labels = parsePairs(options.labels as string | undefined, 'label');
    for (const [key, value] of Object.entries(labels)) {
      if (value.length > 63 || !LABEL_VALUE.test(value)) {
        throw new ArgoApiError(
          GRPC.INVALID_ARGUMENT,
          `Workflow.argoproj.io is invalid: metadata.labels: Invalid value: "${value}": a valid label must be 63 characters or less and consist of alphanumeric characters, '-', '_' or '.' (label ${key})`,
        );
      }
    }
    const annotations = parsePairs(options.annotations as string | undefined, 'annotation');
    const generateName = String(options.generateName ?? `${template.name}-`);
    let workflowName = typeof options.name === 'string' && options.name ? options.name : '';
    if (workflowName) {
      if (workflowName.length > 253 || !DNS_NAME.test(workflowName)) {
        throw new ArgoApiError(
          GRPC.INVALID_ARGUMENT,
          `Workflow.argoproj.io "${workflowName}" is invalid: metadata.name: Invalid value`,
        );
      }
      if (this.find(namespace, workflowName)) {
        // The template's generateName is set too, so the API server phrases it this way.
        throw new ArgoApiError(
          GRPC.ALREADY_EXISTS,
          `workflows.argoproj.io "${workflowName}" already exists, the server was not able to generate a unique name for the object`,
        );
      }
    } else {
      do workflowName = `${generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
      while (this.find(namespace, workflowName));
    }
    const workflow: WorkflowRecord = {
      metadata: {
        name: workflowName,
        generateName,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        generation: 1,
        creationTimestamp: k8sTime(new Date()),
        labels: { ...labels, 'workflows.argoproj.io/workflow-template': template.name },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        arguments: { parameters: parameters as { name: string; value: string }[] },
        workflowTemplateRef: { name: template.name },
        ...(typeof options.entryPoint === 'string' && options.entryPoint
          ? { entrypoint: options.entryPoint }
          : {}),
      },
      status: {},
    };
    this.workflows.push(workflow);
    for (const listener of this.listeners) listener(workflow);
    return workflow;
  }

  /** A workflow by name, or undefined. */
  find(namespace: string, name: string): WorkflowRecord | undefined {
    return this.workflows.find((w) => w.metadata.namespace === namespace && w.metadata.name === name);
  }

  /** GetWorkflow. */
  get(namespace: string, name: string): WorkflowRecord {
    const workflow = this.find(namespace, name);
    if (!workflow) throw new ArgoApiError(GRPC.NOT_FOUND, `workflows.argoproj.io "${name}" not found`);
    return workflow;
  }

  /** ListWorkflows with an equality-based label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`). */
  list(namespace: string, selector: string | null): WorkflowRecord[] {
    const tests = (selector ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((term) => {
        const m = /^(!?)([A-Za-z0-9./_-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*))?$/.exec(term);
        if (!m) throw new ArgoApiError(GRPC.INVALID_ARGUMENT, `unable to parse requirement: ${term}`);
        const [, not, key = '', op, value] = m;
        return (labels: Record<string, string>) => {
          if (!op) return not ? !(key in labels) : key in labels;
          return op === '!=' ? labels[key] !== value : labels[key] === value;
        };
      });
    return this.workflows.filter(
      (w) => w.metadata.namespace === namespace && tests.every((t) => t(w.metadata.labels)),
    );
  }

  /** Moves a workflow to a phase (tests play the controller). */
  setPhase(namespace: string, name: string, phase: Exclude<WorkflowPhase, ''>): WorkflowRecord {
    const workflow = this.get(namespace, name);
    const now = k8sTime(new Date());
    workflow.status.phase = phase;
    workflow.status.startedAt ??= now;
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') workflow.status.finishedAt = now;
    workflow.metadata.resourceVersion = this.nextVersion();
    return workflow;
  }

  /** The current resourceVersion of the collection. */
  get listVersion(): string {
    return String(this.resourceVersion);
  }
}
