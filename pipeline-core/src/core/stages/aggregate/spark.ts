import type { StageOf } from '../../spec/schema.js';
import { sparkType } from '../../expr/emit/spark.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkSetStats } from '../../export/spark/sparkViews.js';

export function compileAggregateSpark(stage: StageOf<'aggregate'>, ctx: SparkContext): SparkStage {
  const input = ctx.schemaOf(stage.input);
  const out = ctx.schemaOf(stage.name);
  const measures = stage.measures.map((m) => {
    const arg = m.column !== undefined ? q(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, input)})` : '*';
    const call = m.fn === 'count_distinct' ? `count(DISTINCT ${arg})` : `${m.fn}(${arg})`;
    return `CAST(${call} AS ${sparkType(out.find((c) => c.name === m.name)?.type ?? 'double')}) AS ${q(m.name)}`;
  });
  const groups = stage.group_by.map(q);
  return {
    views: [{ name: stage.name, sql: `SELECT ${[...groups, ...measures].join(', ')} FROM ${q(stage.input)}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}` }],
    stats: sparkSetStats([stage.input], stage.name),
    lineage: false,
  };
}
