/**
 * The comment and job summary a reviewer reads: the verdict line, one table row per check
 * (`check | candidate | baseline | Δ | bound | result`), why checks failed, fairness per group,
 * significance, the slices that fail, drift, and a Mermaid chart of the metric history. Every text
 * from the spec, the data or a report is made inert; long sections are capped so the comment stays
 * well within GitHub's size limit (the core truncates safely on top of that).
 */
import { markdownTable, type GateCheckResult, type GateReport, type HistoryPoint } from '@modelops/core';
import { code, formatNumber, formatPercent, formatSigned, inert } from './format.ts';
import { significanceText } from './evaluate.ts';
import { historyChart, pointOf, trendLine } from './history.ts';

/** Options of {@link renderReport}. */
export interface RenderOptions {
  /** Version of the action, for the footer. */
  version: string;
  /** Name of the report artifact, for the footer. */
  artifactName?: string;
  /** Most rows in the slice, failure and group tables (default 50). */
  maxRows?: number;
  /** Metrics to chart (default: the report's `chart`). */
  chart?: readonly string[];
}

const ICON: Record<GateCheckResult['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  'no-baseline': '⚪ no baseline',
  undefined: '❌ undefined',
};

function resultCell(result: GateCheckResult): string {
  if (result.status === 'undefined' && result.severity === 'warn') return '⚠️ undefined';
  return ICON[result.status];
}

function isFailing(result: GateCheckResult): boolean {
  return result.status === 'fail' || result.status === 'warn' || result.status === 'undefined';
}

function deltaCell(result: GateCheckResult): string {
  if (result.delta === null || result.baseline === null) return '—';
  if (result.delta === 0) return '0';
  const relative =
    result.baseline !== 0
      ? ` (${result.delta >= 0 ? '+' : '−'}${formatPercent(Math.abs(result.delta / result.baseline))})`
      : '';
  return `${formatSigned(result.delta)}${relative}`;
}

/** Results grouped by check, in spec order. */
function byCheck(results: readonly GateCheckResult[]): GateCheckResult[][] {
  const groups = new Map<string, GateCheckResult[]>();
  for (const result of results) groups.set(result.name, [...(groups.get(result.name) ?? []), result]);
  return [...groups.values()];
}

function checkRow(results: GateCheckResult[]): string[] {
  const first = results[0] as GateCheckResult;
  const name = `${inert(first.name)}${first.severity === 'warn' ? ' <sub>(warn)</sub>' : ''}`;
  if (results.length === 1) {
    const subject =
      first.kind === 'fairness'
        ? ` <sub>${inert(`${first.metric} over ${first.group ?? ''}`)}</sub>`
        : first.slice !== undefined || first.column !== undefined
          ? ` <sub>${inert(first.slice ?? first.column ?? '', 60)}</sub>`
          : '';
    return [
      `${name}${subject}`,
      formatNumber(first.candidate),
      formatNumber(first.baseline),
      deltaCell(first),
      inert(first.bound, 300),
      resultCell(first),
    ];
  }
  const failing = results.filter(isFailing);
  const what = results.some((r) => r.column !== undefined) ? 'columns' : 'slices';
  const worst = failing[0] ?? results[0];
  const where = worst?.slice ?? worst?.column;
  const status =
    failing.length === 0
      ? results.every((r) => r.status === 'no-baseline')
        ? ICON['no-baseline']
        : `✅ ${results.length} ${what} pass`
      : `${first.severity === 'warn' ? '⚠️' : '❌'} ${failing.length} of ${results.length} ${what} fail`;
  return [
    `${name} <sub>${results.length} ${what}</sub>`,
    worst ? `${formatNumber(worst.candidate)}${where ? ` <sub>${inert(where, 60)}</sub>` : ''}` : '—',
    worst ? formatNumber(worst.baseline) : '—',
    worst ? deltaCell(worst) : '—',
    inert(first.bound, 300),
    status,
  ];
}

function verdictHeading(report: GateReport): string {
  const failed = report.checks.filter((r) => r.severity === 'fail' && isFailing(r));
  const warned = report.checks.filter((r) => r.severity === 'warn' && isFailing(r));
  const checks = new Set(report.checks.map((r) => r.name)).size;
  const failedChecks = new Set(failed.map((r) => r.name)).size;
  const warnedChecks = new Set(warned.map((r) => r.name)).size;
  const gate = `Model gate ${code(report.gate)}`;
  let line: string;
  if (report.passed) {
    line = `### ✅ ${gate} passed${warnedChecks > 0 ? ` with ${warnedChecks} warning${warnedChecks === 1 ? '' : 's'}` : ''} — ${checks} check${checks === 1 ? '' : 's'}`;
  } else if (failedChecks > 0) {
    line = `### ❌ ${gate} failed — ${failedChecks} of ${checks} check${checks === 1 ? '' : 's'} failed`;
  } else {
    line = `### ❌ ${gate} did not pass — no bound could be evaluated`;
  }
  if (report.failOn === 'never' && !report.passed) line += ' (report only: `fail-on: never`)';
  return line;
}

