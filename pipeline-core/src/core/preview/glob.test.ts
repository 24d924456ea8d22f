import { describe, expect, it } from 'vitest';
import { globToRegExp, matchFiles } from './glob.js';

describe('matchFiles', () => {
  const files = ['pos/orders_2026-11-24.csv', 'pos/orders_2026-11-25.csv', 'pos/old/orders_2026-01-01.csv', 'psp/settlements_2026-11-24.ndjson', 'pos/orders_2026-11-24.csv.bak'];
  it('matches a literal path', () => expect(matchFiles('pos/orders_2026-11-24.csv', files)).toEqual(['pos/orders_2026-11-24.csv']));
  it('keeps * inside one folder', () => expect(matchFiles('pos/*.csv', files)).toEqual(['pos/orders_2026-11-24.csv', 'pos/orders_2026-11-25.csv']));
  it('lets ** cross folders', () => expect(matchFiles('pos/**/*.csv', files)).toEqual(['pos/old/orders_2026-01-01.csv', 'pos/orders_2026-11-24.csv', 'pos/orders_2026-11-25.csv']));
  it('supports ? [..] and {a,b}', () => {
    expect(matchFiles('pos/orders_2026-11-2?.csv', files)).toHaveLength(2);
    expect(matchFiles('pos/orders_2026-11-2[5].csv', files)).toEqual(['pos/orders_2026-11-25.csv']);
    expect(matchFiles('{pos,psp}/*_2026-11-24.{csv,ndjson}', files)).toEqual(['pos/orders_2026-11-24.csv', 'psp/settlements_2026-11-24.ndjson']);
  });
  it('treats regex characters literally', () => expect(globToRegExp('a+b(1).csv').test('a+b(1).csv')).toBe(true));
});
