import { breakEvenChart, dayChart, monthlyChart, sensitivityChart, tcoChart, type ChartLayout } from './charts.js';
import { hoursText, usd, type CostEstimate } from './estimate.js';
import { PLAN_WORDS, type Assumption } from './scenario.js';
import type { AlwaysOnPlan } from './catalog/types.js';
import { fmt, pctText } from './work.js';

// The one-page report for business leaders: self-contained HTML (inline CSS and SVG, no
// script, no font or image from anywhere), sized to print on one A4 page.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** SVG text of a chart layout; classes carry the colours (see CSS below). */
export function chartSvg(c: ChartLayout, testId: string): string {
  const parts: string[] = [];
  for (const b of c.bands) parts.push(`<rect class="band ${b.kind}" x="${r1(b.x)}" y="${r1(b.y)}" width="${r1(b.w)}" height="${r1(b.h)}"><title>${escapeHtml(b.title)}</title></rect>`);
  for (const l of c.grid) parts.push(`<line class="${l.kind}" x1="${r1(l.x1)}" y1="${r1(l.y1)}" x2="${r1(l.x2)}" y2="${r1(l.y2)}"/>`);
  for (const r of c.rects) parts.push(`<rect class="${r.series} ${r.part}" x="${r1(r.x)}" y="${r1(r.y)}" width="${r1(Math.max(0, r.w))}" height="${r1(Math.max(0, r.h))}"><title>${escapeHtml(r.title)}</title></rect>`);
  for (const p of c.paths ?? []) parts.push(`<polyline class="curve ${p.series}" points="${p.points.map(([x, y]) => `${r1(x)},${r1(y)}`).join(' ')}"><title>${escapeHtml(p.title)}</title></polyline>`);
  for (const m of c.markers ?? []) parts.push(`<circle class="marker ${m.kind}" cx="${r1(m.x)}" cy="${r1(m.y)}" r="3.5"><title>${escapeHtml(m.title)}</title></circle>`);
  for (const t of c.labels) parts.push(`<text class="${t.kind}" x="${r1(t.x)}" y="${r1(t.y)}" text-anchor="${t.anchor}">${escapeHtml(t.text)}</text>`);
  return `<svg data-testid="${testId}" role="img" aria-label="${escapeHtml(c.description)}" viewBox="0 0 ${c.width} ${c.height}" width="${c.width}" height="${c.height}">${parts.join('')}</svg>`;
}

