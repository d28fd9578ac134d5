/**
 * What the gate writes to MLflow: the verdict as tags on the candidate (`modelops.gate` and
 * `modelops.gate.<gate>` = `passed` / `failed`, on the model version when the candidate is one, else
 * on its run) and, when the gate passes, an alias on the candidate version (e.g. `challenger`).
 */
import { UserError } from '@modelops/core';
import type { MlflowClient } from '@modelops/mlflow-client';
import type { ResolvedModel } from './sources.ts';

/** The tags a verdict writes. */
export function gateTags(gate: string, passed: boolean, runUrl?: string): Record<string, string> {
  const verdict = passed ? 'passed' : 'failed';
  return {
    'modelops.gate': verdict,
    [`modelops.gate.${gate}`]: verdict,
    ...(runUrl ? { [`modelops.gate.${gate}.run`]: runUrl } : {}),
  };
}

/** Tags the candidate with the verdict; returns where the tags went, for the log. */
export async function tagCandidate(
  client: MlflowClient,
  candidate: ResolvedModel,
  tags: Record<string, string>,
): Promise<string> {
  if (candidate.modelVersion) {
    const { name, version } = candidate.modelVersion;
    for (const [key, value] of Object.entries(tags))
      await client.setModelVersionTag(name, version, key, value);
    return `model version ${name}/${version}`;
  }
  await client.logBatch(candidate.run.info.runId, { tags });
  return `run ${candidate.run.info.runId}`;
}

/** Alias names MLflow accepts (letters, digits, `_`, `-`; not `latest`, not `v<number>`). */
export function checkAliasName(alias: string): void {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(alias) || /^latest$/i.test(alias) || /^v\d+$/i.test(alias)) {
    throw new UserError(
      `Input 'promote-alias' must be an MLflow alias such as 'challenger', got '${alias}'.`,
      {
        input: 'promote-alias',
        fix: "Use letters, digits, '_' and '-'; 'latest' and 'v<number>' are reserved by MLflow.",
      },
    );
  }
}

/** Points `alias` at the candidate's model version. */
export async function promoteCandidate(
  client: MlflowClient,
  candidate: ResolvedModel,
  alias: string,
): Promise<string> {
  const version = candidate.modelVersion;
  if (!version) throw new Error('internal: promotion needs a model version');
  await client.setRegisteredModelAlias(version.name, alias, version.version);
  return `models:/${version.name}@${alias} → version ${version.version}`;
}
