import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FolderRecorder,
  SETTLE_MS,
  snapshotHolds,
  walkFingerprint,
  type WalkQuestion,
} from './folder-snapshot.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'folder-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const question: WalkQuestion = {
  root: '/w/data',
  patterns: ['data'],
  ignore: [],
  literalFiles: [],
  bases: ['/w/data'],
  exclude: ['/w/.modelops'],
  followFileLinks: false,
};

describe('walk fingerprint', () => {
  it('changes with anything that changes what a walk lists, not with the order of sets', () => {
    const base = walkFingerprint(question);
    expect(walkFingerprint({ ...question })).toBe(base);
    expect(walkFingerprint({ ...question, bases: ['/w/data', '/w/data'] })).toBe(base);
    const variants: Partial<WalkQuestion>[] = [
      { root: '/w' },
      { patterns: ['data', '!data/tmp'] },
      { ignore: ['**/*.tmp'] },
      { literalFiles: ['/w/data/x'] },
      { bases: ['/w/data/sub'] },
      { exclude: [] },
      { followFileLinks: true },
    ];
    for (const variant of variants) expect(walkFingerprint({ ...question, ...variant })).not.toBe(base);
  });
});

describe('folder recorder', () => {
  const folder = path.join(dir, 'f');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'a'), 'a');
  const st = statSync(folder);

  it('stamps folders that settled before the walk started', () => {
    const recorder = new FolderRecorder('q', st.ctimeMs + SETTLE_MS + 1);
    recorder.add('', st);
    recorder.add('f', st);
    const snapshot = recorder.snapshot();
    expect(snapshot?.fingerprint).toBe('q');
    expect(snapshot?.paths).toEqual(['', 'f']);
    expect(Array.from(snapshot?.stamps ?? [])).toEqual([
      st.dev,
      st.ino,
      st.mtimeMs,
      st.ctimeMs,
      st.dev,
      st.ino,
      st.mtimeMs,
      st.ctimeMs,
    ]);
  });

  it('keeps no snapshot when one folder changed within the settle time of the walk', () => {
    const recorder = new FolderRecorder('q', st.ctimeMs + SETTLE_MS - 1);
    recorder.add('f', st);
    expect(recorder.snapshot()).toBeUndefined();
    // The same with a shorter settle time (tests use 0): then only "not before the walk" counts.
    const quick = new FolderRecorder('q', st.ctimeMs, 0);
    quick.add('f', st);
    expect(quick.snapshot()).toBeUndefined();
  });

  it('grows past its first allocation', () => {
    const recorder = new FolderRecorder('q', st.ctimeMs + SETTLE_MS + 1);
    for (let k = 0; k < 200; k++) recorder.add(`d${k}`, st);
    const snapshot = recorder.snapshot();
    expect(snapshot?.paths).toHaveLength(200);
    expect(snapshot?.stamps[199 * 4 + 1]).toBe(st.ino);
  });
});

describe('snapshot check', () => {
  it('holds while every folder keeps its stamp, and not once one is gone or changed', () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    const stamp = (p: string) => {
      const s = statSync(p);
      return [s.dev, s.ino, s.mtimeMs, s.ctimeMs];
    };
    const snapshot = {
      fingerprint: 'q',
      paths: ['', 'sub'],
      stamps: Float64Array.from([...stamp(root), ...stamp(path.join(root, 'sub'))]),
    };
    expect(snapshotHolds(root, snapshot)).toBe(true);
    expect(snapshotHolds(root, { ...snapshot, paths: [] })).toBe(false); // nothing to vouch for the list
    const moved = { ...snapshot, stamps: snapshot.stamps.slice() };
    moved.stamps[6] = (moved.stamps[6] as number) - 1; // sub's mtime
    expect(snapshotHolds(root, moved)).toBe(false);
    rmSync(path.join(root, 'sub'), { recursive: true });
    expect(snapshotHolds(root, snapshot)).toBe(false);
  });
});
