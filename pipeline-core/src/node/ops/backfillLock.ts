import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One backfill of a pipeline per lake at a time: two would run the same partitions twice.
 * A lock left by a killed backfill is taken over once its process is gone.
 */
export class BackfillError extends Error {}

export interface BackfillLock {
  /** Records a worker process: a resumed backfill also waits for orphaned workers to be gone. */
  addWorker(pid: number): Promise<void>;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireBackfillLock(lake: string, pipeline: string, waitMs = 5000): Promise<BackfillLock> {
  const dir = join(lake, '.backfill');
  const file = join(dir, `${pipeline}.lock`);
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid, workers: [] }), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: { pid?: number; workers?: number[] } = {};
    try {
      holder = JSON.parse(await readFile(file, 'utf8')) as typeof holder;
    } catch {
      // unreadable or half-written: treat as stale
    }
    const live = [holder.pid, ...(holder.workers ?? [])].filter((p): p is number => p !== undefined && alive(p));
    if (live.length === 0) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new BackfillError(`another backfill of ${pipeline} is running on this lake (pid ${live.join(', ')}); stop it first, or wait for it to finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const workers: number[] = [];
  const started_at = new Date().toISOString();
  return {
    addWorker: async (pid) => {
      workers.push(pid);
      await writeFile(file, JSON.stringify({ pid: process.pid, workers, started_at }));
    },
    release: () => rm(file, { force: true }),
  };
}
