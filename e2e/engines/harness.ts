import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportProject, openProject, runPipeline, type RunReport } from '@batchbook/pipeline-core/node';
import { formatRefusal, matchesCloudWatchPattern, matchesLogFilter, registerMonitoringExports, type ExportRefusal, type ExportTarget } from '@batchbook/pipeline-core';
// types only (erased at run time): the corpus is written to disk by pipeline-core's writeCorpus.js
import type { CorpusRefusal, DayExpectation } from '../../pipeline-core/src/node/testing/corpus/corpus.js';

/**
 * The shared harness of the engine suites: every case (a sample project's day, or a day of the
 * generated conformance corpus) runs once through `batchbook run` and is exported for every
 * target; each engine suite then runs its engine on all of them in one batch (one Python process
 * per engine) and compares curated rows, rejects and rule outcomes with the runner's, as
 * multisets (py/compare.py, one process for all cases).
 */
export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const python = join(repo, 'e2e', '.venv', 'bin', 'python');

export type Engine = 'duckdb' | 'spark' | 'beam' | 'dbt';

/** One project-day the engines run. */
export interface EngineCase {
  /** e.g. 'nightly-reconciliation 2026-11-24' or 'corpus every_stage 2026-03-08'. */
  readonly id: string;
  readonly project: string;
  readonly runDate: string;
  readonly corpus: boolean;
  /** Corpus cases: what the runner must do that day, and the refusals the targets must give. */
  readonly expect?: DayExpectation;
  readonly refusals: readonly CorpusRefusal[];
}

export const SAMPLE_DAYS: readonly { sample: string; runDate: string }[] = [
  { sample: 'nightly-reconciliation', runDate: '2026-11-24' },
  { sample: 'nightly-reconciliation', runDate: '2026-11-25' },
  { sample: 'peak-sales', runDate: '2026-11-16' },
];

export function setupVenv(): void {
  execFileSync('bash', [join(here, 'setup-venv.sh')], { stdio: 'inherit' });
}

interface CorpusIndex {
  readonly cases: readonly { name: string; refusals?: CorpusRefusal[]; days: { runDate: string; expect: DayExpectation }[] }[];
}

/** The sample days and every day of the generated corpus (written under `work/corpus`). */
export async function allCases(work: string): Promise<EngineCase[]> {
  const dir = join(work, 'corpus');
  execFileSync(process.execPath, [join(repo, 'pipeline-core', 'dist', 'node', 'testing', 'corpus', 'writeCorpus.js'), dir], { stdio: 'inherit' });
  const index = JSON.parse(await readFile(join(dir, 'corpus.json'), 'utf8')) as CorpusIndex;
  const samples = SAMPLE_DAYS.map((d) => ({ id: `${d.sample} ${d.runDate}`, project: join(repo, 'samples', d.sample), runDate: d.runDate, corpus: false, refusals: [] }));
  const corpus = index.cases.flatMap((c) =>
    c.days.map((d) => ({ id: `corpus ${c.name} ${d.runDate}`, project: join(dir, c.name), runDate: d.runDate, corpus: true, expect: d.expect, refusals: c.refusals ?? [] })),
  );
  // BATCHBOOK_ENGINE_CASES=<regex> runs only the matching cases (to work on one case at a time)
  const only = process.env['BATCHBOOK_ENGINE_CASES'];
  return [...samples, ...corpus].filter((c) => !only || new RegExp(only).test(c.id));
}

/** Targets a case's declared refusals keep from running it (airflow with spark). */
export function refusedBy(c: EngineCase): Set<ExportTarget> {
  const t = new Set(c.refusals.map((r) => r.target));
  if (t.has('spark')) t.add('airflow');
  return t;
}

export interface Prepared {
  readonly c: EngineCase;
  readonly dir: string;
  readonly report: RunReport;
  readonly exportDir: string;
  readonly inbox: string;
  readonly written: readonly ExportTarget[];
  readonly refusals: readonly ExportRefusal[];
  /** What compare.py needs besides the engine's output root. */
  readonly compare: { lake: string; report: string; run_date: string; outputs: { stage: string; path: string; format: string }[]; reject_stages: string[] };
  /** The runner's structured log (log.jsonl). */
  readonly runLog: string;
}

