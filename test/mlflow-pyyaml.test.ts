/**
 * PyYAML — the library MLflow's file store reads and writes `meta.yaml` with — as the oracle for the
 * file format: every `meta.yaml` the file backend writes must load under PyYAML to the intended
 * Python types and be byte-identical to PyYAML's own `safe_dump` of it (MLflow writes with
 * `default_flow_style=False, sort_keys=True`); every metric line must hold Python's `repr` of the
 * value. The hand-written fixture store is held to the same standard.
 *
 * Needs the Debian package python3-yaml; fails with that fix when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlflowClient } from '@modelops/mlflow-client';

const PYTHON = '/usr/bin/python3';
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mlruns');

/** Walks a store; reports each meta.yaml (canonical or not, loaded data) and each metric line. */
const ORACLE = String.raw`
import json, os, sys, yaml
root = sys.argv[1]
report = {"meta": {}, "metric_lines": [], "bad_metric_lines": []}
for directory, _, files in os.walk(root):
    rel = os.path.relpath(directory, root)
    for name in files:
        path = os.path.join(directory, name)
        key = os.path.join(rel, name)
        if name == "meta.yaml":
            text = open(path, encoding="utf-8").read()
            data = yaml.safe_load(text)
            dumped = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True)
            types = {k: type(v).__name__ for k, v in data.items()}
            report["meta"][key] = {"canonical": dumped == text, "data": data, "types": types, "expected": dumped}
        elif "/metrics" in "/" + rel.replace(os.sep, "/"):
            for line in open(path, encoding="utf-8").read().splitlines():
                parts = line.split(" ")
                ok = len(parts) in (2, 3) and repr(float(parts[1])) == parts[1] and int(parts[0]) >= 0
                (report["metric_lines"] if ok else report["bad_metric_lines"]).append([key, line])
print(json.dumps(report, default=str, allow_nan=True))
`;

interface OracleReport {
  meta: Record<
    string,
    { canonical: boolean; data: Record<string, unknown>; types: Record<string, string>; expected: string }
  >;
  metric_lines: [string, string][];
  bad_metric_lines: [string, string][];
}

function requirePyYaml(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import yaml'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `PyYAML is needed as the oracle for MLflow's meta.yaml format but '${PYTHON} -c "import yaml"' failed (${probe.stderr || probe.error?.message}). Fix: apt-get install -y python3-yaml`,
    );
  }
}

function runOracle(root: string): OracleReport {
  const result = spawnSync(PYTHON, ['-c', ORACLE, root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`The PyYAML oracle failed: ${result.stderr}`);
  return JSON.parse(result.stdout.replace(/\bNaN\b/g, 'null')) as OracleReport;
}

function metaOf(report: OracleReport, suffix: string) {
  const entry = Object.entries(report.meta).find(([path]) => path.endsWith(suffix));
  if (!entry)
    throw new Error(`no meta.yaml ending in ${suffix}; have ${Object.keys(report.meta).join(', ')}`);
  return entry[1];
}

describe('the file store format, checked with PyYAML', () => {
  let directory: string;
  beforeAll(async () => {
    requirePyYaml();
    directory = await mkdtemp(join(tmpdir(), 'mlflow-pyyaml-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('writes meta.yaml files that PyYAML reads to the right types and would write identically', async () => {
    const root = join(directory, 'mlruns');
    const client = createMlflowClient({ trackingUri: root, env: {} });
    // Names chosen to trip YAML: booleans in YAML 1.1 ('on'), not in PyYAML ('y'), float-like strings.
    const experimentId = await client.createExperiment('y', { tags: { note: 'x' } });
    const run = await client.createRun({ experimentId, runName: 'on', startTime: 1718000000000 });
    await client.logBatch(run.info.runId, {
      metrics: [0.1, 1, 1e-7, 1e16, 123456789.125, Number.NaN, Number.NEGATIVE_INFINITY, -0].map(
        (value, step) => ({
          key: 'm',
          value,
          step,
          timestamp: 1718000000000 + step,
        }),
      ),
    });
    await client.finishRun(run.info.runId);
    await client.createRegisteredModel('churn', { description: 'line one\nline two: <<' });
    await client.createModelVersion({
      name: 'churn',
      source: `runs:/${run.info.runId}/model`,
      runId: run.info.runId,
      description: '1e5',
    });
    await client.setRegisteredModelAlias('churn', 'champion', 1);

    const report = runOracle(root);
    const nonCanonical = Object.entries(report.meta).filter(([, entry]) => !entry.canonical);
    expect(nonCanonical.map(([path, entry]) => `${path}:\n${entry.expected}`)).toEqual([]);
    expect(Object.keys(report.meta)).toHaveLength(5);

    const experiment = metaOf(report, `${experimentId}/meta.yaml`);
    expect(experiment.data).toMatchObject({
      name: 'y',
      experiment_id: experimentId,
      lifecycle_stage: 'active',
    });
    expect(experiment.types).toMatchObject({ name: 'str', experiment_id: 'str', creation_time: 'int' });

    const runMeta = metaOf(report, `${run.info.runId}/meta.yaml`);
    expect(runMeta.data).toMatchObject({
      run_name: 'on',
      run_id: run.info.runId,
      run_uuid: run.info.runId,
      experiment_id: experimentId,
      status: 3,
      source_type: 4,
      lifecycle_stage: 'active',
      start_time: 1718000000000,
      tags: [],
    });
    expect(runMeta.types).toMatchObject({ run_name: 'str', status: 'int', end_time: 'int' });

    const model = metaOf(report, 'models/churn/meta.yaml');
    expect(model.data).toMatchObject({
      name: 'churn',
      description: 'line one\nline two: <<',
      aliases: { champion: '1' },
    });
    const version = metaOf(report, 'version-1/meta.yaml');
    expect(version.data).toMatchObject({
      version: 1,
      current_stage: 'None',
      status: 'READY',
      description: '1e5',
    });
    expect(version.types).toMatchObject({ version: 'int', description: 'str', status_message: 'NoneType' });

    expect(report.bad_metric_lines).toEqual([]);
    expect(report.metric_lines.map(([, line]) => line.split(' ')[1])).toEqual([
      '0.1',
      '1.0',
      '1e-07',
      '1e+16',
      '123456789.125',
      'nan',
      '-inf',
      '-0.0',
    ]);
  });

  it('holds the hand-written fixture store to the same format', () => {
    const report = runOracle(FIXTURE);
    expect(Object.keys(report.meta).length).toBeGreaterThanOrEqual(7);
    const nonCanonical = Object.entries(report.meta).filter(([, entry]) => !entry.canonical);
    expect(nonCanonical.map(([path, entry]) => `${path}:\n${entry.expected}`)).toEqual([]);
    expect(report.bad_metric_lines).toEqual([]);
    for (const [path, entry] of Object.entries(report.meta)) {
      if (path.includes('models')) continue;
      expect(entry.types.experiment_id, path).toBe('str');
    }
  });
});
