import { quoteIdent } from '../compile/sql.js';

/**
 * Physical layout shared by the DuckDB compilers: each stage materialises ONE table,
 * `<stage>__all`, holding every row it saw with `_bb_reason` (why it was rejected, or NULL) and
 * `_bb_dropped` (filtered out); the stage's output `<stage>` and its rejects `<stage>__rejects`
 * are views over it. One write per stage, and the counts are one scan.
 */
export function allTable(stage: string): string {
  return quoteIdent(`${stage}__all`);
}

export const NO_LINEAGE = 'CAST(NULL AS VARCHAR) AS _bb_src, CAST(NULL AS INTEGER) AS _bb_file, CAST(NULL AS BIGINT) AS _bb_row';

/** The output view (live rows) and the rejects view of a row-level stage. */
export function stageViews(stage: string, cols: string, lineage: string | undefined, all = allTable(stage)): string[] {
  const sep = cols ? ', ' : '';
  return [
    `CREATE OR REPLACE VIEW ${quoteIdent(stage)} AS SELECT ${cols}${lineage ? `${sep}${lineage}` : ''} FROM ${all} WHERE _bb_reason IS NULL AND NOT _bb_dropped`,
    `CREATE OR REPLACE VIEW ${quoteIdent(`${stage}__rejects`)} AS SELECT _bb_reason, ${lineage ?? NO_LINEAGE}, _bb_line, _bb_raw${sep}${cols} FROM ${all} WHERE _bb_reason IS NOT NULL`,
  ];
}

/** The view over a set-level stage's table (join, aggregate, union, sql). */
export function plainView(stage: string): string {
  return `CREATE OR REPLACE VIEW ${quoteIdent(stage)} AS SELECT * FROM ${allTable(stage)}`;
}

/** rows_in, rows_out, rejected, filtered of a row-level stage, from its one table. */
export function statsFromAll(all: string): string {
  return `SELECT count(*) AS rows_in, count(*) FILTER (WHERE _bb_reason IS NULL AND NOT _bb_dropped) AS rows_out, count(*) FILTER (WHERE _bb_reason IS NOT NULL) AS rejected, count(*) FILTER (WHERE _bb_reason IS NULL AND _bb_dropped) AS filtered FROM ${all}`;
}
