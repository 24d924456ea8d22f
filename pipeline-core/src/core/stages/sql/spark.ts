import type { StageOf } from '../../spec/schema.js';
import { sparkType } from '../../expr/emit/spark.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkSetStats } from '../../export/spark/sparkViews.js';

/** Custom SQL runs as written over views named after its inputs; it was written for DuckDB, so it is flagged. */
export function compileSqlSpark(stage: StageOf<'sql'>, _ctx: SparkContext): SparkStage {
  const body = stage.sql.trim().replace(/;\s*$/, '');
  const cols = stage.schema.map((c) => `CAST(q.${q(c.name)} AS ${sparkType(c.type)}) AS ${q(c.name)}`).join(', ');
  return {
    views: [{ name: stage.name, sql: `SELECT ${cols} FROM (\n${body}\n) q` }],
    stats: sparkSetStats(stage.inputs, stage.name),
    lineage: false,
    flags: ['check manually: this custom SQL is in DuckDB dialect and runs unchanged as Spark SQL; functions or syntax that differ will fail or give other values'],
  };
}
