import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import type { PipelineSpec } from '../spec/schema.js';
import { sustainedUseMultiplier, sizeCluster } from './alwaysOn.js';
import { runCalendar } from './calendar.js';
import { AWS_CATALOG } from './catalog/aws.js';
import { dataprocDcus, GCP_CATALOG } from './catalog/gcp.js';
import { allPriceIds, priceBook, PriceError } from './catalog/priceBook.js';
import { estimateCost } from './estimate.js';
import { calibrateThroughput, measuredDailyBytes, type RunSummary } from './measured.js';
import { billedSeconds, serverlessRun } from './serverless.js';
import { runWork } from './work.js';

// Every expected value below is derived by hand from the catalog's list prices and the
// scenario, with the arithmetic written out; none is copied from the model's output.

const DCU_STD = 0.06; // gcp.dataproc_serverless.dcu_standard, $/DCU-hour
const SHUFFLE_STD = 0.04; // gcp.dataproc_serverless.shuffle_standard, $/GB-month
const N2_VCPU = 0.031611; // gcp.compute.n2_vcpu, $/vCPU-hour
const N2_MEM = 0.004237; // gcp.compute.n2_memory, $/GB-hour
const DATAPROC_FEE = 0.01; // gcp.dataproc.vcpu_fee, $/vCPU-hour
const PD = 0.04; // gcp.compute.pd_standard, $/GB-month

