import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, readRows, removeDir, runProject, tempDir } from '../testing/fixtures.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

/** A one-source project: ingest → output (parquet at curated/out). `extra` is added to the source. */
function spec(format: string, path: string, columns: string, extra = '', stageExtra = ''): string {
  return `version: 1
name: contracts
sources:
  src:
    format: ${format}
    path: "${path}"
    schema: ${columns}
${extra.replace(/^/gm, '    ')}
stages:
  - name: raw
    kind: ingest
    source: src
${stageExtra.replace(/^/gm, '    ')}
  - name: out
    kind: output
    input: raw
    format: parquet
    path: out
`;
}

async function run(yaml: string, files: Record<string, string | Uint8Array>) {
  const dir = await makeProject(yaml, files);
  made.push(dir);
  const report = await runProject(dir, { run_date: '2026-01-01' });
  return { dir, report, rows: () => readRows(join(dir, 'lake/curated/out/data.parquet')) };
}

const ID_AMOUNT = '[{ name: id, type: string }, { name: amount, type: string }]';

describe('JSON and NDJSON sources check their declared keys', () => {
  it('a misspelt key in a JSON array file stops the run, naming the key and the file', async () => {
    const { report } = await run(spec('json', 'o.json', ID_AMOUNT), { 'o.json': '[{"id": "1", "amout": "2.50"}, {"id": "2", "amout": "3"}]' });
    expect(report.exit_code).toBe(1);
    expect(report.error?.message).toBe(
      "source 'src': raw/src/2026-01-01/o.json has no key 'amount' (did you mean 'amout'?); its keys: id, amout. Fix the spec or the file, or set on_missing: null on the source to read missing columns as NULL.",
    );
  });

  it('NDJSON likewise; with on_missing: null the key reads as NULL and the run succeeds', async () => {
    const files = { 'o.ndjson': '{"id": "1", "amout": "2.50"}\n{"id": "2"}\n' };
    const strict = await run(spec('ndjson', 'o.ndjson', ID_AMOUNT), files);
    expect(strict.report.error?.message).toMatch(/^source 'src': raw\/src\/2026-01-01\/o.ndjson has no key 'amount' \(did you mean 'amout'\?\)/);
    const lenient = await run(spec('ndjson', 'o.ndjson', ID_AMOUNT, 'on_missing: null'), files);
    expect(lenient.report.exit_code).toBe(0);
    expect(await lenient.rows()).toEqual([
      { id: '1', amount: null },
      { id: '2', amount: null },
    ]);
  });

  it('a key that first appears after the reader samples the file is not refused', async () => {
    // the check samples the first 2,048 records; this key is only on record 25,000 (found by the confirming scan)
    const lines = Array.from({ length: 25_000 }, (_, i) => (i === 24_999 ? `{"id": "${i}", "amount": "7"}` : `{"id": "${i}"}`));
    const { report } = await run(spec('ndjson', 'o.ndjson', ID_AMOUNT), { 'o.ndjson': `${lines.join('\n')}\n` });
    expect(report.error).toBeUndefined();
    expect(report.stages.find((s) => s.name === 'raw')?.rows_out).toBe(25_000);
  });

  it('an empty JSON array has nothing to miss', async () => {
    const { report } = await run(spec('json', 'o.json', ID_AMOUNT), { 'o.json': '[]' });
    expect(report.error).toBeUndefined();
  });
});

