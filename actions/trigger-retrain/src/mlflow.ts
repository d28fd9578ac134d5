/**
 * MLflow as the record of trainings. A training run that tags itself with `modelops.model` and
 * `modelops.fingerprint` (and, optionally, `modelops.inputs`) is what a later decision compares with:
 * the baseline is the model's most recently finished run with those tags. A run with the same
 * fingerprint that is still RUNNING means the training is already under way.
 */
import type { MlflowClient, Run } from '@modelops/mlflow-client';
import { parseRecordedInputs } from './fingerprint.ts';
import type { Baseline } from './reasons.ts';
import type { EngineRun } from './dispatch/types.ts';

/** The run tags the decision model reads. */
export const MLFLOW_TAGS = {
  model: 'modelops.model',
  fingerprint: 'modelops.fingerprint',
  inputs: 'modelops.inputs',
} as const;

/**
 * How long a RUNNING MLflow run counts as a training in progress. MLflow leaves a run RUNNING when
 * its process is killed, so an old RUNNING run is an abandoned one, not a reason to skip a retrain.
 */
export const MLFLOW_RUNNING_WINDOW_MS = 24 * 3_600_000;

/** Where to look in MLflow. */
export interface MlflowLookup {
  client: MlflowClient;
  model: string;
  /** Only this experiment (by name); default: every active experiment. */
  experiment?: string;
}

/** The experiment ids to search; empty when the named experiment does not exist yet. */
async function experimentIds(lookup: MlflowLookup): Promise<string[]> {
  if (lookup.experiment) {
    const found = await lookup.client.getExperimentByName(lookup.experiment);
    return found ? [found.experimentId] : [];
  }
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await lookup.client.searchExperiments({
      maxResults: 1000,
      ...(pageToken ? { pageToken } : {}),
    });
    ids.push(...page.items.map((e) => e.experimentId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/** A link to a run in the MLflow UI (REST tracking servers only). */
export function mlflowRunUrl(client: MlflowClient, run: Run): string | undefined {
  if (client.backend !== 'rest') return undefined;
  return `${client.trackingUri.replace(/\/+$/, '')}/#/experiments/${run.info.experimentId}/runs/${run.info.runId}`;
}

function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The model's last finished training run with a fingerprint, as a baseline. */
export async function findMlflowBaseline(lookup: MlflowLookup): Promise<Baseline | undefined> {
  const ids = await experimentIds(lookup);
  if (ids.length === 0) return undefined;
  const page = await lookup.client.searchRuns({
    experimentIds: ids,
    filter: `tags.\`${MLFLOW_TAGS.model}\` = ${quoted(lookup.model)} AND tags.\`${MLFLOW_TAGS.fingerprint}\` LIKE 'sha256:%' AND attributes.status = 'FINISHED'`,
    orderBy: ['attributes.end_time DESC'],
    maxResults: 1,
  });
  const run = page.items[0];
  if (!run) return undefined;
  const trainedAt = run.info.endTime ?? run.info.startTime;
  const inputs = parseRecordedInputs(run.data.tags[MLFLOW_TAGS.inputs]);
  const url = mlflowRunUrl(lookup.client, run);
  return {
    source: 'mlflow',
    location: lookup.client.trackingUri,
    fingerprint: run.data.tags[MLFLOW_TAGS.fingerprint] as string,
    ...(trainedAt ? { trainedAt: new Date(trainedAt).toISOString() } : {}),
    runId: run.info.runId,
    ...(url ? { runUrl: url } : {}),
    ...(inputs ? { inputs } : {}),
  };
}

/** A training of this fingerprint in progress in MLflow (RUNNING or SCHEDULED, started recently). */
export async function findMlflowActiveRun(
  lookup: MlflowLookup,
  fingerprint: string,
  now: Date,
): Promise<EngineRun | undefined> {
  const ids = await experimentIds(lookup);
  if (ids.length === 0) return undefined;
  const page = await lookup.client.searchRuns({
    experimentIds: ids,
    filter: `tags.\`${MLFLOW_TAGS.model}\` = ${quoted(lookup.model)} AND tags.\`${MLFLOW_TAGS.fingerprint}\` = ${quoted(fingerprint)}`,
    orderBy: ['attributes.start_time DESC'],
    maxResults: 100,
  });
  const run = page.items.find(
    (r) =>
      (r.info.status === 'RUNNING' || r.info.status === 'SCHEDULED') &&
      now.getTime() - r.info.startTime < MLFLOW_RUNNING_WINDOW_MS,
  );
  if (!run) return undefined;
  const url = mlflowRunUrl(lookup.client, run);
  return {
    id: run.info.runId,
    ...(url ? { url } : {}),
    state: run.info.status === 'RUNNING' ? 'running' : 'pending',
    createdAt: new Date(run.info.startTime).toISOString(),
    engineState: run.info.status,
  };
}
