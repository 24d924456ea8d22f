import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { alive } from './atomic.js';

/**
 * A lock file shared by the runs of one lake (several `batchbook run`s, backfill workers).
 *
 * The file appears with its owner already inside: the owner's pid, host and a nonce are written
 * to a private temp file which is then hard-linked to the lock's name. link() fails when the
 * name exists, so creation is exclusive, and no waiter ever reads a lock that is empty or
 * half-written (the old lock was created empty, then filled: a waiter reading it in between
 * took it for stale and deleted it, and two runs published at once).
 *
 * A lock is only broken when its owner is provably dead: same host and the pid is gone.
 * Breaking happens under a second, short-lived lock (`<name>.break`) and re-checks that the
 * file is still the very lock found dead (same nonce), so two waiters cannot both break it
 * and one of them delete the lock the other has just taken.
 */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly since: string;
  /** What holds it, for the waiting message (e.g. the run id). */
  readonly what?: string;
}

export class LockTimeoutError extends Error {}

export interface LockOptions {
  /** Said in messages and stored in the lock: e.g. `run 20261203T…`. */
  readonly what: string;
  /** Called once when the lock is busy, with a sentence saying who holds it. */
  readonly onWait?: (message: string) => void;
  /** Give up after this long (default 10 minutes). */
  readonly timeoutMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

const HOST = hostname();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** undefined when the lock does not exist (any more). */
async function readHolder(path: string): Promise<{ text: string; holder: LockHolder | undefined } | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return { text, holder: Number.isInteger(h.pid) && typeof h.host === 'string' ? h : undefined };
  } catch {
    return { text, holder: undefined };
  }
}

/** Dead for sure: on this host and its process is gone. A lock of another host is never judged. */
function deadHolder(h: LockHolder): boolean {
  return h.host === HOST && !alive(h.pid);
}

/**
 * Writes `content` to a private temp file and links it to `path`; false when `path` exists.
 * Synchronous calls: taking a free lock is a few metadata calls, and through the thread pool each
 * would wait for the scheduler (milliseconds on a loaded machine) while other runs queue behind.
 */
async function linkNew(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // no fsync: only processes of this boot read a lock, and link() below publishes it whole
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

function holderText(what: string): string {
  const h: LockHolder = { pid: process.pid, host: HOST, nonce: randomBytes(8).toString('hex'), since: new Date().toISOString(), what };
  return JSON.stringify(h);
}

/** A file without a readable holder is not ours to judge, unless it is old (left by a foreign tool). */
async function unreadableAndOld(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  return st !== undefined && Date.now() - st.mtimeMs > 60_000;
}

/**
 * Removes the lock at `path` if it is still the dead lock `deadText`. Done under `<path>.break`,
 * held for a few system calls; a breaker that died holding it is itself removed once dead.
 */
async function breakDeadLock(path: string, deadText: string): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await linkNew(breaker, holderText('breaking a dead lock')))) {
    const b = await readHolder(breaker);
    if (b && (b.holder ? deadHolder(b.holder) : await unreadableAndOld(breaker))) await unlink(breaker).catch(() => undefined);
    return; // the caller retries
  }
  try {
    const now = await readHolder(path);
    if (now?.text === deadText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

function describe(h: LockHolder | undefined): string {
  return h ? `${h.what ?? 'a run'} (pid ${h.pid}${h.host === HOST ? '' : ` on ${h.host}`}, since ${h.since})` : 'another process';
}

export async function acquireLock(path: string, opts: LockOptions): Promise<HeldLock> {
  await mkdir(dirname(path), { recursive: true });
  const mine = holderText(opts.what);
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  let told = false;
  let pause = 1;
  // try to create the lock only when it looks free: an attempt writes and syncs a file
  while (!(await linkNew(path, mine))) {
    for (;;) {
      const found = await readHolder(path);
      if (!found) break; // released meanwhile
      if (found.holder ? deadHolder(found.holder) : await unreadableAndOld(path)) {
        await breakDeadLock(path, found.text);
        break;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(`gave up waiting for ${path}: it is held by ${describe(found.holder)}`);
      if (!told) opts.onWait?.(`waiting for ${describe(found.holder)} to release ${path}`);
      told = true;
      // commits hold the lock for milliseconds: look again soon, then less often (jittered, so waiters spread)
      pause = Math.min(pause * 2, 50);
      await sleep(pause / 2 + Math.random() * pause);
    }
  }
  return {
    async release() {
      // only our own lock: never one a (wrongly) breaking process has put in its place
      if ((await readHolder(path))?.text === mine) await unlink(path).catch(() => undefined);
    },
  };
}

export async function withLock<T>(path: string, opts: LockOptions, f: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, opts);
  try {
    return await f();
  } finally {
    await lock.release();
  }
}

/** At start: removes the locks (and their temp files) whose owners died on this host. */
export async function clearDeadLocks(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const p = join(dir, name);
    const tmpPid = /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name)?.[1];
    if (tmpPid) {
      if (!alive(Number(tmpPid))) {
        await unlink(p).catch(() => undefined);
        removed.push(name);
      }
      continue;
    }
    if (!name.endsWith('.lock')) continue;
    const found = await readHolder(p);
    if (found?.holder && deadHolder(found.holder)) {
      await breakDeadLock(p, found.text);
      removed.push(name);
    }
  }
  return removed;
}
