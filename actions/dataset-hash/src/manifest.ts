/**
 * The manifest (every entry of the dataset and the dataset hash) and the diff against a baseline
 * manifest (read by baseline.ts). Manifests are written in a streaming way, one entry per line, so
 * a million files never become one string.
 */
import {
  DatasetManifestSchema,
  checkSchema,
  type DatasetDiff,
  type DatasetFile,
  type DatasetManifest,
  type JsonSchema,
} from '@modelops/core';
import { qualifiedFileHash } from './aggregate.ts';
import type { BaselineManifest } from './baseline.ts';
import { ByteWriter, nulSeparatedStarts } from './bytes.ts';
import type { HashedDataset } from './dataset.ts';
import { Flag } from './hash-file.ts';
import { compareCodePoints } from './paths.ts';
import { AtomicFileWriter } from './stream-file.ts';
import type { EntryTable } from './table.ts';

/** The header fields of a manifest (everything but `files`). */
export type ManifestHeader = Omit<DatasetManifest, 'files'>;

/** The manifest entry of table row `i`. */
export function manifestEntry(table: EntryTable, i: number): DatasetFile {
  const entry: DatasetFile = {
    path: table.paths[i] as string,
    size: table.sizes[i] as number,
    hash: table.token(i),
  };
  const oid = table.lfsOids.get(i);
  if (oid !== undefined) entry.lfs = oid;
  const target = table.targets.get(i);
  if (target !== undefined && ((table.flags[i] as number) & Flag.Link) !== 0) entry.target = target;
  return entry;
}

/** Totals of a hashed dataset. */
export function datasetTotals(table: EntryTable): DatasetManifest['totals'] {
  let symlinks = 0;
  let lfsPointers = 0;
  for (let i = 0; i < table.count; i++) {
    const flags = table.flags[i] as number;
    if (flags & Flag.Link) symlinks++;
    if (flags & Flag.LfsPointer) lfsPointers++;
  }
  return { files: table.count, bytes: table.totalBytes(), symlinks, lfsPointers };
}

/**
 * Writes the manifest atomically: pretty header, one compact line per file, each exactly
 * `JSON.stringify` of its {@link manifestEntry}. Lines are built from the table's columns and the
 * paths' UTF-8 bytes (`pathBytes`, the table's paths joined by NUL; made when not given): a path
 * that JSON must escape, an LFS oid or a link target take the string route.
 */
