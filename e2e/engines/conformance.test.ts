import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCases, baseJob, compareAll, conformanceFailures, jsonLines, logTimings, monitoringFilters, monitoringMismatches, prepare, runDriver, sameExit, setupVenv, type EngineCase, type Line, type Prepared } from './harness.js';

/**
 * Conformance of the DuckDB script and the PySpark job: every sample day and every day of the
 * generated corpus runs through each export on the real engine (the duckdb package; ONE local
 * Spark session for every Spark job) and must give `batchbook run`'s curated rows, rejects (with
 * reasons, source file, row and line) and rule outcomes, as multisets, failing exactly when the
 * runner fails. A case a target refuses must be refused with the constructs the case declares.
 * This file also checks that the runner does on each corpus day what the case was written for,
 * and that the PySpark job's JSON log lines fire the exported monitoring configs' filters exactly
 * where the runner's own log lines do.
 */
const ENGINES = ['duckdb', 'spark'] as const;
type Outcome = { exit: number; seconds: number; problems: unknown[] };

let work: string;
let cases: EngineCase[];
let prepared: Prepared[];
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  setupVenv();
  const t0 = performance.now();
  work = await mkdtemp(join(tmpdir(), 'batchbook-engines-'));
  cases = await allCases(work);
  const t1 = performance.now();
  prepared = await prepare(cases, work);
  const t2 = performance.now();
  const jobs = prepared.flatMap((p) => ENGINES.filter((e) => p.written.includes(e)).map((engine) => ({ p, engine, job: { engine, ...baseJob(p, engine), log: join(p.dir, `${engine}-stdout.jsonl`) } })));
  const results = await runDriver<{ jobs: { exit: number; seconds: number }[]; spark_session_seconds: number }>('run_engines.py', jobs.map((j) => j.job), work, 'engines');
  const t3 = performance.now();
  const problems = await compareAll(jobs.map((j) => ({ p: j.p, out: j.job.output_root, mode: { layout: true, unknownLines: j.engine === 'spark' } })), work, 'engines');
  jobs.forEach((j, i) => outcomes.set(`${j.engine}:${j.p.c.id}`, { ...results.jobs[i]!, problems: problems[i]! }));
  const s = (a: number, b: number) => Math.round(b - a) / 1000;
  logTimings('duckdb+spark', { corpus: s(t0, t1), 'runner+export': s(t1, t2), engines: s(t2, t3), spark_session: results.spark_session_seconds, compare: s(t3, performance.now()), cases: cases.length });
});

const caseIds = () => cases.map((c) => c.id);

describe('each case on the DuckDB script and on PySpark', () => {
  it.each(ENGINES)('%s gives the runner’s curated rows, rejects, rule outcomes and exit status (or refuses what the case declares)', (engine) => {
    // run.sh and job.py give the runner's own exit status: 0, 3 (an error rule failed) or 1
    const failures = conformanceFailures(prepared, engine, (p) => outcomes.get(`${engine}:${p.c.id}`), sameExit);
    expect(failures, caseIds().join(', ')).toEqual([]);
  });
});

describe('the runner on each corpus day does what the case was written for', () => {
  it('exits, publishes and fails the rules worked out by hand', () => {
    const wrong: string[] = [];
    for (const p of prepared.filter((x) => x.c.expect)) {
      const want = p.c.expect!;
      const got = { exitCode: p.report.exit_code, published: p.report.published, failing: p.report.rules.filter((r) => r.status === 'fail').map((r) => `${r.stage}.${r.name}`).sort() };
      const expected = { exitCode: want.exitCode, published: want.published, failing: want.failing ? [...want.failing].sort() : got.failing };
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${p.c.id}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}${p.report.error ? ` (${p.report.error.message})` : ''}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the PySpark job’s JSON log lines, as the exported monitoring configs read them', () => {
  it('carry the fields of batchbook run’s log lines on every stage end, rule outcome and run end', async () => {
    const wrong: string[] = [];
    for (const p of prepared.filter((x) => x.written.includes('spark'))) {
      const lines = await jsonLines(join(p.dir, 'spark-stdout.jsonl'));
      const runner = await jsonLines(p.runLog);
      // the events the monitoring configs read; other lines (e.g. Spark's open_items_read) are for people
      const monitored = (l: Line) => ['stage_end', 'rule', 'run_end'].includes(String(l['event']));
      const events = (ls: readonly Line[]) => ls.filter(monitored).map((l) => `${String(l['event'])}:${String(l['stage'] ?? '')}:${String(l['rule'] ?? '')}`);
      if (JSON.stringify(events(lines)) !== JSON.stringify(events(runner))) wrong.push(`${p.c.id}: events ${JSON.stringify(events(lines))} vs the runner's ${JSON.stringify(events(runner))}`);
      for (const l of lines) {
        const missing = ['level', 'time', 'run_id', 'pipeline', 'event', 'msg'].filter((k) => l[k] === undefined);
        if (missing.length) wrong.push(`${p.c.id}: ${JSON.stringify(l)} lacks ${missing.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('fire every Cloud Logging metric and CloudWatch metric filter where the runner’s lines do', async () => {
    expect(await monitoringMismatches(prepared.filter((x) => x.written.includes('spark')), 'spark', (p) => join(p.dir, 'spark-stdout.jsonl'))).toEqual([]);
  });

  it('on the failing night of nightly-reconciliation: run failed, one error rule, one warning, 4 rows rejected', async () => {
    const p = prepared.find((x) => x.c.id === 'nightly-reconciliation 2026-11-25')!;
    const spark = await jsonLines(join(p.dir, 'spark-stdout.jsonl'));
    const filters = await monitoringFilters(p, 'spark');
    const hits = (name: string) => spark.filter(filters.find((f) => f.name === name)!.matches);
    expect(hits('gcp batchbook_nightly_reconciliation_run_failed').map((l) => l['status'])).toEqual(['failed']);
    expect(hits('gcp batchbook_nightly_reconciliation_rule_failed').map((l) => l['rule'])).toEqual(['settled_matches_sold']);
    expect(hits('gcp batchbook_nightly_reconciliation_rule_warned').map((l) => l['rule'])).toEqual(['refund_without_order']);
    expect(hits('gcp batchbook_nightly_reconciliation_rows_rejected').map((l) => l['rows_rejected'])).toEqual([4]); // README: 3 POS lines + 1 refund
    expect(hits('aws ErrorRuleFailed').map((l) => l['rule'])).toEqual(['settled_matches_sold']);
    expect(hits('aws RunDurationMs').map((l) => typeof l['duration_ms'])).toEqual(['number']);
  });
});
