import { link, lstat, mkdir, readdir, readFile, realpath, rename, rm, unlink } from './commitFs.js';
import { dirname, basename, join, relative } from 'node:path';
import { CURRENT_LINK, fromPosix } from './commitTree.js';
import type { CommitPlan } from './commitRun.js';
import { filesUnder } from './readerLinks.js';

/**
 * Lakes written by older runners hold, where a unit's reader folder belongs, either a link to a
 * whole version folder (`curated/<output>` → `.versions/…`, one link per output or rejects date)
 * or a plain folder of files. Before a run commits into such a place, what is there is adopted:
 * hard-linked (no copying) into unit versions and committed as they are (commit `adopted-<run>`),
 * so readers see the same data throughout; then the old link is replaced by a folder of reader
 * links (two renames: the one moment the output is absent), or a plain folder's files by links
 * (one rename each). Paid once per output, by the first run that writes into it.
 */
type Commit = (lake: string, plan: CommitPlan) => Promise<void>;
type Root = { readonly path: string; readonly kind: 'link' | 'plain' };

const shadowOf = (p: string) => join(dirname(p), `.${basename(p)}.migrating`);

export async function migrateLegacyLayout(lake: string, units: readonly string[], runId: string, commit: Commit): Promise<void> {
  const roots = new Map<string, Root>();
  // the linked layouts kept their versions in .versions: without it, only plain folders can be there
  const linked = (await lstat(join(lake, '.versions')).catch(() => undefined)) !== undefined;
  const found = linked ? [...(await legacyRoots(lake, units)), ...(await firstLayoutUnits(lake))] : await plainRoots(lake, units);
  for (const r of found) roots.set(r.path, r);
  if (roots.size === 0) return;
  const id = `adopted-${runId}`;
  const staging = join(lake, '.staging', `${id}.pid${process.pid}`);
  const planned: { unit: string; staged: string }[] = [];
  const moves: Root[] = [];
  for (const root of roots.values()) {
    const at = join(lake, fromPosix(root.path));
    const content = await realpath(at).catch(() => undefined);
    if (content === undefined) {
      await unlink(at); // a link to nothing: nothing was visible there
      continue;
    }
    // a link above the unit is a partitioned output: each of its leaf folders is a unit
    const parts = root.kind === 'link' && !units.includes(root.path) ? await leafDirs(content) : [''];
    for (const rel of parts) {
      const unit = rel ? `${root.path}/${rel.split('\\').join('/')}` : root.path;
      await hardLinkTree(join(content, rel), join(staging, fromPosix(unit)));
      planned.push({ unit, staged: join(staging, fromPosix(unit)) });
    }
    if (root.kind === 'link') moves.push(root);
  }
  const shadowFor = (unit: string) => {
    const r = moves.find((m) => unit === m.path || unit.startsWith(`${m.path}/`));
    return r ? join(shadowOf(join(lake, fromPosix(r.path))), fromPosix(unit.slice(r.path.length))) : undefined;
  };
  await commit(lake, { id, units: planned, linkDir: shadowFor });
  for (const m of moves) await replaceLink(lake, join(lake, fromPosix(m.path)));
  await rm(staging, { recursive: true, force: true });
}

/** The old link goes, the folder of reader links built beside it takes its place; the old version folder is removed. */
async function replaceLink(lake: string, at: string): Promise<void> {
  const content = await realpath(at).catch(() => undefined);
  const shadow = shadowOf(at);
  await mkdir(shadow, { recursive: true });
  await unlink(at);
  await rename(shadow, at);
  if (content && !relative(join(lake, '.versions'), content).startsWith('..')) await rm(content, { recursive: true, force: true });
}

async function legacyRoots(lake: string, units: readonly string[]): Promise<Root[]> {
  const out: Root[] = [];
  for (const unit of units) {
    const segs = unit.split('/');
    for (let i = 2; i <= segs.length; i++) {
      const p = join(lake, ...segs.slice(0, i));
      const st = (await lstat(p).catch(() => undefined)) ?? (await finishCutMigration(p));
      if (!st || !st.isDirectory()) {
        if (st?.isSymbolicLink()) out.push({ path: segs.slice(0, i).join('/'), kind: 'link' });
        break;
      }
      if (i === segs.length && (await holdsPlainFile(p))) out.push({ path: unit, kind: 'plain' });
    }
  }
  return out;
}

/** A migration killed between its two renames left the new folder beside the missing old link: move it in. */
async function finishCutMigration(p: string) {
  if (!(await lstat(shadowOf(p)).catch(() => undefined))?.isDirectory()) return undefined;
  await rename(shadowOf(p), p);
  return lstat(p);
}

/** The reverted first commit layout (manifest version 1): every unit's link goes through `.current`, so all are adopted at once. */
/** Units that are plain folders of files (the oldest layout): one lstat per unit when there are none. */
async function plainRoots(lake: string, units: readonly string[]): Promise<Root[]> {
  const out: Root[] = [];
  for (const unit of units) {
    const p = join(lake, fromPosix(unit));
    if ((await lstat(p).catch(() => undefined))?.isDirectory() && (await holdsPlainFile(p))) out.push({ path: unit, kind: 'plain' });
  }
  return out;
}

async function firstLayoutUnits(lake: string): Promise<Root[]> {
  try {
    const m = JSON.parse(await readFile(join(lake, CURRENT_LINK, 'manifest.json'), 'utf8')) as { commit_version: number; units?: Record<string, string> };
    return m.commit_version === 1 ? Object.keys(m.units ?? {}).map((path) => ({ path, kind: 'link' as const })) : [];
  } catch {
    return [];
  }
}

async function holdsPlainFile(dir: string): Promise<boolean> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isFile() || (e.isDirectory() && (await holdsPlainFile(join(dir, e.name))))) return true;
  }
  return false;
}

async function leafDirs(root: string, rel = ''): Promise<string[]> {
  const dirs = (await readdir(join(root, rel), { withFileTypes: true })).filter((e) => e.isDirectory());
  if (dirs.length === 0) return rel ? [rel] : [];
  return (await Promise.all(dirs.map((d) => leafDirs(root, rel ? join(rel, d.name) : d.name)))).flat();
}

async function hardLinkTree(from: string, to: string): Promise<void> {
  for (const f of await filesUnder(from)) {
    await mkdir(dirname(join(to, f)), { recursive: true });
    await link(join(from, f), join(to, f));
  }
}
