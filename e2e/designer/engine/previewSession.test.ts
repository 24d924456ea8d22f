import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, loadSpec, toggleStep, updateStep, type SpecInput } from '@batchbook/pipeline-core';
import { PreviewSession, type RunRequest, type SessionEvent } from '../../../renderer/src/preview/engine/previewSession';
import { openWasmInNode } from './wasmNode';

/**
 * The designer's incremental preview on DuckDB-WASM: what re-runs after an edit, what a broken
 * cell blocks, sampling, cancelling. Expected stage sets are read off the sample's pipeline by
 * hand (which stage reads which), not from the session.
 */
const project = fileURLToPath(new URL('../../../samples/nightly-reconciliation/', import.meta.url));
const inbox = join(project, 'data');
const files = (readdirSync(inbox, { recursive: true, withFileTypes: true }) as Dirent[]).filter((d) => d.isFile()).map((d) => relative(inbox, join(d.parentPath, d.name)).split('\\').join('/'));
const input = loadSpec(readFileSync(join(project, 'pipeline.yaml'), 'utf8')).input as SpecInput;
const ALL = input.stages.map((s) => s.name);

let wasm: Awaited<ReturnType<typeof openWasmInNode>>;
let session: PreviewSession;
let reads: string[] = [];

beforeAll(async () => {
  wasm = await openWasmInNode();
  session = new PreviewSession(wasm.engine, wasm.db, async (paths) => {
    reads.push(...paths);
    return new Map(await Promise.all(paths.map(async (p) => [p, new Blob([await readFile(join(inbox, p))])] as const)));
  });
});
afterAll(() => wasm.close());

const request = (spec: SpecInput, extra: Partial<RunRequest> = {}): RunRequest => ({ input: spec, params: {}, fallbackRunDate: '2026-11-24', sample: { mode: 'full', size: 10_000, seed: 42 }, files, ...extra });

async function run(spec: SpecInput, extra: Partial<RunRequest> = {}) {
  const events: SessionEvent[] = [];
  const outcome = await session.run(request(spec, extra), (e) => events.push(e));
  return { ...outcome, events };
}

