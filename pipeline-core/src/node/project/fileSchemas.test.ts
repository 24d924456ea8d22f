import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { makeProject, readRows, removeDir, runProject, tempDir } from '../testing/fixtures.js';
import { languageType } from './fileSchemas.js';
import { openProject } from './project.js';

const spec = (schema: string) => `version: 1
name: pq
sources:
  f:
    format: parquet
    path: f/f_{run_date}.parquet
${schema}stages:
  - { name: raw, kind: ingest, source: f }
  - { name: totals, kind: aggregate, input: raw, group_by: [name], measures: [{ name: total, fn: sum, column: amount }, { name: last_day, fn: max, column: day }] }
  - { name: out, kind: output, input: totals, format: parquet, path: totals }
`;

let parquet: Uint8Array;
let work: string;
beforeAll(async () => {
  work = await tempDir('bb-pq-');
  const file = join(work, 'f.parquet');
  const engine = await NodeDuckdbEngine.open();
  try {
    await engine.query(`COPY (SELECT * FROM (VALUES
      (1::BIGINT, 'a', 1.50::DECIMAL(10,2), DATE '2026-01-01', TIMESTAMP '2026-01-01 10:00:00', TRUE, ['x']),
      (2::BIGINT, 'a', 2.25::DECIMAL(10,2), DATE '2026-01-02', TIMESTAMP '2026-01-02 10:00:00', FALSE, []),
      (3::BIGINT, 'b', NULL, DATE '2026-01-02', NULL, NULL, NULL)) t(id, name, amount, "day", "at", flag, tags)) TO '${file}' (FORMAT parquet)`);
  } finally {
    engine.close();
  }
  parquet = new Uint8Array(await (await import('node:fs/promises')).readFile(file));
});
afterAll(async () => removeDir(work));

describe('Parquet sources whose schema is left out', () => {
  it('take the columns and types of the newest matching file; a list column is left out with a warning', async () => {
    const dir = await makeProject(spec(''), { 'f/f_2026-01-02.parquet': parquet });
    const project = await openProject(dir);
    expect(project.loaded.spec?.sources['f']?.schema).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'string' },
      { name: 'amount', type: 'decimal(10,2)' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamp' },
      { name: 'flag', type: 'boolean' },
    ]);
    expect(project.loaded.diagnostics.map((d) => d.message)).toContain("column 'tags' of data/f/f_2026-01-02.parquet is VARCHAR[], which has no type in the expression language; it is not read");
    const report = await runProject(dir, { run_date: '2026-01-02' });
    expect(report.exit_code).toBe(0);
    // a: 1.50 + 2.25, latest day 2026-01-02; b: a NULL amount only
    const rows = await readRows(join(dir, 'lake', 'curated', 'totals', '*.parquet'), 'name');
    expect(rows.map((r) => [r['name'], String(r['total']), String(r['last_day'])])).toEqual([
      ['a', '3.75', '2026-01-02'],
      ['b', 'null', '2026-01-02'],
    ]);
    await removeDir(dir);
  });

  it('are refused, located, when no file matches; a declared schema is compared with the file', async () => {
    const none = await openProject(await makeProject(spec('')));
    expect(none.loaded.spec).toBeUndefined();
    expect(none.loaded.diagnostics[0]).toMatchObject({ severity: 'error', message: "source 'f' leaves its schema out and no Parquet file was found to read it from", line: 5 });
    const partial = spec('    schema: [{ name: name, type: string }, { name: amount, type: "decimal(10,2)" }, { name: dy, type: date }]\n');
    const loaded = (await openProject(await makeProject(partial, { 'f/f_2026-01-02.parquet': parquet }))).loaded;
    expect(loaded.diagnostics.filter((d) => !d.message.startsWith("column 'tags'")).map((d) => [d.severity, d.message, d.hint])).toEqual([
      ['error', "column 'dy' is not in data/f/f_2026-01-02.parquet", "did you mean 'day'?"],
      ['warning', 'the schema lists 2 of the 6 columns of data/f/f_2026-01-02.parquet; not read: id, day, at, flag', 'declare them to read them, or leave the schema out to read every column with its type from the file'],
      ['error', "unknown column 'day'", expect.anything()],
    ]);
  });

  it('map DuckDB type names to the language', () => {
    expect(['INTEGER', 'BIGINT', 'DOUBLE', 'FLOAT', 'DECIMAL(18,3)', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'HUGEINT', 'BLOB', 'STRUCT(a INTEGER)'].map(languageType)).toEqual([
      'integer', 'integer', 'double', 'double', 'decimal(18,3)', 'timestamp', 'timestamp', undefined, undefined, undefined,
    ]);
  });
});
