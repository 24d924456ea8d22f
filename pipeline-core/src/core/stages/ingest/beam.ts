import type { StageOf } from '../../spec/schema.js';
import { py, pyColumns, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';

/**
 * The pipeline lists the source's files when it starts and reads each with Batchbook's readers
 * (bb_runtime.READERS: every value as text, reader errors kept with their line); each pinned
 * column is then typed as the runner types it, values that do not fit rejecting the row.
 */
export function compileIngestBeam(stage: StageOf<'ingest'>, ctx: BeamContext): BeamStage {
  const source = ctx.spec.sources[stage.source];
  if (!source) throw new Error(`unknown source ${stage.source}`);
  const pubsub = source.format === 'csv' || source.format === 'ndjson' || source.format === 'json';
  return {
    code: `${pythonVariable(stage.name)} = run.ingest(${py(stage.name)}, ${py(stage.source)}, ${pyColumns(source.schema)})`,
    lineage: true,
    streaming: pubsub
      ? `no window needed to read: with \`--subscription ${stage.source}=projects/P/subscriptions/S\` each Pub/Sub message is one ${source.format === 'csv' ? 'CSV record (pinned column order, no header)' : 'JSON object'}, typed like a file row and put in fixed windows of \`--window_seconds\``
      : `Parquet files cannot arrive as Pub/Sub messages: the files are read once when the job starts and belong to its first window`,
  };
}
