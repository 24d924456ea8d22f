import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import type { CostSection, PipelineSpec } from '../spec/schema.js';
import { breakEvenChart, dayChart, sensitivityChart, tcoChart } from './charts.js';
import { GCP_CATALOG } from './catalog/gcp.js';
import { priceBook, PriceError } from './catalog/priceBook.js';
import { estimateCost, usd } from './estimate.js';
import type { RunSummary } from './measured.js';
import { renderCostReport } from './report.js';
import { ScenarioError } from './scenario.js';
import { serverlessRun, tieredGb } from './serverless.js';
import { costTable } from './table.js';
import { runWork } from './work.js';

// The scenarios off the happy path that issue 13 measured, each with the corrected figure or
// message derived by hand (arithmetic in the comments), never copied from the model's output.

const SPEC = `
version: 1
name: t
sources:
  a: { format: csv, path: a.csv, schema: [{ name: x, type: string }] }
stages:
  - { name: ia, kind: ingest, source: a }
  - { name: out, kind: output, input: ia, format: csv, path: out }
`;
const spec: PipelineSpec = loadSpec(SPEC).spec!;
const est = (cost: CostSection, runs?: RunSummary[]) => estimateCost(spec, { today: '2026-11-26', scenario: { year: 2026, ...cost }, ...(runs ? { runs } : {}) });
const W600 = (600 * 1024) / 5 / 3600; // 34.1333 vCPU-hours for 600 GB at 5 MiB/s per vCPU

describe('a peak multiplier without peak days', () => {
  const e = est({ daily_gb: { a: 600 }, peak: { multiplier: 3 } });

  it('sizes the cluster for a normal day, prices no peak run, and warns that the multiplier is unused', () => {
    // ⌈34.1333 vCPU-h ÷ (4 h × 0.8) ÷ 8 vCPU⌉ = ⌈1.33⌉ = 2 workers (the peak would have needed ⌈102.4 / 3.2 / 8⌉ = 4)
    expect(e.cluster.peak_sized.workers).toBe(2);
    expect(e.work.peak_runs).toBe(0);
    expect(e.scenarios[0]!.resources.map((r) => r.id)).toEqual(['runs_normal', 'storage']);
    expect(e.warnings).toContain('peak.multiplier 3× is set but the year has no peak day (give peak.days_per_year or peak.dates): no run is priced as a peak run and the cluster is sized for a normal day');
    // the same answer as without the multiplier
    expect(e.headline.savings_yearly).toBeCloseTo(est({ daily_gb: { a: 600 } }).headline.savings_yearly, 9);
  });

  it('has no peak-day sensitivity row', () => {
    expect(e.sensitivity.map((r) => r.id)).not.toContain('peak.multiplier');
    expect(e.sensitivity.map((r) => r.id)).not.toContain('peak.days_per_year');
  });
});

describe('a window shorter than the serverless start-up', () => {
  // window 0.02 h = 1.2 min, start-up 2 min: no run can finish on time
  const e = est({ daily_gb: { a: 600 }, window_hours: 0.02 });

  it('prices the runs with the workers that would do the work in the window, and says the options are not comparable', () => {
    // work done within the window's length: ⌈34.1333 ÷ 0.02 h ÷ 4 vCPU⌉ = ⌈426.67⌉ = 427 executors
    expect(e.serverless_runs.normal).toMatchObject({ workers: 427, fits_window: false });
    expect(e.headline.comparable).toBe(false);
    expect(e.headline.sentence).toMatch(/^No serverless run finishes within the 1 min window \(start-up alone takes 2 min\), so the options are not comparable: serverless would cost \$[\d,]+ a year, an always-on cluster \$[\d,]+\.$/);
    expect(e.warnings.some((w) => w.startsWith('the 1.2 min run window is not longer than the 2 min start-up of a serverless run: no serverless run can finish on time'))).toBe(true);
    const html = renderCostReport(e);
    expect(html).toContain('<h1 data-testid="headline">Serverless cannot meet this run window</h1>');
    expect(html).toContain('data-testid="warnings"');
    expect(html).not.toMatch(/Serverless saves/);
  });
});

describe('zero volume', () => {
  it('is refused with a message saying what to give, not priced as Infinity or NaN', () => {
    expect(() => est({ daily_gb: { a: 0 } })).toThrow(ScenarioError);
    expect(() => est({ daily_gb: { a: 0 } })).toThrow('cost.daily_gb: every source is 0 GB a day, so there is nothing to price: give the GB at least one source brings on a normal day');
  });
});

