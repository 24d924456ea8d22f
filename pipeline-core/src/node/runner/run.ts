import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileDuckdbPlan, type DuckdbPlan } from '../../core/compile/duckdb/plan.js';
import { rejectsQuery } from '../../core/compile/duckdb/rejects.js';
import { quoteIdent, quoteString } from '../../core/compile/sql.js';
import { executePlan, StageFailure, type ExecutionEvent, type ExecutionResult } from '../../core/execute/executePlan.js';
import { toNumber } from '../../core/execute/sqlEngine.js';
import { RUN_DATE } from '../../core/spec/analyze.js';
import { resolveParams, type ParamValues } from '../../core/spec/params.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { createStaging, recoverStaging, writeFileAtomic } from './atomic.js';
import { commitRun, recoverCommits, type CommitUnit } from './commitRun.js';
import { fromPosix } from './commitTree.js';
import { clearDeadLocks } from './lakeLock.js';
import { duckdbMemoryLimit, duckdbThreads, explainOutOfMemory } from './memoryLimit.js';
import { landedSources, landSources, sha256File, type LandedSource } from './land.js';
import { EXIT, type ExitCode, type OutputFile, type OutputReport, type RejectsReport, type RunReport } from './report.js';
import { nativeSourceRelation } from './sourceRelation.js';
import { ProfilingEngine } from './profile.js';
import type { StageProfile } from '../../core/ops/runReport.js';
import { checkRejectLimits } from './rejectLimits.js';
import { openRunOps, type RunOpsOptions } from '../ops/runOps.js';
import { carriedStates, checkCarriedColumns, matchReports, writeMatchState } from './matchState.js';
import type { MatchReport } from '../../core/ops/matchReport.js';
import type { AlertOutcome } from '../ops/alerts.js';
import type { MetricsInput, RunMetrics } from '../../core/ops/metrics.js';

export interface RunOptions {
  readonly spec: PipelineSpec;
  readonly specText: string;
  /** Folder holding pipeline.yaml; incoming files are read from its inbox. */
  readonly projectDir: string;
  readonly inbox: string;
  readonly lake: string;
  readonly params: Readonly<Record<string, string>>;
  /** Read what was landed for the run date instead of landing from the inbox. */
  readonly replay?: boolean;
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly now?: () => Date;
  readonly onEvent?: (e: RunEvent) => void;
  /** Logging and alerting options (see ops/runOps.ts). */
  readonly ops?: RunOpsOptions;
  /**
   * Run on this engine instead of opening one: a backfill worker reuses one DuckDB across its
   * partitions. The caller opened it, locked it down to this lake and project with
   * lockDownEngine(), and closes it; every stage table is CREATE OR REPLACEd by the next run.
   */
  readonly engine?: NodeDuckdbEngine;
  /**
   * Profile every stage: the plan materialises each stage so its own time can be measured, and
   * DuckDB's profiler names the heaviest operators (slower than a normal run).
   */
  readonly profile?: boolean;
}

export type RunEvent =
  | { readonly event: 'run_start'; readonly run_id: string; readonly params: ParamValues }
  | { readonly event: 'landed'; readonly landed: readonly LandedSource[] }
  /** Another run holds a lock this run needs (landing the same date, or committing). */
  | { readonly event: 'waiting'; readonly message: string }
  | ExecutionEvent
  | { readonly event: 'output_written'; readonly output: OutputReport }
  | { readonly event: 'run_end'; readonly report: RunReport }
  | { readonly event: 'alert'; readonly outcome: AlertOutcome };

export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const toPosix = (p: string) => p.split(sep).join('/');

/** Yesterday in UTC: the business date a nightly run processes by default. */
export function defaultRunDate(now: Date): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * One pipeline run: land raw files, run every stage on the embedded DuckDB, evaluate the rules,
 * then publish curated outputs and rejects atomically and write the run report.
 */
