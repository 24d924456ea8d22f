import type { CostSection, PipelineSpec } from '../spec/schema.js';
import { runCalendar, type Calendar } from './calendar.js';
import { CATALOGS, priceBook, type PriceBook } from './catalog/priceBook.js';
import type { AlwaysOnPlan, AlwaysOnService, MachineType, Provider, ServerlessService } from './catalog/types.js';
import { DEFAULTS, ENGINE_FACTORS, type EngineKey } from './defaults.js';
import { bytesToGb, calibrateThroughput, measuredDailyBytes, type Calibration, type RunSummary } from './measured.js';
import type { PriceOverrides } from './scenarioSchema.js';

export type AssumptionSource = 'spec' | 'default' | 'schedule' | 'measured' | 'calibrated';

/** One input of the estimate, in words a non-engineer can check. */
export interface Assumption {
  readonly id: string;
  readonly label: string;
  readonly value: number | string;
  readonly unit?: string;
  readonly source: AssumptionSource;
  readonly note?: string;
}

export class ScenarioError extends Error {}

export interface EstimateInputs {
  /** ISO date the estimate is made (the default year; stamped on the report). */
  readonly today: string;
  /** The scenario to price; default: the spec's `cost:` section. */
  readonly scenario?: CostSection;
  /** Summaries of past run reports, for measured volume and calibration. */
  readonly runs?: readonly RunSummary[];
  readonly prices?: PriceOverrides;
}

export interface SourceVolume {
  readonly source: string;
  readonly daily_gb: number;
  readonly from: 'spec' | 'measured' | 'missing';
}

export interface ResolvedScenario {
  readonly pipeline: string;
  readonly year: number;
  readonly provider: Provider;
  readonly region: string;
  readonly volumes: readonly SourceVolume[];
  readonly dailyGb: number;
  readonly calendar: Calendar;
  readonly windowHours: number;
  readonly timezone?: string;
  readonly peakMultiplier: number;
  readonly mibPerVcpuSecond: number;
  readonly calibration: Calibration;
  readonly serverless: { readonly service: ServerlessService; readonly startupMinutes: number; readonly shuffleRatio: number };
  readonly alwaysOn: { readonly service: AlwaysOnService; readonly machine: MachineType; readonly plan: AlwaysOnPlan; readonly hoursPerDay: number; readonly headroom: number };
  readonly retentionDays: number;
  readonly ops: { readonly ratePerHour: number; readonly alwaysOnHours: number; readonly serverlessHours: number };
  readonly book: PriceBook;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
}