describe('10 PB a day', () => {
  const gb = 10 * 1024 * 1024;
  const e = est({ daily_gb: { a: gb } });
  const W = (gb * 1024) / 5 / 3600; // 596,523.24 vCPU-hours

  it('warns that the run and the cluster are beyond a default CPU quota', () => {
    // fewest that fit: ⌈596523.24 ÷ 3.96667 h ÷ 4⌉ = ⌈37596.002⌉ = 37,597. Shuffle storage of
    // 5,242,880 GB × $0.04 / 730 h = $287.28 an hour bills like a driver, so more workers pay:
    // cost ≈ (D + n·U)(s + W ÷ 4n), minimal at n² = D·W ÷ (4·U·s) with D = $0.24 + $287.28,
    // U = 4 DCU × $0.06, s = 1/30 h: n ≈ 73,211 (the cost is flat there, billing seconds decide).
    const fewest = Math.ceil(W / (4 - 2 / 60) / 4 - 1e-9);
    expect(fewest).toBe(37597);
    const D = 0.24 + (gb * 0.5 * 0.04) / 730;
    const nStar = Math.sqrt((D * W) / (4 * 0.24 * (1 / 30)));
    const run = e.serverless_runs.normal;
    expect(run.fewest_workers).toBe(fewest);
    expect(Math.abs(run.workers - nStar) / nStar).toBeLessThan(0.03);
    const vcpu = 4 + 4 * run.workers;
    expect(e.warnings.some((w) => w.startsWith(`a serverless run needs ${run.workers.toLocaleString('en-US')} workers (${vcpu.toLocaleString('en-US')} vCPU) at once, far beyond a project's default CPU quota`))).toBe(true);
    // cluster: ⌈596523.24 ÷ 3.2 ÷ 8⌉ = 23,302 workers + 1 master = 23,303 nodes × 8 vCPU = 186,424
    expect(e.cluster.peak_sized.workers).toBe(23302);
    expect(e.warnings.some((w) => w.startsWith('the always-on cluster needs 23,303 × n2-standard-8 (186,424 vCPU)'))).toBe(true);
  });
});

describe('100 runs a day', () => {
  // 600 GB a day in 100 runs of 6 GB: 0.341333 vCPU-h each; 20 peak days at 1.5× (9 GB, 0.512 vCPU-h)
  const e = est({ daily_gb: { a: 600 }, runs_per_day: 100, peak: { multiplier: 1.5, days_per_year: 20 } });

  it('counts every run of the day in the busy hours and the day chart, and warns', () => {
    // cluster: by window ⌈0.512 / 3.2 / 8⌉ = 1, by day ⌈51.2 / (24 × 0.8) / 8⌉ = 1, minimum 2 workers = 16 vCPU
    expect(e.cluster.peak_sized.workers).toBe(2);
    // a normal run: 0.341333 / 16 vCPU = 0.0213333 h; 100 of them: 2.13333 h busy (not the 1 min 17 s of one run)
    expect(e.cluster.peak_sized.normal_day_busy_hours).toBeCloseTo((100 * W600) / 100 / 16, 9);
    expect(renderCostReport(e)).toContain('busy 2 h 8 min of 24 h on a normal day (100 runs)');
    const day = dayChart(e);
    expect(day.bands.filter((b) => b.kind === 'busy')).toHaveLength(1);
    expect(day.description).toBe('On a normal day the always-on cluster works 2.1 of the 24 hours it is paid for (100 runs).');
    // one every 24 × 60 / 100 = 14.4 min
    expect(e.warnings).toContain('100 runs a day (one every 14.4 min) is more than a batch schedule: each serverless run is billed its own 2 min start-up; consider fewer, larger runs or a streaming pipeline');
  });

  it('says "the same workers" when a peak run needs no more', () => {
    // normal: 2 executors 274 s × 12 DCU = $0.0548, 3 executors 223 s × 16 DCU = $0.0595; peak: 2 → 351 s = $0.0702, 3 → 274 s = $0.0731
    expect(e.serverless_runs.normal.workers).toBe(2);
    expect(e.serverless_runs.peak.workers).toBe(2);
    expect(e.peak_day.sentence).toMatch(/^On a peak day \(1\.5× volume\) serverless runs the same 2 workers as on a normal day and finishes in/);
  });
});

