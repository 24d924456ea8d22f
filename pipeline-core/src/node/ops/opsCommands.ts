import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import type { BackfillStep } from '../../core/ops/partitions.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { Project } from '../project/project.js';
import type { BackfillProgress, BackfillSummary } from './backfill.js';
// The commands' code (run history, diffs, the backfill runner with DuckDB) loads when one runs,
// not when the CLI starts: `batchbook --help` and `validate` stay fast.
import { fmtDuration, fmtInt } from './textTable.js';

export interface OpsCommandDeps {
  readonly loadValidProject: (path: string) => Promise<Project & { loaded: { spec: PipelineSpec } }>;
  readonly collectParam: (value: string, previous: Record<string, string>) => Record<string, string>;
  /** Makes the error the CLI prints as one line with this exit code. */
  readonly userError: (message: string, exitCode: number) => Error;
}

const USAGE = 2;

/** A project's lake (its default, or --lake) and the pipeline name if its spec loads. */
async function projectLake(path: string, lake: string | undefined, deps: OpsCommandDeps): Promise<{ lake: string; pipeline?: string }> {
  const { openProject } = await import('../project/project.js');
  const project = await openProject(path).catch((e: unknown) => {
    throw deps.userError(e instanceof Error ? e.message : String(e), USAGE);
  });
  const name = project.loaded.spec?.name;
  return { lake: resolve(lake ?? project.defaultLake), ...(name ? { pipeline: name } : {}) };
}

async function alertsInLog(dir: string): Promise<{ status: string; channel: string; detail: string }[]> {
  try {
    const { LOG_FILE } = await import('./runLog.js');
    const lines = (await readFile(join(dir, LOG_FILE), 'utf8')).split('\n').filter(Boolean);
    return lines.map((l) => JSON.parse(l) as { event?: string; status: string; channel: string; detail: string }).filter((r) => r.event === 'alert');
  } catch {
    return [];
  }
}

function runRefError(deps: OpsCommandDeps, RunRefError: typeof import('./runRef.js').RunRefError) {
  return (e: unknown): never => {
    if (e instanceof RunRefError) throw deps.userError(e.message, USAGE);
    throw e;
  };
}

