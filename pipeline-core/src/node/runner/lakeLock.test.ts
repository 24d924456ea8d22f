import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../testing/fixtures.js';
import { acquireLock, clearDeadLocks, LockTimeoutError, withLock } from './lakeLock.js';

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});
async function dir(): Promise<string> {
  const d = await tempDir('bb-lock-');
  made.push(d);
  return d;
}

/** A process that lives until killed, and one that has already exited (its pid is dead). */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.on('close', r));
  return child.pid!;
}
const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, nonce: `n${pid}`, since: '2026-12-03T00:00:00.000Z', what: `run of pid ${pid}` });

describe('the lake lock', () => {
  it('admits one holder at a time among many waiters', async () => {
    const path = join(await dir(), 'commit.lock');
    let inside = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        withLock(path, { what: 'a test' }, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
          done++;
        }),
      ),
    );
    expect([most, done]).toEqual([1, 30]);
  });

  it('never takes a live owner’s lock: it waits, says so, and gives up with the owner named', async () => {
    const d = await dir();
    const path = join(d, 'commit.lock');
    const owner = liveProcess();
    try {
      await writeFile(path, holder(owner.pid));
      const said: string[] = [];
      const err = await acquireLock(path, { what: 'a test', timeoutMs: 300, onWait: (m) => said.push(m) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockTimeoutError);
      expect((err as Error).message).toContain(`held by run of pid ${owner.pid} (pid ${owner.pid}, since 2026-12-03T00:00:00.000Z)`);
      expect(said).toEqual([`waiting for run of pid ${owner.pid} (pid ${owner.pid}, since 2026-12-03T00:00:00.000Z) to release ${path}`]);
    } finally {
      owner.stop();
    }
  });

  it('takes over the lock of a dead owner on this host, but not one of another host', async () => {
    const d = await dir();
    const dead = await deadPid();
    await writeFile(join(d, 'here.lock'), holder(dead));
    const lock = await acquireLock(join(d, 'here.lock'), { what: 'a test', timeoutMs: 2000 });
    await lock.release();
    await writeFile(join(d, 'there.lock'), holder(dead, 'another-host'));
    await expect(acquireLock(join(d, 'there.lock'), { what: 'a test', timeoutMs: 200 })).rejects.toThrow(/held by .* on another-host/);
    expect((await readdir(d)).sort()).toEqual(['there.lock']);
  });

  it('clears the locks of dead owners at start and keeps live ones', async () => {
    const d = await dir();
    const owner = liveProcess();
    try {
      const dead = await deadPid();
      await writeFile(join(d, 'dead.lock'), holder(dead));
      await writeFile(join(d, 'live.lock'), holder(owner.pid));
      await writeFile(join(d, `live.lock.${dead}.0123abcd.tmp`), holder(dead));
      expect((await clearDeadLocks(d)).sort()).toEqual(['dead.lock', `live.lock.${dead}.0123abcd.tmp`]);
      expect(await readdir(d)).toEqual(['live.lock']);
    } finally {
      owner.stop();
    }
  });
});
