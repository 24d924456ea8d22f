import { usd, type CostEstimate, type ScenarioCost } from './estimate.js';

// What a change to a pipeline or its scenario does to the yearly cost, like `infracost diff`:
// every cost component of each option before and after, matched by resource and price, then
// operations and the totals. A component only one side has counts as 0 on the other.

export interface ComponentChange {
  readonly resource: string;
  readonly component: string;
  readonly price_id: string;
  readonly before_yearly: number;
  readonly after_yearly: number;
  readonly change_yearly: number;
}

export interface ScenarioChange {
  readonly id: ScenarioCost['id'];
  readonly name: string;
  readonly components: readonly ComponentChange[];
  readonly ops: { readonly before_yearly: number; readonly after_yearly: number; readonly change_yearly: number };
  readonly tco: { readonly before_yearly: number; readonly after_yearly: number; readonly change_yearly: number };
}

export interface CostDiff {
  readonly format: 'batchbook.cost-diff/v1';
  readonly before: { readonly pipeline: string; readonly daily_gb: number; readonly runs_per_year: number };
  readonly after: { readonly pipeline: string; readonly daily_gb: number; readonly runs_per_year: number };
  readonly scenarios: readonly ScenarioChange[];
  readonly savings: { readonly before_yearly: number; readonly after_yearly: number; readonly change_yearly: number };
}

const change = (before: number, after: number) => ({ before_yearly: before, after_yearly: after, change_yearly: after - before });

function componentMap(s: ScenarioCost | undefined): Map<string, { resource: string; component: string; price_id: string; yearly: number }> {
  const m = new Map<string, { resource: string; component: string; price_id: string; yearly: number }>();
  for (const r of s?.resources ?? []) {
    for (const c of r.cost_components) m.set(`${r.id}\u0000${c.price_id}`, { resource: r.name, component: c.name, price_id: c.price_id, yearly: c.yearly_cost });
  }
  return m;
}

/** Per-component change of every option from estimate `a` (before) to `b` (after). */
export function diffEstimates(a: CostEstimate, b: CostEstimate): CostDiff {
  const ids = [...new Set([...a.scenarios, ...b.scenarios].map((s) => s.id))];
  const scenarios = ids.map((id): ScenarioChange => {
    const sa = a.scenarios.find((s) => s.id === id);
    const sb = b.scenarios.find((s) => s.id === id);
    const ma = componentMap(sa);
    const mb = componentMap(sb);
    const keys = [...new Set([...ma.keys(), ...mb.keys()])];
    const components = keys.map((k) => {
      const x = ma.get(k);
      const y = mb.get(k);
      const named = (y ?? x)!;
      return { resource: named.resource, component: named.component, price_id: named.price_id, ...change(x?.yearly ?? 0, y?.yearly ?? 0) };
    });
    return {
      id, name: (sb ?? sa)!.name, components,
      ops: change(sa?.ops.yearly_cost ?? 0, sb?.ops.yearly_cost ?? 0),
      tco: change(sa?.tco_yearly ?? 0, sb?.tco_yearly ?? 0),
    };
  });
  const side = (e: CostEstimate) => ({ pipeline: e.pipeline, daily_gb: e.work.daily_gb, runs_per_year: e.work.runs_per_year });
  return { format: 'batchbook.cost-diff/v1', before: side(a), after: side(b), scenarios, savings: change(a.headline.savings_yearly, b.headline.savings_yearly) };
}

const signed = (x: number) => (Math.abs(x) < 0.005 ? '$0' : `${x > 0 ? '+' : ''}${usd(x)}`);
const pct = (before: number, after: number) => (before === 0 ? (after === 0 ? '' : ' (new)') : ` (${after >= before ? '+' : '−'}${Math.round((Math.abs(after - before) / before) * 100)} %)`);

/** The diff as the CLI prints it: per option, each component's yearly cost before → after and the change, then the totals. */
export function costDiffTable(d: CostDiff): string {
  const out: string[] = [];
  out.push(`Cost change a year, ${d.before.pipeline} → ${d.after.pipeline} (${d.before.daily_gb} → ${d.after.daily_gb} GB a day, ${d.before.runs_per_year} → ${d.after.runs_per_year} runs a year), USD`);
  for (const s of d.scenarios) {
    out.push('', s.name);
    for (const c of s.components) {
      out.push(`  ${c.resource} · ${c.component}`);
      out.push(`    ${usd(c.before_yearly).padStart(12)} → ${usd(c.after_yearly).padStart(12)}   ${signed(c.change_yearly).padStart(12)}${pct(c.before_yearly, c.after_yearly)}`);
    }
    out.push(`  Operations (people)`);
    out.push(`    ${usd(s.ops.before_yearly).padStart(12)} → ${usd(s.ops.after_yearly).padStart(12)}   ${signed(s.ops.change_yearly).padStart(12)}`);
    out.push(`  Total cost of ownership ${usd(s.tco.before_yearly)} → ${usd(s.tco.after_yearly)}: ${signed(s.tco.change_yearly)}${pct(s.tco.before_yearly, s.tco.after_yearly)}`);
  }
  out.push('', `Serverless saves ${usd(d.savings.before_yearly)} → ${usd(d.savings.after_yearly)} a year: ${signed(d.savings.change_yearly)}`);
  return `${out.join('\n')}\n`;
}
