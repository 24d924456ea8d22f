// samples/peak-sales: 14 business days (2026-11-16 .. 2026-11-29) of an eight-merchant shop in
// the three raw shapes of nightly-reconciliation, with Black Friday (2026-11-27) at 3x volume.
//
// Design (every count below is fixed by the design, independent of the seed; the seed only
// decides which orders, times, amounts and spellings). With N = orders of the day:
//   N                  = DAY_ORDERS[weekday] x scale; Black Friday = 900 x scale
//   cancelled orders   = floor(N / 16)               PAID orders = N - floor(N / 16)
//   duplicate rows     = floor(N / 50)  (extra CSV rows; kinds rotate: same values re-exported,
//                        amount corrected, PAID -> CANCELLED)
//   null-key rows      = max(1, round(N / 300))
//   ragged footer line = 2026-11-23 only (`TOTAL,,,,,,,<rows>,<gross sum>`: 9 fields, last line)
//   orphan settlements = 1 on 2026-11-19, 2 on 2026-11-27
//   short settlements  = 1 on 2026-11-27 (10 cents short)
//   refunds            = floor(N / 40), plus 1 orphan refund (order matches nothing) on 2026-11-28
//   CSV data lines     = N + duplicates + null keys (+1 footer on 2026-11-23)
//   settlement lines   = PAID + orphan settlements

import { join } from 'node:path';
import { Prng } from './prng.js';
import {
  addSeconds, centsToDecimal, epochToUtcIso, localToEpoch, pspFeeCents, renderOrdersCsv, renderSettlementsNdjson,
  writeFileAtomic, writeRefundsParquet,
  type OrderRow, type Refund, type Settlement,
} from './retail.js';

export const PEAK_FIRST_DAY = '2026-11-16';
export const PEAK_DAYS = 14;
export const PEAK_DAY = '2026-11-27';
/** Orders per normal day at scale 1, by ISO weekday (Mon..Sun). Median over the 13 normal days = 300. */
export const DAY_ORDERS: Readonly<Record<string, number>> = { Mon: 279, Tue: 291, Wed: 300, Thu: 309, Fri: 330, Sat: 351, Sun: 249 };
export const PEAK_ORDERS = 900;
const FOOTER_DAY = '2026-11-23';
const ORPHAN_SETTLEMENTS: Readonly<Record<string, number>> = { '2026-11-19': 1, '2026-11-27': 2 };
const SHORT_SETTLEMENTS: Readonly<Record<string, number>> = { '2026-11-27': 1 };
const SHORT_BY_CENTS = 10;
const ORPHAN_REFUND_DAY = '2026-11-28';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MERCHANTS = ['M001', 'M002', 'M003', 'M004', 'M005', 'M006', 'M007', 'M008'];
const MERCHANT_WEIGHTS = [22, 18, 15, 12, 10, 9, 8, 6];
/** Local (Berlin) hour-of-day weights: an online + in-store shop, quiet at night. */
const HOUR_WEIGHTS = [2, 1, 0, 0, 0, 0, 1, 4, 6, 8, 10, 12, 14, 13, 11, 11, 12, 14, 15, 14, 12, 9, 6, 4];
const PRICE_POINTS = [350, 490, 790, 999, 1250, 1490, 1999, 2490, 2990, 3990, 4990, 5900, 7900, 9900, 12900, 14900, 19900];
const PRICE_WEIGHTS = [6, 8, 10, 12, 10, 10, 9, 8, 7, 5, 4, 3, 3, 2, 1, 1, 1];
const BIG_TICKETS = [104900, 123450, 129900, 189990, 219900];
const REFUND_REASONS = ['customer return', 'damaged item', 'price adjustment', 'goodwill', 'late delivery'];

export interface PeakDay {
  date: string;
  weekday: string;
  orders: number;
  cancelled: number;
  paid: number;
  duplicates: number;
  nullKeys: number;
  footer: boolean;
  csvDataLines: number;
  orphanSettlements: number;
  shortSettlements: number;
  settlementLines: number;
  refunds: number;
}

function isoDate(dayOffset: number): string {
  return new Date(Date.UTC(2026, 10, 16 + dayOffset)).toISOString().slice(0, 10);
}

/** The per-day counts stated by the design (see the header comment). */
export function peakSalesPlan(scale = 1): PeakDay[] {
  const days: PeakDay[] = [];
  for (let k = 0; k < PEAK_DAYS; k++) {
    const date = isoDate(k);
    const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] as string;
    const orders = (date === PEAK_DAY ? PEAK_ORDERS : (DAY_ORDERS[weekday] as number)) * scale;
    const cancelled = Math.floor(orders / 16);
    const duplicates = Math.floor(orders / 50);
    const nullKeys = Math.max(1, Math.round(orders / 300));
    const footer = date === FOOTER_DAY;
    const orphanSettlements = ORPHAN_SETTLEMENTS[date] ?? 0;
    days.push({
      date, weekday, orders, cancelled, paid: orders - cancelled, duplicates, nullKeys, footer,
      csvDataLines: orders + duplicates + nullKeys + (footer ? 1 : 0),
      orphanSettlements, shortSettlements: SHORT_SETTLEMENTS[date] ?? 0,
      settlementLines: orders - cancelled + orphanSettlements,
      refunds: Math.floor(orders / 40) + (date === ORPHAN_REFUND_DAY ? 1 : 0),
    });
  }
  return days;
}

