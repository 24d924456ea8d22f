import { CATALOGS } from './catalog/priceBook.js';
import { hoursText, usd, type CostEstimate, type ScenarioCost } from './estimate.js';
import { fmt, pctText } from './work.js';


/** A label and two amounts; a label too long for its column gets a line of its own (never cut: it holds prices). */
export function row(label: string, month: string, year: string, width = 58): string {
  const amounts = `${month.padStart(11)} ${year.padStart(11)}`;
  if (label.length <= width) return `${label.padEnd(width)} ${amounts}`;
  return `${label}\n${' '.repeat(width)} ${amounts}`;
}

function scenarioBlock(s: ScenarioCost): string[] {
  const out = [s.name];
  for (const r of s.resources) {
    out.push(row(`  ${r.name}`, usd(r.monthly_cost), usd(r.yearly_cost)));
    for (const c of r.cost_components) out.push(row(`    ${c.name} (${fmt(c.yearly_quantity)} ${c.unit} × $${fmt(c.price)})`, usd(c.monthly_cost), usd(c.yearly_cost)));
  }
  out.push(row(`  Operations (${fmt(s.ops.hours_per_month)} h/month × ${usd(s.ops.usd_per_hour)})`, usd(s.ops.monthly_cost), usd(s.ops.yearly_cost)));
  out.push(row('  Total cost of ownership', usd(s.tco_yearly / 12), usd(s.tco_yearly)));
  return out;
}

/** The plain-text summary `batchbook cost` prints. */
export function costTable(e: CostEstimate): string {
  const lines: string[] = [];
  lines.push(`${e.pipeline} — cost estimate for ${e.year}, ${e.provider} ${e.region} list prices read ${e.catalog_version}, USD`);
  lines.push('');
  lines.push(e.headline.sentence);
  for (const w of e.warnings) lines.push(`warning: ${w}`);
  lines.push('');
  lines.push(row('', 'per month', 'per year'));
  for (const s of e.scenarios) lines.push(...scenarioBlock(s), '');
  lines.push('Lake storage is the same under every option; it is listed in each so the totals compare.');
  const c = e.cluster.peak_sized;
  lines.push(`Work: ${fmt(e.work.daily_gb)} GB a day, ${fmt(e.work.runs_per_year)} runs a year (${fmt(e.work.peak_runs)} on ${e.work.peak_days} peak days at ${fmt(e.work.peak_multiplier)}×), ${fmt(e.work.throughput_mib_per_vcpu_second)} MiB/s per vCPU`);
  lines.push(`  normal run: ${e.work.normal_run.working}`);
  lines.push(`  serverless: ${e.serverless_runs.normal.working}`);
  lines.push(`  serverless sizing: ${e.serverless_runs.normal.sizing}`);
  lines.push(`Peak day: ${e.peak_day.sentence}`);
  lines.push(`Utilisation: the ${e.work.peak_runs > 0 ? 'peak-sized ' : ''}cluster (${c.workers} workers) is busy ${pctText(c.utilisation)} of its hours; a normal run takes it ${hoursText(c.normal_run_hours)}${c.runs_per_run_day > 1.5 ? `, a normal day's ${fmt(Math.round(c.runs_per_run_day * 10) / 10)} runs ${hoursText(c.normal_day_busy_hours)}` : ''}.`);
  lines.push(`Break-even: ${e.break_even.explanation}`);
  lines.push('Most sensitive assumptions (yearly savings at the low / high value):');
  for (const s of e.sensitivity.slice(0, 5)) lines.push(`  ${s.label.padEnd(30)} ${s.low.value.padStart(14)} → ${usd(s.low.savings_year).padStart(10)}   ${s.high.value.padStart(14)} → ${usd(s.high.savings_year).padStart(10)}`);
  lines.push('Assumptions:');
  for (const a of e.assumptions) lines.push(`  ${a.label}: ${a.value}${a.unit ? ` ${a.unit}` : ''} (${a.source}${a.note ? `; ${a.note}` : ''})`);
  return `${lines.join('\n')}\n`;
}

/** Every price of every catalog, for `batchbook cost --catalog`. */
export function catalogTable(): string {
  const lines: string[] = [];
  for (const cat of Object.values(CATALOGS)) {
    lines.push(`${cat.provider} ${cat.region} (catalog ${cat.version})`);
    for (const p of cat.prices) {
      lines.push(`  ${p.id.padEnd(44)} $${String(p.usd).padEnd(10)} per ${p.unit.padEnd(14)} ${p.basis.padEnd(8)} ${p.source}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
