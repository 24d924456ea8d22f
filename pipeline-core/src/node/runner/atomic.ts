import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is only someone else's
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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

/**
 * Removes the folders of runs that died (killed or crashed) under `root`: staging (nothing in it
 * was published) and spill folders (`<lake>/.tmp/<run>.pid<pid>`). Folders are named `….pid<pid>`.
 */
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
    // a folder without a pid is from an older runner, and only removed when it says whose it is
    if (!pid || alive(pid)) continue;
    await rm(join(stagingRoot, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * Crash-testing hook: BATCHBOOK_FAILPOINT=<name> kills the process with SIGKILL at that point,
 * so tests can prove a run killed there leaves no partial curated data.
 */
export function failpoint(name: string): void {
  if (process.env['BATCHBOOK_FAILPOINT'] === name) process.kill(process.pid, 'SIGKILL');
}
