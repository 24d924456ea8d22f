import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { generateSample } from '../samples/generate.js';
import { openProject } from '../project/project.js';
import { runPipeline } from '../runner/run.js';
import { quoteString } from '../../core/compile/sql.js';
import type { RunReport } from '../../core/ops/runReport.js';
import { REPO_ROOT } from '../testing/fixtures.js';

export interface BenchFigures {
  readonly label: string;
  readonly seconds: number;
  readonly peakRssBytes: number;
}

const BENCH_DIR = join(REPO_ROOT, '.bench');

function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(t), Math.max(peak, process.memoryUsage().rss)) };
}

/** The ml-history project at a scale, generated once and kept in .bench/ (gitignored). */
export async function mlHistoryProject(scale: number): Promise<string> {
  const dir = join(BENCH_DIR, `ml-history-x${scale}`);
  const marker = join(dir, '.generated');
  const ok = await readFile(marker, 'utf8').then((s) => s === String(scale), () => false);
  if (!ok) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    process.stderr.write(`generating ml-history at scale ${scale} (${(scale * 20_000).toLocaleString('en-US')} rows)…\n`);
    await generateSample('ml-history', { scale, seed: 20261127, outDir: join(dir, 'samples') });
    await cp(join(REPO_ROOT, 'samples', 'ml-history', 'pipeline.yaml'), join(dir, 'pipeline.yaml'));
    await cp(join(dir, 'samples', 'ml-history', 'data'), join(dir, 'data'), { recursive: true });
    await rm(join(dir, 'samples'), { recursive: true, force: true });
    await writeFile(marker, String(scale));
  }
  return dir;
}

const CSV_COLUMNS = "{'sale_id': 'VARCHAR', 'sale_date': 'VARCHAR', 'store_id': 'VARCHAR', 'product_id': 'VARCHAR', 'units': 'VARCHAR', 'unit_price': 'VARCHAR', 'discount': 'VARCHAR', 'channel': 'VARCHAR'}";

const AGGREGATE = `SELECT sale_month, sale_date, day_of_week, store_id, count(*) AS lines, sum(units) AS units,
         sum(CASE WHEN is_return THEN 1 ELSE 0 END) AS returns, sum(revenue) AS revenue,
         count(DISTINCT product_id) AS products, avg(CASE WHEN channel = 'store' THEN 0.0 ELSE 1.0 END) AS online_share`;

/**
 * The ml-history pipeline written by hand as one streaming statement: read, type, clean,
 * aggregate, write. No rejects, no checks, no counts: the floor a careful engineer cannot beat.
 */
export function minimalHandWrittenSql(dataDir: string, outDir: string): string[] {
  const files = quoteString(join(dataDir, 'sales', 'sales_*.csv'));
  return [`COPY (
  WITH typed AS (
    SELECT TRY_CAST(sale_id AS BIGINT) AS sale_id, TRY_CAST(sale_date AS DATE) AS sale_date, store_id, product_id,
           TRY_CAST(units AS BIGINT) AS units, TRY_CAST(unit_price AS DECIMAL(10,2)) AS unit_price,
           TRY_CAST(discount AS DECIMAL(4,2)) AS discount, channel
    FROM read_csv(${files}, header = true, auto_detect = false, columns = ${CSV_COLUMNS})
  ), clean AS (
    SELECT *, units < 0 AS is_return, units * unit_price * (1 - discount) AS revenue,
           date_trunc('month', sale_date)::DATE AS sale_month, isodow(sale_date) AS day_of_week
    FROM typed
    WHERE store_id IS NOT NULL AND sale_id IS NOT NULL AND sale_date IS NOT NULL AND units IS NOT NULL AND unit_price IS NOT NULL
      AND units BETWEEN -50 AND 50
  )
  ${AGGREGATE}
  FROM clean GROUP BY ALL ORDER BY ALL
) TO ${quoteString(outDir)} (FORMAT parquet, PARTITION_BY (sale_month), OVERWRITE_OR_IGNORE true)`];
}

function badValue(c: string, t: string): string {
  return `CASE WHEN ${c} IS NOT NULL AND TRY_CAST(${c} AS ${t}) IS NULL THEN ${quoteString(`${c}: cannot read '`)} || ${c} || ${quoteString(`' as ${t}`)} END`;
}

