import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../project/project.js';
import { runBackfill } from '../ops/backfill.js';
import { sha256File } from './land.js';
import { makeProject, readRows, removeDir, runProject } from '../testing/fixtures.js';
import type { RunReport } from './report.js';
import { matchSummaryLine } from '../../core/ops/matchReport.js';
import { formatRunDetail } from '../ops/runsView.js';

/**
 * Open items carried across four nights. Worked out by hand:
 *   03-01  orders 1 A, 2 B, 3 C; settlement A      → 1 matched; open 2 (age 0), 3 (age 0)
 *   03-02  order 4 D; settlement B                 → 2 cleared late (from 03-01); open 3 (1), 4 (0)
 *   03-03  no order; settlement D                  → 4 cleared late (from 03-02); open 3 (2): allowed
 *   03-04  nothing                                 → open 3 (3 days): over max_age_days 2 → exit 3
 */
const SPEC = `version: 1
name: carry
sources:
  orders: { format: csv, path: "orders/{run_date}*.csv", schema: [{ name: id, type: integer }, { name: ref, type: string }, { name: amount, type: "decimal(10,2)" }, { name: d, type: date }] }
  settlements: { format: csv, path: "settlements/{run_date}*.csv", schema: [{ name: sid, type: string }, { name: ref, type: string }, { name: paid, type: "decimal(10,2)" }, { name: on_day, type: date }] }
stages:
  - { name: o, kind: ingest, source: orders }
  - { name: s, kind: ingest, source: settlements }
  - name: settle
    kind: match
    left: o
    right: s
    keys: [ref]
    amount: { left: amount, right: paid }
    date: { left: d, right: on_day, within_days: 3 }
    labels: { left: order, right: settlement }
    open_items: { max_age_days: 2, severity: error }
  - { name: matched_out, kind: output, input: settle.matched, format: parquet, path: "matched/{run_date}" }
  - { name: open_out, kind: output, input: settle.unmatched_left, format: parquet, path: "open_orders/{run_date}" }
`;
const O = 'id,ref,amount,d\n';
const S = 'sid,ref,paid,on_day\n';
const FILES = {
  'orders/2026-03-01.csv': `${O}1,A,10.00,2026-03-01\n2,B,20.00,2026-03-01\n3,C,30.00,2026-03-01\n`,
  'settlements/2026-03-01.csv': `${S}S1,A,10.00,2026-03-01\n`,
  'orders/2026-03-02.csv': `${O}4,D,40.00,2026-03-02\n`,
  'settlements/2026-03-02.csv': `${S}S2,B,20.00,2026-03-02\n`,
  'orders/2026-03-03.csv': O,
  'settlements/2026-03-03.csv': `${S}S3,D,40.00,2026-03-03\n`,
  'orders/2026-03-04.csv': O,
  'settlements/2026-03-04.csv': S,
};
const DATES = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];

let dir: string;
const runs: RunReport[] = [];
const lake = () => join(dir, 'lake');
const match = (r: RunReport) => r.matches![0]!;
const stateFiles = async (date: string) => Promise.all(['open_left', 'open_right'].map((f) => sha256File(join(lake(), `state/settle/run_date=${date}/${f}.parquet`))));
const outputShas = (r: RunReport) => r.outputs.flatMap((o) => o.files.map((f) => `${f.path}:${f.sha256}`));

beforeAll(async () => {
  dir = await makeProject(SPEC, FILES);
  for (const d of DATES) runs.push(await runProject(dir, { run_date: d }));
}, 120_000);
afterAll(() => removeDir(dir));

