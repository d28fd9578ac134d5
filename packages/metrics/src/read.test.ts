import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PredictionsFileError,
  readFeatures,
  readPredictions,
  type ClassificationTable,
  type RegressionTable,
} from './index.ts';
import { parseDecimal } from './numeric.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<PredictionsFileError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PredictionsFileError);
  return error as PredictionsFileError;
}

describe('CSV reader (RFC 4180)', () => {
  it('reads quoted fields with delimiters, escaped quotes, line breaks, CRLF and a BOM', async () => {
    const path = file(
      'quoted.csv',
      '\uFEFFid,"label",score,region\r\n' +
        '1,"a,b",0.25,"north ""N"""\r\n' +
        '2,plain,0.75,"multi\r\nline"\r\n' +
        '3,"a,b",  0.5 ,south',
    );
    const table = (await readPredictions(
      path,
      { label: 'label', predicted: 'label', score: 'score', groups: ['region'] },
      {},
    )) as ClassificationTable;
    expect(table.rows).toBe(3);
    expect(table.classes).toEqual(['a,b', 'plain']);
    expect([...table.label]).toEqual([0, 1, 0]);
    expect([...table.score!]).toEqual([0.25, 0.75, 0.5]);
    const region = table.groups.region!;
    expect([...region.codes].map((code) => region.categories[code])).toEqual([
      'north "N"',
      'multi\r\nline',
      'south',
    ]);
  });

  it('canonicalizes numeric class labels the way pandas reads them (1 and 1.0 are one class)', async () => {
    const path = file('numeric-labels.csv', 'y,p\n1,0.9\n1.0,0.8\n0,0.1\n10,0.2\n2,0.3\n');
    const table = (await readPredictions(path, { label: 'y', predicted: 'y' })) as ClassificationTable;
    expect(table.classes).toEqual(['0', '1', '2', '10']);
    expect([...table.label]).toEqual([1, 1, 0, 3, 2]);
  });

  it('streams files larger than one read block, splitting records anywhere', async () => {
    const lines = ['label,score,group'];
    const expected: number[] = [];
    for (let i = 0; i < 120_000; i++) {
      const score = ((i * 7919) % 1000) / 1000 + 1e-7 * (i % 13);
      expected.push(score);
      lines.push(`${i % 2},${score},"g${i % 5}"`);
    }
    const path = file('large.csv', lines.join('\n'));
    const table = (await readPredictions(path, {
      label: 'label',
      score: 'score',
      groups: ['group'],
    })) as ClassificationTable;
    expect(table.rows).toBe(120_000);
    expect([...table.score!]).toEqual(expected);
    expect(table.groups.group!.categories).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
  });

  it('fails on a missing column, naming the columns the header has', async () => {
    const path = file('missing.csv', 'label,prob\n1,0.5\n');
    const error = await failure(readPredictions(path, { label: 'label', score: 'score' }));
    expect(error.code).toBe('MISSING_COLUMN');
    expect(error.message).toContain('"score" not found');
    expect(error.message).toContain('"label", "prob"');
    expect(error.location.column).toBe('score');
  });

  it('fails on a non-numeric score with the column, row and value', async () => {
    const path = file('bad.csv', 'label,score\n1,0.5\n0,0.25\n1,abc\n');
    const error = await failure(readPredictions(path, { label: 'label', score: 'score' }));
    expect(error.code).toBe('NON_NUMERIC');
    expect(error.location).toEqual({ file: path, column: 'score', row: 3, value: 'abc' });
    expect(error.message).toContain('column "score" has the non-numeric value "abc" at row 3');
  });

  it('fails on an empty value, a negative weight, a short row and an unclosed quote', async () => {
    expect(
      (
        await failure(
          readPredictions(file('empty.csv', 'label,score\n1,\n'), { label: 'label', score: 'score' }),
        )
      ).code,
    ).toBe('MISSING_VALUE');
    const negative = await failure(
      readPredictions(file('neg.csv', 'label,score,w\n1,0.5,-2\n'), {
        label: 'label',
        score: 'score',
        weight: 'w',
      }),
    );
    expect(negative.code).toBe('INVALID_VALUE');
    expect(negative.location.row).toBe(1);
    const short = await failure(
      readPredictions(file('short.csv', 'label,score\n1,0.5\n0\n'), { label: 'label', score: 'score' }),
    );
    expect(short.message).toContain('row 2 has 1 fields but the header has 2');
    const open = await failure(
      readPredictions(file('open.csv', 'label,score\n"1,0.5\n'), { label: 'label', score: 'score' }),
    );
    expect(open.code).toBe('MALFORMED_FILE');
  });

  it('rejects a missing file and an unknown extension with a fix', async () => {
    expect((await failure(readPredictions(join(dir, 'nope.csv'), { label: 'y', score: 'p' }))).code).toBe(
      'FILE_NOT_FOUND',
    );
    const unknown = await failure(readPredictions(file('data.txt', 'y,p\n'), { label: 'y', score: 'p' }));
    expect(unknown.code).toBe('UNKNOWN_FORMAT');
    expect(unknown.fix).toContain('format');
  });
});

