import type { RuleResult, StageResult } from '../execute/executePlan.js';
import type { ParamValues } from '../spec/params.js';
import type { RunMetrics } from './metrics.js';
import type { MatchReport } from './matchReport.js';

/**
 * The run report's shape, `<lake>/runs/<run_id>/report.json`. The Node runner writes it; the CLI,
 * the desktop app and the web app's Runs panel read it. It lives in the browser-safe core so the
 * designer can show a run read from a folder without the Node runner.
 */
export const EXIT = { ok: 0, runtime: 1, usage: 2, rules: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface LandedFile {
  /** Path inside the lake, e.g. raw/pos_orders/2026-11-24/pos/orders_2026-11-24.csv */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  /** landed: copied now; already: the same bytes were landed before (a no-op). */
  readonly status: 'landed' | 'already';
}

export interface LandedSource {
  readonly source: string;
  readonly files: readonly LandedFile[];
}

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
  /** DuckDB threads the run used (its `threads` setting). */
  readonly threads?: number;
  /** Process CPU seconds (user + system, all threads) from start to end of the run. */
  readonly cpu_seconds?: number;
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
  /** `batchbook run --profile`: each stage's own time, CPU, rows, bytes and heaviest DuckDB operators. */
  readonly profile?: readonly StageProfile[];
  /** Match stages: categories, open items and stale later dates (see matchReport.ts). */
  readonly matches?: readonly MatchReport[];
}

export interface StageProfile {
  readonly stage: string;
  readonly ms: number;
  readonly cpu_ms: number;
  readonly rows: number;
  /** Bytes of the stage's materialised tables (0 for a stage with no rows of its own, e.g. an output). */
  readonly bytes: number;
  /** The heaviest DuckDB operators, with their share (0–1) of the stage's operator time. */
  readonly operators: readonly { readonly operator: string; readonly share: number; readonly rows: number }[];
}

/**
 * report.json's text as a report, or undefined when it is not one (cut short by a crash,
 * or some other JSON): readers then treat the run as one without a report.
 */
export function parseRunReport(text: string): RunReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<Record<keyof RunReport, unknown>>;
  const ok = typeof r.run_id === 'string' && typeof r.pipeline === 'string' && Array.isArray(r.landed) && Array.isArray(r.stages) && Array.isArray(r.rules) && Array.isArray(r.outputs) && typeof r.status === 'string';
  return ok ? (value as RunReport) : undefined;
}
