import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DuckDBBindings } from 'duckdb-wasm-blocking';
import { openWasmEngine, type WasmSqlEngine } from '../../../renderer/src/preview/engine/wasmEngine';
import type { ParquetModule } from '../../../renderer/src/preview/engine/parquetSource';

/**
 * DuckDB-WASM in Node, through the same synchronous bindings the designer's preview worker
 * uses in the browser (only the bundle loader differs): the second adapter of the engine suite.
 */
const require = createRequire(import.meta.url);

interface NodeBlocking {
  createDuckDB(bundles: unknown, logger: unknown, runtime: unknown): Promise<DuckDBBindings>;
  VoidLogger: new () => unknown;
  NODE_RUNTIME: unknown;
}

export async function openWasmInNode(): Promise<{ engine: WasmSqlEngine; db: ReturnType<typeof openWasmEngine>["db"]; close(): void }> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as NodeBlocking;
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => undefined);
  bindings.open({});
  // parquet-wasm's Node build: the same reader as the worker's, its WebAssembly read from disk
  const { engine, db } = openWasmEngine(bindings, async () => require('parquet-wasm/node') as ParquetModule);
  return { engine, db, close: () => engine.conn.close() };
}
