/**
 * The one build of the suite: every action's entry points in a single rollup graph, so that the code
 * every action uses (the core library and the npm clients) lands in one chunk with a fixed file name,
 * `dist/shared.js`, and code only some actions use in chunks named after them. Each action's `dist/`
 * then holds only a small entry file per step, which keeps committed bundle diffs readable.
 *
 * Entry points per action folder (`actions/<name>/src/`):
 * - `main.ts`      → `actions/<name>/dist/index.js`  (the `runs.main` step)
 * - `post.ts`      → `actions/<name>/dist/post.js`   (the `runs.post` step, when present)
 * - `*.worker.ts`  → `actions/<name>/dist/<base>.worker.js` (worker threads)
 */
import { readdirSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { rollup, type ModuleInfo, type OutputOptions, type Plugin, type RollupOptions } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import esbuild from 'rollup-plugin-esbuild';

/** Options of {@link bundleActions}. */
export interface BundleOptions {
  /** Folder holding one sub-folder per action (each with `src/main.ts`). */
  actionsDir: string;
  /** Folder the output paths are relative to; the shared chunk goes to `<outRoot>/<sharedChunk>`. */
  outRoot: string;
  /** Folder that receives `<name>/dist/` (default `actionsDir`: bundles sit beside their sources). */
  outActionsDir?: string;
  /** Path of the shared chunk below `outRoot`, without `.js`. */
  sharedChunk: string;
}

/** Entry points found below `actionsDir`, keyed by output name (relative to `outRoot`, no `.js`). */
export function findEntries(
  actionsDir: string,
  outRoot: string,
  outActionsDir = actionsDir,
): Record<string, string> {
  const entries: Record<string, string> = {};
  if (!existsSync(actionsDir)) return entries;
  for (const name of readdirSync(actionsDir).sort()) {
    const src = path.join(actionsDir, name, 'src');
    if (!existsSync(path.join(src, 'main.ts'))) continue;
    const outDir = path
      .relative(outRoot, path.join(outActionsDir, name, 'dist'))
      .split(path.sep)
      .join('/');
    entries[`${outDir}/index`] = path.join(src, 'main.ts');
    if (existsSync(path.join(src, 'post.ts'))) entries[`${outDir}/post`] = path.join(src, 'post.ts');
    for (const file of readdirSync(src).sort()) {
      if (file.endsWith('.worker.ts')) entries[`${outDir}/${file.slice(0, -3)}`] = path.join(src, file);
    }
  }
  return entries;
}

/** Bundles every action below `actionsDir`; returns the written file names relative to `outRoot`. */
export async function bundleActions(options: BundleOptions): Promise<string[]> {
  const input = findEntries(options.actionsDir, options.outRoot, options.outActionsDir);
  if (Object.keys(input).length === 0) return [];
  const actionsSrc = new RegExp(
    `^${escapeRegExp(path.resolve(options.actionsDir))}[\\\\/]([^\\\\/]+)[\\\\/]src[\\\\/]`,
  );
  // A chunk of one action's own modules (shared by its main step and a worker, say) goes to that
  // action's dist/, next to its entries.
  const chunkFileName = (chunk: { moduleIds: readonly string[] }): string => {
    const owners = new Set(chunk.moduleIds.map((id) => actionsSrc.exec(id)?.[1]));
    const [owner] = owners;
    if (owners.size !== 1 || owner === undefined) return '[name].js';
    const dir = path.relative(
      options.outRoot,
      path.join(options.outActionsDir ?? options.actionsDir, owner, 'dist'),
    );
    return `${dir.split(path.sep).join('/')}/[name].js`;
  };
  const config: RollupOptions = {
    input,
    // Node built-ins stay imports; everything else is bundled so `uses:` needs no install step.
    external: (id) => id.startsWith('node:') || isBuiltin(id),
    plugins: [
      lazyOidcClient(),
      nodeResolve({ preferBuiltins: true, exportConditions: ['node', 'import', 'default'] }),
      commonjs({ ignoreDynamicRequires: true }),
      json(),
      // TypeScript only: generated JavaScript (the precompiled validators) is bundled as written.
      esbuild({
        include: /\.tsx?$/,
        target: 'node20',
        tsconfig: path.resolve('tsconfig.json'),
        sourceMap: false,
      }),
    ],
    onwarn(warning, warn) {
      // Circular imports inside third-party packages are common and harmless here.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      if (warning.code === 'EVAL') return;
      warn(warning);
    },
    treeshake: { moduleSideEffects: true },
  };
  const output: OutputOptions = {
    dir: options.outRoot,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: chunkFileName,
    // Anything outside an action's own src/ is shared: what every action loads in one chunk with a
    // fixed name; what only some load in a chunk named after them (`<shared>-model-gate`), so a step
    // does not parse libraries only other actions use; plus one fixed-name chunk per library that is
    // only loaded lazily (`await import(...)`, e.g. the artifact and cache clients), so steps that
    // never upload do not parse them at start-up.
    manualChunks: (id, api) => {
      if (actionsSrc.test(id)) return undefined;
      const ids = [...api.getModuleIds()];
      lazyGroups ??= groupLazyModules(api.getModuleInfo, ids, options.sharedChunk);
      staticGroups ??= groupByActions(
        api.getModuleInfo,
        ids,
        actionsSrc,
        options.sharedChunk,
        new Set(lazyGroups.values()),
      );
      return lazyGroups.get(id) ?? staticGroups.get(id) ?? options.sharedChunk;
    },
    generatedCode: 'es2015',
    banner: (chunk) =>
      chunk.name.startsWith(options.sharedChunk)
        ? "import { createRequire as __modelopsCreateRequire } from 'node:module';\nconst require = __modelopsCreateRequire(import.meta.url);"
        : '',
  };
  let lazyGroups: Map<string, string> | undefined;
  let staticGroups: Map<string, string> | undefined;
  const bundle = await rollup(config);
  try {
    for (const file of Object.keys(input)) rmSync(path.join(options.outRoot, `${file}.js`), { force: true });
    const { output: written } = await bundle.write(output);
    const names = written.map((o) => o.fileName).sort();
    removeStaleChunks(options.outRoot, names);
    return names;
  } finally {
    await bundle.close();
  }
}

/**
 * `@actions/core` imports its OIDC client (and with it `@actions/http-client`, undici and Node's
 * http, https, net and tls) only for `getIDToken`, which no action calls; statically, that import
 * costs every step's start-up ≈ 0.1 s. This makes it a dynamic import inside `getIDToken`, so the
 * client is a lazily loaded chunk. The build fails if `@actions/core` changes shape, rather than
 * quietly loading it again.
 */
export function lazyOidcClient(): Plugin {
  const file = /[\\/]@actions[\\/]core[\\/]lib[\\/]core\.js$/;
  const staticImport = "import { OidcClient } from './oidc-utils.js';\n";
  const use = 'yield OidcClient.getIDToken(aud)';
  return {
    name: 'lazy-oidc-client',
    transform(code, id) {
      if (!file.test(id)) return null;
      if (code.split(staticImport).length !== 2 || code.split(use).length !== 2) {
        this.error(
          `${id}: the OIDC import of @actions/core is not in the expected form; update lazyOidcClient`,
        );
      }
      return {
        code: code
          .replace(staticImport, '')
          .replace(use, "yield (yield import('./oidc-utils.js')).OidcClient.getIDToken(aud)"),
        map: null,
      };
    },
  };
}

/**
 * Deletes `.js` files in the folders just written to that this build did not write: a chunk that was
 * renamed or merged away must not linger in a committed `dist/`.
 */
function removeStaleChunks(outRoot: string, written: readonly string[]): void {
  const keep = new Set(written.map((name) => path.join(outRoot, name)));
  // Only bundle folders: a chunk written anywhere else must not cost its neighbours.
  const folders = [...new Set([...keep].map((file) => path.dirname(file)))].filter(
    (dir) => path.basename(dir) === 'dist',
  );
  for (const dir of folders) {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name.endsWith('.js') && !keep.has(file)) rmSync(file);
    }
  }
}

