import type { StageOf } from '../../spec/schema.js';
import { py, pyCall, pyColumns, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/** Written after every rule has run, and only when no rule with action fail failed. */
export function compileOutputBeam(stage: StageOf<'output'>, ctx: BeamContext): BeamStage {
  const args = [py(stage.name), ctx.ref(stage.input), py(stage.format), py(stage.path), py(stage.partition_by ?? []), pyColumns(ctx.schemaOf(stage.input), '    ')];
  return {
    code: `${pythonVariable(stage.name)} = ${pyCall('run.output', args)}`,
    lineage: false,
    streaming: 'needs a window: each window’s rows are written when the window closes (one file per window and partition)',
  };
}
