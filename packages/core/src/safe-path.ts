/**
 * Guards against path traversal in names that come from outside (artifact entries, archive members,
 * manifest paths): a relative path must stay inside its root folder.
 */
import path from 'node:path';
import { UserError } from './errors.ts';

/** Options of {@link resolveInside}. */
export interface ResolveInsideOptions {
  /** Where the path came from, for the message (e.g. `artifact 'gate-report'`). */
  source?: string;
}

/** True when the POSIX or native relative path `relative` stays inside its root. */
export function isInside(root: string, relative: string): boolean {
  if (relative.includes('\0')) return false;
  if (path.isAbsolute(relative) || path.posix.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    return false;
  }
  const absRoot = path.resolve(root);
  const target = path.resolve(absRoot, relative.split('\\').join('/'));
  return target === absRoot || target.startsWith(absRoot + path.sep);
}

/** Resolves `relative` against `root`, throwing a {@link UserError} when it would escape `root`. */
export function resolveInside(root: string, relative: string, options: ResolveInsideOptions = {}): string {
  if (!isInside(root, relative)) {
    throw new UserError(
      `${options.source ? `${options.source} holds` : 'Refusing'} the path '${relative}', which escapes its folder.`,
      {
        fix: 'Paths must be relative and stay inside their folder (no "..", no absolute paths); regenerate the file with a trusted tool.',
      },
    );
  }
  return path.resolve(root, relative.split('\\').join('/'));
}