describe('Parquet sources check their declared columns', () => {
  async function parquet(sql: string): Promise<Uint8Array> {
    const dir = await tempDir();
    made.push(dir);
    const file = join(dir, 'f.parquet');
    const engine = await NodeDuckdbEngine.open();
    try {
      await engine.exec(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
    } finally {
      engine.close();
    }
    const { readFile } = await import('node:fs/promises');
    return readFile(file);
  }

  it('a missing column is a clear error naming it and the file, not a binder error', async () => {
    const file = await parquet(`SELECT '1' AS id, 2.5 AS amt`);
    // the inbox's Parquet file is read when the spec loads, so the run stops before landing
    await expect(run(spec('parquet', 'o.parquet', ID_AMOUNT), { 'o.parquet': file })).rejects.toThrow(/column 'amount' is not in data\/o\.parquet[\s\S]*its columns are id, amt/);
  });

  it('with on_missing: null, a column missing from one file is NULL there and read from the others', async () => {
    const a = await parquet(`SELECT '1' AS id, '2.5' AS amount`);
    const b = await parquet(`SELECT '2' AS id`);
    const { report, rows } = await run(spec('parquet', '*.parquet', ID_AMOUNT, 'on_missing: null'), { 'a.parquet': a, 'b.parquet': b });
    expect(report.error).toBeUndefined();
    expect(await rows()).toEqual([
      { id: '1', amount: '2.5' },
      { id: '2', amount: null },
    ]);
  });

  it('a truncated Parquet file names the file', async () => {
    const file = await parquet(`SELECT '1' AS id, '2' AS amount`);
    const { report } = await run(spec('parquet', 'o.parquet', ID_AMOUNT), { 'o.parquet': file.subarray(0, file.length - 20) });
    expect(report.error?.message).toMatch(/^source 'src': raw\/src\/2026-01-01\/o.parquet is not a readable Parquet file: /);
  });
});

describe('awkward CSV headers', () => {
  it('a trailing comma in the header (and rows) reads, instead of "Need named argument for struct pack"', async () => {
    const { report, rows } = await run(spec('csv', 'o.csv', ID_AMOUNT), { 'o.csv': 'id,amount,\n1,2.50,\n2,3,\n' });
    expect(report.error).toBeUndefined();
    expect(await rows()).toEqual([
      { id: '1', amount: '2.50' },
      { id: '2', amount: '3' },
    ]);
  });

  it('names with quotes, empty names and repeated names are read by position', async () => {
    const cols = '[{ name: id, type: string }, { name: quoted, type: string, position: 2 }, { name: blank, type: string, position: 3 }, { name: second_id, type: string, position: 4 }]';
    const { report, rows } = await run(spec('csv', 'o.csv', cols), { 'o.csv': 'id,"say ""hi""",,id\n1,a,b,c\n' });
    expect(report.error).toBeUndefined();
    expect(await rows()).toEqual([{ id: '1', quoted: 'a', blank: 'b', second_id: 'c' }]);
  });

  it('a position beyond the header is a clear error', async () => {
    const cols = '[{ name: id, type: string }, { name: x, type: string, position: 5 }]';
    const { report } = await run(spec('csv', 'o.csv', cols), { 'o.csv': 'id,a\n1,2\n' });
    expect(report.error?.message).toBe("source 'src': raw/src/2026-01-01/o.csv has 2 columns, but a column is declared at position 5");
  });

  it('a missing CSV column reads as NULL under on_missing: null', async () => {
    const { report, rows } = await run(spec('csv', 'o.csv', ID_AMOUNT, 'on_missing: null'), { 'o.csv': 'id\n1\n' });
    expect(report.error).toBeUndefined();
    expect(await rows()).toEqual([{ id: '1', amount: null }]);
  });
});

describe('reject limits', () => {
  // one unterminated quote on line 2 swallows the rest of the file into a single reject
  const broken = 'id,amount\n1,"2.50\n2,3\n3,4\n';

  it('without a limit the run still exits 0 (the old behaviour, kept)', async () => {
    const { report } = await run(spec('csv', 'o.csv', ID_AMOUNT), { 'o.csv': broken });
    expect(report.exit_code).toBe(0);
    expect(report.stages.find((s) => s.name === 'raw')).toMatchObject({ rows_out: 0, rejected: 1 });
  });

  it('max_reject_ratio on the source fails the run with the counts and one reason, and publishes nothing', async () => {
    const { dir, report } = await run(spec('csv', 'o.csv', ID_AMOUNT, 'max_reject_ratio: 0.1'), { 'o.csv': broken });
    expect(report.exit_code).toBe(1);
    expect(report.published).toBe(false);
    expect(report.error?.stage).toBe('raw');
    expect(report.error?.message).toMatch(/^stage 'raw' rejected 1 of 1 rows \(100%\), more than max_reject_ratio 0.1 \(10%\) set on source 'src'; nothing was published\. One of them: line 2: .*quote/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'lake/curated/out'))).toBe(false);
  });

  it('max_rejects on the stage counts cast failures too', async () => {
    const cols = '[{ name: id, type: integer }, { name: amount, type: string }]';
    const { report } = await run(spec('csv', 'o.csv', cols, '', 'max_rejects: 1'), { 'o.csv': 'id,amount\nx,1\ny,2\n3,3\n' });
    expect(report.error?.message).toMatch(/^stage 'raw' rejected 2 of 3 rows \(66.7%\), more than max_rejects 1 set on stage 'raw'; nothing was published\. One of them: id: cannot read 'x' as integer/);
  });
});

