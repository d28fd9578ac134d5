/**
 * `npm run pipeline` — runs the example ML pipeline once in the working directory (see pipeline.ts
 * and README.md). Exits 1 when a stage fails, 2 on bad usage.
 *
 *   npm run pipeline                   hash, decide, train if needed, gate, (rollout)
 *   npm run pipeline -- --change-data  first append new customers to the training data
 *
 * `PIPELINE_CHANGE_DATA=1` does the same as `--change-data`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runPipeline } from './pipeline.ts';
import { PipelineError } from './log.ts';
import { STATE_FOLDER } from './workspace.ts';

const USAGE = `usage: npm run pipeline [-- --change-data] [-- --project <folder>]

  --change-data       append 200 new customers to data/train first, so the dataset changes
                      (same as PIPELINE_CHANGE_DATA=1)
  --project <folder>  take train.py, params.yaml and gate.yml from this folder
                      (default: examples/pipeline/project)
  --help              this text`;

function parseArgs(argv: string[]): { changeData: boolean; projectDir?: string } {
  const out: { changeData: boolean; projectDir?: string } = { changeData: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--change-data') out.changeData = true;
    else if (arg === '--project' && argv[i + 1]) out.projectDir = path.resolve(argv[++i] as string);
    else {
      console.error(`Unknown or incomplete argument '${arg}'.\n${USAGE}`);
      process.exit(2);
    }
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));

const cwd = process.cwd();
// The runner protocol gives every step fresh temp folders; keep them in the state folder, not in /tmp.
const scratch = path.join(cwd, STATE_FOLDER, 'tmp');
mkdirSync(scratch, { recursive: true });
process.env.TMPDIR = scratch;

try {
  const result = await runPipeline({
    cwd,
    changeData: args.changeData || /^(1|true|yes)$/i.test(process.env.PIPELINE_CHANGE_DATA ?? ''),
    ...(args.projectDir ? { projectDir: args.projectDir } : {}),
  });
  process.exitCode = result.passed ? 0 : 1;
} catch (error) {
  if (error instanceof PipelineError) console.error(`error: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
