import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../../node/duckdb/nodeEngine.js';
import { localToUtcMicros, localToUtcMs, localToUtcMsExact } from './localToUtc.js';

const utc = (s: string) => Date.parse(`${s}Z`);
const local = (s: string, zone: string) => new Date(localToUtcMs(utc(s), zone)).toISOString().replace('.000Z', 'Z');

describe('localToUtc (hand-checked against the zones’ published rules)', () => {
  it('uses standard and summer offsets', () => {
    expect(local('2026-11-24T10:00:00', 'Europe/Berlin')).toBe('2026-11-24T09:00:00Z'); // CET +1
    expect(local('2026-07-01T10:00:00', 'Europe/Berlin')).toBe('2026-07-01T08:00:00Z'); // CEST +2
    expect(local('2026-07-01T10:00:00', 'America/New_York')).toBe('2026-07-01T14:00:00Z'); // EDT -4
    expect(local('2026-07-01T10:00:00', 'Asia/Kolkata')).toBe('2026-07-01T04:30:00Z'); // +5:30, no DST
    expect(local('2026-07-01T10:00:00', 'UTC')).toBe('2026-07-01T10:00:00Z');
  });
  it('reads a time in a spring-forward gap with the offset before the transition', () => {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist
    expect(local('2026-03-29T02:30:00', 'Europe/Berlin')).toBe('2026-03-29T01:30:00Z');
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT
    expect(local('2026-03-08T02:30:00', 'America/New_York')).toBe('2026-03-08T07:30:00Z');
  });
  it('reads a time in a fall-back overlap as the later instant (standard time)', () => {
    // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice (00:30Z and 01:30Z)
    expect(local('2026-10-25T02:30:00', 'Europe/Berlin')).toBe('2026-10-25T01:30:00Z');
    expect(local('2026-11-01T01:30:00', 'America/New_York')).toBe('2026-11-01T06:30:00Z');
  });
  it('keeps microseconds', () => {
    const wall = utc('2026-11-24T10:00:00') * 1000 + 123_456;
    expect(localToUtcMicros(wall, 'Europe/Berlin')).toBe((utc('2026-11-24T09:00:00')) * 1000 + 123_456);
  });
});

describe('localToUtc agrees with native DuckDB (ICU) around every 2026 transition', () => {
  let engine: NodeDuckdbEngine;
  beforeAll(async () => {
    engine = await NodeDuckdbEngine.open();
  });
  afterAll(() => engine.close());

  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'Europe/London'])('%s', async (zone) => {
    // every 15 minutes of the days around the transitions, plus each hour of the year
    const rows = await engine.query(`
      SELECT CAST(ts AS VARCHAR) AS wall, CAST(bb_local_to_utc(ts, '${zone}') AS VARCHAR) AS utc FROM (
        SELECT unnest(range(TIMESTAMP '2026-01-01', TIMESTAMP '2027-01-01', INTERVAL 1 HOUR)) AS ts
        UNION ALL SELECT unnest(range(TIMESTAMP '2026-03-07', TIMESTAMP '2026-04-06', INTERVAL 15 MINUTE))
        UNION ALL SELECT unnest(range(TIMESTAMP '2026-10-03', TIMESTAMP '2026-11-03', INTERVAL 15 MINUTE)))`);
    const mismatches = rows.filter((r) => {
      const ours = new Date(localToUtcMs(Date.parse(`${String(r['wall']).replace(' ', 'T')}Z`), zone)).toISOString().slice(0, 19).replace('T', ' ');
      return ours !== r['utc'];
    });
    expect(rows.length).toBeGreaterThan(8000);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('localToUtc: the per-hour shortcut gives what the exact reading gives', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Apia', 'Europe/Dublin'])('%s, random wall times over 1890–2040 and dense around transitions', (zone) => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1890, 0, 1);
    const span = Date.UTC(2040, 0, 1) - from;
    const walls = Array.from({ length: 3000 }, () => from + Math.floor(rand() * span));
    // every 10 minutes (plus a few odd seconds) of the months of 2026's and 1996's transitions
    for (const start of [Date.UTC(2026, 2, 1), Date.UTC(2026, 9, 1), Date.UTC(1996, 2, 1), Date.UTC(1996, 9, 1), Date.UTC(2011, 11, 25)])
      for (let t = start; t < start + 40 * 86_400_000; t += 600_000) walls.push(t, t + 1_234);
    const differ = walls.filter((w) => localToUtcMs(w, zone) !== localToUtcMsExact(w, zone));
    expect(differ.map((w) => new Date(w).toISOString())).toEqual([]);
  });
});