function sourceLine(report: GateReport): string {
  const candidate = report.candidate;
  const rows = candidate.rows === undefined ? '' : `, ${candidate.rows.toLocaleString('en-US')} rows`;
  const task = candidate.task ? `, ${inert(candidate.task)}` : '';
  const parts = [
    `**Candidate** ${code(candidate.label ?? candidate.uri ?? candidate.source, 120)}${rows}${task}`,
  ];
  parts.push(
    report.baseline
      ? `**Baseline** ${code(report.baseline.label ?? report.baseline.uri ?? report.baseline.source, 120)}`
      : '**Baseline** none',
  );
  return parts.join(' · ');
}

function failuresSection(report: GateReport, maxRows: number): string | undefined {
  const failing = report.checks.filter(isFailing);
  if (failing.length === 0) return undefined;
  const shown = failing
    .slice(0, maxRows)
    .map((r) => `- ${r.severity === 'warn' ? '⚠️' : '❌'} ${inert(r.message, 400)}`);
  if (failing.length > maxRows) shown.push(`- … and ${failing.length - maxRows} more in the report artifact`);
  return `**Why**\n\n${shown.join('\n')}`;
}

function fairnessSection(report: GateReport, maxRows: number): string | undefined {
  if (!report.fairness || report.fairness.length === 0) return undefined;
  const parts: string[] = [];
  for (const detail of report.fairness) {
    const rows = detail.groups
      .slice(0, maxRows)
      .map((g) => [
        inert(g.group, 60),
        g.rows.toLocaleString('en-US'),
        formatNumber(g.selectionRate),
        formatNumber(g.truePositiveRate),
        formatNumber(g.falsePositiveRate),
        g.excluded ? `not compared: ${inert(g.excluded)}` : 'compared',
      ]);
    const checked = report.checks
      .filter((r) => r.kind === 'fairness' && r.group === detail.group)
      .map(
        (r) =>
          `${inert(r.metric.replace(/_/g, ' '))} **${formatNumber(r.candidate)}** (${inert(r.bound)}) ${resultCell(r)}`,
      );
    parts.push(
      [
        `**Fairness over ${code(detail.group)}** (positive class ${inert(String(detail.positiveLabel ?? '—'))}; groups under ${detail.minGroupSize} rows are not compared)`,
        '',
        markdownTable(['group', 'rows', 'selection rate', 'TPR', 'FPR', ''], rows, true),
        ...(detail.groups.length > maxRows
          ? ['', `… and ${detail.groups.length - maxRows} more groups`]
          : []),
        ...(checked.length > 0 ? ['', checked.join(' · ')] : []),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

function significanceSection(report: GateReport): string | undefined {
  const rows = report.checks
    .filter((r) => r.significance && r.status !== 'no-baseline')
    .map((r) => {
      const s = r.significance!;
      const verdict =
        s.note !== undefined
          ? 'not computed'
          : s.significant
            ? s.better
              ? 'significantly better'
              : 'significantly worse'
            : 'not significant';
      return [
        inert(r.name),
        inert(s.test),
        formatSigned(s.difference),
        inert(significanceText(s), 300),
        verdict,
      ];
    });
  if (rows.length === 0) return undefined;
  return `**Significance** (candidate − baseline on the same rows)\n\n${markdownTable(['check', 'test', 'Δ', 'result', 'verdict'], rows, true)}`;
}

function slicesSection(report: GateReport, maxRows: number): string | undefined {
  const failing = report.checks.filter((r) => r.slice !== undefined && isFailing(r));
  const skipped = report.slices?.skipped ?? [];
  if (failing.length === 0 && skipped.length === 0) return undefined;
  const parts: string[] = [];
  if (failing.length > 0) {
    const rows = failing
      .slice(0, maxRows)
      .map((r) => [
        inert(r.name),
        inert(r.slice ?? '', 100),
        formatNumber(r.candidate),
        formatNumber(r.baseline),
        deltaCell(r),
        inert(r.bound, 200),
        resultCell(r),
      ]);
    parts.push(
      `**Slices that fail** (${failing.length})\n\n${markdownTable(['check', 'slice', 'candidate', 'baseline', 'Δ', 'bound', 'result'], rows, true)}`,
    );
    if (failing.length > maxRows)
      parts.push(`… and ${failing.length - maxRows} more failing slices in the report artifact.`);
  }
  if (skipped.length > 0) {
    const list = skipped
      .slice(0, 20)
      .map((s) => `${code(s.key, 60)} (${s.rows})`)
      .join(', ');
    parts.push(
      `<sub>Not evaluated — fewer than ${report.slices?.minSize ?? 1} rows: ${list}${skipped.length > 20 ? ` and ${skipped.length - 20} more` : ''}</sub>`,
    );
  }
  return parts.join('\n\n');
}

function driftSection(report: GateReport, maxRows: number): string | undefined {
  if (!report.drift || report.drift.columns.length === 0) return undefined;
  const rows = report.drift.columns
    .slice(0, maxRows)
    .map((c) => [
      inert(c.column, 60),
      c.type,
      inert(c.test),
      formatNumber(c.value),
      formatNumber(c.threshold),
      c.drifted === null ? '—' : c.drifted ? 'drifted' : 'stable',
      formatNumber(c.stats.psi),
    ]);
  return [
    `**Drift** ${code(report.drift.reference, 80)} → ${code(report.drift.current, 80)}: ${formatPercent(report.drift.driftShare)} of columns drifted`,
    '',
    markdownTable(['column', 'type', 'test', 'value', 'threshold', 'default test', 'PSI'], rows, true),
  ].join('\n');
}

function historySection(report: GateReport, chart: readonly string[]): string | undefined {
  const history = report.history ?? [];
  if (history.length === 0 || chart.length === 0) return undefined;
  const current: HistoryPoint = pointOf(report, chart);
  const parts: string[] = [];
  for (const metric of chart) {
    const valueCheck = report.checks.find(
      (r) => r.key === metric && r.slice === undefined && (r.min === undefined) !== (r.max === undefined),
    );
    const bound = valueCheck?.min ?? valueCheck?.max;
    const drawn = historyChart(history, current, metric, {
      ...(bound === undefined
        ? {}
        : {
            bound,
            boundText: `${valueCheck?.min !== undefined ? 'minimum' : 'maximum'} ${formatNumber(bound)}`,
          }),
    });
    if (drawn) {
      const trend = trendLine(history, current, metric);
      parts.push(drawn + (trend ? `\n\n<sub>${inert(trend, 600)}</sub>` : ''));
    }
  }
  if (parts.length === 0) return undefined;
  return `**History** (this gate on the default branch, then this run)\n\n${parts.join('\n\n')}`;
}

function footer(report: GateReport, options: RenderOptions): string {
  const p = report.producer;
  const parts = [`model-gate ${inert(options.version)}`];
  if (p.runUrl && /^https:\/\//.test(p.runUrl))
    parts.push(`[run ${inert(p.runId ?? '')}](${encodeURI(p.runUrl)})`);
  if (p.sha) parts.push(`commit ${inert(p.sha.slice(0, 7))}`);
  if (options.artifactName) parts.push(`full report: artifact ${code(options.artifactName)}`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** Renders a GateReport as the markdown of the comment and the job summary. */
export function renderReport(report: GateReport, options: RenderOptions): string {
  const maxRows = options.maxRows ?? 50;
  const sections: (string | undefined)[] = [verdictHeading(report), sourceLine(report)];
  if (!report.baseline || report.checks.some((r) => r.status === 'no-baseline')) {
    const note = report.baselineNote ?? 'no baseline';
    if (report.checks.some((r) => r.status === 'no-baseline')) {
      sections.push(
        `> ⚪ **No baseline** — ${inert(note, 300)}. Change bounds are not evaluated (shown as “no baseline”); value bounds decide.`,
      );
    }
  }
  const rows = byCheck(report.checks).map(checkRow);
  sections.push(markdownTable(['check', 'candidate', 'baseline', 'Δ', 'bound', 'result'], rows, true));
  sections.push(failuresSection(report, maxRows));
  sections.push(fairnessSection(report, maxRows));
  sections.push(significanceSection(report));
  sections.push(slicesSection(report, maxRows));
  sections.push(driftSection(report, maxRows));
  sections.push(historySection(report, options.chart ?? report.chart ?? []));
  for (const note of report.notes ?? []) sections.push(`> ℹ️ ${inert(note, 400)}`);
  sections.push(footer(report, options));
  return `${sections.filter((s): s is string => s !== undefined && s !== '').join('\n\n')}\n`;
}
