/**
 * Child process of the metrics benchmark: reads a predictions CSV (label, score, group) and computes
 * accuracy, F1, ROC AUC, log loss (with the rest of the classification report) and per-group rates,
 * then prints its timings, peak RSS and the headline values as one JSON line.
 *
 * Usage: node --import tsx bench/metrics-child.ts FILE.csv
 */

import {
  classificationMetrics,
  fairness,
  readPredictions,
  type ClassificationTable,
} from '../packages/metrics/src/index.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: metrics-child.ts FILE.csv');
  process.exit(2);
}
const started = performance.now();
const table = (await readPredictions(file, {
  label: 'label',
  score: 'score',
  groups: ['group'],
})) as ClassificationTable;
const read = performance.now();
const report = classificationMetrics(table);
const groups = fairness(table, { group: 'group' });
const done = performance.now();
console.log(
  JSON.stringify({
    rows: table.rows,
    readSeconds: (read - started) / 1000,
    metricsSeconds: (done - read) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    accuracy: report.metrics.accuracy,
    f1: report.metrics.f1,
    roc_auc: report.metrics.roc_auc,
    log_loss: report.metrics.log_loss,
    selection_rates: Object.fromEntries(groups.groups.map((g) => [g.group, g.selectionRate])),
  }),
);
