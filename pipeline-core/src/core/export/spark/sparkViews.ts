import { allView, NO_LINEAGE, q } from './sparkTypes.js';

/** The output view (live rows) and the rejects view of a row-level stage, over `<stage>__all`. */
export function sparkStageViews(stage: string, cols: string, lineage: string | undefined): { name: string; sql: string }[] {
  const all = allView(stage);
  const sep = cols ? ', ' : '';
  return [
    { name: stage, sql: `SELECT ${cols}${lineage ? `${sep}${lineage}` : ''} FROM ${all} WHERE _bb_reason IS NULL AND NOT _bb_dropped` },
    { name: `${stage}__rejects`, sql: `SELECT _bb_reason, ${lineage ?? NO_LINEAGE}, _bb_line, _bb_raw${sep}${cols} FROM ${all} WHERE _bb_reason IS NOT NULL` },
  ];
}

export function sparkStats(all: string): string {
  return `SELECT count(*) AS rows_in, count(*) FILTER (WHERE _bb_reason IS NULL AND NOT _bb_dropped) AS rows_out, count(*) FILTER (WHERE _bb_reason IS NOT NULL) AS rejected, count(*) FILTER (WHERE _bb_reason IS NULL AND _bb_dropped) AS filtered FROM ${all}`;
}

/** Counts of a set-level stage (join, aggregate, union, sql): nothing rejected or filtered. */
export function sparkSetStats(inputs: readonly string[], stage: string): string {
  const rowsIn = inputs.length ? inputs.map((i) => `(SELECT count(*) FROM ${q(i)})`).join(' + ') : '0';
  return `SELECT ${rowsIn} AS rows_in, (SELECT count(*) FROM ${q(stage)}) AS rows_out, 0 AS rejected, 0 AS filtered`;
}
