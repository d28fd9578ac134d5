/**
 * Registered-model tags, which `MlflowClient` does not offer yet: `POST registered-models/set-tag`
 * on a tracking server, `models/<name>/tags/<key>` in MLflow's file store (the same file MLflow's
 * `FileStore.set_registered_model_tag` writes: the value, no newline, replaced atomically).
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { HttpClient, writeFileAtomic } from '@modelops/core';
import {
  FileMlflowClient,
  authFromEnv,
  authorizationHeader,
  validateKey,
  validateTagValue,
  type MlflowClient,
} from '@modelops/mlflow-client';

/** Options of {@link setRegisteredModelTag}. */
export interface RegisteredModelTagOptions {
  /** Environment with `MLFLOW_TRACKING_TOKEN` / `_USERNAME` / `_PASSWORD` (REST). */
  env?: Record<string, string | undefined>;
  /** Debug log for retries (REST). */
  log?: (line: string) => void;
}

/** Sets (or overwrites) a tag of a registered model; the model must exist. */
export async function setRegisteredModelTag(
  client: MlflowClient,
  name: string,
  key: string,
  value: string,
  options: RegisteredModelTagOptions = {},
): Promise<void> {
  validateKey('tag', key);
  validateTagValue(value);
  // Fails with the client's typed not-found error (listing close names) when the model is unknown.
  await client.getRegisteredModel(name);
  if (client instanceof FileMlflowClient) {
    const file = path.join(client.root, 'models', name, 'tags', ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, value);
    return;
  }
  const authorization = authorizationHeader(authFromEnv(options.env ?? process.env));
  const http = new HttpClient({
    service: 'MLflow',
    baseUrl: `${client.trackingUri}/api/2.0/mlflow/`,
    ...(authorization ? { headers: { authorization } } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await http.request({ method: 'POST', path: 'registered-models/set-tag', body: { name, key, value } });
}
