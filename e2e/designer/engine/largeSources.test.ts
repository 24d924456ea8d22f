import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '@batchbook/pipeline-core';
import { loadSource } from '../../../renderer/src/preview/engine/sources';
import { writeLargeParquet } from '../bench/largeFiles';
import { openWasmInNode } from './wasmNode';

/**
 * The preview's loaders on files past the size that used to fail, on DuckDB-WASM (Node): a
 * Parquet file sampled by row ranges (exact row numbers, rows from the whole file) and read whole
 * in row groups; an NDJSON file sampled by byte windows of whole lines.
 */
const ROWS = 150_000;
const dir = mkdtempSync(join(tmpdir(), 'bb-large-src-'));
let wasm: Awaited<ReturnType<typeof openWasmInNode>>;

beforeAll(async () => {
  await writeLargeParquet(join(dir, 'big.parquet'), ROWS);
  wasm = await openWasmInNode();
}, 120_000);
afterAll(() => {
  wasm?.close();
  rmSync(dir, { recursive: true, force: true });
});

const schema = (cols: string[]) => cols.map((name) => ({ name, type: 'string' }));
const parquet = { format: 'parquet', path: 'big.parquet', schema: schema(['id', 'zip', 'status']) } as unknown as Source;

/** Checks every loaded row against the generator's formulas (row i: id i, zip i mod 100000 padded, CANCELLED every 7th). */
async function check(sql: string) {
  const [r] = await wasm.engine.query(`SELECT count(*) AS n,
      count(*) FILTER (WHERE _bb_row <> CAST(id AS BIGINT) + 1) AS bad_row,
      count(*) FILTER (WHERE zip <> lpad(CAST(CAST(id AS BIGINT) % 100000 AS VARCHAR), 5, '0')) AS bad_zip,
      count(*) FILTER (WHERE status <> CASE WHEN CAST(id AS BIGINT) % 7 = 0 THEN 'CANCELLED' ELSE 'PAID' END) AS bad_status,
      max(CAST(id AS BIGINT)) AS hi, count(DISTINCT id) AS ids FROM (${sql}) s`);
  return { n: Number(r!['n']), bad: Number(r!['bad_row']) + Number(r!['bad_zip']) + Number(r!['bad_status']), hi: Number(r!['hi']), ids: Number(r!['ids']) };
}

describe('a Parquet file of 150,000 rows', () => {
  const file = () => ({ path: 'big.parquet', blob: new Blob([readFileSync(join(dir, 'big.parquet'))]) });
  it('samples row ranges spread over the file, numbering rows as in the file', async () => {
    const loaded = await loadSource(wasm.db, 'big', parquet, [file()], 20_000);
    expect(loaded.rows).toBe(ROWS); // from the footer
    expect(loaded.estimated).toBe(false);
    const c = await check(loaded.relation(false).sql);
    // two row groups (DuckDB writes 122,880 rows a group) of 75,000 rows on average: 3 windows
    // (the minimum; 4 × 20,000 / 75,000 rounds down to 1) of floor(20,000 / 3) = 6,666 rows
    expect(c).toMatchObject({ n: 3 * 6_666, bad: 0, ids: 3 * 6_666 });
    expect(c.hi).toBe(ROWS - 1); // the last window ends at the file's last row
    expect(loaded.share).toBeCloseTo((3 * 6_666) / ROWS, 6);
    await loaded.drop();
  }, 60_000);
  it('reads every row in full mode, row group by row group', async () => {
    const loaded = await loadSource(wasm.db, 'big', parquet, [file()]);
    expect(await check(loaded.relation(false).sql)).toEqual({ n: ROWS, bad: 0, hi: ROWS - 1, ids: ROWS });
    expect(loaded.share).toBe(1);
    await loaded.drop();
  }, 120_000);
});

describe('a 9 MB NDJSON file', () => {
  it('samples whole lines from its start to its end and estimates its rows', async () => {
    const lines = 230_000;
    const text = Array.from({ length: lines }, (_, i) => `{"id":${i},"zip":"${String(i % 100_000).padStart(5, '0')}","status":"${i % 7 === 0 ? 'CANCELLED' : 'PAID'}"}`).join('\n') + '\n';
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    const source = { format: 'ndjson', path: 'big.ndjson', schema: schema(['id', 'zip', 'status']) } as unknown as Source;
    const loaded = await loadSource(wasm.db, 'nd', source, [{ path: 'big.ndjson', blob: new Blob([text]) }], 20_000);
    expect(loaded.estimated).toBe(true);
    expect(Math.abs(loaded.rows - lines) / lines).toBeLessThan(0.02);
    const [r] = await wasm.engine.query(`SELECT count(*) AS n, count(_bb_error) AS errors, max(CAST(id AS BIGINT)) AS hi,
        count(*) FILTER (WHERE zip <> lpad(CAST(CAST(id AS BIGINT) % 100000 AS VARCHAR), 5, '0')) AS bad FROM (${loaded.relation(false).sql}) s`);
    expect(Number(r!['errors'])).toBe(0); // no line cut in half
    expect(Number(r!['bad'])).toBe(0);
    expect(Number(r!['n'])).toBeGreaterThan(15_000);
    expect(Number(r!['n'])).toBeLessThanOrEqual(20_001);
    expect(Number(r!['hi'])).toBe(lines - 1);
    await loaded.drop();
  }, 60_000);
});
