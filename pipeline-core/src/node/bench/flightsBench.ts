import { execFile } from 'node:child_process';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { quoteString } from '../../core/compile/sql.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { REPO_ROOT } from '../testing/fixtures.js';
import { flightsProject } from './flights.js';
import { cpSha256, landOnce, MB, median, type Measured } from './measure.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'pipeline-core', 'bin', 'batchbook.js');
const SQL_CHILD = join(REPO_ROOT, 'pipeline-core', 'dist', 'node', 'bench', 'sqlChild.js');
const TIME = '/usr/bin/time';

const AIRPORT_COLUMNS = "{'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR', 'lat': 'VARCHAR', 'lon': 'VARCHAR'}";
const cannotRead = (c: string) => `CASE WHEN ${c} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL THEN '${c}: cannot read ''' || ${c} || ''' as double' END`;

/**
 * The flights pipeline as a careful engineer writes it in DuckDB SQL with the same outputs and
 * checks as `batchbook run`: the small dimension typed once with its bad rows' reasons, every
 * check (unique, not-null, relationship, row count) counted, the rejects file with reason and
 * source row, and the output. The fact file is read where it is needed (one pass for the checks,
 * one for the rejects, one for the output), never copied.
 */
export function flightsHandSql(dataDir: string, outDir: string): string {
  const flights = quoteString(join(dataDir, 'flights', '*.parquet'));
  return `
CREATE TABLE airports AS
SELECT upper(trim(iata)) AS iata, name, city, trim(state) AS state, TRY_CAST(lat AS DOUBLE) AS lat, TRY_CAST(lon AS DOUBLE) AS lon,
       coalesce(${cannotRead('lat')}, ${cannotRead('lon')}) AS reason, row_number() OVER () AS source_row
FROM read_csv(${quoteString(join(dataDir, 'airports.csv'))}, header = true, auto_detect = false, columns = ${AIRPORT_COLUMNS}, store_rejects = true);
CREATE TABLE airport_checks AS
SELECT (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM airports WHERE reason IS NULL AND iata IS NOT NULL GROUP BY iata HAVING count(*) > 1)) AS not_unique,
       count(*) FILTER (WHERE iata IS NULL OR state IS NULL) AS nulls
FROM airports WHERE reason IS NULL;
CREATE VIEW flights AS
SELECT flight_date, carrier, upper(trim(origin)) AS origin, upper(trim(dest)) AS dest, dep_delay, distance,
       concat(CAST(year(flight_date) AS VARCHAR), '-', lpad(CAST(month(flight_date) AS VARCHAR), 2, '0')) AS year_month,
       dep_delay > 15 AS is_late, file_row_number + 1 AS source_row
FROM read_parquet(${flights}, file_row_number = true);
CREATE TABLE flight_checks AS
SELECT count(*) AS n, count(*) FILTER (WHERE origin IS NULL) AS null_origin,
       count(*) FILTER (WHERE origin IS NOT NULL AND origin NOT IN (SELECT iata FROM airports WHERE reason IS NULL)) AS orphans
FROM flights;
COPY (SELECT 'airports' AS source, reason, source_row FROM airports WHERE reason IS NOT NULL
      UNION ALL SELECT 'flights', 'null in origin', source_row FROM flights WHERE origin IS NULL ORDER BY ALL)
TO ${quoteString(join(outDir, 'rejects.parquet'))} (FORMAT parquet);
COPY (SELECT a.state, f.year_month, count(*) AS flights, avg(f.dep_delay) AS avg_delay, sum(CASE WHEN f.is_late THEN 1 ELSE 0 END) AS late
      FROM flights f JOIN airports a ON a.iata = f.origin
      WHERE a.reason IS NULL AND f.origin IS NOT NULL GROUP BY ALL ORDER BY ALL)
TO ${quoteString(join(outDir, 'data.parquet'))} (FORMAT parquet);
`;
}

/** The same outputs only, one statement: the floor. */
export function flightsMinimalSql(dataDir: string, outDir: string): string {
  return `COPY (
  SELECT a.state, concat(CAST(year(f.flight_date) AS VARCHAR), '-', lpad(CAST(month(f.flight_date) AS VARCHAR), 2, '0')) AS year_month,
         count(*) AS flights, avg(f.dep_delay) AS avg_delay, count(*) FILTER (WHERE f.dep_delay > 15) AS late
  FROM read_parquet(${quoteString(join(dataDir, 'flights', '*.parquet'))}) f
  JOIN (SELECT upper(trim(iata)) AS iata, trim(state) AS state FROM read_csv(${quoteString(join(dataDir, 'airports.csv'))}, header = true, auto_detect = false, columns = ${AIRPORT_COLUMNS})
        WHERE TRY_CAST(lat AS DOUBLE) IS NOT NULL) a ON a.iata = upper(trim(f.origin))
  GROUP BY ALL ORDER BY ALL
) TO ${quoteString(join(outDir, 'data.parquet'))} (FORMAT parquet);`;
}

