import type { StageOf } from '../../spec/schema.js';
import { py, pyColumns, pyCall, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/**
 * Beam's SqlTransform needs a Java expansion service, so custom SQL (written for DuckDB) runs on
 * the duckdb Python package inside the pipeline, over the inputs' rows gathered on one worker.
 */
export function compileSqlBeam(stage: StageOf<'sql'>, ctx: BeamContext): BeamStage {
  const inputs = `{${stage.inputs.map((i) => `${py(i)}: ${ctx.ref(i)}`).join(', ')}}`;
  const columns = `{${stage.inputs.map((i) => `${py(i)}: ${pyColumns(ctx.schemaOf(i))}`).join(', ')}}`;
  return {
    code: `${pythonVariable(stage.name)} = ${pyCall('run.sql', [py(stage.name), inputs, py(stage.sql), columns, pyColumns(stage.schema)])}`,
    lineage: false,
    streaming: 'not available in streaming: the custom SQL gathers all its input rows in one place',
    flags: [
      'check manually: this custom SQL (DuckDB dialect) is run by the duckdb Python package inside the Beam pipeline, over all its input rows on one worker; install duckdb on the workers (requirements.txt) and mind the memory for large inputs',
    ],
  };
}
