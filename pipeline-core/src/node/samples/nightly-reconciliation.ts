// samples/nightly-reconciliation: two hand-crafted business days of a four-merchant shop.
// Every row below is written out by hand, in the order it appears in the raw POS file, with
// the flags that say how it is misspelled (see `Flags` in retail.ts). The expected results
// in samples/nightly-reconciliation/README.md are derived from these tables.
//
// Re-generate (byte-identical to the committed files):
//   node pipeline-core/dist/node/samples/generate.js --sample nightly-reconciliation

import { join } from 'node:path';
import {
  addSeconds, epochToUtcIso, localToEpoch, pspFeeCents, renderOrdersCsv, renderSettlementsNdjson,
  writeFileAtomic, writeRefundsParquet,
  type Flags, type OrderRow, type Refund, type Settlement, type Status,
} from './retail.js';

interface DayPlan {
  date: string;          // business day (Europe/Berlin)
  idPrefix: string;      // ORD-MMDD-
  rows: OrderRow[];      // POS CSV rows, file order
  footer?: string;       // raw line appended after the rows
  /** settlement amount overrides (cents) by order id: the deliberate mismatches */
  settledCents: Record<string, number>;
  /** settled_at overrides (UTC ISO) by order id */
  settledAt: Record<string, string>;
  orphanSettlements: Array<Omit<Settlement, 'settlementId' | 'feeCents'>>;
  refunds: Refund[];
}

// o(id, merchant, HH:MM:SS, cents, status, flags[, updated HH:MM:SS])
// id '' is the null-key row. `updated` defaults to ordered + a few seconds.
function day(date: string, idPrefix: string) {
  return (id: string, merchant: string, time: string, cents: number, status: Status, flags: Flags, updated?: string): OrderRow => {
    const orderedLocal = `${date} ${time}`;
    const [, mm, ss] = time.split(':').map(Number) as [number, number, number];
    return {
      orderId: id === '' ? '' : `${idPrefix}${id}`,
      merchant, orderedLocal, cents, status, flags,
      updatedLocal: updated !== undefined ? `${date} ${updated}` : addSeconds(orderedLocal, 20 + ((mm * 13 + ss * 7) % 90)),
    };
  };
}

const d1 = day('2026-11-24', 'ORD-1124-');
const d2 = day('2026-11-25', 'ORD-1125-');