/** Runs a command under /usr/bin/time: wall, CPU (user + system) and peak RSS of the whole process. */
export async function timed(label: string, cmd: string, args: readonly string[], okCodes = [0]): Promise<Measured> {
  const t0 = performance.now();
  let stderr = '';
  let code = 0;
  try {
    ({ stderr } = await run(TIME, ['-f', 'BBTIME %e %U %S %M', cmd, ...args], { maxBuffer: 64 << 20 }));
  } catch (e) {
    const err = e as { stderr?: string; code?: number };
    stderr = err.stderr ?? '';
    code = err.code ?? 1;
  }
  const wall = (performance.now() - t0) / 1000;
  const m = /BBTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (!okCodes.includes(code) || !m) throw new Error(`${label} failed (exit ${code}):\n${stderr.slice(-2000)}`);
  return { label, wall, cpu: Number(m[2]) + Number(m[3]), rss: Number(m[4]) * 1024 };
}

interface Side {
  readonly label: string;
  prepare(): Promise<void>;
  measure(): Promise<Measured>;
  /** The output file this side wrote, compared with the hand SQL's. */
  readonly output: string;
}

async function sides(dir: string): Promise<Side[]> {
  const data = join(dir, 'data');
  const lake = join(dir, 'lake');
  const exportDir = join(dir, 'export');
  const scriptOut = join(dir, 'script-out');
  const handOut = join(dir, 'hand-out');
  const minOut = join(dir, 'min-out');
  await writeFile(join(dir, 'hand.sql'), flightsHandSql(data, handOut));
  await writeFile(join(dir, 'minimal.sql'), flightsMinimalSql(data, minOut));
  return [
    {
      label: 'hand-written SQL with every check',
      output: join(handOut, 'data.parquet'),
      prepare: async () => {
        await rm(handOut, { recursive: true, force: true });
        await mkdir(handOut, { recursive: true });
      },
      measure: () => timed('hand SQL', process.execPath, [SQL_CHILD, join(dir, 'hand.sql')]),
    },
    {
      label: 'batchbook run --replay',
      output: join(lake, 'curated', 'delays_by_state_month', 'data.parquet'),
      prepare: async () => {},
      // exit 0: the rules that fail are warnings (null origins rejected, orphan origins reported)
      measure: () => timed('batchbook run', process.execPath, [CLI, 'run', dir, '--lake', lake, '--replay']),
    },
    {
      label: 'exported DuckDB script (pipeline.sql)',
      output: join(scriptOut, 'curated', 'delays_by_state_month', 'data.parquet'),
      prepare: async () => {
        await rm(scriptOut, { recursive: true, force: true });
        for (const d of ['validation/2024-12-31', 'rejects/2024-12-31', 'curated/delays_by_state_month']) await mkdir(join(scriptOut, d), { recursive: true });
      },
      measure: () => timed('exported script', process.execPath, [SQL_CHILD, join(exportDir, 'duckdb', 'pipeline.sql'), `input_root=${data}`, `output_root=${scriptOut}`]),
    },
    {
      label: 'hand-written SQL, output only (floor)',
      output: join(minOut, 'data.parquet'),
      prepare: async () => {
        await rm(minOut, { recursive: true, force: true });
        await mkdir(minOut, { recursive: true });
      },
      measure: () => timed('minimal SQL', process.execPath, [SQL_CHILD, join(dir, 'minimal.sql')]),
    },
  ];
}

/** Rows of two Parquet outputs compared as multisets (averages to 9 decimals). */
async function sameRows(a: string, b: string): Promise<boolean> {
  const engine = await NodeDuckdbEngine.open();
  try {
    const q = (f: string) => `SELECT state, year_month, CAST(flights AS BIGINT) AS flights, round(avg_delay, 9) AS avg_delay, CAST(late AS BIGINT) AS late FROM read_parquet(${quoteString(f)})`;
    const [row] = await engine.query(`SELECT (SELECT count(*) FROM (${q(a)} EXCEPT ALL ${q(b)})) + (SELECT count(*) FROM (${q(b)} EXCEPT ALL ${q(a)})) AS diff, (SELECT count(*) FROM (${q(a)})) AS n`);
    return Number(row?.['diff']) === 0 && Number(row?.['n']) > 0;
  } finally {
    engine.close();
  }
}

export interface FlightsFigures {
  readonly rows: number;
  readonly medians: ReadonlyMap<string, Measured>;
}

