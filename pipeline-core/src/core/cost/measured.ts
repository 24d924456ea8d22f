import { DEFAULTS, GIB } from './defaults.js';

/** What the cost model reads from one `batchbook run` report (`<lake>/runs/<id>/report.json`). */
export interface RunSummary {
  readonly run_id: string;
  readonly run_date?: string;
  readonly status: string;
  /** Raw bytes landed per source for the run. */
  readonly landed_bytes: Readonly<Record<string, number>>;
  /** Sum of the stages' milliseconds (processing, without landing and publishing). */
  readonly stage_ms: number;
  /** Sum of the stages' process CPU milliseconds (all threads), when the report records it. */
  readonly stage_cpu_ms?: number;
  /** Process CPU seconds of the whole run (landing and publishing included), when recorded. */
  readonly cpu_seconds?: number;
  /** DuckDB threads the run used, when the report records it. */
  readonly threads?: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Median landed bytes per source over the runs that did not error (robust to a peak day among them). */
export function measuredDailyBytes(runs: readonly RunSummary[]): Record<string, number> {
  const ok = runs.filter((r) => r.status !== 'error');
  const sources = [...new Set(ok.flatMap((r) => Object.keys(r.landed_bytes)))].sort();
  return Object.fromEntries(sources.map((s) => [s, median(ok.map((r) => r.landed_bytes[s] ?? 0))]));
}

export interface CalibrationRun {
  readonly run_id: string;
  readonly mib: number;
  readonly cpu_seconds: number;
  /** MiB ÷ CPU-seconds of the stages: the runner's throughput per busy vCPU. */
  readonly mib_per_cpu_second: number;
  readonly threads?: number;
}

export interface Calibration {
  /** Runs big enough to calibrate from. */
  readonly runs_used: readonly string[];
  readonly runs_too_small: number;
  /** Runs whose report has no CPU time (written before the runner recorded it): not used. */
  readonly runs_without_cpu: number;
  readonly runs?: readonly CalibrationRun[];
  /** Median runner throughput per CPU-second over the runs used, MiB/s. */
  readonly runner_mib_per_vcpu_second?: number;
  /** The factor applied for the target engine, and why it has that value. */
  readonly engine_factor?: number;
  readonly engine_factor_basis?: string;
  /** runner throughput × engine factor: the throughput the estimate uses. */
  readonly mib_per_vcpu_second?: number;
  readonly reason: string;
}

const mibOf = (r: RunSummary) => Object.values(r.landed_bytes).reduce((a, b) => a + b, 0) / 1024 ** 2;

/**
 * Throughput per vCPU measured from run reports: landed MiB ÷ the CPU-seconds the stages really
 * used (process CPU, all threads), median over runs with at least `minMib` of input (smaller
 * runs measure start-up, not throughput), scaled by the target engine's factor. Wall-clock ×
 * threads is never used: on a shared or I/O-bound machine threads wait, and that is not work.
 */
export function calibrateThroughput(runs: readonly RunSummary[], engineFactor: number, minMib = DEFAULTS.minCalibrationMib, basis?: string): Calibration {
  if (runs.length === 0) return { runs_used: [], runs_too_small: 0, runs_without_cpu: 0, reason: 'no run reports found' };
  const usable = runs.filter((r) => r.status !== 'error' && r.stage_ms > 0);
  const withCpu = usable.filter((r) => (r.stage_cpu_ms ?? 0) > 0);
  const withoutCpu = usable.length - withCpu.length;
  const big = withCpu.filter((r) => mibOf(r) >= minMib);
  if (big.length === 0) {
    const largest = Math.max(0, ...usable.map(mibOf));
    const why = withCpu.length === 0 && usable.length > 0
      ? `${usable.length} run report(s) without CPU time (written before the runner recorded it): re-run to calibrate`
      : `${usable.length} run report(s), the largest with ${largest.toFixed(2)} MiB of input, under the ${minMib} MiB needed to measure throughput`;
    return { runs_used: [], runs_too_small: withCpu.length, runs_without_cpu: withoutCpu, reason: why };
  }
  const measured: CalibrationRun[] = big.map((r) => {
    const cpu = (r.stage_cpu_ms as number) / 1000;
    return { run_id: r.run_id, mib: mibOf(r), cpu_seconds: cpu, mib_per_cpu_second: mibOf(r) / cpu, ...(r.threads ? { threads: r.threads } : {}) };
  });
  const runner = median(measured.map((m) => m.mib_per_cpu_second));
  return {
    runs_used: big.map((r) => r.run_id),
    runs_too_small: withCpu.length - big.length,
    runs_without_cpu: withoutCpu,
    runs: measured,
    runner_mib_per_vcpu_second: runner,
    engine_factor: engineFactor,
    ...(basis ? { engine_factor_basis: basis } : {}),
    mib_per_vcpu_second: runner * engineFactor,
    reason: `median of ${big.length} run report(s) with at least ${minMib} MiB of input: landed MiB ÷ stage CPU-seconds`,
  };
}

export const bytesToGb = (b: number): number => b / GIB;
