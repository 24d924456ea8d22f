import { duckdbType } from '../../types/dataType.js';
import { quoteIdent } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import { createAll, inputRows, plainView, stageStats, statsQuery } from '../stageTables.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileSqlSpark } from './spark.js';
import { compileSqlBeam } from './beam.js';

type Sql = StageOf<'sql'>;

/** The SQL with string literals, quoted names and comments blanked, so a ';' inside them is not a statement end. */
function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

function propagate(stage: Sql, ctx: PropagateContext): PropagateResult {
  stage.inputs.forEach((name, i) => ctx.schemaOf(name, [...ctx.path, 'inputs', i]));
  if (/;\s*\S/.test(withoutLiterals(stage.sql).trim())) ctx.error([...ctx.path, 'sql'], 'a sql stage holds one SELECT statement', 'remove the extra statements');
  return { schema: stage.schema.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * Custom SQL runs as written (DuckDB dialect) over tables named after its inputs; its result is
 * cast to the declared schema, so downstream stages can rely on it.
 */
function compileDuckdb(stage: Sql, ctx: DuckdbContext): CompiledStage {
  const out = ctx.table(stage.name);
  const body = stage.sql.trim().replace(/;\s*$/, '');
  const cols = stage.schema.map((c) => `CAST(q.${quoteIdent(c.name)} AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`).join(', ');
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), `SELECT ${cols} FROM (\n${body}\n) q`),
      plainView(stage.name),
      stageStats(stage.name, `SELECT ${inputRows(stage.inputs)} AS rows_in, (SELECT count(*) FROM ${out}) AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered`),
    ],
    stats: statsQuery(stage.name),
    lineage: false,
    hasRejects: false,
  };
}

export const sqlStage: StageModule<'sql'> = {
  kind: 'sql',
  label: 'Custom SQL',
  inputs: (stage) => stage.inputs,
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileSqlSpark, beam: compileSqlBeam },
};
