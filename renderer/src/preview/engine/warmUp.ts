import { loadSpec, type SpecInput } from '@batchbook/pipeline-core';
import { PreviewSession } from './previewSession';
import type { SourceDatabase } from './sources';
import type { WasmSqlEngine } from './wasmEngine';

/**
 * A pipeline of a few rows that uses what most projects use — a CSV with a bad line (DuckDB's
 * rejects tables), NDJSON, the common cleanse steps (trim, case, standardise, parse_number,
 * parse_date in a time zone, filter, dedupe, derive), row and table rules (unique, accepted
 * values, regex, range, not_null, relationship, reconcile, conservation, row_count), a join, an
 * aggregate and an output — run through the preview session while the start screen shows.
 * DuckDB-WASM compiles its WebAssembly lazily, function by function, on first use: a project's
 * first run paid 2–3× its later runs for the same statements. Running these shapes once first
 * moves that cost before the user opens anything. Every stage is named __bb_warm_…, so dropping
 * what the warm-up made never touches a project's tables.
 */
const WARM_SPEC = `
version: 1
name: warm_up
parameters: { run_date: { type: date, default: "2026-01-01" } }
sources:
  __bb_warm_orders:
    format: csv
    path: orders.csv
    schema:
      - { name: id, type: string }
      - { name: shop, type: string }
      - { name: at, type: string }
      - { name: amount, type: string }
      - { name: currency, type: string }
  __bb_warm_refunds:
    format: parquet
    path: refunds.parquet
    schema:
      - { name: refund_id, type: string }
      - { name: order_id, type: string }
      - { name: amount, type: "decimal(12,2)" }
      - { name: refunded_at, type: timestamp }
  __bb_warm_payments:
    format: ndjson
    path: payments.ndjson
    schema:
      - { name: id, type: string }
      - { name: amount, type: string }
      - { name: fee, type: "decimal(12,2)" }
stages:
  - { name: __bb_warm_raw_orders, kind: ingest, source: __bb_warm_orders }
  - { name: __bb_warm_raw_payments, kind: ingest, source: __bb_warm_payments }
  - name: __bb_warm_clean_orders
    kind: cleanse
    input: __bb_warm_raw_orders
    steps:
      - { step: trim, columns: [id, shop, currency] }
      - { step: case, columns: [shop], to: upper }
      - { step: standardise, column: currency, mapping: { eur: EUR }, unmapped: reject }
      - { step: parse_number, column: amount, type: "decimal(12,2)", thousands: ",", decimal: "." }
      - { step: parse_date, column: at, formats: ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S"], timezone: Europe/Berlin }
      - { step: filter, expr: "id IS NOT NULL", on_false: reject }
      - { step: dedupe, keys: [id], order_by: [{ column: at, direction: desc }] }
      - { step: derive, column: day, expr: "$run_date" }
  - name: __bb_warm_clean_payments
    kind: cleanse
    input: __bb_warm_raw_payments
    steps:
      - { step: case, columns: [id], to: upper }
      - { step: parse_number, column: amount, type: "decimal(12,2)", thousands: ".", decimal: "," }
      - { step: filter, expr: "fee >= 0" }
  - name: __bb_warm_checked_orders
    kind: validate
    input: __bb_warm_clean_orders
    rules:
      - { rule: unique, columns: [id] }
      - { rule: accepted_values, column: currency, values: [EUR] }
      - { rule: regex, column: id, pattern: "O-\\\\d+" }
      - { rule: range, column: amount, min: 0 }
      - { rule: conservation, stage: __bb_warm_clean_orders }
  - name: __bb_warm_checked_payments
    kind: validate
    input: __bb_warm_clean_payments
    rules:
      - { rule: not_null, columns: [id, amount] }
      - { rule: relationship, columns: [id], to: __bb_warm_clean_orders, severity: warn, action: reject }
      - rule: reconcile
        left: { stage: __bb_warm_clean_orders, fn: sum, column: amount, group_by: [id] }
        right: { fn: sum, column: amount, group_by: [id] }
        tolerance: { absolute: 0.01 }
        severity: warn
      - { rule: row_count, min: 1 }
  - { name: __bb_warm_joined, kind: join, left: __bb_warm_clean_orders, right: __bb_warm_checked_payments, type: left, on: [id], right_prefix: paid_ }
  - name: __bb_warm_per_shop
    kind: aggregate
    input: __bb_warm_joined
    group_by: [day, shop]
    measures:
      - { name: orders, fn: count }
      - { name: sold, fn: sum, column: amount }
      - { name: paid, fn: sum, column: paid_amount }
  - { name: __bb_warm_raw_refunds, kind: ingest, source: __bb_warm_refunds }
  - name: __bb_warm_checked_refunds
    kind: validate
    input: __bb_warm_raw_refunds
    rules:
      - { rule: relationship, columns: [order_id], to: __bb_warm_clean_orders, to_columns: [id], severity: warn, action: reject }
  - { name: __bb_warm_refunded, kind: aggregate, input: __bb_warm_checked_refunds, group_by: [order_id], measures: [{ name: refunded, fn: sum, column: amount }] }
  - { name: __bb_warm_shops, kind: output, input: __bb_warm_per_shop, format: parquet, path: shops, partition_by: [day] }
`;

