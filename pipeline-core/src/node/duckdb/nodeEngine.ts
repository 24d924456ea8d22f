import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SqlEngine, SqlRow } from '../../core/execute/sqlEngine.js';
import { DUCKDB_NATIVE_PRELUDE } from '../../core/compile/duckdb/plan.js';
import { duckdbApi } from './duckdbApi.js';
import { BASE_CONFIG, takeSpareInstance } from './spareInstance.js';
import { quoteString } from '../../core/compile/sql.js';

export interface NodeEngineOptions {
  /** Database file; ':memory:' keeps tables in memory (they still spill to tempDirectory). */
  readonly path?: string;
  /** e.g. '2GB'. Data beyond it spills to tempDirectory instead of failing. */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
  readonly threads?: number;
  /**
   * Read a Parquet file's footer once, not at every statement that binds a view over it (a run
   * binds its sources' views ~20 times: 1.7 → 1.0 CPU-ms each). For an engine that lives for one
   * run, whose Parquet inputs do not change while it runs (landed files are immutable, outputs
   * are written once): DuckDB tells a changed file by its modification time, to the second.
   */
  readonly parquetMetadataCache?: boolean;
}

// BATCHBOOK_TRACE_SQL=1: every statement (its start) and its wall time on stderr, to find where a run's
// time goes; =full prints whole statements, each ending with ';', to replay them under EXPLAIN ANALYZE.
const TRACE = process.env['BATCHBOOK_TRACE_SQL'];
function trace(sql: string, t0: number): void {
  if (!TRACE) return;
  const ms = (performance.now() - t0).toFixed(1);
  const { user, system } = process.cpuUsage();
  const text = TRACE === 'full' ? `${sql.trim()};` : sql.replace(/\s+/g, ' ').slice(0, 160);
  process.stderr.write(`[sql ${ms} ms] [process cpu ${((user + system) / 1e6).toFixed(2)} s, at ${(performance.now() / 1000).toFixed(2)} s] ${text}\n`);
}

/** The native DuckDB adapter of SqlEngine, on @duckdb/node-api. */
export class NodeDuckdbEngine implements SqlEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(opts: NodeEngineOptions = {}): Promise<NodeDuckdbEngine> {
    const config: Record<string, string> = { ...BASE_CONFIG };
    if (opts.memoryLimit) config['memory_limit'] = opts.memoryLimit;
    if (opts.tempDirectory) config['temp_directory'] = opts.tempDirectory;
    if (opts.threads) config['threads'] = String(opts.threads);
    const inMemory = (opts.path ?? ':memory:') === ':memory:';
    const spare = inMemory ? await takeSpareInstance() : undefined;
    const instance = spare ?? (await duckdbApi.DuckDBInstance.create(opts.path ?? ':memory:', config));
    const conn = await instance.connect();
    // a spare instance was created with the base settings only: these are the ones that differ
    if (spare) for (const name of ['memory_limit', 'temp_directory', 'threads']) await conn.run(config[name] === undefined ? `RESET ${name}` : `SET ${name} = ${quoteString(config[name])}`);
    // a Parquet extension setting: unknown to the instance's config until the extension loads
    if (opts.parquetMetadataCache) await conn.run('SET parquet_metadata_cache = true');
    const engine = new NodeDuckdbEngine(instance, conn);
    for (const sql of DUCKDB_NATIVE_PRELUDE) await engine.exec(sql);
    return engine;
  }

  async exec(sql: string): Promise<void> {
    const t0 = performance.now();
    await this.conn.run(sql);
    trace(sql, t0);
  }

  async query(sql: string): Promise<SqlRow[]> {
    const t0 = performance.now();
    const reader = await this.conn.runAndReadAll(sql);
    trace(sql, t0);
    return reader.getRowObjectsJson() as SqlRow[];
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
