/**
 * Markdown for job summaries and PR comments: safe table cells, collapsible sections, and
 * truncation that stays below GitHub's limits without breaking the markup.
 */
import { appendFile } from 'node:fs/promises';

/** GitHub's maximum comment and job summary body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

/** Escapes text for a markdown table cell (pipes, newlines, HTML). */
export function escapeCell(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** A markdown table; cells are escaped unless `raw` is set. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  raw = false,
): string {
  const cell = raw ? (v: unknown) => String(v ?? '') : escapeCell;
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A collapsible `<details>` section. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/**
 * Cuts markdown to at most `limit` characters at a line boundary, closes an open code fence and
 * `<details>` blocks, and appends `notice`. Text within the limit is returned unchanged.
 */
export function truncateMarkdown(
  text: string,
  limit = GITHUB_BODY_LIMIT - 1000,
  notice = '\n\n> ✂️ Truncated to fit GitHub’s size limit; the full report is in the job summary artifact.',
): string {
  if (text.length <= limit) return text;
  const budget = limit - notice.length - 32;
  let cut = text.slice(0, Math.max(0, budget));
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > budget / 2) cut = cut.slice(0, lastNewline);
  // Do not end inside a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const fences = (cut.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) cut += '\n```';
  const opened = (cut.match(/<details/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < opened; i++) cut += '\n\n</details>';
  return cut + notice;
}

/**
 * Appends markdown to the job summary (`GITHUB_STEP_SUMMARY`). Outside Actions it returns false
 * and writes nothing.
 */
export async function appendJobSummary(
  markdown: string,
  env: Record<string, string | undefined> = process.env,
): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  await appendFile(file, `${truncateMarkdown(markdown, 1024 * 1024 - 1000)}\n`);
  return true;
}
