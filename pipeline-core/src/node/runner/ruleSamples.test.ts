import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSampleRange } from '../../core/execute/executePlan.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { makeProject, removeDir, runProject } from '../testing/fixtures.js';

const SPEC = `version: 1
name: samples
sources:
  facts:
    format: parquet
    path: facts.parquet
    schema: [{ name: id, type: integer }, { name: code, type: string }, { name: note, type: string }]
  codes:
    format: csv
    path: codes.csv
    schema: [{ name: code, type: string }]
stages:
  - { name: raw, kind: ingest, source: facts }
  - { name: raw_codes, kind: ingest, source: codes }
  - name: checked
    kind: validate
    input: raw
    rules:
      - { rule: not_null, columns: [note], severity: warn, action: reject }
      - { rule: relationship, columns: [code], to: raw_codes, to_columns: [code], severity: warn, action: warn }
  - { name: out, kind: output, input: checked, format: parquet, path: out }
`;

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

describe('failing-row samples', () => {
  it('are the first failing rows in file order, the same on every run', async () => {
    const dir = await makeProject(SPEC, { 'codes.csv': 'code\nA0\nA1\nA2\n' });
    made.push(dir);
    // 300,000 rows in row groups of 50,000: a note is missing on every row whose id ends in 777 of
    // a thousand, a code unknown on every id that is 123 modulo 500
    const engine = await NodeDuckdbEngine.open();
    await engine.exec(`COPY (SELECT id, CASE WHEN id % 500 = 123 THEN 'ZZ' ELSE 'A' || (id % 3) END AS code, CASE WHEN id % 1000 = 777 THEN NULL ELSE 'n' END AS note
      FROM range(300000) t(id)) TO '${join(dir, 'data', 'facts.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`);
    engine.close();

    const runs = [await runProject(dir, { run_date: '2026-01-01' }), await runProject(dir, { run_date: '2026-01-01' })];
    for (const report of runs) {
      if (report.status !== 'succeeded') throw new Error(JSON.stringify(report.error ?? report.rules));
      const rule = (name: string) => report.rules.find((r) => r.name === name)!;
      if (!report.rules.some((r) => r.name === 'not_null_note')) throw new Error(report.rules.map((r) => r.name).join());
      expect(rule('not_null_note').failing).toBe(300);
      expect(rule('not_null_note').samples.map((s) => Number(s['id']))).toEqual([777, 1777, 2777, 3777, 4777]);
      expect(rule('relationship_code').failing).toBe(600);
      expect(rule('relationship_code').samples.map((s) => Number(s['id']))).toEqual([123, 623, 1123, 1623, 2123]);
      expect(Object.keys(rule('relationship_code').samples[0]!).sort()).toEqual(['code', 'id', 'note', 'reason']);
    }
  });

  it('are found however far apart the failing rows are, across files, in row-number order', async () => {
    const spec = SPEC.replace('path: facts.parquet', 'path: facts/*.parquet');
    const dir = await makeProject(spec, { 'codes.csv': 'code\nA\n' });
    made.push(dir);
    // two files; the notes missing far apart (rows found in the first range, a later one, the last):
    // a.parquet (ids 0..99, its row n is id n): id 50; b.parquet (1,000,000 rows, ids 1000000 + row):
    // rows 3, 600000 and 999999
    await mkdir(join(dir, 'data', 'facts'), { recursive: true });
    const engine = await NodeDuckdbEngine.open();
    await engine.exec(`COPY (SELECT id, 'A' AS code, CASE WHEN id = 50 THEN NULL ELSE 'n' END AS note FROM range(100) t(id)) TO '${join(dir, 'data', 'facts', 'a.parquet')}' (FORMAT parquet)`);
    await engine.exec(`COPY (SELECT 1000000 + r AS id, 'A' AS code, CASE WHEN r IN (3, 600000, 999999) THEN NULL ELSE 'n' END AS note FROM range(1000000) t(r)) TO '${join(dir, 'data', 'facts', 'b.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
    engine.close();

    const report = await runProject(dir, { run_date: '2026-01-01' });
    if (report.status !== 'succeeded') throw new Error(JSON.stringify(report.error ?? report.rules));
    const rule = report.rules.find((r) => r.name === 'not_null_note')!;
    expect(rule.failing).toBe(4);
    // by row number within the file, then file: b's row 4, a's row 51, b's rows 600001 and 1000000
    expect(rule.samples.map((s) => Number(s['id']))).toEqual([1000003, 50, 1600000, 1999999]);
  });

  it('start from a range sized by how dense the failing rows are, and still find rows clustered far after it', async () => {
    const dir = await makeProject(SPEC, { 'codes.csv': 'code\nA\n' });
    made.push(dir);
    // 1,000,000 rows; 10,000 fail the relationship (code 'Z'): row 7, then rows 900000..909998. The
    // first range is 8 * 5 * 1,000,000 / 10,000 = 4,000 rows, rounded up to 4,096: only row 7 is in it,
    // the other four samples are 900,000 rows further on, eight doublings later.
    const engine = await NodeDuckdbEngine.open();
    await engine.exec(`COPY (SELECT r AS id, CASE WHEN r = 7 OR r BETWEEN 900000 AND 909998 THEN 'Z' ELSE 'A' END AS code, 'n' AS note FROM range(1000000) t(r)) TO '${join(dir, 'data', 'facts.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
    engine.close();

    const report = await runProject(dir, { run_date: '2026-01-01' });
    if (report.status !== 'succeeded') throw new Error(JSON.stringify(report.error ?? report.rules));
    const rule = report.rules.find((r) => r.name === 'relationship_code')!;
    expect(rule.failing).toBe(10_000);
    expect(rule.samples.map((s) => Number(s['id']))).toEqual([7, 900000, 900001, 900002, 900003]);
  });
});

describe('firstSampleRange', () => {
  it('is eight times the rows holding the wanted samples on average, a power of two from 1,024 to 131,072', () => {
    expect(firstSampleRange(5, 21_167, 3_000_000)).toBe(8192); // 8 * 5 * 3e6 / 21,167 = 5,669
    expect(firstSampleRange(5, 10_000, 1_000_000)).toBe(4096); // 4,000
    expect(firstSampleRange(5, 287, 3_000_000)).toBe(131_072); // 418,118: capped at about a row group
    expect(firstSampleRange(5, 5, 10)).toBe(1024); // 80: the smallest range
    expect(firstSampleRange(5, 5, 0)).toBe(131_072); // no count of rows in: the largest
  });
});

