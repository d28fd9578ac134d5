/** The job summary of a decision: the verdict, a table of reasons, the parameter diff, the run link. */
import { details, escapeCell, markdownTable, type RetrainDecision } from '@modelops/core';
import { formatParamValue, type ParamChange } from './params.ts';
import { shortHash } from './reasons.ts';

/** Most files listed per change kind in the summary (the decision document has them all). */
export const SUMMARY_FILES = 30;

const ENGINE_NAMES: Record<string, string> = {
  'github-workflow': 'GitHub workflow',
  'repository-dispatch': 'repository_dispatch',
  kubeflow: 'Kubeflow Pipelines',
  argo: 'Argo Workflows',
  mlflow: 'MLflow',
};

function link(text: string, url: string | undefined): string {
  return url ? `[${escapeCell(text)}](${url})` : escapeCell(text);
}

function baselineCell(decision: RetrainDecision): string {
  const b = decision.baseline;
  if (!b) return 'none (first training)';
  const where =
    b.source === 'mlflow'
      ? `MLflow run ${link(b.runId ?? '?', b.runUrl)}`
      : `lock file \`${escapeCell(b.location)}\``;
  const when = b.trainedAt ? `, trained ${b.trainedAt}` : '';
  const fp = b.fingerprint ? ` — \`${shortHash(b.fingerprint)}\`` : '';
  return `${where}${when}${fp}`;
}

function dispatchCell(decision: RetrainDecision): string {
  const d = decision.dispatch;
  if (!d) return decision.shouldRetrain ? 'none (`dispatch: none`)' : '—';
  const engine = ENGINE_NAMES[d.engine] ?? d.engine;
  if (d.error && !d.runId) return `**failed** on ${engine}: ${escapeCell(d.error)}`;
  const run = d.runId
    ? link(`run ${d.runId}`, d.runUrl)
    : 'a run (not identifiable: see the docs on run-name)';
  const how = d.deduplicated
    ? `already ${d.state === 'succeeded' ? 'trained' : 'under way'}: ${run} (not dispatched again)`
    : `dispatched ${run}`;
  return `${how} on ${engine}${d.error ? ` — then: ${escapeCell(d.error)}` : ''}`;
}

/** Markdown for the job summary. */
export function summaryMarkdown(decision: RetrainDecision): string {
  const { reasons } = decision;
  const rows: [string, string][] = [
    [
      'Retrain',
      decision.shouldRetrain
        ? `**yes** — ${reasons.length} reason${reasons.length === 1 ? '' : 's'}`
        : 'no — up to date',
    ],
    ['Fingerprint', `\`${decision.fingerprint}\``],
    ['Baseline', baselineCell(decision)],
    ['Training run', dispatchCell(decision)],
  ];
  if (decision.dispatch?.conclusion) rows.push(['Conclusion', `**${decision.dispatch.conclusion}**`]);
  const lines = [
    `### Retrain decision: \`${escapeCell(decision.model)}\``,
    '',
    markdownTable(['', ''], rows, true),
  ];
  if (reasons.length > 0) {
    lines.push(
      '',
      '#### Reasons',
      '',
      markdownTable(
        ['Reason', 'Detail'],
        reasons.map((r) => [`\`${r.code}\``, escapeCell(r.detail)]),
        true,
      ),
    );
  }
  const params = reasons
    .filter((r) => r.code === 'PARAMS_CHANGED' && r.data && typeof r.data.key === 'string')
    .map((r) => r.data as unknown as ParamChange);
  if (params.length > 0) {
    lines.push(
      '',
      '#### Parameters',
      '',
      markdownTable(
        ['Parameter', 'Old', 'New', 'Δ'],
        params.map((c) => [
          `\`${escapeCell(c.key)}\``,
          escapeCell(formatParamValue(c.old, 'old' in c)),
          escapeCell(formatParamValue(c.new, 'new' in c)),
          c.diff === undefined ? '' : `${c.diff > 0 ? '+' : ''}${c.diff}`,
        ]),
        true,
      ),
    );
  }
  for (const reason of reasons.filter((r) => r.code === 'CODE_CHANGED' || r.code === 'CONFIG_CHANGED')) {
    const data = (reason.data ?? {}) as { added?: string[]; removed?: string[]; modified?: string[] };
    const fileRows = [
      ...(data.modified ?? []).map((f) => ['modified', f]),
      ...(data.added ?? []).map((f) => ['added', f]),
      ...(data.removed ?? []).map((f) => ['removed', f]),
    ];
    if (fileRows.length === 0) continue;
    const shown = fileRows
      .slice(0, SUMMARY_FILES)
      .map(([kind, f]) => [kind as string, `\`${escapeCell(f)}\``]);
    const more =
      fileRows.length > SUMMARY_FILES
        ? `\n\n… and ${fileRows.length - SUMMARY_FILES} more in the decision document.`
        : '';
    lines.push(
      '',
      details(
        `${reason.code === 'CODE_CHANGED' ? 'Code' : 'Config'} files (${fileRows.length})`,
        `${markdownTable(['Change', 'File'], shown, true)}${more}`,
      ),
    );
  }
  return lines.join('\n');
}
