/** The job summary of a dataset-hash step: totals, the comparison with the baseline, top changes. */
import { escapeCell, formatBytes, formatDuration, markdownTable } from '@modelops/core';
import type { HashedDataset } from './dataset.ts';
import { Flag } from './hash-file.ts';
import type { DiffBody } from './manifest.ts';

/** Most rows shown per change list in the summary (the diff file has more). */
export const SUMMARY_ROWS = 20;

const number = new Intl.NumberFormat('en-US');

/** Markdown for the job summary. */
export function summaryMarkdown(name: string, dataset: HashedDataset, diff: DiffBody): string {
  const totals = dataset.table;
  const s = dataset.stats;
  const seconds = Math.max(s.elapsedMs / 1000, 1e-3);
  const reused = s.reusedByStat + s.reusedByBlob;
  const extra: string[] = [];
  let links = 0;
  let lfs = 0;
  for (let i = 0; i < totals.count; i++) {
    const f = totals.flags[i] as number;
    if (f & Flag.Link) links++;
    if (f & Flag.LfsPointer) lfs++;
  }
  if (links) extra.push(`${number.format(links)} symlinks`);
  if (lfs) extra.push(`${number.format(lfs)} LFS pointers`);
  const baseline = diff.baseline
    ? `${diff.baseline.source === 'artifact' ? `artifact \`${escapeCell(diff.baseline.location)}\`${diff.baseline.runId ? ` (run ${escapeCell(diff.baseline.runId)})` : ''}` : `\`${escapeCell(diff.baseline.location)}\``} — \`${diff.baseline.hash}\``
    : 'none';
  const lines = [
    `### Dataset \`${escapeCell(name)}\``,
    '',
    markdownTable(
      ['', ''],
      [
        ['Hash', `\`${dataset.hash}\``],
        ['Root', `\`${escapeCell(dataset.rootRelative)}\``],
        ['Files', `${number.format(totals.count)}${extra.length ? ` (${extra.join(', ')})` : ''}`],
        ['Size', formatBytes(totals.totalBytes())],
        ['Baseline', baseline],
        ['Changed', diff.changed ? '**yes**' : 'no'],
        [
          'Hashing',
          `${number.format(s.hashed)} hashed, ${number.format(reused)} reused from the cache, ${formatBytes(s.bytesRead)} read in ${formatDuration(s.elapsedMs)} (${formatBytes(Math.round(s.bytesRead / seconds))}/s, ${s.threads || 1} thread${s.threads > 1 ? 's' : ''})`,
        ],
      ],
      true,
    ),
  ];
  if (diff.baseline) {
    const c = diff.counts;
    lines.push(
      '',
      `#### Changes: ${c.added} added, ${c.removed} removed, ${c.modified} modified, ${c.unchanged} unchanged`,
    );
    if (!diff.comparable) {
      lines.push(
        '',
        '> The baseline used another algorithm or LFS mode, so file contents could not be compared.',
      );
    }
    const rows: string[][] = [];
    for (const f of diff.added.slice(0, SUMMARY_ROWS))
      rows.push(['added', code(f.path), formatBytes(f.size)]);
    for (const f of diff.removed.slice(0, SUMMARY_ROWS))
      rows.push(['removed', code(f.path), formatBytes(f.size)]);
    for (const f of diff.modified.slice(0, SUMMARY_ROWS)) {
      rows.push(['modified', code(f.path), `${formatBytes(f.before.size)} → ${formatBytes(f.after.size)}`]);
    }
    if (rows.length > 0) lines.push('', markdownTable(['Change', 'Path', 'Size'], rows, true));
    const shown =
      Math.min(diff.added.length, SUMMARY_ROWS) +
      Math.min(diff.removed.length, SUMMARY_ROWS) +
      Math.min(diff.modified.length, SUMMARY_ROWS);
    const total = c.added + c.removed + c.modified;
    if (total > shown) lines.push('', `…and ${number.format(total - shown)} more in the diff file.`);
    if (diff.directories.length > 0) {
      lines.push(
        '',
        markdownTable(
          ['Top-level entry', 'Before', 'After'],
          diff.directories.slice(0, SUMMARY_ROWS).map((d) => [code(d.path), short(d.before), short(d.after)]),
          true,
        ),
      );
    }
  }
  return lines.join('\n');
}

function code(text: string): string {
  return `\`${escapeCell(text).replace(/`/g, 'ˋ')}\``;
}

function short(hash: string | null): string {
  if (hash === null) return '—';
  const colon = hash.indexOf(':');
  return `\`${hash.slice(0, colon + 13)}…\``;
}
