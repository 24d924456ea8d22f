// A backfill worker: a child process that runs one partition after another in-process, so a
// five-year daily backfill costs one Node start per worker, not one per day. It dies with its
// parent: when the coordinator is killed, the IPC channel closes and the worker exits at once
// (its run in progress is left incomplete and is redone on resume, never published twice).
import { loadSpec } from '../../core/spec/load.js';
import { runPipeline } from '../runner/run.js';

export interface WorkerInit {
  readonly type: 'init';
  readonly specText: string;
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
export type FromWorker = { readonly type: 'ready' } | TaskResult;

const send = (m: FromWorker) => process.send?.(m);

function workerMain(): void {
  let init: WorkerInit | undefined;
  let spec: ReturnType<typeof loadSpec>['spec'];
  process.on('disconnect', () => process.exit(1));
  process.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      init = m;
      spec = loadSpec(m.specText).spec;
      send({ type: 'ready' });
      return;
    }
    void runTask(init!, spec, m).then(send);
  });
}

async function runTask(init: WorkerInit, spec: ReturnType<typeof loadSpec>['spec'], task: WorkerTask): Promise<TaskResult> {
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
