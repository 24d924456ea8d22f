import type { PipelineSpec, StageOf } from '../../spec/schema.js';

/**
 * Where a match stage keeps the open items of a run date, relative to the lake (the runner) or
 * the output root (the exported DuckDB script): one folder per date, one Parquet file per side.
 * A run reads the latest EARLIER date's folder, never a later one.
 */
export function stateDir(stage: string, runDate: string): string {
  return `state/${stage}/run_date=${runDate}`;
}

export function stateFile(side: 'left' | 'right'): string {
  return `open_${side}.parquet`;
}

/** The match stages that carry their open items into the next run date (open_items.carry is not false). */
export function carryingStages(spec: PipelineSpec): StageOf<'match'>[] {
  return spec.stages.filter((s): s is StageOf<'match'> => s.kind === 'match' && s.open_items?.carry !== false);
}
