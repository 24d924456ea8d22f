import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { openProject } from '../project/project.js';
import { makeProject, readRows, removeDir, runProject } from '../testing/fixtures.js';
import { exportProject } from './exportProject.js';

/**
 * An export is compiled without the files, so it cannot know how a Parquet file stores its
 * columns: the exported plan checks each column's stored type where it runs. Whatever the file
 * stores, it must read what the runner reads (which looks at the file first): a column stored in
 * its declared type as it is, any other as text cast like a CSV value, with the same rejects.
 */
const SPEC = `version: 1
name: typed
sources:
  src:
    format: parquet
    path: "in/f.parquet"
    schema: [{ name: day, type: date }, { name: n, type: integer }, { name: amount, type: double }, { name: label, type: string }, { name: at, type: timestamp }]
stages:
  - { name: raw, kind: ingest, source: src }
  - { name: out, kind: output, input: raw, format: parquet, path: out }
`;

// day: DATE (as declared); n: INTEGER (widens to integer exactly); amount: text with one bad value;
// label: an integer column declared as string (read as text); at: text in timestamp form.
const FILE_SQL = `SELECT * FROM (VALUES
  (DATE '2026-01-01', CAST(1 AS INTEGER), '2.50', 7, '2026-01-01 10:00:00'),
  (DATE '2026-01-02', CAST(2 AS INTEGER), 'n/a', 8, '2026-01-02 11:30:00'),
  (NULL, NULL, NULL, NULL, 'not a time')
) t(day, n, amount, label, "at")`;

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

async function runScript(sqlFile: string, vars: Record<string, string>): Promise<void> {
  const engine = await NodeDuckdbEngine.open();
  try {
    for (const [k, v] of Object.entries(vars)) await engine.exec(`SET VARIABLE ${k} = '${v}'`);
    const text = await readFile(sqlFile, 'utf8');
    // the script's statements end at a semicolon that ends a line
    for (const statement of text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)+$/.test(s))) {
      await engine.exec(statement);
    }
  } finally {
    engine.close();
  }
}

describe('an exported plan reads a Parquet file whose stored types it was not told', () => {
  it('gives the runner’s rows and rejects, typed columns as they are and the others cast from text', async () => {
    const dir = await makeProject(SPEC);
    made.push(dir);
    await mkdir(join(dir, 'data', 'in'), { recursive: true });
    const engine = await NodeDuckdbEngine.open();
    await engine.exec(`COPY (${FILE_SQL}) TO '${join(dir, 'data', 'in', 'f.parquet')}' (FORMAT parquet)`);
    engine.close();

    const report = await runProject(dir, { run_date: '2026-01-05' });
    expect(report.exit_code).toBe(0);
    const runnerRows = await readRows(join(dir, 'lake', 'curated', 'out', 'data.parquet'));
    const runnerRejects = await readRows(join(dir, 'lake', 'rejects', '2026-01-05', 'raw.parquet'), 'source_row');

    const project = await openProject(dir);
    await exportProject({ project: project as Parameters<typeof exportProject>[0]['project'], target: 'duckdb', out: join(dir, 'export'), params: { run_date: '2026-01-05' }, toolVersion: '0.0.0', preview: false });
    const sql = await readFile(join(dir, 'export', 'duckdb', 'pipeline.sql'), 'utf8');
    expect(sql).not.toMatch(/CAST\("day" AS VARCHAR\)/); // no text round trip in the reader
    const out = join(dir, 'script-out');
    for (const d of ['validation/2026-01-05', 'rejects/2026-01-05', 'curated/out']) await mkdir(join(out, d), { recursive: true });
    await runScript(join(dir, 'export', 'duckdb', 'pipeline.sql'), { run_date: '2026-01-05', input_root: join(dir, 'data'), output_root: out });
    const scriptRows = await readRows(join(out, 'curated', 'out', 'data.parquet'));
    const scriptRejects = await readRows(join(out, 'rejects', '2026-01-05', 'raw.parquet'), 'source_row');

    // by hand: row 1 is clean; row 2's amount and row 3's timestamp cannot be read
    expect(runnerRows).toHaveLength(1);
    expect(runnerRows[0]).toMatchObject({ day: '2026-01-01', n: '1', amount: 2.5, label: '7' });
    expect(runnerRejects.map((r) => [r['source_row'], r['reject_reason']])).toEqual([
      ['2', "amount: cannot read 'n/a' as double"],
      ['3', "at: cannot read 'not a time' as timestamp"],
    ]);
    expect(scriptRows).toEqual(runnerRows);
    const comparable = (rows: Record<string, unknown>[]) => rows.map(({ source_file: _f, ...rest }) => rest);
    expect(comparable(scriptRejects)).toEqual(comparable(runnerRejects));
  });
});