/** The flights pipeline at one size: every side alternated `reps` times, medians and ratios printed. */
export async function benchFlights(rows: number, reps: number): Promise<FlightsFigures> {
  await access(TIME).catch(() => {
    throw new Error(`${TIME} is needed to measure CPU time and peak RSS of whole processes (apt-get install time)`);
  });
  const dir = await flightsProject(join(REPO_ROOT, '.bench', `flights-${rows}`), rows);
  const lake = join(dir, 'lake');
  // landing into a fresh lake, against cp + sha256sum of the same files: alternated, medians (one
  // of each takes a fraction of a second at 3M rows, too little for a single pair to compare)
  const landings: Measured[] = [];
  const copies: Measured[] = [];
  for (let i = 0; i < reps; i++) {
    await rm(lake, { recursive: true, force: true });
    landings.push(await landOnce(dir, lake));
    copies.push(await cpSha256(join(dir, 'data'), join(dir, 'cp-copy')));
  }
  const landing = median(landings);
  const copy = median(copies);
  await rm(join(dir, 'export'), { recursive: true, force: true });
  await run(process.execPath, [CLI, 'export', dir, '--target', 'duckdb', '--out', join(dir, 'export')], { maxBuffer: 64 << 20 }).catch((e: { stderr?: string }) => {
    throw new Error(`export failed: ${e.stderr ?? e}`);
  });
  const all = await sides(dir);
  const samples = new Map<string, Measured[]>(all.map((s) => [s.label, []]));
  for (let i = 0; i < reps; i++) {
    for (const s of all) {
      await s.prepare();
      samples.get(s.label)!.push(await s.measure());
    }
  }
  const medians = new Map([...samples].map(([k, v]) => [k, median(v)]));
  const hand = medians.get(all[0]!.label)!;
  const equal = await Promise.all(all.slice(1, 3).map((s) => sameRows(s.output, all[0]!.output)));
  const out = process.stdout;
  out.write(`\n== flights: ${rows.toLocaleString('en-US')} rows (Parquet facts + CSV airports), medians of ${reps}, sides alternated ==\n`);
  out.write(`${'side'.padEnd(40)} ${'wall s'.padStart(8)} ${'CPU s'.padStart(8)} ${'peak RSS'.padStart(9)}  wall/hand  CPU/hand\n`);
  for (const s of all) {
    const m = medians.get(s.label)!;
    out.write(`${s.label.padEnd(40)} ${m.wall.toFixed(2).padStart(8)} ${m.cpu.toFixed(2).padStart(8)} ${MB(m.rss).padStart(9)}  ${(m.wall / hand.wall).toFixed(2).padStart(8)}x ${(m.cpu / hand.cpu).toFixed(2).padStart(8)}x\n`);
  }
  const runner = medians.get(all[1]!.label)!;
  const script = medians.get(all[2]!.label)!;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  out.write(`batchbook run / hand SQL with checks: wall ${(runner.wall / hand.wall).toFixed(2)}x, CPU ${(runner.cpu / hand.cpu).toFixed(2)}x (aim <= 1.5x): ${verdict(runner.wall <= 1.5 * hand.wall && runner.cpu <= 1.5 * hand.cpu)}\n`);
  out.write(`exported script / batchbook run: wall ${(script.wall / runner.wall).toFixed(2)}x (aim <= 1.2x): ${verdict(script.wall <= 1.2 * runner.wall)}\n`);
  out.write(`peak RSS: run ${MB(runner.rss)} vs hand ${MB(hand.rss)} + 300 MB or the 2 GB memory limit: ${verdict(runner.rss <= Math.max(hand.rss + 300 * 2 ** 20, 2 * 2 ** 30))}\n`);
  out.write(`landing ${landing.wall.toFixed(2)} s vs cp + sha256sum ${copy.wall.toFixed(2)} s: ${(landing.wall / copy.wall).toFixed(2)}x (aim <= 1.2x): ${verdict(landing.wall <= 1.2 * copy.wall)}\n`);
  out.write(`outputs equal to the hand SQL's: batchbook run ${equal[0] ? 'yes' : 'NO'}, exported script ${equal[1] ? 'yes' : 'NO'}\n`);
  return { rows, medians };
}

/** Both sizes, then whether cost grows linearly: the runner's large/small time ratio against the hand SQL's. */
/** Both sizes and how cost grows between them; one size (`--flights 3000000`) measures just that size. */
export async function benchFlightsScaling(small: number, large: number | undefined, reps: number): Promise<void> {
  const a = await benchFlights(small, reps);
  if (large === undefined || !Number.isFinite(large)) return;
  const b = await benchFlights(large, reps);
  const side = (f: FlightsFigures, i: number) => [...f.medians.values()][i]!;
  for (const what of ['wall', 'cpu'] as const) {
    const handGrowth = side(b, 0)[what] / side(a, 0)[what];
    const runGrowth = side(b, 1)[what] / side(a, 1)[what];
    const ok = runGrowth <= 1.2 * handGrowth;
    process.stdout.write(`growth ${large / small}x data (${what}): batchbook run ${runGrowth.toFixed(2)}x, hand SQL ${handGrowth.toFixed(2)}x → ratio ${(runGrowth / handGrowth).toFixed(2)} (aim <= 1.2): ${ok ? 'met' : 'MISSED'}\n`);
  }
}