describe('open items carried across nights', () => {
  it('clears late settlements on later nights and says which dates they came from', () => {
    expect(runs.map((r) => r.exit_code)).toEqual([0, 0, 0, 3]);
    expect(runs.map((r) => [match(r).matched, match(r).unmatched_left, match(r).cleared_late_left])).toEqual([
      [1, 2, 0],
      [1, 2, 1],
      [1, 1, 1],
      [0, 1, 0],
    ]);
    expect(match(runs[1]!)).toMatchObject({ carried_from: '2026-03-01', cleared_from: ['2026-03-01'], left_items: 3, right_items: 1 });
    expect(match(runs[2]!)).toMatchObject({ carried_from: '2026-03-02', cleared_from: ['2026-03-02'] });
    expect(match(runs[0]!).carried_from).toBeUndefined();
  });

  it('ages the never-settled order into an error after max_age_days', async () => {
    expect(runs[2]!.rules.find((r) => r.name === 'open_items_age')).toMatchObject({ status: 'pass', failing: 0 });
    expect(runs[3]!.rules.find((r) => r.name === 'open_items_age')).toMatchObject({ status: 'fail', severity: 'error', failing: 1 });
    expect(match(runs[3]!).open_items).toEqual([{ side: 'left', key: 'C', opened: '2026-03-01', age_days: 3, amount: 30 }]);
    expect(matchSummaryLine(match(runs[3]!))).toBe('0 matched, 1 order open for 3 days — error');
    expect(matchSummaryLine(match(runs[1]!))).toBe('1 matched, 1 cleared late (items from 2026-03-01), 2 orders open within 2 days');
    const prom = await readFile(join(lake(), 'runs', runs[3]!.run_id, 'metrics.prom'), 'utf8');
    expect(prom).toContain('batchbook_match_open_over_age{pipeline="carry",stage="settle",side="left"} 1');
    expect(prom).toContain('batchbook_match_items{pipeline="carry",stage="settle",category="unmatched_left"} 1');
    // runs --show: the open items with their ages, the one over the limit marked
    const shown = formatRunDetail(runs[3]!, 'x', []).replace(/\x1b\[[0-9;]*m/g, '');
    expect(shown).toMatch(/order\s+C\s+2026-03-01\s+3\s+30\.00\s+too old/);
    expect(shown).toContain('open orders           1  30.00');
    const open = await readRows(join(lake(), 'curated/open_orders/2026-03-04/data.parquet'));
    expect(open.map((r) => [Number(r['id']), String(r['opened']), Number(r['age_days'])])).toEqual([[3, '2026-03-01', 3]]);
  });

  it('re-running a date after later ones gives byte-identical outputs and state, and nothing is stale', async () => {
    const before = await Promise.all(DATES.map(stateFiles));
    const again = await runProject(dir, { run_date: '2026-03-02' });
    expect(outputShas(again)).toEqual(outputShas(runs[1]!));
    expect(await Promise.all(DATES.map(stateFiles))).toEqual(before);
    expect(match(again)).toMatchObject({ carried_from: '2026-03-01', stale_dates: [] });
  });

  it('a corrected earlier date changes its state, names the later dates now stale and leaves their state alone', async () => {
    const later = await Promise.all(DATES.slice(1).map(stateFiles));
    // C's settlement, delivered late as a correction file for 03-01 (the raw zone keeps the first file)
    await writeFile(join(dir, 'data/settlements/2026-03-01_fix.csv'), `${S}S9,C,30.00,2026-03-01\n`);
    const fixed = await runProject(dir, { run_date: '2026-03-01' });
    expect(match(fixed)).toMatchObject({ matched: 2, unmatched_left: 1, stale_dates: ['2026-03-02', '2026-03-03', '2026-03-04'] });
    expect(await Promise.all(DATES.slice(1).map(stateFiles))).toEqual(later);
  });
});

describe('a spec changed between nights', () => {
  it('names the column the carried open items lack, instead of failing in SQL', async () => {
    const other = await makeProject(SPEC, FILES);
    try {
      expect((await runProject(other, { run_date: DATES[0]! })).exit_code).toBe(0);
      // the orders gain a column: the open items kept for 03-01 do not have it
      const changed = SPEC.replace("{ name: d, type: date }] }", "{ name: d, type: date }, { name: note, type: string }] }");
      await writeFile(join(other, 'pipeline.yaml'), changed);
      await writeFile(join(other, 'data/orders/2026-03-02.csv'), `id,ref,amount,d,note\n4,D,40.00,2026-03-02,x\n`);
      const r = await runProject(other, { run_date: DATES[1]! });
      expect(r.exit_code).toBe(1);
      expect(r.error?.message).toBe(
        "match stage 'settle': the open items kept for 2026-03-01 (state/settle/run_date=2026-03-01/open_left.parquet) have no column 'note', which 'o' has now: re-run the earlier dates with this spec (batchbook backfill), so that their open items have it",
      );
    } finally {
      await removeDir(other);
    }
  }, 60_000);
});

describe('backfill of the same range', () => {
  it('gives the same matched and open-item outputs and state as the runs in order', async () => {
    const other = await makeProject(SPEC, FILES);
    try {
      const p = await openProject(other);
      const summary = await runBackfill({ spec: p.loaded.spec!, specText: p.specText, projectDir: p.dir, inbox: p.inbox, lake: join(other, 'lake'), from: DATES[0]!, to: DATES.at(-1)!, parallel: 2, threads: 1, memoryLimit: '256MB' });
      expect(summary.failures_total).toBe(1); // 03-04: the aged order (exit 3)
      for (const [i, d] of DATES.entries()) {
        for (const out of ['matched', 'open_orders']) {
          const a = await sha256File(join(other, 'lake', `curated/${out}/${d}/data.parquet`));
          expect(a, `${out} ${d}`).toBe(runs[i]!.outputs.flatMap((o) => o.files).find((f) => f.path === `curated/${out}/${d}/data.parquet`)!.sha256);
        }
      }
      const states = await readdir(join(other, 'lake/state/settle'));
      expect(states.filter((n) => n.startsWith('run_date=')).sort()).toEqual(DATES.map((d) => `run_date=${d}`));
      expect(await readFile(join(other, 'lake/state/settle/run_date=2026-03-03/open_left.parquet'))).toEqual(await readFile(join(lake(), 'state/settle/run_date=2026-03-03/open_left.parquet')));
    } finally {
      await removeDir(other);
    }
  }, 120_000);
});
