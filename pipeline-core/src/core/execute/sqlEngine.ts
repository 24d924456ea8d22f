/**
 * The one interface both DuckDB adapters implement: native (@duckdb/node-api, in the runner) and
 * WASM (in the designer's worker). Row values come back JSON-friendly: numbers, strings
 * (BIGINT, DECIMAL, dates and timestamps as text), booleans or null.
 */
export type SqlValue = string | number | boolean | null;
export type SqlRow = Readonly<Record<string, SqlValue>>;

export interface SqlEngine {
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<SqlRow[]>;
}

export function toNumber(v: SqlValue | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : Number(v);
}