const CSS = `
@page { size: A4 portrait; margin: 9mm 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef1f4; color: #1c2530; font: 10.5px/1.4 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
.page { width: 760px; margin: 16px auto; background: #fff; padding: 22px 26px 16px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
@media print { body { background: #fff; } .page { margin: 0; padding: 0; box-shadow: none; width: 190mm; } .page .assumptions { font-size: 9px; } .page .assumptions li { line-height: 1.25; } .page table.prices { font-size: 8px; } }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #0f766e; padding-bottom: 3px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 9.5px; color: #51606f; }
.brand { font-weight: 700; color: #0f766e; font-size: 10px; letter-spacing: .04em; }
h1 { font-size: 25px; line-height: 1.15; margin: 6px 0 2px; color: #0b3b37; }
h1.loses { color: #7c2d12; }
.lede { font-size: 11.5px; margin: 0 0 8px; color: #2b3744; max-width: 700px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin-bottom: 4px; }
.kpi { border: 1px solid #dde3e9; border-radius: 6px; padding: 5px 9px; }
.kpi .label { font-size: 9px; text-transform: uppercase; letter-spacing: .05em; color: #5b6876; }
.kpi .value { font-size: 17px; font-weight: 700; margin: 0; }
.kpi .sub { font-size: 9.5px; color: #4a5663; }
.kpi.s .value { color: #0f766e; } .kpi.a .value { color: #b45309; } .kpi.late .value { color: #b91c1c; }
h2 { font-size: 11.5px; margin: 7px 0 2px; color: #1c2530; }
.legend { display: flex; gap: 12px; font-size: 9.5px; color: #4a5663; margin: 0 0 2px; flex-wrap: wrap; }
.sw { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 22px; }
.grid2w { display: grid; grid-template-columns: 420px 1fr; gap: 4px 22px; }
.note.small { font-size: 9px; line-height: 1.3; }
.grid3 { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 4px 18px; }
table.alts { border-collapse: collapse; font-size: 9px; width: 100%; }
table.alts td { padding: 0 6px 0 0; line-height: 1.25; border-bottom: 1px solid #f0f2f4; }
table.alts td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.alts tr.chosen td { font-weight: 700; }
.note { font-size: 10px; color: #3b4754; margin: 2px 0 0; }
svg { display: block; max-width: 100%; height: auto; overflow: visible; }
svg text { font-family: inherit; font-size: 9.5px; fill: #3b4754; }
svg text.note { fill: #92400e; font-size: 9px; font-weight: 600; }
svg text.value { font-weight: 700; fill: #1c2530; }
svg line.grid { stroke: #e5e9ee; stroke-width: 1; } svg line.axis { stroke: #8a96a3; stroke-width: 1; }
rect.serverless.infra, .sw.si { fill: #0f766e; background: #0f766e; }
rect.serverless.ops, .sw.so { fill: #7fd1c7; background: #7fd1c7; }
rect.always_on.infra, .sw.ai { fill: #c2410c; background: #c2410c; }
rect.always_on.ops, .sw.ao { fill: #f8b98c; background: #f8b98c; }
rect.storage, .sw.st { fill: #94a3b8; background: #94a3b8; }
polyline.curve { fill: none; stroke-width: 2; } polyline.curve.serverless { stroke: #0f766e; } polyline.curve.always_on { stroke: #c2410c; }
circle.marker.today { fill: #1c2530; } circle.marker.crossing { fill: #fff; stroke: #1c2530; stroke-width: 1.5; }
.warnings { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #b45309; background: #fff7ed; font-size: 9.5px; color: #7c2d12; }
.warnings p { margin: 0; }
rect.band.peak, .sw.pk { fill: #fdf3d0; background: #fdf3d0; }
rect.band.window, .sw.id { fill: #eef1f4; background: #eef1f4; } rect.band.window + rect.band.window, .sw.wn { fill: #cbd7e3; background: #cbd7e3; }
rect.band.busy { fill: #c2410c; }
.assumptions { columns: 3; column-gap: 16px; margin: 0; padding: 0; list-style: none; font-size: 9.5px; }
.assumptions li { break-inside: avoid; margin: 0; line-height: 1.3; }
.src { color: #6b7785; font-size: 8.5px; font-weight: normal; }
table.prices { width: 100%; border-collapse: collapse; font-size: 8.5px; color: #3b4754; }
table.prices th { text-align: left; font-weight: 600; border-bottom: 1px solid #cfd6dd; padding: 1px 4px 1px 0; }
table.prices td { padding: 1px 4px 1px 0; border-bottom: 1px solid #f0f2f4; vertical-align: top; }
table.prices td.num { text-align: right; white-space: nowrap; }
table.prices .url { color: #3b4754; word-break: break-all; }
footer { margin-top: 6px; font-size: 8.5px; color: #6b7785; border-top: 1px solid #dde3e9; padding-top: 4px; }
.warn { color: #9a3412; }
`;

const SOURCE_LABEL: Record<string, string> = { spec: '', default: 'default', schedule: 'from the schedule', measured: 'measured', calibrated: 'measured runs' };

/** "(default; why)" after an assumption; nothing for values the spec states. */
function sourceTag(a: Assumption): string {
  const note = a.note && !/^[a-z0-9_]+$/.test(a.note) ? a.note : '';
  const parts = [SOURCE_LABEL[a.source] ?? a.source, note].filter(Boolean);
  return parts.length ? ` <span class="src">(${escapeHtml(parts.join('; '))})</span>` : '';
}