/**
 * The same pipeline written by hand to give the same results as `batchbook run`: a typed
 * staging table whose bad rows are kept with a reason (and the reader's rejects), the cleaned
 * table, the rule checks, the rejects file and the partitioned output.
 */
export function equivalentHandWrittenSql(dataDir: string, outDir: string): string[] {
  const files = quoteString(join(dataDir, 'sales', 'sales_*.csv'));
  return [
    `CREATE TABLE staged AS
SELECT TRY_CAST(sale_id AS BIGINT) AS sale_id, TRY_CAST(sale_date AS DATE) AS sale_date, store_id, product_id,
       TRY_CAST(units AS BIGINT) AS units, TRY_CAST(unit_price AS DECIMAL(10,2)) AS unit_price, TRY_CAST(discount AS DECIMAL(4,2)) AS discount, channel,
       file_index, NULLIF(concat_ws('; ', ${badValue('sale_id', 'BIGINT')}, ${badValue('sale_date', 'DATE')}, ${badValue('units', 'BIGINT')}, ${badValue('discount', 'DECIMAL(4,2)')}), '') AS reason
FROM read_csv(${files}, header = true, auto_detect = false, columns = ${CSV_COLUMNS}, store_rejects = true)`,
    `CREATE TABLE cleaned AS
SELECT *, CASE WHEN store_id IS NULL THEN 'store_id is null' WHEN units NOT BETWEEN -50 AND 50 THEN 'units out of range' END AS reason2,
       units < 0 AS is_return, units * unit_price * (1 - discount) AS revenue, date_trunc('month', sale_date)::DATE AS sale_month, isodow(sale_date) AS day_of_week
FROM staged WHERE reason IS NULL`,
    `SELECT count(*) FILTER (WHERE channel NOT IN ('store', 'online', 'app')) AS bad_channel, count(*) AS n FROM cleaned WHERE reason2 IS NULL`,
    `SELECT count(*) AS duplicates FROM (SELECT sale_id FROM cleaned WHERE reason2 IS NULL GROUP BY sale_id HAVING count(*) > 1)`,
    `COPY (SELECT reason, file_index, sale_id FROM staged WHERE reason IS NOT NULL UNION ALL SELECT reason2, file_index, sale_id FROM cleaned WHERE reason2 IS NOT NULL UNION ALL SELECT error_message, file_id, NULL FROM reject_errors ORDER BY ALL)
  TO ${quoteString(`${outDir}-rejects.parquet`)} (FORMAT parquet)`,
    `COPY (${AGGREGATE} FROM cleaned WHERE reason2 IS NULL GROUP BY ALL ORDER BY ALL)
  TO ${quoteString(outDir)} (FORMAT parquet, PARTITION_BY (sale_month), OVERWRITE_OR_IGNORE true)`,
  ];
}

async function timeIt<T>(label: string, f: () => Promise<T>): Promise<{ figures: BenchFigures; value: T }> {
  const mem = peakRss();
  const t0 = performance.now();
  const value = await f();
  const seconds = (performance.now() - t0) / 1000;
  return { figures: { label, seconds, peakRssBytes: mem.stop() }, value };
}

