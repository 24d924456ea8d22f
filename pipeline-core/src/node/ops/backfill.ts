import { createHash } from 'node:crypto';
import { carryingStages } from '../../core/stages/match/openItemsState.js';
import { rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { AlertMessage } from '../../core/ops/alertPayload.js';
import { partitionCount, partitionDates, partitionParams, type BackfillStep } from '../../core/ops/partitions.js';
import { resolveParams, substitutePath, type ParamValues } from '../../core/spec/params.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import { landedSources, sha256File } from '../runner/land.js';
import { EXIT } from '../runner/report.js';
import { effectiveAlerts, sendAlerts, type AlertOptions, type AlertOutcome } from './alerts.js';
import { acquireBackfillLock, BackfillError } from './backfillLock.js';
import type { TaskResult, WorkerInit } from './backfillWorker.js';
import { BackfillWorker } from './backfillWorkers.js';
import { rawFingerprint, readRunHistory, reportRawFiles, type RawFile } from './history.js';

export interface BackfillOptions {
  readonly spec: PipelineSpec;
  readonly specText: string;
  readonly projectDir: string;
  readonly inbox: string;
  readonly lake: string;
  readonly from: string;
  readonly to: string;
  readonly step?: BackfillStep;
  /** Worker processes (default 1). */
  readonly parallel?: number;
  /** Stop starting partitions after the first failure. */
  readonly failFast?: boolean;
  /** Extra parameters; {date}, {month} and {year} are filled in per partition. */
  readonly params?: Readonly<Record<string, string>>;
  /** Run from what was landed instead of the inbox. */
  readonly replay?: boolean;
  /** DuckDB memory limit of each worker (default 1GB). */
  readonly memoryLimit?: string;
  /** DuckDB threads of each worker (default: cores / parallel). */
  readonly threads?: number;
  readonly alerts?: AlertOptions;
  readonly onProgress?: (p: BackfillProgress) => void;
  /** Aborting stops the backfill: workers are killed, what they ran is redone on resume. */
  readonly signal?: AbortSignal;
}

export interface BackfillProgress {
  readonly total: number;
  readonly skipped: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: readonly string[];
  readonly elapsed_ms: number;
  /** Estimated time left, from the pace of the partitions run so far; null until one finished. */
  readonly eta_ms: number | null;
  readonly rows_in: number;
  readonly last?: TaskResult | { readonly date: string; readonly status: 'skipped' };
}

export interface BackfillSummary extends Omit<BackfillProgress, 'running' | 'last' | 'eta_ms'> {
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  readonly step: BackfillStep;
  readonly interrupted: boolean;
  /** The first failures (at most 50: memory stays bounded over any range); failures_total counts all. */
  readonly failures: readonly TaskResult[];
  readonly failures_total: number;
  readonly rows_out: number;
  readonly bytes_read: number;
  readonly exit_code: number;
  readonly alerts: readonly AlertOutcome[];
}

export { BackfillError };

const MAX_FAILURES_KEPT = 50;

const sortedJson = (p: ParamValues) => JSON.stringify(Object.fromEntries(Object.entries(p).sort(([a], [b]) => a.localeCompare(b))));

/** A partition is done when a run with the same parameters, spec and raw inputs succeeded. */
const doneKey = (params: ParamValues, specSha: string, rawSha: string) => `${sortedJson(params)}|${specSha}|${rawSha}`;

async function doneKeys(lake: string, pipeline: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const e of await readRunHistory(lake, { pipeline })) {
    if (e.status === 'succeeded') keys.add(doneKey(e.params, e.spec_sha256, e.raw_sha256));
  }
  return keys;
}

/** The raw files a partition would land (or, replaying, has landed), with their hashes. */
async function partitionInputs(spec: PipelineSpec, params: ParamValues, inbox: string, lake: string, replay: boolean): Promise<RawFile[] | undefined> {
  if (replay) {
    try {
      return reportRawFiles({ landed: await landedSources(spec, params, lake) });
    } catch {
      return undefined;
    }
  }
  const files: RawFile[] = [];
  for (const [source, s] of Object.entries(spec.sources)) {
    const pattern = substitutePath(s.path, params);
    let matches: string[];
    if (isDynamicPattern(pattern)) matches = await glob(pattern, { cwd: inbox, onlyFiles: true, dot: false });
    else matches = (await stat(join(inbox, pattern)).then((st) => st.isFile(), () => false)) ? [pattern] : [];
    if (matches.length === 0) return undefined; // the run will fail with a clear landing error
    for (const path of matches) files.push({ source, path, sha256: await sha256File(join(inbox, path)) });
  }
  return files;
}

/**
 * Runs a pipeline once per date partition with a pool of worker processes. Partitions already
 * done with the same spec and raw inputs are skipped, so a killed backfill resumes where it
 * stopped; failures are summarised at the end without stopping the others (unless failFast).
 */
