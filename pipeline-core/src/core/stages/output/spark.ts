import type { StageOf } from '../../spec/schema.js';
import { isDecimal, type Column } from '../../types/dataType.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';

/**
 * The rows an output writes. A CSV gets timestamps and decimals as text first: Spark's CSV writer
 * would drop fractional seconds (its timestampFormat has none) and may write a small decimal as
 * 1E-8, where the runner writes `2024-12-31 23:59:59.5` and `0.00000001`.
 */
export function compileOutputSpark(stage: StageOf<'output'>, ctx: SparkContext): SparkStage {
  const partitions = new Set(stage.partition_by ?? []);
  const asText = (c: Column) => stage.format === 'csv' && !partitions.has(c.name) && (c.type === 'timestamp' || isDecimal(c.type));
  const cols = ctx
    .schemaOf(stage.input)
    .map((c) => (asText(c) ? `CAST(${q(c.name)} AS STRING) AS ${q(c.name)}` : q(c.name)))
    .join(', ');
  return {
    views: [{ name: `${stage.name}__write`, sql: `SELECT ${cols} FROM ${q(stage.input)}` }],
    stats: `SELECT count(*) AS rows_in, count(*) AS rows_out, 0 AS rejected, 0 AS filtered FROM ${q(stage.input)}`,
    lineage: false,
    write: { view: `${stage.name}__write`, format: stage.format, partitionBy: stage.partition_by ?? [], path: stage.path },
  };
}
