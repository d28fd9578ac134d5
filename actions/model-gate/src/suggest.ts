/**
 * "Did you mean" for keys and metric names. Unlike a plain edit distance it counts a swap of two
 * neighbours as one edit (`mni` → `min`) and falls back to prefixes (`minimum` → `min`,
 * `roc_auc` → `roc_auc_ovr`).
 */

/**
 * Distance between two keys counting a swap of neighbours as one edit (optimal string alignment), so
 * `mni` is one edit from `min`.
 */
export function keyDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The allowed name a misspelt one most likely meant: the nearest by edits, else a prefix or extension. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const near = allowed
    .map((a) => ({ a, d: keyDistance(lower, a) }))
    .filter(({ a, d }) => d <= Math.max(1, Math.floor(Math.max(a.length, lower.length) / 3)))
    .sort((x, y) => x.d - y.d);
  if (near[0]) return near[0].a;
  const prefix = allowed.filter((a) => lower.startsWith(a) || a.startsWith(lower));
  return prefix.sort((x, y) => Math.abs(x.length - lower.length) - Math.abs(y.length - lower.length))[0];
}

/** ` Did you mean 'x'?` or an empty string. */
export function didYouMeanKey(name: string, allowed: Iterable<string>): string {
  const suggestion = suggestKey(name, [...allowed]);
  return suggestion ? ` Did you mean '${suggestion}'?` : '';
}
