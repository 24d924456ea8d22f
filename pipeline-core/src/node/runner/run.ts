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
import { createStaging, publish, recoverStaging, writeFileAtomic, type PublishUnit } from './atomic.js';
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
  const stagingRoot = join(lake, '.staging');
  await recoverStaging(stagingRoot);
  const tempDir = join(lake, '.tmp', runId);
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
  let published = false;
  let engine: NodeDuckdbEngine | undefined;
  let profiler: ProfilingEngine | undefined;
  let profile: StageProfile[] | undefined;
  let threads: number | undefined;
  let matches: MatchReport[] = [];
  try {
    landed = opts.replay ? await landedSources(opts.spec, params, lake) : await landSources(opts.spec, params, opts.inbox, lake, now);
    emit({ event: 'landed', landed });
    // Test hook: holds the run here, so a test can cancel a run that is under way.
    if (process.env['BATCHBOOK_FAILPOINT'] === 'hold-after-landing') await new Promise((r) => setTimeout(r, 10_000));
    engine = opts.engine ?? (await NodeDuckdbEngine.open({ memoryLimit: opts.memoryLimit ?? '2GB', tempDirectory: tempDir, ...(opts.threads ? { threads: opts.threads } : {}) }));
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
    // the open items are published with the outputs, in the same publish (not when outputs are held back)
    const state = stopOutputs ? { units: [], changed: new Set<string>() } : await writeMatchState(engine, plan, opts.spec, staging, lake, String(params[RUN_DATE]));
    matches = await matchReports(engine, opts.spec, carried, state.changed);
    await publish(lake, [...publishUnits(staging, lake, outputs, String(params[RUN_DATE])), ...state.units], runId);
    published = !stopOutputs;
    for (const o of outputs) emit({ event: 'output_written', output: o });
  } catch (e) {
    error = e instanceof StageFailure ? { message: cleanMessage(e.cause), stage: e.stage } : { message: cleanMessage(e) };
    outputs = [];
    rejects = [];
    matches = [];
  } finally {
    if (!opts.engine) engine?.close();
    await rm(tempDir, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
  const finished = now();
  const errorRuleFailed = execution.rules.some((r) => r.status === 'fail' && r.severity === 'error');
  const exitCode: ExitCode = error ? EXIT.runtime : errorRuleFailed ? EXIT.rules : EXIT.ok;
  const results = { duration_ms: finished.getTime() - started.getTime(), peak_memory_bytes: memory.stop(), landed, stages: execution.stages, rules: execution.rules, outputs, rejects };
  const metrics = ops.metrics(results);
  const report: RunReport = {
    report_version: 1,
    run_id: runId,
    pipeline: opts.spec.name,
    spec_sha256: createHash('sha256').update(opts.specText).digest('hex'),
    params,
    replay: opts.replay ?? false,
    status: error ? 'error' : exitCode === EXIT.ok ? 'succeeded' : 'failed',
    exit_code: exitCode,
    published,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_ms: results.duration_ms,
    peak_memory_bytes: results.peak_memory_bytes,
    ...(threads !== undefined ? { threads } : {}),
    cpu_seconds: Math.round(cpuMs() - cpuAtStart) / 1000,
    bytes_read: metrics.bytes_read,
    bytes_written: metrics.bytes_written,
    landed,
    stages: execution.stages,
    rules: execution.rules,
    outputs,
    rejects,
    ...(error ? { error } : {}),
    metrics,
    ...(profile ? { profile } : {}),
    ...(matches.length ? { matches } : {}),
  };
  await writeFileAtomic(join(lake, 'runs', runId, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  emit({ event: 'run_end', report });
  await ops.finish(report, emit);
  return report;
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
    await engine.exec(`COPY (${rejectsQuery(plan, p.stage.name)}) TO ${quoteString(file)} (FORMAT parquet)`);
    out.push({ stage: p.stage.name, path: rel, rows, bytes: (await stat(file)).size });
  }
  return out;
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
    if (w.partitionBy.length) {
      await engine.exec(`COPY (${w.select}) TO ${quoteString(dir)} (${fmt}, PARTITION_BY (${w.partitionBy.map(quoteIdent).join(', ')}), OVERWRITE_OR_IGNORE true)`);
    } else {
      await engine.exec(`COPY (${w.select}) TO ${quoteString(join(dir, `data.${w.format}`))} (${fmt})`);
    }
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

/** Rejects of the run date, and each output: partitioned ones keep the partitions this run did not write. */
function publishUnits(staging: string, lake: string, outputs: readonly OutputReport[], runDate: string): PublishUnit[] {
  const unit = (rel: string, keepOtherPartitions: boolean): PublishUnit => ({ link: join(lake, rel), staged: join(staging, rel), keepOtherPartitions });
  // always: a re-run with no rejects clears the old ones
  return [unit(`rejects/${runDate}`, false), ...outputs.map((o) => unit(o.path, o.partitions.length > 0))];
}
