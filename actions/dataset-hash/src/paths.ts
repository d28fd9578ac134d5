/**
 * Dataset paths: POSIX, relative to the dataset root, NFC-normalised and ordered by Unicode code
 * point — the same on every OS and checkout, and the order DVC (Python's `sorted` on `str`) uses.
 */

/** Compares two strings by Unicode code point (JavaScript's `<` compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Code units order like code points except that surrogates (D800–DFFF, the halves of
    // U+10000 and above) sort below E000–FFFF in UTF-16 but above them as code points.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && Math.max(x, y) >= 0xe000) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const NEEDS_CODE_POINT_SORT = /[\ud800-\udfff]/;

/** Sorts paths in place by code point, using the fast native sort when no path has surrogates. */
export function sortByCodePoint(paths: string[]): string[] {
  if (paths.some((p) => NEEDS_CODE_POINT_SORT.test(p))) return paths.sort(compareCodePoints);
  return paths.sort();
}

/**
 * Whether `paths` are strictly increasing by code point (sorted, no duplicates). `joined`, the
 * paths joined by any separator, lets the check use the native comparison when no path holds a
 * surrogate (code units then order like code points).
 */
export function isStrictlyIncreasing(paths: readonly string[], joined?: string): boolean {
  const native = joined !== undefined && !NEEDS_CODE_POINT_SORT.test(joined);
  for (let i = 1; i < paths.length; i++) {
    const a = paths[i - 1] as string;
    const b = paths[i] as string;
    if (native ? !(a < b) : compareCodePoints(a, b) >= 0) return false;
  }
  return true;
}

/** The NFC form of a path (what the manifest records); returns the same string when already NFC. */
export function toNfc(path: string): string {
  // ASCII is always NFC; skip the normaliser for the common case.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(path) ? path : path.normalize('NFC');
}

/** Joins path segments with `/`, treating `.` and `` as the root. */
export function joinPosix(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : `${dir}/${name}`;
}

/**
 * Why a relative path from an untrusted manifest is unacceptable, or undefined when it is fine:
 * absolute, `..` or `.` segments, empty segments, backslashes, NUL, or not NFC.
 */
export function manifestPathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return 'is absolute';
  if (path.includes('\\')) return 'contains a backslash';
  for (const segment of path.split('/')) {
    if (segment === '..') return 'climbs out of the dataset with ".."';
    if (segment === '.' || segment === '') return 'has an empty or "." segment';
  }
  // No file name on disk reads back as one: it would turn into U+FFFD on the way to UTF-8.
  if (LONE_SURROGATE.test(path)) return 'is not valid Unicode (it holds a lone surrogate)';
  if (toNfc(path) !== path) return 'is not NFC-normalised';
  return undefined;
}

/** A UTF-16 surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a list of relative paths joined by NUL cannot be a walk's, or undefined: one that is empty,
 * absolute, or has an empty, `.` or `..` segment. One scan of the whole string per rule, no string
 * per path (a cache's list of a million paths is checked in milliseconds).
 */
export function joinedPathsProblem(joined: string): string | undefined {
  if (/(?:^|\0)(?:\0|$)/.test(joined)) return 'an empty path';
  if (/(?:^|\0)\//.test(joined)) return 'an absolute path';
  if (/(?:^|\0|\/)\.\.?(?:\/|\0|$)/.test(joined)) return 'a "." or ".." segment';
  if (/\/(?:\/|\0|$)/.test(joined)) return 'an empty segment';
  return undefined;
}

/**
 * Whether any of `count` paths, `joined` by NUL, might have a {@link manifestPathProblem}: a few
 * scans of the whole string instead of a check per path. False means none has; true means one may
 * (the caller then asks {@link manifestPathProblem} of each, which names the problem).
 */
export function manifestPathsSuspect(count: number, joined: string): boolean {
  let separators = 0;
  for (let at = joined.indexOf('\0'); at !== -1; at = joined.indexOf('\0', at + 1)) separators++;
  return (
    separators !== Math.max(0, count - 1) || // a NUL inside a path
    joinedPathsProblem(joined) !== undefined ||
    /\\|(?:^|\0)[a-zA-Z]:/.test(joined) ||
    LONE_SURROGATE.test(joined) ||
    // eslint-disable-next-line no-control-regex
    (!/^[\x00-\x7f]*$/.test(joined) && joined.normalize('NFC') !== joined)
  );
}

/** The first segment of a relative path (its top-level entry). */
export function topLevel(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? path : path.slice(0, slash);
}
