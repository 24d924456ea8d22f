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
    .map((p) => `SELECT ${quoteString((p.stage as { source: string }).source)} AS source, file_index, path, first_row FROM ${quoteIdent(`${p.stage.name}__files`)}`);
  const filesSql = files.length ? files.join(' UNION ALL ') : 'SELECT NULL::VARCHAR AS source, NULL::INTEGER AS file_index, NULL::VARCHAR AS path, NULL::BIGINT AS first_row WHERE FALSE';
  return `SELECT r._bb_src AS source_name, f.path AS source_file, CAST(r._bb_row - f.first_row + 1 AS BIGINT) AS source_row, r._bb_line AS source_line, r._bb_reason AS reject_reason, r._bb_raw AS raw_line, r.* EXCLUDE (_bb_reason, _bb_src, _bb_file, _bb_row, _bb_line, _bb_raw)
FROM ${quoteIdent(`${stage}__rejects`)} r LEFT JOIN (${filesSql}) f ON f.source = r._bb_src AND f.file_index = r._bb_file
ORDER BY ALL${limit !== undefined ? ` LIMIT ${limit}` : ''}`;
}