export function runsCommand(deps: OpsCommandDeps): Command {
  return new Command('runs')
    .description('list past runs of a project (status, run date, duration, rows, failed rules), or show one')
    .argument('<project>', 'project folder or pipeline.yaml')
    .option('--lake <dir>', 'the lake folder; default <project>/lake')
    .option('--show <run>', 'show one run: a run id (or a unique prefix), latest, latest~1, or a run date')
    .option('--limit <n>', 'list the last n runs', (v) => Number(v), 30)
    .option('--status <status>', 'only runs with this status (succeeded, failed, error, incomplete, running)')
    .option('--json', 'print JSON on stdout')
    .action(async (path: string, opts: { lake?: string; show?: string; limit: number; status?: string; json?: boolean }) => {
      const { lake, pipeline } = await projectLake(path, opts.lake, deps);
      const [{ resolveRun, RunRefError }, { readRunHistory }, { formatRunDetail, formatRunList }] = await Promise.all([import('./runRef.js'), import('./history.js'), import('./runsView.js')]);
      if (opts.show) {
        const run = await resolveRun(lake, opts.show, pipeline).catch(runRefError(deps, RunRefError));
        if (opts.json) process.stdout.write(`${JSON.stringify(run.report, null, 2)}\n`);
        else process.stdout.write(`${formatRunDetail(run.report, run.dir, await alertsInLog(run.dir))}\n`);
        return;
      }
      let entries = await readRunHistory(lake, pipeline ? { pipeline } : {});
      if (opts.status) entries = entries.filter((e) => e.status === opts.status);
      entries = entries.slice(-Math.max(1, opts.limit));
      if (opts.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else process.stdout.write(`${formatRunList(entries)}\n`);
    });
}

export function diffCommand(deps: OpsCommandDeps): Command {
  return new Command('diff')
    .description('compare two runs: row counts per stage, rule outcomes, input and output hashes')
    .argument('<run_a>', 'a run id (or prefix), latest, latest~1, a run date, or a path to a run folder / report.json')
    .argument('<run_b>', 'the other run')
    .option('--project <dir>', 'the project whose lake holds the runs', '.')
    .option('--lake <dir>', 'the lake folder; default <project>/lake')
    .option('--json', 'print the diff as JSON on stdout')
    .action(async (a: string, b: string, opts: { project: string; lake?: string; json?: boolean }) => {
      const where = await projectLake(opts.project, opts.lake, deps).catch((e: unknown) => {
        if (opts.lake) return { lake: resolve(opts.lake) } as { lake: string; pipeline?: string };
        throw e;
      });
      const [{ resolveRun, RunRefError }, { diffRuns }, { formatDiff }] = await Promise.all([import('./runRef.js'), import('./diff.js'), import('./runsView.js')]);
      const [ra, rb] = await Promise.all([resolveRun(where.lake, a, where.pipeline), resolveRun(where.lake, b, where.pipeline)]).catch(runRefError(deps, RunRefError));
      const d = diffRuns(ra.report, rb.report);
      if (opts.json) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      else process.stdout.write(`${formatDiff(d)}\n`);
    });
}

function backfillProgress(live: boolean): (p: BackfillProgress) => void {
  let lastLine = 0;
  const out = process.stderr;
  return (p) => {
    const finished = p.skipped + p.succeeded + p.failed;
    const pct = ((100 * finished) / p.total).toFixed(1);
    const eta = finished === p.total ? '' : `  ETA ${p.eta_ms === null ? '…' : fmtDuration(p.eta_ms)}`;
    const rate = p.elapsed_ms > 0 ? fmtInt(Math.round(p.rows_in / (p.elapsed_ms / 1000))) : '0';
    const text = `[${finished}/${p.total}] ${pct}%  ${p.succeeded} ok, ${p.skipped} skipped, ${p.failed} failed  ${rate} rows/s${eta}${p.running.length ? `  running ${p.running.join(', ')}` : ''}`;
    if (p.last && 'status' in p.last && (p.last.status === 'failed' || p.last.status === 'error')) {
      if (live) out.write('\r\x1b[2K');
      out.write(`${pc.red('✗')} ${p.last.date}: ${p.last.status} (exit ${'exit_code' in p.last ? p.last.exit_code : '?'})${'cause' in p.last && p.last.cause ? ` ${p.last.cause}` : ''}\n`);
    }
    if (live) out.write(`\r\x1b[2K${text}`);
    else if (performance.now() - lastLine > 10_000 || finished === p.total) {
      lastLine = performance.now();
      out.write(`${text}\n`);
    }
  };
}

function printSummary(s: BackfillSummary): void {
  const out = process.stderr;
  const head = s.interrupted ? pc.yellow('interrupted') : s.failed ? pc.red(`${s.failed} failed`) : pc.green('done');
  out.write(`${head}: ${s.pipeline} ${s.from}..${s.to} by ${s.step}: ${s.total} partitions: ${s.succeeded} succeeded, ${s.skipped} skipped (already done), ${s.failed} failed in ${fmtDuration(s.elapsed_ms)}`);
  out.write(s.elapsed_ms > 0 ? `; ${fmtInt(s.rows_in)} rows in (${fmtInt(Math.round(s.rows_in / (s.elapsed_ms / 1000)))} rows/s), ${fmtInt(s.rows_out)} rows out\n` : '\n');
  if (s.failures.length) {
    out.write(pc.bold('failed partitions:\n'));
    for (const f of s.failures) out.write(`  ${f.date}  ${f.status} (exit ${f.exit_code})${f.run_id ? `  run ${f.run_id}` : ''}${f.cause ? `  ${f.cause}` : ''}\n`);
    if (s.failures_total > s.failures.length) out.write(`  … and ${s.failures_total - s.failures.length} more (batchbook runs <project> --status failed)\n`);
  }
  for (const a of s.alerts) out.write(`${a.status === 'sent' ? pc.dim('alert sent') : pc.yellow(`alert ${a.status}`)} via ${a.channel}: ${a.detail}\n`);
  if (s.interrupted) out.write('run the same command again to resume: finished partitions are skipped\n');
}

export function backfillCommand(deps: OpsCommandDeps): Command {
  return new Command('backfill')
    .description('run the pipeline for every date partition in a range; resumable, parallel, skips partitions already done')
    .argument('<project>', 'project folder or pipeline.yaml')
    .requiredOption('--from <date>', 'first run date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last run date, YYYY-MM-DD (inclusive)')
    .addOption(new Option('--step <step>', 'one partition per day, or per month (run_date = the 1st)').choices(['day', 'month']).default('day'))
    .option('--parallel <n>', 'worker processes', (v) => Number(v), 1)
    .option('--fail-fast', 'stop starting partitions after the first failure')
    .option('--param <name=value>', 'another parameter; {date}, {month}, {year} are filled in per partition (repeatable)', deps.collectParam, {})
    .option('--lake <dir>', 'the lake folder; default <project>/lake')
    .option('--replay', 'run from what was landed instead of the inbox')
    .addOption(new Option('--memory-limit <size>', 'DuckDB memory limit of each worker').default('1GB'))
    .option('--threads <n>', 'DuckDB threads of each worker (default: cores / parallel)', (v) => Number(v))
    .option('--alert-webhook <url>', 'send the failure summary to this webhook (overrides alerts.webhook.url)')
    .option('--no-alerts', 'send no alert even if the spec configures them')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (path: string, opts: { from: string; to: string; step: BackfillStep; parallel: number; failFast?: boolean; param: Record<string, string>; lake?: string; replay?: boolean; memoryLimit: string; threads?: number; alertWebhook?: string; alerts: boolean; json?: boolean }) => {
      if (!Number.isInteger(opts.parallel) || opts.parallel < 1) throw deps.userError('--parallel expects a whole number of at least 1', USAGE);
      const project = await deps.loadValidProject(path);
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let summary: BackfillSummary;
      const [{ BackfillError, runBackfill }, { PartitionError }] = await Promise.all([import('./backfill.js'), import('../../core/ops/partitions.js')]);
      try {
        summary = await runBackfill({
          spec: project.loaded.spec,
          specText: project.specText,
          projectDir: project.dir,
          inbox: project.inbox,
          lake: resolve(opts.lake ?? project.defaultLake),
          from: opts.from,
          to: opts.to,
          step: opts.step,
          parallel: opts.parallel,
          failFast: opts.failFast ?? false,
          params: opts.param,
          replay: opts.replay ?? false,
          memoryLimit: opts.memoryLimit,
          ...(opts.threads ? { threads: opts.threads } : {}),
          alerts: { enabled: opts.alerts, ...(opts.alertWebhook ? { webhookUrl: opts.alertWebhook } : {}) },
          onProgress: backfillProgress(process.stderr.isTTY === true),
          signal: controller.signal,
        });
      } catch (e) {
        if (e instanceof PartitionError || e instanceof BackfillError) throw deps.userError(e.message, USAGE);
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
      printSummary(summary);
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      process.exitCode = summary.exit_code;
    });
}
