import type { RuleResult, StageResult } from '../execute/executePlan.js';
import type { PipelineSpec } from '../spec/schema.js';

/** Per-stage numbers of one run (also the rows of `batchbook runs --show`). */
export interface StageMetrics {
  readonly stage: string;
  readonly kind: string;
  readonly rows_in: number;
  readonly rows_out: number;
  readonly rows_rejected: number;
  readonly rows_filtered: number;
  /** Source bytes an ingest stage read; 0 for stages working in the engine. */
  readonly bytes_read: number;
  /** Output files (output stages) plus the stage's rejects file. */
  readonly bytes_written: number;
  readonly duration_seconds: number;
  readonly rules_evaluated: number;
  readonly rule_failures: number;
  /** Highest resident memory of the process seen while the stage ran, when it was sampled. */
  readonly peak_memory_bytes?: number;
}

/** A run's metrics, stored in the run report and written as OpenMetrics text. */
export interface RunMetrics {
  readonly rows_in: number;
  readonly rows_out: number;
  readonly rows_rejected: number;
  readonly bytes_read: number;
  readonly bytes_written: number;
  readonly duration_seconds: number;
  readonly rules_evaluated: number;
  readonly rule_failures: number;
  readonly rule_failures_error: number;
  readonly peak_memory_bytes: number;
  readonly stages: readonly StageMetrics[];
}

/** What metrics are computed from: the parts of a run report the runner has at its end. */
export interface MetricsInput {
  readonly duration_ms: number;
  readonly peak_memory_bytes?: number | undefined;
  readonly landed: readonly { readonly source: string; readonly files: readonly { readonly bytes: number }[] }[];
  readonly stages: readonly StageResult[];
  readonly rules: readonly RuleResult[];
  readonly outputs: readonly { readonly stage: string; readonly rows: number; readonly files: readonly { readonly bytes: number }[] }[];
  readonly rejects: readonly { readonly stage: string; readonly rows: number; readonly bytes?: number | undefined }[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/**
 * Derives run and stage metrics from a run's results. Rows in are what the ingest stages read,
 * rows out what the outputs wrote, rows rejected what went to the rejects zone.
 */
export function computeRunMetrics(input: MetricsInput, spec: PipelineSpec, stagePeaks: ReadonlyMap<string, number> = new Map()): RunMetrics {
  const sourceBytes = new Map(input.landed.map((l) => [l.source, sum(l.files.map((f) => f.bytes))]));
  const stageSource = new Map(spec.stages.flatMap((s) => (s.kind === 'ingest' ? [[s.name, s.source] as const] : [])));
  const written = new Map<string, number>();
  for (const o of input.outputs) written.set(o.stage, (written.get(o.stage) ?? 0) + sum(o.files.map((f) => f.bytes)));
  for (const r of input.rejects) written.set(r.stage, (written.get(r.stage) ?? 0) + (r.bytes ?? 0));
  const stages = input.stages.map((s): StageMetrics => {
    const rules = input.rules.filter((r) => r.stage === s.name);
    const source = stageSource.get(s.name);
    const peak = stagePeaks.get(s.name);
    return {
      stage: s.name,
      kind: s.kind,
      rows_in: s.rows_in,
      rows_out: s.rows_out,
      rows_rejected: s.rejected,
      rows_filtered: s.filtered,
      bytes_read: source ? (sourceBytes.get(source) ?? 0) : 0,
      bytes_written: written.get(s.name) ?? 0,
      duration_seconds: s.ms / 1000,
      rules_evaluated: rules.length,
      rule_failures: rules.filter((r) => r.status === 'fail').length,
      ...(peak !== undefined ? { peak_memory_bytes: peak } : {}),
    };
  });
  const failed = input.rules.filter((r) => r.status === 'fail');
  return {
    rows_in: sum(input.stages.filter((s) => s.kind === 'ingest').map((s) => s.rows_in)),
    rows_out: sum(input.outputs.map((o) => o.rows)),
    rows_rejected: sum(input.rejects.map((r) => r.rows)),
    bytes_read: sum([...sourceBytes.values()]),
    bytes_written: sum([...written.values()]),
    duration_seconds: input.duration_ms / 1000,
    rules_evaluated: input.rules.length,
    rule_failures: failed.length,
    rule_failures_error: failed.filter((r) => r.severity === 'error').length,
    peak_memory_bytes: input.peak_memory_bytes ?? 0,
    stages,
  };
}
