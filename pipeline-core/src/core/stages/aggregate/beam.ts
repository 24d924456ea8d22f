import type { StageOf } from '../../spec/schema.js';
import { planMeasures, specExprTypeOf } from './measures.js';
import { py, pyCall, pyList, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/** CombinePerKey (CombineGlobally without group_by: one row even for no input, as in SQL). */
export function compileAggregateBeam(stage: StageOf<'aggregate'>, ctx: BeamContext): BeamStage {
  const input = ctx.schemaOf(stage.input);
  const plan = planMeasures(stage, input, specExprTypeOf(ctx.spec));
  const measures = stage.measures.flatMap((m) => {
    if (m.fn === undefined) return [];
    const arg = m.column !== undefined ? py(m.column) : m.expr !== undefined ? `lambda r: ${ctx.expr(m.expr, input)}` : 'None';
    return [`(${py(m.name)}, bb.Measure(${py(m.fn)}, ${arg}, ${py(plan.aggregated.find((c) => c.name === m.name)?.type ?? 'double')}))`];
  });
  const args = [py(stage.name), ctx.ref(stage.input), py(stage.group_by), pyList(measures, '    ')];
  // computed and rounded measures: applied in list order to each output row (measures.ts)
  if (plan.steps.length) args.push(`steps=${pyList(plan.steps.map((s) => `(${py(s.name)}, lambda r: ${ctx.expr(s.expr, s.columns)})`), '    ')}`, `out_columns=${py(plan.output.map((c) => c.name))}`);
  return {
    code: `${pythonVariable(stage.name)} = ${pyCall('run.aggregate', args)}`,
    lineage: false,
    streaming: 'needs a window: one result row per group and window (triggers decide when early or late results are emitted)',
  };
}
