import type { StageOf } from '../../spec/schema.js';
import { allView, q, s, sparkTextCast, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkStats, sparkStageViews } from '../../export/spark/sparkViews.js';

/**
 * The job reads the source's files into `<stage>__read` (every pinned column as text, plus
 * _bb_file, _bb_row, _bb_line, _bb_error, _bb_raw — see the Python readers); this types each
 * column the way the runner does and sends values that do not fit to rejects with the reason.
 */
export function compileIngestSpark(stage: StageOf<'ingest'>, ctx: SparkContext): SparkStage {
  const source = ctx.spec.sources[stage.source];
  if (!source) throw new Error(`unknown source ${stage.source}`);
  const cols = source.schema.map((c) => q(c.name));
  const reasons = source.schema
    .filter((c) => c.type !== 'string')
    .map((c) => `CASE WHEN ${q(c.name)} IS NOT NULL AND (${sparkTextCast(q(c.name), c.type)}) IS NULL THEN ${s(`${c.name}: cannot read '`)} || ${q(c.name)} || ${s(`' as ${c.type}`)} END`);
  const reason = reasons.length ? `coalesce(_bb_error, NULLIF(concat_ws('; ', ${reasons.join(', ')}), ''))` : '_bb_error';
  const typed = source.schema.map((c) => `${sparkTextCast(q(c.name), c.type)} AS ${q(c.name)}`);
  const rawLine = `concat_ws(',', ${cols.map((c) => `coalesce(${c}, '')`).join(', ')})`;
  const read = q(`${stage.name}__read`);
  return {
    read: { source: stage.source },
    views: [
      {
        name: `${stage.name}__all`,
        sql: `SELECT ${typed.join(', ')}, _bb_file, _bb_row, _bb_line, _bb_reason, CASE WHEN _bb_reason IS NOT NULL THEN coalesce(_bb_raw, ${rawLine}) END AS _bb_raw, FALSE AS _bb_dropped
FROM (SELECT *, CASE WHEN _bb_line IS NOT NULL THEN _bb_error ELSE ${reason} END AS _bb_reason FROM ${read})`,
      },
      {
        name: `${stage.name}__files`,
        sql: `SELECT f.file_index, f.path, coalesce(w.first_row, 1) AS first_row FROM ${q(`${stage.name}__filelist`)} f LEFT JOIN (SELECT _bb_file, min(_bb_row) AS first_row FROM ${allView(stage.name)} WHERE _bb_line IS NULL GROUP BY _bb_file) w ON w._bb_file = f.file_index`,
      },
      ...sparkStageViews(stage.name, cols.join(', '), `${s(stage.source)} AS _bb_src, _bb_file, _bb_row`),
    ],
    stats: sparkStats(allView(stage.name)),
    lineage: true,
    rejects: { view: `${stage.name}__rejects`, columns: source.schema.map((c) => c.name) },
  };
}
