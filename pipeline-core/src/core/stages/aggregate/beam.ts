import type { StageOf } from '../../spec/schema.js';
import { py, pyCall, pyList, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/** CombinePerKey (CombineGlobally without group_by: one row even for no input, as in SQL). */
export function compileAggregateBeam(stage: StageOf<'aggregate'>, ctx: BeamContext): BeamStage {
  const input = ctx.schemaOf(stage.input);
  const out = ctx.schemaOf(stage.name);
  const measures = stage.measures.map((m) => {
    const arg = m.column !== undefined ? py(m.column) : m.expr !== undefined ? `lambda r: ${ctx.expr(m.expr, input)}` : 'None';
    return `(${py(m.name)}, bb.Measure(${py(m.fn)}, ${arg}, ${py(out.find((c) => c.name === m.name)?.type ?? 'double')}))`;
  });
  return {
    code: `${pythonVariable(stage.name)} = ${pyCall('run.aggregate', [py(stage.name), ctx.ref(stage.input), py(stage.group_by), pyList(measures, '    ')])}`,
    lineage: false,
    streaming: 'needs a window: one result row per group and window (triggers decide when early or late results are emitted)',
  };
}
