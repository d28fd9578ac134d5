/**
 * Security rules for every starter workflow in action-templates/ and the project's own workflows:
 * least-privilege permissions, actions pinned by commit SHA, no attacker-controlled expressions
 * inside `run:` scripts, and no write token or checkout of fork code under pull_request_target.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './harness/index.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  uses?: string;
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs?: Record<string, Job>;
}

const folders = ['action-templates', '.github/workflows', 'examples/pipeline'];
const files = folders.flatMap((folder) => {
  const dir = path.join(REPO_ROOT, folder);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(folder, f))
    : [];
});

/** Contexts an outsider controls (titles, branch names, bodies, commit messages…). */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.)/;

function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === 'object' ? Object.keys(on) : [];
}

describe('workflow security rules', () => {
  it('finds the starter workflows', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const workflow = parseYaml(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Workflow;
    const jobs = Object.entries(workflow.jobs ?? {});
    expect(jobs.length, `${file} has no jobs`).toBeGreaterThan(0);
    for (const [name, job] of jobs) {
      const permissions = job.permissions ?? workflow.permissions;
      expect(permissions, `${file}: job '${name}' must declare permissions (least privilege)`).toBeDefined();
      expect(permissions, `${file}: job '${name}' must not use write-all`).not.toBe('write-all');
      const uses = [job.uses, ...(job.steps ?? []).map((s) => s.uses)].filter((u): u is string => Boolean(u));
      for (const ref of uses) {
        if (ref.startsWith('./')) continue;
        expect(ref, `${file}: '${ref}' must be pinned to a full commit SHA`).toMatch(
          /^[^@\s]+@[0-9a-f]{40}$/,
        );
      }
      for (const step of job.steps ?? []) {
        if (step.run) {
          expect(
            step.run,
            `${file}: job '${name}' interpolates untrusted input into a run: script; pass it through env:`,
          ).not.toMatch(UNTRUSTED);
        }
      }
      if (triggers(workflow).includes('pull_request_target')) {
        for (const step of job.steps ?? []) {
          const ref = String(step.with?.ref ?? '');
          expect(ref, `${file}: pull_request_target must not check out the PR head`).not.toMatch(/head/);
        }
      }
    }
  });
});