/** Two refunds written by DuckDB (COPY … (FORMAT parquet, COMPRESSION zstd)): parquet-wasm's reader and an Arrow insert. */
const REFUNDS_PARQUET = 'UEFSMRUAFSgVOiwVBBUAFQYVBgAAKLUv/SAUoQAAAgAAAAQBAwAAAFItMQMAAABSLTIVABUoFTosFQQVABUGFQYAACi1L/0gFKEAAAIAAAAEAQMAAABPLTEDAAAATy03FQAVLBU+LBUEFQAVBhUGAAAotS/9IBaxAAACAAAABAGWAAAAAAAAAMgAAAAAAAAAFQAVLBU+LBUEFQAVBhUGAAAotS/9IBaxAAACAAAABAEAqOSnUEcGAABMeH5RRwYAFQIZXDUAGA1kdWNrZGJfc2NoZW1hFQgAFQwlAhgJcmVmdW5kX2lkJQAAFQwlAhgIb3JkZXJfaWQlAAAVBCUCGAZhbW91bnQlChUEFRgsXBUEFRgAAAAVBCUCGAtyZWZ1bmRlZF9hdCUUTIwSHCwAAAAAABYEGRwZTCYAHBUMGRUAGRgJcmVmdW5kX2lkFQwWBBZKFlwmCDwYA1ItMhgDUi0xFgAoA1ItMhgDUi0xEREAAAAmABwVDBkVABkYCG9yZGVyX2lkFQwWBBZKFlwmZDwYA08tNxgDTy0xFgAoA08tNxgDTy0xEREAAAAmABwVBBkVABkYBmFtb3VudBUMFgQWThZgJsABPBgIyAAAAAAAAAAYCJYAAAAAAAAAFgAoCMgAAAAAAAAAGAiWAAAAAAAAABERAAAAJgAcFQQZFQAZGAtyZWZ1bmRlZF9hdBUMFgQWThZgJqACPBgIAEx4flFHBgAYCACo5KdQRwYAFgAoCABMeH5RRwYAGAgAqOSnUEcGABERAAAAFrACFgQmCBb4AgAoKER1Y2tEQiB2ZXJzaW9uIHYxLjUuNiAoYnVpbGQgMDY5Y2M5ZjliNSkZTBwAABwAABwAABwAAADNAQAAUEFSMQ==';

const FILES: Readonly<Record<string, string | Uint8Array>> = {
  'refunds.parquet': Uint8Array.from(atob(REFUNDS_PARQUET), (c) => c.charCodeAt(0)),
  'orders.csv': 'id,shop,at,amount,currency\nO-1, s1 ,2026-01-01 10:00:00,"1,200.50",eur\nO-2,s2,2026-01-01T11:00:00+01:00,3.10,EUR\nO-2,s2,2026-01-01T12:00:00+01:00,3.20,EUR\nO-3,s1,bad,x,usd\n"O-4,s2\n',
  'payments.ndjson': '{"id":"o-1","amount":"1.200,50","fee":"0.20"}\n{"id":"O-9","amount":"1,00","fee":"0.01"}\n',
};

/** The warm-up spec, parsed (exported for the test that checks it stays valid). */
export function warmUpInput(): SpecInput {
  return loadSpec(WARM_SPEC).input as SpecInput;
}

/**
 * Runs the warm-up pipeline once on the preview's database, then drops what it made.
 * `engine.cancel()` stops it at the next statement (the worker does that when a user's first run arrives).
 */
export async function warmUp(engine: WasmSqlEngine, db: SourceDatabase): Promise<{ ran: readonly string[]; failed: readonly string[] }> {
  const input = warmUpInput();
  const blobs = new Map(Object.entries(FILES).map(([p, text]) => [p, new Blob([text as BlobPart])] as const));
  const session = new PreviewSession(engine, db, async (paths) => new Map(paths.map((p) => [p, blobs.get(p)!])));
  try {
    const outcome = await session.run({ input, params: {}, fallbackRunDate: '2026-01-01', sample: { mode: 'sample', size: 10_000, seed: 1 }, files: Object.keys(FILES) }, () => undefined);
    return { ran: outcome.ran, failed: input.stages.map((s) => s.name).filter((n) => session.cell(n)?.status !== 'fresh').map((n) => `${n}: ${session.cell(n)?.message ?? session.cell(n)?.status}`) };
  } finally {
    engine.reset();
    await session.reset();
    const made = await engine.query(`SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE starts_with(table_name, '__bb_warm_')`).catch(() => []);
    for (const m of made) await engine.exec(`DROP ${m['type'] === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS "${String(m['name'])}"`).catch(() => undefined);
  }
}
