import { describe, expect, it } from 'vitest';
import { partitionCount, partitionDates, partitionParams, PartitionError } from './partitions.js';

describe('backfill partitions', () => {
  it('counts five years of days: 5 x 365 + 1 leap day (2024)', () => {
    expect(partitionCount('2021-01-01', '2025-12-31', 'day')).toBe(1826);
    const days = [...partitionDates('2024-02-27', '2024-03-02', 'day')];
    expect(days).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  it('gives the first of each month inside the range, across a year end', () => {
    expect(partitionCount('2021-01-01', '2025-12-31', 'month')).toBe(60);
    expect([...partitionDates('2023-11-15', '2024-02-01', 'month')]).toEqual(['2023-12-01', '2024-01-01', '2024-02-01']);
  });

  it('refuses bad dates and reversed ranges with the option named', () => {
    expect(() => partitionCount('2021-02-30', '2021-03-01', 'day')).toThrow(PartitionError);
    expect(() => partitionCount('2021-01-01', '2021-13-01', 'day')).toThrow(/--to '2021-13-01' is not a date/);
    expect(() => partitionCount('2021-03-01', '2021-01-01', 'day')).toThrow(/--from 2021-03-01 is after --to 2021-01-01/);
  });

  it('fills {date}, {month} and {year} into parameter values', () => {
    expect(partitionParams({ months: '{month}', tag: 'y{year}-{date}', keep: 'plain' }, '2024-11-01')).toEqual({ months: '2024-11', tag: 'y2024-2024-11-01', keep: 'plain' });
  });
});
