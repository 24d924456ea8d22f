import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCases, baseJob, compareAll, conformanceFailures, prepare, runDriver, sameExit, setupVenv, type Prepared } from './harness.js';

/**
 * The PySpark job unchanged under Spark Connect: PySpark's local Connect server
 * (`SparkSession.builder.remote("local[2]")`, BATCHBOOK_SPARK_CONNECT=1 in py/run_engines.py)
 * runs the corpus cases that read every source format and write partitioned Parquet, and their
 * results must equal the runner's as on classic Spark (conformance.test.ts runs every case there).
 * A job that touched the JVM gateway (sparkContext, _jvm, _jsc) fails here at once.
 */
const CONNECT_CASES = /^corpus (every_stage|regex_and_layout) /;
let prepared: Prepared[];
const outcomes = new Map<string, { exit: number; problems: unknown[] }>();

beforeAll(async () => {
  setupVenv();
  const work = await mkdtemp(join(tmpdir(), 'batchbook-connect-'));
  const cases = (await allCases(work)).filter((c) => CONNECT_CASES.test(c.id));
  prepared = await prepare(cases, work);
  const jobs = prepared.filter((p) => p.written.includes('spark')).map((p) => ({ p, job: { engine: 'spark', ...baseJob(p, 'spark'), log: join(p.dir, 'spark-connect-stdout.jsonl') } }));
  const results = await runDriver<{ jobs: { exit: number }[] }>('run_engines.py', jobs.map((j) => j.job), work, 'connect', { BATCHBOOK_SPARK_CONNECT: '1' });
  const problems = await compareAll(jobs.map((j) => ({ p: j.p, out: j.job.output_root, mode: { layout: true, unknownLines: true } })), work, 'connect');
  jobs.forEach((j, i) => outcomes.set(j.p.c.id, { exit: results.jobs[i]!.exit, problems: problems[i]! }));
});

describe('the PySpark job under Spark Connect', () => {
  it('gives the runner’s curated rows, rejects, rule outcomes and exit status', () => {
    expect(prepared.length).toBeGreaterThan(0);
    expect(conformanceFailures(prepared, 'spark', (p) => outcomes.get(p.c.id), sameExit)).toEqual([]);
  });
});