const MB = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** batchbook run vs hand-written DuckDB SQL on the same ml-history files, in one process. */
export async function benchRunner(scale: number, memoryLimit = '2GB', reps = 3): Promise<void> {
  const dir = await mlHistoryProject(scale);
  const project = await openProject(dir);
  if (!project.loaded.spec) throw new Error('ml-history spec is invalid');
  const rows = scale * 20_000;
  const lake = join(dir, 'lake');
  await rm(lake, { recursive: true, force: true });

  const handRun = (label: string, sql: (data: string, out: string) => string[]) =>
    timeIt(label, async () => {
      const out = join(dir, 'hand-out');
      await rm(out, { recursive: true, force: true });
      await rm(`${out}-rejects.parquet`, { force: true });
      const engine = await NodeDuckdbEngine.open({ memoryLimit, tempDirectory: join(dir, 'hand-tmp') });
      try {
        for (const statement of sql(project.inbox, out)) await engine.exec(statement);
      } finally {
        engine.close();
      }
    });
  const run = (label: string) =>
    timeIt(label, () =>
      runPipeline({ spec: project.loaded.spec!, specText: project.specText, projectDir: dir, inbox: project.inbox, lake, params: {}, memoryLimit }),
    );
  const first = await run('batchbook run (first: lands the raw files)');
  // the other sides alternate, `reps` times each, and each is shown by its median run: one run of
  // 10M rows varies by 10-30 % on a shared machine, more than the differences measured
  type Timed<T> = { figures: BenchFigures; value: T };
  const rounds: { minimal: Timed<void>[]; hand: Timed<void>[]; again: Timed<RunReport>[]; replay: Timed<RunReport>[] } = { minimal: [], hand: [], again: [], replay: [] };
  for (let i = 0; i < reps; i++) {
    rounds.minimal.push(await handRun('hand-written SQL, minimal (output only)', minimalHandWrittenSql));
    rounds.hand.push(await handRun('hand-written SQL, same results', equivalentHandWrittenSql));
    rounds.again.push(await run('batchbook run (again: raw already landed)'));
    rounds.replay.push(
      await timeIt('batchbook run --replay (no inbox)', () =>
        runPipeline({ spec: project.loaded.spec!, specText: project.specText, projectDir: dir, inbox: project.inbox, lake, params: {}, memoryLimit, replay: true }),
      ),
    );
  }
  const median = <T extends { figures: BenchFigures }>(xs: T[]): T => [...xs].sort((a, b) => a.figures.seconds - b.figures.seconds)[Math.floor(xs.length / 2)]!;
  const [minimal, hand, again, replay] = [median(rounds.minimal), median(rounds.hand), median(rounds.again), median(rounds.replay)];
  for (const r of [first, ...rounds.again, ...rounds.replay]) if (r.value.status !== 'succeeded') throw new Error(`${r.figures.label}: ${r.value.status} ${r.value.error?.message ?? ''}`);
  const inputBytes = first.value.landed.flatMap((l) => l.files).reduce((a, f) => a + f.bytes, 0);
  process.stdout.write(`\n== runner: ml-history, ${rows.toLocaleString('en-US')} rows, ${MB(inputBytes)} of CSV, memory limit ${memoryLimit}; medians of ${reps}, sides alternated (the first run once) ==\n`);
  for (const r of [minimal, hand, first, again, replay]) {
    const f = r.figures;
    process.stdout.write(`${f.label.padEnd(44)} ${f.seconds.toFixed(2).padStart(7)} s  ${(rows / f.seconds / 1e6).toFixed(2)} M rows/s  peak RSS ${MB(f.peakRssBytes)}\n`);
  }
  const stageMs = again.value.stages.reduce((a, s) => a + s.ms, 0);
  process.stdout.write(`stages alone (again): ${(stageMs / 1000).toFixed(2)} s\n`);
  const ratio = (a: { figures: BenchFigures }, b: { figures: BenchFigures }) => `${(a.figures.seconds / b.figures.seconds).toFixed(2)}x`;
  const aimMet = again.figures.seconds <= 1.2 * hand.figures.seconds;
  process.stdout.write(`ratio batchbook run (raw landed) / hand-written same results: ${ratio(again, hand)} (aim: <= 1.2x): ${aimMet ? 'met' : 'MISSED'}\n`);
  process.stdout.write(`ratio batchbook run --replay / hand-written same results:     ${ratio(replay, hand)}\n`);
  process.stdout.write(`ratio first run (with landing) / hand-written same results:   ${ratio(first, hand)}\n`);
  process.stdout.write(`ratio batchbook run (raw landed) / hand-written minimal:      ${ratio(again, minimal)}\n`);
  const outBytes = (await Promise.all(again.value.outputs.flatMap((o) => o.files).map((f) => stat(join(lake, f.path)).then((s) => s.size)))).reduce((a, b) => a + b, 0);
  process.stdout.write(`outputs: ${again.value.outputs.map((o) => `${o.path} ${o.rows.toLocaleString('en-US')} rows`).join(', ')} (${MB(outBytes)}); peak memory reported by the run: ${MB(again.value.peak_memory_bytes ?? 0)}\n`);
}