describe('max_line_bytes', () => {
  const big = 'x'.repeat(3 * 1024 * 1024); // 3 MiB: over DuckDB's default 2 MiB line limit

  it('a CSV line longer than the default is a reject; max_line_bytes lets it through', async () => {
    const files = { 'o.csv': `id,amount\n1,${big}\n2,3\n` };
    const dflt = await run(spec('csv', 'o.csv', ID_AMOUNT), files);
    expect(dflt.report.stages.find((s) => s.name === 'raw')).toMatchObject({ rows_out: 1, rejected: 1 });
    const raised = await run(spec('csv', 'o.csv', ID_AMOUNT, 'max_line_bytes: 4194304'), files);
    expect(raised.report.stages.find((s) => s.name === 'raw')).toMatchObject({ rows_out: 2, rejected: 0 });
  });

  it('NDJSON too; without it the error says which line and what to set', async () => {
    const files = { 'o.ndjson': `{"id": "1", "amount": "${big}"}\n{"id": "2", "amount": "3"}\n` };
    const dflt = await run(spec('ndjson', 'o.ndjson', ID_AMOUNT), files);
    expect(dflt.report.error?.message).toBe('Invalid Input Error: CSV Error on Line: 1: the line is longer than 2000000 bytes; set max_line_bytes on the source to read it');
    const raised = await run(spec('ndjson', 'o.ndjson', ID_AMOUNT, 'max_line_bytes: 4194304'), files);
    expect(raised.report.error).toBeUndefined();
    expect(raised.report.stages.find((s) => s.name === 'raw')).toMatchObject({ rows_out: 2, rejected: 0 });
  });
});

describe('symbolic links in the inbox', () => {
  async function linked(extra: string, folder: boolean) {
    const outside = await tempDir();
    made.push(outside);
    await writeFile(join(outside, 'o.csv'), 'id,amount\n1,2\n');
    const dir = await makeProject(spec('csv', folder ? 'in/o.csv' : 'o.csv', ID_AMOUNT, extra));
    made.push(dir);
    await mkdir(join(dir, 'data'), { recursive: true });
    await symlink(folder ? outside : join(outside, 'o.csv'), join(dir, 'data', folder ? 'in' : 'o.csv'));
    return { outside, report: await runProject(dir, { run_date: '2026-01-01' }) };
  }

  it('a linked file is refused with the link and its target', async () => {
    const { outside, report } = await linked('', false);
    expect(report.exit_code).toBe(1);
    expect(report.error?.message).toBe(`source 'src': o.csv in the inbox is a symbolic link to ${join(outside, 'o.csv')}; links are not landed unless the source says follow_links: true`);
  });

  it('a linked folder is refused', async () => {
    const { outside, report } = await linked('', true);
    expect(report.error?.message).toBe(`source 'src': the folder in (holding in/o.csv) in the inbox is a symbolic link to ${outside}; links are not landed unless the source says follow_links: true`);
  });

  it('follow_links: true lands what the link points to', async () => {
    const { report } = await linked('follow_links: true', true);
    expect(report.error).toBeUndefined();
    expect(report.stages.find((s) => s.name === 'raw')?.rows_out).toBe(1);
  });
});
