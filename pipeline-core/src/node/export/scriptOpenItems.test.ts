import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbOutputDirs } from '../../core/export/duckdb/duckdbTarget.js';
import { loadSpec } from '../../core/spec/load.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { openProject } from '../project/project.js';
import { makeProject, readRows, removeDir, runProject } from '../testing/fixtures.js';
import { exportProject } from './exportProject.js';

/**
 * The exported DuckDB script carries a match stage's open items across run dates under its
 * output root, as `batchbook run` does in its lake: it reads the latest EARLIER date's state,
 * never a later one, and writes its own. Expected rows are worked out by hand from the files.
 */
const SPEC = `version: 1
name: carried
sources:
  orders: { format: csv, path: "orders/o_{run_date}.csv", schema: [{ name: id, type: integer }, { name: ref, type: string }, { name: amount, type: "decimal(10,2)" }] }
  settlements: { format: csv, path: "settlements/s_{run_date}.csv", schema: [{ name: ref, type: string }, { name: paid, type: "decimal(10,2)" }] }
stages:
  - { name: raw_orders, kind: ingest, source: orders }
  - { name: raw_settlements, kind: ingest, source: settlements }
  - { name: settle, kind: match, left: raw_orders, right: raw_settlements, keys: [{ left: ref, right: ref, normalise: [upper] }], amount: { left: amount, right: paid } }
  - { name: matched_out, kind: output, input: settle.matched, format: parquet, path: "matched/{run_date}" }
  - { name: open_left_out, kind: output, input: settle.unmatched_left, format: parquet, path: "open_left/{run_date}" }
  - { name: open_right_out, kind: output, input: settle.unmatched_right, format: parquet, path: "open_right/{run_date}" }
`;

// day 1: order 2 stays open; day 2: its settlement arrives (late) with order 3's; day 3: order 4 and settlement x stay open
const FILES = {
  'orders/o_2026-05-01.csv': 'id,ref,amount\n1,A,10.00\n2,B,20.00\n',
  'settlements/s_2026-05-01.csv': 'ref,paid\na,10.00\n',
  'orders/o_2026-05-02.csv': 'id,ref,amount\n3,C,5.00\n',
  'settlements/s_2026-05-02.csv': 'ref,paid\nb,20.00\nc,5.00\n',
  'orders/o_2026-05-03.csv': 'id,ref,amount\n4,D,7.00\n',
  'settlements/s_2026-05-03.csv': 'ref,paid\nx,1.00\n',
  'orders/o_2026-05-04.csv': 'id,ref,amount\n5,E,1.00\n',
  'settlements/s_2026-05-04.csv': 'ref,paid\n',
};
const DAYS = ['2026-05-01', '2026-05-02', '2026-05-03'];

let dir: string;
let out: string;
let script: string;

/** A project, its exported script and the script's output root. */
interface ScriptRun {
  readonly dir: string;
  readonly out: string;
  readonly script: string;
  readonly specText: string;
}

async function exported(specText: string): Promise<ScriptRun> {
  const projectDir = await makeProject(specText, FILES);
  const project = await openProject(projectDir);
  await exportProject({ project: project as Parameters<typeof exportProject>[0]['project'], target: 'duckdb', out: join(projectDir, 'export'), params: { run_date: DAYS[0]! }, toolVersion: '0.0.0', preview: false });
  return { dir: projectDir, out: join(projectDir, 'script-out'), script: await readFile(join(projectDir, 'export', 'duckdb', 'pipeline.sql'), 'utf8'), specText };
}

/** Runs the script as run.sh does: its folders first, then each statement, with the run's variables set. */
async function runScript(runDate: string, run: ScriptRun = { dir, out, script, specText: SPEC }): Promise<void> {
  const spec = loadSpec(run.specText).spec!;
  for (const d of duckdbOutputDirs(spec)) await mkdir(join(run.out, d.replace('{run_date}', runDate)), { recursive: true });
  const engine = await NodeDuckdbEngine.open();
  try {
    for (const [k, v] of Object.entries({ run_date: runDate, input_root: join(run.dir, 'data'), output_root: run.out })) await engine.exec(`SET VARIABLE ${k} = '${v}'`);
    for (const statement of run.script.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)+$/.test(s))) await engine.exec(statement);
  } finally {
    engine.close();
  }
}

const ids = async (path: string, col = 'id') => (await readRows(path)).map((r) => String(r[col]));
const matched = async (root: string, d: string) => (await readRows(join(root, 'curated', 'matched', d, 'data.parquet'))).map((r) => `${String(r['id'])}~${String(r['right_ref'])} opened ${String(r['left_opened'])}`).sort();

beforeAll(async () => {
  ({ dir, out, script } = await exported(SPEC));
  for (const d of DAYS) {
    expect((await runProject(dir, { run_date: d })).exit_code).toBe(0);
    await runScript(d);
  }
});
afterAll(async () => {
  if (dir) await removeDir(dir);
});

