import type { CostSection, PipelineSpec } from '../spec/schema.js';
import { CalendarError } from './calendar.js';
import { CATALOGS, PriceError } from './catalog/priceBook.js';
import type { AlwaysOnPlan, Provider } from './catalog/types.js';
import { breakEvenChart, dayChart, monthlyChart, sensitivityChart, tcoChart, type ChartLayout } from './charts.js';
import { DEFAULTS } from './defaults.js';
import { estimateCost, type CostEstimate } from './estimate.js';
import type { RunSummary } from './measured.js';
import { availablePlans, PLAN_WORDS, ScenarioError } from './scenario.js';
import type { PriceOverrides } from './scenarioSchema.js';

/**
 * The designer's cost panel, without any UI framework: the inputs to show (with their current
 * values and what they default to), the estimate and the chart layouts, for a spec and the
 * panel's edits. The panel renders this; on every edit it calls `applyCostInput` and asks again.
 *
 *   const model = costPanelModel(spec, { scenario, today: '2026-11-26' });
 *   // user changes the peak multiplier to 4:
 *   scenario = applyCostInput(model.scenario, 'peak.multiplier', 4);
 */

export interface CostInputOption {
  readonly value: string;
  readonly label: string;
}

export interface CostInput {
  /** Path in the `cost:` section, e.g. 'peak.multiplier' or 'daily_gb.pos_orders'. */
  readonly id: string;
  readonly group: 'Volume' | 'Schedule and peaks' | 'Services' | 'Operations';
  readonly label: string;
  readonly kind: 'number' | 'select';
  /** The value set in the scenario, if any. */
  readonly value?: number | string;
  /** What the estimate uses when the value is not set. */
  readonly placeholder?: number | string;
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly options?: readonly CostInputOption[];
  /** Where the value in use comes from, when that needs saying (e.g. calibration). */
  readonly hint?: string;
}

export interface CostPanelOptions {
  /** The scenario being edited; default the spec's `cost:` section. */
  readonly scenario?: CostSection;
  readonly today: string;
  readonly prices?: PriceOverrides;
  readonly runs?: readonly RunSummary[];
}

export interface CostPanelCharts {
  readonly monthly: ChartLayout;
  readonly tco: ChartLayout;
  readonly day: ChartLayout;
  readonly sensitivity: ChartLayout;
  readonly breakEven: ChartLayout;
}

export type CostPanelModel =
  | { readonly ok: true; readonly scenario: CostSection; readonly inputs: readonly CostInput[]; readonly estimate: CostEstimate; readonly charts: CostPanelCharts }
  | { readonly ok: false; readonly scenario: CostSection; readonly inputs: readonly CostInput[]; readonly error: string };

const assumed = (e: CostEstimate | undefined, id: string): number | string | undefined => e?.assumptions.find((a) => a.id === id)?.value;
const assumedNote = (e: CostEstimate | undefined, id: string): string | undefined => e?.assumptions.find((a) => a.id === id)?.note;

/** Everything the cost panel shows, for the spec and the panel's edits. */
export function costPanelModel(spec: PipelineSpec, opts: CostPanelOptions): CostPanelModel {
  const scenario: CostSection = opts.scenario ?? spec.cost ?? {};
  let estimate: CostEstimate | undefined;
  let error: string | undefined;
  try {
    estimate = estimateCost(spec, { today: opts.today, scenario, ...(opts.prices ? { prices: opts.prices } : {}), ...(opts.runs ? { runs: opts.runs } : {}) });
  } catch (e) {
    if (!(e instanceof ScenarioError || e instanceof PriceError || e instanceof CalendarError)) throw e;
    error = e.message;
  }
  const inputs = costInputs(spec, scenario, estimate);
  if (!estimate) return { ok: false, scenario, inputs, error: error ?? 'no estimate' };
  return {
    ok: true, scenario, inputs, estimate,
    charts: { monthly: monthlyChart(estimate), tco: tcoChart(estimate), day: dayChart(estimate), sensitivity: sensitivityChart(estimate), breakEven: breakEvenChart(estimate) },
  };
}

