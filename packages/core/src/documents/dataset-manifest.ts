/**
 * `DatasetManifest` and `DatasetDiff`: what dataset-hash records about a dataset (every file, its
 * size and content hash, the dataset hash) and how it differs from a baseline manifest.
 */
import { Type, type Static } from '@sinclair/typebox';
import { documentSchema } from './common.ts';

/** Hash algorithms a manifest can use. `dvc` is DVC 3's md5 with `.dir` directory hashes. */
export const DatasetAlgorithmSchema = Type.Union(
  [Type.Literal('sha256'), Type.Literal('blake3'), Type.Literal('dvc')],
  {
    description: 'sha256, blake3, or dvc (DVC 3 md5 with .dir directory hashes).',
  },
);

/** How Git LFS pointer files were treated. */
export const LfsModeSchema = Type.Union(
  [Type.Literal('auto'), Type.Literal('content'), Type.Literal('pointer')],
  {
    description:
      'auto: a pointer is hashed by its oid without fetching; content: the real content; pointer: the pointer file as is.',
  },
);

/** A dataset hash as the action outputs it: `sha256:<hex>`, `blake3:<hex>` or `md5:<hex>.dir`. */
export const DatasetHashSchema = Type.String({
  pattern: '^(?:sha256:[0-9a-f]{64}|blake3:[0-9a-f]{64}|md5:[0-9a-f]{32}\\.dir)$',
  description: 'Content hash of the whole dataset.',
});

/**
 * A file's hash token: the hex digest of the manifest's algorithm, or `sha256:<oid>` for a Git LFS
 * file whose hash was taken from its pointer under an algorithm other than sha256, or
 * `md5:<hex>.dir` / `<algorithm>:<hex>` in the per-directory map.
 */
export const FileHashSchema = Type.String({
  pattern: '^(?:sha256:)?(?:[0-9a-f]{32}|[0-9a-f]{64})$',
  description: 'Hex digest of the content (or sha256:<oid> for an LFS pointer under blake3/dvc).',
});

/** One file of a dataset. */
export const DatasetFileSchema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description:
        'POSIX path relative to the dataset root, NFC-normalised; entries are sorted by code point.',
    }),
    size: Type.Integer({
      minimum: 0,
      description: 'Bytes of content (of the real content for an LFS pointer).',
    }),
    hash: FileHashSchema,
    lfs: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'Git LFS oid when the file on disk is an LFS pointer.',
      }),
    ),
    target: Type.Optional(
      Type.String({
        description: 'Symlink target as stored in the link; the hash is the hash of this text.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Totals of a dataset. */
export const DatasetTotalsSchema = Type.Object(
  {
    files: Type.Integer({ minimum: 0, description: 'Entries, symlinks included.' }),
    bytes: Type.Integer({ minimum: 0 }),
    symlinks: Type.Integer({ minimum: 0 }),
    lfsPointers: Type.Integer({ minimum: 0, description: 'Files that are Git LFS pointers on disk.' }),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link DatasetManifest}. */
export const DatasetManifestSchema = documentSchema(
  'DatasetManifest',
  1,
  'Every file of a dataset with its size and content hash, and the hash of the whole dataset.',
  {
    name: Type.String({
      minLength: 1,
      description: 'Dataset name; the artifact is dataset-manifest-<name>.',
    }),
    algorithm: DatasetAlgorithmSchema,
    lfs: LfsModeSchema,
    hash: DatasetHashSchema,
    root: Type.String({
      description: 'Dataset root relative to the workspace (POSIX), `.` for the workspace.',
    }),
    patterns: Type.Object(
      {
        path: Type.Array(Type.String(), { description: 'The path input: paths and globs.' }),
        ignore: Type.Array(Type.String(), { description: 'The ignore input: globs excluded last.' }),
      },
      { additionalProperties: false },
    ),
    totals: DatasetTotalsSchema,
    directories: Type.Record(Type.String(), Type.String(), {
      description:
        'Hash per top-level entry of the root: a folder gets the dataset hash of its subtree, a file its own hash.',
    }),
    files: Type.Array(DatasetFileSchema),
  },
);

/** Every file of a dataset with its size and content hash, and the hash of the whole dataset. */
export type DatasetManifest = Static<typeof DatasetManifestSchema>;

/** One file of a {@link DatasetManifest}. */
export type DatasetFile = Static<typeof DatasetFileSchema>;

/** A file's size and hash on one side of a diff. */
export const DatasetFileStateSchema = Type.Object(
  { size: Type.Integer({ minimum: 0 }), hash: FileHashSchema },
  { additionalProperties: false },
);

/** A file added or removed. */
export const DatasetDiffFileSchema = Type.Object(
  { path: Type.String({ minLength: 1 }), size: Type.Integer({ minimum: 0 }), hash: FileHashSchema },
  { additionalProperties: false },
);

/** A file whose content changed. */
export const DatasetDiffModifiedSchema = Type.Object(
  { path: Type.String({ minLength: 1 }), before: DatasetFileStateSchema, after: DatasetFileStateSchema },
  { additionalProperties: false },
);

/** Where the baseline manifest came from. */
export const DatasetBaselineSchema = Type.Object(
  {
    source: Type.Union([Type.Literal('file'), Type.Literal('artifact')]),
    location: Type.String({ description: 'The manifest file, or the artifact name.' }),
    runId: Type.Optional(Type.String({ description: 'Run the artifact came from.' })),
    hash: DatasetHashSchema,
    files: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    createdAt: Type.String({ format: 'date-time' }),
    sha: Type.Optional(Type.String({ description: 'Commit the baseline was made on.' })),
  },
  { additionalProperties: false },
);

/** JSON Schema of {@link DatasetDiff}. */
export const DatasetDiffSchema = documentSchema(
  'DatasetDiff',
  1,
  'How a dataset differs from a baseline manifest: files added, removed and modified.',
  {
    name: Type.String({ minLength: 1 }),
    algorithm: DatasetAlgorithmSchema,
    hash: DatasetHashSchema,
    baseline: Type.Union([DatasetBaselineSchema, Type.Null()], {
      description: 'null when there was no baseline (then every file counts as added).',
    }),
    comparable: Type.Boolean({
      description:
        'False when the baseline used another algorithm or LFS mode, so contents could not be compared.',
    }),
    changed: Type.Boolean({
      description: 'True when the dataset hash differs from the baseline or there is none.',
    }),
    counts: Type.Object(
      {
        added: Type.Integer({ minimum: 0 }),
        removed: Type.Integer({ minimum: 0 }),
        modified: Type.Integer({ minimum: 0 }),
        unchanged: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    truncated: Type.Boolean({ description: 'True when a list below was cut at `limit` entries.' }),
    limit: Type.Integer({ minimum: 0, description: 'Most entries listed per list.' }),
    added: Type.Array(DatasetDiffFileSchema),
    removed: Type.Array(DatasetDiffFileSchema),
    modified: Type.Array(DatasetDiffModifiedSchema),
    directories: Type.Array(
      Type.Object(
        {
          path: Type.String({ minLength: 1, description: 'Top-level entry of the dataset root.' }),
          before: Type.Union([Type.String(), Type.Null()]),
          after: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      { description: 'Top-level entries whose hash changed (null: absent on that side).' },
    ),
  },
);

/** How a dataset differs from a baseline manifest. */
export type DatasetDiff = Static<typeof DatasetDiffSchema>;
