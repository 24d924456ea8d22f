import type { StageOf } from '../../spec/schema.js';
import { isDecimal, type DataType } from '../../types/dataType.js';
import { sparkType } from '../../expr/emit/spark.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkSetStats } from '../../export/spark/sparkViews.js';
import { measureStepsSql, planMeasures } from './measures.js';

/**
 * An aggregate call as DuckDB computes it: avg of a decimal is its exact sum over the count as a
 * double (Spark's own avg of a decimal rounds to 6 decimals first), avg of other numbers in double.
 */
export function sparkMeasure(fn: string, arg: string, type: DataType | undefined): string {
  if (fn === 'count_distinct') return `count(DISTINCT ${arg})`;
  if (fn === 'avg') return type !== undefined && isDecimal(type) ? `CAST(sum(${arg}) AS DOUBLE) / count(${arg})` : `avg(CAST(${arg} AS DOUBLE))`;
  return `${fn}(${arg})`;
}

export function compileAggregateSpark(stage: StageOf<'aggregate'>, ctx: SparkContext): SparkStage {
  const input = ctx.schemaOf(stage.input);
  const plan = planMeasures(stage, input, (text, cols) => ctx.exprType(text, cols));
  const measures = stage.measures.flatMap((m) => {
    if (m.fn === undefined) return [];
    const arg = m.column !== undefined ? q(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, input)})` : '*';
    const type = m.column !== undefined ? input.find((c) => c.name === m.column)?.type : m.expr !== undefined ? ctx.exprType(m.expr, input) : undefined;
    return [`CAST(${sparkMeasure(m.fn, arg, type)} AS ${sparkType(plan.aggregated.find((c) => c.name === m.name)?.type ?? 'double')}) AS ${q(m.name)}`];
  });
  const groups = stage.group_by.map(q);
  const groupBy = `SELECT ${[...groups, ...measures].join(', ')} FROM ${q(stage.input)}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}`;
  return {
    views: [{ name: stage.name, sql: measureStepsSql(groupBy, plan, q, (text, cols) => ctx.expr(text, cols)) }],
    stats: sparkSetStats([stage.input], stage.name),
    lineage: false,
  };
}
