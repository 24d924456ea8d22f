import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CostEstimate } from '../../core/cost/estimate.js';
import { main } from '../cli/main.js';
import { copySample, runProject, SAMPLES, tempDir } from '../testing/fixtures.js';

/** Runs the CLI in-process; returns exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

afterEach(() => vi.restoreAllMocks());

describe('batchbook cost', () => {
  it('samples/peak-sales --json: the documented shape, figures with their working', async () => {
    const emptyLake = await tempDir();
    const r = await cli(['cost', join(SAMPLES, 'peak-sales'), '--json', '--lake', emptyLake]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as CostEstimate;
    expect(e.format).toBe('batchbook.cost/v1');
    expect(e.scenarios.map((s) => s.id)).toEqual(['serverless', 'always_on', 'always_on_undersized']);
    for (const s of e.scenarios) {
      for (const res of s.resources) {
        for (const c of res.cost_components) {
          // Infracost-like component: unit, quantity, price, cost, plus the working
          expect(c.yearly_cost).toBeCloseTo(c.yearly_quantity * c.price, 9);
          expect(c.monthly_cost).toBeCloseTo(c.yearly_cost / 12, 9);
          expect(c.working.length).toBeGreaterThan(10);
          expect(e.prices.some((p) => p.id === c.price_id)).toBe(true);
        }
        expect(res.yearly_cost).toBeCloseTo(res.cost_components.reduce((a, c) => a + c.yearly_cost, 0), 9);
      }
      expect(s.tco_yearly).toBeCloseTo(s.yearly_cost + s.ops.yearly_cost, 9);
    }
    // the same figures the core test derives by hand (peakSales.test.ts): 4 workers + 1 master, 5 nodes
    expect(e.cluster.peak_sized.workers).toBe(4);
    // 16 executors (the cheapest within the window): 120 s + 34.1333 vCPU-h × 3600 ÷ 64 vCPU = 2040 s
    expect(e.serverless_runs.normal.billed_seconds).toBe(2040);
    for (const p of e.prices) expect(p.source).toMatch(/^https:\/\//);
  });

  it('prints a table with the headline; writes the report', async () => {
    const dir = await tempDir();
    const out = join(dir, 'cost.html');
    const r = await cli(['cost', join(SAMPLES, 'peak-sales'), '--lake', dir, '--report', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^peak_sales — cost estimate for 2026/);
    expect(r.stdout).toMatch(/Serverless saves \$[\d,]+ a year \(\d+ %\)/);
    expect(r.stdout).toMatch(/Total cost of ownership/);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/<h1 data-testid="headline">Serverless saves/);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });

  it('price overrides in cost.prices.yaml change the estimate; a wrong id is located', async () => {
    const dir = await copySample('peak-sales');
    const lake = await tempDir();
    const base = JSON.parse((await cli(['cost', dir, '--json', '--lake', lake])).stdout) as CostEstimate;
    await writeFile(join(dir, 'cost.prices.yaml'), 'prices:\n  gcp.dataproc_serverless.dcu_standard: { usd: 0.03, source: negotiated }\n');
    const r = await cli(['cost', dir, '--json', '--lake', lake]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/prices overridden by .*cost.prices.yaml: gcp.dataproc_serverless.dcu_standard/);
    const cheaper = JSON.parse(r.stdout) as CostEstimate;
    expect(cheaper.headline.serverless_tco_yearly).toBeLessThan(base.headline.serverless_tco_yearly);
    expect(cheaper.headline.always_on_tco_yearly).toBeCloseTo(base.headline.always_on_tco_yearly, 9);

    await writeFile(join(dir, 'cost.prices.yaml'), 'prices:\n  gcp.dataproc_serverless.dcu_standart: 0.03\n');
    const bad = await cli(['cost', dir, '--lake', lake]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cost\.prices\.yaml:2:3: no price 'gcp\.dataproc_serverless\.dcu_standart' in the catalog — did you mean 'gcp\.dataproc_serverless\.dcu_standard'\?/);
  });

  it('a spec without volume and without run reports: exit 2 with what to add', async () => {
    const dir = await copySample('peak-sales');
    const spec = await readFile(join(dir, 'pipeline.yaml'), 'utf8');
    await writeFile(join(dir, 'pipeline.yaml'), spec.slice(0, spec.indexOf('\ncost:')));
    const r = await cli(['cost', dir, '--lake', await tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give cost\.daily_gb per source/);
  });

  it('measured volume from real run reports: median landed bytes per source × scale', async () => {
    const dir = await copySample('peak-sales');
    const spec = await readFile(join(dir, 'pipeline.yaml'), 'utf8');
    await writeFile(join(dir, 'pipeline.yaml'), `${spec.slice(0, spec.indexOf('\ncost:'))}\ncost:\n  year: 2026\n  measured: { scale: 1000 }\n`);
    const days = ['2026-11-16', '2026-11-17', '2026-11-27'];
    for (const d of days) await runProject(dir, { run_date: d });
    const r = await cli(['cost', dir, '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as CostEstimate;
    const size = async (f: string) => (await stat(join(dir, 'data', f))).size;
    const median3 = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const expected = {
      pos_orders: median3(await Promise.all(days.map((d) => size(`pos/orders_${d}.csv`)))),
      settlements: median3(await Promise.all(days.map((d) => size(`psp/settlements_${d}.ndjson`)))),
      refunds: median3(await Promise.all(days.map((d) => size(`erp/refunds_${d}.parquet`)))),
    };
    for (const s of e.work.sources) {
      expect(s.from).toBe('measured');
      expect(s.daily_gb).toBeCloseTo((expected[s.source as keyof typeof expected] * 1000) / 1024 ** 3, 12);
    }
    // the sample's runs are far too small to measure throughput: the default stays, and says why
    const t = e.assumptions.find((a) => a.id === 'throughput')!;
    expect(t).toMatchObject({ source: 'default', value: 5 });
    expect(t.note).toMatch(/3 run report\(s\), the largest with 0\.\d\d MiB of input, under the 64 MiB/);
  });

  it('--catalog lists every price with its source', async () => {
    const r = await cli(['cost', '--catalog']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gcp\.dataproc_serverless\.dcu_standard\s+\$0\.06\s+per DCU-hour/);
    expect(r.stdout).toMatch(/aws\.glue\.dpu\s+\$0\.44\s+per DPU-hour .*https:\/\/aws\.amazon\.com\/glue\/pricing\//);
  });
});
