/**
 * @modelops/core — the shared library of modelops-actions. One module per concern; this file only
 * re-exports them.
 */
export * from './errors.ts';
export * from './retry.ts';
export * from './http.ts';
export * from './entry.ts';
export * from './inputs.ts';
export * from './validate.ts';
export * from './duration.ts';
export * from './text.ts';
export * from './atomic.ts';
export * from './safe-path.ts';
export * from './zip.ts';
export * from './documents/index.ts';
export * from './context.ts';
export * from './github.ts';
export * from './sticky-comment.ts';
export * from './deployments.ts';
export * from './summary.ts';
export * from './outputs.ts';
export * from './artifacts.ts';
export * from './cache.ts';
export * from './progress.ts';
export * from './globs.ts';
export * from './git.ts';
