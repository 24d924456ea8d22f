import { spawn } from 'node:child_process';
import { chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copySample, makeProject, readRows, REPO_ROOT, removeDir, runProject } from '../testing/fixtures.js';
import { sha256File } from './land.js';

const CLI = join(REPO_ROOT, 'pipeline-core', 'bin', 'batchbook.js');
const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

async function sample(): Promise<string> {
  const d = await copySample('nightly-reconciliation');
  made.push(d);
  return d;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every file under a folder (following the published links) with its sha256, sorted. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, rel: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.endsWith('.lock')) continue;
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name} ${await sha256File(p)}`);
    }
  }
  await walk(dir, '');
  return out.sort();
}


describe('re-runs and replays', () => {
  it('re-running the same date gives byte-identical outputs and rejects', async () => {
    const dir = await sample();
    const a = await runProject(dir, { run_date: '2026-11-24' });
    const curatedA = await tree(join(dir, 'lake/curated'));
    const rejectsA = await tree(join(dir, 'lake/rejects'));
    const b = await runProject(dir, { run_date: '2026-11-24' });
    expect(b.exit_code).toBe(0);
    expect(b.landed.flatMap((l) => l.files.map((f) => f.status))).toEqual(['already', 'already', 'already']);
    expect(await tree(join(dir, 'lake/curated'))).toEqual(curatedA);
    expect(await tree(join(dir, 'lake/rejects'))).toEqual(rejectsA);
    expect(b.outputs.flatMap((o) => o.files.map((f) => f.sha256))).toEqual(a.outputs.flatMap((o) => o.files.map((f) => f.sha256)));
    expect(curatedA.length).toBe(3);
  });

  it('replays a date from the raw zone alone, without the inbox', async () => {
    const dir = await sample();
    const a = await runProject(dir, { run_date: '2026-11-24' });
    await rm(join(dir, 'data'), { recursive: true });
    const b = await runProject(dir, { run_date: '2026-11-24' }, { replay: true });
    expect(b.exit_code).toBe(0);
    expect(b.replay).toBe(true);
    expect(b.outputs.flatMap((o) => o.files.map((f) => f.sha256))).toEqual(a.outputs.flatMap((o) => o.files.map((f) => f.sha256)));
  });
});

describe('the raw zone', () => {
  it('lands files read-only with a sha256 manifest matching the bytes', async () => {
    const dir = await sample();
    const r = await runProject(dir, { run_date: '2026-11-24' });
    const orders = r.landed.find((l) => l.source === 'pos_orders')!.files[0]!;
    expect(orders.path).toBe('raw/pos_orders/2026-11-24/pos/orders_2026-11-24.csv');
    const landed = join(dir, 'lake', orders.path);
    expect(orders.sha256).toBe(await sha256File(join(dir, 'data/pos/orders_2026-11-24.csv')));
    expect((await stat(landed)).mode & 0o222).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'lake/raw/pos_orders/2026-11-24/_manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    expect(manifest.files).toEqual([expect.objectContaining({ path: 'pos/orders_2026-11-24.csv', sha256: orders.sha256 })]);
  });

  it('refuses a different file at a landed path and leaves the raw zone as it was', async () => {
    const dir = await sample();
    await runProject(dir, { run_date: '2026-11-24' });
    const raw = await tree(join(dir, 'lake/raw'));
    const incoming = join(dir, 'data/pos/orders_2026-11-24.csv');
    await chmod(incoming, 0o644);
    await writeFile(incoming, (await readFile(incoming, 'utf8')).replace('69.40', '69.41'));
    const r = await runProject(dir, { run_date: '2026-11-24' });
    expect(r.exit_code).toBe(1);
    expect(r.error?.message).toMatch(/raw\/pos_orders\/2026-11-24\/pos\/orders_2026-11-24\.csv was landed on .* The raw zone is never rewritten/);
    expect(await tree(join(dir, 'lake/raw'))).toEqual(raw);
  });
});

describe('a run killed with SIGKILL', () => {
  // SIGKILL at each step of publishing: see commitRun.test.ts
  it('at a random moment never leaves a half-written curated file', async () => {
    const dir = await sample();
    const lake = join(dir, 'lake');
    expect((await cli(['run', dir, '--param', 'run_date=2026-11-24'])).code).toBe(0);
    const complete = await tree(join(lake, 'curated'));
    for (const delay of [150, 300, 450]) {
      const child = spawn(process.execPath, [CLI, 'run', dir, '--param', 'run_date=2026-11-24'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      // every curated file present is a complete file of a finished run
      const now = await tree(join(lake, 'curated'));
      for (const entry of now) expect(complete).toContain(entry);
    }
    expect((await cli(['run', dir, '--param', 'run_date=2026-11-24'])).code).toBe(0);
    expect(await tree(join(lake, 'curated'))).toEqual(complete);
  });
});

const RAGGED_SPEC = `version: 1
name: ragged
sources:
  people:
    format: csv
    path: people.csv
    options: { encoding: utf-8 }
    schema:
      - { name: id, type: integer }
      - { name: name, type: string }
      - { name: age, type: integer }
stages:
  - { name: raw, kind: ingest, source: people }
  - { name: out, kind: output, input: raw, format: csv, path: people }
