import type { StageOf } from '../../spec/schema.js';
import { sparkType } from '../../expr/emit/spark.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkSetStats } from '../../export/spark/sparkViews.js';

export function compileUnionSpark(stage: StageOf<'union'>, ctx: SparkContext): SparkStage {
  const lineage = stage.inputs.every((i) => ctx.hasLineage(i));
  const cols = ctx.schemaOf(stage.name).map((c) => `CAST(${q(c.name)} AS ${sparkType(c.type)}) AS ${q(c.name)}`).join(', ');
  return {
    views: [{ name: stage.name, sql: stage.inputs.map((i) => `SELECT ${cols}${lineage ? ', _bb_src, _bb_file, _bb_row' : ''} FROM ${q(i)}`).join('\nUNION ALL\n') }],
    stats: sparkSetStats(stage.inputs, stage.name),
    lineage,
  };
}
