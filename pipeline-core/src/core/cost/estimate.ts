import type { CostSection, PipelineSpec } from '../spec/schema.js';
import type { BookPrice } from './catalog/priceBook.js';
import type { AlwaysOnPlan } from './catalog/types.js';
import { DEFAULTS, HOURS_PER_MONTH } from './defaults.js';
import { computeCore, type ClusterOption, type CoreResult } from './model.js';
import { availablePlans, resolveScenario, type Assumption, type EstimateInputs, type ResolvedScenario } from './scenario.js';
import { serverlessRun } from './serverless.js';
import { breakEven, coreWith, sensitivity, type BreakEven, type SensitivityRow } from './whatIf.js';
import { sanityWarnings } from './sanity.js';
import { fmt } from './work.js';

// The JSON shape of `batchbook cost --json` (format "batchbook.cost/v1"), documented in
// docs/cost-model.md. Like Infracost's breakdown, each scenario lists resources and each
// resource its cost components (unit, quantity, price, cost); here every component also
// carries `working`: the arithmetic from its inputs, so a report can show how it was reached.
// Monthly figures of a component are the modelled year's average (yearly / 12); `monthly`
// at the top gives each calendar month, where peak days make the difference.

export interface CostComponent {
  readonly name: string;
  readonly unit: string;
  readonly price_id: string;
  /** USD per unit. */
  readonly price: number;
  readonly monthly_quantity: number;
  readonly monthly_cost: number;
  readonly yearly_quantity: number;
  readonly yearly_cost: number;
  readonly working: string;
}

export interface CostResource {
  /** Compute (runs, cluster) or the lake's storage, which is the same under every option. */
  readonly kind: 'compute' | 'storage';
  /** Stable key across estimates (for diffs): runs_normal, runs_peak, cluster, storage. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly cost_components: readonly CostComponent[];
  readonly monthly_cost: number;
  readonly yearly_cost: number;
}

export interface ScenarioCost {
  readonly id: 'serverless' | 'always_on' | 'always_on_undersized';
  readonly name: string;
  readonly description: string;
  readonly resources: readonly CostResource[];
  /** Infrastructure (resources), average month and year. */
  readonly monthly_cost: number;
  readonly yearly_cost: number;
  /** The infrastructure split: compute (runs or cluster) and lake storage. */
  readonly compute_yearly: number;
  readonly storage_yearly: number;
  readonly ops: { readonly hours_per_month: number; readonly usd_per_hour: number; readonly monthly_cost: number; readonly yearly_cost: number };
  /** Total cost of ownership a year: infrastructure + operations. */
  readonly tco_yearly: number;
}

export interface MonthRow {
  readonly month: number;
  readonly label: string;
  readonly runs: number;
  readonly peak_days: number;
  /** Compute only: the runs, or the cluster. */
  readonly serverless_compute: number;
  readonly serverless_ops: number;
  readonly always_on_compute: number;
  readonly always_on_ops: number;
  /** Lake storage: the same under both options, shown apart from compute. */
  readonly storage: number;
}

export interface CostEstimate {
  readonly format: 'batchbook.cost/v1';
  readonly pipeline: string;
  readonly generated_on: string;
  readonly currency: 'USD';
  readonly provider: string;
  readonly region: string;
  readonly catalog_version: string;
  readonly year: number;
  readonly headline: {
    /** False when serverless cannot meet the window (start-up longer than it): the savings compare unlike things. */
    readonly comparable: boolean;
    readonly savings_yearly: number;
    readonly savings_pct: number;
    readonly serverless_tco_yearly: number;
    readonly always_on_tco_yearly: number;
    readonly sentence: string;
  };
  readonly work: {
    readonly sources: readonly { readonly source: string; readonly daily_gb: number; readonly from: string }[];
    readonly daily_gb: number;
    readonly runs_per_year: number;
    readonly normal_runs: number;
    readonly peak_runs: number;
    readonly peak_days: number;
    readonly peak_multiplier: number;
    readonly throughput_mib_per_vcpu_second: number;
    readonly normal_run: { readonly input_gb: number; readonly vcpu_hours: number; readonly working: string };
    readonly peak_run: { readonly input_gb: number; readonly vcpu_hours: number; readonly working: string };
    readonly vcpu_hours_per_year: number;
  };
  readonly serverless_runs: {
    readonly service: string;
    readonly normal: RunSummaryJson;
    readonly peak: RunSummaryJson;
  };
  readonly cluster: {
    readonly service: string;
    readonly machine: string;
    readonly plan: AlwaysOnPlan;
    readonly hours_per_day: number;
    readonly peak_sized: ClusterJson;
    readonly normal_sized: ClusterJson;
  };
  readonly scenarios: readonly ScenarioCost[];
  readonly monthly: readonly MonthRow[];
  readonly peak_day: {
    /** Local start time of the run (from the schedule), its deadline = start + window. */
    readonly start: string | null;
    readonly window_hours: number;
    readonly deadline: string | null;
    readonly serverless_finish: string | null;
    readonly serverless_run_hours: number;
    readonly undersized_finish: string | null;
    readonly undersized_run_hours: number;
    readonly undersized_late_hours: number;
    readonly sentence: string;
  };
  readonly break_even: BreakEven;
  readonly sensitivity: readonly SensitivityRow[];
  /** Yearly compute (no storage, no people) of the other serverless services for the same runs, and of the same cluster under each pricing plan. */
  readonly alternatives: readonly { readonly kind: 'serverless' | 'always_on_plan'; readonly id: string; readonly label: string; readonly yearly_cost: number }[];
  readonly assumptions: readonly Assumption[];
  readonly prices: readonly BookPrice[];
  readonly calibration: ResolvedScenario['calibration'];
  readonly warnings: readonly string[];
}

