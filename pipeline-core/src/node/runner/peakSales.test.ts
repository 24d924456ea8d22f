import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySample, removeDir, runProject } from '../testing/fixtures.js';
import type { RunReport } from './report.js';

/**
 * peak-sales on its peak day and three normal days with defects. Expected counts: the per-day
 * table of samples/peak-sales/README.md, which the generator's design fixes for any seed
 * (N orders, cancelled = floor(N/16), duplicates = floor(N/50), null keys = max(1, round(N/300)), …).
 */
const DAYS = {
  '2026-11-19': { lines: 316, ragged: 0, orders: 309, paid: 290, settlements: 291, orphans: 1, refunds: 7 },
  '2026-11-23': { lines: 286, ragged: 1, orders: 279, paid: 262, settlements: 262, orphans: 0, refunds: 6 },
  '2026-11-27': { lines: 921, ragged: 0, orders: 900, paid: 844, settlements: 846, orphans: 2, refunds: 22 },
  '2026-11-28': { lines: 359, ragged: 0, orders: 351, paid: 330, settlements: 330, orphans: 0, refunds: 9 },
} as const;

let dir: string;
const reports = new Map<string, RunReport>();
beforeAll(async () => {
  dir = await copySample('peak-sales');
  for (const day of Object.keys(DAYS)) reports.set(day, await runProject(dir, { run_date: day }));
}, 180_000);
afterAll(() => removeDir(dir));

const stage = (r: RunReport, name: string) => r.stages.find((s) => s.name === name)!;

describe('peak-sales', () => {
  for (const [day, want] of Object.entries(DAYS)) {
    it(`${day}: every line accounted for`, () => {
      const r = reports.get(day)!;
      expect(r.error).toBeUndefined();
      expect(stage(r, 'raw_orders')).toMatchObject({ rows_in: want.lines, rejected: want.ragged });
      expect(stage(r, 'clean_orders').rows_out).toBe(want.orders);
      expect(stage(r, 'paid_orders').rows_out).toBe(want.paid);
      expect(stage(r, 'raw_settlements').rows_out).toBe(want.settlements);
      expect(stage(r, 'checked_settlements').rejected).toBe(want.orphans);
      expect(stage(r, 'raw_refunds').rows_out).toBe(want.refunds);
    });
  }

  it('the peak day carries three times the median normal day', () => {
    expect(stage(reports.get('2026-11-27')!, 'clean_orders').rows_out).toBe(3 * 300);
  });

  it('Black Friday: M001 settled 0.10 short, the run fails (exit 3); the normal days pass', () => {
    const bf = reports.get('2026-11-27')!;
    expect(bf.exit_code).toBe(3);
    const rule = bf.rules.find((r) => r.name === 'settled_matches_sold')!;
    expect(rule.samples).toEqual([expect.objectContaining({ merchant_id: 'M001', difference: 0.1 })]);
    for (const day of ['2026-11-19', '2026-11-23', '2026-11-28']) expect(reports.get(day)!.exit_code).toBe(0);
  });
});
