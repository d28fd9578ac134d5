/** The job summary of a rollout: the outcome in one line, then the step table and the checks. */
import { details, escapeCell, formatDuration, markdownTable, type RolloutRecord } from '@modelops/core';
import { describeBounds, formatValue } from './analysis.ts';

const STATE_LINE: Record<RolloutRecord['state'], string> = {
  progressing: '⏳ progressing',
  promoted: '✅ promoted',
  'rolled-back': '↩️ rolled back',
  aborted: '⛔ aborted',
};

const CHECK_MARK = { successful: '✅', failed: '❌', inconclusive: '❔' } as const;

function stepResult(step: RolloutRecord['steps'][number]): string {
  switch (step.outcome) {
    case 'passed':
      return '✅ passed';
    case 'failed':
      return '❌ failed';
    case 'inconclusive':
      return '❔ inconclusive';
    case 'stopped':
      return '⏹️ stopped';
    default:
      return '⏳';
  }
}

/** A recorded value as text (JSON has no infinities: a judged value of null is ±Inf). */
function valueText(result: RolloutRecord['steps'][number]['checks'][number]['results'][number]): string {
  if (result.value !== null) return formatValue(result.value);
  if (result.status === 'error') return 'error';
  if (result.status === 'inconclusive') return 'no data';
  return '±Inf';
}

function lastValues(step: RolloutRecord['steps'][number]): string {
  const last = step.checks[step.checks.length - 1];
  if (!last) return '';
  return last.results.map((r) => `${escapeCell(r.metric)} ${valueText(r)}`).join('<br>');
}

/** Markdown for the job summary. */
export function renderSummary(record: RolloutRecord): string {
  const lines: string[] = [];
  lines.push(`## canary-rollout: ${escapeCell(record.name)} — ${STATE_LINE[record.state]}`);
  lines.push('');
  const from = record.stable ? `\`${record.stable}\`` : '_nothing (first release)_';
  lines.push(
    `\`${record.canary}\` replacing ${from} through ${escapeCell(record.routerDescription ?? record.router)}, ` +
      `${record.strategy} strategy, observer ${record.observer}.`,
  );
  if (record.reason) {
    lines.push('');
    lines.push(`**${record.state === 'promoted' ? 'Result' : 'Reason'}:** ${escapeCell(record.reason)}`);
  }
  lines.push('');
  const plan = record.plan;
  lines.push(
    `Plan: weights ${plan.weights.map((w) => `${w}%`).join(' → ')} → promote; a check every ${formatDuration(plan.intervalMs)}, ` +
      `${plan.iterations} successful check(s) per step; roll back after ${plan.threshold} failed check(s), ` +
      `abort after ${plan.inconclusiveLimit} inconclusive check(s). ` +
      `Now: canary weight ${record.weight}%, ${record.failedChecks} failed and ${record.inconclusiveChecks} inconclusive check(s).`,
  );
  if (record.steps.length > 0) {
    lines.push('');
    lines.push(
      markdownTable(
        ['step', 'weight', 'checks', 'result', 'last values'],
        record.steps.map((step) => [
          `${step.index + 1}/${plan.weights.length}`,
          `${step.weight}%`,
          step.checks.map((c) => CHECK_MARK[c.outcome]).join(' ') || '—',
          stepResult(step),
          lastValues(step),
        ]),
        true,
      ),
    );
  }
  if (record.metrics.length > 0) {
    const rows = record.steps.flatMap((step) =>
      step.checks.flatMap((check, n) =>
        check.results.map((r) => [
          `${step.index + 1} (${step.weight}%) #${n + 1}`,
          escapeCell(r.metric),
          r.value === null ? `${valueText(r)}: ${escapeCell(r.message ?? '')}` : formatValue(r.value),
          escapeCell(describeBounds(r)),
          r.status,
        ]),
      ),
    );
    if (rows.length > 0) {
      lines.push('');
      lines.push(
        details('Every check', markdownTable(['step', 'metric', 'value', 'bound', 'status'], rows, true)),
      );
    }
  }
  if (record.deploymentId !== undefined) {
    lines.push('');
    lines.push(
      `GitHub deployment ${record.deploymentId} (environment \`${escapeCell(record.environment ?? '')}\`).`,
    );
  }
  return `${lines.join('\n')}\n`;
}