describe('JSON Lines and Parquet readers', () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({
    id: `r${i}`,
    label: i % 3 === 0 ? 1 : 0,
    score: ((i * 37) % 101) / 101,
    w: (i % 4) + 0.5,
    region: ['eu', 'us', 'apac'][i % 3]!,
  }));
  const columns = { label: 'label', score: 'score', weight: 'w', id: 'id', groups: ['region'] };

  function snapshot(table: ClassificationTable) {
    return {
      rows: table.rows,
      classes: table.classes,
      label: [...table.label],
      score: [...table.score!],
      weight: [...table.weight!],
      id: [...table.id!.codes].map((code) => table.id!.categories[code]),
      region: [...table.groups.region!.codes].map((code) => table.groups.region!.categories[code]),
    };
  }

  it('read the same table as the CSV reader', async () => {
    const csv = file(
      'same.csv',
      [
        'id,label,score,w,region',
        ...rows.map((r) => `${r.id},${r.label},${r.score},${r.w},${r.region}`),
      ].join('\n'),
    );
    const jsonl = file('same.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
    const parquet = file(
      'same.parquet',
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: rows.map((r) => r.id), type: 'STRING' },
            { name: 'label', data: rows.map((r) => r.label), type: 'INT32' },
            { name: 'score', data: rows.map((r) => r.score), type: 'DOUBLE' },
            { name: 'w', data: rows.map((r) => r.w), type: 'DOUBLE' },
            { name: 'region', data: rows.map((r) => r.region), type: 'STRING' },
          ],
          rowGroupSize: 700,
        }),
      ),
    );
    const fromCsv = snapshot((await readPredictions(csv, columns)) as ClassificationTable);
    expect(snapshot((await readPredictions(jsonl, columns)) as ClassificationTable)).toEqual(fromCsv);
    expect(snapshot((await readPredictions(parquet, columns)) as ClassificationTable)).toEqual(fromCsv);
    expect(fromCsv.rows).toBe(2500);
  });

  it('JSON Lines: a missing key or a string score fails with the row', async () => {
    const path = file('gap.jsonl', '{"label":1,"score":0.5}\n{"label":0}\n');
    const error = await failure(readPredictions(path, { label: 'label', score: 'score' }));
    expect(error.code).toBe('MISSING_VALUE');
    expect(error.location.row).toBe(2);
    const text = await failure(
      readPredictions(file('text.jsonl', '{"label":1,"score":"high"}\n'), { label: 'label', score: 'score' }),
    );
    expect(text.code).toBe('NON_NUMERIC');
    expect(text.location.value).toBe('high');
  });

  it('Parquet: a missing column lists the schema', async () => {
    const path = file(
      'schema.parquet',
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'y', data: [1, 2], type: 'DOUBLE' }] })),
    );
    const error = await failure(readPredictions(path, { label: 'y', prediction: 'yhat' }));
    expect(error.code).toBe('MISSING_COLUMN');
    expect(error.message).toContain('"y"');
  });

  it('reads regression and feature tables', async () => {
    const path = file('reg.csv', 'y,yhat,colour\n1.5,1,red\n-2,-1.5,blue\n');
    const table = (await readPredictions(path, { label: 'y', prediction: 'yhat' })) as RegressionTable;
    expect([...table.label]).toEqual([1.5, -2]);
    const features = await readFeatures(path, { numeric: ['y'], categorical: ['colour'] });
    expect(features.columns.colour).toMatchObject({ kind: 'categorical', categories: ['red', 'blue'] });
  });
});

describe('decimal parsing', () => {
  it('is correctly rounded on the fast path and the fallback', () => {
    const samples = [
      '0.1',
      '0.30000000000000004',
      '1e-300',
      '-2.5E+3',
      '123456789012345678',
      '.5',
      '5.',
      '  7 ',
      '0.000001234',
      '1e23',
      '9007199254740993',
    ];
    for (const text of samples) {
      const bytes = new TextEncoder().encode(text);
      expect(parseDecimal(bytes, 0, bytes.length)).toBe(Number(text));
    }
    for (const text of ['', 'abc', '1e', '--1', '1.2.3', 'NaN', 'inf', '0x10']) {
      const bytes = new TextEncoder().encode(text);
      expect(parseDecimal(bytes, 0, bytes.length)).toBeNaN();
    }
  });
});
