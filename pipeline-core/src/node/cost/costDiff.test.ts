import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CostDiff } from '../../core/cost/costDiff.js';
import { usd } from '../../core/cost/estimate.js';
import type { InfracostRoot } from '../../core/cost/infracost.js';
import { main } from '../cli/main.js';
import { copySample } from '../testing/fixtures.js';

// `batchbook cost diff` on the nightly-reconciliation sample with its volume doubled, and the
// Infracost JSON checked field by field against Infracost's published schema
// (https://github.com/infracost/infracost/blob/master/schema/infracost.schema.json, version 0.2).
// Figures derived by hand from the catalog's list prices (model.test.ts derives the 100 GB run).

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

afterEach(() => vi.restoreAllMocks());

/** The nightly sample with a cost section of `gb` a day (60 / 30 / 10 %) and no lake. */
async function nightly(gb: number): Promise<string> {
  const dir = await copySample('nightly-reconciliation');
  await appendFile(join(dir, 'pipeline.yaml'), `\ncost:\n  year: 2026\n  daily_gb: { pos_orders: ${gb * 0.6}, settlements: ${gb * 0.3}, refunds: ${gb * 0.1} }\n`);
  return dir;
}

// 365 runs (daily cron), no peak. 100 GB: 5.68889 vCPU-h, cheapest 7 executors, 852 s on 32 DCU.
// 200 GB: 11.3778 vCPU-h; executors 8: 1400 s × 36 DCU = $0.842131, 9: 1258 s × 40 DCU = $0.840581,
// 10: 1144 s × 44 DCU = $0.840675 → 9 executors, 1258 s.
const RUNS = 365;
const DCU = 0.06;
const dcuYear = (dcu: number, s: number) => RUNS * dcu * (s / 3600) * DCU;
const shuffleYear = (gb: number, s: number) => RUNS * ((0.5 * gb * (s / 3600)) / 730) * 0.04;
const storageYear = (gb: number) => gb * 30 * 0.02 * 12;
const BEFORE = { dcu: dcuYear(32, 852), shuffle: shuffleYear(100, 852), storage: storageYear(100) };
const AFTER = { dcu: dcuYear(40, 1258), shuffle: shuffleYear(200, 1258), storage: storageYear(200) };

