import { NodeDuckdbEngine } from '@batchbook/pipeline-core/node';
import { quoteString } from '@batchbook/pipeline-core';

/**
 * Large raw files for the designer's "files of any size" checks, written by DuckDB from a
 * seeded formula (the same arguments give the same bytes; nothing is committed). Row i (from 0):
 *   id          i
 *   zip         i mod 100000, zero-padded to 5 digits (text: "00501")
 *   merchant    'M' + (hash(i, seed) mod 50), zero-padded to 3 digits
 *   amount      (hash(i, seed) mod 100000) / 100, two decimals
 *   ordered_at  2026-11-24 00:00:00 + (i mod 86400) seconds
 *   status      PAID, or CANCELLED every 7th row
 */
function rowsSql(rows: number, seed: number): string {
  return `SELECT i AS id, lpad(CAST(i % 100000 AS VARCHAR), 5, '0') AS zip,
    'M' || lpad(CAST(hash(i, ${seed}) % 50 AS VARCHAR), 3, '0') AS merchant,
    CAST((hash(i, ${seed}) % 100000) / 100 AS DECIMAL(12,2)) AS amount,
    TIMESTAMP '2026-11-24 00:00:00' + to_seconds(CAST(i % 86400 AS BIGINT)) AS ordered_at,
    CASE WHEN i % 7 = 0 THEN 'CANCELLED' ELSE 'PAID' END AS status
  FROM range(${Math.trunc(rows)}) t(i)`;
}

async function copy(select: string, to: string, options: string): Promise<void> {
  const engine = await NodeDuckdbEngine.open();
  try {
    await engine.exec(`COPY (${select}) TO ${quoteString(to)} (${options})`);
  } finally {
    engine.close();
  }
}

/** A Parquet file of `rows` rows (zstd; DuckDB's default row groups of 122,880 rows). */
export function writeLargeParquet(path: string, rows: number, seed = 11): Promise<void> {
  return copy(rowsSql(rows, seed), path, 'FORMAT parquet, COMPRESSION zstd');
}

/** A CSV file of `rows` rows with a header (about 60 bytes a row). */
export function writeLargeCsv(path: string, rows: number, seed = 11): Promise<void> {
  return copy(rowsSql(rows, seed), path, 'FORMAT csv, HEADER true');
}
