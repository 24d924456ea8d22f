import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDuckdbPlan, executePlan, loadSpec, matchFiles, rejectsQuery, resolveParams, substitutePath, type DuckdbPlan, type SpecInput, type SqlEngine, type SqlRow } from '@batchbook/pipeline-core';
import { nativeSourceRelation, NodeDuckdbEngine } from '@batchbook/pipeline-core/node';
import { PreviewSession } from '../../../renderer/src/preview/engine/previewSession';
import { openWasmInNode } from './wasmNode';

/**
 * One suite, two adapters of SqlEngine: the nightly-reconciliation pipeline, both business days,
 * compiled once per day and run on native DuckDB (the runner's adapter, reading files with
 * DuckDB's readers) and on DuckDB-WASM (the preview's adapter, with the browser's loaders and
 * the JavaScript time-zone function). Stage counts, rule outcomes and rejected rows must agree.
 */
const project = fileURLToPath(new URL('../../../samples/nightly-reconciliation/', import.meta.url));
const inbox = join(project, 'data');
const text = readFileSync(join(project, 'pipeline.yaml'), 'utf8');
const spec = loadSpec(text).spec!;
const DAYS = ['2026-11-24', '2026-11-25'];
const inboxFiles = (readdirSync(inbox, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => d.isFile()).map((d) => relative(inbox, join(d.parentPath, d.name)).split('\\').join('/'));

interface Outcome {
  stages: { name: string; rows_in: number; rows_out: number; rejected: number; filtered: number }[];
  rules: { stage: string; name: string; status: string; failing: number; samples: readonly SqlRow[] }[];
  rejects: Record<string, SqlRow[]>;
}

async function outcome(engine: SqlEngine, plan: DuckdbPlan, stages: Outcome['stages'], rules: Outcome['rules']): Promise<Outcome> {
  const rejects: Record<string, SqlRow[]> = {};
  for (const p of plan.stages) if (p.compiled.hasRejects) rejects[p.stage.name] = await engine.query(rejectsQuery(plan, p.stage.name));
  return { stages: stages.map(({ name, rows_in, rows_out, rejected, filtered }) => ({ name, rows_in, rows_out, rejected, filtered })), rules, rejects };
}

async function runNative(day: string): Promise<Outcome> {
  const engine = await NodeDuckdbEngine.open();
  try {
    const params = resolveParams(spec, { run_date: day }, day);
    const relations = new Map();
    for (const [name, source] of Object.entries(spec.sources)) {
      const files = matchFiles(substitutePath(source.path, params), inboxFiles);
      relations.set(name, await nativeSourceRelation(name, source, files.map((f) => join(inbox, f)), files));
    }
    const plan = compileDuckdbPlan(spec, { params, sourceRelation: (n) => relations.get(n) });
    const result = await executePlan(engine, plan, { now: () => performance.now() });
    return await outcome(engine, plan, [...result.stages], [...result.rules]);
  } finally {
    engine.close();
  }
}

// one DuckDB-WASM instance for the file (instantiating takes a second); each day gets a fresh session
let wasmInstance: ReturnType<typeof openWasmInNode> | undefined;
afterAll(async () => (await wasmInstance)?.close());

async function runWasm(day: string): Promise<Outcome> {
  const { engine, db } = await (wasmInstance ??= openWasmInNode());
  {
    const session = new PreviewSession(engine, db, async (paths) => new Map(await Promise.all(paths.map(async (p) => [p, new Blob([await readFile(join(inbox, p))])] as const))));
    const run = await session.run(
      { input: loadSpec(text).input as SpecInput, params: { run_date: day }, fallbackRunDate: day, sample: { mode: 'full', size: 0, seed: 0 }, files: inboxFiles },
      () => undefined,
    );
    expect(run.cancelled).toBe(false);
    const notFresh = session.plan!.stages.filter((p) => session.cell(p.stage.name)?.status !== 'fresh').map((p) => [p.stage.name, session.cell(p.stage.name)?.message]);
    expect(notFresh).toEqual([]);
    const plan = session.plan!;
    const stages = plan.stages.map((p) => session.cell(p.stage.name)!.result!).map((r) => ({ ...r }));
    const rules = plan.stages.flatMap((p) => [...(session.cell(p.stage.name)!.rules ?? [])]);
    return await outcome(engine, plan, stages, rules);
  }
}

describe.each(DAYS)('nightly-reconciliation on %s: native DuckDB and DuckDB-WASM agree', (day) => {
  let native: Outcome;
  let wasm: Outcome;
  beforeAll(async () => {
    native = await runNative(day);
    wasm = await runWasm(day);
  });

  it('reads every line of the raw files (counted here, independently of either engine)', async () => {
    const csv = readFileSync(join(inbox, `pos/orders_${day}.csv`), 'utf8').split('\n').filter((l) => l.trim() !== '').length - 1;
    const ndjson = readFileSync(join(inbox, `psp/settlements_${day}.ndjson`), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    for (const o of [native, wasm]) {
      expect(o.stages.find((s) => s.name === 'raw_orders')?.rows_in).toBe(csv);
      expect(o.stages.find((s) => s.name === 'raw_settlements')?.rows_in).toBe(ndjson);
    }
  });
  it('has the same counts for every stage', () => expect(wasm.stages).toEqual(native.stages));
  it('has the same rule outcomes and failing samples', () => expect(wasm.rules).toEqual(native.rules));
  it('rejects the same rows with the same reasons and source rows', () => expect(wasm.rejects).toEqual(native.rejects));
  it('found something to compare', () => {
    expect(Object.values(native.rejects).flat().length).toBeGreaterThan(0);
    expect(native.rules.some((r) => r.status === 'fail')).toBe(true);
  });
});

describe('time zones without ICU', () => {
  let wasm: Awaited<ReturnType<typeof openWasmInNode>>;
  let native: NodeDuckdbEngine;
  beforeAll(async () => {
    wasm = await (wasmInstance ??= openWasmInNode());
    native = await NodeDuckdbEngine.open();
  });
  afterAll(() => native.close());
  it('bb_local_to_utc gives the same instants on both engines, DST gaps and overlaps included', async () => {
    const sql = `SELECT CAST(ts AS VARCHAR) AS wall, CAST(bb_local_to_utc(ts, z) AS VARCHAR) AS utc FROM
      (SELECT unnest(range(TIMESTAMP '2026-03-28 22:00:00', TIMESTAMP '2026-03-29 05:00:00', INTERVAL 10 MINUTE)) AS ts
       UNION ALL SELECT unnest(range(TIMESTAMP '2026-10-24 22:00:00', TIMESTAMP '2026-10-25 05:00:00', INTERVAL 10 MINUTE))
       UNION ALL SELECT TIMESTAMP '2026-11-24 10:15:30.123456'),
      (VALUES ('Europe/Berlin'), ('America/New_York'), ('Australia/Lord_Howe')) z(z) ORDER BY z, ts`;
    expect(await wasm.engine.query(sql)).toEqual(await native.query(sql));
  });
});