describe('batchbook cost diff', () => {
  it('nightly sample, volume doubled: the change of every component and the total', async () => {
    const a = await nightly(100);
    const b = await nightly(200);
    const r = await cli(['cost', 'diff', a, b, '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as CostDiff;
    const s = d.scenarios.find((x) => x.id === 'serverless')!;
    const dcu = s.components.find((c) => c.price_id === 'gcp.dataproc_serverless.dcu_standard')!;
    expect(dcu.before_yearly).toBeCloseTo(BEFORE.dcu, 6);
    expect(dcu.after_yearly).toBeCloseTo(AFTER.dcu, 6);
    expect(dcu.change_yearly).toBeCloseTo(AFTER.dcu - BEFORE.dcu, 6);
    const storage = s.components.find((c) => c.price_id === 'gcp.storage.standard')!;
    expect(storage.change_yearly).toBeCloseTo(storageYear(100), 6);
    expect(s.ops.change_yearly).toBe(0);
    const serverlessChange = AFTER.dcu + AFTER.shuffle + AFTER.storage - (BEFORE.dcu + BEFORE.shuffle + BEFORE.storage);
    expect(s.tco.change_yearly).toBeCloseTo(serverlessChange, 6);
    // the cluster stays at its minimum 2 workers (⌈11.3778 / 3.2 / 8⌉ = 1): only its storage moves
    const ao = d.scenarios.find((x) => x.id === 'always_on')!;
    expect(ao.components.filter((c) => c.price_id !== 'gcp.storage.standard').every((c) => Math.abs(c.change_yearly) < 1e-9)).toBe(true);
    expect(ao.tco.change_yearly).toBeCloseTo(storageYear(100), 6);
    expect(d.savings.change_yearly).toBeCloseTo(storageYear(100) - serverlessChange, 6);

    const t = await cli(['cost', 'diff', a, b]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('(100 → 200 GB a day, 365 → 365 runs a year)');
    expect(t.stdout).toContain(`    ${usd(BEFORE.dcu).padStart(12)} → ${usd(AFTER.dcu).padStart(12)}   ${`+${usd(AFTER.dcu - BEFORE.dcu)}`.padStart(12)}`);
    expect(t.stdout).toMatch(new RegExp(`Total cost of ownership \\$[\\d,]+ → \\$[\\d,]+: \\+\\$${Math.round(serverlessChange).toLocaleString('en-US')} \\(\\+\\d+ %\\)`));
  });

  it('--format infracost: Infracost JSON 0.2, field by field', async () => {
    const a = await nightly(100);
    const b = await nightly(200);
    const r = await cli(['cost', 'diff', a, b, '--format', 'infracost']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as InfracostRoot;
    const DEC = /^-?\d+(\.\d+)?$/;
    const decOrNull = (v: unknown) => v === null || (typeof v === 'string' && DEC.test(v));
    const keysOnly = (o: object, required: string[], optional: string[] = []) => {
      for (const k of required) expect(Object.keys(o), k).toContain(k);
      for (const k of Object.keys(o)) expect([...required, ...optional], k).toContain(k);
    };
    // Root: required fields, nothing else (additionalProperties: false)
    keysOnly(j, ['version', 'currency', 'projects', 'totalHourlyCost', 'totalMonthlyCost', 'pastTotalHourlyCost', 'pastTotalMonthlyCost', 'diffTotalHourlyCost', 'diffTotalMonthlyCost', 'timeGenerated', 'summary'], ['runId', 'shareUrl']);
    expect(j.version).toBe('0.2');
    expect(j.currency).toBe('USD');
    expect(Number.isNaN(Date.parse(j.timeGenerated))).toBe(false);
    expect(j.timeGenerated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    for (const k of ['totalHourlyCost', 'totalMonthlyCost', 'pastTotalHourlyCost', 'pastTotalMonthlyCost', 'diffTotalHourlyCost', 'diffTotalMonthlyCost'] as const) expect(decOrNull(j[k]), k).toBe(true);
    const summaryKeys = ['totalResources', 'totalDetectedResources', 'totalSupportedResources', 'totalUnsupportedResources', 'totalUsageBasedResources', 'totalNoPriceResources', 'supportedResourceCounts', 'unsupportedResourceCounts', 'noPriceResourceCounts'];
    keysOnly(j.summary, [], summaryKeys);
    for (const v of Object.values(j.summary)) expect(Number.isInteger(v)).toBe(true);
    expect(j.projects).toHaveLength(1);
    const p = j.projects[0]!;
    keysOnly(p, ['name', 'metadata', 'pastBreakdown', 'breakdown', 'diff', 'summary']);
    keysOnly(p.metadata, ['path', 'type'], ['vcsRepoUrl', 'vcsSubPath', 'vcsPullRequestUrl', 'terraformWorkspace']);
    keysOnly(p.summary, [], summaryKeys);
    for (const bd of [p.pastBreakdown, p.breakdown, p.diff]) {
      keysOnly(bd, ['resources', 'totalHourlyCost', 'totalMonthlyCost']);
      expect(decOrNull(bd.totalHourlyCost) && decOrNull(bd.totalMonthlyCost)).toBe(true);
      for (const res of bd.resources) {
        keysOnly(res, ['name', 'metadata', 'hourlyCost', 'monthlyCost'], ['tags', 'costComponents', 'subresources']);
        expect(typeof res.name).toBe('string');
        expect(decOrNull(res.hourlyCost) && decOrNull(res.monthlyCost)).toBe(true);
        for (const c of res.costComponents) {
          keysOnly(c, ['name', 'unit', 'hourlyQuantity', 'monthlyQuantity', 'price', 'hourlyCost', 'monthlyCost']);
          for (const k of ['hourlyQuantity', 'monthlyQuantity', 'price', 'hourlyCost', 'monthlyCost'] as const) expect(decOrNull(c[k]), `${c.name}.${k}: ${c[k]}`).toBe(true);
        }
      }
    }
    // the figures: serverless infrastructure a month before and after, hourly = monthly ÷ 730
    const monthBefore = (BEFORE.dcu + BEFORE.shuffle + BEFORE.storage) / 12;
    const monthAfter = (AFTER.dcu + AFTER.shuffle + AFTER.storage) / 12;
    expect(Number(j.pastTotalMonthlyCost)).toBeCloseTo(monthBefore, 6);
    expect(Number(j.totalMonthlyCost)).toBeCloseTo(monthAfter, 6);
    expect(Number(j.diffTotalMonthlyCost)).toBeCloseTo(monthAfter - monthBefore, 6);
    expect(Number(j.totalHourlyCost)).toBeCloseTo(monthAfter / 730, 8);
    const dcu = p.breakdown.resources.flatMap((x) => x.costComponents).find((c) => c.name === 'Data Compute Unit (Standard)')!;
    expect(dcu).toMatchObject({ unit: 'DCU-hour', price: '0.06' });
    // 365 runs × 40 DCU × 1258 s ÷ 12 months
    expect(Number(dcu.monthlyQuantity)).toBeCloseTo((RUNS * 40 * 1258) / 3600 / 12, 6);
    expect(Number(p.diff.totalMonthlyCost)).toBeCloseTo(monthAfter - monthBefore, 6);
    // no float noise: at most 10 decimals
    expect(r.stdout).not.toMatch(/"\d+\.\d{11,}"/);
  });

  it('a bad side is named: exit 2 with the path', async () => {
    const a = await nightly(100);
    const b = await copySample('nightly-reconciliation');
    await appendFile(join(b, 'pipeline.yaml'), '\ncost:\n  year: 2026\n  daily_gb: { pos_orders: 0 }\n');
    const r = await cli(['cost', 'diff', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${b}: cost.daily_gb: every source is 0 GB a day`);
  });

  it('an aws.* override on a Google Cloud estimate is refused at its line', async () => {
    const a = await nightly(100);
    await writeFile(join(a, 'cost.prices.yaml'), 'prices:\n  gcp.storage.standard: 0.018\n  aws.glue.dpu: 0.40\n');
    const r = await cli(['cost', a]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cost.prices.yaml:3:3: 'aws.glue.dpu' is an AWS price, but this estimate uses Google Cloud prices (cost.provider: gcp)`);
  });
});
