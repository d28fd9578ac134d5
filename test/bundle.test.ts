import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModuleInfo, TransformPluginContext, TransformResult } from 'rollup';
import { describe, expect, it } from 'vitest';
import { groupByActions, groupLazyModules, lazyOidcClient } from '../scripts/bundle.ts';
import { nodeBinary, REPO_ROOT } from './harness/node.ts';

/** A module graph as rollup describes it: static and dynamic imports per module. */
function graph(modules: Record<string, { imports?: string[]; dynamic?: string[]; entry?: boolean }>) {
  return (id: string): ModuleInfo | null => {
    const m = modules[id];
    if (!m) return null;
    return {
      id,
      isEntry: m.entry === true,
      isExternal: false,
      importedIds: m.imports ?? [],
      dynamicallyImportedIds: m.dynamic ?? [],
    } as unknown as ModuleInfo;
  };
}

describe('bundle chunks', () => {
  const modules = {
    '/r/actions/a/src/main.ts': {
      entry: true,
      imports: ['/r/actions/a/src/own.ts', '/r/core.ts', '/r/only-a.ts'],
    },
    '/r/actions/a/src/own.ts': { imports: ['/r/only-a.ts'] },
    '/r/actions/a/src/hash.worker.ts': { entry: true, imports: ['/r/worker-lib.ts'] },
    '/r/actions/b/src/main.ts': { entry: true, imports: ['/r/core.ts', '/r/ab.ts', '/r/bc.ts'] },
    '/r/actions/c/src/main.ts': { entry: true, imports: ['/r/core.ts', '/r/bc.ts'] },
    '/r/core.ts': { imports: ['/r/lib.ts'], dynamic: ['/r/lazy.ts'] },
    '/r/lib.ts': {},
    '/r/only-a.ts': { imports: ['/r/ab.ts'] },
    '/r/ab.ts': {},
    '/r/bc.ts': {},
    '/r/worker-lib.ts': {},
    '/r/lazy.ts': {},
  };
  const ids = Object.keys(modules);
  const actionsSrc = /^\/r\/actions\/([^/]+)\/src\//;

  it('puts what every action imports in the shared chunk and the rest in chunks named after its users', () => {
    const groups = groupByActions(graph(modules), ids, actionsSrc, 'dist/shared');
    expect(groups.has('/r/core.ts')).toBe(false); // every action: the shared chunk
    expect(groups.has('/r/lib.ts')).toBe(false);
    expect(groups.get('/r/only-a.ts')).toBe('dist/shared-a');
    expect(groups.get('/r/worker-lib.ts')).toBe('dist/shared-a'); // a worker belongs to its action
    expect(groups.get('/r/ab.ts')).toBe('dist/shared-a_b');
    expect(groups.get('/r/bc.ts')).toBe('dist/shared-b_c');
    expect(groups.has('/r/actions/a/src/own.ts')).toBe(false); // an action's own code stays with it
    expect(groups.has('/r/lazy.ts')).toBe(false); // only imported dynamically: see groupLazyModules
    expect(groupLazyModules(graph(modules), ids, 'dist/shared').get('/r/lazy.ts')).toBe('dist/shared-lazy');
  });

  it('refuses names that would make two chunks one', () => {
    const named = (name: string) => ({
      [`/r/actions/${name}/src/main.ts`]: { entry: true, imports: ['/r/core.ts', '/r/x.ts'] },
      '/r/actions/other/src/main.ts': { entry: true, imports: ['/r/core.ts'] },
      '/r/core.ts': {},
      '/r/x.ts': {},
    });
    const plain = named('lazy');
    expect(() =>
      groupByActions(
        graph(plain),
        Object.keys(plain),
        actionsSrc,
        'dist/shared',
        new Set(['dist/shared-lazy']),
      ),
    ).toThrow(/would merge/);
    const underscored = named('a_b');
    expect(() =>
      groupByActions(graph(underscored), Object.keys(underscored), actionsSrc, 'dist/shared'),
    ).toThrow(/rather than '_'/);
  });
});

describe('start-up of the committed bundles', () => {
  /** Runs `transform` of {@link lazyOidcClient} the way rollup does, with build errors thrown. */
  function transformCore(code: string, id: string): TransformResult {
    const context = {
      error: (message: string) => {
        throw new Error(message);
      },
    } as unknown as TransformPluginContext;
    const transform = lazyOidcClient().transform as (
      this: TransformPluginContext,
      code: string,
      id: string,
    ) => TransformResult;
    return transform.call(context, code, id);
  }

  it("loads @actions/core's OIDC client only when a step asks for an ID token", () => {
    const id = path.join(REPO_ROOT, 'node_modules/@actions/core/lib/core.js'); // what the build bundles
    const code = readFileSync(id, 'utf8');
    const result = transformCore(code, id) as { code: string };
    expect(result.code).not.toMatch(/^import .*oidc-utils/m);
    expect(result.code).toContain("yield (yield import('./oidc-utils.js')).OidcClient.getIDToken(aud)");
    expect(transformCore(code, '/x/node_modules/other/lib/core.js')).toBeNull(); // other packages untouched
    // A new @actions/core that imports it another way fails the build instead of loading it again.
    expect(() => transformCore(code.replace('OidcClient.getIDToken(aud)', 'getToken(aud)'), id)).toThrow(
      /update lazyOidcClient/,
    );
  });

  it("starts every action's step without Node's HTTP, TLS or network client modules", () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'startup-'));
    try {
      const preload = path.join(folder, 'preload.mjs');
      const loaded = path.join(folder, 'loaded.txt');
      writeFileSync(
        preload,
        `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));\n`,
      );
      const actions = readdirSync(path.join(REPO_ROOT, 'actions'));
      expect(actions.length).toBeGreaterThanOrEqual(4);
      for (const action of actions) {
        rmSync(loaded, { force: true });
        try {
          // No inputs: the step fails on its first required input, after every module has loaded.
          execFileSync(
            nodeBinary(24),
            ['--import', preload, path.join(REPO_ROOT, 'actions', action, 'dist/index.js')],
            {
              env: { PATH: process.env.PATH ?? '' },
              stdio: 'pipe',
            },
          );
        } catch {
          // the expected input error
        }
        const modules = readFileSync(loaded, 'utf8').split('\n');
        expect(modules, action).toContain('NativeModule fs'); // the list is the real one
        const network = modules.filter((m) =>
          /^NativeModule (https?|http2|tls|_http_client|internal\/deps\/undici\/undici)$/.test(m),
        );
        expect(network, action).toEqual([]);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
