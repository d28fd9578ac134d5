/**
 * The pipeline's state folder, `.modelops-pipeline/` in the working directory:
 *
 * ```
 * .modelops-pipeline/
 *   .gitignore        `*` — nothing in here is ever committed
 *   run-number        the last pipeline run's number (GITHUB_RUN_ID of its steps)
 *   workspace/        the job's workspace (GITHUB_WORKSPACE): project files, data/, outputs/, mlruns/
 *   artifacts/        MODELOPS_ARTIFACT_DIR: the artifacts each run published
 *   cache/            MODELOPS_CACHE_DIR: the Actions cache stand-in (dataset-hash's hash cache)
 *   runs/<n>/         per run: the steps' job summaries, summary.md and pipeline.json
 * ```
 *
 * Everything a later run needs from an earlier one (artifacts, cache, MLflow) lives here, so a second
 * pipeline run finds the first one's baselines, as the next workflow run would on GitHub.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from './log.ts';

/** Name of the state folder in the working directory. */
export const STATE_FOLDER = '.modelops-pipeline';

/** The example project's files (train.py, params.yaml, gate.yml): what a repository would hold. */
export const PROJECT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'project');

/** Files copied from {@link PROJECT_DIR} into the workspace at the start of every run, like a checkout. */
export const PROJECT_FILES = ['train.py', 'params.yaml', 'gate.yml'] as const;

/** The folders of one pipeline run. */
export interface RunFolders {
  /** The state folder. */
  state: string;
  /** The job's workspace. */
  workspace: string;
  artifacts: string;
  cache: string;
  /** This run's folder under `runs/`. */
  run: string;
  /** This run's number, also its GITHUB_RUN_ID. */
  runNumber: number;
}

/** Copies the project files into the workspace, as a checkout would; returns their names. */
export async function checkoutProject(workspace: string, projectDir = PROJECT_DIR): Promise<string[]> {
  await mkdir(workspace, { recursive: true });
  for (const file of PROJECT_FILES) {
    const from = path.join(projectDir, file);
    try {
      await copyFile(from, path.join(workspace, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new PipelineError(
        `The project folder ${projectDir} has no ${file}.`,
        `Give a folder with ${PROJECT_FILES.join(', ')} (start from ${PROJECT_DIR}).`,
      );
    }
  }
  return [...PROJECT_FILES];
}

/**
 * Creates the state folder (git-ignored by its own `.gitignore`), takes the next run number and
 * checks the project files out into the workspace.
 */
export async function prepareRun(cwd: string, projectDir = PROJECT_DIR): Promise<RunFolders> {
  const state = path.resolve(cwd, STATE_FOLDER);
  await mkdir(state, { recursive: true });
  await writeFile(path.join(state, '.gitignore'), '# Local state of the example pipeline.\n*\n');
  const counter = path.join(state, 'run-number');
  const previous = Number.parseInt(await readFile(counter, 'utf8').catch(() => '0'), 10);
  const runNumber = (Number.isFinite(previous) ? previous : 0) + 1;
  await writeFile(counter, `${runNumber}\n`);
  const folders: RunFolders = {
    state,
    workspace: path.join(state, 'workspace'),
    artifacts: path.join(state, 'artifacts'),
    cache: path.join(state, 'cache'),
    run: path.join(state, 'runs', String(runNumber)),
    runNumber,
  };
  for (const dir of [folders.workspace, folders.artifacts, folders.cache, folders.run]) {
    await mkdir(dir, { recursive: true });
  }
  await checkoutProject(folders.workspace, projectDir);
  return folders;
}