export async function runBackfill(o: BackfillOptions): Promise<BackfillSummary> {
  const step = o.step ?? 'day';
  const total = partitionCount(o.from, o.to, step);
  if (o.params && 'run_date' in o.params) throw new BackfillError('backfill sets run_date itself, one partition at a time; drop --param run_date');
  // a match stage carries open items from each date into the next: its partitions run one after another, in date order
  const parallel = carryingStages(o.spec).length ? 1 : Math.max(1, Math.min(o.parallel ?? 1, total));
  const specSha = createHash('sha256').update(o.specText).digest('hex');
  const lock = await acquireBackfillLock(o.lake, o.spec.name);
  const started = performance.now();
  const done = await doneKeys(o.lake, o.spec.name).catch(async (e: unknown) => {
    await lock.release();
    throw e;
  });
  const init: WorkerInit = {
    type: 'init',
    specText: o.specText,
    spec: o.spec,
    projectDir: o.projectDir,
    inbox: o.inbox,
    lake: o.lake,
    replay: o.replay ?? false,
    memoryLimit: o.memoryLimit ?? '1GB',
    threads: o.threads ?? Math.max(1, Math.floor(availableParallelism() / parallel)),
  };
  const workers = Array.from({ length: parallel }, () => new BackfillWorker(init, (pid) => lock.addWorker(pid)));
  const state = { skipped: 0, succeeded: 0, failed: 0, rows_in: 0, rows_out: 0, bytes_read: 0 };
  const failures: TaskResult[] = [];
  const running = new Set<string>();
  let stop = false;
  let interrupted = false;

  const progress = (last?: BackfillProgress['last']) => {
    const elapsed = performance.now() - started;
    const finished = state.succeeded + state.failed;
    const remaining = total - state.skipped - finished;
    o.onProgress?.({
      total,
      skipped: state.skipped,
      succeeded: state.succeeded,
      failed: state.failed,
      running: [...running],
      elapsed_ms: elapsed,
      eta_ms: finished > 0 ? (remaining * elapsed) / finished : null,
      rows_in: state.rows_in,
      ...(last ? { last } : {}),
    });
  };

  // Partitions still to run, checked lazily so memory stays flat whatever the range.
  async function* todo(): AsyncGenerator<{ date: string; params: Record<string, string> }> {
    for (const date of partitionDates(o.from, o.to, step)) {
      if (stop) return;
      const given = { ...partitionParams(o.params ?? {}, date), run_date: date };
      const params = resolveParams(o.spec, given, date);
      const inputs = await partitionInputs(o.spec, params, o.inbox, o.lake, o.replay ?? false);
      if (inputs && done.has(doneKey(params, specSha, rawFingerprint(inputs)))) {
        state.skipped++;
        progress({ date, status: 'skipped' });
        continue;
      }
      yield { date, params: given };
    }
  }
  const queue = todo();

  const onAbort = () => {
    stop = true;
    interrupted = true;
    for (const w of workers) void w.stop('SIGKILL');
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (;;) {
          const next = await queue.next();
          if (next.done || stop) return;
          running.add(next.value.date);
          progress();
          const r = await worker.run({ type: 'run', date: next.value.date, params: next.value.params });
          running.delete(next.value.date);
          if (interrupted) return;
          state.rows_in += r.rows_in;
          state.rows_out += r.rows_out;
          state.bytes_read += r.bytes_read;
          if (r.status === 'succeeded') state.succeeded++;
          else {
            state.failed++;
            if (failures.length < MAX_FAILURES_KEPT) failures.push(r);
            if (o.failFast) stop = true;
          }
          progress(r);
        }
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.stop()));
    // each worker's DuckDB spill folder (see backfillWorker.ts)
    await Promise.all(workers.flatMap((w) => w.pids).map((pid) => rm(join(o.lake, '.tmp', `worker-${pid}`), { recursive: true, force: true })));
    await lock.release();
  }

  const exit_code = interrupted ? 130 : state.failed === 0 ? EXIT.ok : failures.some((f) => f.exit_code === EXIT.runtime) ? EXIT.runtime : EXIT.rules;
  const summary: Omit<BackfillSummary, 'alerts'> = {
    pipeline: o.spec.name,
    from: o.from,
    to: o.to,
    step,
    total,
    skipped: state.skipped,
    succeeded: state.succeeded,
    failed: state.failed,
    interrupted,
    failures: failures.sort((a, b) => a.date.localeCompare(b.date)),
    failures_total: state.failed,
    rows_in: state.rows_in,
    rows_out: state.rows_out,
    bytes_read: state.bytes_read,
    elapsed_ms: performance.now() - started,
    exit_code,
  };
  const alerts = state.failed > 0 ? await sendAlerts(effectiveAlerts(o.spec.alerts, o.alerts ?? {}), backfillAlert(summary), { cwd: o.projectDir, ...o.alerts }) : [];
  return { ...summary, alerts };
}

function backfillAlert(s: Omit<BackfillSummary, 'alerts'>): AlertMessage {
  const shown = s.failures.slice(0, 5).map((f) => `${f.date}${f.cause ? ` (${f.cause})` : ''}`);
  const now = new Date();
  return {
    source: 'batchbook',
    kind: 'backfill',
    event: 'failure',
    pipeline: s.pipeline,
    run_id: `backfill ${s.from}..${s.to}`,
    status: 'failed',
    exit_code: s.exit_code,
    cause: `${s.failures_total} of ${s.total} partitions failed: ${shown.join('; ')}${s.failures_total > shown.length ? '; …' : ''}`,
    failing_rules: [],
    started_at: new Date(now.getTime() - s.elapsed_ms).toISOString(),
    finished_at: now.toISOString(),
    duration_seconds: s.elapsed_ms / 1000,
  };
}
