import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FromWorker, TaskResult, WorkerInit, WorkerTask } from './backfillWorker.js';
import { BackfillError } from './backfillLock.js';

/**
 * The worker script: next to this module once built (backfillWorker.cjs in the CLI bundle); from
 * the sources (vitest runs .ts files), the built copy in dist/, which `npm test` builds first.
 */
export function workerScript(): string {
  for (const name of ['./backfillWorker.cjs', './backfillWorker.js']) {
    const here = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(here)) return here;
  }
  return fileURLToPath(new URL('../../../dist/node/ops/backfillWorker.js', import.meta.url));
}

/** One child process running partitions one after another; replaced if it dies. */
export class BackfillWorker {
  private child: ChildProcess | undefined;
  private pending: { resolve: (r: TaskResult) => void; task: WorkerTask } | undefined;

  constructor(
    private readonly init: WorkerInit,
    private readonly onStart: (pid: number) => Promise<void> = async () => {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async start(): Promise<ChildProcess> {
    const child = fork(workerScript(), [], { env: { ...process.env, BATCHBOOK_BACKFILL_WORKER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        child.off('exit', onExit);
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') reject(new BackfillError(`a backfill worker could not start: ${m.cause}`));
      };
      const onExit = (code: number | null) => reject(new BackfillError(`a backfill worker exited while starting (code ${code})`));
      child.once('message', onMessage);
      child.once('exit', onExit);
      child.send(this.init);
    });
    child.on('message', (m: FromWorker) => {
      if (m.type !== 'result' || !this.pending) return;
      const p = this.pending;
      this.pending = undefined;
      p.resolve(m);
    });
    child.on('exit', (code, signal) => {
      this.child = undefined;
      const p = this.pending;
      this.pending = undefined;
      p?.resolve({ type: 'result', date: p.task.date, run_id: null, status: 'error', exit_code: 1, duration_ms: 0, rows_in: 0, rows_out: 0, bytes_read: 0, cause: `the worker process died (${signal ?? `exit ${code}`})` });
    });
    this.child = child;
    if (child.pid !== undefined) {
      this.pids.push(child.pid);
      await this.onStart(child.pid);
    }
    return child;
  }

  async run(task: WorkerTask): Promise<TaskResult> {
    const child = this.child ?? (await this.start());
    return new Promise((resolve) => {
      this.pending = { resolve, task };
      child.send(task);
    });
  }

  /** Every process this worker started (one, unless one died and was replaced). */
  readonly pids: number[] = [];

  /** Stops the process; resolves once it is gone. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    if (child.connected) child.disconnect();
    return gone;
  }
}
