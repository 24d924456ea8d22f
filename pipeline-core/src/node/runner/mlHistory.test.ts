import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../samples/generate.js';
import { readRows, removeDir, REPO_ROOT, runProject, tempDir } from '../testing/fixtures.js';
import type { RunReport } from './report.js';

/**
 * ml-history end to end at the default scale (20,000 rows). Expected counts come from reading
 * the generated CSV files with a plain parser here, independently of DuckDB.
 */
let dir: string;
let report: RunReport;
let lines: string[][];

beforeAll(async () => {
  dir = await tempDir('bb-ml-');
  await generateSample('ml-history', { scale: 1, seed: 20261127, outDir: join(dir, 'gen') });
  await cp(join(dir, 'gen', 'ml-history', 'data'), join(dir, 'data'), { recursive: true });
  await cp(join(REPO_ROOT, 'samples', 'ml-history', 'pipeline.yaml'), join(dir, 'pipeline.yaml'));
  lines = [];
  for (const f of (await readdir(join(dir, 'data', 'sales'))).sort()) {
    const text = await readFile(join(dir, 'data', 'sales', f), 'utf8');
    lines.push(...text.trim().split('\n').slice(1).map((l) => l.split(',')));
  }
  report = await runProject(dir);
}, 120_000);
afterAll(() => removeDir(dir));

describe('ml-history', () => {
  it('reads all 60 months and rejects exactly the rows without a store', () => {
    expect(report.exit_code).toBe(0);
    const noStore = lines.filter((l) => l[2] === '').length;
    expect(lines).toHaveLength(20_000);
    expect(report.landed[0]!.files).toHaveLength(60);
    expect(report.stages.find((s) => s.name === 'raw_sales')).toMatchObject({ rows_in: 20_000, rows_out: 20_000, rejected: 0 });
    expect(report.stages.find((s) => s.name === 'clean_sales')).toMatchObject({ rows_out: 20_000 - noStore, rejected: noStore });
    expect(noStore).toBeGreaterThan(0);
  });

  it('writes one feature row per store and day, partitioned by month, with the units summed', async () => {
    const kept = lines.filter((l) => l[2] !== '');
    const perStoreDay = new Map<string, number>();
    for (const l of kept) perStoreDay.set(`${l[1]}|${l[2]}`, (perStoreDay.get(`${l[1]}|${l[2]}`) ?? 0) + Number(l[4]));
    const out = report.outputs[0]!;
    expect(out.rows).toBe(perStoreDay.size);
    expect(out.partitions).toHaveLength(60);
    expect(out.partitions[0]).toBe('sale_month=2021-01-01');
    const rows = await readRows(join(dir, 'lake', out.path, '*', '*.parquet'));
    const got = new Map(rows.map((r) => [`${r['sale_date']}|${r['store_id']}`, Number(r['units'])]));
    expect(got).toEqual(perStoreDay);
  });

  it('passes its rules, including row-count conservation', () => {
    expect(report.rules.map((r) => [r.name, r.status])).toEqual([
      ['accepted_values_channel', 'pass'],
      ['range_units', 'pass'],
      ['unique_sale_id', 'pass'],
      ['conservation', 'pass'],
      ['row_count', 'pass'],
    ]);
  });
});
