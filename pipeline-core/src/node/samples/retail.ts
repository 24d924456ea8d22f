// The three raw source shapes shared by the `nightly-reconciliation` and `peak-sales` samples:
//   POS orders CSV, payment-processor (PSP) settlements NDJSON, ERP refunds Parquet.
// A sample builds clean, canonical records plus explicit "how is it spelled in the raw file"
// flags; this module renders them byte-for-byte deterministically.
//
// Time zone: the shops are in Europe/Berlin. Every business day the samples use lies in
// November 2026, when Berlin is on CET = UTC+01:00 (DST ended 2026-10-25, starts 2027-03-28),
// so local <-> UTC is a fixed one-hour shift here. `assertCet` guards that assumption.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** How one POS row is spelled in the raw CSV. Letters, any order:
 *  n  ordered_at naive local `YYYY-MM-DD HH:MM:SS` (default: ISO with `+01:00`)
 *  l  merchant lower case `m001`;  s  merchant padded ` M001 `
 *  w  leading space before order_id;  W  trailing space after order_id
 *  e  amount prefixed `€ `
 *  u  currency `eur`;  y  currency `€`  (default `EUR`)
 *  p  status lower case;  t  status title case  (default upper case)
 *  z  updated_at written in UTC with `Z` (default: local with `+01:00`)
 *  r  PSP order_ref lower case;  R  PSP order_ref padded with spaces
 */
export type Flags = string;

export type Status = 'PAID' | 'CANCELLED';

/** One CSV row of the POS export (one version of an order). */
export interface OrderRow {
  /** canonical order id, e.g. `ORD-1124-001`; '' = the null-key defect */
  orderId: string;
  /** canonical merchant id `M001` */
  merchant: string;
  /** local Europe/Berlin wall clock `YYYY-MM-DD HH:MM:SS` */
  orderedLocal: string;
  cents: number;
  status: Status;
  /** local Europe/Berlin wall clock `YYYY-MM-DD HH:MM:SS` */
  updatedLocal: string;
  flags: Flags;
}

export interface Settlement {
  settlementId: string;
  /** canonical order id the payment belongs to */
  orderRef: string;
  merchant: string;
  cents: number;
  feeCents: number;
  /** UTC `YYYY-MM-DDTHH:MM:SSZ` */
  settledUtc: string;
  flags: Flags;
}

export interface Refund {
  refundId: string;
  orderId: string;
  cents: number;
  /** UTC `YYYY-MM-DD HH:MM:SS` (stored as a TIMESTAMP without zone, meaning UTC) */
  refundedUtc: string;
  reason: string;
}

