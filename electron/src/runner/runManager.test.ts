import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RunnerJob, RunnerMessage } from './jobs.js';
import { RunManager, type ChildProcessLike, type RunListener } from './runManager.js';
import { progressOf } from './runnerChild.js';

class FakeChild extends EventEmitter {
  jobs: RunnerJob[] = [];
  killed = false;
  postMessage(job: RunnerJob) {
    this.jobs.push(job);
  }
  kill() {
    this.killed = true;
    return true;
  }
  say(m: RunnerMessage) {
    this.emit('message', m);
  }
}

function manager() {
  const children: FakeChild[] = [];
  const events: Parameters<RunListener>[] = [];
  const m = new RunManager(
    () => {
      const c = new FakeChild();
      children.push(c);
      return c as unknown as ChildProcessLike;
    },
    (...e) => events.push(e),
  );
  return { m, children, events };
}

const job: RunnerJob = { kind: 'run', projectDir: '/p', params: {} };

describe('RunManager', () => {
  it('runs each job in its own process and forwards progress, then the outcome', async () => {
    const { m, children, events } = manager();
    const id = m.start(job);
    await Promise.resolve();
    expect(children[0]!.jobs).toEqual([job]);
    children[0]!.say({ type: 'progress', progress: { type: 'stage', stage: 'raw', index: 0, total: 2, state: 'start' } });
    children[0]!.say({ type: 'done', outcome: { exitCode: 3, status: 'failed' } });
    expect(children[0]!.killed).toBe(true); // its work is done: no idle runner process is left behind
    children[0]!.emit('exit', 0);
    expect(events).toEqual([
      [id, { type: 'stage', stage: 'raw', index: 0, total: 2, state: 'start' }],
      [id, { type: 'done', result: { exitCode: 3, status: 'failed' } }],
    ]);
  });
  it('cancels by killing the process, and says so once', () => {
    const { m, children, events } = manager();
    const id = m.start(job);
    m.cancel(id);
    children[0]!.emit('exit', 1);
    expect(children[0]!.killed).toBe(true);
    expect(events).toEqual([[id, { type: 'done', result: { exitCode: 130, status: 'cancelled', message: 'cancelled: nothing was published by this run' } }]]);
  });
  it('ends a run that never started, after its id is handed out, without a process', async () => {
    const { m, children, events } = manager();
    const id = m.notStarted({ exitCode: 130, status: 'cancelled', message: 'not run' });
    expect(events).toEqual([]);
    await Promise.resolve();
    expect(events).toEqual([[id, { type: 'done', result: { exitCode: 130, status: 'cancelled', message: 'not run' } }]]);
    expect(children).toEqual([]);
  });
  it('reports a runner that dies without an answer', () => {
    const { m, children, events } = manager();
    const id = m.start(job);
    children[0]!.emit('exit', 9);
    expect(events).toEqual([[id, { type: 'done', result: { exitCode: 9, status: 'error', message: 'the runner stopped unexpectedly (exit 9)' } }]]);
  });
});

describe('progressOf', () => {
  it('turns the runner’s events into progress the window shows', () => {
    expect(progressOf({ event: 'stage_start', stage: 'raw', kind: 'ingest', index: 1, total: 4 })).toEqual({ type: 'stage', stage: 'raw', index: 1, total: 4, state: 'start' });
    expect(progressOf({ event: 'stage_end', index: 1, total: 4, result: { name: 'raw', kind: 'ingest', rows_in: 5, rows_out: 4, rejected: 1, filtered: 0, ms: 3 } })).toEqual({ type: 'stage', stage: 'raw', index: 1, total: 4, state: 'end', rows: 4, rejected: 1, ms: 3 });
  });
});
