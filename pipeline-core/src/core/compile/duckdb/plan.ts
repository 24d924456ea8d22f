import type { Schema } from '../../types/dataType.js';
import { duckdbLiteral, quoteIdent } from '../sql.js';
import { emitDuckdb } from '../../expr/emit/duckdb.js';
import { analyzeSpec, checkExpression, type Analysis } from '../../spec/analyze.js';
import { substitutePath, type ParamValues } from '../../spec/params.js';
import type { PipelineSpec, Stage } from '../../spec/schema.js';
import { compileStage } from '../../stages/registry.js';
import type { CompiledStage, DuckdbContext, OpenItems, SourceRelation } from '../../stages/stageModule.js';
import { statsQuery } from '../../stages/stageTables.js';
import { planShape, type Materialize } from './planShape.js';

export interface PlannedStage {
  readonly stage: Stage;
  readonly index: number;
  readonly compiled: CompiledStage;
  readonly schema: Schema;
}

export interface DuckdbPlan {
  readonly stages: readonly PlannedStage[];
  /** Stages whose `__all` relation is a table (the others are views fused into their readers). */
  readonly tables: ReadonlySet<string>;
  /** Output schema of every stage and stage output (`m.matched`), from the spec's analysis. */
  readonly schemas: ReadonlyMap<string, Schema>;
}

export interface DuckdbPlanOptions {
  readonly params: ParamValues;
  /** The engine adapter's way of reading each source (native readers or preloaded tables). */
  readonly sourceRelation: (source: string) => SourceRelation;
  /** Reuse an analysis already made (the loader has one). */
  readonly analysis?: Analysis;
  /** 'auto' (default): materialise only where it saves work. 'all': every stage a table (preview, profiling). */
  readonly materialize?: Materialize;
  /**
   * Read every source into a table. Exported plans need it: their readers list the files in a
   * session variable, which a view would read again later (in dbt, in another session).
   */
  readonly sourceTables?: boolean;
  /** Open items carried into each match stage (the runner reads them from the lake's state). */
  readonly openItems?: (stage: string) => OpenItems | undefined;
}

export class PlanError extends Error {}

/**
 * Compiles a valid spec into DuckDB statements, stage by stage. The runner, the designer's
 * preview and the DuckDB export all execute this same plan.
 */
export function compileDuckdbPlan(spec: PipelineSpec, opts: DuckdbPlanOptions): DuckdbPlan {
  const analysis = opts.analysis ?? analyzeSpec(spec);
  const shape = planShape(spec, opts.materialize ?? 'auto', opts.sourceTables ?? false);
  const lineage = new Map<string, boolean>();
  const stats = new Map<string, string>();
  const schemaOf = (name: string): Schema => {
    const s = analysis.schemas.get(name);
    if (!s) throw new PlanError(`stage '${name}' has errors; fix them before running`);
    return s;
  };
  const ctx: DuckdbContext = {
    spec,
    params: opts.params,
    table: (name) => quoteIdent(name),
    schemaOf,
    stepSchemas: (name) => analysis.stepSchemas.get(name) ?? [schemaOf(name)],
    hasLineage: (name) => lineage.get(name) ?? false,
    needsLineage: (name) => shape.lineage.has(name),
    materialize: (name) => shape.tables.has(name),
    countedBy: (name) => shape.countedBy.get(name),
    counts: (name) => [...shape.countedBy].filter(([, by]) => by === name).map(([join]) => join),
    expr: (text, columns, qualify) => {
      const checked = checkExpression(text, columns, analysis.paramTypes);
      if (!checked.expr || checked.errors.length) throw new PlanError(`expression '${text}' has errors: ${checked.errors.map((e) => e.message).join('; ')}`);
      return emitDuckdb(checked.expr, {
        ...(checked.types ? { types: checked.types } : {}),
        ...(qualify ? { column: (name: string) => `${qualify}.${quoteIdent(name)}` } : {}),
        param: (name) => duckdbLiteral(opts.params[name] ?? null, analysis.paramTypes[name] ?? 'string'),
      });
    },
    sourceRelation: opts.sourceRelation,
    statsOf: (name) => {
      const s = stats.get(name);
      if (!s) throw new PlanError(`stage '${name}' must come before the rule that checks it`);
      return s;
    },
    path: (template) => substitutePath(template, opts.params),
    openItems: (name) => opts.openItems?.(name),
  };
  const stages = spec.stages.map((stage, index) => {
    const compiled = compileStage('duckdb', stage, ctx);
    lineage.set(stage.name, compiled.lineage);
    stats.set(stage.name, statsQuery(stage.name));
    return { stage, index, compiled, schema: schemaOf(stage.name) };
  });
  return { stages, tables: shape.tables, schemas: analysis.schemas };
}

/**
 * Engine set-up every DuckDB adapter provides before a plan runs. Timestamps are UTC instants;
 * bb_local_to_utc turns a wall-clock time in a named zone into UTC. Native DuckDB has ICU for
 * it; DuckDB-WASM has none, so the browser adapter registers a JavaScript function of the same
 * name instead of this macro.
 */
export const DUCKDB_NATIVE_PRELUDE: readonly string[] = [
  "SET TimeZone = 'UTC'",
  'CREATE OR REPLACE MACRO bb_local_to_utc(ts, zone) AS CAST(timezone(zone, ts) AS TIMESTAMP)',
];
