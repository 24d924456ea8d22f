import { afterAll, beforeAll, expect, it } from 'vitest';
import { warmUp, warmUpInput } from '../../../renderer/src/preview/engine/warmUp';
import { openWasmInNode } from './wasmNode';

/**
 * The preview engine's warm-up pipeline (run while the start screen shows) must keep working as
 * the compiler changes — a warm-up that fails half-way warms only half — and must leave nothing
 * behind in the database a project then uses.
 */
let wasm: Awaited<ReturnType<typeof openWasmInNode>>;
beforeAll(async () => {
  wasm = await openWasmInNode();
});
afterAll(() => wasm.close());

it('runs every stage of the warm-up pipeline and drops all it made', async () => {
  const before = await wasm.engine.query('SELECT count(*) AS n FROM information_schema.tables');
  const r = await warmUp(wasm.engine, wasm.db);
  expect(r.failed).toEqual([]);
  // 3 ingests, 2 cleanses, 3 validates, a join, 2 aggregates and an output, counted off the spec by hand
  expect(r.ran).toHaveLength(12);
  expect(new Set(r.ran)).toEqual(new Set(warmUpInput().stages.map((s) => s.name)));
  const left = await wasm.engine.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%bb_warm%'");
  expect(left).toEqual([]);
  expect(await wasm.engine.query('SELECT count(*) AS n FROM information_schema.tables')).toEqual(before);
});

it('stops at the next statement when the engine is cancelled, as a first run does', async () => {
  const warming = warmUp(wasm.engine, wasm.db);
  wasm.engine.cancel();
  const r = await warming;
  expect(r.ran).toEqual([]);
  expect(wasm.engine.isCancelled).toBe(false);
  expect(await wasm.engine.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%bb_warm%'")).toEqual([]);
});
