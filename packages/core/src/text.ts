/** Small text helpers shared by messages and reports. */

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment), so a
 * typo like `mni` is one edit from `min`.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => (rows[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates closest to `name` (at most `limit`): reasonably close by edits, else those that
 * are a prefix or an extension of it (`minimum` → `min`, `roc_auc` → `roc_auc_ovr`).
 */
export function nearest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const all = [...candidates];
  const close = all
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(1, Math.floor(Math.max(c.length, lower.length) / 3)))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .map(({ c }) => c);
  if (close.length > 0) return close.slice(0, limit);
  return all
    .filter((c) => lower.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(lower))
    .sort((x, y) => Math.abs(x.length - lower.length) - Math.abs(y.length - lower.length))
    .slice(0, limit);
}

/** ` Did you mean 'x'?` or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const [best] = nearest(name, candidates, 1);
  return best ? ` Did you mean '${best}'?` : '';
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
  return unit === 0 ? `${Math.round(bytes)} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