export async function runPipeline(opts: RunOptions): Promise<RunReport> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const cpuAtStart = cpuMs();
  const params = resolveParams(opts.spec, opts.params, defaultRunDate(started));
  const runId = newRunId(started);
  const lake = opts.lake;
  const memoryLimit = opts.memoryLimit ?? '2GB';
  const stagingRoot = join(lake, '.staging');
  await recoverLake(lake);
  // named like staging (…pid<pid>): the next start removes it if this process dies
  const tempDir = join(lake, '.tmp', `${runId}.pid${process.pid}`);
  const staging = await createStaging(stagingRoot, runId);
  await mkdir(tempDir, { recursive: true });
  // One stream of events feeds the log, the metrics, the alerts and the caller's progress display.
  const ops = openRunOps({ lake, runId, spec: opts.spec, projectDir: opts.projectDir, now, options: opts.ops });
  const emit = (e: RunEvent) => {
    ops.onEvent(e);
    opts.onEvent?.(e);
  };
  emit({ event: 'run_start', run_id: runId, params });

  const memory = trackPeakMemory();
  let landed: LandedSource[] = [];
  let execution: ExecutionResult = { stages: [], rules: [] };
  let outputs: OutputReport[] = [];
  let rejects: RejectsReport[] = [];
  let error: RunReport['error'];
  let staged = false;
  let engine: NodeDuckdbEngine | undefined;
  let profiler: ProfilingEngine | undefined;
  let profile: StageProfile[] | undefined;
  let threads: number | undefined;
  let matches: MatchReport[] = [];
  let stateUnits: readonly string[] = [];
  try {
    const onWait = (message: string) => emit({ event: 'waiting', message });
    landed = opts.replay ? await landedSources(opts.spec, params, lake) : await landSources(opts.spec, params, opts.inbox, lake, now, onWait);
    emit({ event: 'landed', landed });
    // Test hook: holds the run here, so a test can cancel a run that is under way.
    if (process.env['BATCHBOOK_FAILPOINT'] === 'hold-after-landing') await new Promise((r) => setTimeout(r, 10_000));
    engine = opts.engine ?? (await NodeDuckdbEngine.open({ memoryLimit: duckdbMemoryLimit(memoryLimit), tempDirectory: tempDir, threads: opts.threads ?? duckdbThreads(memoryLimit), parquetMetadataCache: true }));
    const probe = engine;
    const relations = new Map(
      await Promise.all(
        landed.map(async (l) => {
          const source = opts.spec.sources[l.source]!;
          const abs = l.files.map((f) => join(lake, f.path));
          return [l.source, await nativeSourceRelation(l.source, source, abs, l.files.map((f) => f.path), true, probe)] as const;
        }),
      ),
    );
    // match stages carry open items in from the latest earlier run date's state
    const carried = await carriedStates(opts.spec, lake, String(params[RUN_DATE]));
    const plan = compileDuckdbPlan(opts.spec, { params, sourceRelation: (name) => relations.get(name)!, materialize: opts.profile ? 'all' : 'auto', openItems: (name) => carried.get(name)?.relations });
    profiler = opts.profile ? await ProfilingEngine.open(engine, join(tempDir, 'profile.json')) : undefined;
    await checkCarriedColumns(engine, plan, opts.spec, carried);
    if (!opts.engine) await lockDownEngine(engine, lake, opts.projectDir);
    threads = await engineThreads(engine);
    const onEvent = (e: ExecutionEvent) => {
      if (e.event === 'stage_start') profiler?.enter(e.stage);
      emit(e);
    };
    execution = await executePlan(profiler ?? engine, plan, { now: () => performance.now(), cpuNow: cpuMs, onEvent });
    profile = await profiler?.profiles(execution.stages);
    const overLimit = await checkRejectLimits(engine, opts.spec, execution.stages);
    if (overLimit) throw new StageFailure(overLimit.stage, new Error(overLimit.message));
    const stopOutputs = execution.rules.some((r) => r.status === 'fail' && r.action === 'fail');
    rejects = await writeRejects(engine, plan, execution, staging, String(params[RUN_DATE]));
    if (!stopOutputs) outputs = await writeOutputs(engine, plan, staging, lake);
    // the open items are committed with the outputs, in the same commit (not when outputs are held back)
    const state = stopOutputs ? { units: [], changed: new Set<string>() } : await writeMatchState(engine, plan, opts.spec, staging, lake, String(params[RUN_DATE]));
    stateUnits = state.units;
    matches = await matchReports(engine, opts.spec, carried, state.changed);
    staged = true;
  } catch (e) {
    error = runError(e, memoryLimit);
    outputs = [];
    rejects = [];
    matches = [];
  } finally {
    if (!opts.engine) engine?.close();
    await rm(tempDir, { recursive: true, force: true });
  }
  const peakMemory = memory.stop();
  const reportOf = (published: boolean) =>
    buildReport({ opts, runId, params, started, finished: now(), peakMemory, landed, execution, outputs, rejects, error, published, metrics: ops.metrics, threads, cpuMs: cpuMs() - cpuAtStart, profile, matches });
  let report = reportOf(staged && !outputsStopped(execution));
  try {
    if (staged) {
      // one commit: the outputs, the rejects and this report appear together, or none of them
      const units = commitUnits(staging, outputs, String(params[RUN_DATE]), stateUnits);
      await commitRun(lake, { runId, units, reportText: reportText(report), onWait: (message) => emit({ event: 'waiting', message }) });
      for (const o of outputs) emit({ event: 'output_written', output: o });
    } else {
      await writeFileAtomic(join(lake, 'runs', runId, 'report.json'), reportText(report));
    }
  } catch (e) {
    error = { message: `publishing failed, nothing of this run was published: ${cleanMessage(e)}` };
    outputs = [];
    rejects = [];
    matches = [];
    report = reportOf(false);
    await writeFileAtomic(join(lake, 'runs', runId, 'report.json'), reportText(report));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  emit({ event: 'run_end', report });
  await ops.finish(report, emit);
  return report;
}

