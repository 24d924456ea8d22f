import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySample, removeDir, runProject } from '../testing/fixtures.js';
import type { RunReport } from './report.js';
import { matchSummaryLine } from '../../core/ops/matchReport.js';

/**
 * The settlement-matching sample over its week. Every expected number is the hand derivation in
 * samples/settlement-matching/README.md ("Expected results"), not program output.
 */
const DATES = ['23', '24', '25', '26', '27', '28', '29'].map((d) => `2026-11-${d}`);
let dir: string;
const runs: RunReport[] = [];

beforeAll(async () => {
  dir = await copySample('settlement-matching');
  for (const d of DATES) runs.push(await runProject(dir, { run_date: d }));
}, 180_000);
afterAll(() => removeDir(dir));

const m = (i: number) => runs[i]!.matches![0]!;

describe('settlement-matching over a week', () => {
  it('matches, clears late settlements and carries open items night by night', () => {
    expect(runs.map((_, i) => [m(i).matched, m(i).cleared_late_left, m(i).mismatched, m(i).unmatched_left, m(i).unmatched_right])).toEqual([
      [1, 0, 0, 4, 0],
      [2, 2, 0, 7, 0],
      [3, 2, 0, 12, 0],
      [6, 4, 0, 11, 1],
      [6, 5, 1, 9, 1],
      [6, 5, 0, 8, 1],
      [4, 3, 0, 9, 1],
    ]);
    expect(runs.map((r) => r.exit_code)).toEqual([0, 0, 0, 0, 0, 3, 3]);
  });

  it('one payout clears the three INV-0042 orders on 11-27; ORD-1126-02 is mismatched by 0.05', () => {
    expect(m(4).matched_one_to_many).toBe(3);
    const amounts = m(4).amounts!;
    expect(amounts.mismatched_right - amounts.mismatched_left).toBeCloseTo(0.05, 9);
  });

  it('the never-settled order turns into an error after three days', () => {
    expect(runs[4]!.rules.find((r) => r.name === 'open_items_age')?.status).toBe('pass');
    const failing = runs[5]!.rules.find((r) => r.name === 'open_items_age')!;
    expect(failing).toMatchObject({ status: 'fail', severity: 'error', failing: 1 });
    expect([failing.samples[0]?.['key'], Number(failing.samples[0]?.['age_days'])]).toEqual(['ORD-1124-03 | M001', 4]);
    expect(matchSummaryLine(m(5))).toBe('6 matched, 5 cleared late (items from 2026-11-25, 2026-11-26, 2026-11-27), 1 order open for 4 days — error, 7 orders open within 3 days, 1 settlement open within 3 days');
  });
});
