import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySample, readRows, removeDir, runProject } from '../testing/fixtures.js';
import type { RunReport } from './report.js';

/**
 * The nightly-reconciliation sample end to end. Every expected number here is the hand
 * derivation in samples/nightly-reconciliation/README.md ("Expected results"), not program output.
 */
let dir: string;
let day1: RunReport;
let day2: RunReport;

beforeAll(async () => {
  dir = await copySample('nightly-reconciliation');
  day1 = await runProject(dir, { run_date: '2026-11-24' });
  day2 = await runProject(dir, { run_date: '2026-11-25' });
});
afterAll(() => removeDir(dir));

const stage = (r: RunReport, name: string) => r.stages.find((s) => s.name === name)!;
const rule = (r: RunReport, st: string, name: string) => r.rules.find((x) => x.stage === st && x.name === name)!;

describe('nightly-reconciliation, day 1 (2026-11-24)', () => {
  it('succeeds and publishes', () => {
    expect(day1.error).toBeUndefined();
    expect(day1.exit_code).toBe(0);
    expect(day1.status).toBe('succeeded');
    expect(day1.published).toBe(true);
  });

  it('accounts for every POS line: 45 = 1 ragged + 1 null key + 3 duplicates + 40 orders', () => {
    expect(stage(day1, 'raw_orders')).toMatchObject({ rows_in: 45, rows_out: 44, rejected: 1 });
    expect(stage(day1, 'clean_orders')).toMatchObject({ rows_in: 44, rows_out: 40, rejected: 4 });
    expect(stage(day1, 'paid_orders')).toMatchObject({ rows_in: 40, rows_out: 35, filtered: 5 });
    expect(rule(day1, 'checked_orders', 'conservation')).toMatchObject({ status: 'pass' });
  });

  it('rejects the ragged footer with its line number, the null key and the duplicates with their rows', async () => {
    const raw = await readRows(join(dir, 'lake/rejects/2026-11-24/raw_orders.parquet'));
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({ source_line: '46', raw_line: 'TOTAL,,,,,,,44,3906.50', source_file: 'raw/pos_orders/2026-11-24/pos/orders_2026-11-24.csv' });
    expect(String(raw[0]!['reject_reason'])).toMatch(/^line 46: .*Columns/);

    const clean = await readRows(join(dir, 'lake/rejects/2026-11-24/clean_orders.parquet'), 'source_row');
    // the README lists lines: null key line 28, stale duplicates at lines 13 (012),
    // 19 (018, the stale 32.60) and 45 (027, the stale 'paid')
    expect(clean.map((r) => [Number(r['source_line']), r['order_id'], String(r['reject_reason']).split(' ')[0]])).toEqual([
      [13, 'ORD-1124-012', 'duplicate'],
      [19, 'ORD-1124-018', 'duplicate'],
      [28, null, 'filter'],
      [45, 'ORD-1124-027', 'duplicate'],
    ]);
    expect(clean.find((r) => r['order_id'] === 'ORD-1124-018')!['amount']).toBe('32.60');
  });

  it('quarantines the orphan payment and keeps going', async () => {
    expect(rule(day1, 'checked_settlements', 'orphan_payment')).toMatchObject({ status: 'fail', failing: 1, severity: 'warn', action: 'reject' });
    const rejects = await readRows(join(dir, 'lake/rejects/2026-11-24/checked_settlements.parquet'));
    expect(rejects.map((r) => [r['settlement_id'], r['order_id'], r['amount'], r['source_row']])).toEqual([['STL-20261124-0023', 'ORD-1124-047', '27.80', '23']]);
  });

  it('reconciles every merchant to the cent', async () => {
    expect(rule(day1, 'reconciliation', 'settled_matches_sold')).toMatchObject({ status: 'pass', failing: 0 });
    const totals = await readRows(join(dir, 'lake/curated/merchant_daily/*/*.parquet'), 'merchant_id');
    expect(totals.map((r) => [r['merchant_id'], Number(r['orders']), r['sold'], r['settled']])).toEqual([
      ['M001', 9, '1520.08', '1520.08'],
      ['M002', 12, '481.75', '481.75'],
      ['M003', 7, '1281.44', '1281.44'],
      ['M004', 7, '290.43', '290.43'],
    ]);
  });

  it('keeps the business day of an order placed just after local midnight (UTC date is the day before)', async () => {
    const orders = await readRows(join(dir, 'lake/curated/reconciled_orders/*/*.parquet'), 'order_id');
    const first = orders.find((r) => r['order_id'] === 'ORD-1124-001')!;
    expect(first['business_date']).toBe('2026-11-24');
    expect(first['ordered_at']).toBe('2026-11-23 23:07:12'); // 00:07:12 Berlin (UTC+1)
    expect(orders).toHaveLength(35);
  });
});

describe('nightly-reconciliation, day 2 (2026-11-25)', () => {
  it('fails with exit 3 and does not publish', () => {
    expect(day2.error).toBeUndefined();
    expect(day2.exit_code).toBe(3);
    expect(day2.status).toBe('failed');
    expect(day2.published).toBe(false);
    expect(day2.outputs).toEqual([]);
  });

  it('names the mismatching group with both values and the difference: M003 is 0.03 short', () => {
    const r = rule(day2, 'reconciliation', 'settled_matches_sold');
    expect(r).toMatchObject({ status: 'fail', failing: 1, severity: 'error', action: 'fail' });
    expect(r.samples).toEqual([{ merchant_id: 'M003', left_value: 462.97, right_value: 462.94, difference: 0.03 }]);
  });

  it('accounts for day 2: 41 = 0 ragged + 1 null key + 2 duplicates + 38 orders, and the refund without an order', () => {
    expect(stage(day2, 'raw_orders')).toMatchObject({ rows_in: 41, rows_out: 41, rejected: 0 });
    expect(stage(day2, 'clean_orders')).toMatchObject({ rows_out: 38, rejected: 3 });
    expect(stage(day2, 'paid_orders')).toMatchObject({ rows_out: 35 });
    expect(rule(day2, 'checked_refunds', 'refund_without_order')).toMatchObject({ status: 'fail', failing: 1 });
    expect(rule(day2, 'checked_refunds', 'refund_without_order').samples[0]).toMatchObject({ refund_id: 'RF-20261125-003', order_id: 'ORD-1125-041' });
  });

  it('still writes the day-2 rejects and the report, and leaves day 1 curated data alone', async () => {
    expect(day2.rejects.map((r) => r.stage).sort()).toEqual(['checked_refunds', 'clean_orders']);
    const totals = await readRows(join(dir, 'lake/curated/merchant_daily/*/*.parquet'));
    expect(totals.every((r) => r['business_date'] === '2026-11-24')).toBe(true);
  });
});
