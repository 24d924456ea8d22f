import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** One move of a publish: `from` (staged) replaces `to`; the old `to` goes to `trash`. */
export interface PublishMove {
  readonly from: string;
  readonly to: string;
  readonly trash: string;
}

const JOURNAL = 'publish.json';
const OWNER = 'owner.json';

/** Creates a run's staging folder, marked with the owning process so recovery leaves live runs alone. */
export async function createStaging(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, OWNER), JSON.stringify({ pid: process.pid }));
}

async function ownerAlive(dir: string): Promise<boolean> {
  try {
    const { pid } = JSON.parse(await readFile(join(dir, OWNER), 'utf8')) as { pid: number };
    if (pid === process.pid) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Publishes staged outputs with a roll-forward journal: the list of moves is written first
 * (atomically), then each move is two renames. If the process dies half-way, the next run
 * finishes the moves from the journal before doing anything else, so curated data is never
 * left half old, half new.
 */
export async function publish(stagingDir: string, moves: readonly PublishMove[]): Promise<void> {
  await writeFileAtomic(join(stagingDir, JOURNAL), JSON.stringify({ moves }, null, 2));
  await applyMoves(moves);
  await rm(stagingDir, { recursive: true, force: true });
}

async function applyMoves(moves: readonly PublishMove[]): Promise<void> {
  for (const m of moves) {
    if (!(await exists(m.from))) continue; // already moved before a crash
    await mkdir(dirname(m.to), { recursive: true });
    if (await exists(m.to)) {
      await mkdir(dirname(m.trash), { recursive: true });
      await rename(m.to, m.trash);
    }
    await rename(m.from, m.to);
  }
  for (const m of moves) await rm(m.trash, { recursive: true, force: true });
}

/**
 * Cleans up after runs that were killed: a staging folder with a journal is rolled forward
 * (its publish had begun); one without is discarded (nothing of it was published).
 * Returns the staging folders it rolled forward.
 */
export async function recoverStaging(stagingRoot: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(stagingRoot);
  } catch {
    return [];
  }
  const rolled: string[] = [];
  for (const entry of entries.sort()) {
    const dir = join(stagingRoot, entry);
    if (await ownerAlive(dir)) continue; // another run, still working
    const journal = join(dir, JOURNAL);
    if (await exists(journal)) {
      const { moves } = JSON.parse(await readFile(journal, 'utf8')) as { moves: PublishMove[] };
      await applyMoves(moves);
      rolled.push(entry);
    }
    await rm(dir, { recursive: true, force: true });
  }
  return rolled;
}
