import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunHistory } from '../ops/history.js';
import { removeDir } from '../testing/fixtures.js';
import { danglingLinks, dateOf, expectedIds, ids, makeTinyProject, runTiny, type CliResult } from './tinyLakeTestkit.js';

/**
 * An orchestrator catching up: 16 runs of different dates and 4 of one more date, all at once on
 * one lake, as separate processes of the built CLI. Before the one-commit publishing and the
 * lock written with its owner inside, runs exited 0 while other runs deleted their partitions.
 */
const DISTINCT = 16;
const SAME_DAY = DISTINCT; // a 17th date, run 4 times at once
const ROUNDS = 5;
const MIN = 10;
const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

const clearMessage = (r: CliResult) => /error: /.test(r.stderr) && !/\n\s+at /.test(r.stderr);

describe('concurrent runs on one lake', () => {
  it(`${DISTINCT} dates plus 4 runs of one date at once, ${ROUNDS} times: no run that succeeds loses data`, { timeout: 900_000 }, async () => {
    const days = [...Array.from({ length: DISTINCT }, (_, i) => i), SAME_DAY];
    const dir = await makeTinyProject(days, MIN);
    made.push(dir);
    const lake = join(dir, 'lake');
    for (let round = 0; round < ROUNDS; round++) {
      await rm(lake, { recursive: true, force: true });
      const plan = [...days.slice(0, DISTINCT), SAME_DAY, SAME_DAY, SAME_DAY, SAME_DAY];
      const results = await Promise.all(plan.map((d) => runTiny(dir, d)));
      const ok = new Set(plan.filter((_, k) => results[k]!.code === 0));
      for (const [k, r] of results.entries()) {
        if (r.code !== 0) expect(clearMessage(r), `round ${round}, run of ${dateOf(plan[k]!)} exited ${r.code}: ${r.stderr}`).toBe(true);
      }
      // every partition, and every day's rejects, of a run that exited 0 is there, with its rows
      const partitions = (await readdir(join(lake, 'curated/daily'))).sort();
      expect(partitions).toEqual([...ok].sort((a, b) => a - b).map((d) => `day=${dateOf(d)}`));
      for (const d of ok) {
        const part = join(lake, 'curated/daily', `day=${dateOf(d)}`);
        expect(await ids(`${part}/*.parquet`, part), `round ${round}, ${dateOf(d)}`).toEqual(expectedIds(d, MIN).kept);
        const rejects = join(lake, 'rejects', dateOf(d));
        expect(await ids(`${rejects}/*.parquet`, rejects)).toEqual(expectedIds(d, MIN).rejected);
      }
      // `latest` is whole: the rows of exactly one of the runs
      const latest = await ids(join(lake, 'curated/latest/data.csv'), join(lake, 'curated/latest'));
      expect([...ok].map((d) => expectedIds(d, MIN).kept)).toContainEqual(latest);
      expect(await danglingLinks(join(lake, 'curated'))).toEqual([]);
      expect(await danglingLinks(join(lake, 'rejects'))).toEqual([]);
      const history = await readRunHistory(lake);
      expect(history.filter((e) => e.status === 'succeeded')).toHaveLength(results.filter((r) => r.code === 0).length);
      // with a lock that is never stolen and waits instead of failing, no run has a reason to fail
      expect(results.map((r) => r.code)).toEqual(plan.map(() => 0));
    }
  });
});