export const POS_HEADER = 'order_id,merchant_id,ordered_at,amount,currency,status,updated_at';

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function parseWall(s: string): number {
  const m = LOCAL_RE.exec(s);
  if (!m) throw new Error(`bad wall-clock time ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

function formatWall(ms: number, sep: string): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return `${iso.slice(0, 10)}${sep}${iso.slice(11, 19)}`;
}

/** Fails unless the local time lies in November 2026 (Berlin = UTC+01:00 throughout). */
export function assertCet(local: string): void {
  if (!local.startsWith('2026-11-')) throw new Error(`${local}: sample time zone maths assumes November 2026 (CET, UTC+01:00)`);
}

/** Berlin local wall clock (Nov 2026) -> epoch ms. */
export function localToEpoch(local: string): number {
  assertCet(local);
  return parseWall(local) - 3_600_000;
}

/** epoch ms -> Berlin local wall clock `YYYY-MM-DD HH:MM:SS` (Nov 2026 only). */
export function epochToLocal(ms: number): string {
  const s = formatWall(ms + 3_600_000, ' ');
  assertCet(s);
  return s;
}

/** epoch ms -> UTC `YYYY-MM-DDTHH:MM:SSZ`. */
export function epochToUtcIso(ms: number): string {
  return `${formatWall(ms, 'T')}Z`;
}

/** Local wall clock plus seconds, still as a local wall clock. */
export function addSeconds(local: string, seconds: number): string {
  return epochToLocal(localToEpoch(local) + seconds * 1000);
}

/** 123450 -> `1234.50` */
export function centsToDecimal(cents: number): string {
  if (!Number.isInteger(cents) || cents < 0) throw new Error(`bad cents ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** 123450 -> `1,234.50` (thousands comma, decimal point) */
export function centsToPosText(cents: number): string {
  const [whole, frac] = centsToDecimal(cents).split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac}`;
}

/** PSP processing fee: 0.25 EUR + 1.4 % of the amount, rounded half up to the cent. */
export function pspFeeCents(cents: number): number {
  return 25 + Math.floor((cents * 14 + 500) / 1000);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function has(flags: Flags, f: string): boolean {
  return flags.includes(f);
}

function renderIso(local: string, utcZ: boolean): string {
  return utcZ ? epochToUtcIso(localToEpoch(local)) : `${local.replace(' ', 'T')}+01:00`;
}

/** One raw POS CSV line (without newline). */
export function renderOrderRow(o: OrderRow): string {
  const f = o.flags;
  const id = `${has(f, 'w') ? ' ' : ''}${o.orderId}${has(f, 'W') ? ' ' : ''}`;
  const merchant = has(f, 'l') ? o.merchant.toLowerCase() : has(f, 's') ? ` ${o.merchant} ` : o.merchant;
  const ordered = has(f, 'n') ? o.orderedLocal : renderIso(o.orderedLocal, false);
  const amount = `${has(f, 'e') ? '€ ' : ''}${centsToPosText(o.cents)}`;
  const currency = has(f, 'u') ? 'eur' : has(f, 'y') ? '€' : 'EUR';
  const status = has(f, 'p') ? o.status.toLowerCase() : has(f, 't') ? o.status[0] + o.status.slice(1).toLowerCase() : o.status;
  const updated = renderIso(o.updatedLocal, has(f, 'z'));
  return [id, merchant, ordered, amount, currency, status, updated].map(csvField).join(',');
}

/** The whole POS CSV file: header, rows, optional raw footer line; LF line endings. */
export function renderOrdersCsv(rows: readonly OrderRow[], footer?: string): string {
  const lines = [POS_HEADER, ...rows.map(renderOrderRow)];
  if (footer !== undefined) lines.push(footer);
  return `${lines.join('\n')}\n`;
}

/** One NDJSON line of the PSP settlement export. Key order is fixed. */
export function renderSettlement(s: Settlement): string {
  const f = s.flags;
  const ref = has(f, 'r') ? s.orderRef.toLowerCase() : has(f, 'R') ? ` ${s.orderRef} ` : s.orderRef;
  const amount = `EUR ${centsToDecimal(s.cents).replace('.', ',')}`;
  return `{"settlement_id":${JSON.stringify(s.settlementId)},"order_ref":${JSON.stringify(ref)},"merchant":${JSON.stringify(s.merchant.toLowerCase())},"amount":${JSON.stringify(amount)},"fee":${centsToDecimal(s.feeCents)},"settled_at":${JSON.stringify(s.settledUtc)}}`;
}

export function renderSettlementsNdjson(rows: readonly Settlement[]): string {
  return rows.map((s) => `${renderSettlement(s)}\n`).join('');
}

/** Write a file atomically (temp file + rename), creating parent directories. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Write the ERP refunds Parquet file with DuckDB, deterministically (one thread, sorted rows). */
export async function writeRefundsParquet(path: string, rows: readonly Refund[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  try {
    await con.run(`CREATE TABLE refunds (refund_id VARCHAR, order_id VARCHAR, amount DECIMAL(12,2), refunded_at TIMESTAMP, reason VARCHAR)`);
    const chunk = 500;
    for (let i = 0; i < rows.length; i += chunk) {
      const values = rows.slice(i, i + chunk).map((r) =>
        `(${sqlString(r.refundId)}, ${sqlString(r.orderId)}, ${centsToDecimal(r.cents)}, TIMESTAMP ${sqlString(r.refundedUtc)}, ${sqlString(r.reason)})`);
      await con.run(`INSERT INTO refunds VALUES ${values.join(', ')}`);
    }
    await con.run(`COPY (SELECT * FROM refunds ORDER BY refund_id) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  await rename(tmp, path);
}