interface RunSummaryJson {
  readonly input_gb: number;
  readonly workers: number;
  readonly fewest_workers: number;
  /** Why this many workers. */
  readonly sizing: string;
  readonly fits_window: boolean;
  readonly run_hours: number;
  readonly billed_seconds: number;
  readonly cost: number;
  readonly working: string;
  readonly lines: readonly { readonly name: string; readonly unit: string; readonly quantity: number; readonly price: number; readonly cost: number; readonly working: string }[];
}

interface ClusterJson {
  readonly workers: number;
  readonly master_nodes: number;
  readonly vcpus: number;
  readonly sized_by: string;
  readonly working: string;
  readonly utilisation: number;
  readonly normal_run_hours: number;
  /** Busy hours on a normal day with runs (every run of the day). */
  readonly normal_day_busy_hours: number;
  readonly runs_per_run_day: number;
  readonly peak_run_hours: number;
  readonly peak_late_hours: number;
  readonly yearly_cost: number;
}

const MONTH_LABELS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PLAN_LABEL: Record<AlwaysOnPlan, string> = { on_demand: 'on-demand', sustained_use: 'on-demand with sustained-use discount', commit_1y: '1-year commitment', commit_3y: '3-year commitment' };

export function usd(x: number): string {
  const abs = Math.abs(x);
  const s = abs >= 1000 ? Math.round(abs).toLocaleString('en-US') : abs >= 10 ? abs.toFixed(0) : abs.toFixed(2);
  return `${x < 0 ? '−' : ''}$${s}`;
}

/** Clock time `hh:mm` plus hours, with "+1 day" past midnight. */
export function addClock(start: string, hours: number): string {
  const [h, m] = start.split(':').map(Number) as [number, number];
  const total = Math.round(h * 60 + m + hours * 60);
  const days = Math.floor(total / 1440);
  const mins = total % 1440;
  return `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}${days > 0 ? ` (+${days} day${days > 1 ? 's' : ''})` : ''}`;
}

export function hoursText(h: number): string {
  if (h > 0 && h < 1 / 60) return 'under a minute';
  const total = Math.round(h * 60);
  const hh = Math.floor(total / 60);
  const mm = total % 60;
  return hh === 0 ? `${mm} min` : mm === 0 ? `${hh} h` : `${hh} h ${mm} min`;
}

/** The estimate: every figure of the comparison, with its inputs and working (see the format note above). */
export function estimateCost(spec: PipelineSpec, inputs: EstimateInputs): CostEstimate {
  const resolved = resolveScenario(spec, inputs);
  const core = computeCore(resolved);
  const base = inputs.scenario ?? spec.cost ?? {};
  return assemble(resolved, core, breakEven(spec, inputs, base, resolved, core), sensitivity(spec, inputs, base, resolved), alternatives(spec, inputs, resolved, core), inputs.today, calibrationWarnings(spec, inputs, base, resolved, core));
}

/** How far an answer may move when calibration replaces the default throughput before the reader is warned. */
export const CALIBRATION_BAND = 2;

/**
 * The plausibility band: when throughput calibrated from run reports moves the answer (the yearly
 * savings, or what the serverless runs cost) more than 2× away from what the default throughput
 * gives, or flips which option wins, say so and why.
 */