const DAY1: DayPlan = {
  date: '2026-11-24',
  idPrefix: 'ORD-1124-',
  rows: [
    d1('001', 'M004', '00:07:12', 6940, 'PAID', 'n'),          // just after local midnight: UTC 2026-11-23 23:07:12
    d1('002', 'M004', '07:35:36', 5255, 'PAID', ''),
    d1('003', 'M003', '07:46:33', 2775, 'PAID', 'nl'),
    d1('004', 'M001', '07:59:19', 3549, 'PAID', 'u'),
    d1('005', 'M002', '08:56:42', 1650, 'CANCELLED', ''),
    d1('006', 'M002', '09:18:38', 11270, 'PAID', 'n'),
    d1('007', 'M002', '09:23:02', 6235, 'PAID', 'sr'),
    d1('008', 'M003', '10:28:16', 7940, 'PAID', 'ey'),
    d1('009', 'M002', '11:47:14', 1625, 'PAID', 'np'),
    d1('010', 'M001', '11:55:19', 2150, 'PAID', 'w'),
    d1('011', 'M001', '12:22:51', 3720, 'PAID', 'Wz'),
    d1('012', 'M002', '12:38:28', 5590, 'PAID', 't', '12:38:58'),      // v1 (re-exported below)
    d1('013', 'M004', '12:59:09', 6120, 'PAID', 'nR'),
    d1('014', 'M001', '13:34:41', 3950, 'CANCELLED', ''),
    d1('015', 'M001', '14:06:01', 10500, 'PAID', 'n'),
    d1('016', 'M002', '14:59:41', 1375, 'CANCELLED', ''),
    d1('017', 'M001', '15:04:51', 1460, 'PAID', 'lu'),
    d1('018', 'M002', '15:10:09', 3260, 'PAID', '', '15:10:40'),       // v1: mistyped 32.60
    d1('019', 'M004', '15:22:07', 3920, 'PAID', 'e'),
    d1('020', 'M002', '16:15:36', 1620, 'PAID', 'n'),
    d1('018', 'M002', '15:10:09', 2360, 'PAID', 'z', '15:25:00'),      // v2: corrected 23.60, updated_at in Z (14:25:00Z)
    d1('021', 'M002', '16:18:10', 2110, 'PAID', 'p'),
    d1('022', 'M003', '16:23:43', 104900, 'PAID', 'e'),
    d1('023', 'M002', '16:46:07', 3790, 'PAID', 'nr'),
    d1('024', 'M004', '17:18:28', 1749, 'PAID', 'y'),
    d1('025', 'M002', '17:25:37', 6100, 'PAID', ''),
    d1('', 'M002', '17:27:02', 1890, 'PAID', 'n'),                     // null key
    d1('026', 'M002', '17:31:23', 3430, 'PAID', 't'),
    d1('027', 'M003', '17:56:55', 4100, 'CANCELLED', '', '18:40:00'),  // v2 (truth), written before v1
    d1('028', 'M003', '18:14:42', 7365, 'CANCELLED', 'n'),
    d1('029', 'M004', '18:28:45', 2679, 'PAID', 's'),
    d1('030', 'M001', '18:45:08', 123450, 'PAID', ''),
    d1('031', 'M001', '18:50:51', 1570, 'PAID', 'nz'),
    d1('032', 'M001', '19:03:37', 4440, 'PAID', 'R'),
    d1('033', 'M001', '20:14:23', 1169, 'PAID', 'nu'),
    d1('034', 'M003', '20:35:25', 2710, 'PAID', ''),
    d1('035', 'M003', '20:45:51', 4300, 'PAID', 'l'),
    d1('036', 'M002', '22:18:27', 1670, 'PAID', 'n'),
    d1('037', 'M004', '22:48:46', 2380, 'PAID', 'p'),
    d1('038', 'M003', '23:00:42', 3879, 'PAID', 'ne'),
    d1('039', 'M003', '23:28:31', 1640, 'PAID', ''),
    d1('040', 'M002', '23:40:57', 2375, 'PAID', 'n'),
    d1('012', 'M002', '12:38:28', 5590, 'PAID', 'wW', '12:41:10'),     // v2: same values, padded id
    d1('027', 'M003', '17:56:55', 4100, 'PAID', 'p', '17:57:30'),      // v1: stale PAID, written after v2
  ],
  // POS footer: 9 fields (row count, gross sum of all 44 rows). Its extra fields are non-empty on
  // purpose: DuckDB silently accepts extra *empty* trailing fields (`TOTAL,,,,,,,,` would pass).
  footer: 'TOTAL,,,,,,,44,3906.50',
  settledCents: {},
  settledAt: { 'ORD-1124-018': '2026-11-24T14:31:12Z' },
  orphanSettlements: [
    { orderRef: 'ORD-1124-047', merchant: 'M002', cents: 2780, settledUtc: '2026-11-24T16:52:00Z', flags: '' },
  ],
  refunds: [
    { refundId: 'RF-20261124-001', orderId: 'ORD-1124-006', cents: 2000, refundedUtc: '2026-11-24 15:02:11', reason: 'damaged item' },
    { refundId: 'RF-20261124-002', orderId: 'ORD-1124-033', cents: 1169, refundedUtc: '2026-11-24 21:40:00', reason: 'customer return' },
  ],
};

