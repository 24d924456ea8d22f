import { quoteIdent, quoteString } from '../sql.js';
import type { DuckdbPlan } from './plan.js';

/**
 * The rejected rows of a stage as people read them: the reason, then where the row came from
 * (source, file, row number within the file, or line for rows the reader could not parse),
 * then the row's values. Runner and preview both show this.
 */
export function rejectsQuery(plan: DuckdbPlan, stage: string, limit?: number): string {
  const files = plan.stages
    .filter((p) => p.stage.kind === 'ingest')
    .map((p) => ({ source: quoteString((p.stage as { source: string }).source), name: p.stage.name }));
  const filesSql = files.length
    ? files.map((f) => `SELECT ${f.source} AS source, file_index, path, first_row, line_offset FROM ${quoteIdent(`${f.name}__files`)}`).join(' UNION ALL ')
    : 'SELECT NULL::VARCHAR AS source, NULL::INTEGER AS file_index, NULL::VARCHAR AS path, NULL::BIGINT AS first_row, NULL::BIGINT AS line_offset WHERE FALSE';
  const errSql = files.length
    ? files.map((f) => `SELECT ${f.source} AS source, file_index, records_before FROM ${quoteIdent(`${f.name}__errlines`)}`).join(' UNION ALL ')
    : 'SELECT NULL::VARCHAR AS source, NULL::INTEGER AS file_index, NULL::BIGINT AS records_before WHERE FALSE';
  const row = 'CAST(r._bb_row - f.first_row + 1 AS BIGINT)';
  const line = `coalesce(r._bb_line, ${row} + f.line_offset + (SELECT count(*) FROM (${errSql}) e WHERE e.source = r._bb_src AND e.file_index = r._bb_file AND e.records_before < ${row}))`;
  return `SELECT r._bb_src AS source_name, f.path AS source_file, ${row} AS source_row, CAST(${line} AS BIGINT) AS source_line, r._bb_reason AS reject_reason, r._bb_raw AS raw_line, r.* EXCLUDE (_bb_reason, _bb_src, _bb_file, _bb_row, _bb_line, _bb_raw)
FROM ${quoteIdent(`${stage}__rejects`)} r LEFT JOIN (${filesSql}) f ON f.source = r._bb_src AND f.file_index = r._bb_file
ORDER BY ALL${limit !== undefined ? ` LIMIT ${limit}` : ''}`;
}