function calibrationWarnings(spec: PipelineSpec, inputs: EstimateInputs, base: CostSection, r: ResolvedScenario, core: CoreResult): string[] {
  if (r.assumptions.find((a) => a.id === 'throughput')?.source !== 'calibrated') return [];
  const { core: d } = coreWith(spec, inputs, { ...base, throughput: { ...base.throughput, calibrate: false } });
  const moved = (a: number, b: number) => (a * b <= 0 ? (a === b ? 1 : Infinity) : Math.max(a / b, b / a));
  const savingsMove = moved(core.tco.savings_year, d.tco.savings_year);
  const runsMove = moved(core.serverless.year, d.serverless.year);
  if (Math.max(savingsMove, runsMove) <= CALIBRATION_BAND) return [];
  const cal = r.calibration;
  return [`calibration from ${cal.runs_used.length} run report(s) moved the answer more than ${CALIBRATION_BAND}×: throughput ${fmt(r.mibPerVcpuSecond)} MiB/s per vCPU (runner ${fmt(cal.runner_mib_per_vcpu_second ?? 0)} MiB per CPU-second × engine factor ${fmt(cal.engine_factor ?? 1)}) instead of the default ${fmt(DEFAULTS.mibPerVcpuSecond)}; savings ${usd(d.tco.savings_year)} → ${usd(core.tco.savings_year)} a year, serverless runs ${usd(d.serverless.year)} → ${usd(core.serverless.year)}. Check that the measured runs are like production (data shape, size) and that the engine factor fits the target, or set cost.throughput.mib_per_vcpu_second`];
}

function alternatives(spec: PipelineSpec, inputs: EstimateInputs, r: ResolvedScenario, core: CoreResult): CostEstimate['alternatives'] {
  const out: { kind: 'serverless' | 'always_on_plan'; id: string; label: string; yearly_cost: number }[] = [];
  for (const svc of r.book.catalog.serverless) {
    const runIn = { windowHours: r.windowHours, startupMinutes: r.serverless.startupMinutes, shuffleRatio: r.serverless.shuffleRatio };
    const n = serverlessRun(svc, r.book, { ...runIn, work: core.work.normal }).cost;
    const p = serverlessRun(svc, r.book, { ...runIn, work: core.work.peak }).cost;
    out.push({ kind: 'serverless', id: svc.id, label: svc.label, yearly_cost: n * core.totals.normal_runs + p * core.totals.peak_runs });
  }
  for (const plan of availablePlans(r.alwaysOn.machine)) {
    const base = inputs.scenario ?? spec.cost ?? {};
    const { core: c } = coreWith(spec, inputs, { ...base, always_on: { ...base.always_on, plan } });
    out.push({ kind: 'always_on_plan', id: plan, label: `${r.alwaysOn.service.label}, ${PLAN_LABEL[plan]}`, yearly_cost: c.alwaysOn.year });
  }
  return out;
}

