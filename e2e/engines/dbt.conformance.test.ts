import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCases, baseJob, compareAll, conformanceFailures, logTimings, prepare, runDriver, sameFailure, setupVenv, type Prepared } from './harness.js';

/**
 * Conformance of the dbt export: each case's exported dbt project runs with `dbt build` on
 * dbt-duckdb (all in one Python process) and must give `batchbook run`'s curated rows, rejects
 * and rule outcomes as multisets, failing exactly when the runner fails. The corpus's every_rule
 * case holds the two places where dbt's own test semantics would differ from Batchbook's: a
 * warn-severity rule with action fail (exit 0, nothing published) and an error-severity rule
 * with action reject (exit non-zero, outputs published); its rules carry Jinja openers in
 * literals and custom SQL, which the export must escape.
 */
interface DbtResult {
  exit: number;
  seconds: number;
  publish_log: string[];
}

let prepared: Prepared[];
const outcomes = new Map<string, DbtResult & { problems: unknown[] }>();

beforeAll(async () => {
  setupVenv();
  const work = await mkdtemp(join(tmpdir(), 'batchbook-dbt-'));
  const t0 = performance.now();
  prepared = await prepare(await allCases(work), work);
  const t1 = performance.now();
  const runs = prepared.filter((p) => p.written.includes('dbt'));
  const results = await runDriver<{ jobs: DbtResult[] }>('run_dbt.py', runs.map((p) => ({ ...baseJob(p, 'dbt'), work: join(p.dir, 'dbt-work') })), work, 'dbt');
  const t2 = performance.now();
  const problems = await compareAll(runs.map((p) => ({ p, out: baseJob(p, 'dbt').output_root })), work, 'dbt');
  runs.forEach((p, i) => outcomes.set(p.c.id, { ...results.jobs[i]!, problems: problems[i]! }));
  const s = (a: number, b: number) => Math.round(b - a) / 1000;
  logTimings('dbt', { 'runner+export': s(t0, t1), dbt: s(t1, t2), compare: s(t2, performance.now()), per_build: results.jobs.map((j) => Math.round(j.seconds * 10) / 10) });
});

describe('dbt build', () => {
  it('gives the runner’s curated rows, rejects and rule outcomes on every case, and fails exactly when the runner does (or refuses what the case declares)', () => {
    const failures = conformanceFailures(prepared, 'dbt', (p) => outcomes.get(p.c.id), sameFailure);
    expect(failures).toEqual([]);
  });

  it('a warn-severity rule with action fail that fails: exit 0, nothing published, and the publish step says why', () => {
    const o = outcomes.get('corpus every_rule 2026-01-02')!;
    expect(o.exit).toBe(0);
    expect(o.publish_log.join('\n')).toContain('outputs NOT published: rule(s) with action fail failed: checked.few_rows');
  });

  it('an error-severity rule with action reject that fails: outputs published, dbt exits 1', () => {
    const o = outcomes.get('corpus every_rule 2026-01-03')!;
    expect(o.exit).toBe(1);
    expect(o.publish_log.join('\n')).toContain('published 5 output(s)');
  });
});
