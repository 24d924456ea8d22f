import { usd, type CostEstimate } from './estimate.js';

// Chart layouts as plain geometry: the HTML report turns them into SVG text, the designer's
// cost panel into React elements, so both draw the same chart from the same numbers.

export type Series = 'serverless' | 'always_on';
export type Part = 'infra' | 'ops' | 'storage';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly series: Series;
  readonly part: Part;
  /** Tooltip text. */
  readonly title: string;
}

export interface Label {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly kind: 'axis' | 'tick' | 'note' | 'value';
}

export interface Line {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly kind: 'grid' | 'axis';
}

export interface Band {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly kind: 'peak' | 'window' | 'busy';
  readonly title: string;
}

/** A line through points (the break-even chart's cost curves). */
export interface Path {
  readonly points: readonly (readonly [number, number])[];
  readonly series: Series;
  readonly title: string;
}

/** A point to mark (today's scenario, the crossing). */
export interface Marker {
  readonly x: number;
  readonly y: number;
  readonly kind: 'today' | 'crossing';
  readonly title: string;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly bands: readonly Band[];
  readonly grid: readonly Line[];
  readonly rects: readonly Rect[];
  readonly labels: readonly Label[];
  readonly paths?: readonly Path[];
  readonly markers?: readonly Marker[];
  /** What the chart shows, for screen readers. */
  readonly description: string;
}

const fmtX = (x: number) => String(Number(x.toPrecision(3)));
const money = (x: number) => (x >= 1e6 ? `$${fmtX(x / 1e6)}M` : x >= 1000 ? `$${(x / 1000).toFixed(x >= 10_000 ? 0 : 1)}k` : `$${Math.round(x)}`);