type ModuleInfoLookup = (id: string) => ModuleInfo | null;

/**
 * Assigns every module that is reachable only through dynamic imports to a chunk named after the
 * package it was dynamically imported for (`<shared>-artifact`); modules several lazy roots share go
 * to `<shared>-lazy`. Statically reachable modules are not in the map (they stay in the shared chunk).
 */
export function groupLazyModules(
  getModuleInfo: ModuleInfoLookup,
  ids: readonly string[],
  sharedChunk: string,
): Map<string, string> {
  const reach = (starts: Iterable<string>, exclude: ReadonlySet<string>): Set<string> => {
    const seen = new Set<string>();
    const queue = [...starts];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id) || exclude.has(id)) continue;
      const info = getModuleInfo(id);
      if (!info || info.isExternal) continue;
      seen.add(id);
      queue.push(...info.importedIds);
    }
    return seen;
  };
  const staticReach = reach(
    ids.filter((id) => getModuleInfo(id)?.isEntry),
    new Set(),
  );
  const owners = new Map<string, Set<string>>();
  const roots = [...staticReach].flatMap((id) => getModuleInfo(id)?.dynamicallyImportedIds ?? []);
  const done = new Set<string>();
  while (roots.length > 0) {
    const root = roots.pop() as string;
    if (done.has(root) || staticReach.has(root)) continue;
    done.add(root);
    for (const id of reach([root], staticReach)) {
      owners.set(id, (owners.get(id) ?? new Set()).add(root));
      roots.push(...(getModuleInfo(id)?.dynamicallyImportedIds ?? []));
    }
  }
  const groups = new Map<string, string>();
  for (const [id, roots] of owners) {
    const [only] = roots;
    groups.set(id, roots.size === 1 && only ? `${sharedChunk}-${packageLabel(only)}` : `${sharedChunk}-lazy`);
  }
  return groups;
}