/** Turns the spec's cost section (or a given scenario) plus measurements into every number the model needs. */
export function resolveScenario(spec: PipelineSpec, inputs: EstimateInputs): ResolvedScenario {
  const sc: CostSection = inputs.scenario ?? spec.cost ?? {};
  const assumptions: Assumption[] = [];
  const warnings: string[] = [];
  const note = (a: Assumption) => assumptions.push(a);
  // Shows an id-like value in words, keeping the id in the note.
  const relabel = (id: string, value: string | number, unit?: string, extra?: string) => {
    const i = assumptions.findIndex((a) => a.id === id);
    const a = assumptions[i];
    if (!a) return;
    const { unit: _u, note: _n, ...rest } = a;
    assumptions[i] = { ...rest, value, ...(unit ? { unit } : {}), ...(extra ? { note: extra } : {}) };
  };
  const pick = <T extends number | string>(id: string, label: string, given: T | undefined, fallback: T, unit?: string, fallbackSource: AssumptionSource = 'default', extra?: string): T => {
    const value = given ?? fallback;
    note({ id, label, value, ...(unit ? { unit } : {}), source: given === undefined ? fallbackSource : 'spec', ...(extra ? { note: extra } : {}) });
    return value;
  };

  const year = pick('year', 'Year modelled', sc.year, Number(inputs.today.slice(0, 4)));
  const provider = pick('provider', 'Cloud whose list prices are used', sc.provider, DEFAULTS.provider) as Provider;
  relabel('provider', provider === 'gcp' ? 'Google Cloud' : 'AWS', undefined, provider);
  const catalog = CATALOGS[provider];
  const region = sc.region ?? catalog.region;
  if (region !== catalog.region) warnings.push(`prices are ${catalog.region} list prices; the catalog has none for ${region} (prices there usually differ by a few per cent): override them in cost.prices.yaml`);
  const book = priceBook(provider, inputs.prices);

  // ── volume ──
  const runs = inputs.runs ?? [];
  const sourceNames = Object.keys(spec.sources);
  let volumes: SourceVolume[];
  if (sc.daily_gb) {
    for (const k of Object.keys(sc.daily_gb)) if (!sourceNames.includes(k)) throw new ScenarioError(`cost.daily_gb: '${k}' is not a source of this pipeline (sources: ${sourceNames.join(', ')})`);
    volumes = sourceNames.map((s) => ({ source: s, daily_gb: sc.daily_gb?.[s] ?? 0, from: sc.daily_gb?.[s] === undefined ? 'missing' : 'spec' }));
  } else if (runs.length > 0) {
    const scale = sc.measured?.scale ?? 1;
    const measured = measuredDailyBytes(runs);
    volumes = sourceNames.map((s) => ({ source: s, daily_gb: bytesToGb((measured[s] ?? 0) * scale), from: measured[s] === undefined ? 'missing' : 'measured' }));
    note({ id: 'measured.scale', label: 'Measured daily volume (median landed bytes of past runs) multiplied by', value: scale, source: sc.measured?.scale === undefined ? 'default' : 'spec', note: `${runs.length} run report(s)` });
  } else {
    throw new ScenarioError(sc.measured
      ? 'cost.measured: no run reports found: run the pipeline first (batchbook run) or give cost.daily_gb'
      : 'no volume to price: give cost.daily_gb per source (GB on a normal day), or cost.measured with past run reports in the lake');
  }
  for (const v of volumes) {
    if (v.from === 'missing') warnings.push(`source '${v.source}' has no daily volume: counted as 0 GB`);
    else note({ id: `daily_gb.${v.source}`, label: `Raw input from ${v.source} on a normal day`, value: Number(v.daily_gb.toPrecision(6)), unit: 'GB', source: v.from === 'measured' ? 'measured' : 'spec' });
  }
  const dailyGb = volumes.reduce((a, v) => a + v.daily_gb, 0);
  if (!(dailyGb > 0)) {
    throw new ScenarioError(sc.daily_gb
      ? `cost.daily_gb: every source is 0 GB a day, so there is nothing to price: give the GB at least one source brings on a normal day`
      : 'cost.measured: the run reports landed 0 bytes, so there is nothing to price: give cost.daily_gb, or raise cost.measured.scale');
  }

  // ── calendar ──
  const schedule = spec.schedule;
  const peakMultiplier = pick('peak.multiplier', 'Volume on a peak day, relative to a normal day', sc.peak?.multiplier, DEFAULTS.peakMultiplier, '×');
  const peakDays = sc.peak?.dates ? sc.peak.dates.length : pick('peak.days_per_year', 'Peak days per year', sc.peak?.days_per_year, DEFAULTS.peakDaysPerYear, 'days');
  const peakMonths = sc.peak?.months ?? DEFAULTS.peakMonths;
  if (sc.peak?.dates) note({ id: 'peak.dates', label: 'Peak days', value: sc.peak.dates.join(', '), source: 'spec' });
  else if (peakDays > 0) note({ id: 'peak.months', label: 'Peak days fall at the end of', value: peakMonths.map(monthName).join(' and '), source: sc.peak?.months ? 'spec' : 'default' });
  const calendar = runCalendar({
    year,
    ...(sc.runs_per_day !== undefined ? { runsPerDay: sc.runs_per_day } : schedule ? {} : { runsPerDay: DEFAULTS.runsPerDay }),
    ...(schedule ? { cron: { expr: schedule.cron, timezone: schedule.timezone } } : {}),
    peak: { daysPerYear: peakDays, months: peakMonths, ...(sc.peak?.dates ? { dates: sc.peak.dates } : {}) },
  });
  const totalRuns = calendar.days.reduce((a, d) => a + d.runs, 0);
  note({
    id: 'runs_per_year', label: 'Runs per year', value: round(totalRuns, 2), unit: 'runs',
    source: sc.runs_per_day !== undefined ? 'spec' : schedule ? 'schedule' : 'default',
    note: sc.runs_per_day !== undefined ? `${sc.runs_per_day} a day` : schedule ? `cron "${schedule.cron}" (${schedule.timezone})` : 'one a day',
  });
  if (peakMultiplier > 1 && !calendar.days.some((d) => d.peak)) {
    warnings.push(`peak.multiplier ${peakMultiplier}× is set but the year has no peak day (give peak.days_per_year or peak.dates): no run is priced as a peak run and the cluster is sized for a normal day`);
  }
  if (calendar.peakUnplaced > 0) warnings.push(`${calendar.peakUnplaced} peak day(s) did not fit in the chosen months (not enough days with runs)`);
  if (calendar.peakOutsideYear.length) warnings.push(`peak dates outside ${year} ignored: ${calendar.peakOutsideYear.join(', ')}`);
  const windowHours = pick('window_hours', 'Time a run may take before its results are late', sc.window_hours, schedule?.window_hours ?? DEFAULTS.windowHours, 'hours', schedule ? 'schedule' : 'default');

  // ── services ──
  const serverlessId = pick('serverless.service', 'Serverless service', sc.serverless?.service, DEFAULTS.serverless[provider]);
  const service = catalog.serverless.find((s) => s.id === serverlessId);
  if (!service) throw new ScenarioError(`cost.serverless.service: no '${serverlessId}' for ${provider} (one of: ${catalog.serverless.map((s) => s.id).join(', ')})`);
  relabel('serverless.service', service.label, undefined, service.id);
  // ── throughput ──
  const engine = engineOf(service);
  const engineFactor = sc.throughput?.engine_factor ?? ENGINE_FACTORS[engine].factor;
  const factorBasis = sc.throughput?.engine_factor !== undefined ? 'set in cost.throughput.engine_factor' : ENGINE_FACTORS[engine].basis;
  const calibration = calibrateThroughput(runs, engineFactor, DEFAULTS.minCalibrationMib, factorBasis);
  let mibPerVcpuSecond: number;
  const throughputLabel = 'Raw input one vCPU processes per second, through the whole pipeline';
  if (sc.throughput?.mib_per_vcpu_second !== undefined) {
    mibPerVcpuSecond = sc.throughput.mib_per_vcpu_second;
    note({ id: 'throughput', label: throughputLabel, value: mibPerVcpuSecond, unit: 'MiB/s', source: 'spec' });
  } else if (sc.throughput?.calibrate !== false && calibration.mib_per_vcpu_second !== undefined) {
    mibPerVcpuSecond = calibration.mib_per_vcpu_second;
    note({ id: 'throughput', label: throughputLabel, value: round(mibPerVcpuSecond, 3), unit: 'MiB/s', source: 'calibrated', note: `${calibration.reason}: runner ${round(calibration.runner_mib_per_vcpu_second ?? 0, 2)} MiB per CPU-second × ${engine} engine factor ${engineFactor} (${factorBasis})` });
  } else {
    mibPerVcpuSecond = DEFAULTS.mibPerVcpuSecond;
    note({ id: 'throughput', label: throughputLabel, value: mibPerVcpuSecond, unit: 'MiB/s', source: 'default', note: `not calibrated: ${calibration.reason}` });
  }

  const startupMinutes = pick('serverless.startup_minutes', 'Start-up time of a serverless run, billed', sc.serverless?.startup_minutes, DEFAULTS.startupMinutes, 'minutes');
  const shuffleRatio = pick('serverless.shuffle_ratio', 'Data shuffled between workers, as a share of the raw input', sc.serverless?.shuffle_ratio, DEFAULTS.shuffleRatio);
  relabel('serverless.shuffle_ratio', round(shuffleRatio * 100, 1), '%');

  const alwaysOnId = pick('always_on.service', 'Always-on option', sc.always_on?.service, DEFAULTS.alwaysOn[provider].service);
  const aoService = catalog.always_on.find((s) => s.id === alwaysOnId);
  if (!aoService) throw new ScenarioError(`cost.always_on.service: no '${alwaysOnId}' for ${provider} (one of: ${catalog.always_on.map((s) => s.id).join(', ')})`);
  relabel('always_on.service', aoService.label, undefined, aoService.id);
  const machineId = pick('always_on.machine', 'Machine type of the cluster', sc.always_on?.machine, DEFAULTS.alwaysOn[provider].machine);
  const machine = aoService.machines.find((m) => m.id === machineId);
  if (!machine) throw new ScenarioError(`cost.always_on.machine: no '${machineId}' for ${aoService.id} (one of: ${aoService.machines.map((m) => m.id).join(', ')})`);
  const plan = pick('always_on.plan', 'How the cluster is paid for', sc.always_on?.plan, DEFAULTS.plan[provider]) as AlwaysOnPlan;
  if (plan === 'sustained_use' ? !machine.sustained_use : !machine.plans[plan]) {
    throw new ScenarioError(`cost.always_on.plan: '${plan}' is not in the catalog for ${machine.id} (available: ${availablePlans(machine).join(', ')})`);
  }
  relabel('always_on.plan', PLAN_WORDS[plan], undefined, plan);
  const hoursPerDay = pick('always_on.hours_per_day', 'Hours a day the cluster is up', sc.always_on?.hours_per_day, DEFAULTS.hoursPerDay, 'hours');
  const headroom = pick('always_on.headroom', 'Share of the cluster kept free on the busiest day', sc.always_on?.headroom, DEFAULTS.headroom);
  relabel('always_on.headroom', round(headroom * 100, 1), '%');
  const retentionDays = pick('storage.retention_days', 'Days raw files are kept in the lake', sc.storage?.retention_days, DEFAULTS.retentionDays, 'days');
  const ops = {
    ratePerHour: pick('ops.loaded_rate_per_hour', 'Cost of one engineer hour, fully loaded', sc.ops?.loaded_rate_per_hour, DEFAULTS.loadedRatePerHour, 'USD/hour'),
    alwaysOnHours: pick('ops.always_on_hours_per_month', 'Engineer hours a month to run a cluster (patching, resizing, upgrades, on-call)', sc.ops?.always_on_hours_per_month, DEFAULTS.alwaysOnOpsHoursPerMonth, 'hours/month'),
    serverlessHours: pick('ops.serverless_hours_per_month', 'Engineer hours a month to look after serverless runs (monitoring, tuning)', sc.ops?.serverless_hours_per_month, DEFAULTS.serverlessOpsHoursPerMonth, 'hours/month'),
  };

  return {
    pipeline: spec.name, year, provider, region, volumes, dailyGb, calendar, windowHours,
    ...(schedule ? { timezone: schedule.timezone } : {}),
    peakMultiplier, mibPerVcpuSecond, calibration,
    serverless: { service, startupMinutes, shuffleRatio },
    alwaysOn: { service: aoService, machine, plan, hoursPerDay, headroom },
    retentionDays, ops, book, assumptions, warnings,
  };
}

/** Which engine factor applies to a serverless service. */
export function engineOf(service: ServerlessService): EngineKey {
  if (service.engine === 'Beam') return 'beam';
  return service.id.startsWith('glue') ? 'glue' : 'spark';
}

export const PLAN_WORDS: Readonly<Record<AlwaysOnPlan, string>> = {
  on_demand: 'on-demand',
  sustained_use: 'on-demand with the sustained-use discount',
  commit_1y: '1-year commitment',
  commit_3y: '3-year commitment',
};

export function availablePlans(m: MachineType): AlwaysOnPlan[] {
  return [...(m.plans.on_demand ? ['on_demand' as const] : []), ...(m.sustained_use ? ['sustained_use' as const] : []), ...(m.plans.commit_1y ? ['commit_1y' as const] : []), ...(m.plans.commit_3y ? ['commit_3y' as const] : [])];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export function monthName(m: number): string {
  return MONTHS[m - 1] ?? String(m);
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
