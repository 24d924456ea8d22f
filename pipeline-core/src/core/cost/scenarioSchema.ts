import { z } from 'zod';

/**
 * The `cost:` section of a pipeline spec: the scenario the cost estimate prices. Every field is
 * optional; what is left out takes a default that the estimate lists as a labelled assumption
 * (docs/cost-model.md). Source names in `daily_gb` are checked against the spec's sources.
 */

const SOURCE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const peakSchema = z.strictObject({
  multiplier: z.number().min(1).max(100).optional().meta({ description: 'volume on a peak day relative to a normal day, e.g. 3' }),
  days_per_year: z.number().int().min(0).max(366).optional().meta({ description: 'how many days a year are peak days, e.g. 20' }),
  months: z.array(z.number().int().min(1).max(12)).min(1).optional().meta({ description: 'months the peak days fall in (the last days of each), default [11, 12]' }),
  dates: z.array(isoDate).optional().meta({ description: 'explicit peak dates; overrides days_per_year and months' }),
});

export const costScenarioSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100).optional().meta({ description: 'calendar year modelled (run calendar, peak dates); default: this year' }),
  provider: z.enum(['gcp', 'aws']).optional().meta({ description: 'cloud whose list prices are used; default gcp' }),
  region: z.string().min(1).optional().meta({ description: "region of the prices; the catalog holds one per provider (gcp us-central1, aws us-east-1)" }),
  daily_gb: z
    .record(z.string().regex(SOURCE_NAME_RE), z.number().min(0))
    .optional()
    .meta({ description: 'raw input per source on a normal day, in GB (2^30 bytes), e.g. { pos_orders: 150 }' }),
  measured: z
    .strictObject({ scale: z.number().positive().optional().meta({ description: 'multiply the landed bytes of past runs by this (sample -> production)' }) })
    .optional()
    .meta({ description: 'take daily volume per source from past run reports (<lake>/runs/*/report.json) instead of daily_gb' }),
  runs_per_day: z.number().positive().max(1440).optional().meta({ description: 'runs per day; default: counted from schedule.cron' }),
  window_hours: z.number().positive().max(24).optional().meta({ description: 'time a run may take; default: schedule.window_hours' }),
  peak: peakSchema.optional(),
  throughput: z
    .strictObject({
      mib_per_vcpu_second: z.number().positive().optional().meta({ description: 'raw input one vCPU processes per second through the whole pipeline' }),
      calibrate: z.boolean().optional().meta({ description: 'derive the throughput from past run reports when they are big enough (default true)' }),
      engine_factor: z.number().positive().max(10).optional().meta({ description: "a Spark/Beam worker's speed relative to the embedded runner's, applied to calibrated throughput" }),
    })
    .optional(),
  serverless: z
    .strictObject({
      service: z.string().min(1).optional().meta({ description: 'dataproc_serverless | dataproc_serverless_premium | dataflow | dataflow_flexrs | glue | glue_flex | emr_serverless' }),
      startup_minutes: z.number().min(0).max(60).optional(),
      shuffle_ratio: z.number().min(0).max(10).optional().meta({ description: 'bytes shuffled per byte of raw input' }),
    })
    .optional(),
  always_on: z
    .strictObject({
      service: z.string().min(1).optional().meta({ description: 'dataproc_gce | gce | ec2' }),
      machine: z.string().min(1).optional().meta({ description: 'e.g. n2-standard-8, m6i.2xlarge' }),
      plan: z.enum(['on_demand', 'sustained_use', 'commit_1y', 'commit_3y']).optional(),
      hours_per_day: z.number().positive().max(24).optional().meta({ description: 'hours a day the cluster is up (24 = always on)' }),
      headroom: z.number().min(0).max(0.9).optional().meta({ description: 'share of the cluster kept free on the peak day, e.g. 0.2' }),
    })
    .optional(),
  storage: z.strictObject({ retention_days: z.number().int().min(0).max(3650).optional() }).optional(),
  ops: z
    .strictObject({
      loaded_rate_per_hour: z.number().min(0).optional().meta({ description: 'fully loaded cost of an engineer hour, USD' }),
      always_on_hours_per_month: z.number().min(0).optional().meta({ description: 'patching, resizing, upgrades, on-call for a cluster' }),
      serverless_hours_per_month: z.number().min(0).optional().meta({ description: 'monitoring and tuning serverless jobs' }),
    })
    .optional(),
});

export type CostScenarioInput = z.input<typeof costScenarioSchema>;
export type CostScenario = z.output<typeof costScenarioSchema>;

/** `cost.prices.yaml` in a project: the prices this organisation actually pays. */
export const priceOverrideSchema = z.union([
  z.number().min(0),
  z.strictObject({
    usd: z.number().min(0),
    source: z.string().min(1).optional(),
    read_on: isoDate.optional(),
    note: z.string().optional(),
  }),
]);

export const priceOverridesFileSchema = z.strictObject({
  prices: z.record(z.string().min(1), priceOverrideSchema),
});

export type PriceOverrides = z.output<typeof priceOverridesFileSchema>['prices'];

/** The cross-check zod cannot do inside `cost:` alone: every source named in daily_gb exists. */
export function checkCostSources(
  spec: { readonly sources: Readonly<Record<string, unknown>>; readonly cost?: { readonly daily_gb?: Readonly<Record<string, number>> } | undefined },
  ctx: z.RefinementCtx,
): void {
  const names = Object.keys(spec.sources);
  for (const key of Object.keys(spec.cost?.daily_gb ?? {})) {
    if (names.includes(key)) continue;
    const near = names.find((n) => n.toLowerCase() === key.toLowerCase() || n.startsWith(key) || key.startsWith(n));
    ctx.addIssue({
      code: 'custom',
      path: ['cost', 'daily_gb', key],
      message: `'${key}' is not a source of this pipeline (${near ? `did you mean '${near}'?` : `sources: ${names.join(', ')}`})`,
    });
  }
}
