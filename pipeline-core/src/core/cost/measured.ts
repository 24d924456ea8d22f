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

export interface Calibration {
  /** Runs big enough to calibrate from. */
  readonly runs_used: readonly string[];
  readonly runs_too_small: number;
  /** Median runner throughput per thread over the runs used, MiB/s. */
  readonly runner_mib_per_vcpu_second?: number;
  readonly threads_assumed?: number;
  /** runner throughput × engine factor: the throughput the estimate uses. */
  readonly mib_per_vcpu_second?: number;
  readonly reason: string;
}

/**
 * Throughput per vCPU measured from run reports: landed MiB / (stage seconds × threads), median
 * over runs with at least `minMib` of input (smaller runs measure start-up, not throughput),
 * scaled by the engine factor. `assumedThreads` stands in when a report does not record threads.
 */
export function calibrateThroughput(runs: readonly RunSummary[], engineFactor: number, assumedThreads: number, minMib = DEFAULTS.minCalibrationMib): Calibration {
  const usable = runs.filter((r) => r.status !== 'error' && r.stage_ms > 0);
  const mib = (r: RunSummary) => Object.values(r.landed_bytes).reduce((a, b) => a + b, 0) / 1024 ** 2;
  const big = usable.filter((r) => mib(r) >= minMib);
  if (runs.length === 0) return { runs_used: [], runs_too_small: 0, reason: 'no run reports found' };
  if (big.length === 0) {
    const largest = Math.max(0, ...usable.map(mib));
    return { runs_used: [], runs_too_small: usable.length, reason: `${usable.length} run report(s), the largest with ${largest.toFixed(2)} MiB of input, under the ${minMib} MiB needed to measure throughput` };
  }
  const rates = big.map((r) => mib(r) / ((r.stage_ms / 1000) * (r.threads ?? assumedThreads)));
  const runner = median(rates);
  const anyAssumed = big.some((r) => r.threads === undefined);
  return {
    runs_used: big.map((r) => r.run_id),
    runs_too_small: usable.length - big.length,
    runner_mib_per_vcpu_second: runner,
    ...(anyAssumed ? { threads_assumed: assumedThreads } : {}),
    mib_per_vcpu_second: runner * engineFactor,
    reason: `median of ${big.length} run report(s) with at least ${minMib} MiB of input`,
  };
}

export const bytesToGb = (b: number): number => b / GIB;
