import type { ModuleInfo } from 'rollup';
import { describe, expect, it } from 'vitest';
import { groupByActions, groupLazyModules } from '../scripts/bundle.ts';

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
