import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../runner/report.js';
import { copySample, removeDir } from '../testing/fixtures.js';
import { diffRuns } from './diff.js';
import { readRunHistory } from './history.js';
import { batchbook, runWithOps } from './opsTestkit.js';
import { resolveRun } from './runRef.js';

/** Run history and diff over the reconciliation sample's two nights (expectations: its README). */
let dir: string;
let lake: string;
let day1: RunReport;
let day2: RunReport;

beforeAll(async () => {
  dir = await copySample('nightly-reconciliation');
  lake = join(dir, 'lake');
  day1 = await runWithOps(dir, { run_date: '2026-11-24' }, {});
  day2 = await runWithOps(dir, { run_date: '2026-11-25' }, {});
});
afterAll(() => removeDir(dir));

describe('run history', () => {
  it('lists both nights oldest first, with status and failures, and finds runs by id prefix, date or latest~n', async () => {
    const h = await readRunHistory(lake);
    expect(h.map((e) => [e.params['run_date'], e.status, e.exit_code])).toEqual([
      ['2026-11-24', 'succeeded', 0],
      ['2026-11-25', 'failed', 3],
    ]);
    expect((await resolveRun(lake, 'latest')).report.run_id).toBe(day2.run_id);
    expect((await resolveRun(lake, 'latest~1')).report.run_id).toBe(day1.run_id);
    expect((await resolveRun(lake, '2026-11-24')).report.run_id).toBe(day1.run_id);
    expect((await resolveRun(lake, day2.run_id.slice(0, 20))).report.run_id).toBe(day2.run_id);
    await expect(resolveRun(lake, 'latest~5')).rejects.toThrow(/only 2 finished runs/);
    await expect(resolveRun(lake, '2026-11-26')).rejects.toThrow(/no run with run_date=2026-11-26/);
  });

  it('finds a run that lost its index line, and shows a killed run (a log, no report) as incomplete', async () => {
    const other = join(dir, 'lake-copy');
    await mkdir(join(other, 'runs', day1.run_id), { recursive: true });
    await writeFile(join(other, 'runs', day1.run_id, 'report.json'), JSON.stringify(day1));
    // killed an hour after day 1 ran (the runs themselves are stamped with the clock of the test run)
    const killedAt = new Date(Date.parse(day1.started_at) + 3_600_000).toISOString();
    const killed = `${killedAt.slice(0, 19).replace(/[-:]/g, '')}Z-dead00`;
    await mkdir(join(other, 'runs', killed), { recursive: true });
    await writeFile(join(other, 'runs', killed, 'log.jsonl'), `${JSON.stringify({ level: 'info', time: killedAt, run_id: killed, pipeline: 'nightly_reconciliation', event: 'run_start', params: { run_date: '2026-11-26' } })}\n`);
    const h = await readRunHistory(other);
    expect(h.map((e) => [e.run_id, e.status])).toEqual([
      [day1.run_id, 'succeeded'],
      [killed, 'incomplete'],
    ]);
    const listed = await batchbook(['runs', dir, '--lake', other]);
    expect(listed.stdout).toMatch(new RegExp(`${killed}\\s+2026-11-26\\s+incomplete`));
  });
});

describe('diff of the two nights', () => {
  it('shows the rules that changed, the row counts per stage and which outputs differ', () => {
    const d = diffRuns(day1, day2);
    expect(d.spec_changed).toBe(false);
    expect(d.params).toEqual([{ name: 'run_date', a: '2026-11-24', b: '2026-11-25' }]);
    const change = (name: string) => d.rules.find((r) => r.name === name)?.change;
    expect(change('settled_matches_sold')).toBe('newly_failing'); // M003 short on day 2
    expect(change('orphan_payment')).toBe('fixed'); // day 1 only
    expect(change('refund_without_order')).toBe('newly_failing'); // day 2 only
    expect(d.rules.filter((r) => r.change !== 'same')).toHaveLength(3);
    expect(d.stages.find((s) => s.stage === 'raw_orders')).toMatchObject({ a: { rows_in: 45 }, b: { rows_in: 41 } }); // POS records
    expect(d.inputs.map((i) => [i.source, i.change])).toEqual([
      ['pos_orders', 'changed'],
      ['settlements', 'changed'],
      ['refunds', 'changed'],
    ]);
    // day 2 publishes nothing (a fail-action rule failed)
    expect(d.outputs.map((o) => [o.stage, o.change])).toEqual([
      ['reconciled_orders', 'removed'],
      ['merchant_daily', 'removed'],
      ['refunds_out', 'removed'],
    ]);
  });

  it('a replay of the same night differs in nothing but the run', async () => {
    const again = await runWithOps(dir, { run_date: '2026-11-24' }, {});
    const d = diffRuns(day1, again);
    expect(d.rules.every((r) => r.change === 'same')).toBe(true);
    expect(d.outputs.map((o) => o.change)).toEqual(['same', 'same', 'same']);
    expect(d.inputs.map((i) => i.change)).toEqual(['same', 'same', 'same']);
  });

  it('batchbook diff prints it by run date', async () => {
    const r = await batchbook(['diff', '2026-11-24', '2026-11-25', '--project', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✗ reconciliation\.settled_matches_sold \(reconcile, error\)\s+pass → FAIL \(1\)/);
    expect(r.stdout).toMatch(/✓ checked_settlements\.orphan_payment \(relationship, warn\)\s+FAIL \(1\) → pass/);
    expect(r.stdout).toMatch(/raw_orders\s+ingest\s+45\s+41/);
    const bad = await batchbook(['diff', 'nope', 'latest', '--project', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no run 'nope' in this lake");
  });
});
