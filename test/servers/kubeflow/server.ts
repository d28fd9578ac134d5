/**
 * A local Kubeflow Pipelines API server (REST v2beta1, the runs service) over {@link KfpState}:
 * CreateRun, ListRuns (filter, sort_by, paging), GetRun and TerminateRun, answering like the real
 * server's grpc-gateway — `runtimeError` bodies `{error, code, message, details}` with the gRPC code
 * mapped to the HTTP status. Requests and answers are validated against the API description
 * (`api.ts`); violations are recorded. For tests: a request log, fault injection (before or after
 * the call took effect) and an optional bearer token.
 */
import { listen } from '../shared/http.ts';
import { ERROR_SCHEMA, FILTER_SCHEMA, GRPC, LIST_RUNS_SCHEMA, RUN_SCHEMA } from './api.ts';
import { EngineFaults, SchemaChecker, engineRoute, serveEngineApi, type EngineRequest } from './protocol.ts';
import { KfpApiError, KfpState } from './state.ts';

/** Options of {@link startKfpServer}. */
export interface KfpServerOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  state?: KfpState;
}

/** A running server. */
export interface KfpServer {
  readonly url: string;
  readonly state: KfpState;
  readonly requests: EngineRequest[];
  readonly faults: EngineFaults;
  /** Throws when a request or answer broke the API description. */
  assertNoViolations(): void;
  /** Forgets recorded violations (after a test that sends bad requests on purpose). */
  clearViolations(): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1. */
export async function startKfpServer(options: KfpServerOptions = {}): Promise<KfpServer> {
  const state = options.state ?? new KfpState();
  const requests: EngineRequest[] = [];
  const faults = new EngineFaults();
  const checker = new SchemaChecker([RUN_SCHEMA, LIST_RUNS_SCHEMA, ERROR_SCHEMA, FILTER_SCHEMA]);

  const routes = [
    engineRoute('RunService_CreateRun', 'POST', '/apis/v2beta1/runs', ({ query, body }) => {
      const problems = checker.record('RunService_CreateRun', 'request', RUN_SCHEMA.$id, body);
      if (problems.length > 0)
        throw new KfpApiError(GRPC.INVALID_ARGUMENT, `Invalid input error: ${problems.join('; ')}`);
      const run = state.createRun(body as Record<string, unknown>, query.get('experiment_id') ?? undefined);
      return { status: 200, body: run, schema: RUN_SCHEMA.$id };
    }),
    engineRoute('RunService_ListRuns', 'GET', '/apis/v2beta1/runs', ({ query }) => {
      const filter = query.get('filter');
      if (filter) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(filter);
        } catch {
          throw new KfpApiError(
            GRPC.INVALID_ARGUMENT,
            'Invalid input error: the filter is not URL-encoded JSON',
          );
        }
        const problems = checker.record('RunService_ListRuns', 'request', FILTER_SCHEMA.$id, parsed);
        if (problems.length > 0)
          throw new KfpApiError(GRPC.INVALID_ARGUMENT, `Invalid input error: filter ${problems.join('; ')}`);
      }
      const { runs, total, nextPageToken } = state.listRuns(query);
      // grpc-gateway leaves out empty fields: no runs means no `runs` key.
      const body = {
        ...(runs.length > 0 ? { runs } : {}),
        ...(total > 0 ? { total_size: total } : {}),
        ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
      };
      return { status: 200, body, schema: LIST_RUNS_SCHEMA.$id };
    }),
    engineRoute('RunService_GetRun', 'GET', '/apis/v2beta1/runs/{run_id}', ({ params }) => ({
      status: 200,
      body: state.getRun(params.run_id as string),
      schema: RUN_SCHEMA.$id,
    })),
    engineRoute('RunService_TerminateRun', 'POST', '/apis/v2beta1/runs/{run_id}:terminate', ({ params }) => {
      const run = state.getRun(params.run_id as string);
      if (['PENDING', 'RUNNING', 'PAUSED'].includes(run.state)) state.setRunState(run.run_id, 'CANCELING');
      return { status: 200, body: {} };
    }),
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
