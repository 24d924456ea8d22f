import type { DataType, Schema } from '../../types/dataType.js';
import { duckdbType, isNumeric } from '../../types/dataType.js';
import { FUNCTIONS } from '../../expr/functions.js';
import type { SpecPath } from '../../spec/diagnostics.js';
import { measureType, sqlAggregateCall } from './measureType.js';
import { measureStepsSql, planMeasures, specExprTypeOf } from './measures.js';
import { quoteIdent } from '../../compile/sql.js';
import type { Measure, StageOf } from '../../spec/schema.js';
import { allTable, createAll, plainView, stageStats, statsQuery } from '../stageTables.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileAggregateSpark } from './spark.js';
import { joinStats } from '../join/join.js';
import { compileAggregateBeam } from './beam.js';

type Aggregate = StageOf<'aggregate'>;

export { measureType } from './measureType.js';

function propagate(stage: Aggregate, ctx: PropagateContext): PropagateResult {
  const input = ctx.schemaOf(stage.input, [...ctx.path, 'input']);
  if (!input) return { schema: [] };
  const schema: { name: string; type: DataType }[] = [];
  stage.group_by.forEach((g, i) => {
    const t = ctx.column([...ctx.path, 'group_by', i], g, input);
    schema.push({ name: g, type: t ?? 'string' });
  });
  stage.measures.forEach((m, i) => {
    const at = [...ctx.path, 'measures', i];
    if (schema.some((c) => c.name === m.name)) ctx.error([...at, 'name'], `the output already has a column '${m.name}'`);
    const t = m.fn === undefined ? computedMeasure(m, at, schema, ctx) : aggregatedMeasure(m, m.fn, at, input, ctx);
    schema.push({ name: m.name, type: t === undefined ? 'double' : m.round === undefined ? t : roundedType(t, m.round, [...at, 'round'], ctx) });
  });
  return { schema };
}

/** A measure with fn: its argument is checked against the input rows; returns the aggregate's type. */
function aggregatedMeasure(m: Measure, fn: NonNullable<Measure['fn']>, at: SpecPath, input: Schema, ctx: PropagateContext): DataType {
  let t: DataType | undefined;
  if (m.column !== undefined && m.expr !== undefined) ctx.error(at, 'give either column or expr, not both');
  if (m.column !== undefined) t = ctx.column([...at, 'column'], m.column, input);
  else if (m.expr !== undefined) t = ctx.expression([...at, 'expr'], m.expr, input).type;
  else if (fn !== 'count') ctx.error(at, `${fn} needs a column or an expr`);
  if (t && (fn === 'sum' || fn === 'avg') && !isNumeric(t)) ctx.error(at, `${fn} needs a number, but this is ${t}`);
  if (t && fn === 'count_if' && t !== 'boolean') ctx.error(at, `count_if counts rows where a condition is true, but this is ${t}`, "give a condition, e.g. expr: 'delay > 15'");
  if (t === 'boolean' && fn === 'count' && m.expr !== undefined) {
    ctx.warning([...at, 'fn'], 'count counts every non-NULL value, so this counts the rows where the condition is true and those where it is false', 'to count the rows where it is true, write fn: count_if');
  }
  return measureType(fn, t);
}

/** A measure without fn: its expr reads the group columns and the measures listed before it. */
function computedMeasure(m: Measure, at: SpecPath, before: Schema, ctx: PropagateContext): DataType | undefined {
  if (m.column !== undefined) ctx.error([...at, 'column'], 'a measure without fn is computed by its expr; column needs an fn', 'add fn (sum, count, …) or write expr');
  if (m.expr === undefined) {
    ctx.error(at, 'a measure needs fn (an aggregate function) or expr (computed from the group columns and the measures before it)');
    return undefined;
  }
  return ctx.expression([...at, 'expr'], m.expr, before).type;
}

function roundedType(t: DataType, digits: number, at: SpecPath, ctx: PropagateContext): DataType {
  if (!isNumeric(t)) {
    ctx.error(at, `round needs a number, but this measure is ${t}`);
    return t;
  }
  return t === 'integer' || t === 'double' ? t : (FUNCTIONS.round.returns.compute([{ type: t }, { type: 'integer', constant: digits }]) as DataType);
}

function measureSql(m: Measure, fn: NonNullable<Measure['fn']>, input: Schema, ctx: DuckdbContext, type: DataType): string {
  const arg = m.column !== undefined ? quoteIdent(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, input)})` : '*';
  return `CAST(${sqlAggregateCall(fn, arg)} AS ${duckdbType(type)})`;
}

/** The SELECT computing the stage's rows: the GROUP BY, then computed and rounded measures (measures.ts). */
function aggregateSql(stage: Aggregate, ctx: DuckdbContext): string {
  const input = ctx.schemaOf(stage.input);
  const plan = planMeasures(stage, input, specExprTypeOf(ctx.spec));
  const groups = stage.group_by.map(quoteIdent);
  const measures = stage.measures.flatMap((m) => (m.fn === undefined ? [] : [`${measureSql(m, m.fn, input, ctx, plan.aggregated.find((c) => c.name === m.name)?.type ?? 'double')} AS ${quoteIdent(m.name)}`]));
  const groupBy = groups.length ? ` GROUP BY ${groups.join(', ')}` : '';
  return measureStepsSql(`SELECT ${[...groups, ...measures, 'count(*) AS _bb_n'].join(', ')} FROM ${ctx.table(stage.input)}${groupBy}`, plan, quoteIdent, (text, cols) => ctx.expr(text, cols), ['_bb_n']);
}

function compileDuckdb(stage: Aggregate, ctx: DuckdbContext): CompiledStage {
  const all = allTable(stage.name);
  // _bb_n: the rows of each group, so the input's count comes from this small table (no second scan)
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), aggregateSql(stage, ctx)),
      plainView(stage.name, ['_bb_n']),
      stageStats(stage.name, `SELECT CAST(coalesce(sum(_bb_n), 0) AS BIGINT) AS rows_in, count(*) AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered FROM ${all}`),
      // the join fused into this aggregate: its rows are the groups' rows
      ...ctx.counts(stage.name).map((join) => stageStats(join, joinStats(joinOf(ctx, join), `(SELECT coalesce(sum(_bb_n), 0) FROM ${all})`))),
    ],
    stats: statsQuery(stage.name),
    lineage: false,
    hasRejects: false,
  };
}

function joinOf(ctx: DuckdbContext, name: string): StageOf<'join'> {
  const s = ctx.spec.stages.find((x) => x.name === name);
  if (s?.kind !== 'join') throw new Error(`${name} is not a join`);
  return s;
}

export const aggregateStage: StageModule<'aggregate'> = {
  kind: 'aggregate',
  label: 'Aggregate',
  inputs: (stage) => [stage.input],
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileAggregateSpark, beam: compileAggregateBeam },
};
