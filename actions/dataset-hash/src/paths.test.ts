import { describe, expect, it } from 'vitest';
import { compareCodePoints, manifestPathProblem, sortByCodePoint, toNfc, topLevel } from './paths.ts';

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
  ])('rejects %j', (p, why) => {
    expect(manifestPathProblem(p)).toContain(why);
  });

  it('accepts plain relative paths', () => {
    expect(manifestPathProblem('train/img 01.png')).toBeUndefined();
    expect(manifestPathProblem(toNfc('caf\u0065\u0301/x'))).toBeUndefined();
    expect(topLevel('train/a/b')).toBe('train');
    expect(topLevel('README')).toBe('README');
  });
});
