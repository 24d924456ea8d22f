import type { PipelineSpec } from '../spec/schema.js';
import { refusal, type ExportRefusal } from './refusal.js';
import type { ExportTarget } from './targets.js';

/**
 * The dbt project would compile a match stage's SQL as it is, but without the open items carried
 * in from the previous run date: each night would forget the items still open. Until it keeps
 * that state itself, it refuses the stage instead of exporting a pipeline that gives different
 * answers from `batchbook run`.
 */
export function matchRefusals(spec: PipelineSpec, target: Extract<ExportTarget, 'dbt'>): ExportRefusal[] {
  return spec.stages.flatMap((s) =>
    s.kind === 'match'
      ? [refusal(target, s.name, 'match stage', 'the dbt project does not carry open items across run dates yet; run the pipeline with `batchbook run` or the DuckDB script export')]
      : [],
  );
}
