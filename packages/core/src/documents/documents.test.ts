import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  readDocument,
  writeDocument,
  parseDocument,
  publishedSchema,
  DOCUMENT_SCHEMAS,
  type GateReport,
} from './index.ts';
import { checkSchema } from '../validate.ts';
import { UserError } from '../errors.ts';
import { schemaFileName } from '../../scripts/write-schemas.ts';

const report: GateReport = {
  schemaVersion: 1,
  kind: 'GateReport',
  createdAt: '2026-11-27T10:00:00.000Z',
  producer: { action: 'model-gate', version: '1.0.0', sha: 'abc' },
  gate: 'churn',
  passed: false,
  candidate: { source: 'predictions', metrics: { roc_auc: 0.91, f1: null } },
  baseline: null,
  checks: [
    {
      name: 'auc floor',
      metric: 'roc_auc',
      severity: 'fail',
      status: 'pass',
      candidate: 0.91,
      baseline: null,
      delta: null,
      bound: '>= 0.85',
      message: 'roc_auc 0.91 >= 0.85',
    },
  ],
};

describe('documents', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docs-'));

  it('round-trips a document atomically (no temp file left behind)', async () => {
    const file = path.join(dir, 'nested', 'report.json');
    await writeDocument('GateReport', file, report);
    expect(readdirSync(path.dirname(file))).toEqual(['report.json']);
    expect(await readDocument('GateReport', file)).toEqual(report);
  });

  it('refuses to write an invalid document', async () => {
    const bad = { ...report, passed: 'yes' } as unknown as GateReport;
    await expect(writeDocument('GateReport', path.join(dir, 'bad.json'), bad)).rejects.toThrow(/\/passed/);
    expect(readdirSync(dir)).not.toContain('bad.json');
  });

  it('names the file, the pointer and the fix for a damaged document', async () => {
    const file = path.join(dir, 'damaged.json');
    writeFileSync(file, JSON.stringify({ ...report, checks: [{ ...report.checks[0], status: 'maybe' }] }));
    const error = (await readDocument('GateReport', file, { input: 'baseline' }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.describe()).toMatch(
      /^input 'baseline', file '.*damaged.json': Invalid GateReport document: at \/checks\/0\/status: expected one of "pass", "fail", "warn", "no-baseline", "undefined", got string "maybe"\. Fix: /,
    );
  });

  it('rejects other kinds, newer versions and broken JSON', async () => {
    expect(() => parseDocument('DatasetManifest', report, 'x.json')).toThrow(
      /not a DatasetManifest document/,
    );
    expect(() => parseDocument('GateReport', { ...report, schemaVersion: 2 }, 'x.json')).toThrow(
      /newer than this action understands/,
    );
    const file = path.join(dir, 'truncated.json');
    writeFileSync(file, '{"kind": "GateReport", ');
    await expect(readDocument('GateReport', file)).rejects.toThrow(/not valid JSON/);
  });

  it('publishes draft 2020-12 schemas that match the committed files', () => {
    for (const kind of Object.keys(DOCUMENT_SCHEMAS) as (keyof typeof DOCUMENT_SCHEMAS)[]) {
      const schema = publishedSchema(kind);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`urn:modelops-actions:schema:${kind}:1`);
      const committed = readFileSync(
        path.join(import.meta.dirname, '../../schemas', schemaFileName(kind)),
        'utf8',
      );
      expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(schema)));
    }
    expect(checkSchema(publishedSchema('GateReport'), report)).toEqual([]);
  });
});
