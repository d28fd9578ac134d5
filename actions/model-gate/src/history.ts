/**
 * Metric history across gate runs: each GateReport carries the points of the runs before it (taken
 * from the previous report of the default branch), and the comment charts them with Mermaid, which
 * GitHub renders itself — no image is uploaded anywhere.
 */
import type { GateReport, HistoryPoint } from '@modelops/core';
import { formatNumber } from './format.ts';

/** The point a report contributes to the history: its candidate's values of `keys`. */
export function pointOf(report: GateReport, keys: readonly string[]): HistoryPoint {
  const metrics: Record<string, number | null> = {};
  for (const key of keys) {
    const value = report.candidate.metrics[key];
    if (value !== undefined) metrics[key] = value;
  }
  return {
    createdAt: report.createdAt,
    passed: report.passed,
    ...(report.producer.sha ? { sha: report.producer.sha } : {}),
    ...(report.producer.ref ? { ref: report.producer.ref } : {}),
    ...(report.producer.runId ? { runId: report.producer.runId } : {}),
    ...(report.producer.runUrl ? { runUrl: report.producer.runUrl } : {}),
    metrics,
  };
}

/** The history a new report carries: the previous report's history plus the previous report itself. */
export function historyAfter(
  previous: GateReport | undefined,
  keys: readonly string[],
  limit: number,
): HistoryPoint[] {
  if (!previous) return [];
  const points = [...(previous.history ?? []), pointOf(previous, keys)];
  return points.slice(Math.max(0, points.length - limit));
}

/** Characters a Mermaid label may keep; anything else (quotes, brackets, newlines) is dropped. */
function label(text: string): string {
  return text.replace(/[^A-Za-z0-9 #._:/=&+-]/g, '').slice(0, 40);
}

/** Options of {@link historyChart}. */
export interface ChartOptions {
  /** A value bound drawn as a flat second line. */
  bound?: number;
  /** What the bound is, for the title (e.g. `≥ 0.85`). */
  boundText?: string;
}

/**
 * A Mermaid `xychart-beta` line chart of `metric` over the history and the current run; undefined
 * when fewer than two points have a value.
 */
export function historyChart(
  history: readonly HistoryPoint[],
  current: HistoryPoint,
  metric: string,
  options: ChartOptions = {},
): string | undefined {
  const points = [...history, current]
    .map((point, index, all) => ({
      value: point.metrics[metric],
      name:
        index === all.length - 1
          ? 'this run'
          : point.sha
            ? point.sha.slice(0, 7)
            : point.runId
              ? `run ${point.runId}`
              : `#${index + 1}`,
    }))
    .filter(
      (p): p is { value: number; name: string } => typeof p.value === 'number' && Number.isFinite(p.value),
    );
  if (points.length < 2) return undefined;
  const values = points.map((p) => p.value);
  const all = options.bound === undefined ? values : [...values, options.bound];
  let low = Math.min(...all);
  let high = Math.max(...all);
  const pad = high > low ? (high - low) * 0.15 : Math.max(Math.abs(high) * 0.05, 0.01);
  low = Number((low - pad).toPrecision(4));
  high = Number((high + pad).toPrecision(4));
  // Rates and scores live in [0, 1]: keep the axis there.
  if (all.every((v) => v >= 0 && v <= 1)) {
    low = Math.max(0, low);
    high = Math.min(1, high);
  }
  const round = (v: number) => Number(v.toPrecision(6));
  const names = points.map((p, i) => `"${label(p.name) || `#${i + 1}`}"`);
  const title = `${label(metric)} across recent gate runs${options.boundText ? ` - flat line: ${label(options.boundText)}` : ''}`;
  const lines = [
    '```mermaid',
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${names.join(', ')}]`,
    `    y-axis "${label(metric)}" ${low} --> ${high}`,
    `    line [${values.map(round).join(', ')}]`,
  ];
  if (options.bound !== undefined)
    lines.push(`    line [${values.map(() => round(options.bound as number)).join(', ')}]`);
  lines.push('```');
  return lines.join('\n');
}

/** One line describing the trend, for readers whose client does not render Mermaid. */
export function trendLine(
  history: readonly HistoryPoint[],
  current: HistoryPoint,
  metric: string,
): string | undefined {
  const values = [...history, current]
    .map((p) => p.metrics[metric])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length < 2) return undefined;
  return `${metric}: ${values.map((v) => formatNumber(v)).join(' → ')}`;
}
