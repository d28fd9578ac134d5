/** Numbers and untrusted text for messages, tables and charts. */

/** Formats a number for readers: up to 4 decimals, an exponent for tiny or huge ones, `—` for none. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2).replace('e+', 'e');
  return String(Number(value.toFixed(4)));
}

/** `+0.0123` / `−0.0123` (a real minus sign), `0` for zero, `—` for none. */
export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = formatNumber(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}

/** A fraction as a percentage with 3 significant digits: `0.02134` → `2.13 %`. */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}

/**
 * Text from a spec, a data file or a report (possibly from a fork) made inert in markdown: HTML and
 * markdown punctuation escaped, pipes escaped for tables, line breaks flattened, and `@` mentions
 * broken so a report cannot ping people.
 */
export function inert(text: string, maxLength = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  const short = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
  return short
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/@/g, '@\u200b');
}

/**
 * Text for inside a markdown code span (where backslash escapes show literally): backticks and line
 * breaks replaced, pipes escaped so a table cell stays one cell.
 */
export function code(text: string, maxLength = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/`/g, "'");
  const short = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
  return `\`${short.replace(/\|/g, '\\|')}\``;
}
