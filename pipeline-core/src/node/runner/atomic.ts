import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, readFile, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Writes a file so readers see the old or the new content, never a half-written one. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** Whether a process lives (this one always does). */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a run's staging folder. Its name carries the owning process id, so recovery can tell
 * a live run's folder from a dead one's from the moment it exists (parallel runs share a lake).
 */
export async function createStaging(stagingRoot: string, runId: string): Promise<string> {
  const dir = join(stagingRoot, `${runId}.pid${process.pid}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Removes staging folders of runs that died (killed or crashed); nothing in them was published. */
export async function recoverStaging(stagingRoot: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(stagingRoot);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries.sort()) {
    const pid = Number(/\.pid(\d+)$/.exec(entry)?.[1]);
    if (pid && alive(pid)) continue;
    await rm(join(stagingRoot, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * One published folder. Readers use `link` (e.g. <lake>/curated/merchant_daily), which is a
 * symbolic link to a complete, immutable version folder under <lake>/.versions/. Publishing
 * builds the new version beside the old one, then swaps the link with one atomic rename:
 * a reader — or a run killed at any instant — sees the old version or the new one, never a mix.
 */
export interface PublishUnit {
  readonly link: string;
  /** The staged content of this run. */
  readonly staged: string;
  /**
   * Partitioned outputs overwrite only the partitions they wrote: the current version's other
   * partition folders are carried into the new version (as hard links: no copying).
   */
  readonly keepOtherPartitions: boolean;
}

export async function publish(lake: string, units: readonly PublishUnit[], versionId: string): Promise<void> {
  for (const [i, unit] of units.entries()) {
    if (i === 1) failpoint('publish-midway');
    await withLock(`${unit.link}.lock`, () => publishUnit(lake, unit, versionId));
  }
}

/**
 * Crash-testing hook: BATCHBOOK_FAILPOINT=<name> kills the process with SIGKILL at that point,
 * so tests can prove a run killed there leaves no partial curated data.
 */
function failpoint(name: string): void {
  if (process.env['BATCHBOOK_FAILPOINT'] === name) process.kill(process.pid, 'SIGKILL');
}

function versionsFolder(lake: string, unitLink: string): string {
  return join(lake, '.versions', relative(lake, unitLink));
}

async function currentTarget(linkPath: string): Promise<string | undefined> {
  try {
    const st = await lstat(linkPath);
    if (st.isSymbolicLink()) return resolve(dirname(linkPath), await readlink(linkPath));
    // a plain folder (written by hand, or by an older layout): adopt it as a version
    return linkPath;
  } catch {
    return undefined;
  }
}

async function publishUnit(lake: string, unit: PublishUnit, versionId: string): Promise<void> {
  const versions = versionsFolder(lake, unit.link);
  const next = join(versions, versionId);
  await mkdir(versions, { recursive: true });
  await rm(next, { recursive: true, force: true });
  await rename(unit.staged, next);
  let current = await currentTarget(unit.link);
  if (current === unit.link) {
    // adopt a plain folder so the link can replace it
    const adopted = join(versions, `adopted-${versionId}`);
    await rename(unit.link, adopted);
    current = adopted;
  }
  if (current && unit.keepOtherPartitions) await carryPartitions(current, next);
  failpoint('before-swap');
  const tmpLink = `${unit.link}.${randomBytes(4).toString('hex')}.swap`;
  await mkdir(dirname(unit.link), { recursive: true });
  await symlink(relative(dirname(unit.link), next), tmpLink, 'dir');
  await rename(tmpLink, unit.link);
  for (const old of await readdir(versions)) {
    if (old !== versionId) await rm(join(versions, old), { recursive: true, force: true });
  }
}

async function leafFolders(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 0) return rel ? [rel] : [];
  return (await Promise.all(dirs.map((d) => leafFolders(root, rel ? join(rel, d.name) : d.name)))).flat();
}

/** Hard-links the partition folders of `from` that `to` did not write. */
async function carryPartitions(from: string, to: string): Promise<void> {
  const written = new Set(await leafFolders(to));
  for (const leaf of await leafFolders(from)) {
    if (written.has(leaf)) continue;
    await mkdir(join(to, leaf), { recursive: true });
    for (const f of await readdir(join(from, leaf))) await link(join(from, leaf, f), join(to, leaf, f));
  }
}

/** A lock file holding the owner's pid; a lock whose owner died is taken over. */
async function withLock<T>(lockPath: string, f: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const h = await open(lockPath, 'wx');
      await h.writeFile(String(process.pid));
      await h.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (!pid || !alive(pid)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (attempt > 1200) throw new Error(`${lockPath} is held by process ${pid}; is another run publishing the same output?`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await f();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
