import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteString } from '../../core/compile/sql.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { REPO_ROOT } from '../testing/fixtures.js';
import { timed } from './flightsBench.js';
import { MB, median, type Measured } from './measure.js';

const CLI = join(REPO_ROOT, 'pipeline-core', 'bin', 'batchbook.js');
const SQL_CHILD = join(REPO_ROOT, 'pipeline-core', 'dist', 'node', 'bench', 'sqlChild.js');
const RUN_DATE = '2026-11-24';
const OUTPUTS = ['matched', 'mismatched', 'unmatched_left', 'unmatched_right'] as const;

const SPEC = `version: 1
name: match_bench
sources:
  orders:
    format: parquet
    path: orders/orders_{run_date}.parquet
    schema: [{ name: order_id, type: string }, { name: merchant_id, type: string }, { name: order_date, type: date }, { name: amount, type: "decimal(12,2)" }]
  settlements:
    format: parquet
    path: settlements/settlements_{run_date}.parquet
    schema: [{ name: settlement_id, type: string }, { name: order_ref, type: string }, { name: settled_on, type: date }, { name: paid, type: "decimal(12,2)" }]
stages:
  - { name: orders_in, kind: ingest, source: orders }
  - { name: settlements_in, kind: ingest, source: settlements }
  - name: settle
    kind: match
    left: orders_in
    right: settlements_in
    keys: [{ left: order_id, right: order_ref }]
    amount: { left: amount, right: paid }
    tolerance: { absolute: 0.01 }
    date: { left: order_date, right: settled_on, within_days: 3 }
${OUTPUTS.map((o) => `  - { name: ${o}_out, kind: output, input: settle.${o}, format: parquet, path: ${o} }`).join('\n')}
`;

/**
 * 1M orders and 1M settlements: 97 % settle their order 0–3 days later (one in a hundred of
 * those 0.50 off: mismatched), 3 % of the settlements have no order; so 3 % of orders stay open.
 */
async function generate(dir: string, rows: number): Promise<void> {
  const marker = join(dir, '.generated');
  if ((await readFile(marker, 'utf8').catch(() => '')) === String(rows)) return;
  await rm(dir, { recursive: true, force: true });
  for (const d of ['data/orders', 'data/settlements']) await mkdir(join(dir, d), { recursive: true });
  const engine = await NodeDuckdbEngine.open();
  try {
    const orders = `SELECT 'O' || i AS order_id, 'M' || (i % 500) AS merchant_id, DATE '2026-11-20' + CAST(i % 5 AS INTEGER) AS order_date, CAST((i * 37 % 100000) / 100 + 1 AS DECIMAL(12,2)) AS amount FROM range(${rows}) t(i)`;
    await engine.exec(`COPY (${orders}) TO ${quoteString(join(dir, 'data/orders', `orders_${RUN_DATE}.parquet`))} (FORMAT parquet)`);
    const settlements = `SELECT 'S' || i AS settlement_id, CASE WHEN i % 100 < 97 THEN 'O' || i ELSE 'X' || i END AS order_ref,
      DATE '2026-11-20' + CAST(i % 5 + i % 4 AS INTEGER) AS settled_on,
      CAST((i * 37 % 100000) / 100 + 1 + CASE WHEN i % 100 = 5 THEN 0.5 ELSE 0 END AS DECIMAL(12,2)) AS paid FROM range(${rows}) t(i)`;
    await engine.exec(`COPY (${settlements}) TO ${quoteString(join(dir, 'data/settlements', `settlements_${RUN_DATE}.parquet`))} (FORMAT parquet)`);
  } finally {
    engine.close();
  }
  await writeFile(join(dir, 'pipeline.yaml'), SPEC);
  await writeFile(marker, String(rows));
}

/**
 * The same night's matching as a careful engineer writes it by hand: candidate pairs on the key
 * within the date window, a pair kept when it is the best (closest amount, then date, then ids)
 * for both its order and its settlement — within tolerance first, then the rest as mismatched —
 * and the four outputs written sorted, as the runner writes them.
 */