function assemble(r: ResolvedScenario, c: CoreResult, be: BreakEven, sens: SensitivityRow[], alts: CostEstimate['alternatives'], today: string, extraWarnings: readonly string[]): CostEstimate {
  const t = c.totals;
  const storage: CostResource = {
    kind: 'storage',
    id: 'storage',
    name: 'Lake storage (raw files, same in every option)',
    description: c.storage.working,
    cost_components: [component(r.book.get(c.storage.price_id).sku, 'GB-month', c.storage.price_id, c.storage.usd_per_gb_month, c.storage.stored_gb * 12, c.storage.working)],
    monthly_cost: c.storage.monthly,
    yearly_cost: c.storage.year,
  };
  const runResource = (id: string, name: string, runs: number, run: CoreResult['serverless']['normal']): CostResource => {
    const comps = run.lines.map((l) => component(l.name, l.unit, l.price_id, l.usd_per_unit, l.quantity * runs, `${fmt(runs)} runs × ${l.working}`));
    const yearly = comps.reduce((a, x) => a + x.yearly_cost, 0);
    return { kind: 'compute', id, name, description: run.working, cost_components: comps, monthly_cost: yearly / 12, yearly_cost: yearly };
  };
  const clusterResource = (o: ClusterOption, label: string): CostResource => {
    const comps = o.lines.map((l) => {
      const hours = l.always_billed ? t.days * 24 : t.days * r.alwaysOn.hoursPerDay;
      return component(l.name, l.unit, l.price_id, l.usd_per_unit, l.quantity_per_hour * hours, `${l.working} × ${fmt(hours)} h a year${l.always_billed && r.alwaysOn.hoursPerDay < 24 ? ' (billed every hour, up or not)' : ''}`);
    });
    return { kind: 'compute', id: 'cluster', name: label, description: o.size.working, cost_components: comps, monthly_cost: o.year / 12, yearly_cost: o.year };
  };
  const ops = (hours: number) => ({ hours_per_month: hours, usd_per_hour: r.ops.ratePerHour, monthly_cost: hours * r.ops.ratePerHour, yearly_cost: 12 * hours * r.ops.ratePerHour });
  const scenario = (id: ScenarioCost['id'], name: string, description: string, resources: CostResource[], opsHours: number): ScenarioCost => {
    const yearly = resources.reduce((a, x) => a + x.yearly_cost, 0);
    const storageYearly = resources.filter((x) => x.kind === 'storage').reduce((a, x) => a + x.yearly_cost, 0);
    const o = ops(opsHours);
    return { id, name, description, resources, monthly_cost: yearly / 12, yearly_cost: yearly, compute_yearly: yearly - storageYearly, storage_yearly: storageYearly, ops: o, tco_yearly: yearly + o.yearly_cost };
  };
  const m = r.alwaysOn.machine.id;
  const clusterName = (o: ClusterOption) => `${r.alwaysOn.service.label}: ${o.size.master_nodes} master + ${o.size.workers} workers, ${m}, ${PLAN_LABEL[r.alwaysOn.plan]}, ${fmt(r.alwaysOn.hoursPerDay)} h a day`;
  const scenarios: ScenarioCost[] = [
    scenario('serverless', r.serverless.service.label, 'Pay per run; each run gets the workers it needs to finish within the window, peak days included.', [
      runResource('runs_normal', `Runs on normal days (${fmt(t.normal_runs)} a year)`, t.normal_runs, c.serverless.normal),
      ...(t.peak_runs > 0 ? [runResource('runs_peak', `Runs on peak days (${fmt(t.peak_runs)} a year, ${fmt(r.peakMultiplier)}× volume)`, t.peak_runs, c.serverless.peak)] : []),
      storage,
    ], r.ops.serverlessHours),
    scenario('always_on', 'Always-on cluster sized for the peak', 'A cluster big enough for the peak day, up all year.', [clusterResource(c.alwaysOn, clusterName(c.alwaysOn)), storage], r.ops.alwaysOnHours),
    scenario('always_on_undersized', 'Always-on cluster sized for a normal day', 'Cheaper, but peak-day runs finish late.', [clusterResource(c.undersized, clusterName(c.undersized)), storage], r.ops.alwaysOnHours),
  ];

  const monthly: MonthRow[] = MONTH_LABELS.map((label, i) => {
    const days = r.calendar.days.filter((d) => d.month === i + 1);
    return {
      month: i + 1, label,
      runs: days.reduce((a, d) => a + d.runs, 0),
      peak_days: days.filter((d) => d.peak).length,
      serverless_compute: c.serverless.monthly[i] ?? 0,
      serverless_ops: c.ops.serverless_monthly,
      always_on_compute: c.alwaysOn.monthly[i] ?? 0,
      always_on_ops: c.ops.always_on_monthly,
      storage: c.storage.monthly,
    };
  });

  const start = r.calendar.firstStart ?? null;
  const deadline = start ? addClock(start, r.windowHours) : null;
  const peakSentence = t.peak_runs === 0
    ? 'No peak days in this scenario.'
    : `On a peak day (${fmt(r.peakMultiplier)}× volume) serverless runs ${c.serverless.peak.workers === c.serverless.normal.workers ? `the same ${c.serverless.peak.workers} workers as on a normal day` : `${c.serverless.peak.workers} workers instead of ${c.serverless.normal.workers}`} and finishes in ${hoursText(c.serverless.peak.run_hours)}${start ? ` (${addClock(start, c.serverless.peak.run_hours)}, deadline ${deadline})` : ''}. `
      + (c.undersized.peak_late_hours > 0
        ? `A smaller cluster, sized for normal days (${c.undersized.size.workers} workers instead of ${c.alwaysOn.size.workers}), would take ${hoursText(c.undersized.peak_run_hours)} and finish ${hoursText(c.undersized.peak_late_hours)} late${start ? ` (${addClock(start, c.undersized.peak_run_hours)})` : ''}.`
        : `Even a cluster sized for normal days would finish on time (${hoursText(c.undersized.peak_run_hours)}).`);

  const savings = c.tco.savings_year;
  const against = t.peak_runs > 0 ? 'an always-on cluster sized for the peak' : 'an always-on cluster';
  const late = !c.serverless.normal.fits_window || !c.serverless.peak.fits_window;
  const sentence = late
    ? `No serverless run finishes within the ${hoursText(r.windowHours)} window (start-up alone takes ${hoursText(r.serverless.startupMinutes / 60)}), so the options are not comparable: serverless would cost ${usd(c.tco.serverless_year)} a year, ${against} ${usd(c.tco.always_on_year)}.`
    : savings >= 0
    ? `Serverless saves ${usd(savings)} a year (${Math.round(c.tco.savings_pct * 100)} %) against ${against}.`
    : `An always-on cluster would cost ${usd(-savings)} a year less than serverless (${Math.round(-c.tco.savings_pct * 100)} %).`;
  const clusterJson = (o: ClusterOption): ClusterJson => ({
    workers: o.size.workers, master_nodes: o.size.master_nodes, vcpus: o.size.nodes * r.alwaysOn.machine.vcpu, sized_by: o.size.bound, working: o.size.working,
    utilisation: o.utilisation, normal_run_hours: o.normal_run_hours, normal_day_busy_hours: o.normal_day_busy_hours, runs_per_run_day: t.runs_per_run_day, peak_run_hours: o.peak_run_hours, peak_late_hours: o.peak_late_hours, yearly_cost: o.year,
  });
  const runJson = (run: CoreResult['serverless']['normal']): RunSummaryJson => ({
    input_gb: run.work.input_gb, workers: run.workers, fewest_workers: run.fewest_workers, sizing: run.sizing, fits_window: run.fits_window, run_hours: run.run_hours, billed_seconds: run.billed_seconds, cost: run.cost, working: run.working,
    lines: run.lines.map((l) => ({ name: l.name, unit: l.unit, quantity: l.quantity, price: l.usd_per_unit, cost: l.cost, working: l.working })),
  });
  const usedIds = new Set([
    ...c.serverless.normal.lines.map((l) => l.price_id),
    ...c.alwaysOn.lines.map((l) => l.price_id),
    c.storage.price_id,
  ]);
  return {
    format: 'batchbook.cost/v1',
    pipeline: r.pipeline,
    generated_on: today,
    currency: 'USD',
    provider: r.provider,
    region: r.region,
    catalog_version: r.book.catalog.version,
    year: r.year,
    headline: { comparable: !late, savings_yearly: savings, savings_pct: c.tco.savings_pct, serverless_tco_yearly: c.tco.serverless_year, always_on_tco_yearly: c.tco.always_on_year, sentence },
    work: {
      sources: r.volumes.map((v) => ({ source: v.source, daily_gb: v.daily_gb, from: v.from })),
      daily_gb: r.dailyGb,
      runs_per_year: t.runs, normal_runs: t.normal_runs, peak_runs: t.peak_runs, peak_days: t.peak_days,
      peak_multiplier: r.peakMultiplier,
      throughput_mib_per_vcpu_second: r.mibPerVcpuSecond,
      normal_run: { input_gb: c.work.normal.input_gb, vcpu_hours: c.work.normal.vcpu_hours, working: c.work.normal.working },
      peak_run: { input_gb: c.work.peak.input_gb, vcpu_hours: c.work.peak.vcpu_hours, working: c.work.peak.working },
      vcpu_hours_per_year: c.work.vcpu_hours_year,
    },
    serverless_runs: { service: r.serverless.service.id, normal: runJson(c.serverless.normal), peak: runJson(c.serverless.peak) },
    cluster: { service: r.alwaysOn.service.id, machine: m, plan: r.alwaysOn.plan, hours_per_day: r.alwaysOn.hoursPerDay, peak_sized: clusterJson(c.alwaysOn), normal_sized: clusterJson(c.undersized) },
    scenarios,
    monthly,
    peak_day: {
      start, window_hours: r.windowHours, deadline,
      serverless_finish: start ? addClock(start, c.serverless.peak.run_hours) : null,
      serverless_run_hours: c.serverless.peak.run_hours,
      undersized_finish: start ? addClock(start, c.undersized.peak_run_hours) : null,
      undersized_run_hours: c.undersized.peak_run_hours,
      undersized_late_hours: c.undersized.peak_late_hours,
      sentence: peakSentence,
    },
    break_even: be,
    sensitivity: sens,
    alternatives: alts,
    assumptions: r.assumptions,
    prices: r.book.all.filter((p) => usedIds.has(p.id)),
    calibration: r.calibration,
    warnings: [...r.warnings, ...sanityWarnings(r, c), ...extraWarnings],
  };
}

function component(name: string, unit: string, priceId: string, price: number, yearlyQuantity: number, working: string): CostComponent {
  const yearly = yearlyQuantity * price;
  return { name, unit, price_id: priceId, price, monthly_quantity: yearlyQuantity / 12, monthly_cost: yearly / 12, yearly_quantity: yearlyQuantity, yearly_cost: yearly, working };
}

export { HOURS_PER_MONTH };
