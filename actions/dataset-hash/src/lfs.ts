/**
 * Git LFS pointer files (spec v1): `version https://git-lfs.github.com/spec/v1`, then `key value`
 * lines sorted by key, each ending in LF, the whole file under 1024 bytes. The `oid sha256:<hex>` is
 * the SHA-256 of the real content, so a SHA-256 manifest can take a file's hash from its pointer
 * without fetching the object.
 */

/** Pointer files are smaller than this (spec: "less than 1024 bytes"). */
export const LFS_POINTER_MAX_BYTES = 1024;

const VERSIONS = new Set(['https://git-lfs.github.com/spec/v1', 'https://hawser.github.com/spec/v1']);
const PREFIX = Buffer.from('version ');

/** A parsed pointer. */
export interface LfsPointer {
  /** SHA-256 of the real content, lower-case hex. */
  oid: string;
  /** Size of the real content in bytes. */
  size: number;
}

/** Parses `content` as an LFS pointer; undefined when it is not one. */
export function parseLfsPointer(content: Uint8Array): LfsPointer | undefined {
  if (content.byteLength >= LFS_POINTER_MAX_BYTES || content.byteLength < PREFIX.length) return undefined;
  for (let i = 0; i < PREFIX.length; i++) if (content[i] !== PREFIX[i]) return undefined;
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  if (!text.endsWith('\n')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  const [first, ...rest] = lines;
  if (first === undefined || !VERSIONS.has(first.slice('version '.length))) return undefined;
  let oid: string | undefined;
  let size: number | undefined;
  let previousKey = '';
  for (const line of rest) {
    const space = line.indexOf(' ');
    if (space <= 0) return undefined;
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (!/^[a-z0-9.-]+$/.test(key) || key <= previousKey) return undefined; // keys are sorted and unique
    previousKey = key;
    if (key === 'oid') {
      const match = /^sha256:([0-9a-f]{64})$/.exec(value);
      if (!match) return undefined;
      oid = match[1];
    } else if (key === 'size') {
      if (!/^(0|[1-9][0-9]*)$/.test(value)) return undefined;
      size = Number(value);
      if (!Number.isSafeInteger(size)) return undefined;
    }
  }
  return oid !== undefined && size !== undefined ? { oid, size } : undefined;
}

/** The text of a pointer for some content's oid and size (as `git lfs pointer` writes it). */
export function formatLfsPointer(pointer: LfsPointer): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${pointer.oid}\nsize ${pointer.size}\n`;
}

/** Where git-lfs keeps a fetched object below a repository's git dir. */
export function lfsObjectPath(gitDir: string, oid: string): string {
  return `${gitDir}/lfs/objects/${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid}`;
}