/** Runs `batchbook run` and exports every target for each case (with monitoring/, as the CLI does). */
export async function prepare(cases: readonly EngineCase[], work: string): Promise<Prepared[]> {
  registerMonitoringExports();
  const out: Prepared[] = [];
  for (const [i, c] of cases.entries()) {
    const project = await openProject(c.project);
    const spec = project.loaded.spec;
    if (!spec) throw new Error(`${c.id}: invalid spec`);
    const dir = join(work, `case-${i}`);
    await mkdir(dir, { recursive: true });
    const lake = join(dir, 'lake');
    const report = await runPipeline({ spec, specText: project.specText, projectDir: project.dir, inbox: project.inbox, lake, params: { run_date: c.runDate }, threads: 2 });
    const reportPath = join(dir, 'report.json');
    await writeFile(reportPath, JSON.stringify(report));
    const exportDir = join(dir, 'export');
    const result = await exportProject({ project: project as never, target: 'all', out: exportDir, params: report.params, toolVersion: 'test', preview: false });
    out.push({
      c,
      dir,
      report,
      exportDir,
      inbox: project.inbox,
      written: result.written,
      refusals: result.refusals,
      runLog: join(lake, 'runs', report.run_id, 'log.jsonl'),
      compare: {
        lake,
        report: reportPath,
        run_date: c.runDate,
        outputs: spec.stages.flatMap((s) => (s.kind === 'output' ? [{ stage: s.name, path: s.path.replace(/\{run_date\}/g, c.runDate), format: s.format }] : [])),
        reject_stages: spec.stages.filter((s) => s.kind === 'ingest' || s.kind === 'cleanse' || s.kind === 'validate').map((s) => s.name),
      },
    });
  }
  return out;
}

/** The refusals a target gave for a case, as the export prints them. */
export function refusalsOf(p: Prepared, target: ExportTarget): string[] {
  return p.refusals.filter((r) => r.target === target).map(formatRefusal);
}

/**
 * Whether a case the declarations say `target` refuses was refused with exactly the declared
 * constructs (airflow: because the spark export was); a message when not.
 */