describe('break-even and the story when always-on wins', () => {
  // No peak, a 3-year commitment and equal operations effort: at enough runs a day always-on wins.
  const sc: CostSection = { daily_gb: { a: 600 }, always_on: { plan: 'commit_3y' }, ops: { always_on_hours_per_month: 4 } };
  const e = est(sc);
  const n = e.break_even.runs_per_day!;
  const atN = est({ ...sc, runs_per_day: n, daily_gb: { a: 600 * n } });

  it('writes each finding as its own sentence: resized for more runs is not today\'s cluster', () => {
    expect(n).toBeGreaterThan(1);
    expect(atN.headline.savings_yearly).toBeLessThanOrEqual(0);
    const sentences = e.break_even.explanation.split(/(?<=\.) /);
    expect(sentences).toHaveLength(3);
    expect(sentences[1]).toBe(`Resized for more runs of today's size, it would win from ${n} runs a day.`);
    expect(e.break_even.explanation).not.toMatch(/impossible|, nor any/);
  });

  it('the report leads with always-on when it wins; the tornado prints its values, negatives as −$9,153', () => {
    const html = renderCostReport(atN);
    expect(html).toMatch(/<h1 data-testid="headline" class="loses">An always-on cluster would save \$[\d,]+ a year/);
    expect(html).not.toContain('you pay only while it runs');
    expect(html).toMatch(/<p class="lede">An always-on cluster costs <b>\$[\d,]+<\/b> a year with people, less than <b>\$[\d,]+<\/b>/);
    const t = sensitivityChart(atN);
    for (const r of atN.sensitivity.slice(0, 5)) {
      const texts = t.labels.map((l) => l.text);
      expect(texts).toContain(`${r.low.value}: ${usd(r.low.savings_year)}`);
      expect(texts).toContain(`${r.high.value}: ${usd(r.high.savings_year)}`);
    }
    expect(t.labels.some((l) => /: −\$\d{1,3}(,\d{3})*$/.test(l.text))).toBe(true);
    expect(t.labels.some((l) => l.text.includes('$-'))).toBe(false);
  });

  it('usd prints the sign before the dollar and groups thousands', () => {
    expect(usd(-9153.2)).toBe('−$9,153');
    expect(usd(9153.2)).toBe('$9,153');
  });
});

describe('charts: storage apart, the break-even chart', () => {
  const e = est({ daily_gb: { a: 600 }, peak: { multiplier: 3, days_per_year: 20 } });

  it('the TCO chart draws storage as its own, equal part of both bars', () => {
    const st = tcoChart(e).rects.filter((r) => r.part === 'storage');
    expect(st).toHaveLength(2);
    expect(st[0]!.w).toBeCloseTo(st[1]!.w, 9);
    // storage: 600 GB × (365 + 2 × 20) / 365 × 30 days × $0.02 × 12
    const storage = ((600 * 405) / 365) * 30 * 0.02 * 12;
    expect(e.scenarios[0]!.storage_yearly).toBeCloseTo(storage, 6);
    expect(e.scenarios[0]!.compute_yearly).toBeCloseTo(e.scenarios[0]!.yearly_cost - storage, 6);
  });

  it('the break-even chart draws both options from 1 % to 100× today\'s volume with today marked', () => {
    const c = breakEvenChart(e);
    expect(c.paths?.map((p) => p.series)).toEqual(['serverless', 'always_on']);
    expect(c.paths?.[0]?.points).toHaveLength(17);
    expect(e.break_even.by_volume[8]).toMatchObject({ factor: 1, daily_gb: 600, serverless_tco: e.headline.serverless_tco_yearly, always_on_tco: e.headline.always_on_tco_yearly });
    expect(c.markers?.filter((m) => m.kind === 'today')).toHaveLength(2);
    expect(renderCostReport(e)).toContain('data-testid="chart-break-even"');
  });

  it('the "late" box is about a smaller cluster, named as such', () => {
    const html = renderCostReport(e);
    // normal day: ⌈34.1333 / 3.2 / 8⌉ = 2 workers; peak-sized ⌈102.4 / 3.2 / 8⌉ = 4
    expect(html).toContain('<div class="label">A smaller cluster?</div>');
    expect(html).toContain('sized for normal days (2 workers, not 4) it would end peak runs that late');
  });
});

