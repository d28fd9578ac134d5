/**
 * A local argo-server (Argo Workflows API `/api/v1`) over {@link ArgoState}: SubmitWorkflow from a
 * WorkflowTemplate, ListWorkflows with a label selector, GetWorkflow. Errors are grpc-gateway
 * bodies `{error, code, message, details}` with the gRPC code mapped to the HTTP status — 409 for
 * AlreadyExists. Requests and answers are validated against the API description (`api.ts`). For
 * tests: a request log, fault injection (before or after the call took effect) and an optional
 * bearer token.
 */
import { listen } from '../shared/http.ts';
import {
  EngineFaults,
  SchemaChecker,
  engineRoute,
  serveEngineApi,
  type EngineRequest,
} from '../kubeflow/protocol.ts';
import { ERROR_SCHEMA, GRPC, SUBMIT_REQUEST_SCHEMA, WORKFLOW_LIST_SCHEMA, WORKFLOW_SCHEMA } from './api.ts';
import { ArgoApiError, ArgoState } from './state.ts';

/** Options of {@link startArgoServer}. */
export interface ArgoServerOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  state?: ArgoState;
}

/** A running server. */
export interface ArgoServer {
  readonly url: string;
  readonly state: ArgoState;
  readonly requests: EngineRequest[];
  readonly faults: EngineFaults;
  /** Throws when a request or answer broke the API description. */
  assertNoViolations(): void;
  /** Forgets recorded violations (after a test that sends bad requests on purpose). */
  clearViolations(): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1. */
export async function startArgoServer(options: ArgoServerOptions = {}): Promise<ArgoServer> {
  const state = options.state ?? new ArgoState();
  const requests: EngineRequest[] = [];
  const faults = new EngineFaults();
  const checker = new SchemaChecker([
    SUBMIT_REQUEST_SCHEMA,
    WORKFLOW_SCHEMA,
    WORKFLOW_LIST_SCHEMA,
    ERROR_SCHEMA,
  ]);

  const routes = [
    engineRoute(
      'WorkflowService_SubmitWorkflow',
      'POST',
      '/api/v1/workflows/{namespace}/submit',
      ({ params, body }) => {
        const problems = checker.record(
          'WorkflowService_SubmitWorkflow',
          'request',
          SUBMIT_REQUEST_SCHEMA.$id,
          body,
        );
        if (problems.length > 0)
          throw new ArgoApiError(GRPC.INVALID_ARGUMENT, `json: ${problems.join('; ')}`);
        const workflow = state.submit(params.namespace as string, body as Record<string, unknown>);
        return { status: 200, body: workflow, schema: WORKFLOW_SCHEMA.$id };
      },
    ),
    engineRoute(
      'WorkflowService_ListWorkflows',
      'GET',
      '/api/v1/workflows/{namespace}',
      ({ params, query }) => {
        const items = state.list(params.namespace as string, query.get('listOptions.labelSelector'));
        // A nil Go slice: `null`, not [], when nothing matches.
        const body = {
          metadata: { resourceVersion: state.listVersion },
          items: items.length > 0 ? items : null,
        };
        return { status: 200, body, schema: WORKFLOW_LIST_SCHEMA.$id };
      },
    ),
    engineRoute(
      'WorkflowService_GetWorkflow',
      'GET',
      '/api/v1/workflows/{namespace}/{name}',
      ({ params }) => ({
        status: 200,
        body: state.get(params.namespace as string, params.name as string),
        schema: WORKFLOW_SCHEMA.$id,
      }),
    ),
  ];

  const server = await listen(
    serveEngineApi({
      routes,
      checker,
      faults,
      requests,
      errorSchema: ERROR_SCHEMA.$id,
      ...(options.token ? { token: options.token } : {}),
    }),
  );
  return {
    url: server.url,
    state,
    requests,
    faults,
    assertNoViolations: () => checker.assertNoViolations(),
    clearViolations: () => checker.clear(),
    close: () => server.close(),
  };
}
