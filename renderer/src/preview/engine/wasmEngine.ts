import { tableToIPC, type Table } from 'apache-arrow';
import { Cancelled, type SqlEngine, type SqlRow } from '@batchbook/pipeline-core';
import type { DuckDBBindings, DuckDBConnection, DuckDBDataProtocol } from 'duckdb-wasm-blocking';
import { arrowRows } from './arrowRows';
import { runWasmPrelude } from './prelude';
import type { SourceDatabase } from './sources';
import type { ParquetModule } from './parquetSource';

/** DuckDBDataProtocol.BROWSER_FILEREADER, by value: the Node tests load these bindings from another module, so only types are imported. */
const BROWSER_FILEREADER = 2 as DuckDBDataProtocol;

/** How long DuckDB may run before the worker looks at its messages (a cancel, say). */
const SLICE_MS = 30;

let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/** Lets queued events (a cancel request) run, without the 4 ms clamp of nested timeouts. */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}

/**
 * The DuckDB-WASM adapter of SqlEngine (the native one is NodeDuckdbEngine). It drives the
 * synchronous ("blocking") bindings inside the preview's own worker, so JavaScript scalar
 * functions can be registered (the async worker API cannot), and long statements run as
 * pending queries polled in slices: between slices the worker handles messages, and a cancel
 * stops the statement inside DuckDB rather than after it.
 */
export class WasmSqlEngine implements SqlEngine {
  private cancelled = false;
  /** One database call at a time: a run takes turns per statement, so a page read can slip in between. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly bindings: DuckDBBindings,
    readonly conn: DuckDBConnection,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Asks the running statement (and every later one) to stop, until reset(). */
  cancel(): void {
    this.cancelled = true;
  }

  reset(): void {
    this.cancelled = false;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Runs `fn` when every database call queued before it has finished. */
  serialize<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  exec(sql: string): Promise<void> {
    return this.serialize(() => this.execNow(sql));
  }

  private async execNow(sql: string): Promise<void> {
    await this.conn.useUnsafe(async (b, id) => {
      let header = b.startPendingQuery(id, sql, false);
      let sliceStart = this.now();
      while (header === null) {
        if (this.now() - sliceStart > SLICE_MS) {
          await yieldToEvents();
          sliceStart = this.now();
        }
        if (this.cancelled) {
          b.cancelPendingQuery(id);
          throw new Cancelled();
        }
        header = b.pollPendingQuery(id);
      }
      // drain the result (an empty buffer ends it) so the connection is ready for the next statement
      for (let chunk = b.fetchQueryResults(id); chunk !== null && chunk.length > 0; chunk = b.fetchQueryResults(id));
    });
  }

  query(sql: string): Promise<SqlRow[]> {
    return this.serialize(() => {
      if (this.cancelled) throw new Cancelled();
      return arrowRows(this.conn.query(sql) as Table);
    });
  }

  /** Runs a statement synchronously, no slicing: the benchmark's "DuckDB alone" baseline. */
  execDirect(sql: string): void {
    this.conn.query(sql);
  }

  queryDirect(sql: string): SqlRow[] {
    return arrowRows(this.conn.query(sql) as Table);
  }
}

/** Connects to an instantiated, opened database, runs the prelude, and wraps it for the preview (`parquet` loads the Parquet reader of this platform). */
export function openWasmEngine(bindings: DuckDBBindings, parquet: () => Promise<ParquetModule>): { engine: WasmSqlEngine; db: SourceDatabase } {
  const conn = bindings.connect();
  runWasmPrelude(conn);
  const engine = new WasmSqlEngine(bindings, conn);
  const db: SourceDatabase = {
    registerFile: (name, bytes) => bindings.registerFileBuffer(name, bytes),
    // read with FileReaderSync in this worker, a slice at a time
    registerBlob: (name, blob) => bindings.registerFileHandle(name, blob, BROWSER_FILEREADER, true),
    dropFile: (name) => bindings.dropFile(name),
    // serialised with our own arrow module: handing a Table to duckdb-wasm's copy of arrow can silently insert nothing
    appendTable: (name, table) => conn.insertArrowFromIPCStream(tableToIPC(table, 'stream'), { name, create: false }),
    exec: (sql) => engine.exec(sql),
    query: (sql) => engine.query(sql),
    insertIpc: (name, ipc) => engine.serialize(() => void conn.insertArrowFromIPCStream(ipc, { name, create: true })),
    parquet,
  };
  return { engine, db };
}