export function writeManifest(
  file: string,
  header: ManifestHeader,
  table: EntryTable,
  pathBytes: Uint8Array = Buffer.from(table.paths.join('\0'), 'utf8'),
): void {
  // The header is checked against the schema with a few entries; the rest are built the same way.
  const sample = {
    ...header,
    files: Array.from({ length: Math.min(3, table.count) }, (_, i) => manifestEntry(table, i)),
  };
  const problems = checkSchema(DatasetManifestSchema as unknown as JsonSchema, sample);
  if (problems.length > 0) {
    throw new Error(
      `internal: refusing to write an invalid DatasetManifest: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
    );
  }
  const head = JSON.stringify({ ...header, files: [] }, null, 2);
  const writer = new AtomicFileWriter(file);
  try {
    writer.write(`${head.slice(0, head.lastIndexOf('[]'))}[\n`);
    const out = new ByteWriter((chunk) => writer.writeBytes(chunk), Buffer.allocUnsafe(1 << 20));
    const starts = nulSeparatedStarts(pathBytes, table.count);
    for (let i = 0; i < table.count; i++) {
      writeEntryLine(out, table, i, pathBytes, starts[i] as number, (starts[i + 1] as number) - 1);
      if (i + 1 < table.count) out.byte(0x2c); // ','
      out.byte(0x0a);
    }
    out.flush();
    writer.write('  ]\n}\n');
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** Writes `    <JSON.stringify(manifestEntry(table, i))>` with the path from `bytes[start, end)`. */
function writeEntryLine(
  out: ByteWriter,
  table: EntryTable,
  i: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): void {
  const flags = table.flags[i] as number;
  if (!isPlainJsonText(bytes, start, end) || table.lfsOids.has(i) || (flags & Flag.Link) !== 0) {
    out.text(`    ${JSON.stringify(manifestEntry(table, i))}`);
    return;
  }
  out.bytes(LINE_START, 0, LINE_START.length);
  out.bytes(bytes, start, end);
  out.bytes(SIZE_KEY, 0, SIZE_KEY.length);
  out.decimal(table.sizes[i] as number);
  out.bytes(HASH_KEY, 0, HASH_KEY.length);
  table.writeToken(out, i);
  out.bytes(LINE_END, 0, LINE_END.length);
}

// The fixed parts of an entry line, as bytes.
const LINE_START = Buffer.from('    {"path":"', 'latin1');
const SIZE_KEY = Buffer.from('","size":', 'latin1');
const HASH_KEY = Buffer.from(',"hash":"', 'latin1');
const LINE_END = Buffer.from('"}', 'latin1');

/**
 * Whether UTF-8 `bytes[start, end)` stand in a JSON string as they are: no control character,
 * quote or backslash (JSON.stringify keeps every other character, U+2028/U+2029 included).
 */
function isPlainJsonText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const byte = bytes[k] as number;
    if (byte < 0x20 || byte === 0x22 || byte === 0x5c || byte === 0x7f) return false;
  }
  return true;
}

/** Where the baseline came from, for the diff document. */
export interface BaselineInfo {
  source: 'file' | 'artifact';
  location: string;
  runId?: string;
}

/** The diff body (what {@link DatasetDiff} holds besides the document header). */
export type DiffBody = Omit<DatasetDiff, 'schemaVersion' | 'kind' | 'createdAt' | 'producer'>;

/** Most entries listed per list in a diff document (the counts are always complete). */
export const DIFF_LIST_LIMIT = 10_000;

/**
 * Compares the dataset with a baseline manifest by path: added, removed, and modified (same path,
 * another hash). A baseline made with another algorithm or LFS mode is not comparable: every common
 * path then counts as modified.
 */
export function diffAgainst(
  dataset: HashedDataset,
  name: string,
  baseline: { manifest: BaselineManifest; info: BaselineInfo } | undefined,
  limit = DIFF_LIST_LIMIT,
): DiffBody {
  const table = dataset.table;
  const body: DiffBody = {
    name,
    algorithm: dataset.algorithm,
    hash: dataset.hash,
    baseline: null,
    comparable: true,
    changed: true,
    counts: { added: 0, removed: 0, modified: 0, unchanged: 0 },
    truncated: false,
    limit,
    added: [],
    removed: [],
    modified: [],
    directories: [],
  };
  const push = <T>(list: T[], item: () => T): void => {
    if (list.length < limit) list.push(item());
    else body.truncated = true;
  };
  if (!baseline) {
    body.counts.added = table.count;
    for (let i = 0; i < table.count && i < limit; i++) body.added.push(fileRef(table, i));
    body.truncated = table.count > limit;
    for (const [path, after] of Object.entries(dataset.directories))
      body.directories.push({ path, before: null, after });
    return body;
  }
  const { manifest, info } = baseline;
  const { header, files } = manifest;
  body.baseline = {
    source: info.source,
    location: info.location,
    ...(info.runId === undefined ? {} : { runId: info.runId }),
    hash: header.hash,
    files: header.totals.files,
    bytes: header.totals.bytes,
    createdAt: header.createdAt,
    ...(header.producer.sha ? { sha: header.producer.sha } : {}),
  };
  body.comparable = header.algorithm === dataset.algorithm && header.lfs === dataset.lfs;
  body.changed = !body.comparable || header.hash !== dataset.hash;
  // A merge of the two path lists by their UTF-8 bytes (code-point order), the hashes compared as
  // digest bytes: no string is made for an unchanged file.
  const bytes = dataset.pathBytes;
  const starts = nulSeparatedStarts(bytes, table.count);
  let i = 0;
  let j = 0;
  while (i < table.count || j < files.count) {
    const c =
      i >= table.count
        ? 1
        : j >= files.count
          ? -1
          : -files.comparePath(j, bytes, starts[i] as number, (starts[i + 1] as number) - 1);
    if (c < 0) {
      body.counts.added++;
      const k = i;
      push(body.added, () => fileRef(table, k));
      i++;
    } else if (c > 0) {
      body.counts.removed++;
      const b = j;
      push(body.removed, () => ({
        path: files.path(b),
        size: files.sizes[b] as number,
        hash: files.token(b),
      }));
      j++;
    } else {
      if (!body.comparable || !files.sameToken(j, table, i)) {
        body.counts.modified++;
        const k = i;
        const b = j;
        push(body.modified, () => ({
          path: table.paths[k] as string,
          before: { size: files.sizes[b] as number, hash: files.token(b) },
          after: { size: table.sizes[k] as number, hash: table.token(k) },
        }));
      } else body.counts.unchanged++;
      i++;
      j++;
    }
  }
  const beforeDirs = header.directories;
  const names = [...new Set([...Object.keys(beforeDirs), ...Object.keys(dataset.directories)])].sort(
    compareCodePoints,
  );
  for (const path of names) {
    const before = Object.hasOwn(beforeDirs, path) ? (beforeDirs[path] as string) : null;
    const after = Object.hasOwn(dataset.directories, path) ? (dataset.directories[path] as string) : null;
    if (!body.comparable || before !== after) body.directories.push({ path, before, after });
  }
  return body;
}

function fileRef(table: EntryTable, i: number): { path: string; size: number; hash: string } {
  return { path: table.paths[i] as string, size: table.sizes[i] as number, hash: table.token(i) };
}

/** A file hash as shown to people (`sha256:…`). */
export function displayHash(algorithm: HashedDataset['algorithm'], token: string): string {
  return qualifiedFileHash(algorithm, token);
}
