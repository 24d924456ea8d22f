import { analyzeSpec, checkExpression } from '../../spec/analyze.js';
import type { PipelineSpec, Stage } from '../../spec/schema.js';
import { compileStage } from '../../stages/registry.js';
import type { Schema } from '../../types/dataType.js';
import { emitSpark, SparkUnsupported } from '../../expr/emit/spark.js';
import { sparkIdentifier } from '../../expr/emit/spark.js';
import { catchRefusal, isRefusal, RefusalError, type ExportRefusal } from '../refusal.js';
import type { SparkContext, SparkStage } from './sparkTypes.js';

export interface SparkPlan {
  readonly stages: readonly { readonly stage: Stage; readonly compiled: SparkStage }[];
  readonly refusals: readonly ExportRefusal[];
}

/** Compiles every stage for Spark; refusals are collected per stage, never emitted as code. */
export function compileSparkPlan(spec: PipelineSpec): SparkPlan {
  const analysis = analyzeSpec(spec);
  const lineage = new Map<string, boolean>();
  const stats = new Map<string, string>();
  const schemaOf = (name: string): Schema => {
    const s = analysis.schemas.get(name);
    if (!s) throw new Error(`stage '${name}' has errors; fix them before exporting`);
    return s;
  };
  const ctx: SparkContext = {
    spec,
    schemaOf,
    stepSchemas: (name) => analysis.stepSchemas.get(name) ?? [schemaOf(name)],
    hasLineage: (name) => lineage.get(name) ?? false,
    expr: (text, columns, qualify) => {
      const checked = checkExpression(text, columns, analysis.paramTypes);
      if (!checked.expr || checked.errors.length) throw new Error(`expression '${text}' has errors`);
      try {
        return emitSpark(checked.expr, {
          ...(checked.types ? { types: checked.types } : {}),
          ...(qualify ? { column: (n: string) => `${qualify}.${sparkIdentifier(n)}` } : {}),
        });
      } catch (e) {
        if (e instanceof SparkUnsupported) throw new RefusalError(`expression '${text}': ${e.message}`);
        throw e;
      }
    },
    exprType: (text, columns) => {
      const checked = checkExpression(text, columns, analysis.paramTypes);
      if (!checked.type) throw new Error(`expression '${text}' has errors`);
      return checked.type;
    },
    statsOf: (name) => {
      const s = stats.get(name);
      if (!s) throw new Error(`stage '${name}' must come before the rule that checks it`);
      return s;
    },
  };
  const stages: { stage: Stage; compiled: SparkStage }[] = [];
  const refusals: ExportRefusal[] = [];
  for (const stage of spec.stages) {
    const out = catchRefusal('spark', stage.name, () => compileStage('spark', stage, ctx));
    if (isRefusal(out)) {
      refusals.push(out);
      lineage.set(stage.name, false);
      stats.set(stage.name, 'SELECT 0 AS rows_in, 0 AS rows_out, 0 AS rejected, 0 AS filtered');
      continue;
    }
    lineage.set(stage.name, out.lineage);
    stats.set(stage.name, out.stats);
    stages.push({ stage, compiled: out });
  }
  return { stages, refusals };
}