/**
 * Leftovers of runs that died, removed at the start of the next: staging and spill folders,
 * their locks, and links of a first commit that never happened. A report committed but not
 * yet copied out to runs/ is copied.
 */
async function recoverLake(lake: string): Promise<void> {
  // every run holds a staging folder until it ends: none left behind, no run died mid-commit
  const died = (await recoverStaging(join(lake, '.staging'))).length > 0;
  await recoverStaging(join(lake, '.tmp'));
  await clearDeadLocks(join(lake, '.locks'));
  if (died) await recoverCommits(lake);
}

function runError(e: unknown, memoryLimit: string): NonNullable<RunReport['error']> {
  const stage = e instanceof StageFailure ? e.stage : undefined;
  const cause = e instanceof StageFailure ? e.cause : e;
  const message = explainOutOfMemory(cleanMessage(cause), memoryLimit, stage) ?? cleanMessage(cause);
  return stage ? { message, stage } : { message };
}

const outputsStopped = (execution: ExecutionResult) => execution.rules.some((r) => r.status === 'fail' && r.action === 'fail');

const reportText = (report: RunReport) => JSON.stringify(report, null, 2) + '\n';

interface ReportParts {
  readonly opts: RunOptions;
  readonly runId: string;
  readonly params: ParamValues;
  readonly started: Date;
  readonly finished: Date;
  readonly peakMemory: number;
  readonly landed: LandedSource[];
  readonly execution: ExecutionResult;
  readonly outputs: OutputReport[];
  readonly rejects: RejectsReport[];
  readonly error: RunReport['error'];
  readonly published: boolean;
  readonly metrics: (input: MetricsInput) => RunMetrics;
  readonly threads: number | undefined;
  /** Process CPU time of the run so far. */
  readonly cpuMs: number;
  readonly profile: readonly StageProfile[] | undefined;
  readonly matches: readonly MatchReport[];
}

function buildReport(p: ReportParts): RunReport {
  const { execution, error } = p;
  const errorRuleFailed = execution.rules.some((r) => r.status === 'fail' && r.severity === 'error');
  const exitCode: ExitCode = error ? EXIT.runtime : errorRuleFailed ? EXIT.rules : EXIT.ok;
  const results = { duration_ms: p.finished.getTime() - p.started.getTime(), peak_memory_bytes: p.peakMemory, landed: p.landed, stages: execution.stages, rules: execution.rules, outputs: p.outputs, rejects: p.rejects };
  const metrics = p.metrics(results);
  return {
    report_version: 1,
    run_id: p.runId,
    pipeline: p.opts.spec.name,
    spec_sha256: createHash('sha256').update(p.opts.specText).digest('hex'),
    params: p.params,
    replay: p.opts.replay ?? false,
    status: error ? 'error' : exitCode === EXIT.ok ? 'succeeded' : 'failed',
    exit_code: exitCode,
    published: p.published,
    started_at: p.started.toISOString(),
    finished_at: p.finished.toISOString(),
    duration_ms: results.duration_ms,
    peak_memory_bytes: results.peak_memory_bytes,
    ...(p.threads !== undefined ? { threads: p.threads } : {}),
    cpu_seconds: Math.round(p.cpuMs) / 1000,
    bytes_read: metrics.bytes_read,
    bytes_written: metrics.bytes_written,
    landed: p.landed,
    stages: execution.stages,
    rules: execution.rules,
    outputs: p.outputs,
    rejects: p.rejects,
    ...(error ? { error } : {}),
    metrics,
    ...(p.profile ? { profile: p.profile } : {}),
    ...(p.matches.length ? { matches: p.matches } : {}),
  };
}

/** Process CPU milliseconds, user + system, over all threads (DuckDB's included): the cost model calibrates from it. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The DuckDB threads setting the run executes with (the cost model divides by real CPU, but records this too). */
async function engineThreads(engine: NodeDuckdbEngine): Promise<number | undefined> {
  const [row] = await engine.query("SELECT current_setting('threads') AS threads");
  const n = Number(row?.['threads']);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Errors from DuckDB carry a multi-line context; the first line is the cause (plus the fix for an over-long line). */
function cleanMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const first = msg.split('\n').filter((l) => l.trim() !== '')[0] ?? msg;
  const long = /Maximum line size of (\d+) bytes exceeded/.exec(msg);
  return long ? `${first}: the line is longer than ${long[1]} bytes; set max_line_bytes on the source to read it` : first;
}

function trackPeakMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/**
 * After the sources are readable, custom SQL must not reach anything else on the machine:
 * DuckDB may only touch the lake and the project, and the setting cannot be changed back.
 */
export async function lockDownEngine(engine: NodeDuckdbEngine, lake: string, projectDir: string): Promise<void> {
  const dirs = [lake, projectDir].map((d) => quoteString(d.endsWith(sep) ? d : d + sep)).join(', ');
  await engine.exec(`SET allowed_directories = [${dirs}]`);
  await engine.exec('SET enable_external_access = false');
  await engine.exec('SET lock_configuration = true');
}

async function writeRejects(engine: NodeDuckdbEngine, plan: DuckdbPlan, execution: ExecutionResult, staging: string, runDate: string): Promise<RejectsReport[]> {
  const out: RejectsReport[] = [];
  await mkdir(join(staging, 'rejects', runDate), { recursive: true });
  // the stages' counts say which have rejects: no scan to find the ones that have none
  const rejected = new Map(execution.stages.map((s) => [s.name, s.rejected]));
  for (const p of plan.stages) {
    if (!p.compiled.hasRejects) continue;
    const rows = rejected.get(p.stage.name) ?? 0;
    if (rows === 0) continue;
    const rel = `rejects/${runDate}/${p.stage.name}.parquet`;
    const file = join(staging, rel);
    await inStage(p.stage.name, () => engine.exec(`COPY (${rejectsQuery(plan, p.stage.name)}) TO ${quoteString(file)} (FORMAT parquet)`));
    out.push({ stage: p.stage.name, path: rel, rows, bytes: (await stat(file)).size });
  }
  return out;
}

/** Writing an output or rejects is part of its stage: a failure there (e.g. out of memory) names it. */
async function inStage<T>(stage: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new StageFailure(stage, e);
  }
}

async function leafDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const subdirs = entries.filter((e) => e.isDirectory());
  if (subdirs.length === 0) return [dir];
  return (await Promise.all(subdirs.map((d) => leafDirs(join(dir, d.name))))).flat();
}

async function writeOutputs(engine: NodeDuckdbEngine, plan: DuckdbPlan, staging: string, _lake: string): Promise<OutputReport[]> {
  const out: OutputReport[] = [];
  for (const p of plan.stages) {
    const w = p.compiled.write;
    if (!w) continue;
    const rel = `curated/${w.path}`;
    const dir = join(staging, rel);
    await mkdir(dir, { recursive: true });
    const fmt = w.format === 'parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
    const copy = w.partitionBy.length
      ? `COPY (${w.select}) TO ${quoteString(dir)} (${fmt}, PARTITION_BY (${w.partitionBy.map(quoteIdent).join(', ')}), OVERWRITE_OR_IGNORE true)`
      : `COPY (${w.select}) TO ${quoteString(join(dir, `data.${w.format}`))} (${fmt})`;
    await inStage(p.stage.name, () => engine.exec(copy));
    const files: OutputFile[] = [];
    const partitions = w.partitionBy.length ? (await leafDirs(dir)).map((d) => toPosix(relative(dir, d))).sort() : [];
    for (const leaf of w.partitionBy.length ? partitions.map((pt) => join(dir, pt)) : [dir]) {
      for (const name of (await readdir(leaf)).sort()) {
        const f = join(leaf, name);
        const [rowsRow] = await engine.query(w.format === 'parquet' ? `SELECT sum(num_rows) AS n FROM parquet_file_metadata(${quoteString(f)})` : `SELECT count(*) AS n FROM read_csv(${quoteString(f)}, header = true)`);
        files.push({ path: toPosix(join(rel, relative(dir, f))), rows: toNumber(rowsRow?.['n']), bytes: (await stat(f)).size, sha256: await sha256File(f) });
      }
    }
    out.push({ stage: p.stage.name, format: w.format, path: rel, rows: files.reduce((a, f) => a + f.rows, 0), partitions, files });
  }
  return out;
}

/**
 * The units this run replaces: the rejects of the run date (always: a re-run with no rejects
 * clears the old ones), each unpartitioned output, and each partition a partitioned output wrote
 * (the other partitions stay as they are).
 */
function commitUnits(staging: string, outputs: readonly OutputReport[], runDate: string, state: readonly string[]): CommitUnit[] {
  const unit = (rel: string): CommitUnit => ({ unit: rel, staged: join(staging, fromPosix(rel)) });
  return [unit(`rejects/${runDate}`), ...outputs.flatMap((o) => (o.partitions.length ? o.partitions.map((p) => unit(`${o.path}/${p}`)) : o.files.length ? [unit(o.path)] : [])), ...state.map(unit)];
}