function handSql(dir: string, out: string): string {
  const data = (f: string) => quoteString(join(dir, 'data', f));
  const best = (where: string) => `SELECT lid, rid FROM cand WHERE ${where} QUALIFY row_number() OVER (PARTITION BY lid ORDER BY gap, day_gap, rid) = 1 AND row_number() OVER (PARTITION BY rid ORDER BY gap, day_gap, lid) = 1`;
  return `
CREATE TABLE l AS SELECT *, row_number() OVER (ORDER BY order_id, merchant_id, order_date, amount) AS lid FROM read_parquet(${data(`orders/orders_${RUN_DATE}.parquet`)});
CREATE TABLE r AS SELECT *, row_number() OVER (ORDER BY settlement_id, order_ref, settled_on, paid) AS rid FROM read_parquet(${data(`settlements/settlements_${RUN_DATE}.parquet`)});
CREATE TABLE cand AS SELECT l.lid, r.rid, abs(r.paid - l.amount) AS gap, date_diff('day', l.order_date, r.settled_on) AS day_gap
  FROM l JOIN r ON l.order_id = r.order_ref AND r.settled_on BETWEEN l.order_date AND l.order_date + 3;
CREATE TABLE pm AS ${best('gap <= 0.01')};
CREATE TABLE px AS ${best('gap > 0.01 AND lid NOT IN (SELECT lid FROM pm) AND rid NOT IN (SELECT rid FROM pm)')};
COPY (SELECT l.order_id, l.merchant_id, l.order_date, l.amount, r.settlement_id, r.order_ref, r.settled_on, r.paid, r.paid - l.amount AS amount_diff, date_diff('day', l.order_date, r.settled_on) AS days_late
      FROM pm JOIN l USING (lid) JOIN r USING (rid) ORDER BY ALL) TO ${quoteString(join(out, 'matched.parquet'))} (FORMAT parquet);
COPY (SELECT l.order_id, l.merchant_id, l.order_date, l.amount, r.settlement_id, r.order_ref, r.settled_on, r.paid, r.paid - l.amount AS amount_diff, date_diff('day', l.order_date, r.settled_on) AS days_late
      FROM px JOIN l USING (lid) JOIN r USING (rid) ORDER BY ALL) TO ${quoteString(join(out, 'mismatched.parquet'))} (FORMAT parquet);
COPY (SELECT order_id, merchant_id, order_date, amount FROM l WHERE lid NOT IN (SELECT lid FROM pm UNION ALL SELECT lid FROM px) ORDER BY ALL) TO ${quoteString(join(out, 'unmatched_left.parquet'))} (FORMAT parquet);
COPY (SELECT settlement_id, order_ref, settled_on, paid FROM r WHERE rid NOT IN (SELECT rid FROM pm UNION ALL SELECT rid FROM px) ORDER BY ALL) TO ${quoteString(join(out, 'unmatched_right.parquet'))} (FORMAT parquet);
`;
}

/** Whether both sides found the same pairs and the same open items (compared on the ids). */
async function sameResults(lake: string, hand: string): Promise<string> {
  const engine = await NodeDuckdbEngine.open();
  try {
    const ids: Record<(typeof OUTPUTS)[number], string> = { matched: 'order_id, settlement_id', mismatched: 'order_id, settlement_id', unmatched_left: 'order_id', unmatched_right: 'settlement_id' };
    const verdicts: string[] = [];
    for (const o of OUTPUTS) {
      const a = `SELECT ${ids[o]} FROM read_parquet(${quoteString(join(lake, 'curated', o, 'data.parquet'))})`;
      const b = `SELECT ${ids[o]} FROM read_parquet(${quoteString(join(hand, `${o}.parquet`))})`;
      const [row] = await engine.query(`SELECT (SELECT count(*) FROM (${a} EXCEPT ALL ${b})) + (SELECT count(*) FROM (${b} EXCEPT ALL ${a})) AS diff, (SELECT count(*) FROM (${a})) AS n`);
      verdicts.push(`${o} ${Number(row?.['n']).toLocaleString('en-US')}${Number(row?.['diff']) === 0 ? '' : ` (${Number(row?.['diff'])} DIFFER)`}`);
    }
    return verdicts.join(', ');
  } finally {
    engine.close();
  }
}

/** `main.js --only match`: one night, 1M orders against 1M settlements, batchbook run vs hand SQL, alternated. */
export async function benchMatch(rows: number, reps: number): Promise<void> {
  await access('/usr/bin/time').catch(() => {
    throw new Error('/usr/bin/time is needed to measure CPU time and peak RSS of whole processes (apt-get install time)');
  });
  const dir = join(REPO_ROOT, '.bench', `match-${rows}`);
  await generate(dir, rows);
  const lake = join(dir, 'lake');
  const hand = join(dir, 'hand-out');
  await rm(lake, { recursive: true, force: true });
  await writeFile(join(dir, 'hand.sql'), handSql(dir, hand));
  // land once; the measured runs replay what was landed (the hand SQL reads the same files in place)
  await timed('landing run', process.execPath, [CLI, 'run', dir, '--lake', lake, '--param', `run_date=${RUN_DATE}`]);
  const samples: Record<'hand' | 'run', Measured[]> = { hand: [], run: [] };
  for (let i = 0; i < reps; i++) {
    await rm(hand, { recursive: true, force: true });
    await mkdir(hand, { recursive: true });
    samples.hand.push(await timed('hand SQL', process.execPath, [SQL_CHILD, join(dir, 'hand.sql')]));
    samples.run.push(await timed('batchbook run', process.execPath, [CLI, 'run', dir, '--lake', lake, '--param', `run_date=${RUN_DATE}`, '--replay']));
  }
  const h = median(samples.hand);
  const r = median(samples.run);
  const out = process.stdout;
  out.write(`\n== match: ${rows.toLocaleString('en-US')} orders vs ${rows.toLocaleString('en-US')} settlements, one night, medians of ${reps}, sides alternated ==\n`);
  for (const [label, m] of [['hand-written SQL', h], ['batchbook run --replay', r]] as const) out.write(`${label.padEnd(24)} wall ${m.wall.toFixed(2)} s  CPU ${m.cpu.toFixed(2)} s  peak RSS ${MB(m.rss)}\n`);
  const ratio = r.wall / h.wall;
  out.write(`batchbook run / hand SQL: wall ${ratio.toFixed(2)}x, CPU ${(r.cpu / h.cpu).toFixed(2)}x (aim <= 2x): ${ratio <= 2 ? 'met' : 'MISSED'}\n`);
  out.write(`same results: ${await sameResults(lake, hand)}\n`);
}
