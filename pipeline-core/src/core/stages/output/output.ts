import { quoteIdent } from '../../compile/sql.js';
import { passthroughStats, stageStats, statsQuery } from '../stageTables.js';
import type { StageOf } from '../../spec/schema.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileOutputSpark } from './spark.js';
import { compileOutputBeam } from './beam.js';

type Output = StageOf<'output'>;

function propagate(stage: Output, ctx: PropagateContext): PropagateResult {
  const input = ctx.schemaOf(stage.input, [...ctx.path, 'input']);
  if (!input) return { schema: [] };
  (stage.partition_by ?? []).forEach((c, i) => ctx.column([...ctx.path, 'partition_by', i], c, input));
  if (stage.partition_by && stage.partition_by.length >= input.length) ctx.error([...ctx.path, 'partition_by'], 'partitioning by every column leaves nothing to write');
  for (const m of stage.path.matchAll(/\{([^}]*)\}/g)) {
    if (!(m[1]! in ctx.params)) ctx.error([...ctx.path, 'path'], `unknown parameter {${m[1]}} in the path`, `parameters: ${Object.keys(ctx.params).join(', ')}`);
  }
  return { schema: input };
}

/**
 * An output is written by the engine adapter (atomically, partition by partition); the compiler
 * says what to write. Rows are ordered so that re-running gives byte-identical files.
 */
function compileDuckdb(stage: Output, ctx: DuckdbContext): CompiledStage {
  const cols = ctx.schemaOf(stage.input).map((c) => quoteIdent(c.name)).join(', ');
  const input = ctx.table(stage.input);
  return {
    // every input row is written: the counts are the input's
    statements: [stageStats(stage.name, passthroughStats(stage.input))],
    stats: statsQuery(stage.name),
    lineage: false,
    hasRejects: false,
    write: {
      select: `SELECT ${cols} FROM ${input} ORDER BY ALL`,
      format: stage.format,
      partitionBy: stage.partition_by ?? [],
      path: ctx.path(stage.path),
    },
  };
}

export const outputStage: StageModule<'output'> = {
  kind: 'output',
  label: 'Output',
  inputs: (stage) => [stage.input],
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileOutputSpark, beam: compileOutputBeam },
};
