/**
 * The documents around model-gate stay true: the generated spec reference and published schema match
 * the code, the spec examples in the docs are valid, action.yml documents every input and output the
 * code uses, and the starter workflows follow the suite's rules (least privilege, pinned actions, no
 * event data interpolated into scripts, no write token near a fork's code).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkSchema } from '@modelops/core';
import { REPO_ROOT } from './harness/index.ts';
import { gateSpecMarkdown, gateSpecSchemaJson } from '../actions/model-gate/src/spec-docs.ts';
import { parseGateSpec } from '../actions/model-gate/src/spec.ts';
import { runGate } from '../actions/model-gate/src/run.ts';
import { recordingDeps, runnerEnv, workspaceWithSpec } from './fixtures/model-gate/helpers.ts';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const REGENERATE = 'Stale: run `npx tsx actions/model-gate/scripts/write-docs.ts` and commit the result.';

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}
const action = parseYaml(read('actions/model-gate/action.yml')) as ActionYaml;

describe('generated spec documents', () => {
  it('docs/gate-spec.md and gate-spec.schema.json match the schema in the code', () => {
    expect(read('docs/gate-spec.md'), REGENERATE).toBe(gateSpecMarkdown());
    // The file is Prettier-formatted; its content must be the schema.
    expect(JSON.parse(read('actions/model-gate/gate-spec.schema.json')), REGENERATE).toEqual(
      JSON.parse(gateSpecSchemaJson()),
    );
  });

  it('documents every check key', () => {
    const markdown = read('docs/gate-spec.md');
    for (const key of [
      'max-regression',
      'min-improvement',
      'significance',
      'min-group-size',
      'severity',
      'direction',
    ]) {
      expect(markdown).toContain(`| \`${key}\` |`);
    }
  });

  it('has spec examples in the docs that the gate and the published schema accept', () => {
    const schema = JSON.parse(read('actions/model-gate/gate-spec.schema.json')) as Record<string, unknown>;
    let examples = 0;
    for (const file of ['docs/model-gate.md', 'actions/model-gate/README.md']) {
      for (const match of read(file).matchAll(/<!-- gate-spec-example -->\n```yaml\n([\s\S]*?)```/g)) {
        const value = parseYaml(match[1] as string) as unknown;
        expect(checkSchema(schema, value), file).toEqual([]);
        expect(parseGateSpec(value, { file }).checks.length).toBeGreaterThan(0);
        examples++;
      }
    }
    expect(examples).toBe(2);
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs the entry reads, each documented in docs/model-gate.md', () => {
    const main = read('actions/model-gate/src/main.ts');
    const used = [...main.matchAll(/get\w*Input\('([a-z-]+)'/g)].map((m) => m[1]).sort();
    expect(Object.keys(action.inputs).sort()).toEqual(used);
    const docs = read('docs/model-gate.md');
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(20);
      expect(docs).toContain(`| \`${name}\` |`);
    }
  });

  it('declares exactly the outputs the gate sets', async () => {
    const dir = workspaceWithSpec(
      'predictions: {label: label, score: score}\nchecks:\n  - {name: auc, metric: roc_auc, min: 0.5}\n',
    );
    const deps = recordingDeps(dir, runnerEnv());
    await runGate(
      {
        spec: 'gate.yml',
        predictions: 'candidate.csv',
        baseline: 'none',
        comment: 'never',
        failOn: 'fail',
        mlflowTags: true,
        history: false,
      },
      deps,
    );
    expect(Object.keys(action.outputs).sort()).toEqual(Object.keys(deps.records.outputs).sort());
    const docs = read('docs/model-gate.md');
    for (const name of Object.keys(action.outputs)) expect(docs).toContain(`| \`${name}\` |`);
  });
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

describe('starter workflows', () => {
  const files = ['model-gate-pr.yml', 'model-gate-fork-safe.yml', 'model-gate-comment.yml'];
  const workflows = Object.fromEntries(
    files.map((file) => {
      const text = read(`action-templates/${file}`);
      return [file, { text, yaml: parseYaml(text) as Workflow }];
    }),
  );

  it.each(files)('%s: least privilege, pinned actions, no event data in scripts', (file) => {
    const { text, yaml } = workflows[file]!;
    expect(yaml.permissions, 'top-level permissions').toBeDefined();
    expect(['read-all', 'write-all']).not.toContain(yaml.permissions);
    for (const line of text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d/);
    }
    for (const job of Object.values(yaml.jobs)) {
      expect(job.permissions, 'job permissions').toBeDefined();
      for (const step of job.steps) {
        if (step.run) expect(step.run).not.toMatch(/\$\{\{\s*(github\.event|github\.head_ref|inputs\.)/);
        if (step.uses?.includes('/modelops-actions/actions/model-gate@')) {
          for (const input of Object.keys(step.with ?? {}))
            expect(Object.keys(action.inputs)).toContain(input);
        }
      }
    }
  });

  it('keeps write tokens away from code of fork pull requests', () => {
    const fork = workflows['model-gate-fork-safe.yml']!.yaml;
    expect(Object.keys(fork.on)).toContain('pull_request');
    expect(Object.keys(fork.on)).not.toContain('pull_request_target');
    for (const job of Object.values(fork.jobs)) {
      expect(Object.values(job.permissions ?? {})).not.toContain('write');
      const gate = job.steps.find((s) => s.uses?.includes('/actions/model-gate@'));
      expect(gate?.with?.comment).toBe('never');
    }
    const comment = workflows['model-gate-comment.yml']!.yaml;
    expect(Object.keys(comment.on)).toEqual(['workflow_run']);
    expect(comment.permissions).toEqual({});
    for (const job of Object.values(comment.jobs)) {
      expect(job.steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(false);
      expect(job.steps.some((s) => s.run !== undefined)).toBe(false);
      const gate = job.steps.find((s) => s.uses?.includes('/actions/model-gate@'));
      expect(gate?.with).toMatchObject({ 'from-report': expect.any(String), comment: 'always' });
    }
  });
});
