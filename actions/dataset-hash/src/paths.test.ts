import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  isStrictlyIncreasing,
  joinedPathsProblem,
  manifestPathProblem,
  manifestPathsSuspect,
  sortByCodePoint,
  toNfc,
  topLevel,
} from './paths.ts';

describe('code-point order', () => {
  it('puts astral characters after U+E000–U+FFFF, unlike UTF-16 order', () => {
    const astral = '\u{1F600}'; // a surrogate pair in UTF-16
    const bmpHigh = '\uFFFD';
    expect(astral < bmpHigh).toBe(true); // what JavaScript's default comparison says
    expect(compareCodePoints(astral, bmpHigh)).toBeGreaterThan(0);
    expect(sortByCodePoint([astral, bmpHigh, 'a'])).toEqual(['a', bmpHigh, astral]);
  });

  it('orders like Python sorted() on str: "." before "/" and prefixes first', () => {
    expect(sortByCodePoint(['a/x', 'a.txt', 'a', 'B', 'a-b/c'])).toEqual(['B', 'a', 'a-b/c', 'a.txt', 'a/x']);
  });
});

describe('manifest paths from outside', () => {
  it.each([
    ['../etc/passwd', 'climbs'],
    ['a/../../b', 'climbs'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['a\\b', 'backslash'],
    ['a//b', 'empty'],
    ['./a', 'empty or "."'],
    ['e\u0301', 'NFC'],
    ['a\ud800', 'lone surrogate'],
    ['\udfffb', 'lone surrogate'],
  ])('rejects %j', (p, why) => {
    expect(manifestPathProblem(p)).toContain(why);
  });

  it.each([
    ['../etc/passwd'],
    ['a/../../b'],
    ['/etc/passwd'],
    ['C:/x'],
    ['a\\b'],
    ['a//b'],
    ['./a'],
    ['a/.'],
    ['a/'],
    [''],
    ['e\u0301'],
    ['nul\0inside'],
    ['lone\ud800'],
    ['\udc00lone'],
  ])('flags a list holding %j as suspect (then checked path by path)', (p) => {
    expect(manifestPathProblem(p)).toBeDefined();
    const paths = ['a/b', p, 'z'];
    expect(manifestPathsSuspect(paths.length, paths.join('\0'))).toBe(true);
  });

  it('passes a list of good paths without a check per path', () => {
    const paths = ['a.b/..c', 'caf\u00e9/x', 'd..e/f', 'xy:z', '\u{1F600}'];
    for (const p of paths) expect(manifestPathProblem(p)).toBeUndefined();
    expect(manifestPathsSuspect(paths.length, paths.join('\0'))).toBe(false);
  });

  it('accepts plain relative paths', () => {
    expect(manifestPathProblem('train/img 01.png')).toBeUndefined();
    expect(manifestPathProblem(toNfc('caf\u0065\u0301/x'))).toBeUndefined();
    expect(topLevel('train/a/b')).toBe('train');
    expect(topLevel('README')).toBe('README');
  });
});

describe('a list of paths from a cache', () => {
  it.each([
    ['a\0b/c\0d', undefined],
    ['a\0.hidden/x\0..x\0x..\0a b', undefined], // dots inside names are fine
    ['', 'an empty path'],
    ['a\0\0b', 'an empty path'],
    ['a\0', 'an empty path'],
    ['a\0/etc/passwd', 'an absolute path'],
    ['../x', 'a "." or ".." segment'],
    ['a\0b/../../x', 'a "." or ".." segment'],
    ['a/./b', 'a "." or ".." segment'],
    ['a/..', 'a "." or ".." segment'],
    ['a//b', 'an empty segment'],
    ['a/\0b', 'an empty segment'],
  ])('%j: %s', (joined, problem) => {
    expect(joinedPathsProblem(joined)).toBe(problem);
  });
});

describe('strict code-point order of a list', () => {
  it('takes the native comparison only when no path holds a surrogate', () => {
    const bmpHigh = '\uFFFD';
    const astral = '\u{1F600}';
    expect(
      isStrictlyIncreasing(['a', 'b/c', bmpHigh, astral], ['a', 'b/c', bmpHigh, astral].join('\0')),
    ).toBe(true);
    expect(isStrictlyIncreasing(['a', astral, bmpHigh], ['a', astral, bmpHigh].join('\0'))).toBe(false); // UTF-16 order
    expect(isStrictlyIncreasing(['a', 'a'], 'a\0a')).toBe(false); // a duplicate
    expect(isStrictlyIncreasing(['b', 'a'])).toBe(false);
    expect(isStrictlyIncreasing([])).toBe(true);
  });
});
