/** Entry of the dataset-hash action: reads the inputs and runs the step with the real services. */
import * as core from '@actions/core';
import {
  appendJobSummary,
  fetchArtifact,
  getBooleanInput,
  getChoiceInput,
  getInput,
  getListInput,
  publishArtifact,
  restoreCache,
  runStep,
  saveCache,
  setOutputs,
} from '@modelops/core';
import { ALGORITHMS } from './digests.ts';
import { runDatasetHash } from './run.ts';

await runStep(
  async () => {
    const inputs = {
      path: getListInput('path', { required: true }),
      ignore: getListInput('ignore'),
      algorithm: getChoiceInput('algorithm', ALGORITHMS, { fallback: 'sha256' }),
      lfs: getChoiceInput('lfs', ['auto', 'content', 'pointer'] as const, { fallback: 'auto' }),
      name: getInput('name'),
      baseline: getInput('baseline', { fallback: 'none' }),
      cache: getBooleanInput('cache', { fallback: true }),
      upload: getBooleanInput('upload', { fallback: true }),
    };
    await runDatasetHash(inputs, {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: process.env,
      restoreCache: (paths, key, restoreKeys) => restoreCache(paths, key, restoreKeys),
      saveCache: (paths, key) => saveCache(paths, key),
      fetchBaselineArtifact: (name, destination) =>
        fetchArtifact(name, destination, { kind: 'latest-successful' }),
      publishArtifact: (name, files, root) => publishArtifact(name, files, root),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      info: core.info,
      warning: core.warning,
      debug: core.debug,
    });
  },
  { action: 'dataset-hash' },
);
