import type { CostSection, PipelineSpec } from '../spec/schema.js';
import { computeCore, type CoreResult } from './model.js';
import { resolveScenario, type EstimateInputs, type ResolvedScenario } from './scenario.js';
import { fmt, pctText } from './work.js';

type Scenario = CostSection;

/** Re-runs the model with a changed scenario (measurements and prices kept). */
export function coreWith(spec: PipelineSpec, inputs: EstimateInputs, scenario: Scenario): { resolved: ResolvedScenario; core: CoreResult } {
  const resolved = resolveScenario(spec, { ...inputs, scenario });
  return { resolved, core: computeCore(resolved) };
}

/** The scenario with every source's daily volume multiplied by `factor`. */
export function scaleVolume(sc: Scenario, factor: number): Scenario {
  if (sc.daily_gb) return { ...sc, daily_gb: Object.fromEntries(Object.entries(sc.daily_gb).map(([k, v]) => [k, v * factor])) };
  return { ...sc, measured: { scale: (sc.measured?.scale ?? 1) * factor } };
}

export interface BreakEven {
  /** Always-on is cheaper only when its workers are busy more than this share of the hours it is up (may exceed 1: never; null: no work to price). */
  readonly utilisation: number | null;
  readonly utilisation_working: string;
  /** Runs a day (each as big as today's) at which always-on, resized for them, becomes cheaper; null when none up to 1440. */
  readonly runs_per_day: number | null;
  /** Daily volume (GB, same runs a day) at which always-on becomes cheaper; null when none from 1 % to 100× today's. */
  readonly daily_gb: number | null;
  /** Yearly TCO of both options at daily volumes from 1 % to 100× today's (runs a day kept): the break-even chart. */
  readonly by_volume: readonly { readonly factor: number; readonly daily_gb: number; readonly serverless_tco: number; readonly always_on_tco: number }[];
  readonly explanation: string;
}

const MAX_RUNS_PER_DAY = 1440;

