/**
 * The defaults a scenario falls back on. Each is an assumption, not a fact: the estimate lists
 * every one it used, in plain language, so a reader can disagree and change it in the spec.
 */
export const DEFAULTS = {
  provider: 'gcp',
  /** Raw input one vCPU carries through a parse + cleanse + dedupe + join + aggregate pipeline. */
  mibPerVcpuSecond: 5,
  /** Run reports with less input than this are dominated by fixed overheads: not used to calibrate. */
  minCalibrationMib: 64,
  windowHours: 4,
  runsPerDay: 1,
  peakMultiplier: 1,
  peakDaysPerYear: 0,
  peakMonths: [11, 12] as readonly number[],
  serverless: { gcp: 'dataproc_serverless', aws: 'glue' },
  startupMinutes: 2,
  shuffleRatio: 0.5,
  alwaysOn: { gcp: { service: 'dataproc_gce', machine: 'n2-standard-8' }, aws: { service: 'ec2', machine: 'm6i.2xlarge' } },
  plan: { gcp: 'sustained_use', aws: 'on_demand' },
  hoursPerDay: 24,
  headroom: 0.2,
  retentionDays: 30,
  loadedRatePerHour: 95,
  alwaysOnOpsHoursPerMonth: 16,
  serverlessOpsHoursPerMonth: 4,
} as const;

/** Hours in the month that GCP and AWS prices per month are quoted against (8760 / 12). */
export const HOURS_PER_MONTH = 730;
export const GIB = 1024 ** 3;

export type EngineKey = 'spark' | 'glue' | 'beam' | 'duckdb';

/**
 * A target engine's throughput per vCPU relative to the embedded DuckDB runner's, applied to the
 * throughput calibrated from run reports (`cost.throughput.engine_factor` overrides it). These are
 * judgement anchored on the cited sources, not measurements of this pipeline: when the engines
 * bench measures the exported Spark and Beam jobs on the same data, its ratios replace them.
 */
export const ENGINE_FACTORS: Readonly<Record<EngineKey, { readonly factor: number; readonly basis: string }>> = {
  spark: {
    factor: 0.5,
    basis: 'Spark per vCPU at half the DuckDB runner: TPC-H at 10 GB-1 TB shows DuckDB well ahead of Spark on equal hardware, converging on cloud storage (Coiled, "DataFrames at Scale Comparison: TPC-H", 2024-05-14, https://docs.coiled.io/blog/tpch.html)',
  },
  glue: {
    factor: 0.5,
    basis: 'AWS Glue runs Apache Spark (https://docs.aws.amazon.com/glue/latest/dg/how-it-works.html): the Spark factor, from the same TPC-H comparison (https://docs.coiled.io/blog/tpch.html)',
  },
  beam: {
    factor: 0.25,
    basis: "the Beam export is Python transforms only, run element by element in the Python SDK harness (https://beam.apache.org/documentation/runtime/sdk-harness-config/), without DuckDB's vectorised execution: half the Spark factor",
  },
  duckdb: {
    factor: 1,
    basis: 'dbt-duckdb and the DuckDB script run the same DuckDB SQL as the runner (docs/export-support.md): the same speed per vCPU',
  },
};