describe('pricing catalog', () => {
  it('states unit, region, date read, source and billing for every price, with unique ids', () => {
    for (const cat of [GCP_CATALOG, AWS_CATALOG]) {
      for (const p of cat.prices) {
        expect(p.id.startsWith(`${cat.provider}.`)).toBe(true);
        expect(p.source).toMatch(/^https:\/\/(cloud\.google\.com|aws\.amazon\.com)\//);
        expect(p.read_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(p.region).toBe(cat.region);
        expect(p.usd).toBeGreaterThan(0);
        expect(['page', 'recalled']).toContain(p.basis);
        expect(p.billing.granularity_seconds).toBeGreaterThan(0);
      }
      // every price a service refers to exists
      const ids = new Set(cat.prices.map((p) => p.id));
      for (const s of cat.serverless) for (const m of s.meters) expect(ids.has(m.price)).toBe(true);
      for (const s of cat.always_on) {
        expect(ids.has(s.disk.price)).toBe(true);
        for (const m of s.machines) for (const lines of Object.values(m.plans)) for (const l of lines ?? []) expect(ids.has(l.price)).toBe(true);
      }
    }
    const ids = allPriceIds();
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds the list prices this test derives from', () => {
    const book = priceBook('gcp');
    expect(book.get('gcp.dataproc_serverless.dcu_standard').usd).toBe(DCU_STD);
    expect(book.get('gcp.dataproc_serverless.shuffle_standard').usd).toBe(SHUFFLE_STD);
    expect(book.get('gcp.compute.n2_vcpu').usd).toBe(N2_VCPU);
    expect(book.get('gcp.compute.n2_memory').usd).toBe(N2_MEM);
    expect(book.get('gcp.dataproc.vcpu_fee').usd).toBe(DATAPROC_FEE);
    expect(book.get('gcp.compute.pd_standard').usd).toBe(PD);
    // Dataproc Serverless, Dataproc and Compute Engine: per second with a one-minute minimum
    expect(book.get('gcp.dataproc_serverless.dcu_standard').billing).toMatchObject({ granularity_seconds: 1, minimum_seconds: 60 });
    expect(priceBook('aws').get('aws.glue.dpu').usd).toBe(0.44);
  });

  it('computes DCUs with the published formula', () => {
    // 0.6 × 4 vCPU + 0.1 × 16 GB = 2.4 + 1.6
    expect(dataprocDcus(4, 16)).toBeCloseTo(4, 12);
    // 40 GB on 4 vCPU: 32 GB at 0.1, 8 GB above 8 GB/vCPU at 0.2: 2.4 + 3.2 + 1.6
    expect(dataprocDcus(4, 40)).toBeCloseTo(7.2, 12);
  });

  it('applies an override and keeps the list price; refuses an unknown id with the closest one', () => {
    const book = priceBook('gcp', { 'gcp.dataproc_serverless.dcu_standard': { usd: 0.05, source: 'our contract' } });
    const p = book.get('gcp.dataproc_serverless.dcu_standard');
    expect(p).toMatchObject({ usd: 0.05, list_usd: 0.06, basis: 'override', source: 'our contract' });
    expect(() => priceBook('gcp', { 'gcp.dataproc_serverless.dcu_standart': 0.05 })).toThrow(PriceError);
    expect(() => priceBook('gcp', { 'gcp.dataproc_serverless.dcu_standart': 0.05 })).toThrow(/did you mean 'gcp.dataproc_serverless.dcu_standard'/);
  });
});

describe('billing and one serverless run', () => {
  it('rounds to the granularity and the minimum', () => {
    const b = { granularity_seconds: 1, minimum_seconds: 60 };
    expect(billedSeconds(30, b)).toBe(60);
    expect(billedSeconds(61.2, b)).toBe(62);
    expect(billedSeconds(3600, { granularity_seconds: 3600, minimum_seconds: 0 })).toBe(3600);
    expect(billedSeconds(3601, { granularity_seconds: 3600, minimum_seconds: 0 })).toBe(7200);
  });

  it('prices a Dataproc Serverless run: workers for the window, start-up billed, shuffle storage', () => {
    const book = priceBook('gcp');
    const svc = GCP_CATALOG.serverless.find((s) => s.id === 'dataproc_serverless')!;
    // 100 GB at 5 MiB/s per vCPU: 100 × 1024 / 5 / 3600 = 5.68889 vCPU-hours
    const work = runWork(100, 5);
    expect(work.vcpu_hours).toBeCloseTo((100 * 1024) / 5 / 3600, 12);
    const run = serverlessRun(svc, book, { work, windowHours: 4, startupMinutes: 2, shuffleRatio: 0.5 });
    // fewest that fit: max(2, ⌈5.68889 / (4 − 2/60) / 4⌉) = max(2, 1) = 2 executors
    expect(run.fewest_workers).toBe(2);
    // but the driver (4 DCU) and 50 GB of shuffle storage are billed for the whole run, so more
    // executors cost less up to a point. Cost of n executors, billed s = ⌈120 + 20480 / n⌉:
    //   n=2: 2680 s, 12 DCU → 0.536 + shuffle;  n=6: 974 s, 28 DCU → 0.454533 + 0.000741 = 0.455275
    //   n=7: 852 s, 32 DCU → 0.4544 + 0.000648 = 0.455048;  n=8: 760 s, 36 DCU → 0.456 + 0.000578
    expect(run.workers).toBe(7);
    expect(run.billed_seconds).toBe(852);
    const expected = 32 * (852 / 3600) * DCU_STD + (50 * (852 / 3600) / 730) * SHUFFLE_STD;
    expect(run.cost).toBeCloseTo(expected, 10);
    // n=2: 12 DCU × 2680 s = $0.536 + 50 GB × 2680 s ÷ 3600 ÷ 730 × $0.04 = $0.00204: $0.538
    expect(run.sizing).toBe('7 workers: the cheapest count that finishes within the window: the fewest that fit, 2, would cost $0.538 a run against $0.455, because the driver and what is billed for the whole run costs less when the run is shorter');
  });

  it('bills a tiny run the one-minute minimum', () => {
    const svc = GCP_CATALOG.serverless.find((s) => s.id === 'dataproc_serverless')!;
    const run = serverlessRun(svc, priceBook('gcp'), { work: runWork(0.001, 5), windowHours: 4, startupMinutes: 0, shuffleRatio: 0 });
    expect(run.billed_seconds).toBe(60);
    expect(run.cost).toBeCloseTo(12 * (60 / 3600) * DCU_STD, 12);
  });
});

describe('always-on cluster', () => {
  it('sustained-use discount for a full month of N2 is 20 %', () => {
    // four quarters of the month at 100 %, 86.78 %, 73.3 %, 60 %
    expect(sustainedUseMultiplier(GCP_CATALOG.sustained_use!, 1)).toBeCloseTo((1 + 0.8678 + 0.733 + 0.6) / 4, 12);
    // up half the month: (1 + 0.8678) / 2
    expect(sustainedUseMultiplier(GCP_CATALOG.sustained_use!, 0.5)).toBeCloseTo((1 + 0.8678) / 2, 12);
  });

  it('sizes for the peak run within the window with headroom, and for the day', () => {
    const svc = GCP_CATALOG.always_on.find((s) => s.id === 'dataproc_gce')!;
    const m = svc.machines.find((x) => x.id === 'n2-standard-8')!;
    // 102.4 vCPU-h in 4 h at 80 % = 32 vCPU = 4 workers of 8
    expect(sizeCluster(svc, m, { runVcpuHours: 102.4, dayVcpuHours: 102.4, windowHours: 4, hoursPerDay: 24, headroom: 0.2 })).toMatchObject({ workers: 4, nodes: 5, bound: 'window' });
    // 24 runs a day of 10 vCPU-h: 240 / (24 × 0.8) / 8 = 1.5625 -> 2; the run alone needs ⌈10/3.2/8⌉ = 1
    expect(sizeCluster(svc, m, { runVcpuHours: 10, dayVcpuHours: 240, windowHours: 4, hoursPerDay: 24, headroom: 0.2 })).toMatchObject({ workers: 2, bound: 'minimum' });
    expect(sizeCluster(svc, m, { runVcpuHours: 10, dayVcpuHours: 480, windowHours: 4, hoursPerDay: 24, headroom: 0.2 })).toMatchObject({ workers: 4, bound: 'day' });
  });
});

describe('run calendar', () => {
  it('counts one run a day from a daily cron across the DST changes, and 261 weekday runs in 2026', () => {
    const daily = runCalendar({ year: 2026, cron: { expr: '30 2 * * *', timezone: 'Europe/Berlin' }, peak: { daysPerYear: 0, months: [11] } });
    expect(daily.days.reduce((a, d) => a + d.runs, 0)).toBe(365);
    expect(daily.firstStart).toBe('02:30');
    // 2026 starts on a Thursday: 52 full weeks × 5 weekdays + the extra Thursday
    const weekdays = runCalendar({ year: 2026, cron: { expr: '0 6 * * 1-5', timezone: 'UTC' }, peak: { daysPerYear: 0, months: [11] } });
    expect(weekdays.days.reduce((a, d) => a + d.runs, 0)).toBe(52 * 5 + 1);
  });

  it('puts peak days at the end of the listed months, remainder to the first', () => {
    const cal = runCalendar({ year: 2026, runsPerDay: 1, peak: { daysPerYear: 21, months: [11, 12] } });
    const peak = cal.days.filter((d) => d.peak).map((d) => d.date);
    expect(peak.length).toBe(21);
    expect(peak[0]).toBe('2026-11-20'); // 11 days: 20..30 November
    expect(peak.filter((d) => d.startsWith('2026-12')).length).toBe(10); // 22..31 December
    expect(peak.at(-1)).toBe('2026-12-31');
  });
});

describe('measured volume and calibration', () => {
  const MiB = 1024 ** 2;
  const run = (id: string, mib: number, ms: number, cpuMs?: number, threads?: number): RunSummary => ({
    run_id: id, status: 'succeeded', landed_bytes: { a: mib * MiB * 0.75, b: mib * MiB * 0.25 }, stage_ms: ms,
    ...(cpuMs !== undefined ? { stage_cpu_ms: cpuMs } : {}), ...(threads ? { threads } : {}),
  });

  it('takes the median of landed bytes per source', () => {
    expect(measuredDailyBytes([run('1', 100, 1), run('2', 300, 1), run('3', 120, 1)])).toEqual({ a: 120 * MiB * 0.75, b: 120 * MiB * 0.25 });
  });

  it('calibrates from runs big enough: MiB ÷ stage CPU-seconds × engine factor, never wall × threads', () => {
    // 256 MiB with 16 s of CPU = 16 MiB per CPU-second; 512 MiB with 16 s = 32; median 24; × 0.5
    // (the wall-clock 8 s × 4 threads = 32 thread-seconds would have given 8 and 16)
    const c = calibrateThroughput([run('1', 256, 8000, 16_000, 4), run('2', 512, 8000, 16_000, 4), run('small', 1, 5, 5)], 0.5);
    expect(c.runs_used).toEqual(['1', '2']);
    expect(c.runs_too_small).toBe(1);
    expect(c.runner_mib_per_vcpu_second).toBeCloseTo(24, 12);
    expect(c.mib_per_vcpu_second).toBeCloseTo(12, 12);
    expect(c.runs?.map((r) => r.cpu_seconds)).toEqual([16, 16]);
    // a report without CPU time (written before the runner recorded it) is not used, and the reason says so
    expect(calibrateThroughput([run('old', 256, 8000, undefined, 2)], 1)).toMatchObject({ runs_used: [], runs_without_cpu: 1, reason: expect.stringMatching(/without CPU time/) });
    expect(calibrateThroughput([run('s', 10, 100, 100)], 0.5)).toMatchObject({ runs_used: [], runs_too_small: 1 });
  });
});

const SPEC = `
version: 1
name: t
sources:
  a: { format: csv, path: a.csv, schema: [{ name: x, type: string }] }
stages:
  - { name: ia, kind: ingest, source: a }
  - { name: out, kind: output, input: ia, format: csv, path: out }
`;

function spec(cost: string): PipelineSpec {
  const loaded = loadSpec(`${SPEC}${cost}`);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.spec;
}

describe('the cost section in the spec', () => {
  it('names an unknown source in daily_gb at its line', () => {
    const loaded = loadSpec(`${SPEC}cost:\n  daily_gb:\n    b: 10\n`);
    expect(loaded.spec).toBeUndefined();
    const d = loaded.diagnostics.find((x) => x.path.join('.') === 'cost.daily_gb.b');
    expect(d?.message).toMatch(/'b' is not a source/);
    expect(d?.line).toBe(11);
  });

  it('without volume or run reports, says what to give', () => {
    expect(() => estimateCost(spec('cost: { year: 2026 }\n'), { today: '2026-11-26' })).toThrow(/give cost.daily_gb/);
  });

  it('measured volume: median landed bytes × scale, with throughput calibrated from the same reports', () => {
    const GiB = 1024 ** 3;
    const runs: RunSummary[] = [1, 2, 3].map((i) => ({ run_id: String(i), status: 'succeeded', landed_bytes: { a: i * 0.5 * GiB }, stage_ms: 10_000, stage_cpu_ms: i * 10_000, threads: 2 }));
    const e = estimateCost(spec('cost: { year: 2026, measured: { scale: 10 }, runs_per_day: 1 }\n'), { today: '2026-11-26', runs });
    // median 1 GiB × 10 = 10 GB a day
    expect(e.work.daily_gb).toBeCloseTo(10, 12);
    // runner: each run 512·i MiB ÷ 10·i CPU-seconds = 51.2 MiB per CPU-second; × Spark engine factor 0.5 = 25.6
    expect(e.work.throughput_mib_per_vcpu_second).toBeCloseTo(25.6, 12);
    expect(e.assumptions.find((a) => a.id === 'throughput')?.source).toBe('calibrated');
  });
});
