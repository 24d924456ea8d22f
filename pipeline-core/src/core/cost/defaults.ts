/**
 * The defaults a scenario falls back on. Each is an assumption, not a fact: the estimate lists
 * every one it used, in plain language, so a reader can disagree and change it in the spec.
 */
export const DEFAULTS = {
  provider: 'gcp',
  /** Raw input one vCPU carries through a parse + cleanse + dedupe + join + aggregate pipeline. */
  mibPerVcpuSecond: 5,
  /** A Spark / Beam worker's per-vCPU speed relative to the embedded DuckDB runner's. */
  engineFactor: 0.5,
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
