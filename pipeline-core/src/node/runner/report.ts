import type { RuleResult, StageResult } from '../../core/execute/executePlan.js';
import type { ParamValues } from '../../core/spec/params.js';
import type { LandedSource } from './land.js';
import type { RunMetrics } from '../../core/ops/metrics.js';

export const EXIT = { ok: 0, runtime: 1, usage: 2, rules: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface OutputFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface OutputReport {
  readonly stage: string;
  readonly format: 'parquet' | 'csv';
  /** Folder inside the lake, e.g. curated/orders_daily */
  readonly path: string;
  readonly rows: number;
  readonly partitions: readonly string[];
  readonly files: readonly OutputFile[];
}

export interface RejectsReport {
  readonly stage: string;
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** The run report, `<lake>/runs/<run_id>/report.json`: what ran, on what, and how it went. */
export interface RunReport {
  readonly report_version: 1;
  readonly run_id: string;
  readonly pipeline: string;
  readonly spec_sha256: string;
  readonly params: ParamValues;
  readonly replay: boolean;
  readonly status: 'succeeded' | 'failed' | 'error';
  readonly exit_code: ExitCode;
  /** Whether curated outputs were written (not when a fail-action rule failed or the run errored). */
  readonly published: boolean;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly peak_memory_bytes?: number;
  /** Raw bytes landed (read) and output + rejects bytes written. */
  readonly bytes_read: number;
  readonly bytes_written: number;
  readonly landed: readonly LandedSource[];
  readonly stages: readonly StageResult[];
  readonly rules: readonly RuleResult[];
  readonly outputs: readonly OutputReport[];
  readonly rejects: readonly RejectsReport[];
  readonly error?: { readonly message: string; readonly stage?: string };
  /** Run and per-stage metrics, also written as OpenMetrics text to runs/<run_id>/metrics.prom. */
  readonly metrics: RunMetrics;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The short human summary printed on stderr after a run. */
export function summarise(report: RunReport): string {
  const lines: string[] = [];
  const icon = report.status === 'succeeded' ? '✓' : '✗';
  lines.push(`${icon} ${report.pipeline} ${Object.entries(report.params).map(([k, v]) => `${k}=${v}`).join(' ')} — ${report.status} in ${(report.duration_ms / 1000).toFixed(1)}s (run ${report.run_id})`);
  for (const s of report.stages) {
    const extra = [s.rejected ? `${n(s.rejected)} rejected` : '', s.filtered ? `${n(s.filtered)} filtered` : ''].filter(Boolean).join(', ');
    lines.push(`  ${s.name.padEnd(24)} ${s.kind.padEnd(9)} ${n(s.rows_out).padStart(11)} rows${extra ? ` (${extra})` : ''}  ${s.ms} ms`);
  }
  const failed = report.rules.filter((r) => r.status === 'fail');
  if (failed.length) {
    lines.push('  rules failed:');
    for (const r of failed) lines.push(`    ${r.severity === 'error' ? '✗' : '!'} ${r.stage}.${r.name} (${r.rule}, ${r.severity}, ${r.action}): ${n(r.failing)} failing${sampleText(r)}`);
  } else if (report.rules.length) {
    lines.push(`  all ${report.rules.length} rules passed`);
  }
  for (const o of report.outputs) lines.push(`  → ${o.path} (${n(o.rows)} rows, ${o.files.length} file${o.files.length === 1 ? '' : 's'})`);
  if (!report.published && report.status !== 'error') lines.push('  outputs NOT published: a rule with action "fail" failed');
  if (report.error) lines.push(`  error${report.error.stage ? ` in ${report.error.stage}` : ''}: ${report.error.message}`);
  return lines.join('\n');
}

function sampleText(r: RuleResult): string {
  const first = r.samples[0];
  if (!first) return '';
  const text = Object.entries(first).map(([k, v]) => `${k}=${v === null ? 'NULL' : String(v)}`).join(', ');
  return ` — e.g. ${text.length > 140 ? `${text.slice(0, 140)}…` : text}`;
}