function costInputs(spec: PipelineSpec, sc: CostSection, e: CostEstimate | undefined): CostInput[] {
  const provider: Provider = sc.provider ?? DEFAULTS.provider;
  const catalog = CATALOGS[provider];
  const aoService = catalog.always_on.find((s) => s.id === (sc.always_on?.service ?? DEFAULTS.alwaysOn[provider].service)) ?? catalog.always_on[0]!;
  const machine = aoService.machines.find((m) => m.id === (sc.always_on?.machine ?? DEFAULTS.alwaysOn[provider].machine)) ?? aoService.machines[0]!;
  const num = (group: CostInput['group'], id: string, label: string, value: number | undefined, unit: string, min: number, max: number, step: number): CostInput => {
    const placeholder = assumed(e, id === 'throughput.mib_per_vcpu_second' ? 'throughput' : id);
    return { id, group, label, kind: 'number', unit, min, max, step, ...(value !== undefined ? { value } : {}), ...(placeholder !== undefined ? { placeholder } : {}) };
  };
  const sel = (group: CostInput['group'], id: string, label: string, value: string | undefined, options: CostInputOption[], fallback: string): CostInput =>
    ({ id, group, label, kind: 'select', options, ...(value !== undefined ? { value } : {}), placeholder: fallback });
  return [
    ...Object.keys(spec.sources).map((s) => {
      const measured = e?.work.sources.find((v) => v.source === s);
      return { ...num('Volume', `daily_gb.${s}`, `${s}, GB on a normal day`, sc.daily_gb?.[s], 'GB', 0, 1e6, 1), ...(measured && sc.daily_gb?.[s] === undefined ? { placeholder: Number(measured.daily_gb.toPrecision(4)) } : {}) };
    }),
    num('Volume', 'throughput.mib_per_vcpu_second', 'Throughput per vCPU', sc.throughput?.mib_per_vcpu_second, 'MiB/s', 0.1, 1000, 0.5),
    { ...num('Schedule and peaks', 'runs_per_day', 'Runs a day', sc.runs_per_day, 'runs', 0.1, 1440, 1), ...(e ? { placeholder: Number((e.work.runs_per_year / 365).toPrecision(3)) } : {}) },
    num('Schedule and peaks', 'window_hours', 'Run window', sc.window_hours, 'hours', 0.25, 24, 0.5),
    num('Schedule and peaks', 'peak.multiplier', 'Peak-day volume', sc.peak?.multiplier, '×', 1, 100, 0.5),
    num('Schedule and peaks', 'peak.days_per_year', 'Peak days a year', sc.peak?.days_per_year, 'days', 0, 366, 1),
    sel('Services', 'provider', 'Cloud', sc.provider, [{ value: 'gcp', label: 'Google Cloud' }, { value: 'aws', label: 'AWS' }], DEFAULTS.provider),
    sel('Services', 'serverless.service', 'Serverless service', sc.serverless?.service, catalog.serverless.map((s) => ({ value: s.id, label: s.label })), DEFAULTS.serverless[provider]),
    sel('Services', 'always_on.service', 'Always-on option', sc.always_on?.service, catalog.always_on.map((s) => ({ value: s.id, label: s.label })), DEFAULTS.alwaysOn[provider].service),
    sel('Services', 'always_on.machine', 'Machine type', sc.always_on?.machine, aoService.machines.map((m) => ({ value: m.id, label: `${m.id} (${m.vcpu} vCPU, ${m.memory_gb} GB)` })), DEFAULTS.alwaysOn[provider].machine),
    sel('Services', 'always_on.plan', 'Cluster pricing', sc.always_on?.plan, availablePlans(machine).map((p) => ({ value: p, label: PLAN_WORDS[p] })), DEFAULTS.plan[provider]),
    num('Services', 'always_on.hours_per_day', 'Cluster hours a day', sc.always_on?.hours_per_day, 'hours', 1, 24, 1),
    num('Operations', 'ops.loaded_rate_per_hour', 'Engineer hour, fully loaded', sc.ops?.loaded_rate_per_hour, 'USD', 0, 1000, 5),
    num('Operations', 'ops.always_on_hours_per_month', 'Cluster care a month', sc.ops?.always_on_hours_per_month, 'hours', 0, 744, 1),
    num('Operations', 'ops.serverless_hours_per_month', 'Serverless care a month', sc.ops?.serverless_hours_per_month, 'hours', 0, 744, 1),
  ].map((i) => (i.id === 'throughput.mib_per_vcpu_second' && assumedNote(e, 'throughput') ? { ...i, hint: assumedNote(e, 'throughput')! } : i));
}

/**
 * The scenario with one input set (`undefined` clears it back to its default). Changing the
 * cloud clears the service and machine choices, which are per cloud.
 */
export function applyCostInput(sc: CostSection, id: string, value: number | string | undefined): CostSection {
  if (id === 'provider') {
    const { serverless: _s, always_on: _a, region: _r, ...rest } = sc;
    return { ...rest, ...(value === undefined ? {} : { provider: value as Provider }) };
  }
  const [head, key] = id.split('.') as [string, string | undefined];
  if (key === undefined) return setKey(sc, head, value);
  const inner = ((sc as Record<string, unknown>)[head] ?? {}) as Record<string, unknown>;
  let next = setKey(inner, key, value);
  // a machine or plan belongs to its service: clear them when the service changes
  if (id === 'always_on.service') next = setKey(setKey(next, 'machine', undefined), 'plan', undefined);
  if (id === 'always_on.machine' && typeof value === 'string') {
    const plan = next['plan'] as AlwaysOnPlan | undefined;
    const m = Object.values(CATALOGS).flatMap((c) => c.always_on.flatMap((s) => s.machines)).find((x) => x.id === value);
    if (plan && m && !availablePlans(m).includes(plan)) next = setKey(next, 'plan', undefined);
  }
  return setKey(sc, head, Object.keys(next).length ? next : undefined);
}

function setKey<T extends object>(o: T, key: string, value: unknown): T {
  const { [key]: _old, ...rest } = o as Record<string, unknown>;
  return (value === undefined ? rest : { ...rest, [key]: value }) as T;
}
