import { randomBytes } from 'node:crypto';
import type { RunResult, RunUpdate } from '@batchbook/pipeline-core';
import type { RunnerJob, RunnerMessage } from './jobs.js';

/** The parts of Electron's UtilityProcess the manager uses (a test double stands in for it). */
export interface ChildProcessLike {
  postMessage(message: RunnerJob): void;
  on(event: 'message', listener: (message: RunnerMessage) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  kill(): boolean;
}

export type RunListener = (runId: string, event: RunUpdate) => void;

/** One utility process per run or export, ended when it answers; progress goes to the window, cancel kills the process. */
export class RunManager {
  private readonly running = new Map<string, { child: ChildProcessLike; done: boolean }>();

  constructor(
    private readonly fork: () => ChildProcessLike,
    private readonly listener: RunListener,
  ) {}

  start(job: RunnerJob): string {
    const runId = `run-${randomBytes(6).toString('hex')}`;
    const child = this.fork();
    const entry = { child, done: false };
    this.running.set(runId, entry);
    const finish = (result: RunResult) => {
      if (entry.done) return;
      entry.done = true;
      this.running.delete(runId);
      this.listener(runId, { type: 'done', result });
    };
    child.on('message', (m) => {
      if (m.type === 'progress') this.listener(runId, m.progress);
      else {
        finish(m.outcome);
        // its work is done: a utility process listening for jobs would otherwise live on
        child.kill();
      }
    });
    child.on('exit', (code) => finish({ exitCode: code || 1, status: 'error', message: `the runner stopped unexpectedly (exit ${code})` }));
    // the id goes back to the renderer before any progress can arrive
    queueMicrotask(() => child.postMessage(job));
    return runId;
  }

  /** A run that never started (the user said no before it could): the window hears its end like any other's. */
  notStarted(result: RunResult): string {
    const runId = `run-${randomBytes(6).toString('hex')}`;
    queueMicrotask(() => this.listener(runId, { type: 'done', result }));
    return runId;
  }

  cancel(runId: string): void {
    const entry = this.running.get(runId);
    if (!entry) return;
    entry.done = true;
    this.running.delete(runId);
    entry.child.kill();
    this.listener(runId, { type: 'done', result: { exitCode: 130, status: 'cancelled', message: 'cancelled: nothing was published by this run' } });
  }

  cancelAll(): void {
    for (const id of [...this.running.keys()]) this.cancel(id);
  }
}