/** Smallest integer n in [lo, hi] with pred(n) true, assuming pred is monotone; null if pred(hi) is false. */
function firstTrue(lo: number, hi: number, pred: (n: number) => boolean): number | null {
  if (!pred(hi)) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Where always-on would win. Utilisation: keep today's cluster, add work until serverless costs
 * as much: W* = (always-on TCO − serverless fixed costs) ÷ serverless cost per vCPU-hour of work,
 * as a share of the workers' vCPU-hours. Runs per day and volume: search with the whole model.
 */
export function breakEven(spec: PipelineSpec, inputs: EstimateInputs, base: Scenario, resolved: ResolvedScenario, core: CoreResult): BreakEven {
  const perVcpuHour = core.work.normal.vcpu_hours > 0 ? core.serverless.normal.cost / core.work.normal.vcpu_hours : 0;
  const fixedServerless = core.storage.year + 12 * core.ops.serverless_monthly;
  const budget = core.tco.always_on_year - fixedServerless;
  const capacity = core.alwaysOn.size.worker_vcpus * core.alwaysOn.hours_up_year;
  const workStar = perVcpuHour > 0 ? budget / perVcpuHour : Infinity;
  const utilisation = Number.isFinite(workStar) ? workStar / capacity : Infinity;

  const cheaperAlwaysOn = (sc: Scenario) => coreWith(spec, inputs, sc).core.tco.savings_year <= 0;
  const r0 = core.totals.runs_per_day;
  const runs = r0 > 0 ? firstTrue(1, MAX_RUNS_PER_DAY, (n) => cheaperAlwaysOn(scaleVolume({ ...base, runs_per_day: n }, n / r0))) : null;

  // Volume: factors 0.01× .. 100× on a log grid; the first where always-on is cheaper, and the curve.
  const byVolume: BreakEven['by_volume'][number][] = [];
  let dailyGb: number | null = null;
  for (let i = -8; i <= 8; i++) {
    // rounded to 12 digits: engines' pow differ in the last bit (Node's and Chromium's V8 did), and
    // the estimate must be the same bytes wherever it is computed (the web build's export zip)
    const f = Number((10 ** (i / 4)).toPrecision(12));
    const c = i === 0 ? core : coreWith(spec, inputs, scaleVolume(base, f)).core;
    byVolume.push({ factor: f, daily_gb: resolved.dailyGb * f, serverless_tco: c.tco.serverless_year, always_on_tco: c.tco.always_on_year });
    if (dailyGb === null && c.tco.savings_year <= 0) dailyGb = resolved.dailyGb * f;
  }

  const pct = pctText;
  const today = pct(core.alwaysOn.utilisation);
  const explanation = [
    !Number.isFinite(utilisation)
      ? 'With no serverless work to price per vCPU-hour, there is no utilisation at which the cluster would win.'
      : utilisation > 1
      ? `Today's cluster would have to be busy ${pct(utilisation)} of its hours to cost less than serverless, which no cluster can be (today ${today}).`
      : `Always-on becomes cheaper once today's cluster is busy more than ${pct(utilisation)} of its hours (today ${today}).`,
    runs === null
      ? `Resized for more runs of today's size, it would not win at any schedule up to ${MAX_RUNS_PER_DAY} runs a day.`
      : runs <= r0 + 1e-9
      ? `At today's ${fmt(r0)} run${r0 === 1 ? '' : 's'} a day it already costs less.`
      : `Resized for more runs of today's size, it would win from ${runs} runs a day.`,
    dailyGb === null
      ? `At today's runs a day, no daily volume from 1 % to 100× today's makes it cheaper${core.totals.peak_runs > 0 ? ': it must be sized for the peak and' : ': it'} is paid for its idle hours.`
      : dailyGb <= resolved.dailyGb * (1 + 1e-9)
      ? `At today's volume (${fmt(resolved.dailyGb)} GB a day) it already costs less.`
      : `At today's runs a day, it would win from about ${fmt(dailyGb)} GB a day (${fmt(dailyGb / resolved.dailyGb)}× today's).`,
  ].join(' ');
  return {
    utilisation: Number.isFinite(utilisation) ? utilisation : null,
    utilisation_working: `(always-on TCO $${fmt(core.tco.always_on_year)} − serverless storage and ops $${fmt(fixedServerless)}) ÷ $${fmt(perVcpuHour)} per vCPU-hour of serverless work = ${fmt(workStar)} vCPU-hours ÷ ${fmt(capacity)} worker vCPU-hours up = ${pct(utilisation)}`,
    runs_per_day: runs,
    daily_gb: dailyGb,
    by_volume: byVolume,
    explanation,
  };
}

export interface SensitivityRow {
  readonly id: string;
  readonly label: string;
  readonly base: string;
  readonly low: { readonly value: string; readonly savings_year: number };
  readonly high: { readonly value: string; readonly savings_year: number };
  /** |savings at high − savings at low| */
  readonly swing: number;
}

interface Variation {
  readonly id: string;
  readonly label: string;
  readonly base: string;
  readonly low: readonly [string, Scenario];
  readonly high: readonly [string, Scenario];
}

/** How far each assumption moves the yearly savings between a low and a high value; largest swing first. */
export function sensitivity(spec: PipelineSpec, inputs: EstimateInputs, base: Scenario, r: ResolvedScenario): SensitivityRow[] {
  const v = (value: number, unit: string) => (unit ? `${fmt(value)} ${unit}` : fmt(value));
  const vars: Variation[] = [];
  const add = (id: string, label: string, baseValue: number, unit: string, low: number, high: number, set: (sc: Scenario, x: number) => Scenario) => {
    vars.push({ id, label, base: v(baseValue, unit), low: [v(low, unit), set(base, low)], high: [v(high, unit), set(base, high)] });
  };
  add('daily_gb', 'Daily volume', r.dailyGb, 'GB', r.dailyGb / 2, r.dailyGb * 2, (sc, x) => scaleVolume(sc, x / r.dailyGb));
  add('throughput', 'Throughput per vCPU', r.mibPerVcpuSecond, 'MiB/s', r.mibPerVcpuSecond / 2, r.mibPerVcpuSecond * 2, (sc, x) => ({ ...sc, throughput: { ...sc.throughput, mib_per_vcpu_second: x } }));
  const peakDays = r.calendar.days.filter((d) => d.peak).length;
  // Without peak days a multiplier changes nothing, and with a multiplier of 1 peak days change nothing: no row for them.
  if (peakDays > 0) add('peak.multiplier', 'Peak-day volume', r.peakMultiplier, '×', Math.max(1, r.peakMultiplier / 2), r.peakMultiplier * 2, (sc, x) => ({ ...sc, peak: { ...sc.peak, multiplier: x } }));
  if (!base.peak?.dates && peakDays > 0 && r.peakMultiplier > 1) add('peak.days_per_year', 'Peak days a year', peakDays, 'days', Math.floor(peakDays / 2), Math.min(2 * peakDays, 180), (sc, x) => ({ ...sc, peak: { ...sc.peak, days_per_year: x } }));
  add('window_hours', 'Run window', r.windowHours, 'h', r.windowHours / 2, Math.min(24, r.windowHours * 1.5), (sc, x) => ({ ...sc, window_hours: x }));
  add('ops.always_on_hours_per_month', 'Cluster operations hours', r.ops.alwaysOnHours, 'h/month', r.ops.alwaysOnHours / 2, r.ops.alwaysOnHours * 1.5, (sc, x) => ({ ...sc, ops: { ...sc.ops, always_on_hours_per_month: x } }));
  add('ops.serverless_hours_per_month', 'Serverless operations hours', r.ops.serverlessHours, 'h/month', r.ops.serverlessHours / 2, r.ops.serverlessHours * 2, (sc, x) => ({ ...sc, ops: { ...sc.ops, serverless_hours_per_month: x } }));
  add('ops.loaded_rate_per_hour', 'Engineer hourly cost', r.ops.ratePerHour, 'USD', r.ops.ratePerHour * 0.75, r.ops.ratePerHour * 1.25, (sc, x) => ({ ...sc, ops: { ...sc.ops, loaded_rate_per_hour: x } }));
  add('serverless.startup_minutes', 'Serverless start-up', r.serverless.startupMinutes, 'min', r.serverless.startupMinutes / 2, r.serverless.startupMinutes * 2, (sc, x) => ({ ...sc, serverless: { ...sc.serverless, startup_minutes: x } }));
  const m = r.alwaysOn.machine;
  if (m.plans.on_demand && m.plans.commit_3y) {
    vars.push({ id: 'always_on.plan', label: 'Cluster pricing', base: r.alwaysOn.plan, low: ['on_demand', { ...base, always_on: { ...base.always_on, plan: 'on_demand' } }], high: ['commit_3y', { ...base, always_on: { ...base.always_on, plan: 'commit_3y' } }] });
  }
  const rows = vars.map((x): SensitivityRow => {
    const lo = coreWith(spec, inputs, x.low[1]).core.tco.savings_year;
    const hi = coreWith(spec, inputs, x.high[1]).core.tco.savings_year;
    return { id: x.id, label: x.label, base: x.base, low: { value: x.low[0], savings_year: lo }, high: { value: x.high[0], savings_year: hi }, swing: Math.abs(hi - lo) };
  });
  return rows.sort((a, b) => b.swing - a.swing || a.id.localeCompare(b.id));
}