export function refusalProblem(p: Prepared, target: ExportTarget): string | undefined {
  const got = refusalsOf(p, target);
  if (p.written.includes(target)) return `${p.c.id}: ${target} was expected to refuse it, but exported it`;
  if (target === 'airflow') return got.length && got.every((g) => g.includes('the spark export is refused')) ? undefined : `${p.c.id}: airflow refusals ${JSON.stringify(got)}`;
  const want = p.c.refusals.filter((r) => r.target === target).map((r) => r.message);
  const ok = got.length === want.length && want.every((w) => got.some((g) => g.includes(w)));
  return ok ? undefined : `${p.c.id}: ${target} refused ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}

/** Where an engine writes a case's run contract (curated/, rejects/, validation/). */
export function outputRoot(p: Prepared, engine: Engine | 'beam-yaml'): string {
  return join(p.dir, `${engine}-out`);
}

/** The base job every engine driver reads: the engine's export folder and the run's roots. */
export function baseJob(p: Prepared, engine: Engine) {
  return { dir: join(p.exportDir, engine), run_date: p.c.runDate, input_root: p.inbox, output_root: outputRoot(p, engine) };
}

/** Runs one of the py/ drivers on a batch of jobs; returns its results.json. */
export async function runDriver<R>(script: string, jobs: readonly unknown[], work: string, name: string, env: Record<string, string> = {}): Promise<R> {
  const jobsFile = join(work, `${name}-jobs.json`);
  const resultsFile = join(work, `${name}-results.json`);
  await writeFile(jobsFile, JSON.stringify(jobs));
  const run = spawnSync(python, [join(here, 'py', script), jobsFile, resultsFile], { cwd: join(here, 'py'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`${script} failed:\n${run.stderr.slice(-4000)}`);
  return JSON.parse(await readFile(resultsFile, 'utf8')) as R;
}

/** A carried-state file to compare as a multiset of rows: the runner's and an engine's. */
export interface StateFile {
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
}

/**
 * How an engine's outputs are compared beyond their rows: `layout` also compares partition folder
 * names and which Parquet columns are plain / UTC-adjusted timestamps; `unknownLines` says the
 * engine cannot know a reject's source line (Spark's splittable readers: a quoted CSV field may
 * span lines), so its source_line must be NULL and reader-error reasons are compared as such only.
 */
export interface CompareMode {
  readonly layout?: boolean;
  readonly unknownLines?: boolean;
}

/** Differences between each engine output root and the runner's results ([] when equal). */
export async function compareAll(items: readonly { p: Pick<Prepared, 'compare'>; out: string; mode?: CompareMode; state?: readonly StateFile[] }[], work: string, name: string): Promise<unknown[][]> {
  const file = join(work, `${name}-compare.json`);
  await writeFile(file, JSON.stringify(items.map(({ p, out, mode, state }) => ({ ...p.compare, out, layout: mode?.layout ?? false, unknown_lines: mode?.unknownLines ?? false, ...(state ? { state } : {}) }))));
  const cmp = spawnSync(python, [join(here, 'py', 'compare.py'), file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (cmp.status !== 0) throw new Error(`compare failed: ${cmp.stderr}`);
  await writeFile(join(work, `${name}-problems.json`), cmp.stdout);
  process.stderr.write(`${name}: differences per case in ${join(work, `${name}-problems.json`)}\n`);
  return JSON.parse(cmp.stdout) as unknown[][];
}

/** What an engine gave for a case: its exit status, the compare differences, its stderr. */
export interface EngineOutcome {
  readonly exit: number;
  readonly problems: readonly unknown[];
  readonly stderr?: string;
}

/**
 * The verdict of an engine suite, one line per case that went wrong: a case the engine's target
 * refuses must be refused with the declared constructs; every other case must have run and given
 * the runner's rows, rejects and rule outcomes, and an exit status `exitMatches` accepts.
 */
export function conformanceFailures(prepared: readonly Prepared[], engine: Engine, outcomeOf: (p: Prepared) => EngineOutcome | undefined, exitMatches: (exit: number, report: RunReport) => boolean): string[] {
  const failures: string[] = [];
  for (const p of prepared) {
    if (refusedBy(p.c).has(engine)) {
      const wrong = refusalProblem(p, engine);
      if (wrong) failures.push(wrong);
      continue;
    }
    const o = outcomeOf(p);
    const tail = o?.stderr ? `\n${o.stderr}` : '';
    if (!o) failures.push(`${p.c.id}: not run (refused: ${JSON.stringify(p.refusals)})`);
    else if (o.problems.length) failures.push(`${p.c.id}: ${JSON.stringify(o.problems, null, 1)}${tail}`);
    else if (!exitMatches(o.exit, p.report)) failures.push(`${p.c.id}: exit ${o.exit}, runner ${p.report.exit_code}${tail}`);
  }
  return failures;
}

/** The runner's own exit status (0, 3 when an error rule failed, 1 on an error). */
export const sameExit = (exit: number, report: RunReport): boolean => exit === report.exit_code;
/** "Failed or not": non-zero exactly when the runner's is (dbt exits 1 where the runner exits 3). */
export const sameFailure = (exit: number, report: RunReport): boolean => (exit !== 0) === (report.exit_code !== 0);

export function logTimings(suite: string, timings: Record<string, unknown>): void {
  process.stderr.write(`${suite} timings (s): ${JSON.stringify(timings)}\n`);
}

export type Line = Record<string, unknown>;

/** The JSON objects of a log, one per line (other lines skipped). */
export const jsonLines = async (file: string): Promise<Line[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

/** Each filter of the exported monitoring configs, by name, and what it reads off a line. */
export async function monitoringFilters(p: Prepared, target: 'spark' | 'beam'): Promise<{ name: string; matches: (l: Line) => boolean; value?: string }[]> {
  const dir = join(p.exportDir, target, 'monitoring');
  const gcp = await Promise.all(
    (await readdir(join(dir, 'gcp', 'log-metrics'))).map(async (f) => JSON.parse(await readFile(join(dir, 'gcp', 'log-metrics', f), 'utf8')) as { name: string; filter: string; valueExtractor?: string }),
  );
  const aws = JSON.parse(await readFile(join(dir, 'aws', 'cloudwatch-alarms.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { FilterPattern?: string; MetricTransformations?: { MetricName: string; MetricValue: string }[] } }> };
  return [
    ...gcp.map((m) => ({ name: `gcp ${m.name}`, matches: (l: Line) => matchesLogFilter(m.filter, l), ...(m.valueExtractor ? { value: /jsonPayload\.([a-z_]+)/.exec(m.valueExtractor)![1]! } : {}) })),
    ...Object.values(aws.Resources)
      .filter((r) => r.Type === 'AWS::Logs::MetricFilter')
      .map((r) => {
        const t = r.Properties.MetricTransformations![0]!;
        return { name: `aws ${t.MetricName}`, matches: (l: Line) => matchesCloudWatchPattern(r.Properties.FilterPattern!, l), ...(t.MetricValue.startsWith('$.') ? { value: t.MetricValue.slice(2) } : {}) };
      }),
  ];
}

/** What a filter's hits say, comparable between engines (durations differ, so only their presence). */
export function hitsOf(f: { matches: (l: Line) => boolean; value?: string }, lines: readonly Line[]): string[] {
  return lines
    .filter((l) => l['event'] !== 'alert' && f.matches(l))
    .map((l) => JSON.stringify([l['event'], l['stage'] ?? null, l['rule'] ?? null, l['status'], l['severity'] ?? null, f.value === undefined ? null : f.value === 'duration_ms' ? typeof l[f.value] : l[f.value]]))
    .sort();
}

/** Each exported monitoring filter whose hits on an engine's log lines differ from its hits on the runner's. */
export async function monitoringMismatches(cases: readonly Prepared[], engine: 'spark' | 'beam', logOf: (p: Prepared) => string): Promise<string[]> {
  const wrong: string[] = [];
  for (const p of cases) {
    const [lines, runner] = [await jsonLines(logOf(p)), await jsonLines(p.runLog)];
    for (const f of await monitoringFilters(p, engine)) {
      const [a, b] = [hitsOf(f, lines), hitsOf(f, runner)];
      if (JSON.stringify(a) !== JSON.stringify(b)) wrong.push(`${p.c.id} ${f.name}: ${engine} ${JSON.stringify(a)}, runner ${JSON.stringify(b)}`);
    }
  }
  return wrong;
}
