/**
 * Path filters with list semantics: patterns are applied in order, a `!pattern` excludes what the
 * patterns before it included, and a later pattern can include again. `['src/**', '!src/x/**']`
 * means "src except src/x" — not "anything", which is what testing each pattern alone gives.
 */
import picomatch from 'picomatch';

/** A compiled path filter. */
export interface PathFilter {
  /** True when the POSIX relative path is selected. */
  matches(path: string): boolean;
  /** The positive patterns, as given. */
  readonly include: readonly string[];
}

const OPTIONS = { dot: true } as const;

/** Normalises a path or pattern for matching: POSIX separators, no leading `./`. */
export function normalizeRelative(p: string): string {
  let out = p.split('\\').join('/');
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}

/**
 * Compiles patterns (`!` prefix = exclude) plus extra excludes applied last. A directory pattern
 * without magic (`data`) also matches everything below it.
 */
export function createPathFilter(patterns: readonly string[], excludes: readonly string[] = []): PathFilter {
  const rules = [
    ...patterns.map((p) =>
      p.startsWith('!') ? { negate: true, glob: p.slice(1) } : { negate: false, glob: p },
    ),
    ...excludes.map((p) => ({ negate: true, glob: p.startsWith('!') ? p.slice(1) : p })),
  ].map(({ negate, glob }) => {
    const g = normalizeRelative(glob).replace(/\/+$/, '');
    const exact = picomatch(g, OPTIONS);
    const below = picomatch(`${g}/**`, OPTIONS);
    return { negate, test: (path: string) => exact(path) || below(path) };
  });
  return {
    include: patterns.filter((p) => !p.startsWith('!')),
    matches(path: string): boolean {
      const p = normalizeRelative(path);
      let selected = false;
      for (const rule of rules) {
        if (rule.negate ? selected : !selected) {
          if (rule.test(p)) selected = !rule.negate;
        }
      }
      return selected;
    },
  };
}

/** The static folder a glob starts from (`data/**\/*.csv` → `data`), `.` when it has none. */
export function globBase(pattern: string): string {
  const scan = picomatch.scan(normalizeRelative(pattern.startsWith('!') ? pattern.slice(1) : pattern));
  return scan.isGlob ? scan.base || '.' : normalizeRelative(pattern);
}

/** True when the text contains glob magic. */
export function isGlob(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob;
}