describe('the DuckDB script carries open items across run dates', () => {
  it('clears an earlier night’s order with a later settlement and keeps what stays open, night by night', async () => {
    expect(await matched(out, DAYS[0]!)).toEqual(['1~a opened 2026-05-01']);
    expect(await matched(out, DAYS[1]!)).toEqual(['2~b opened 2026-05-01', '3~c opened 2026-05-02']);
    expect(await readRows(join(out, 'curated', 'matched', DAYS[2]!, 'data.parquet'))).toEqual([]);
    expect(await ids(join(out, 'curated', 'open_left', DAYS[0]!, 'data.parquet'))).toEqual(['2']);
    expect(await ids(join(out, 'curated', 'open_left', DAYS[1]!, 'data.parquet'))).toEqual([]);
    expect(await ids(join(out, 'curated', 'open_left', DAYS[2]!, 'data.parquet'))).toEqual(['4']);
    expect(await ids(join(out, 'curated', 'open_right', DAYS[2]!, 'data.parquet'), 'ref')).toEqual(['x']);
  });

  it('writes each date’s open items where the runner keeps them, with the same rows', async () => {
    for (const d of DAYS) {
      for (const side of ['left', 'right']) {
        const file = join('state', 'settle', `run_date=${d}`, `open_${side}.parquet`);
        expect(await readRows(join(out, file)), file).toEqual(await readRows(join(dir, 'lake', file)));
      }
    }
    expect(await ids(join(out, 'state', 'settle', 'run_date=2026-05-01', 'open_left.parquet'))).toEqual(['2']);
  });

  it('re-running an earlier date reads the state before it, never a later date’s', async () => {
    await runScript(DAYS[1]!); // after day 3 ran: day 3's open order 4 and settlement x must not appear
    expect(await matched(out, DAYS[1]!)).toEqual(['2~b opened 2026-05-01', '3~c opened 2026-05-02']);
    expect(await ids(join(out, 'state', 'settle', `run_date=${DAYS[1]}`, 'open_left.parquet'))).toEqual([]);
    expect(await ids(join(out, 'state', 'settle', `run_date=${DAYS[1]}`, 'open_right.parquet'), 'ref')).toEqual([]);
    await runScript(DAYS[0]!); // the first date: nothing earlier, nothing carried
    expect(await ids(join(out, 'state', 'settle', `run_date=${DAYS[0]}`, 'open_left.parquet'))).toEqual(['2']);
  });

  it('stops with the state file and the missing column named when the carried state lacks a column', async () => {
    const file = join(out, 'state', 'settle', 'run_date=2026-05-03', 'open_left.parquet');
    const engine = await NodeDuckdbEngine.open();
    try {
      await engine.exec(`COPY (SELECT id, ref, _bb_opened, _bb_seq FROM read_parquet('${file}')) TO '${file}.tmp' (FORMAT parquet)`);
    } finally {
      engine.close();
    }
    await rm(file);
    await rename(`${file}.tmp`, file);
    await expect(runScript('2026-05-04')).rejects.toThrow(/match stage 'settle': the open items kept in .*run_date=2026-05-03\/open_left\.parquet have no column amount, which 'raw_orders' has now/);
  });
});

describe('a night whose outputs a fail-action rule holds back', () => {
  // at most one order a night, or the outputs are held back: day 1 (two orders) publishes nothing, its open items included
  const HELD = SPEC.replace(
    '  - { name: settle, kind: match, left: raw_orders,',
    '  - { name: checked, kind: validate, input: raw_orders, rules: [{ name: few, rule: row_count, max: 1, severity: warn, action: fail }] }\n  - { name: settle, kind: match, left: checked,',
  );

  it('keeps no open items for it, as the runner keeps none: the next night carries nothing from it', async () => {
    const held = await exported(HELD);
    try {
      expect((await runProject(held.dir, { run_date: DAYS[0]! })).published).toBe(false);
      await expect(runScript(DAYS[0]!, held)).rejects.toThrow(/outputs not published: rule\(s\) with action fail failed: checked.few/);
      expect((await runProject(held.dir, { run_date: DAYS[1]! })).published).toBe(true);
      await runScript(DAYS[1]!, held);
      // by hand: order 2 was never kept open, so settlement b finds nothing; c clears order 3
      expect(await matched(held.out, DAYS[1]!)).toEqual(['3~c opened 2026-05-02']);
      expect(await ids(join(held.out, 'curated', 'open_right', DAYS[1]!, 'data.parquet'), 'ref')).toEqual(['b']);
      const state = join('state', 'settle', `run_date=${DAYS[1]}`, 'open_right.parquet');
      expect(await readRows(join(held.out, state))).toEqual(await readRows(join(held.dir, 'lake', state)));
    } finally {
      await removeDir(held.dir);
    }
  });
});