describe('prices', () => {
  it('Dataflow Shuffle: per job, the first 250 GB at 25 %, the next 4,870 GB at 50 %, the rest at the list rate', () => {
    const tiers = GCP_CATALOG.serverless.find((s) => s.id === 'dataflow')!.shuffle_tiers!.tiers;
    expect(tieredGb(300, tiers).value).toBeCloseTo(250 * 0.25 + 50 * 0.5, 12);
    expect(tieredGb(6000, tiers).value).toBeCloseTo(250 * 0.25 + 4870 * 0.5 + 880, 12);
    const svc = GCP_CATALOG.serverless.find((s) => s.id === 'dataflow')!;
    const run = serverlessRun(svc, priceBook('gcp'), { work: runWork(600, 5), windowHours: 4, startupMinutes: 2, shuffleRatio: 0.5 });
    // 600 GB × 0.5 = 300 GB shuffled: 87.5 GB billed × $0.011
    expect(run.lines.find((l) => l.meter === 'shuffle_gb')!.cost).toBeCloseTo(87.5 * 0.011, 12);
  });

  it('an AWS price override on a Google Cloud estimate is refused, not silently unused', () => {
    expect(() => priceBook('gcp', { 'aws.glue.dpu': 0.4 })).toThrow(PriceError);
    expect(() => priceBook('gcp', { 'aws.glue.dpu': 0.4 })).toThrow("cost.prices.yaml: 'aws.glue.dpu' is an AWS price, but this estimate uses Google Cloud prices (cost.provider: gcp): it would change nothing; remove it or set cost.provider: aws");
  });

  it('Google calls Dataproc Serverless "Serverless for Apache Spark"', () => {
    const labels = GCP_CATALOG.serverless.filter((s) => s.engine === 'Spark').map((s) => s.label);
    expect(labels).toEqual(['Google Cloud Serverless for Apache Spark (standard)', 'Google Cloud Serverless for Apache Spark (premium)']);
  });

  it('the CLI table never cuts a price: a long line gets its own row', () => {
    const text = costTable(est({ daily_gb: { a: 600 }, peak: { multiplier: 3, days_per_year: 20 } }));
    expect(text).not.toContain('…');
    // n2 vCPU with the full-month sustained-use discount: 0.031611 × (1 + 0.8678 + 0.733 + 0.6) / 4 = 0.0252951
    expect(text).toContain('× $0.0252951)');
  });
});

describe('calibration', () => {
  const GiB = 1024 ** 3;
  // three runs of 1 GiB each, landed; with scale 600 that is 600 GB a day
  const runs = (cpuMs: number): RunSummary[] => [1, 2, 3].map((i) => ({ run_id: String(i), status: 'succeeded', landed_bytes: { a: GiB }, stage_ms: 30_000, stage_cpu_ms: cpuMs, threads: 2 }));

  it('within 2× of the default: no warning', () => {
    // 1024 MiB ÷ 102.4 CPU-s = 10 MiB per CPU-second × Spark factor 0.5 = 5: the default, nothing moves
    const e = est({ measured: { scale: 600 } }, runs(102_400));
    expect(e.work.throughput_mib_per_vcpu_second).toBeCloseTo(5, 12);
    expect(e.warnings.filter((w) => w.startsWith('calibration'))).toEqual([]);
  });

  it('moving the answer more than 2× is warned with the reason', () => {
    // 1024 MiB ÷ 10.24 CPU-s = 100 MiB per CPU-second × 0.5 = 50 MiB/s per vCPU: ten times the default
    const e = est({ measured: { scale: 600 } }, runs(10_240));
    expect(e.work.throughput_mib_per_vcpu_second).toBeCloseTo(50, 12);
    const w = e.warnings.find((x) => x.startsWith('calibration'));
    expect(w).toMatch(/^calibration from 3 run report\(s\) moved the answer more than 2×: throughput 50 MiB\/s per vCPU \(runner 100 MiB per CPU-second × engine factor 0\.5\) instead of the default 5; savings \$[\d,]+ → \$[\d,]+ a year, serverless runs \$[\d,]+ → \$[\d,]+\./);
    // the serverless runs really moved more than 2×: 10× the throughput is a tenth of the vCPU-hours
    const d = est({ measured: { scale: 600 }, throughput: { calibrate: false } }, runs(10_240));
    expect(d.scenarios[0]!.compute_yearly / e.scenarios[0]!.compute_yearly).toBeGreaterThan(2);
    const t = e.assumptions.find((a) => a.id === 'throughput')!;
    expect(t.source).toBe('calibrated');
    expect(t.note).toMatch(/spark engine factor 0\.5 \(Spark per vCPU at half the DuckDB runner: .*https:\/\/docs\.coiled\.io\/blog\/tpch\.html\)/);
  });

  it('uses the target engine\'s factor: Dataflow runs the Python Beam export at 0.25', () => {
    const e = est({ measured: { scale: 600 }, serverless: { service: 'dataflow' } }, runs(102_400));
    expect(e.work.throughput_mib_per_vcpu_second).toBeCloseTo(10 * 0.25, 12);
    // and an override wins
    const o = est({ measured: { scale: 600 }, throughput: { engine_factor: 0.8 } }, runs(102_400));
    expect(o.work.throughput_mib_per_vcpu_second).toBeCloseTo(8, 12);
  });
});