/** A round step for about `n` gridlines up to `max`. */
export function niceStep(max: number, n = 4): number {
  if (max <= 0) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

/**
 * Monthly cost of both options across the year: a pair of stacked bars per month
 * (infrastructure, then people), months with peak days shaded and labelled.
 */
export function monthlyChart(e: CostEstimate, width = 720, height = 168): ChartLayout {
  const left = 48;
  const right = 8;
  const top = 22;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const totals = e.monthly.map((m) => m.storage + Math.max(m.serverless_compute + m.serverless_ops, m.always_on_compute + m.always_on_ops));
  const step = niceStep(Math.max(...totals, 1));
  const maxY = Math.ceil(Math.max(...totals, 1) / step) * step;
  const y = (v: number) => top + plotH - (v / maxY) * plotH;
  const slot = plotW / 12;
  const barW = Math.min(22, slot * 0.34);
  const grid: Line[] = [];
  const labels: Label[] = [];
  for (let v = 0; v <= maxY + 1e-9; v += step) {
    grid.push({ x1: left, y1: y(v), x2: width - right, y2: y(v), kind: v === 0 ? 'axis' : 'grid' });
    labels.push({ x: left - 6, y: y(v) + 3.5, text: money(v), anchor: 'end', kind: 'tick' });
  }
  const bands: Band[] = [];
  const rects: Rect[] = [];
  e.monthly.forEach((m, i) => {
    const cx = left + slot * i + slot / 2;
    // compute, then lake storage (the same in both bars), then people
    const stack = (series: Series, x: number, compute: number, ops: number) => {
      const name = series === 'serverless' ? 'Serverless' : 'Always-on';
      const st = compute + m.storage;
      rects.push({ x, y: y(compute), w: barW, h: y(0) - y(compute), series, part: 'infra', title: `${m.label} · ${name} compute ${money(compute)}` });
      rects.push({ x, y: y(st), w: barW, h: y(compute) - y(st), series, part: 'storage', title: `${m.label} · lake storage ${money(m.storage)}` });
      rects.push({ x, y: y(st + ops), w: barW, h: y(st) - y(st + ops), series, part: 'ops', title: `${m.label} · ${name} people ${money(ops)}` });
    };
    stack('serverless', cx - barW - 1, m.serverless_compute, m.serverless_ops);
    stack('always_on', cx + 1, m.always_on_compute, m.always_on_ops);
    labels.push({ x: cx, y: height - 8, text: m.label, anchor: 'middle', kind: 'axis' });
  });
  // Runs of consecutive months with peak days: one shaded band and one label each.
  for (let i = 0; i < 12; i++) {
    if ((e.monthly[i]?.peak_days ?? 0) === 0) continue;
    let j = i;
    let days = 0;
    while (j < 12 && (e.monthly[j]?.peak_days ?? 0) > 0) days += e.monthly[j++]!.peak_days;
    const x0 = left + slot * i + 1;
    const x1 = left + slot * j - 1;
    bands.push({ x: x0, y: top - 14, w: x1 - x0, h: plotH + 14, kind: 'peak', title: `${days} peak day${days > 1 ? 's' : ''}` });
    labels.push({ x: (x0 + x1) / 2, y: top - 4, text: `${days} peak day${days > 1 ? 's' : ''} (${fmtX(e.work.peak_multiplier)}× volume)`, anchor: 'middle', kind: 'note' });
    i = j;
  }
  return {
    width, height, bands, grid, rects, labels,
    description: `Monthly cost in ${e.year}, storage included: serverless ${e.monthly.map((m) => money(m.serverless_compute + m.storage + m.serverless_ops)).join(', ')}; always-on ${e.monthly.map((m) => money(m.always_on_compute + m.storage + m.always_on_ops)).join(', ')}.`,
  };
}

/** Yearly total cost of ownership of both options, infrastructure and people, as horizontal stacked bars. */
export function tcoChart(e: CostEstimate, width = 230, height = 84): ChartLayout {
  const s = e.scenarios.find((x) => x.id === 'serverless')!;
  const a = e.scenarios.find((x) => x.id === 'always_on')!;
  const left = 62;
  const right = 40;
  const max = Math.max(s.tco_yearly, a.tco_yearly, 1);
  const scale = (v: number) => (v / max) * (width - left - right);
  const rects: Rect[] = [];
  const labels: Label[] = [];
  const rows: [string, Series, typeof s][] = [['Serverless', 'serverless', s], ['Always-on', 'always_on', a]];
  rows.forEach(([name, series, sc], i) => {
    const yy = 8 + i * 36;
    const computeW = scale(sc.compute_yearly);
    const storageW = scale(sc.storage_yearly);
    const opsW = scale(sc.ops.yearly_cost);
    rects.push({ x: left, y: yy, w: computeW, h: 24, series, part: 'infra', title: `${name}: compute ${money(sc.compute_yearly)} a year` });
    rects.push({ x: left + computeW, y: yy, w: storageW, h: 24, series, part: 'storage', title: `lake storage ${money(sc.storage_yearly)} a year (the same for both)` });
    rects.push({ x: left + computeW + storageW, y: yy, w: opsW, h: 24, series, part: 'ops', title: `${name}: people ${money(sc.ops.yearly_cost)} a year` });
    labels.push({ x: left - 8, y: yy + 16, text: name, anchor: 'end', kind: 'axis' });
    labels.push({ x: left + computeW + storageW + opsW + 6, y: yy + 16, text: money(sc.tco_yearly), anchor: 'start', kind: 'value' });
  });
  return { width, height, bands: [], grid: [], rects, labels, description: `Total cost of ownership a year: serverless ${money(s.tco_yearly)}, always-on ${money(a.tco_yearly)}.` };
}

/**
 * One normal day of the always-on cluster, midnight to midnight: the run window and the hours
 * the cluster actually works, against the 24 hours it is paid for.
 */
export function dayChart(e: CostEstimate, width = 230, height = 52): ChartLayout {
  const left = 8;
  const right = 8;
  const w = width - left - right;
  const x = (h: number) => left + (h / 24) * w;
  const start = e.peak_day.start ? clockHours(e.peak_day.start) : 0;
  const window = e.peak_day.window_hours;
  const c = e.cluster.peak_sized;
  const runs = Math.max(1, Math.round(c.runs_per_run_day));
  const busy = c.normal_day_busy_hours;
  // Up to 24 runs a day each run is drawn where it starts (evenly spaced from the first); beyond
  // that they are drawn as one block of the day's busy hours.
  const starts = runs <= 24 ? Array.from({ length: runs }, (_, i) => (start + (i * 24) / runs) % 24) : [start];
  const each = runs <= 24 ? c.normal_run_hours : busy;
  const bands: Band[] = [
    { x: x(0), y: 10, w, h: 22, kind: 'window', title: 'paid for: 24 hours' },
    ...(runs === 1 ? segments(start, window).map(([a, b]) => ({ x: x(a), y: 10, w: x(b) - x(a), h: 22, kind: 'window' as const, title: `run window: ${window} h` })) : []),
    ...starts.flatMap((s0) => segments(s0, each)).map(([a, b]) => ({ x: x(a), y: 10, w: Math.max(1.5, x(b) - x(a)), h: 22, kind: 'busy' as const, title: `busy: ${busy.toFixed(1)} h on a normal day (${runs} run${runs > 1 ? 's' : ''})` })),
  ];
  const labels: Label[] = [0, 6, 12, 18, 24].map((h) => ({ x: x(h), y: 47, text: `${String(h).padStart(2, '0')}:00`, anchor: h === 0 ? 'start' : h === 24 ? 'end' : 'middle', kind: 'tick' }));
  const grid: Line[] = [0, 6, 12, 18, 24].map((h) => ({ x1: x(h), y1: 32, x2: x(h), y2: 36, kind: 'axis' }));
  return { width, height, bands, grid, rects: [], labels, description: `On a normal day the always-on cluster works ${busy.toFixed(1)} of the 24 hours it is paid for (${runs} run${runs > 1 ? 's' : ''}).` };
}

function clockHours(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h + m / 60;
}

/** [start, start+len) wrapped around midnight, as one or two segments within [0, 24]. */
function segments(start: number, len: number): [number, number][] {
  const l = Math.min(24, Math.max(0, len));
  const end = start + l;
  return end <= 24 ? [[start, end]] : [[start, 24], [0, end - 24]];
}

/**
 * Savings a year at each assumption's low and high value (a tornado around today's savings). Each
 * bar end is labelled with the assumption's value there and the savings it gives, so the chart
 * reads the same printed as on screen.
 */
export function sensitivityChart(e: CostEstimate, rows = 5, width = 460, rowH = 18): ChartLayout {
  const top = 6;
  const left = 112;
  const gutter = 92; // room for the low end's label
  const right = 92;
  const data = e.sensitivity.slice(0, rows);
  const base = e.headline.savings_yearly;
  const values = data.flatMap((r) => [r.low.savings_year, r.high.savings_year]).concat(base, 0);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (v: number) => left + gutter + ((v - min) / span) * (width - left - gutter - right);
  const rects: Rect[] = [];
  const labels: Label[] = [];
  data.forEach((r, i) => {
    const yy = top + i * rowH;
    const [lo, hi] = r.low.savings_year <= r.high.savings_year ? [r.low, r.high] : [r.high, r.low];
    rects.push({ x: x(lo.savings_year), y: yy + 3, w: Math.max(1, x(hi.savings_year) - x(lo.savings_year)), h: rowH - 8, series: 'serverless', part: 'infra', title: `${r.label}: ${r.low.value} → ${usd(r.low.savings_year)} saved; ${r.high.value} → ${usd(r.high.savings_year)} saved` });
    labels.push({ x: left - 6, y: yy + rowH / 2 + 3, text: r.label, anchor: 'end', kind: 'axis' });
    labels.push({ x: x(lo.savings_year) - 4, y: yy + rowH / 2 + 3, text: `${lo.value}: ${usd(lo.savings_year)}`, anchor: 'end', kind: 'tick' });
    labels.push({ x: x(hi.savings_year) + 4, y: yy + rowH / 2 + 3, text: `${hi.value}: ${usd(hi.savings_year)}`, anchor: 'start', kind: 'tick' });
  });
  const height = top + data.length * rowH + 16;
  const grid: Line[] = [{ x1: x(base), y1: top, x2: x(base), y2: top + data.length * rowH, kind: 'axis' }];
  if (min < 0) grid.push({ x1: x(0), y1: top, x2: x(0), y2: top + data.length * rowH, kind: 'grid' });
  labels.push({ x: x(base), y: height - 3, text: `today ${usd(base)} saved a year`, anchor: 'middle', kind: 'note' });
  return { width, height, bands: [], grid, rects, labels, description: `Yearly savings under low and high values of the ${data.length} assumptions that move it most.` };
}

/**
 * Break-even: yearly cost of both options (infrastructure, storage and people) against daily
 * volume from 1 % to 100× today's, both axes logarithmic; today's volume and the crossing marked.
 */
export function breakEvenChart(e: CostEstimate, width = 230, height = 110): ChartLayout {
  const pts = e.break_even.by_volume;
  const left = 38;
  const right = 12;
  const top = 6;
  const bottom = 24;
  const costs = pts.flatMap((p) => [p.serverless_tco, p.always_on_tco]).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...costs)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...costs))));
  const fx = (f: number) => left + ((Math.log10(f) + 2) / 4) * (width - left - right);
  const fy = (v: number) => top + (1 - (Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * (height - top - bottom);
  const grid: Line[] = [];
  const labels: Label[] = [];
  for (let p = lo; p <= hi; p++) {
    grid.push({ x1: left, y1: fy(10 ** p), x2: width - right, y2: fy(10 ** p), kind: p === lo ? 'axis' : 'grid' });
    labels.push({ x: left - 4, y: fy(10 ** p) + 3, text: money(10 ** p), anchor: 'end', kind: 'tick' });
  }
  for (const f of [0.01, 0.1, 1, 10, 100]) {
    grid.push({ x1: fx(f), y1: height - bottom, x2: fx(f), y2: height - bottom + 4, kind: 'axis' });
    labels.push({ x: fx(f), y: height - bottom + 12, text: f === 1 ? 'today' : `${fmtX(f)}×`, anchor: 'middle', kind: 'tick' });
  }
  labels.push({ x: (left + width - right) / 2, y: height - 1, text: `daily volume (today ${fmtX(e.work.daily_gb)} GB)`, anchor: 'middle', kind: 'axis' });
  const paths: Path[] = [
    { series: 'serverless', title: 'Serverless, a year', points: pts.map((p) => [fx(p.factor), fy(p.serverless_tco)] as const) },
    { series: 'always_on', title: 'Always-on, a year', points: pts.map((p) => [fx(p.factor), fy(p.always_on_tco)] as const) },
  ];
  const s = e.headline.serverless_tco_yearly;
  const a = e.headline.always_on_tco_yearly;
  const markers: Marker[] = [
    { x: fx(1), y: fy(s), kind: 'today', title: `today, serverless: ${usd(s)} a year` },
    { x: fx(1), y: fy(a), kind: 'today', title: `today, always-on: ${usd(a)} a year` },
  ];
  if (e.break_even.daily_gb !== null) {
    const f = e.break_even.daily_gb / e.work.daily_gb;
    const at = pts.find((p) => Math.abs(p.factor - f) < 1e-9 * f);
    if (at) markers.push({ x: fx(f), y: fy(at.always_on_tco), kind: 'crossing', title: `always-on cheaper from about ${fmtX(e.break_even.daily_gb)} GB a day` });
  }
  return {
    width, height, bands: [], grid, rects: [], labels, paths, markers,
    description: `Yearly cost against daily volume, 1 % to 100× today's: serverless ${usd(s)} and always-on ${usd(a)} today${e.break_even.daily_gb !== null ? `; always-on is cheaper from about ${fmtX(e.break_even.daily_gb)} GB a day` : '; always-on is not cheaper at any of these volumes'}.`,
  };
}
