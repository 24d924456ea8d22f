import type { StageOf } from '../../spec/schema.js';
import { py, pyColumns, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/** Flatten, each input's columns converted to the common types (as the runner's CAST does). */
export function compileUnionBeam(stage: StageOf<'union'>, ctx: BeamContext): BeamStage {
  return {
    code: `${pythonVariable(stage.name)} = run.union(${py(stage.name)}, [${stage.inputs.map((i) => ctx.ref(i)).join(', ')}], ${pyColumns(ctx.schemaOf(stage.name))})`,
    lineage: stage.inputs.every((i) => ctx.hasLineage(i)),
    streaming: 'no window needed (a Flatten); the inputs must use the same windowing',
  };
}
