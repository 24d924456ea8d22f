import { HOURS_PER_MONTH } from './defaults.js';
import type { CostEstimate, CostResource, ScenarioCost } from './estimate.js';

// `--format infracost`: an estimate (or a before/after pair) in the shape of Infracost's JSON
// output, version 0.2 (https://github.com/infracost/infracost/blob/master/schema/infracost.schema.json),
// so tools that read Infracost output (PR comment bots, dashboards) read it: camelCase, every
// amount a decimal string, monthly and hourly figures (hourly = monthly ÷ 730), one project with
// its pastBreakdown, breakdown and diff. The project is one option of the comparison (serverless
// by default); as in Infracost, totals are infrastructure only: people cost stays in --json.

export type Decimal = string;

export interface InfracostCostComponent {
  readonly name: string;
  readonly unit: string;
  readonly hourlyQuantity: Decimal | null;
  readonly monthlyQuantity: Decimal | null;
  readonly price: Decimal | null;
  readonly hourlyCost: Decimal | null;
  readonly monthlyCost: Decimal | null;
}

export interface InfracostResource {
  readonly name: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly hourlyCost: Decimal | null;
  readonly monthlyCost: Decimal | null;
  readonly costComponents: readonly InfracostCostComponent[];
}

export interface InfracostBreakdown {
  readonly resources: readonly InfracostResource[];
  readonly totalHourlyCost: Decimal | null;
  readonly totalMonthlyCost: Decimal | null;
}

export interface InfracostSummary {
  readonly totalResources: number;
  readonly totalDetectedResources: number;
  readonly totalSupportedResources: number;
  readonly totalUnsupportedResources: number;
  readonly totalUsageBasedResources: number;
  readonly totalNoPriceResources: number;
}

export interface InfracostProject {
  readonly name: string;
  readonly metadata: { readonly path: string; readonly type: string };
  readonly pastBreakdown: InfracostBreakdown;
  readonly breakdown: InfracostBreakdown;
  readonly diff: InfracostBreakdown;
  readonly summary: InfracostSummary;
}

export interface InfracostRoot {
  readonly version: '0.2';
  readonly currency: string;
  readonly projects: readonly InfracostProject[];
  readonly totalHourlyCost: Decimal | null;
  readonly totalMonthlyCost: Decimal | null;
  readonly pastTotalHourlyCost: Decimal | null;
  readonly pastTotalMonthlyCost: Decimal | null;
  readonly diffTotalHourlyCost: Decimal | null;
  readonly diffTotalMonthlyCost: Decimal | null;
  readonly timeGenerated: string;
  readonly summary: InfracostSummary;
}

/** A number as a decimal string without float noise or exponent: at most `dp` decimals, no trailing zeros. */
export function decimal(x: number, dp = 10): Decimal | null {
  if (!Number.isFinite(x)) return null;
  const s = x.toFixed(dp);
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
}

interface Row { readonly name: string; readonly unit: string; readonly monthlyQuantity: number; readonly price: number; readonly monthlyCost: number }
interface Res { readonly id: string; readonly name: string; readonly rows: readonly Row[] }

function resources(s: ScenarioCost | undefined): Res[] {
  return (s?.resources ?? []).map((r: CostResource) => ({
    id: r.id,
    name: r.name,
    rows: r.cost_components.map((c) => ({ name: c.name, unit: c.unit, monthlyQuantity: c.monthly_quantity, price: c.price, monthlyCost: c.monthly_cost })),
  }));
}

function component(r: Row): InfracostCostComponent {
  return {
    name: r.name,
    unit: r.unit,
    hourlyQuantity: decimal(r.monthlyQuantity / HOURS_PER_MONTH),
    monthlyQuantity: decimal(r.monthlyQuantity),
    price: decimal(r.price),
    hourlyCost: decimal(r.monthlyCost / HOURS_PER_MONTH),
    monthlyCost: decimal(r.monthlyCost),
  };
}

