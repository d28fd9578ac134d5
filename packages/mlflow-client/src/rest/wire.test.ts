import { describe, expect, it } from 'vitest';
import {
  fromWireModelVersion,
  fromWireRegisteredModel,
  fromWireRun,
  toWireDouble,
  wireDouble,
  wireInt,
} from './wire.ts';

describe('wire conversion', () => {
  it('reads 64-bit integers as numbers or strings and doubles in proto JSON spellings', () => {
    expect(wireInt('1718000000000')).toBe(1718000000000);
    expect(wireInt(5)).toBe(5);
    expect(wireInt(undefined)).toBeUndefined();
    expect(wireDouble('NaN')).toBeNaN();
    expect(wireDouble('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(wireDouble('0.25')).toBe(0.25);
    expect(toWireDouble(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(toWireDouble(0.5)).toBe(0.5);
  });

  it('tolerates absent repeated fields and fills the run name from its tag', () => {
    const run = fromWireRun({
      info: {
        run_uuid: 'abc',
        experiment_id: '1',
        status: 'FINISHED',
        start_time: '10',
        lifecycle_stage: 'active',
      },
      data: {
        tags: [{ key: 'mlflow.runName', value: 'named' }],
        metrics: [{ key: 'm', value: 'NaN', timestamp: '3' }],
      },
    });
    expect(run.info).toMatchObject({ runId: 'abc', runName: 'named', startTime: 10, status: 'FINISHED' });
    expect(run.info.endTime).toBeUndefined();
    expect(run.data.params).toEqual({});
    expect(run.data.metrics.m).toMatchObject({ step: 0, timestamp: 3 });
    expect(run.data.metrics.m?.value).toBeNaN();
  });

  it('reads registry entities with versions as strings and aliases as a record', () => {
    const model = fromWireRegisteredModel({
      name: 'm',
      creation_timestamp: 1,
      aliases: [{ alias: 'champion', version: '2' }],
      latest_versions: [{ name: 'm', version: 2, creation_timestamp: 1, current_stage: 'None', source: 's' }],
    });
    expect(model.aliases).toEqual({ champion: '2' });
    expect(model.latestVersions[0]).toMatchObject({ version: '2', tags: {}, aliases: [], status: 'READY' });
    expect(fromWireModelVersion({ name: 'm', version: '3', run_id: '' }).runId).toBeUndefined();
  });
});
