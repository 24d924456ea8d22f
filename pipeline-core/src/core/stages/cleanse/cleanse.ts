import type { Schema } from '../../types/dataType.js';
import { quoteIdent } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { allTable, createAll, passthroughStats, stageStats, stageViews, statsFromAll, statsQuery } from '../stageTables.js';
import { STEP_HANDLERS, type StepHandler, type StepSql } from './stepHandlers.js';
import type { CleanseStep, StepKind } from './steps.js';
import { compileCleanseSpark } from './spark.js';
import { stageMayReject } from '../mayReject.js';
import { compileCleanseBeam } from './beam.js';

type Cleanse = StageOf<'cleanse'>;

function handler<K extends StepKind>(step: Extract<CleanseStep, { step: K }>): StepHandler<K> {
  return STEP_HANDLERS[step.step as K] as StepHandler<K>;
}

function activeSteps(stage: Cleanse): { step: CleanseStep; index: number }[] {
  return stage.steps.map((step, index) => ({ step: step as CleanseStep, index })).filter(({ step }) => step.enabled !== false);
}

/** The schema before each active step and after the last one. */
export function cleanseSchemas(stage: Cleanse, input: Schema, ctx: PropagateContext): Schema[] {
  const schemas: Schema[] = [input];
  for (const { step, index } of activeSteps(stage)) {
    const before = schemas[schemas.length - 1]!;
    schemas.push(handler(step).propagate(step as never, before, ctx, [...ctx.path, 'steps', index]));
  }
  return schemas;
}

function propagate(stage: Cleanse, ctx: PropagateContext): PropagateResult {
  const input = ctx.schemaOf(stage.input, [...ctx.path, 'input']);
  if (!input) return { schema: [] };
  const stepSchemas = cleanseSchemas(stage, input, ctx);
  return { schema: stepSchemas[stepSchemas.length - 1]!, stepSchemas };
}

/**
 * The steps become one chain of SELECTs. A row that a step rejects keeps flowing (so later
 * steps need no special cases) but carries its first reason; at the end live rows go to the
 * output, rejected rows to rejects, and filtered rows are only counted.
 */
function compileDuckdb(stage: Cleanse, ctx: DuckdbContext): CompiledStage {
  const lineageIn = ctx.hasLineage(stage.input);
  const lineageOut = lineageIn && ctx.needsLineage(stage.name);
  // rows keep their source position where they may be rejected here or later
  const keepLineage = lineageIn && (lineageOut || stageMayReject(stage));
  const meta = keepLineage ? ['_bb_src', '_bb_file', '_bb_row'] : [];
  const schemas = ctx.stepSchemas(stage.name);
  let schema = schemas[0]!;
  // the input order, kept only where a dedupe needs it (to break ties and restore the order)
  const dedupe = activeSteps(stage).some(({ step }) => step.step === 'dedupe');
  const seq = dedupe ? [`${lineageIn ? '_bb_row' : 'row_number() OVER ()'} AS _bb_seq`] : [];
  const carried = [...meta, ...(dedupe ? ['_bb_seq'] : [])];
  const ctes = [
    `s0 AS (SELECT ${[...schema.map((c) => quoteIdent(c.name)), ...meta, ...seq].join(', ')}, CAST(NULL AS VARCHAR) AS _bb_reason, FALSE AS _bb_dropped FROM ${ctx.table(stage.input)})`,
  ];
  let removes = false;
  for (const [i, { step }] of activeSteps(stage).entries()) {
    const sql: StepSql = handler(step).compile.duckdb(step as never, schema, ctx);
    const alive = '(_bb_reason IS NULL AND NOT _bb_dropped)';
    const reason = sql.reason ? `CASE WHEN ${alive} THEN ${sql.reason} ELSE _bb_reason END` : '_bb_reason';
    const dropped = sql.drop ? `_bb_dropped OR (${alive} AND (${sql.drop}))` : '_bb_dropped';
    removes ||= sql.reason !== undefined || sql.drop !== undefined;
    const cols = sql.columns.map((c) => `${c.sql} AS ${quoteIdent(c.name)}`);
    // each computed value in its own SELECT, so a later one can use an earlier one
    for (const c of sql.computed ?? []) ctes.push(`s${ctes.length} AS (SELECT *, ${c.sql} AS ${quoteIdent(c.name)} FROM s${ctes.length - 1})`);
    const prev = `s${ctes.length - 1}`;
    ctes.push(`s${ctes.length} AS (SELECT ${[...cols, ...carried].join(', ')}, ${reason} AS _bb_reason, ${dropped} AS _bb_dropped FROM ${prev})`);
    schema = schemas[i + 1]!;
  }
  // Only a dedupe reorders rows; restore the input order so the preview reads like the file.
  const reorder = dedupe ? ' ORDER BY _bb_seq' : '';
  const outCols = schema.map((c) => quoteIdent(c.name)).join(', ');
  const all = allTable(stage.name);
  const lineage = keepLineage ? '_bb_src, _bb_file, _bb_row' : undefined;
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), `WITH ${ctes.join(',\n')}\nSELECT ${[outCols, ...meta, '_bb_reason', '_bb_dropped', 'CAST(NULL AS BIGINT) AS _bb_line', 'CAST(NULL AS VARCHAR) AS _bb_raw'].filter(Boolean).join(', ')} FROM s${ctes.length - 1}${reorder}`),
      ...stageViews(stage.name, outCols, lineageOut ? lineage : undefined, all, lineage),
      // steps that can neither reject nor drop pass every row: the counts are the input's
      stageStats(stage.name, removes ? statsFromAll(all) : passthroughStats(stage.input)),
    ],
    stats: statsQuery(stage.name),
    lineage: lineageOut,
    hasRejects: true,
  };
}

export const cleanseStage: StageModule<'cleanse'> = {
  kind: 'cleanse',
  label: 'Cleanse',
  inputs: (stage) => [stage.input],
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileCleanseSpark, beam: compileCleanseBeam },
};