const total = (rs: readonly Res[]) => rs.reduce((a, r) => a + r.rows.reduce((b, x) => b + x.monthlyCost, 0), 0);

function breakdown(rs: readonly Res[]): InfracostBreakdown {
  const m = total(rs);
  return {
    resources: rs.map((r) => {
      const monthly = r.rows.reduce((a, x) => a + x.monthlyCost, 0);
      return { name: r.name, metadata: { batchbookId: r.id }, hourlyCost: decimal(monthly / HOURS_PER_MONTH), monthlyCost: decimal(monthly), costComponents: r.rows.map(component) };
    }),
    totalHourlyCost: decimal(m / HOURS_PER_MONTH),
    totalMonthlyCost: decimal(m),
  };
}

/** after − before per resource and component (matched by resource id and component name); unchanged ones left out, as Infracost does. */
function diffResources(before: readonly Res[], after: readonly Res[]): Res[] {
  const ids = [...new Set([...before, ...after].map((r) => r.id))];
  const out: Res[] = [];
  for (const id of ids) {
    const a = before.find((r) => r.id === id);
    const b = after.find((r) => r.id === id);
    const names = [...new Set([...(a?.rows ?? []), ...(b?.rows ?? [])].map((r) => r.name))];
    const rows = names.map((n): Row => {
      const x = a?.rows.find((r) => r.name === n);
      const y = b?.rows.find((r) => r.name === n);
      return { name: n, unit: (y ?? x)!.unit, monthlyQuantity: (y?.monthlyQuantity ?? 0) - (x?.monthlyQuantity ?? 0), price: (y ?? x)!.price, monthlyCost: (y?.monthlyCost ?? 0) - (x?.monthlyCost ?? 0) };
    }).filter((r) => Math.abs(r.monthlyCost) > 1e-9 || Math.abs(r.monthlyQuantity) > 1e-9);
    if (rows.length) out.push({ id, name: (b ?? a)!.name, rows });
  }
  return out;
}

function summary(n: number): InfracostSummary {
  return { totalResources: n, totalDetectedResources: n, totalSupportedResources: n, totalUnsupportedResources: 0, totalUsageBasedResources: n, totalNoPriceResources: 0 };
}

export interface InfracostOptions {
  /** The estimate before the change; without it the past is empty, as for `infracost breakdown`. */
  readonly past?: CostEstimate;
  readonly option?: 'serverless' | 'always_on';
  /** ISO date-time the output was made (pipeline-core has no clock). */
  readonly timeGenerated: string;
  /** The project's path, as Infracost's metadata.path. */
  readonly path: string;
}

/** The estimate in Infracost's JSON shape (see the note at the top). */
export function toInfracost(current: CostEstimate, opts: InfracostOptions): InfracostRoot {
  const option = opts.option ?? 'serverless';
  const now = resources(current.scenarios.find((s) => s.id === option));
  const past = opts.past ? resources(opts.past.scenarios.find((s) => s.id === option)) : [];
  const diff = diffResources(past, now);
  const project: InfracostProject = {
    name: `${current.pipeline} · ${option === 'serverless' ? current.scenarios.find((s) => s.id === 'serverless')?.name ?? 'serverless' : 'always-on cluster'}`,
    metadata: { path: opts.path, type: 'batchbook_pipeline' },
    pastBreakdown: breakdown(past),
    breakdown: breakdown(now),
    diff: breakdown(diff),
    summary: summary(now.length),
  };
  const m = total(now);
  const p = total(past);
  return {
    version: '0.2',
    currency: current.currency,
    projects: [project],
    totalHourlyCost: decimal(m / HOURS_PER_MONTH),
    totalMonthlyCost: decimal(m),
    pastTotalHourlyCost: decimal(p / HOURS_PER_MONTH),
    pastTotalMonthlyCost: decimal(p),
    diffTotalHourlyCost: decimal((m - p) / HOURS_PER_MONTH),
    diffTotalMonthlyCost: decimal(m - p),
    timeGenerated: opts.timeGenerated,
    summary: summary(now.length),
  };
}
