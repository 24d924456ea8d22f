import { Float64, Type } from 'apache-arrow';
import { localToUtcMacro, localToUtcMicros } from '@batchbook/pipeline-core';
import type { DuckDBConnection } from 'duckdb-wasm-blocking';

const UDF = 'bb_local_to_utc_us';

/**
 * DuckDB-WASM's counterpart of DUCKDB_NATIVE_PRELUDE. Extensions are never fetched (the app is
 * offline; an autoload would hang), and there is no ICU: `bb_local_to_utc` is a macro over a
 * JavaScript function using the browser's time-zone data (localToUtc.ts explains how gaps and
 * overlaps are resolved, the same way ICU does). TimeZone is not set: without ICU, DuckDB
 * already treats TIMESTAMP WITH TIME ZONE as UTC.
 */
export function runWasmPrelude(conn: DuckDBConnection): void {
  conn.query('SET autoinstall_known_extensions = false');
  conn.query('SET autoload_known_extensions = false');
  // duckdb-wasm 1.32 maps arrow's generic Float type to FLOAT (32-bit); ask for float64 by its type id
  const float64 = Object.defineProperty(new Float64(), 'typeId', { value: Type.Float64 });
  conn.createScalarFunction(UDF, float64, (micros: number | null, zone: string | null) =>
    micros === null || zone === null ? null : localToUtcMicros(micros, zone),
  );
  conn.query(localToUtcMacro(UDF));
}
