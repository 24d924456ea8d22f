import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCases, baseJob, compareAll, conformanceFailures, logTimings, monitoringMismatches, outputRoot, prepare, runDriver, sameExit, setupVenv, type Prepared } from './harness.js';

/**
 * Conformance of the Beam export: each case's exported pipeline.py runs on the DirectRunner
 * through its own command line (py/run_beam.py, two at a time) and must give `batchbook run`'s
 * curated rows, rejects (reason, source file, row, line) and rule outcomes, as multisets, with the
 * same exit status. The cases are the sample days and the generated corpus (every stage kind,
 * cleanse step option, rule kind, severity and action over awkward data); the Beam YAML variant
 * runs on two of them; each project's streaming variant is compiled and its graph built with its
 * CSV / JSON sources on Pub/Sub.
 */
const YAML_CASES = ['nightly-reconciliation 2026-11-25', 'corpus every_stage 2026-03-08'];

interface BeamResult {
  exit: number;
  seconds: number;
  stderr: string;
  streaming: { compiles: boolean; compile_errors: string; graph: number; errors: string } | null;
  yaml: { exit: number; seconds: number; stderr: string } | null;
}
interface Outcome extends BeamResult {
  readonly problems: unknown[];
  readonly yamlProblems?: unknown[];
}

let prepared: Prepared[];
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  setupVenv();
  const work = await mkdtemp(join(tmpdir(), 'batchbook-beam-'));
  const t0 = performance.now();
  prepared = await prepare(await allCases(work), work);
  const t1 = performance.now();
  const runs = prepared.filter((p) => p.written.includes('beam'));
  // the streaming variant is checked once per project (its graph does not depend on the day)
  const jobs = runs.map((p, i) => ({ ...baseJob(p, 'beam'), log: join(p.dir, 'beam-stdout.jsonl'), yaml: YAML_CASES.includes(p.c.id), streaming: runs.findIndex((q) => q.c.project === p.c.project) === i }));
  const results = await runDriver<{ jobs: BeamResult[] }>('run_beam.py', jobs, work, 'beam');
  const t2 = performance.now();
  const problems = await compareAll(
    runs.flatMap((p) => [{ p, out: outputRoot(p, 'beam') }, ...(YAML_CASES.includes(p.c.id) ? [{ p, out: `${outputRoot(p, 'beam')}-yaml` }] : [])]),
    work,
    'beam',
  );
  let k = 0;
  runs.forEach((p, i) => {
    const r = results.jobs[i]!;
    const main = problems[k++]!;
    outcomes.set(p.c.id, { ...r, problems: main, ...(r.yaml ? { yamlProblems: problems[k++]! } : {}) });
  });
  const s = (a: number, b: number) => Math.round(b - a) / 1000;
  logTimings('beam', { 'runner+export': s(t0, t1), beam: s(t1, t2), compare: s(t2, performance.now()), per_pipeline: results.jobs.map((j) => j.seconds), yaml: results.jobs.flatMap((j) => (j.yaml ? [j.yaml.seconds] : [])) });
});

describe('Beam DirectRunner', () => {
  it('gives the runner’s curated rows, rejects and rule outcomes and its exit status on every case (or refuses what the case declares)', () => {
    const failures = conformanceFailures(prepared, 'beam', (p) => outcomes.get(p.c.id), sameExit);
    expect(failures).toEqual([]);
  });

  it('ships a streaming variant and runtime that compile (python -m py_compile), and a streaming graph Beam accepts', () => {
    const failures: string[] = [];
    const checked = prepared.filter((x) => outcomes.get(x.c.id)?.streaming);
    for (const p of checked) {
      const st = outcomes.get(p.c.id)!.streaming!;
      if (!st.compiles) failures.push(`${p.c.id}: ${st.compile_errors}`);
      const sql = p.report.stages.filter((s) => s.kind === 'sql').map((s) => s.name);
      if (sql.length) {
        // custom SQL gathers all its rows: the streaming variant says so instead of building
        if (st.graph !== 1 || !st.errors.includes(`stage '${sql[0]}': custom SQL gathers all its input rows, so it cannot run in streaming`)) failures.push(`${p.c.id}: ${st.errors}`);
      } else if (st.graph !== 0 || st.errors.replace(/WARNING:root:apitools.*\n/, '') !== '') failures.push(`${p.c.id}: streaming graph ${st.graph}: ${st.errors}`);
    }
    expect(failures).toEqual([]);
    expect(new Set(checked.map((p) => p.c.project)).size).toBe(new Set(prepared.filter((x) => outcomes.has(x.c.id)).map((p) => p.c.project)).size);
  });

  it('logs rule outcomes and the run end as JSON lines that fire the exported monitoring filters where the runner’s lines do', async () => {
    expect(await monitoringMismatches(prepared.filter((x) => outcomes.has(x.c.id)), 'beam', (p) => join(p.dir, 'beam-stdout.jsonl'))).toEqual([]);
  });

  it('stops with exit 3 and "outputs NOT published" when an error rule with action fail fails', () => {
    const o = outcomes.get('corpus every_stage 2026-03-09')!;
    expect(o.exit).toBe(3);
    expect(o.stderr).toContain('outputs NOT published');
  });
});

describe('Beam YAML variant (python -m apache_beam.yaml.main)', () => {
  it.each(YAML_CASES)('%s: gives the same curated rows, rejects and rule outcomes as batchbook run', (id) => {
    const o = outcomes.get(id)!;
    expect(o.yaml!.exit, o.yaml!.stderr).toBe(0);
    expect(o.yamlProblems, o.yaml!.stderr).toEqual([]);
  });
});
