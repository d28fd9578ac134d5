import { describe, it, expect } from 'vitest';
import { truncateMarkdown, markdownTable, escapeCell, GITHUB_BODY_LIMIT } from './summary.ts';

describe('markdown', () => {
  it('escapes table cells', () => {
    expect(escapeCell('a|b\n<c>')).toBe('a\\|b<br>&lt;c&gt;');
    expect(markdownTable(['k', 'v'], [['x', 1]])).toBe('| k | v |\n| --- | --- |\n| x | 1 |');
  });

  it('leaves short text alone and cuts long text below the limit, closing fences and details', () => {
    expect(truncateMarkdown('short', 100)).toBe('short');
    const body = '<details><summary>s</summary>\n\n```\n' + 'line of text\n'.repeat(10_000);
    const cut = truncateMarkdown(body, GITHUB_BODY_LIMIT - 1000);
    expect(cut.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT - 1000);
    expect((cut.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(cut).toContain('</details>');
    expect(cut).toContain('Truncated');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMarkdown('😀'.repeat(1000), 500, '');
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(/[\uD800-\uDBFF]$/.test(cut)).toBe(false);
  });
});
