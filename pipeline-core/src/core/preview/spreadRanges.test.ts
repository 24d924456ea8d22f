import { describe, expect, it } from 'vitest';
import { countLines, splitAtGroups, spreadRanges, wholeLines } from './spreadRanges.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('spreadRanges', () => {
  it('reads the whole file when the budget covers it', () => {
    expect(spreadRanges(100, 100, 4)).toEqual([{ start: 0, end: 100 }]);
    expect(spreadRanges(0, 10, 4)).toEqual([]);
  });
  it('spreads equal windows from the first unit to the last', () => {
    // 4 windows of 10 over 100 units: starts at 0, 30, 60, 90 (step (100-10)/3 = 30)
    expect(spreadRanges(100, 40, 4)).toEqual([
      { start: 0, end: 10 },
      { start: 30, end: 40 },
      { start: 60, end: 70 },
      { start: 90, end: 100 },
    ]);
  });
  it('never overlaps windows, even when the budget is nearly the whole', () => {
    const r = spreadRanges(1001, 1000, 8);
    for (let i = 1; i < r.length; i++) expect(r[i]!.start).toBeGreaterThanOrEqual(r[i - 1]!.end);
    expect(r.reduce((n, x) => n + x.end - x.start, 0)).toBe(1000);
  });
});

describe('splitAtGroups', () => {
  it('cuts ranges at row-group boundaries', () => {
    const groups = [
      { start: 0, end: 50 },
      { start: 50, end: 100 },
    ];
    expect(splitAtGroups([{ start: 40, end: 60 }, { start: 90, end: 95 }], groups)).toEqual([
      { start: 40, end: 50 },
      { start: 50, end: 60 },
      { start: 90, end: 95 },
    ]);
  });
});

describe('wholeLines', () => {
  it('drops the partial first and last lines of a window inside the file', () => {
    expect(text(wholeLines(bytes('c,d\ne,f\ng,'), false, false))).toBe('e,f\n');
  });
  it('keeps the start of the file and the end of the file', () => {
    expect(text(wholeLines(bytes('a,b\nc,'), true, false))).toBe('a,b\n');
    expect(text(wholeLines(bytes('b\nc,d'), false, true))).toBe('c,d');
  });
  it('gives nothing for a window inside one long line', () => {
    expect(wholeLines(bytes('abcdef'), false, false).length).toBe(0);
  });
});

describe('countLines', () => {
  it('counts a last line without a break', () => {
    expect(countLines(bytes('a\nb\nc'))).toBe(3);
    expect(countLines(bytes('a\nb\n'))).toBe(2);
    expect(countLines(bytes(''))).toBe(0);
  });
});
