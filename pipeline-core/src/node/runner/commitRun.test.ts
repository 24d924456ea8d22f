import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readReport, readRunHistory } from '../ops/history.js';
import { readRows, removeDir, runProject } from '../testing/fixtures.js';
import { dateOf, expectedIds, ids, makeTinyProject, runTiny, tinySpec, danglingLinks } from './tinyLakeTestkit.js';

/**
 * One commit per run, proven with SIGKILL at every step of publishing: after the kill, the
 * outputs, the rejects and the killed run's report are all of the previous run, or all of the
 * killed run — never a mix — and the next run cleans up what the killed one left.
 */
const STEPS = ['commit-locked', 'commit-versions', 'commit-written', 'commit-linked', 'commit-swapped', 'commit-reported'] as const;
const OTHER_DAY = 0;
const DAY = 1;
const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

interface LakeState {
  readonly daily: number[];
  readonly otherDay: number[];
  readonly latest: number[];
  readonly rejects: number[];
}

async function lakeState(lake: string): Promise<LakeState> {
  const part = (i: number) => join(lake, 'curated/daily', `day=${dateOf(i)}`);
  return {
    daily: await ids(`${part(DAY)}/*.parquet`, part(DAY)),
    otherDay: await ids(`${part(OTHER_DAY)}/*.parquet`, part(OTHER_DAY)),
    latest: await ids(join(lake, 'curated/latest/data.csv'), join(lake, 'curated/latest/data.csv')),
    rejects: await ids(join(lake, `rejects/${dateOf(DAY)}/*.parquet`), join(lake, `rejects/${dateOf(DAY)}/clean.parquet`)),
  };
}

/** The state after a run of DAY at threshold `min`, derived by hand (OTHER_DAY ran at 10 first). */
function expectedState(min: number): LakeState {
  const day = expectedIds(DAY, min);
  return { daily: day.kept, otherDay: expectedIds(OTHER_DAY, 10).kept, latest: day.kept, rejects: day.rejected };
}

const runIds = async (lake: string) => (await readdir(join(lake, 'runs'))).filter((n) => /^\d{8}T/.test(n)).sort();

describe('a run killed with SIGKILL while publishing', () => {
  // several runs each: a generous timeout for a loaded CI machine
  for (const step of STEPS) it(`at ${step} leaves outputs, rejects and report all old or all new; the next run cleans up`, { timeout: 240_000 }, async () => {
    const dir = await makeTinyProject([OTHER_DAY, DAY], 10);
    made.push(dir);
    const lake = join(dir, 'lake');
    // only the killed run needs its own process; the others run here, which is faster
    expect((await runProject(dir, { run_date: dateOf(OTHER_DAY) })).exit_code).toBe(0);
    expect((await runProject(dir, { run_date: dateOf(DAY) })).exit_code).toBe(0);
    const old = expectedState(10);
    expect(await lakeState(lake)).toEqual(old);

    await writeFile(join(dir, 'pipeline.yaml'), tinySpec(20));
    const before = await runIds(lake);
    const killed = await runTiny(dir, DAY, { BATCHBOOK_FAILPOINT: step });
    expect(killed.signal).toBe('SIGKILL');
    const killedId = (await runIds(lake)).find((id) => !before.includes(id))!;
    const after = await lakeState(lake);
    const report = await readReport(lake, killedId);
    const isNew = ['commit-swapped', 'commit-reported'].includes(step);
    expect(after).toEqual(isNew ? expectedState(20) : old);
    expect(report !== undefined).toBe(isNew);
    if (report) expect(report.published).toBe(true);
    // `batchbook runs` reads the history through the commit as well
    const entry = (await readRunHistory(lake)).find((e) => e.run_id === killedId);
    expect(entry?.status).toBe(isNew ? 'succeeded' : 'incomplete');
    expect(await danglingLinks(join(lake, 'curated'))).toEqual([]);

    // the next run recovers: the killed run's report is copied out, its leftovers are gone
    expect((await runProject(dir, { run_date: dateOf(DAY) })).exit_code).toBe(0);
    expect(await lakeState(lake)).toEqual(expectedState(20));
    if (isNew) expect(JSON.parse(await readFile(join(lake, 'runs', killedId, 'report.json'), 'utf8'))).toMatchObject({ run_id: killedId });
    for (const leftover of ['.staging', '.tmp', '.locks']) expect(await readdir(join(lake, leftover)).catch(() => [])).toEqual([]);
    expect(await readdir(join(lake, '.commits'))).toHaveLength(1);
    // one version of each unit the runs wrote, one version of each trie node: the garbage is gone
    for (const unit of [`curated/daily/day=${dateOf(DAY)}`, `curated/daily/day=${dateOf(OTHER_DAY)}`, 'curated/latest', `rejects/${dateOf(DAY)}`]) {
      expect(await readdir(join(lake, '.units', unit)), unit).toHaveLength(1);
    }
    for (const node of await readdir(join(lake, '.tree'))) expect(await readdir(join(lake, '.tree', node)), node).toHaveLength(1);
  });
});

describe('the first commit of a new date, killed with SIGKILL', () => {
  const NEW_DAY = 2;
  const hive = async (lake: string) =>
    (await readRows(`${join(lake, 'curated/daily')}/**/*.parquet`, 'id')).map((r) => Number(r['id']));

  it('before its swap leaves nothing an external reader sees; after it, everything', { timeout: 240_000 }, async () => {
    const dir = await makeTinyProject([OTHER_DAY, NEW_DAY], 10);
    made.push(dir);
    const lake = join(dir, 'lake');
    expect((await runProject(dir, { run_date: dateOf(OTHER_DAY) })).exit_code).toBe(0);

    expect((await runTiny(dir, NEW_DAY, { BATCHBOOK_FAILPOINT: 'commit-linked' })).signal).toBe('SIGKILL');
    // its links are made, and dangle: the recursive glob DuckDB users run sees only the old day
    expect((await danglingLinks(join(lake, 'curated'))).length).toBeGreaterThan(0);
    expect(await hive(lake)).toEqual(expectedIds(OTHER_DAY, 10).kept);
    expect(await ids(join(lake, 'curated/latest/data.csv'), join(lake, 'curated/latest'))).toEqual(expectedIds(OTHER_DAY, 10).kept);

    expect((await runTiny(dir, NEW_DAY, { BATCHBOOK_FAILPOINT: 'commit-swapped' })).signal).toBe('SIGKILL');
    expect(await hive(lake)).toEqual([...expectedIds(OTHER_DAY, 10).kept, ...expectedIds(NEW_DAY, 10).kept]);
    expect(await ids(join(lake, `rejects/${dateOf(NEW_DAY)}/*.parquet`), join(lake, `rejects/${dateOf(NEW_DAY)}`))).toEqual(expectedIds(NEW_DAY, 10).rejected);

    // the next run tidies what both killed runs left
    expect((await runProject(dir, { run_date: dateOf(OTHER_DAY) })).exit_code).toBe(0);
    expect(await danglingLinks(join(lake, 'curated'))).toEqual([]);
    expect(await danglingLinks(join(lake, 'rejects'))).toEqual([]);
    expect(await readdir(join(lake, '.commits'))).toHaveLength(1);
    expect(await hive(lake)).toEqual([...expectedIds(OTHER_DAY, 10).kept, ...expectedIds(NEW_DAY, 10).kept]);
  });
});
