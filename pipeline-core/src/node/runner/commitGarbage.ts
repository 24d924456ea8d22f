import { readdir, readFile, realpath, rm, rmdir, unlink } from './commitFs.js';
import { dirname, join } from 'node:path';
import { COMMITS, CURRENT_LINK, currentUnitPath, fromPosix, leafOf, nodeVersionPath, unitVersionPath, type CommitManifest } from './commitTree.js';
import { removeStaleLinks } from './readerLinks.js';

/**
 * Garbage of the commits (see commitRun.ts). Each commit records what it replaced, so collecting
 * costs what the run wrote, never a walk over the lake. Every step is idempotent: recovery
 * repeats it for a run killed halfway through.
 */
export async function collectGarbage(lake: string, manifest: CommitManifest): Promise<void> {
  const gone = [...manifest.replaced];
  if (manifest.previous) gone.push(`${COMMITS}/${manifest.previous}`);
  await Promise.all(gone.map((rel) => removeShallow(join(lake, fromPosix(rel)))));
  // a unit removed (a date whose rejects are gone) leaves no empty folder behind
  for (const rel of manifest.replaced) if (rel.startsWith('.units/')) await rmdir(dirname(join(lake, fromPosix(rel)))).catch(() => undefined);
}

/**
 * Removes a folder whose entries are files or links (a node version, a commit folder, a flat unit
 * version) with one call per entry — a recursive rm would also stat each one. Anything deeper is
 * left to rm.
 */
async function removeShallow(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries === undefined) return;
  await Promise.all(entries.map((e) => unlink(join(dir, e)).catch(() => rm(join(dir, e), { recursive: true, force: true }))));
  await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
}

/** The real path of what the current commit shows for `unit`; undefined when it holds no such unit. */
async function liveVersion(lake: string, unit: string): Promise<string | undefined> {
  return realpath(join(lake, fromPosix(currentUnitPath(unit)))).catch(() => undefined);
}

/**
 * A commit folder that is not current: a run killed before its swap (or an older commit whose
 * successor's clean-up was cut short). Its versions that the current commit does not show are
 * removed, with the reader links it made for them, and then the folder.
 */
export async function discardCommit(lake: string, runId: string): Promise<void> {
  const dir = join(lake, COMMITS, runId);
  const units = await readIntent(dir);
  for (const unit of units) {
    const version = join(lake, fromPosix(unitVersionPath(unit, runId)));
    const real = await realpath(version).catch(() => undefined);
    if (real !== undefined && real !== (await liveVersion(lake, unit))) await rm(version, { recursive: true, force: true });
    await removeStaleLinks(lake, unit);
  }
  // its node versions: those on the paths to its units that the current tree does not use
  const current = await realpath(join(lake, CURRENT_LINK, 'tree')).catch(() => undefined);
  const prefixes = new Set(units.flatMap((u) => leafOf(u).map((_, i, all) => all.slice(0, i + 1).join('/'))));
  for (const prefix of ['', ...prefixes]) {
    const digits = prefix ? prefix.split('/') : [];
    const version = join(lake, fromPosix(nodeVersionPath(digits, runId)));
    const used = current ? await realpath(join(current, ...digits)).catch(() => undefined) : undefined;
    if (used !== (await realpath(version).catch(() => undefined))) await rm(version, { recursive: true, force: true });
  }
  await rm(dir, { recursive: true, force: true });
}

async function readIntent(dir: string): Promise<string[]> {
  try {
    return (JSON.parse(await readFile(join(dir, 'intent.json'), 'utf8')) as { touched: string[] }).touched;
  } catch {
    return [];
  }
}
