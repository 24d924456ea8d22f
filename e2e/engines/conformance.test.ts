import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportProject, openProject, runPipeline, type RunReport } from '@batchbook/pipeline-core/node';

/**
 * Conformance: each sample project's exports run on the real engines (the DuckDB script with the
 * duckdb package, the PySpark job on a local Spark session) and their curated rows, rejects (with
 * reasons, source file and row) and validation outcomes must equal `batchbook run` on the same raw
 * data, as multisets. Every engine starts once for the whole batch.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const python = join(repo, 'e2e', '.venv', 'bin', 'python');

interface Case {
  readonly sample: string;
  readonly runDate: string;
}
const CASES: readonly Case[] = [
  { sample: 'nightly-reconciliation', runDate: '2026-11-24' },
  { sample: 'nightly-reconciliation', runDate: '2026-11-25' },
  { sample: 'peak-sales', runDate: '2026-11-16' },
];
const ENGINES = ['duckdb', 'spark'] as const;

interface Prepared {
  readonly c: Case;
  readonly report: RunReport;
  readonly reportPath: string;
  readonly lake: string;
  readonly exportDir: string;
  readonly inbox: string;
  readonly outputs: { stage: string; path: string; format: string }[];
  readonly rejectStages: string[];
}

let work: string;
const prepared: Prepared[] = [];
const outcomes = new Map<string, { exit: number; seconds: number; problems: unknown[] }>();
const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = performance.now();
  execFileSync('bash', [join(here, 'setup-venv.sh')], { stdio: 'inherit' });
  timings['venv'] = (performance.now() - t0) / 1000;
  work = await mkdtemp(join(tmpdir(), 'batchbook-engines-'));
  const t1 = performance.now();
  for (const c of CASES) {
    const project = await openProject(join(repo, 'samples', c.sample));
    const spec = project.loaded.spec;
    if (!spec) throw new Error(`${c.sample}: invalid spec`);
    const key = `${c.sample}-${c.runDate}`;
    const lake = join(work, key, 'lake');
    const report = await runPipeline({ spec, specText: project.specText, projectDir: project.dir, inbox: project.inbox, lake, params: { run_date: c.runDate }, threads: 2 });
    const exportDir = join(work, key, 'export');
    await exportProject({ project: project as never, target: 'all', out: exportDir, params: report.params, toolVersion: 'test', preview: false });
    const reportPath = join(work, key, 'report.json');
    await writeFile(reportPath, JSON.stringify(report));
    prepared.push({
      c,
      report,
      reportPath,
      lake,
      exportDir,
      inbox: project.inbox,
      outputs: spec.stages.flatMap((s) => (s.kind === 'output' ? [{ stage: s.name, path: s.path.replace(/\{run_date\}/g, c.runDate), format: s.format }] : [])),
      rejectStages: spec.stages.filter((s) => s.kind === 'ingest' || s.kind === 'cleanse' || s.kind === 'validate').map((s) => s.name),
    });
  }
  timings['runner+export'] = (performance.now() - t1) / 1000;
  const jobs = prepared.flatMap((p) => ENGINES.map((engine) => ({ engine, dir: join(p.exportDir, engine), run_date: p.c.runDate, input_root: p.inbox, output_root: join(work, `${p.c.sample}-${p.c.runDate}`, engine) })));
  await writeFile(join(work, 'jobs.json'), JSON.stringify(jobs));
  const t2 = performance.now();
  const run = spawnSync(python, [join(here, 'py', 'run_engines.py'), join(work, 'jobs.json'), join(work, 'results.json')], { cwd: join(here, 'py'), encoding: 'utf8', env: { ...process.env, PYSPARK_PYTHON: python } });
  if (run.status !== 0) throw new Error(`engine batch failed:\n${run.stderr.slice(-3000)}`);
  timings['engines'] = (performance.now() - t2) / 1000;
  const results = JSON.parse(await readFile(join(work, 'results.json'), 'utf8')) as { jobs: { exit: number; seconds: number }[]; spark_session_seconds: number };
  timings['spark session'] = results.spark_session_seconds;
  for (const [i, job] of jobs.entries()) {
    const p = prepared.find((x) => job.dir.startsWith(x.exportDir))!;
    const caseFile = join(work, `case-${i}.json`);
    await writeFile(caseFile, JSON.stringify({ lake: p.lake, report: p.reportPath, out: job.output_root, run_date: p.c.runDate, outputs: p.outputs, reject_stages: p.rejectStages }));
    const cmp = spawnSync(python, [join(here, 'py', 'compare.py'), caseFile], { encoding: 'utf8' });
    if (cmp.status !== 0) throw new Error(`compare failed: ${cmp.stderr}`);
    outcomes.set(`${job.engine}:${p.c.sample}:${p.c.runDate}`, { ...results.jobs[i]!, problems: JSON.parse(cmp.stdout) as unknown[] });
  }
  timings['total'] = (performance.now() - t0) / 1000;
  process.stderr.write(`engines suite timings (s): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10])))}\n`);
});

describe.each(CASES)('$sample on $runDate', (c) => {
  it.each(ENGINES)('%s gives the runner’s curated rows, rejects and rule outcomes, and its exit status', (engine) => {
    const p = prepared.find((x) => x.c === c)!;
    const o = outcomes.get(`${engine}:${c.sample}:${c.runDate}`)!;
    expect(o.problems).toEqual([]);
    // both say "failed" the same way: non-zero when (and only when) an error-severity rule failed
    expect(o.exit !== 0).toBe(p.report.exit_code !== 0);
  });
});
