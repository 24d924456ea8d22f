import type { DataType, Schema } from '../../types/dataType.js';
import { decimalShape, decimalType, duckdbType, isNumeric } from '../../types/dataType.js';
import { quoteIdent } from '../../compile/sql.js';
import type { Measure, StageOf } from '../../spec/schema.js';
import { allTable, createAll, plainView, stageStats, statsQuery } from '../stageTables.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileAggregateSpark } from './spark.js';
import { joinStats } from '../join/join.js';
import { compileAggregateBeam } from './beam.js';

type Aggregate = StageOf<'aggregate'>;

/** Result type of an aggregate function; the same on every engine (each compiler casts to it). */
export function measureType(fn: Measure['fn'], input: DataType | undefined): DataType {
  switch (fn) {
    case 'count':
    case 'count_distinct':
      return 'integer';
    case 'avg':
      return 'double';
    case 'sum': {
      const d = input ? decimalShape(input) : undefined;
      if (d) return decimalType(38, d.scale);
      return input === 'integer' ? 'integer' : 'double';
    }
    default:
      return input ?? 'string';
  }
}

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
    let t: DataType | undefined;
    if (m.column !== undefined && m.expr !== undefined) ctx.error(at, 'give either column or expr, not both');
    if (m.column !== undefined) t = ctx.column([...at, 'column'], m.column, input);
    else if (m.expr !== undefined) t = ctx.expression([...at, 'expr'], m.expr, input).type;
    else if (m.fn !== 'count') ctx.error(at, `${m.fn} needs a column or an expr`);
    if (t && (m.fn === 'sum' || m.fn === 'avg') && !isNumeric(t)) ctx.error(at, `${m.fn} needs a number, but this is ${t}`);
    if (schema.some((c) => c.name === m.name)) ctx.error([...at, 'name'], `the output already has a column '${m.name}'`);
    schema.push({ name: m.name, type: measureType(m.fn, t) });
  });
  return { schema };
}

function measureSql(m: Measure, input: Schema, ctx: DuckdbContext, type: DataType): string {
  const arg = m.column !== undefined ? quoteIdent(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, input)})` : '*';
  const call = m.fn === 'count_distinct' ? `count(DISTINCT ${arg})` : `${m.fn}(${arg})`;
  return `CAST(${call} AS ${duckdbType(type)})`;
}

function compileDuckdb(stage: Aggregate, ctx: DuckdbContext): CompiledStage {
  const input = ctx.schemaOf(stage.input);
  const outSchema = ctx.schemaOf(stage.name);
  const groups = stage.group_by.map(quoteIdent);
  const measures = stage.measures.map((m) => `${measureSql(m, input, ctx, outSchema.find((c) => c.name === m.name)?.type ?? 'double')} AS ${quoteIdent(m.name)}`);
  const groupBy = groups.length ? ` GROUP BY ${groups.join(', ')}` : '';
  const all = allTable(stage.name);
  // _bb_n: the rows of each group, so the input's count comes from this small table (no second scan)
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), `SELECT ${[...groups, ...measures, 'count(*) AS _bb_n'].join(', ')} FROM ${ctx.table(stage.input)}${groupBy}`),
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
