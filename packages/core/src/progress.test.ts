import { describe, it, expect } from 'vitest';
import { Progress } from './progress.ts';
import { parseDuration, formatDuration } from './duration.ts';
import { nearest, listNames, formatBytes } from './text.ts';
import { isInside, resolveInside } from './safe-path.ts';

describe('Progress', () => {
  it('throttles lines and reports rate and ETA', () => {
    let now = 0;
    const lines: string[] = [];
    const p = new Progress({
      label: 'hashing',
      unit: 'files',
      totalBytes: 4096,
      intervalMs: 1000,
      now: () => now,
      write: (l) => lines.push(l),
    });
    now = 500;
    p.add(1, 1024);
    expect(lines).toEqual([]);
    now = 1000;
    p.add(1, 1024);
    expect(lines).toEqual(['hashing: 2 files, 2.0 KiB, 2.0 KiB/s, ETA 1s']);
    now = 2000;
    p.add(2, 2048);
    expect(p.done()).toBe('hashing: 4 files, 4.0 KiB, 2.0 KiB/s, in 2s');
  });
});

describe('small helpers', () => {
  it('parses and formats durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration('1h 30m')).toBe(5_400_000);
    expect(parseDuration('12')).toBe(12_000);
    expect(parseDuration('5 parsecs')).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it('suggests near names and lists names', () => {
    expect(nearest('champoin', ['champion', 'challenger', 'staging'])).toEqual(['champion']);
    expect(listNames(['a', 'b', 'c'])).toBe("'a', 'b' and 'c'");
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });

  it('keeps paths inside their root', () => {
    expect(isInside('/data', 'a/b.csv')).toBe(true);
    expect(isInside('/data', '../etc/passwd')).toBe(false);
    expect(isInside('/data', 'a/../../x')).toBe(false);
    expect(isInside('/data', '/etc/passwd')).toBe(false);
    expect(isInside('/data', 'C:\\x')).toBe(false);
    expect(() => resolveInside('/data', '..\\..\\x', { source: 'manifest' })).toThrow(
      /manifest holds the path/,
    );
  });
});