function randomFlags(rng: Prng): string {
  let f = '';
  if (rng.chance(30, 100)) f += 'n';
  if (rng.chance(3, 100)) f += 'l'; else if (rng.chance(2, 100)) f += 's';
  if (rng.chance(1, 100)) f += rng.chance(1, 2) ? 'w' : 'W';
  if (rng.chance(5, 100)) f += 'e';
  if (rng.chance(5, 100)) f += 'u'; else if (rng.chance(3, 100)) f += 'y';
  if (rng.chance(3, 100)) f += 'p'; else if (rng.chance(3, 100)) f += 't';
  if (rng.chance(10, 100)) f += 'z';
  if (rng.chance(3, 100)) f += 'r'; else if (rng.chance(2, 100)) f += 'R';
  return f;
}

function randomAmount(rng: Prng): number {
  if (rng.chance(1, 200)) return rng.pick(BIG_TICKETS);
  const items = 1 + rng.weighted([55, 25, 12, 8]);
  let cents = 0;
  for (let i = 0; i < items; i++) cents += PRICE_POINTS[rng.weighted(PRICE_WEIGHTS)] as number;
  return cents;
}

function randomLocalTime(rng: Prng, date: string): string {
  const h = rng.weighted(HOUR_WEIGHTS);
  const s = rng.int(3600);
  return `${date} ${String(h).padStart(2, '0')}:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function gross(rows: readonly OrderRow[]): string {
  return centsToDecimal(rows.reduce((a, r) => a + r.cents, 0));
}

interface DayFiles { csv: string; ndjson: string; refunds: Refund[] }

function generateDay(rng: Prng, plan: PeakDay): DayFiles {
  const { date, orders: n } = plan;
  const idPrefix = `ORD-${date.slice(5, 7)}${date.slice(8, 10)}-`;
  const idOf = (i: number): string => `${idPrefix}${String(i).padStart(5, '0')}`;

  // Canonical orders, ids assigned in ordered_at order (a POS export is sorted by time).
  const times = Array.from({ length: n }, () => randomLocalTime(rng, date)).sort();
  const truth: OrderRow[] = times.map((orderedLocal, i) => ({
    orderId: idOf(i + 1),
    merchant: MERCHANTS[rng.weighted(MERCHANT_WEIGHTS)] as string,
    orderedLocal,
    cents: randomAmount(rng),
    status: 'PAID',
    updatedLocal: addSeconds(orderedLocal, rng.between(20, 110)),
    flags: randomFlags(rng),
  }));
  const indices = truth.map((_, i) => i);
  const cancelledIdx = rng.sample(indices, plan.cancelled);
  for (const i of cancelledIdx) (truth[i] as OrderRow).status = 'CANCELLED';
  const paidIdx = indices.filter((i) => truth[i]?.status === 'PAID');

  // File rows start as the truth; duplicates add a second version of an order.
  const rows: OrderRow[] = truth.map((o) => ({ ...o }));
  const kinds = Array.from({ length: plan.duplicates }, (_, j) => j % 3);
  const flipCount = kinds.filter((k) => k === 2).length;
  const dupPaid = rng.sample(paidIdx, plan.duplicates - flipCount);
  const dupFlip = rng.sample(cancelledIdx, flipCount);
  const inserts: Array<{ after: number; row: OrderRow }> = [];
  let p = 0;
  let f = 0;
  for (const kind of kinds) {
    const i = (kind === 2 ? dupFlip[f++] : dupPaid[p++]) as number;
    const t = truth[i] as OrderRow;
    const older: OrderRow = { ...t, flags: randomFlags(rng) };
    const newer: OrderRow = { ...t, updatedLocal: addSeconds(t.updatedLocal, rng.between(60, 3600)), flags: t.flags + (kind === 0 ? 'wW' : '') };
    if (kind === 1) older.cents = t.cents + 100 * rng.between(1, 9); // mistyped, corrected later
    if (kind === 2) older.status = 'PAID';                          // paid, cancelled later
    // Half the time the stale version is written after the newer one.
    const staleLast = rng.chance(1, 2);
    rows[i] = staleLast ? newer : older;
    inserts.push({ after: rng.between(i, n - 1), row: staleLast ? older : newer });
    truth[i] = newer;
  }
  for (let j = 0; j < plan.nullKeys; j++) {
    const orderedLocal = randomLocalTime(rng, date);
    inserts.push({
      after: rng.int(n),
      row: { orderId: '', merchant: MERCHANTS[rng.weighted(MERCHANT_WEIGHTS)] as string, orderedLocal, cents: randomAmount(rng), status: 'PAID', updatedLocal: addSeconds(orderedLocal, 45), flags: randomFlags(rng) },
    });
  }
  // Stable insertion: rows inserted after row `after`, in the order they were drawn.
  const byPos = new Map<number, OrderRow[]>();
  for (const ins of inserts) byPos.set(ins.after, [...(byPos.get(ins.after) ?? []), ins.row]);
  const fileRows: OrderRow[] = [];
  rows.forEach((r, i) => { fileRows.push(r, ...(byPos.get(i) ?? [])); });
  const csv = renderOrdersCsv(fileRows, plan.footer ? `TOTAL,,,,,,,${n + plan.duplicates + plan.nullKeys},${gross(fileRows)}` : undefined);

  // Settlements: one per PAID order (latest version), same amount, except the planned defects.
  const paidTruth = truth.filter((o) => o.status === 'PAID');
  const shortIds = new Set(rng.sample(paidTruth.filter((o) => o.cents > 1000), plan.shortSettlements).map((o) => o.orderId));
  const settlements: Array<Omit<Settlement, 'settlementId'>> = paidTruth.map((o) => {
    const settled = Math.max(localToEpoch(o.orderedLocal) + rng.between(180, 2580) * 1000, localToEpoch(o.updatedLocal) + 60_000);
    const refFlags = o.flags.replace(/[^rR]/g, '');
    return { orderRef: o.orderId, merchant: o.merchant, cents: shortIds.has(o.orderId) ? o.cents - SHORT_BY_CENTS : o.cents, feeCents: pspFeeCents(o.cents), settledUtc: epochToUtcIso(settled), flags: refFlags };
  });
  for (let j = 0; j < plan.orphanSettlements; j++) {
    const cents = randomAmount(rng);
    const local = randomLocalTime(rng, date);
    settlements.push({ orderRef: idOf(n + 17 + 7 * j), merchant: MERCHANTS[rng.weighted(MERCHANT_WEIGHTS)] as string, cents, feeCents: pspFeeCents(cents), settledUtc: epochToUtcIso(localToEpoch(local)), flags: '' });
  }
  settlements.sort((a, b) => a.settledUtc.localeCompare(b.settledUtc) || a.orderRef.localeCompare(b.orderRef));
  const stamp = date.replace(/-/g, '');
  const ndjson = renderSettlementsNdjson(settlements.map((s, i) => ({ ...s, settlementId: `STL-${stamp}-${String(i + 1).padStart(5, '0')}` })));

  // Refunds of PAID orders (full or partial), plus the planned orphan refund.
  const refundOrders = rng.sample(paidTruth, Math.floor(n / 40));
  const refunds: Refund[] = refundOrders.map((o) => ({
    refundId: '',
    orderId: o.orderId,
    cents: rng.chance(1, 2) ? o.cents : Math.max(100, Math.floor((o.cents * rng.between(10, 90)) / 100)),
    refundedUtc: epochToUtcIso(localToEpoch(o.orderedLocal) + rng.between(3600, 8 * 3600) * 1000).replace('T', ' ').replace('Z', ''),
    reason: rng.pick(REFUND_REASONS),
  }));
  if (date === ORPHAN_REFUND_DAY) {
    refunds.push({ refundId: '', orderId: idOf(n + 41), cents: 1500, refundedUtc: `${date} 16:30:00`, reason: 'goodwill' });
  }
  refunds.sort((a, b) => a.refundedUtc.localeCompare(b.refundedUtc) || a.orderId.localeCompare(b.orderId));
  refunds.forEach((r, i) => { r.refundId = `RF-${stamp}-${String(i + 1).padStart(4, '0')}`; });
  return { csv, ndjson, refunds };
}

/** Writes samples/peak-sales/data/** under `sampleDir`; returns the written paths. */
export async function generatePeakSales(sampleDir: string, seed: number, scale: number): Promise<string[]> {
  const written: string[] = [];
  for (const plan of peakSalesPlan(scale)) {
    // One independent stream per day, so a day's files depend only on (seed, date).
    const rng = new Prng((seed ^ Math.imul(Number(plan.date.replace(/-/g, '')), 0x2c1b3c6d)) >>> 0);
    const day = generateDay(rng, plan);
    const pos = join(sampleDir, 'data', 'pos', `orders_${plan.date}.csv`);
    const psp = join(sampleDir, 'data', 'psp', `settlements_${plan.date}.ndjson`);
    const erp = join(sampleDir, 'data', 'erp', `refunds_${plan.date}.parquet`);
    await writeFileAtomic(pos, day.csv);
    await writeFileAtomic(psp, day.ndjson);
    await writeRefundsParquet(erp, day.refunds);
    written.push(pos, psp, erp);
  }
  return written;
}