/**
 * Assigns every module that the entries of some actions import statically, but not those of every
 * action, to a chunk named after those actions (`<shared>-canary-rollout_trigger-retrain`). Modules
 * every action imports are not in the map (they stay in the shared chunk), nor are actions' own.
 */
export function groupByActions(
  getModuleInfo: ModuleInfoLookup,
  ids: readonly string[],
  actionsSrc: RegExp,
  sharedChunk: string,
  /** Chunk names taken already (the lazily loaded libraries'): a clash would merge two chunks. */
  taken: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const users = new Map<string, Set<string>>();
  const actions = new Set<string>();
  for (const entry of ids.filter((id) => getModuleInfo(id)?.isEntry)) {
    const action = actionsSrc.exec(entry)?.[1];
    if (action === undefined) continue;
    actions.add(action);
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id)) continue;
      const info = getModuleInfo(id);
      if (!info || info.isExternal) continue;
      seen.add(id);
      (users.get(id) ?? users.set(id, new Set()).get(id))?.add(action);
      queue.push(...info.importedIds);
    }
  }
  // `_` joins the names in a chunk's: within a name it would make two sets of actions read alike.
  const odd = [...actions].find((action) => action.includes('_'));
  if (odd) throw new Error(`action folder '${odd}': use '-' rather than '_' in action names`);
  const groups = new Map<string, string>();
  for (const [id, by] of users) {
    if (by.size === actions.size || actionsSrc.test(id)) continue;
    const name = `${sharedChunk}-${[...by].sort().join('_')}`;
    if (taken.has(name)) throw new Error(`chunk '${name}' would merge with a lazily loaded library's`);
    groups.set(id, name);
  }
  return groups;
}

/** `…/node_modules/@actions/artifact/lib/artifact.js` → `artifact`. */
function packageLabel(id: string): string {
  const match = /node_modules[\\/](?:@[^\\/]+[\\/])?([^\\/]+)/.exec(id);
  return (match?.[1] ?? path.basename(id).replace(/\.[^.]+$/, '')).toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Exact names only: packages such as `string_decoder/` (trailing slash) mean the npm package.
const builtins = new Set((await import('node:module')).builtinModules);
function isBuiltin(id: string): boolean {
  return builtins.has(id);
}

/**
 * Copies each action's `bundleAssets` (module specifiers in its package.json, e.g. a prebuilt native
 * binding shipped in an npm package) into its `dist/`, where the bundle looks for them. An asset whose
 * package is not installed on this platform is left as committed. Returns the copied paths.
 */
export async function copyBundleAssets(actionsDir: string): Promise<string[]> {
  const { createRequire } = await import('node:module');
  const { copyFileSync, readFileSync } = await import('node:fs');
  const copied: string[] = [];
  for (const name of readdirSync(actionsDir).sort()) {
    const manifest = path.join(actionsDir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const assets =
      (JSON.parse(readFileSync(manifest, 'utf8')) as { bundleAssets?: string[] }).bundleAssets ?? [];
    const require = createRequire(path.resolve(manifest));
    for (const specifier of assets) {
      let from: string;
      try {
        from = require.resolve(specifier);
      } catch {
        continue; // another platform's binding: not installed here
      }
      const to = path.join(actionsDir, name, 'dist', path.basename(from));
      copyFileSync(from, to);
      copied.push(to);
    }
  }
  return copied;
}
