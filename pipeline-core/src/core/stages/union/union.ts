import type { DataType, Schema } from '../../types/dataType.js';
import { duckdbType } from '../../types/dataType.js';
import { commonType } from '../../expr/typeRules.js';
import { quoteIdent } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import { createAll, inputRows, plainView, stageStats, statsQuery } from '../stageTables.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileUnionSpark } from './spark.js';
import { compileUnionBeam } from './beam.js';

type Union = StageOf<'union'>;

/** The common type of two column types (the expression language's rule), or undefined when they do not mix. */
export function unifyTypes(a: DataType, b: DataType): DataType | undefined {
  const t = commonType(a, b);
  return t === 'null' ? undefined : t;
}

function propagate(stage: Union, ctx: PropagateContext): PropagateResult {
  const schemas = stage.inputs.map((name, i) => ctx.schemaOf(name, [...ctx.path, 'inputs', i]));
  const first = schemas[0];
  if (!first) return { schema: [] };
  let out: Schema = first;
  schemas.slice(1).forEach((s, k) => {
    if (!s) return;
    const at = [...ctx.path, 'inputs', k + 1];
    const missing = out.filter((c) => !s.some((d) => d.name === c.name)).map((c) => c.name);
    const extra = s.filter((c) => !out.some((d) => d.name === c.name)).map((c) => c.name);
    if (missing.length || extra.length) {
      ctx.error(at, `'${stage.inputs[k + 1]}' has different columns from '${stage.inputs[0]}'${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; extra: ${extra.join(', ')}` : ''}`, 'add rename / drop / derive steps so both sides match');
    }
    out = out.map((c) => {
      const other = s.find((d) => d.name === c.name);
      if (!other) return c;
      const t = unifyTypes(c.type, other.type);
      if (!t) ctx.error(at, `column '${c.name}' is ${c.type} in '${stage.inputs[0]}' but ${other.type} in '${stage.inputs[k + 1]}'`);
      return { name: c.name, type: t ?? c.type };
    });
  });
  return { schema: out };
}

function compileDuckdb(stage: Union, ctx: DuckdbContext): CompiledStage {
  const schema = ctx.schemaOf(stage.name);
  const lineage = stage.inputs.every((i) => ctx.hasLineage(i)) && ctx.needsLineage(stage.name);
  const cols = schema.map((c) => `CAST(${quoteIdent(c.name)} AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`).join(', ');
  const parts = stage.inputs.map((i) => `SELECT ${cols}${lineage ? ', _bb_src, _bb_file, _bb_row' : ''} FROM ${ctx.table(i)}`);
  // UNION ALL keeps every row: the counts are the inputs' (no scan)
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), parts.join('\nUNION ALL\n')),
      plainView(stage.name),
      stageStats(stage.name, `SELECT ${inputRows(stage.inputs)} AS rows_in, ${inputRows(stage.inputs)} AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered`),
    ],
    stats: statsQuery(stage.name),
    lineage,
    hasRejects: false,
  };
}

export const unionStage: StageModule<'union'> = {
  kind: 'union',
  label: 'Union',
  inputs: (stage) => stage.inputs,
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileUnionSpark, beam: compileUnionBeam },
};
