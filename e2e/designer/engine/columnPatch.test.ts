import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStep, applyCommands, loadSpec, toggleStep, updateStep, type SpecInput } from '@batchbook/pipeline-core';
import { PreviewSession, type RunRequest } from '../../../renderer/src/preview/engine/previewSession';
import { openWasmInNode } from './wasmNode';

/**
 * The column patch (columnPatch.ts) on DuckDB-WASM over the reconciliation sample: an edit of a
 * value-map step is patched into clean_orders' previous result, and every cell's rows, rejects,
 * counts and rule results equal those of the same spec computed in full (Run cell, which never
 * patches); edits the patch does not cover are computed in full.
 */
const project = fileURLToPath(new URL('../../../samples/nightly-reconciliation/', import.meta.url));
const inbox = join(project, 'data');
const files = (readdirSync(inbox, { recursive: true, withFileTypes: true }) as Dirent[]).filter((d) => d.isFile()).map((d) => relative(inbox, join(d.parentPath, d.name)).split('\\').join('/'));
const input = loadSpec(readFileSync(join(project, 'pipeline.yaml'), 'utf8')).input as SpecInput;
const CELLS = input.stages.filter((s) => s.kind !== 'ingest' && s.kind !== 'output').map((s) => s.name);

let wasm: Awaited<ReturnType<typeof openWasmInNode>>;
let session: PreviewSession;

beforeAll(async () => {
  wasm = await openWasmInNode();
  session = new PreviewSession(wasm.engine, wasm.db, async (paths) => new Map(await Promise.all(paths.map(async (p) => [p, new Blob([await readFile(join(inbox, p))])] as const))));
});
afterAll(() => wasm.close());

const request = (spec: SpecInput, extra: Partial<RunRequest> = {}): RunRequest => ({ input: spec, params: {}, fallbackRunDate: '2026-11-24', sample: { mode: 'full', size: 10_000, seed: 42 }, files, ...extra });
const run = (spec: SpecInput, extra: Partial<RunRequest> = {}) => session.run(request(spec, extra), () => undefined);

/** Everything a cell shows: its rows, clean_orders' table with rejects and flags in stored order, counts and rules. */
async function shown(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { stored: await wasm.engine.query('SELECT * FROM "clean_orders__all"') };
  for (const n of CELLS) {
    const cell = session.cell(n);
    out[n] = { rows: await wasm.engine.query(`SELECT * FROM "${n}" ORDER BY ALL`), result: cell?.result, rules: cell?.rules?.map((r) => ({ ...r, ms: undefined })) };
  }
  return JSON.parse(JSON.stringify(out, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) as Record<string, unknown>;
}
const strip = (x: Record<string, unknown>) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'ms' || k === 'cpu_ms' ? undefined : v))) as unknown;

describe('column patch', () => {
  it('switching the case step off and on is patched, and every cell equals the same spec computed in full', async () => {
    const off = applyCommands(input, [toggleStep('clean_orders', 1)]);
    await run(input);
    const first = strip(await shown());
    const patched = await run(off);
    expect(patched.patched).toEqual(['clean_orders']);
    // read off the pipeline by hand: checked_settlements and checked_refunds read clean_orders' order_id only
    // (relationship rules), which the case step does not change, so they and what reads only them do not run
    expect([...patched.ran].sort()).toEqual(['clean_orders', 'paid_orders', 'checked_orders', 'reconciliation', 'order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily'].sort());
    const offPatched = strip(await shown());
    const full = await run(off, { force: ['clean_orders'] });
    expect(full.patched).toEqual([]);
    // every cell but the three ingests and clean_settlements (which does not read clean_orders)
    expect(full.ran).toHaveLength(input.stages.length - 4);
    expect(offPatched).toEqual(strip(await shown()));
    // the patch changed something: merchant ids are no longer upper-cased
    expect(offPatched).not.toEqual(first);
    // and back on, with nothing kept aside to bring back
    await session.forgetKept();
    const on = await run(input);
    expect(on.restored).toEqual([]);
    expect(on.patched).toEqual(['clean_orders']);
    expect(strip(await shown())).toEqual(first);
  });

  it('changing the columns of a value map is patched; mapping a column another step reads is computed in full', async () => {
    await run(input);
    const lower = applyCommands(input, [updateStep('clean_orders', 1, { step: 'case', columns: ['status'], to: 'lower' })]);
    const r = await run(lower);
    expect(r.patched).toEqual(['clean_orders']);
    const patched = strip(await shown());
    await run(lower, { force: ['clean_orders'] });
    expect(patched).toEqual(strip(await shown()));
    // order_id is read by the filter and the dedupe after the step: not patched
    const ids = applyCommands(input, [updateStep('clean_orders', 1, { step: 'case', columns: ['merchant_id', 'status', 'order_id'], to: 'lower' })]);
    expect((await run(ids)).patched).toEqual([]);
  });

  it('switching a step that parses or rejects is computed in full', async () => {
    await run(input);
    expect((await run(applyCommands(input, [toggleStep('clean_orders', 3)]))).patched).toEqual([]);
    await run(input);
    // standardise rejects unmapped currencies
    expect((await run(applyCommands(input, [toggleStep('clean_orders', 2)]))).patched).toEqual([]);
  });

  it("paid_orders (filter-only: a view in the preview) turned into a table and back, by edits and by the result cache, equals the spec computed in full", async () => {
    // a trim makes paid_orders compute a column: its __all becomes a table of the same name (planShape.ts)
    const trimmed = applyCommands(input, [addStep('paid_orders', { step: 'trim', columns: ['currency'] })]);
    const views = async () => (await wasm.engine.query(`SELECT view_name FROM duckdb_views() WHERE view_name = 'paid_orders__all'`)).length;
    await run(input);
    expect(await views()).toBe(1);
    const asView = strip(await shown());
    await run(trimmed);
    expect(await views()).toBe(0);
    const asTable = strip(await shown());
    // back to the view, then to the table again: both brought back by the cache, over the other kind
    const back = await run(input);
    expect(back.restored).toContain('paid_orders');
    expect(await views()).toBe(1);
    expect(strip(await shown())).toEqual(asView);
    const again = await run(trimmed);
    expect(again.restored).toContain('paid_orders');
    expect(await views()).toBe(0);
    expect(strip(await shown())).toEqual(asTable);
    // and computed in full, nothing brought back: the same rows, counts and rules
    await run(trimmed, { force: ['paid_orders'] });
    expect(strip(await shown())).toEqual(asTable);
    await session.forgetKept();
    await run(input);
    expect(strip(await shown())).toEqual(asView);
  });
});
