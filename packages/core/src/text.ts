/** Small text helpers shared by messages and reports. */

/** Levenshtein edit distance (for "did you mean" hints). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] as number;
      prev[j] = Math.min(above + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length] as number;
}

/** The candidates closest to `name` (at most `limit`, only reasonably close ones). */
export function nearest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored = [...candidates]
    .map((c) => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(Math.max(c.length, name.length) / 3)))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
  return scored.slice(0, limit).map(({ c }) => c);
}

/** ` Did you mean 'x'?` or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = nearest(name, candidates, 1);
  return close.length ? ` Did you mean '${close[0]}'?` : '';
}

/** Lists names as `'a', 'b' and 'c'` (at most `limit`, then "and N more"). */
export function listNames(names: readonly string[], limit = 10): string {
  const quoted = names.slice(0, limit).map((n) => `'${n}'`);
  if (names.length > limit) return `${quoted.join(', ')} and ${names.length - limit} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Formats a byte count with binary units, e.g. `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
