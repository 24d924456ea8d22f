import { analyzeSpec, checkExpression } from '../../spec/analyze.js';
import type { PipelineSpec, Stage } from '../../spec/schema.js';
import { compileStage } from '../../stages/registry.js';
import type { Schema } from '../../types/dataType.js';
import { emitPython, PythonUnsupported } from '../../expr/emit/python.js';
import { catchRefusal, isRefusal, RefusalError, type ExportRefusal } from '../refusal.js';
import { pythonVariable, type BeamContext, type BeamStage } from './beamTypes.js';

export interface BeamPlan {
  readonly stages: readonly { readonly stage: Stage; readonly compiled: BeamStage; readonly schema: Schema }[];
  readonly refusals: readonly ExportRefusal[];
}

/** Compiles every stage for Beam; refusals are collected per stage, never emitted as code. */
export function compileBeamPlan(spec: PipelineSpec): BeamPlan {
  const analysis = analyzeSpec(spec);
  const lineage = new Map<string, boolean>();
  const schemaOf = (name: string): Schema => {
    const s = analysis.schemas.get(name);
    if (!s) throw new Error(`stage '${name}' has errors; fix them before exporting`);
    return s;
  };
  const ctx: BeamContext = {
    spec,
    schemaOf,
    stepSchemas: (name) => analysis.stepSchemas.get(name) ?? [schemaOf(name)],
    hasLineage: (name) => lineage.get(name) ?? false,
    expr: (text, columns) => {
      const checked = checkExpression(text, columns, analysis.paramTypes);
      if (!checked.expr || checked.errors.length) throw new Error(`expression '${text}' has errors`);
      try {
        return emitPython(checked.expr, checked.types ? { types: checked.types } : {});
      } catch (e) {
        if (e instanceof PythonUnsupported) throw new RefusalError(`expression '${text}': ${e.message}`, "Python's re module reads it differently from RE2 (DuckDB)");
        throw e;
      }
    },
    ref: pythonVariable,
  };
  const stages: { stage: Stage; compiled: BeamStage; schema: Schema }[] = [];
  const refusals: ExportRefusal[] = [];
  for (const stage of spec.stages) {
    const out = catchRefusal('beam', stage.name, () => compileStage('beam', stage, ctx));
    if (isRefusal(out)) {
      refusals.push(out);
      lineage.set(stage.name, false);
      continue;
    }
    lineage.set(stage.name, out.lineage);
    stages.push({ stage, compiled: out, schema: schemaOf(stage.name) });
  }
  return { stages, refusals };
}
