import type { StageOf } from '../../spec/schema.js';
import { RefusalError } from '../../export/refusal.js';
import { allView, q, s, sparkTextCast, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkStats, sparkStageViews } from '../../export/spark/sparkViews.js';

/**
 * The job reads the source's files with Spark's own readers into `<stage>__read` (every pinned
 * column as text, plus _bb_path, _bb_row, _bb_error, _bb_raw — see sparkReadPy.ts) and the
 * files' first rows into `<stage>__files`; this types each column the way the runner does and
 * sends values that do not fit to rejects with the reason. The source line of a record is not
 * known to a splittable read: _bb_line stays NULL.
 */
export function compileIngestSpark(stage: StageOf<'ingest'>, ctx: SparkContext): SparkStage {
  const source = ctx.spec.sources[stage.source];
  if (!source) throw new Error(`unknown source ${stage.source}`);
  const options = source.options as { header?: boolean; skip_rows?: number } | undefined;
  if (source.format === 'csv' && (options?.skip_rows ?? 0) > 0 && options?.header !== false) {
    throw new RefusalError('skip_rows before a CSV header', "Spark's CSV reader reads the header from a file's first line; remove the leading lines before landing, or set header: false and pin the columns in file order");
  }
  const cols = source.schema.map((c) => q(c.name));
  const reasons = source.schema
    .filter((c) => c.type !== 'string')
    .map((c) => `CASE WHEN ${q(c.name)} IS NOT NULL AND (${sparkTextCast(q(c.name), c.type)}) IS NULL THEN ${s(`${c.name}: cannot read '`)} || ${q(c.name)} || ${s(`' as ${c.type}`)} END`);
  const reason = reasons.length ? `coalesce(_bb_error, NULLIF(concat_ws('; ', ${reasons.join(', ')}), ''))` : '_bb_error';
  const typed = source.schema.map((c) => `${sparkTextCast(q(c.name), c.type)} AS ${q(c.name)}`);
  const rawLine = `concat_ws(',', ${cols.map((c) => `coalesce(${c}, '')`).join(', ')})`;
  const read = q(`${stage.name}__read`);
  // Parquet columns of a matching type are read natively: no reason to compute, no raw record to keep
  const nativeSql = `SELECT ${cols.join(', ')}, _bb_path AS _bb_file, _bb_row, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS STRING) AS _bb_reason, CAST(NULL AS STRING) AS _bb_raw, FALSE AS _bb_dropped FROM ${read}`;
  return {
    read: { source: stage.source, ...(source.format === 'parquet' ? { nativeSql } : {}) },
    views: [
      {
        name: `${stage.name}__all`,
        sql: `SELECT ${typed.join(', ')}, _bb_path AS _bb_file, _bb_row, CAST(NULL AS BIGINT) AS _bb_line, _bb_reason, CASE WHEN _bb_reason IS NOT NULL THEN coalesce(_bb_raw, ${rawLine}) END AS _bb_raw, FALSE AS _bb_dropped
FROM (SELECT *, ${reason} AS _bb_reason FROM ${read})`,
      },
      ...sparkStageViews(stage.name, cols.join(', '), `${s(stage.source)} AS _bb_src, _bb_file, _bb_row`),
    ],
    stats: sparkStats(allView(stage.name)),
    lineage: true,
    rejects: { view: `${stage.name}__rejects`, columns: source.schema.map((c) => c.name) },
  };
}
