/**
 * vitest global setup, run once before any test file: the system packages the suite uses (see
 * system-packages.ts), and the bundles of the fixture actions in test/fixtures/actions, built with
 * the same bundler as the real actions into a fresh folder per test run (so parallel runs never see
 * each other's half-written bundles). Tests find it with `inject('fixtureActions')`.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleActions } from '../../scripts/bundle.ts';
import { REPO_ROOT } from './node.ts';
import { ensureSystemPackages } from './system-packages.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder holding the built fixture actions (`<name>/action.yml`, `<name>/dist/`). */
    fixtureActions: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  ensureSystemPackages();
  const sources = path.join(REPO_ROOT, 'test/fixtures/actions');
  const out = mkdtempSync(path.join(os.tmpdir(), 'fixture-actions-'));
  for (const name of readdirSync(sources)) {
    if (!existsSync(path.join(sources, name, 'action.yml'))) continue;
    cpSync(path.join(sources, name, 'action.yml'), path.join(out, name, 'action.yml'));
  }
  await bundleActions({ actionsDir: sources, outRoot: out, outActionsDir: out, sharedChunk: 'dist/shared' });
  project.provide('fixtureActions', out);
  return () => rmSync(out, { recursive: true, force: true });
}
