import { quoteIdent } from '../../compile/sql.js';
import type { PipelineSpec } from '../../spec/schema.js';
import type { SourceRelation } from '../../stages/stageModule.js';
import type { MarkedSourceRelation } from '../duckdb/duckdbTarget.js';

/**
 * Reader SQL of the right shape (every pinned column as text, the bookkeeping columns) that reads
 * nothing: enough for the DuckDB and dbt targets to compile a spec without sample files, as the
 * support matrix and the corpus tests do. Real exports get the runner's readers from the node side.
 */
export function syntheticSourceRelation(spec: PipelineSpec): MarkedSourceRelation {
  return (source: string): SourceRelation => {
    const s = spec.sources[source];
    if (!s) throw new Error(`unknown source ${source}`);
    const cols = s.schema.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c.name)}`);
    return {
      sql: `SELECT ${[...cols, 'CAST(0 AS INTEGER) AS _bb_file', 'CAST(NULL AS VARCHAR) AS _bb_error', 'CAST(1 AS BIGINT) AS _bb_row'].join(', ')} WHERE FALSE`,
      files: [],
      ...(s.format === 'csv' ? { lineOffset: 1 } : {}),
    };
  };
}
