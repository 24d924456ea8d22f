import { lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { readRows, removeDir, runProject } from '../testing/fixtures.js';
import { danglingLinks, dateOf, expectedIds, ids, makeTinyProject } from './tinyLakeTestkit.js';

/**
 * A lake written by the runner before one-commit publishing: `curated/<output>` and
 * `rejects/<date>` were links to whole version folders under `.versions/`, or (older still)
 * plain folders. The first run on it adopts what it writes into and keeps everything else.
 */
const OTHER_DAY = 0;
const DAY = 1;
const MIN = 10;
const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const engine = await NodeDuckdbEngine.open();
  try {
    return await engine.query(sql);
  } finally {
    engine.close();
  }
}

async function writeParquet(file: string, ids: readonly number[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const rows = ids.map((id) => `(${id}::BIGINT, 1::BIGINT)`).join(', ');
  await query(`COPY (SELECT * FROM (VALUES ${rows}) AS t(id, amount)) TO '${file}' (FORMAT parquet)`);
}

/** `at` → a version folder under .versions, the way the old publish made it. */
async function legacyLink(lake: string, unit: string): Promise<string> {
  const version = join(lake, '.versions', unit, '20261101T000000Z-aaaaaa');
  await mkdir(version, { recursive: true });
  await mkdir(dirname(join(lake, unit)), { recursive: true });
  await symlink(relative(dirname(join(lake, unit)), version), join(lake, unit));
  return version;
}

describe('a lake of the layout before one-commit publishing', () => {
  it('is adopted by the first run: its other partitions and rejects stay readable, nothing dangles', async () => {
    const dir = await makeTinyProject([OTHER_DAY, DAY], MIN);
    made.push(dir);
    const lake = join(dir, 'lake');
    // the partitioned output: a link to a version holding OTHER_DAY's partition and a stale DAY partition
    const daily = await legacyLink(lake, 'curated/daily');
    await writeParquet(join(daily, `day=${dateOf(OTHER_DAY)}`, 'data_0.parquet'), expectedIds(OTHER_DAY, MIN).kept);
    await writeParquet(join(daily, `day=${dateOf(DAY)}`, 'data_0.parquet'), [999]);
    // rejects of another day, untouched by the run; `latest` as a plain folder of the oldest layout
    await writeParquet(join(await legacyLink(lake, `rejects/${dateOf(OTHER_DAY)}`), 'clean.parquet'), expectedIds(OTHER_DAY, MIN).rejected);
    await mkdir(join(lake, 'curated/latest'), { recursive: true });
    await writeFile(join(lake, 'curated/latest/data.csv'), 'id,day,amount\n998,x,1\n');

    expect((await runProject(dir, { run_date: dateOf(DAY) })).exit_code).toBe(0);

    const all = [...expectedIds(OTHER_DAY, MIN).kept, ...expectedIds(DAY, MIN).kept].sort((a, b) => a - b);
    // what an external reader runs: every committed partition, with its hive column
    const rows = await query(`SELECT id, day FROM read_parquet('${join(lake, 'curated/daily')}/**/*.parquet', hive_partitioning = true) ORDER BY id`);
    expect(rows.map((r) => [Number(r['id']), r['day']])).toEqual(all.map((id) => [id, dateOf(Math.floor(id / 10))]));
    expect((await lstat(join(lake, 'curated/daily'))).isSymbolicLink()).toBe(false);
    expect(await ids(join(lake, 'curated/latest/data.csv'), join(lake, 'curated/latest'))).toEqual(expectedIds(DAY, MIN).kept);
    expect(await ids(join(lake, `rejects/${dateOf(OTHER_DAY)}/*.parquet`), join(lake, `rejects/${dateOf(OTHER_DAY)}`))).toEqual(expectedIds(OTHER_DAY, MIN).rejected);
    expect(await ids(join(lake, `rejects/${dateOf(DAY)}/*.parquet`), join(lake, `rejects/${dateOf(DAY)}`))).toEqual(expectedIds(DAY, MIN).rejected);
    expect(await danglingLinks(join(lake, 'curated'))).toEqual([]);
    expect(await danglingLinks(join(lake, 'rejects'))).toEqual([]);
    // the adopted version folder is gone (its files live on as hard links in the units)
    expect(await readdir(join(lake, '.versions/curated/daily'))).toEqual([]);

    // and the lake keeps working: another run of the other day keeps DAY's partition
    expect((await runProject(dir, { run_date: dateOf(OTHER_DAY) })).exit_code).toBe(0);
    expect((await readRows(join(lake, 'curated/daily/*/*.parquet'), 'id')).map((r) => Number(r['id']))).toEqual(all);
  });
});
