import type { StageOf } from '../../spec/schema.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';

export function compileOutputSpark(stage: StageOf<'output'>, ctx: SparkContext): SparkStage {
  const cols = ctx.schemaOf(stage.input).map((c) => q(c.name)).join(', ');
  return {
    views: [{ name: `${stage.name}__write`, sql: `SELECT ${cols} FROM ${q(stage.input)}` }],
    stats: `SELECT count(*) AS rows_in, count(*) AS rows_out, 0 AS rejected, 0 AS filtered FROM ${q(stage.input)}`,
    lineage: false,
    write: { view: `${stage.name}__write`, format: stage.format, partitionBy: stage.partition_by ?? [], path: stage.path },
  };
}