`;

describe('bad input files', () => {
  it('a ragged CSV yields rejects with line numbers, the good rows flow on', async () => {
    // line 1 header; 2 ok; 3 too many fields; 4 ok; 5 too few; 6 bad integer; 7 ok
    const csv = 'id,name,age\n1,Ann,30\n2,Bob,41,extra\n3,"Cho, Li",27\n4,Dee\n5,Eve,old\n6,Fay,50\n';
    const dir = await makeProject(RAGGED_SPEC, { 'people.csv': csv });
    made.push(dir);
    const r = await runProject(dir, { run_date: '2026-01-01' });
    expect(r.exit_code).toBe(0);
    expect(r.stages[0]).toMatchObject({ rows_in: 6, rows_out: 3, rejected: 3 });
    const rejects = await readRows(join(dir, 'lake/rejects/2026-01-01/raw.parquet'), 'source_line');
    expect(rejects.map((x) => [x['source_line'], String(x['reject_reason']).slice(0, 24)])).toEqual([
      ['3', 'line 3: Expected Number '],
      ['5', 'line 5: Expected Number '],
      ['6', "age: cannot read 'old' a"],
    ]);
    const out = await readRows(join(dir, 'lake/curated/people/data.csv'), 'id');
    expect(out.map((x) => x['name'])).toEqual(['Ann', 'Cho, Li', 'Fay']);
  });

  it('a CSV column named rowid (which hides DuckDB\'s own) does not change the rejects\' source rows', async () => {
    // a file's own "rowid" column, counting down; the bad ages are on data rows 2 and 4 (lines 3 and 5)
    const spec = RAGGED_SPEC.replace('{ name: id, type: integer }', '{ name: RowId, type: integer }');
    const csv = 'RowId,name,age\n90,Ann,30\n80,Bob,x\n70,Cy,22\n60,Di,y\n50,Ed,41\n';
    const dir = await makeProject(spec, { 'people.csv': csv });
    made.push(dir);
    const r = await runProject(dir, { run_date: '2026-01-01' });
    expect(r.exit_code).toBe(0);
    const rejects = await readRows(join(dir, 'lake/rejects/2026-01-01/raw.parquet'), 'source_row');
    expect(rejects.map((x) => [x['source_row'], x['source_line'], x['RowId']])).toEqual([
      ['2', '3', '80'],
      ['4', '5', '60'],
    ]);
    const out = await readRows(join(dir, 'lake/curated/people/data.csv'), 'name');
    expect(out.map((x) => [x['name'], x['RowId']])).toEqual([['Ann', '90'], ['Cy', '70'], ['Ed', '50']]);
  });

  it('a mis-encoded CSV yields a reject for the bad line, not a crash', async () => {
    const bytes = Buffer.concat([Buffer.from('id,name,age\n1,Ann,30\n2,'), Buffer.from([0x4a, 0xf6, 0x72, 0x67]), Buffer.from(',41\n3,Cy,22\n')]);
    const dir = await makeProject(RAGGED_SPEC, { 'people.csv': bytes });
    made.push(dir);
    const r = await runProject(dir, { run_date: '2026-01-01' });
    expect(r.exit_code).toBe(0);
    expect(r.stages[0]).toMatchObject({ rows_out: 2, rejected: 1 });
    const [bad] = await readRows(join(dir, 'lake/rejects/2026-01-01/raw.parquet'));
    expect(bad).toMatchObject({ source_line: '3' });
    expect(String(bad!['reject_reason'])).toMatch(/^line 3: .*(unicode|UTF)/i);
  });

  it('a truncated parquet source fails the run with the file named (exit 1), no stack trace', async () => {
    const spec = RAGGED_SPEC.replace('format: csv\n    path: people.csv\n    options: { encoding: utf-8 }', 'format: parquet\n    path: people.parquet');
    const dir = await makeProject(spec, { 'people.parquet': Buffer.from('PAR1\u0000\u0001garbage') });
    made.push(dir);
    const res = await cli(['run', dir, '--param', 'run_date=2026-01-01']);
    expect(res.code).toBe(1);
    // the file is checked before any stage reads it, so the error names the source and the file
    expect(res.stderr).toMatch(/error: source 'people': raw\/people\/2026-01-01\/people\.parquet is not a readable Parquet file/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the CLI', () => {
  it('validate lists every problem with file:line:col and exits 2', async () => {
    const dir = await makeProject(RAGGED_SPEC.replace('source: people', 'source: peple').replace('input: raw, format: csv', 'input: rw, format: csv'));
    made.push(dir);
    const res = await cli(['validate', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/pipeline\.yaml:13:\d+: error: unknown source 'peple' — did you mean 'people'\?/);
    expect(res.stderr).toMatch(/pipeline\.yaml:14:\d+: error: unknown stage 'rw' — did you mean 'raw'\?/);
  });

  it('run exits 1 with a one-line cause when a source has no file', async () => {
    const dir = await makeProject(RAGGED_SPEC);
    made.push(dir);
    const res = await cli(['run', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error: source 'people': no file in .* matches people\.csv/);
  });

  it('run --json prints the report; exit 3 when an error rule fails', async () => {
    const dir = await sample();
    const res = await cli(['run', dir, '--param', 'run_date=2026-11-25', '--json']);
    expect(res.code).toBe(3);
    const report = JSON.parse(res.stdout) as { exit_code: number; rules: { name: string; status: string }[] };
    expect(report.exit_code).toBe(3);
    expect(report.rules.find((r) => r.name === 'settled_matches_sold')?.status).toBe('fail');
    expect(res.stderr).toContain('settled_matches_sold');
  });

  it('rejects an unknown parameter with exit 2', async () => {
    const res = await cli(['run', await sample(), '--param', 'rundate=2026-11-24']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown parameter 'rundate'");
  });
});
