import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { makeProject, removeDir, SAMPLES } from '../testing/fixtures.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

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

const made: string[] = [];
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

async function project(yaml: string): Promise<string> {
  const dir = await makeProject(yaml, { 'orders.csv': 'order_id,amount\nA1,3.50\n' });
  made.push(dir);
  return dir;
}

const HEAD = `version: 1
name: orders
sources:
  pos:
    format: csv
    path: orders.csv
    schema:
      - { name: order_id, type: string }
      - { name: amount, type: string }
stages:
  - name: raw_orders
    kind: ingest
    source: pos
`;
const OUT = `  - name: out
    kind: output
    input: raw_orders
    format: parquet
    path: orders
`;

interface Diag {
  severity: string;
  message: string;
  hint?: string;
  line: number;
  column: number;
}
const located = (d: Diag) => `${d.line}:${d.column} ${d.message}`;

describe('batchbook validate', () => {
  it('reports an unknown top-level key and a misspelt stage reference together, each located (--json)', async () => {
    const dir = await project(`${HEAD}${OUT.replace('input: raw_orders', 'input: raw_ordrs')}extra: 1\n`);
    const r = await cli(['validate', dir, '--json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { status: string; diagnostics: Diag[] };
    expect(json.status).toBe('invalid');
    // HEAD is 13 lines; the output stage's input is line 16 ('    input: raw_ordrs', value at column 12), the key line 19
    expect(json.diagnostics.filter((d) => d.severity === 'error').map(located).sort()).toEqual(["16:12 unknown stage 'raw_ordrs'", "19:1 unknown key 'extra'"]);
    expect(r.stderr).toContain("pipeline.yaml:16:12: error: unknown stage 'raw_ordrs'");
  });

  it('binds sql stages against empty typed tables: syntax, unknown table, result not matching the declared schema', async () => {
    const sql = `  - name: totals
    kind: sql
    inputs: [raw_orders]
    sql: |
      SELECT order_id, count(*) AS n
      FROM raw_ordrs GROUP BY 1
    schema: [{ name: order_id, type: string }, { name: n, type: integer }]
  - name: bad
    kind: sql
    inputs: [raw_orders]
    sql: "SELECT order_id FORM raw_orders"
    schema: [{ name: order_id, type: string }]
  - name: typed
    kind: sql
    inputs: [raw_orders]
    sql: "SELECT DATE '2020-01-01' AS d, order_id FROM raw_orders"
    schema: [{ name: d, type: integer }, { name: y, type: string }]
`;
    const dir = await project(`${HEAD}${sql}${OUT}`);
    const r = await cli(['validate', dir, '--json']);
    expect(r.code).toBe(2);
    const errors = (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics.filter((d) => d.severity === 'error');
    // line 19 '      FROM raw_ordrs…': the name at column 12; line 24 '    sql: "SELECT order_id FORM raw_orders"':
    // DuckDB's parser stops at 'raw_orders' (offset 21 of the SQL), column 10 + 1 (quote) + 21 = 32
    expect(errors.map(located)).toEqual([
      '19:12 SQL: Catalog Error: Table with name raw_ordrs does not exist!',
      '24:32 SQL: syntax error at or near "raw_orders"',
      '30:31 the query returns \'d\' as DATE, which cannot be cast to integer',
      "30:50 the query returns no column 'y'",
    ]);
    expect(errors[0]!.hint).toBe('Did you mean "raw_orders"?');
  });

  it('never runs a second statement smuggled into a sql stage, even on its throwaway engine', async () => {
    const sql = `  - name: sneaky
    kind: sql
    inputs: [raw_orders]
    sql: "SELECT 1 AS x) q; CREATE TABLE raw_orders_copy AS SELECT * FROM raw_orders; SELECT * FROM (SELECT 1 AS x"
    schema: [{ name: x, type: integer }]
  - name: later
    kind: sql
    inputs: [raw_orders]
    sql: "SELECT count(*) AS n FROM raw_orders_copy"
    schema: [{ name: n, type: integer }]
`;
    const dir = await project(`${HEAD}${sql}${OUT}`);
    const r = await cli(['validate', dir, '--json']);
    const messages = (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    // the SQL is parsed on its own before it is bound, so the ')' that would close the wrapper is a
    // syntax error; the copy was never made, so the later stage cannot see it
    expect(messages).toEqual(['a sql stage holds one SELECT statement', 'SQL: syntax error at or near ")"', 'SQL: Catalog Error: Table with name raw_orders_copy does not exist!']);
  });

  it('a DATE really cannot be cast to BIGINT in DuckDB (the run would fail on the first row)', async () => {
    const engine = await NodeDuckdbEngine.open();
    try {
      await expect(engine.query(`SELECT CAST(DATE '2020-01-01' AS BIGINT)`)).rejects.toThrow(/Unimplemented type for cast/);
    } finally {
      engine.close();
    }
  });

  it('accepts the samples: exit 0 and status valid', async () => {
    for (const sample of await readdir(SAMPLES)) {
      const r = await cli(['validate', join(SAMPLES, sample), '--json']);
      expect({ sample, code: r.code, status: (JSON.parse(r.stdout) as { status: string }).status }).toEqual({ sample, code: 0, status: 'valid' });
    }
  });
});

describe('--json on every exit path', () => {
  it('run --json prints the problems on stdout when the spec is invalid', async () => {
    const dir = await project(`${HEAD}${OUT}bogus: true\n`);
    const r = await cli(['run', dir, '--json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { status: string; exit_code: number; diagnostics: Diag[] };
    expect(json).toMatchObject({ status: 'invalid', exit_code: 2 });
    expect(json.diagnostics.map(located)).toEqual(["19:1 unknown key 'bogus'"]);
  });

  it('run --json prints an error object when there is no project', async () => {
    const r = await cli(['run', '/nonexistent/bb-project', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'error', exit_code: 2, error: { message: 'no project at /nonexistent/bb-project: the folder or file does not exist' } });
  });
});
