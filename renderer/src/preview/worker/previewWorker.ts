/// <reference lib="webworker" />
import '../../noEval';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import { BROWSER_RUNTIME, createDuckDB, VoidLogger } from 'duckdb-wasm-blocking';
import { PreviewSession, errorMessage } from '../engine/previewSession';
import { dateFormats, profile, rejectsPage, rowsPage } from '../engine/stageQueries';
import { openWasmEngine, type WasmSqlEngine } from '../engine/wasmEngine';
import type { ParquetModule } from '../engine/parquetSource';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { timeStage } from '../engine/stageTiming';
import { matchCounts } from '../../match/matchCounts';
import { warmUp } from '../engine/warmUp';
import type { FromWorker, ToWorker } from './protocol';

/**
 * The preview engine's worker: DuckDB-WASM (bundled, synchronous bindings), the browser's source
 * loaders and the incremental session. The page never blocks on a query; a long statement is
 * run in slices so a cancel gets through.
 */
declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, transfer);

let fileRequests = 0;
const pendingFiles = new Map<number, { resolve: (m: Map<string, Blob>) => void; reject: (e: Error) => void }>();

function requestFiles(paths: readonly string[]): Promise<Map<string, Blob>> {
  const id = ++fileRequests;
  return new Promise((resolve, reject) => {
    pendingFiles.set(id, { resolve, reject });
    post({ type: 'needFiles', id, paths });
  });
}

let parquetModule: Promise<ParquetModule> | undefined;

/** parquet-wasm, fetched from this app and compiled on first use (the engine's warm-up reads a Parquet file). */
function parquet(): Promise<ParquetModule> {
  parquetModule ??= import('parquet-wasm/esm').then(async (m) => {
    await m.default({ module_or_path: parquetWasm });
    return m;
  });
  return parquetModule;
}

async function start(): Promise<{ session: PreviewSession; engine: WasmSqlEngine }> {
  const started = performance.now();
  const bundles = { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } };
  const bindings = await createDuckDB(bundles, new VoidLogger(), BROWSER_RUNTIME);
  await bindings.instantiate(() => undefined);
  bindings.open({});
  const { engine, db } = openWasmEngine(bindings, parquet);
  const session = new PreviewSession(engine, db, requestFiles);
  post({ type: 'ready', version: bindings.getVersion(), ms: performance.now() - started });
  warming = warmUp(engine, db).then(
    (r) => post({ type: 'warmed', ms: performance.now() - started, completed: !stopWarming && r.failed.length === 0 }),
    () => post({ type: 'warmed', ms: performance.now() - started, completed: false }),
  ).finally(() => {
    warmed = true;
  });
  return { session, engine };
}

/** The warm-up pipeline running after start (warmUp.ts); the first run stops it and waits for it. */
let warming: Promise<void> | undefined;
let stopWarming = false;
let warmed = false;

const ready = start().catch((e: unknown) => {
  post({ type: 'fatal', message: `the preview engine could not start: ${errorMessage(e)}` });
  throw e;
});

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'files') {
    const p = pendingFiles.get(m.id);
    pendingFiles.delete(m.id);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve(new Map(m.files.map((f) => [f.path, f.blob])));
    return;
  }
  const { session, engine } = await ready;
  if (m.type === 'cancel') return session.cancel();
  if (m.type === 'run' && !warmed) {
    // the user's first run goes first: the warm-up stops at its next statement
    stopWarming = true;
    engine.cancel();
  }
  await warming;
  const plan = () => {
    if (!session.plan) throw new Error('nothing has been previewed yet');
    return session.plan;
  };
  try {
    switch (m.type) {
      case 'run': {
        const outcome = await session.run(m.request, (event) => post({ type: 'event', id: m.id, event }));
        return post({ type: 'done', id: m.id, outcome });
      }
      case 'reset':
        await session.reset();
        return post({ type: 'reply', id: m.id, value: null });
      case 'forgetKept':
        await session.forgetKept();
        return post({ type: 'reply', id: m.id, value: null });
      case 'rows':
        return post({ type: 'reply', id: m.id, value: await rowsPage(engine, plan(), m.stage, m.offset, m.limit) });
      case 'rejects':
        return post({ type: 'reply', id: m.id, value: await rejectsPage(engine, plan(), m.stage, m.limit) });
      case 'profile':
        return post({ type: 'reply', id: m.id, value: await profile(engine, plan(), m.stage) });
      case 'timing': {
        const rows = session.cell(m.stage)?.result?.rows_out ?? 0;
        return post({ type: 'reply', id: m.id, value: await engine.serialize(() => timeStage(engine, plan(), m.stage, rows)) });
      }
      case 'dateFormats':
        return post({ type: 'reply', id: m.id, value: await dateFormats(engine, plan(), m.stage, m.column, m.own) });
      case 'matchCounts':
        return post({ type: 'reply', id: m.id, value: await matchCounts(engine, m.stage) });
      case 'benchSql':
        return post({ type: 'reply', id: m.id, value: await engine.serialize(() => benchSql(engine, m.statements, m.check)) });
      case 'bench':
        return post({ type: 'reply', id: m.id, value: await engine.serialize(() => benchDirect(engine, plan(), m.stages)) });
    }
  } catch (e) {
    post({ type: 'failed', id: m.id, message: errorMessage(e) });
  }
}

/**
 * The same compiled SQL the preview ran for these stages, straight on the connection — each
 * stage's statements, its counts, its rule checks and a failing rule's sample rows, as
 * executePlan runs them — without the session around it: the benchmark's baseline.
 */
function benchDirect(engine: WasmSqlEngine, p: NonNullable<PreviewSession['plan']>, stages: readonly string[]) {
  const only = new Set(stages);
  let statements = 0;
  const t = performance.now();
  for (const s of p.stages.filter((x) => only.has(x.stage.name))) {
    for (const q of [...s.compiled.statements, s.compiled.stats]) {
      engine.execDirect(q);
      statements++;
    }
    for (const r of s.compiled.rules ?? []) {
      const failing = engine.queryDirect(r.check)[0]?.['failing'];
      statements++;
      if (Number(failing) > 0) {
        engine.execDirect(r.samples);
        statements++;
      }
    }
  }
  return { ms: performance.now() - t, statements };
}

/** Hand-written SQL on the same connection, timed the same way: the benchmark's other baseline. */
function benchSql(engine: WasmSqlEngine, statements: readonly string[], check: string | undefined) {
  const t = performance.now();
  for (const q of statements) engine.execDirect(q);
  const ms = performance.now() - t;
  const rows = check ? engine.queryDirect(check).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) : undefined;
  return { ms, statements: statements.length, ...(rows ? { check: rows } : {}) };
}

self.onmessage = (e: MessageEvent<ToWorker>) => void handle(e.data);