/** The HTML report; a pure function of the estimate (its date comes from the estimate). */
export function renderCostReport(e: CostEstimate): string {
  const serverless = e.scenarios.find((s) => s.id === 'serverless')!;
  const alwaysOn = e.scenarios.find((s) => s.id === 'always_on')!;
  const c = e.cluster.peak_sized;
  const u = e.cluster.normal_sized;
  const saves = e.headline.savings_yearly >= 0;
  const savingsPct = `${Math.round(Math.abs(e.headline.savings_pct) * 100)} %`;
  const h1 = !e.headline.comparable ? 'Serverless cannot meet this run window' : saves ? `Serverless saves ${usd(e.headline.savings_yearly)} a year (${savingsPct})` : `An always-on cluster would save ${usd(-e.headline.savings_yearly)} a year (${savingsPct})`;
  const serviceLabel = e.scenarios[0]?.name ?? 'serverless';
  const peopleShare = alwaysOn.tco_yearly > 0 ? alwaysOn.ops.yearly_cost / alwaysOn.tco_yearly : 0;
  const late = e.peak_day.undersized_late_hours > 0;
  const hasPeak = e.work.peak_runs > 0;
  const idle = 1 - c.utilisation;
  const idleText = idle > 0.995 ? 'more than 99 %' : `${Math.round(idle * 100)} %`;
  const esc = escapeHtml;
  const clusterWords = hasPeak ? 'A cluster big enough for the peak' : 'An always-on cluster';
  const lede = !e.headline.comparable
    ? `No serverless run can finish within the run window: its start-up alone is longer. Serverless on <b>${esc(serviceLabel)}</b> would cost <b>${usd(serverless.tco_yearly)}</b> a year with people, ${clusterWords.toLowerCase()} <b>${usd(alwaysOn.tco_yearly)}</b>; lengthen the window to compare like with like.`
    : saves
    ? `On <b>${esc(serviceLabel)}</b> this pipeline costs <b>${usd(serverless.tco_yearly)}</b> a year with people: you pay only while it runs${hasPeak ? ' and peak days just get more workers' : ''}. ${clusterWords} costs <b>${usd(alwaysOn.tco_yearly)}</b>, paid every hour yet idle ${idleText} of the time.`
    : `${clusterWords} costs <b>${usd(alwaysOn.tco_yearly)}</b> a year with people, less than <b>${usd(serverless.tco_yearly)}</b> on <b>${esc(serviceLabel)}</b>: busy ${pctText(c.utilisation)} of its hours, it does enough work to pay for its idle time. Serverless would still remove the cluster's upkeep and scale for peaks.`;

  const kpis = [
    `<div class="kpi s"><div class="label">Serverless, a year</div><div class="value">${usd(serverless.tco_yearly)}</div><div class="sub">${usd(e.serverless_runs.normal.cost)} a normal run, ${usd(e.serverless_runs.peak.cost)} a peak run</div></div>`,
    `<div class="kpi a"><div class="label">Always-on, a year</div><div class="value">${usd(alwaysOn.tco_yearly)}</div><div class="sub">${c.master_nodes + c.workers} × ${esc(e.cluster.machine)}, ${fmt(e.cluster.hours_per_day)} h a day</div></div>`,
    `<div class="kpi"><div class="label">Cluster utilisation</div><div class="value">${pctText(c.utilisation)}</div><div class="sub">busy ${hoursText(c.normal_day_busy_hours)} of 24 h on a normal day${c.runs_per_run_day > 1.5 ? ` (${fmt(Math.round(c.runs_per_run_day * 10) / 10)} runs)` : ''}</div></div>`,
    !hasPeak
      ? `<div class="kpi"><div class="label">Peak days</div><div class="value">none</div><div class="sub">this scenario has no peak; add cost.peak to the spec to model one</div></div>`
      : late
      ? `<div class="kpi late"><div class="label">A smaller cluster?</div><div class="value">${hoursText(e.peak_day.undersized_late_hours)} late</div><div class="sub">sized for normal days (${u.workers} workers, not ${c.workers}) it would end peak runs that late; serverless is done ${e.peak_day.serverless_finish ? `${esc(e.peak_day.serverless_finish)} (deadline ${esc(e.peak_day.deadline ?? '')})` : `in ${hoursText(e.peak_day.serverless_run_hours)}`}</div></div>`
      : `<div class="kpi"><div class="label">Peak day (${fmt(e.work.peak_multiplier)}× volume)</div><div class="value">on time</div><div class="sub">serverless scales to ${e.serverless_runs.peak.workers} workers; even a cluster sized for normal days finishes within the window</div></div>`,
  ].join('');

  const assumptions = e.assumptions
    .filter((a) => a.id !== 'year' && a.id !== 'provider')
    .map((a) => `<li>${esc(a.label)}: <b>${esc(typeof a.value === 'number' ? fmt(a.value) : a.value)}${a.unit ? ` ${esc(a.unit)}` : ''}</b> ${sourceTag(a)}</li>`)
    .join('');
  const prices = e.prices
    .map((p) => `<tr><td>${esc(p.service)}</td><td>${esc(p.sku)}</td><td class="num">$${esc(String(p.usd))} / ${esc(p.unit)}${p.list_usd !== undefined ? ` <span class="src">(list $${esc(String(p.list_usd))})</span>` : ''}</td><td>${esc(p.region)}</td><td class="num">${esc(p.read_on)}${p.basis === 'recalled' ? '†' : p.basis === 'override' ? '*' : ''}</td><td class="url">${esc(p.source)}</td></tr>`)
    .join('');
  const chosen = new Set([e.serverless_runs.service, e.cluster.plan]);
  const alternatives = e.alternatives
    .map((a) => `<tr${chosen.has(a.id) ? ' class="chosen"' : ''}><td>${esc(a.kind === 'always_on_plan' ? `Always-on cluster, ${PLAN_WORDS[a.id as AlwaysOnPlan]}` : a.label)}</td><td class="num">${usd(a.yearly_cost)}</td></tr>`)
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Cost estimate · ${esc(e.pipeline)} · ${e.year}</title>
<style>${CSS}</style></head>
<body><main class="page" data-testid="cost-report">
<header><span class="kicker">Cost estimate · ${esc(e.pipeline)} · ${e.year}</span><span class="brand">BATCHBOOK</span></header>
<h1 data-testid="headline"${saves ? '' : ' class="loses"'}>${esc(h1)}</h1>
<p class="lede">${lede}</p>
${e.warnings.length ? `<div class="warnings" data-testid="warnings">${e.warnings.map((w) => `<p>⚠ ${esc(w)}</p>`).join('')}</div>` : ''}
<section class="kpis">${kpis}</section>
<h2>Cost per month in ${e.year}, infrastructure and people</h2>
<div class="legend"><span><i class="sw si"></i>Serverless compute</span><span><i class="sw so"></i>Serverless people</span><span><i class="sw ai"></i>Always-on compute</span><span><i class="sw ao"></i>Always-on people</span><span><i class="sw st"></i>Lake storage (both)</span>${hasPeak ? '<span><i class="sw pk"></i>Months with peak days</span>' : ''}</div>
${chartSvg(monthlyChart(e, 720, 136), 'chart-monthly')}
<p class="note">The cluster costs the same every month whatever the volume; serverless follows the work${hasPeak ? ' and rises only in the peak months' : ''}.</p>
<div class="grid3">
<section><h2>Where the money goes, a year</h2>${chartSvg(tcoChart(e), 'chart-tco')}
<p class="note">People are ${Math.round(peopleShare * 100)} % of the always-on cost: ${fmt(alwaysOn.ops.hours_per_month)} engineer hours a month to patch, resize and watch the cluster, ${fmt(serverless.ops.hours_per_month)} for serverless, at ${usd(alwaysOn.ops.usd_per_hour)} an hour.</p></section>
<section><h2>A normal day of the always-on cluster</h2>${chartSvg(dayChart(e), 'chart-day')}
<div class="legend"><span><i class="sw ai"></i>working</span><span><i class="sw wn"></i>run window</span><span><i class="sw id"></i>paid, idle</span></div>
<p class="note">Paid for 24 hours, working ${hoursText(c.normal_day_busy_hours)}${e.peak_day.start ? ` from ${esc(e.peak_day.start)}` : ''}${c.runs_per_run_day > 1.5 ? ` over ${fmt(Math.round(c.runs_per_run_day * 10) / 10)} runs` : ''}.</p></section>
<section><h2>Break-even, by daily volume</h2>${chartSvg(breakEvenChart(e, 230, 100), 'chart-break-even')}
<div class="legend"><span><i class="sw si"></i>serverless</span><span><i class="sw ai"></i>always-on, a year</span><span>● today</span></div></section>
</div>
<div class="grid2w">
<section><h2>What moves the savings most <span class="src">(a year, at a low / high value)</span></h2>${chartSvg(sensitivityChart(e, 5, 420, 15), 'chart-sensitivity')}
<p class="note small" data-testid="break-even"><b>Break-even.</b> ${esc(e.break_even.explanation)}</p></section>
<section><h2>Other ways to pay <span class="src">(compute a year; storage and people aside)</span></h2><table class="alts" data-testid="alternatives"><tbody>${alternatives}</tbody></table></section>
</div>
<h2>Assumptions <span class="src">(values without a note are stated in the pipeline spec)</span></h2>
<ul class="assumptions" data-testid="assumptions">${assumptions}</ul>
<h2>Prices used (USD list prices)</h2>
<table class="prices" data-testid="prices"><thead><tr><th>Service</th><th>Item</th><th>Price</th><th>Region</th><th>Read on</th><th>Source</th></tr></thead><tbody>${prices}</tbody></table>
<footer>† list price as published, recalled on that date rather than re-read from the page; * your override (cost.prices.yaml). Taxes, negotiated discounts and network egress are not included. Estimated by Batchbook on ${esc(e.generated_on)} from the pipeline spec, before anything runs; every figure with its working: <code>batchbook cost --json</code>.</footer>
</main></body></html>
`;
}
