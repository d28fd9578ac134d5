import { describe, it, expect } from 'vitest';
import { createPathFilter, globBase, normalizeRelative } from './globs.ts';

describe('createPathFilter (list semantics)', () => {
  it('applies includes then excludes in order, not "any pattern matches"', () => {
    const filter = createPathFilter(['src/**', '!src/x/**']);
    expect(filter.matches('src/a.py')).toBe(true);
    expect(filter.matches('src/x/b.py')).toBe(false);
    expect(filter.matches('other/c.py')).toBe(false);
  });

  it('lets a later pattern include again', () => {
    const filter = createPathFilter(['data/**', '!data/tmp/**', 'data/tmp/keep.csv']);
    expect(filter.matches('data/tmp/keep.csv')).toBe(true);
    expect(filter.matches('data/tmp/drop.csv')).toBe(false);
  });

  it('applies extra excludes last, matches folders as prefixes, dotfiles and ./ paths', () => {
    const filter = createPathFilter(['data', 'conf/*.yml'], ['**/*.tmp']);
    expect(filter.matches('data/a/b.csv')).toBe(true);
    expect(filter.matches('./data/.hidden')).toBe(true);
    expect(filter.matches('data/a/b.tmp')).toBe(false);
    expect(filter.matches('conf/train.yml')).toBe(true);
    expect(filter.matches('conf/sub/train.yml')).toBe(false);
  });

  it('finds the static base of a glob', () => {
    expect(globBase('data/**/*.csv')).toBe('data');
    expect(globBase('*.csv')).toBe('.');
    expect(globBase('data/train')).toBe('data/train');
    expect(normalizeRelative('.\\data\\x')).toBe('data/x');
  });
});
