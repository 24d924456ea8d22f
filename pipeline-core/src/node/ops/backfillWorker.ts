// A backfill worker: a child process that runs one partition after another in-process on one
// DuckDB, so a five-year daily backfill costs one Node start and one DuckDB per worker, not one
// per day. It dies with its
// parent: when the coordinator is killed, the IPC channel closes and the worker exits at once
// (its run in progress is left incomplete and is redone on resume, never published twice).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../core/spec/load.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { lockDownEngine, runPipeline } from '../runner/run.js';
import { duckdbMemoryLimit } from '../runner/memoryLimit.js';

export interface WorkerInit {
  readonly type: 'init';
  readonly specText: string;
  /** The loaded spec (its Parquet schemas may come from the files, which the text leaves out). */
  readonly spec?: Spec;
  readonly projectDir: string;
  readonly inbox: string;
  readonly lake: string;
  readonly replay: boolean;
  readonly memoryLimit: string;
  readonly threads: number;
}

export interface WorkerTask {
  readonly type: 'run';
  readonly date: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface TaskResult {
  readonly type: 'result';
  readonly date: string;
  readonly run_id: string | null;
  readonly status: 'succeeded' | 'failed' | 'error';
  readonly exit_code: number;
  readonly duration_ms: number;
  readonly rows_in: number;
  readonly rows_out: number;
  readonly bytes_read: number;
  readonly cause?: string;
}

export type ToWorker = WorkerInit | WorkerTask;
export type FromWorker = { readonly type: 'ready' } | { readonly type: 'fatal'; readonly cause: string } | TaskResult;

const send = (m: FromWorker) => process.send?.(m);

type Spec = ReturnType<typeof loadSpec>['spec'];

/** One engine for all of the worker's partitions, with the runner's lock-down applied once. */
async function openWorkerEngine(init: WorkerInit): Promise<NodeDuckdbEngine> {
  const tempDirectory = join(init.lake, '.tmp', `worker-${process.pid}`);
  await mkdir(tempDirectory, { recursive: true });
  const engine = await NodeDuckdbEngine.open({ memoryLimit: duckdbMemoryLimit(init.memoryLimit), threads: init.threads, tempDirectory }).catch((e: unknown) => {
    throw new Error(`DuckDB with memory limit ${init.memoryLimit} and ${init.threads} thread(s): ${e instanceof Error ? e.message : String(e)}`);
  });
  await lockDownEngine(engine, init.lake, init.projectDir);
  return engine;
}

function workerMain(): void {
  let ready: Promise<{ init: WorkerInit; spec: Spec; engine: NodeDuckdbEngine }> | undefined;
  process.on('disconnect', () => process.exit(1));
  process.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      ready = openWorkerEngine(m).then((engine) => ({ init: m, spec: m.spec ?? loadSpec(m.specText).spec, engine }));
      ready.then(
        () => send({ type: 'ready' }),
        (e: unknown) => {
          send({ type: 'fatal', cause: (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ') });
          process.disconnect?.();
        },
      );
      return;
    }
    void ready!.then(({ init, spec, engine }) => runTask(init, spec, engine, m)).then(send);
  });
}

async function runTask(init: WorkerInit, spec: Spec, engine: NodeDuckdbEngine, task: WorkerTask): Promise<TaskResult> {
  const started = performance.now();
  const failed = (cause: string): TaskResult => ({ type: 'result', date: task.date, run_id: null, status: 'error', exit_code: 1, duration_ms: performance.now() - started, rows_in: 0, rows_out: 0, bytes_read: 0, cause });
  if (!spec) return failed('the spec does not load');
  try {
    const report = await runPipeline({
      spec,
      specText: init.specText,
      projectDir: init.projectDir,
      inbox: init.inbox,
      lake: init.lake,
      params: task.params,
      replay: init.replay,
      memoryLimit: init.memoryLimit,
      threads: init.threads,
      engine,
      // one summary alert for the whole backfill instead of one per partition
      ops: { alerts: { enabled: false } },
    });
    const failedRules = report.rules.filter((r) => r.status === 'fail' && r.severity === 'error').map((r) => `${r.stage}.${r.name}`);
    return {
      type: 'result',
      date: task.date,
      run_id: report.run_id,
      status: report.status,
      exit_code: report.exit_code,
      duration_ms: report.duration_ms,
      rows_in: report.metrics.rows_in,
      rows_out: report.metrics.rows_out,
      bytes_read: report.metrics.bytes_read,
      ...(report.error ? { cause: `${report.error.stage ? `${report.error.stage}: ` : ''}${report.error.message}` } : failedRules.length ? { cause: `rules failed: ${failedRules.join(', ')}` } : {}),
    };
  } catch (e) {
    return failed(e instanceof Error ? e.message : String(e));
  }
}

if (process.send && process.env['BATCHBOOK_BACKFILL_WORKER'] === '1') workerMain();
