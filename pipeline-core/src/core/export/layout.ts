import type { PipelineSpec, StageOf } from '../spec/schema.js';
import { parameterTypes, RUN_DATE } from '../spec/analyze.js';
import type { DataType } from '../types/dataType.js';

/**
 * The run contract every exported artifact keeps, so an engineer (and the conformance suite)
 * finds the same things in the same places whichever engine ran:
 *
 *   <input_root>/<source path with {params}>           raw files, as in the project's inbox
 *   <output_root>/curated/<output path>/[col=value/]   curated outputs (parquet or csv)
 *   <output_root>/rejects/<run_date>/<stage>[.parquet | /part-*.parquet]
 *   <output_root>/validation/<run_date>/…json          one JSON object per rule, one per line
 *
 * Rejects carry source_name, source_file (input-root relative), source_row (1-based among the
 * rows the reader parsed in that file), source_line, reject_reason, raw_line, then the row.
 * Exit status: non-zero when an error-severity rule fails; outputs are not written when a rule
 * with action 'fail' fails (rejects and validation results still are).
 */
export const VALIDATION_FIELDS = ['stage', 'name', 'rule', 'severity', 'action', 'status', 'failing'] as const;
export const REJECT_PREFIX_COLUMNS = ['source_name', 'source_file', 'source_row', 'source_line', 'reject_reason', 'raw_line'] as const;

export function outputStages(spec: PipelineSpec): StageOf<'output'>[] {
  return spec.stages.filter((s): s is StageOf<'output'> => s.kind === 'output');
}

/** Parameters an exported job takes, with their types and the spec's defaults. */
export function exportParams(spec: PipelineSpec, values?: Readonly<Record<string, string | number>>): { name: string; type: DataType; value: string | undefined }[] {
  return Object.entries(parameterTypes(spec)).map(([name, type]) => {
    const v = values?.[name] ?? spec.parameters?.[name]?.default;
    return { name, type, value: v === undefined ? undefined : String(v) };
  });
}

export { RUN_DATE };