const DAY2: DayPlan = {
  date: '2026-11-25',
  idPrefix: 'ORD-1125-',
  rows: [
    d2('001', 'M004', '00:21:40', 4030, 'PAID', ''),           // just after local midnight: UTC 2026-11-24 23:21:40
    d2('002', 'M001', '07:54:15', 1105, 'CANCELLED', 'n'),
    d2('003', 'M004', '08:11:49', 3809, 'PAID', 'l'),
    d2('004', 'M002', '09:52:59', 2359, 'PAID', 'nu'),
    d2('005', 'M003', '09:59:17', 570, 'PAID', 'e'),
    d2('006', 'M003', '10:03:10', 7330, 'PAID', 'nR'),
    d2('007', 'M003', '10:06:26', 1079, 'PAID', 't'),
    d2('008', 'M002', '10:30:10', 760, 'PAID', 'ny'),
    d2('009', 'M001', '10:37:07', 1370, 'PAID', 'p', '10:37:40'),      // v1
    d2('010', 'M003', '10:57:40', 2639, 'PAID', 's'),
    d2('009', 'M001', '10:37:07', 1370, 'CANCELLED', '', '11:02:15'),  // v2 (truth): cancelled
    d2('011', 'M004', '11:58:22', 1210, 'PAID', 'nz'),
    d2('', 'M003', '12:05:33', 990, 'PAID', 'ep'),                     // null key
    d2('012', 'M001', '13:22:53', 1459, 'PAID', 'w'),
    d2('013', 'M001', '13:39:02', 3510, 'PAID', 'n'),
    d2('014', 'M001', '14:31:26', 3335, 'PAID', 'r'),
    d2('015', 'M004', '14:59:25', 555, 'PAID', 'nl'),
    d2('016', 'M001', '15:14:47', 1290, 'CANCELLED', ''),
    d2('017', 'M002', '15:34:42', 189990, 'PAID', 'n'),
    d2('018', 'M003', '15:50:09', 1160, 'PAID', 'u'),
    d2('019', 'M001', '16:19:41', 4035, 'PAID', 'W'),
    d2('020', 'M002', '16:28:04', 2890, 'PAID', 'nt'),
    d2('021', 'M003', '17:18:23', 4090, 'PAID', 'z'),
    d2('022', 'M001', '17:22:01', 1690, 'PAID', 'ne'),
    d2('023', 'M002', '17:45:48', 1995, 'PAID', 'y'),
    d2('024', 'M003', '18:20:00', 1930, 'PAID', 'n'),
    d2('025', 'M003', '19:17:46', 1950, 'PAID', 's'),
    d2('026', 'M002', '19:29:41', 400, 'PAID', 'nr'),
    d2('027', 'M003', '19:31:52', 2390, 'PAID', 'p'),
    d2('028', 'M003', '19:41:06', 1059, 'PAID', 'n'),
    d2('029', 'M003', '20:03:20', 6165, 'PAID', ''),           // settled 3 cents short
    d2('030', 'M004', '20:45:34', 2049, 'PAID', 'n', '20:52:10'),      // v2 (truth) written before v1
    d2('030', 'M004', '20:45:34', 2409, 'PAID', 'n', '20:46:05'),      // v1: digits swapped
    d2('031', 'M003', '21:17:15', 1460, 'PAID', 'l'),
    d2('032', 'M002', '21:29:02', 1750, 'PAID', 'n'),
    d2('033', 'M003', '21:43:19', 1155, 'PAID', 'eu'),
    d2('034', 'M003', '22:10:39', 5660, 'PAID', 'n'),
    d2('035', 'M003', '22:34:25', 4465, 'PAID', 'R'),
    d2('036', 'M002', '22:53:06', 3410, 'PAID', 'nz'),
    d2('037', 'M001', '23:30:15', 410, 'PAID', 't'),
    d2('038', 'M003', '23:32:18', 3195, 'PAID', 'n'),
  ],
  settledCents: { 'ORD-1125-029': 6162 },
  settledAt: { 'ORD-1125-030': '2026-11-25T19:58:47Z' },
  orphanSettlements: [],
  refunds: [
    { refundId: 'RF-20261125-001', orderId: 'ORD-1125-014', cents: 3335, refundedUtc: '2026-11-25 16:05:43', reason: 'customer return' },
    { refundId: 'RF-20261125-002', orderId: 'ORD-1125-017', cents: 10000, refundedUtc: '2026-11-25 17:12:09', reason: 'price adjustment' },
    { refundId: 'RF-20261125-003', orderId: 'ORD-1125-041', cents: 1500, refundedUtc: '2026-11-25 18:30:00', reason: 'goodwill' },
  ],
};

/** Latest version of each order (by updated_at instant), null key excluded. */
function latestVersions(rows: readonly OrderRow[]): OrderRow[] {
  const latest = new Map<string, OrderRow>();
  for (const r of rows) {
    if (r.orderId === '') continue;
    const prev = latest.get(r.orderId);
    if (!prev || localToEpoch(r.updatedLocal) > localToEpoch(prev.updatedLocal)) latest.set(r.orderId, r);
  }
  return [...latest.values()].sort((a, b) => a.orderId.localeCompare(b.orderId));
}

function settlementsFor(plan: DayPlan): Settlement[] {
  const list: Array<Omit<Settlement, 'settlementId'>> = [];
  for (const o of latestVersions(plan.rows)) {
    if (o.status !== 'PAID') continue;
    const [mm, ss] = o.orderedLocal.slice(14).split(':').map(Number) as [number, number];
    const settledUtc = plan.settledAt[o.orderId]
      ?? epochToUtcIso(localToEpoch(o.orderedLocal) + (180 + ((mm * 7 + ss) * 37) % 2400) * 1000);
    const refFlags = o.flags.replace(/[^rR]/g, '');
    list.push({ orderRef: o.orderId, merchant: o.merchant, cents: plan.settledCents[o.orderId] ?? o.cents, feeCents: pspFeeCents(o.cents), settledUtc, flags: refFlags });
  }
  for (const s of plan.orphanSettlements) list.push({ ...s, feeCents: pspFeeCents(s.cents) });
  list.sort((a, b) => a.settledUtc.localeCompare(b.settledUtc) || a.orderRef.localeCompare(b.orderRef));
  const stamp = plan.date.replace(/-/g, '');
  return list.map((s, i) => ({ ...s, settlementId: `STL-${stamp}-${String(i + 1).padStart(4, '0')}` }));
}

/** Writes samples/nightly-reconciliation/data/** under `sampleDir`; returns the written paths. */
export async function generateNightlyReconciliation(sampleDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const plan of [DAY1, DAY2]) {
    const pos = join(sampleDir, 'data', 'pos', `orders_${plan.date}.csv`);
    const psp = join(sampleDir, 'data', 'psp', `settlements_${plan.date}.ndjson`);
    const erp = join(sampleDir, 'data', 'erp', `refunds_${plan.date}.parquet`);
    await writeFileAtomic(pos, renderOrdersCsv(plan.rows, plan.footer));
    await writeFileAtomic(psp, renderSettlementsNdjson(settlementsFor(plan)));
    await writeRefundsParquet(erp, plan.refunds);
    written.push(pos, psp, erp);
  }
  return written;
}