describe('incremental preview', () => {
  it('runs every cell the first time, reading each file once', async () => {
    reads = [];
    const r = await run(input);
    expect([...r.ran].sort()).toEqual([...ALL].sort());
    expect(reads.sort()).toEqual(['erp/refunds_2026-11-24.parquet', 'pos/orders_2026-11-24.csv', 'psp/settlements_2026-11-24.ndjson']);
    expect(ALL.every((n) => session.cell(n)?.status === 'fresh')).toBe(true);
  });

  it('runs nothing when nothing changed', async () => {
    reads = [];
    expect((await run(input)).ran).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('after an edit, re-runs only the edited cell and the cells that read it', async () => {
    // clean_settlements is read by checked_settlements, which feeds reconciliation, then
    // order_settlement, merchant_day and the two outputs written from those
    const edited = applyCommands(input, [toggleStep('clean_settlements', 1)]);
    const r = await run(edited);
    expect([...r.ran].sort()).toEqual(['clean_settlements', 'checked_settlements', 'reconciliation', 'order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily'].sort());
    // merchant ids are no longer upper-cased, so the per-merchant reconciliation cannot match
    expect(session.cell('reconciliation')?.rules?.find((x) => x.name === 'settled_matches_sold')?.status).toBe('fail');
    expect(session.cell('raw_orders')?.status).toBe('fresh');
    await run(input); // back to the saved spec
    expect(session.cell('reconciliation')?.rules?.find((x) => x.name === 'settled_matches_sold')?.status).toBe('pass');
  });

  it('switching a step off and on again brings the earlier results back instead of recomputing them', async () => {
    await run(input);
    const rowsOf = async (stage: string) => JSON.stringify(await wasm.engine.query(`SELECT * FROM "${stage}" ORDER BY ALL`));
    const before = { day: await rowsOf('merchant_day'), settlements: await rowsOf('checked_settlements') };
    // the cells that read clean_settlements, read off the pipeline by hand (as above)
    const reached = ['clean_settlements', 'checked_settlements', 'reconciliation', 'order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily'].sort();
    const off = applyCommands(input, [toggleStep('clean_settlements', 0)]);
    const first = await run(off);
    expect([...first.ran].sort()).toEqual(reached);
    expect(first.restored).toEqual([]);
    const offDay = await rowsOf('merchant_day');
    const back = await run(input);
    expect([...back.ran].sort()).toEqual(reached);
    expect([...(back.restored ?? [])].sort()).toEqual(reached);
    expect(await rowsOf('merchant_day')).toBe(before.day);
    expect(await rowsOf('checked_settlements')).toBe(before.settlements);
    expect(session.cell('reconciliation')?.rules?.find((x) => x.name === 'settled_matches_sold')?.status).toBe('pass');
    // and the other way: the results with the step off were kept aside in exchange
    const again = await run(off);
    expect([...(again.restored ?? [])].sort()).toEqual(reached);
    expect(await rowsOf('merchant_day')).toBe(offDay);
    // Run cell recomputes even what could be brought back; what reads it then has a new input
    await run(input);
    const forced = await run(input, { force: ['clean_settlements'] });
    expect(forced.ran).toContain('clean_settlements');
    expect(forced.restored).toEqual([]);
    expect(await rowsOf('merchant_day')).toBe(before.day);
  });

  it('a cell with a broken expression fails alone; what reads it waits; the rest keeps its results', async () => {
    const broken = applyCommands(input, [updateStep('paid_orders', 0, { step: 'filter', expr: "status = 'PAID' AND" })]);
    const r = await run(broken);
    expect(r.ran).toEqual([]);
    expect(session.cell('paid_orders')?.status).toBe('error');
    expect(session.cell('paid_orders')?.message).toMatch(/expected|end/i);
    for (const n of ['order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily', 'reconciliation']) expect(session.cell(n)?.status).toBe('blocked');
    expect(session.cell('clean_orders')?.status).toBe('fresh');
    const fixed = await run(input);
    expect([...fixed.ran].sort()).toEqual(['paid_orders', 'reconciliation', 'order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily'].sort());
  });

  it('a run date without files is a waiting state naming the dates that have files, not a crash', async () => {
    await run(input, { params: { run_date: '2026-11-26' } });
    expect(session.cell('raw_orders')?.status).toBe('blocked');
    expect(session.cell('raw_orders')?.message).toContain("matches 'pos/orders_2026-11-26.csv'");
    // the sample's inbox holds the nights of 2026-11-24 and 2026-11-25 (samples/nightly-reconciliation/data)
    expect(session.cell('raw_orders')?.message).toContain('files exist for run_date 2026-11-24, 2026-11-25');
    expect(session.cell('clean_orders')?.message).toBe('waits for files for run_date 2026-11-26');
    expect(session.cell('clean_orders')?.status).toBe('blocked');
    await run(input);
    expect(ALL.every((n) => session.cell(n)?.status === 'fresh')).toBe(true);
  });

  it('samples key-consistently: a smaller sample keeps orders and their settlements together', async () => {
    const r = await run(input, { sample: { mode: 'sample', size: 20, seed: 7 } });
    expect(r.ran.length).toBe(ALL.length); // every ingest's relation changed
    const orders = session.cell('raw_orders')!.result!.rows_out + session.cell('raw_orders')!.result!.rejected;
    expect(orders).toBeLessThan(45);
    expect(orders).toBeGreaterThan(5);
    // every sampled settlement whose order exists in the full data still finds it in the sample
    const orphans = session.cell('checked_settlements')!.rules!.find((x) => x.name === 'orphan_payment')!;
    expect(orphans.failing).toBeLessThanOrEqual(1); // the sample's one real orphan (ORD-1124-047), if sampled
    await run(input);
  });

  it('a cancelled run stops, and the next run finishes what it left', async () => {
    const forced = request(input, { force: ['raw_orders'] });
    const pending = session.run(forced, (e) => {
      if (e.type === 'stage_end' && e.stage === 'raw_orders') session.cancel();
    });
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.ran).toEqual(['raw_orders']);
    expect(session.cell('clean_orders')?.status).toBe('stale');
    const next = await run(input);
    expect(next.ran).toContain('clean_orders');
    expect(ALL.every((n) => session.cell(n)?.status === 'fresh')).toBe(true);
  });

  it("a cell runs as soon as its own source is read: the orders' cells before the settlements are loaded", async () => {
    await session.reset();
    const order: string[] = [];
    const exec = wasm.db.exec;
    // the NDJSON settlements are loaded into their own staging table: note when
    wasm.db.exec = (sql: string) => {
      if (sql.startsWith('CREATE TABLE "__src_settlements"')) order.push('load settlements');
      return exec(sql);
    };
    try {
      await session.run(request(input), (e) => e.type === 'stage_end' && order.push(e.stage));
    } finally {
      wasm.db.exec = exec;
    }
    // read off the pipeline: these four read pos_orders only (raw_orders → clean_orders → paid_orders, checked_orders)
    const before = order.slice(0, order.indexOf('load settlements'));
    expect(new Set(before)).toEqual(new Set(['raw_orders', 'clean_orders', 'paid_orders', 'checked_orders']));
    expect(ALL.every((n) => session.cell(n)?.status === 'fresh')).toBe(true);
  });

  it('a cell that fails in the first wave is run and reported once, not again in each later wave', async () => {
    await session.reset();
    const bad = { name: 'bad_sql', kind: 'sql', inputs: ['raw_orders'], sql: 'SELECT no_such_column AS x FROM raw_orders', schema: [{ name: 'x', type: 'string' }] };
    const spec = { ...input, stages: [...input.stages, bad] } as SpecInput;
    const r = await run(spec);
    // three sources are read, so the run has three waves; bad_sql reads pos_orders only
    const starts = r.events.filter((e) => e.type === 'stage_start' && e.stage === 'bad_sql');
    const errors = r.events.filter((e) => e.type === 'stage_error' && e.stage === 'bad_sql');
    expect(starts).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(session.cell('bad_sql')?.status).toBe('error');
    expect(ALL.every((n) => session.cell(n)?.status === 'fresh')).toBe(true);
  });
});
