/**
 * dataset-hash through its bundle, as the runner runs it, on Node 20 and 24: against the local
 * results service (artifacts and cache) and GitHub REST server, across consecutive workflow runs.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_MAJORS, REPO_ROOT, runAction, type NodeMajor } from './harness/index.ts';
import { startWorld, type StartedWorld } from './servers/results/index.ts';

/** The bundle under test; MODELOPS_DATASET_HASH_DIR points elsewhere (e.g. a scratch build). */
const ACTION_DIR = process.env.MODELOPS_DATASET_HASH_DIR ?? path.join(REPO_ROOT, 'actions/dataset-hash');

let started: StartedWorld;
let root: string;

beforeAll(async () => {
  if (!existsSync(path.join(ACTION_DIR, 'dist/index.js'))) {
    throw new Error(`No bundle at ${ACTION_DIR}/dist/index.js. Fix: run \`npm run build\` first.`);
  }
  root = mkdtempSync(path.join(os.tmpdir(), 'dataset-hash-it-'));
  started = await startWorld({ owner: 'acme', repo: 'ml' });
});

afterAll(async () => {
  await started?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

describe.each(NODE_MAJORS)('dataset-hash bundle on Node %i', (node: NodeMajor) => {
  it('diffs against the artifact of the previous successful run and reuses its hash cache', async () => {
    const workspace = path.join(root, `ws-${node}`);
    writeTree(workspace, { 'data/train/a.csv': 'a\n', 'data/train/b.csv': 'b\n', 'data/test/c.csv': 'c\n' });
    const workflow = `data-${node}.yml`;
    const step = async (runner: string) => {
      const run = started.world.addWorkflowRun({ workflow, branch: 'main' });
      const env = started.env(run, { workspace, runnerTemp: path.join(root, runner) });
      const result = await runAction('dataset-hash', {
        actionDir: ACTION_DIR,
        node,
        cwd: workspace,
        env,
        inputs: { path: 'data', baseline: 'artifact' },
      });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      started.world.completeRun(run.id, 'success');
      return { run, result };
    };

    const first = await step('temp-1');
    expect(first.result.outputs).toMatchObject({
      files: '3',
      changed: 'true',
      added: '3',
      removed: '0',
      modified: '0',
    });
    expect(first.result.outputs.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.result.stdout).toContain(
      "no successful run on the default branch has artifact 'dataset-manifest-data'",
    );
    expect(first.result.summary).toContain(first.result.outputs.hash);

    // A fresh runner: the workspace's state folder is gone, data changed.
    rmSync(path.join(workspace, '.modelops'), { recursive: true, force: true });
    writeFileSync(path.join(workspace, 'data/train/a.csv'), 'A\n');
    writeFileSync(path.join(workspace, 'data/train/d.csv'), 'd\n');
    rmSync(path.join(workspace, 'data/test/c.csv'));
    const second = await step('temp-2');
    expect(second.result.outputs).toMatchObject({
      changed: 'true',
      added: '1',
      removed: '1',
      modified: '1',
      files: '3',
    });
    expect(second.result.stdout).toMatch(/Hash cache restored from modelops-dataset-hash-v3-/);
    const diff = JSON.parse(
      readFileSync(path.join(workspace, second.result.outputs.diff as string), 'utf8'),
    ) as {
      baseline: { runId: string; hash: string };
      modified: { path: string }[];
    };
    expect(diff.baseline).toMatchObject({ runId: String(first.run.id), hash: first.result.outputs.hash });
    expect(diff.modified.map((m) => m.path)).toEqual(['train/a.csv']);
    expect(second.result.summary).toMatch(/1 added, 1 removed, 1 modified, 1 unchanged/);

    const third = await step('temp-3');
    expect(third.result.outputs).toMatchObject({ changed: 'false', hash: second.result.outputs.hash });
  });

  it('reports a path that matches nothing as one line with the fix, no stack trace', async () => {
    const workspace = path.join(root, `bad-${node}`);
    writeTree(workspace, { 'data/a': 'a' });
    const result = await runAction('dataset-hash', {
      actionDir: ACTION_DIR,
      node,
      cwd: workspace,
      inputs: { path: 'nope', upload: false, cache: false },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^input 'path', file 'nope': Path 'nope' does not exist\. Fix: /);
    expect(
      result.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::debug::'))
        .join('\n'),
    ).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('gives the same hash for any creation order and mtime', async () => {
    const files: [string, string][] = [
      ['data/b/2.txt', 'two'],
      ['data/a/1.txt', 'one'],
      ['data/a.txt', 'a dot'],
      ['data/Z.txt', 'upper'],
      ['data/e\u0301.txt', 'decomposed name'],
    ];
    const hashes: string[] = [];
    for (const [k, order] of [files, [...files].reverse()].entries()) {
      const workspace = path.join(root, `order-${node}-${k}`);
      writeTree(workspace, Object.fromEntries(order));
      if (k === 1) {
        const { utimesSync } = await import('node:fs');
        utimesSync(path.join(workspace, 'data/a/1.txt'), new Date('2000-01-01'), new Date('2000-01-01'));
      }
      const result = await runAction('dataset-hash', {
        actionDir: ACTION_DIR,
        node,
        cwd: workspace,
        inputs: { path: 'data/', upload: false, cache: false },
      });
      expect(result.errors).toEqual([]);
      hashes.push(result.outputs.hash as string);
    }
    expect(hashes[1]).toBe(hashes[0]);
  });

  it('refuses a broken baseline, a baseline with a traversal path, and an unreadable file, naming the file', async () => {
    const workspace = path.join(root, `bad-inputs-${node}`);
    writeTree(workspace, { 'data/a': 'a', 'broken.json': '{"schemaVersion": 1, "kind": "DatasetManifest",' });
    const run = (inputs: Record<string, string | boolean>) =>
      runAction('dataset-hash', {
        actionDir: ACTION_DIR,
        node,
        cwd: workspace,
        inputs: { upload: false, cache: false, ...inputs },
      });

    const broken = await run({ path: 'data', baseline: 'broken.json' });
    expect(broken.exitCode).toBe(1);
    expect(broken.errors).toEqual([
      expect.stringMatching(/^input 'baseline', file '.*broken\.json': .*not valid JSON.* Fix: /),
    ]);
    expect(existsSync(path.join(workspace, '.modelops/dataset-hash/data/dataset-manifest-data.json'))).toBe(
      false,
    );

    const good = await run({ path: 'data' });
    const manifest = JSON.parse(
      readFileSync(path.join(workspace, good.outputs.manifest as string), 'utf8'),
    ) as {
      files: { path: string }[];
    };
    (manifest.files[0] as { path: string }).path = '../../../etc/passwd';
    writeFileSync(path.join(workspace, 'evil.json'), JSON.stringify(manifest));
    const evil = await run({ path: 'data', baseline: 'evil.json' });
    expect(evil.exitCode).toBe(1);
    expect(evil.errors).toEqual([
      expect.stringMatching(/evil\.json.*'\.\.\/\.\.\/\.\.\/etc\/passwd', which climbs out of the dataset/),
    ]);

    // /proc/self/mem is a regular file whose first page cannot be read (EIO), even as root.
    const unreadable = await run({ path: '/proc/self/mem', name: 'procmem' });
    expect(unreadable.exitCode).toBe(1);
    expect(unreadable.errors).toEqual([
      expect.stringMatching(/^File 'mem' cannot be read \(EIO: i\/o error, read\)\. Fix: /),
    ]);
  });

  it("gives DVC's .dir hash and hashes an LFS pointer by its oid", async () => {
    const workspace = path.join(root, `dvc-${node}`);
    const oid = '6c17f2007cbe934aee6e309b28b2dba3c119c5dff2ef813ed124699efe319868'; // sha256("simple\n")
    writeTree(workspace, {
      'dvc/1': '1',
      'dvc/2': '2',
      'lfs/model.bin': `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 7\n`,
    });
    const dvc = await runAction('dataset-hash', {
      actionDir: ACTION_DIR,
      node,
      cwd: workspace,
      inputs: { path: 'dvc', algorithm: 'dvc', upload: false, cache: false },
    });
    expect(dvc.errors).toEqual([]);
    expect(dvc.outputs.hash).toBe('md5:5fb6b29836c388e093ca0715c872fe2a.dir');
    const lfs = await runAction('dataset-hash', {
      actionDir: ACTION_DIR,
      node,
      cwd: workspace,
      inputs: { path: 'lfs', upload: false, cache: false },
    });
    const manifest = JSON.parse(
      readFileSync(path.join(workspace, lfs.outputs.manifest as string), 'utf8'),
    ) as {
      files: { path: string; hash: string; size: number; lfs: string }[];
    };
    expect(manifest.files).toEqual([{ path: 'model.bin', size: 7, hash: oid, lfs: oid }]);
    expect(lfs.outputs.bytes).toBe('7');
  });
});
