import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { failpoint, writeFileAtomic } from './atomic.js';
import { withLock } from './lakeLock.js';

/**
 * One commit per run: every output, the rejects and the report of a run become visible
 * together, or not at all.
 *
 * Layout of a lake (paths relative to it):
 *   .versions/<unit>/<run_id>/        complete, immutable content of one unit (an output folder,
 *                                     or the rejects of one run date) as one run published it
 *   .commits/<run_id>/manifest.json   which version every unit is at after that run
 *   .commits/<run_id>/report.json     that run's report
 *   .commits/<run_id>/tree/<unit>     symbolic link to the unit's version
 *   .current                          symbolic link to the current commit: THE one pointer
 *   curated/<output>, rejects/<date>  stable links into .current/tree/<unit>
 *
 * A run builds its versions and its commit folder beside the current one, then swaps `.current`
 * with one rename: a reader, or a run killed at any instant, sees the whole of the old commit or
 * the whole of the new one. Commits are made one at a time under a lake-wide lock; each commit
 * carries every unit of the one before it, and a partitioned output carries the partitions other
 * runs wrote, so runs of different dates never lose each other's data.
 *
 * The report is part of the commit. After the swap it is also written to runs/<run_id>/, where
 * history readers look first; a run killed between the two is read from the commit (and its
 * report copied out at the next commit or start).
 */
export interface CommitUnit {
  /** Posix path inside the lake, e.g. `curated/merchant_daily` or `rejects/2026-11-24`. */
  readonly unit: string;
  /** The staged content of this run. */
  readonly staged: string;
  /** Partitioned outputs overwrite only the partitions they wrote; the others are carried (hard links, no copying). */
  readonly keepOtherPartitions: boolean;
}

export interface CommitManifest {
  readonly commit_version: 1;
  readonly run_id: string;
  /** unit → its version folder, relative to the lake. */
  readonly units: Readonly<Record<string, string>>;
}

export const CURRENT_LINK = '.current';
const COMMITS = '.commits';
const VERSIONS = '.versions';

export function commitLockPath(lake: string): string {
  return join(lake, '.locks', 'commit.lock');
}

const fromPosix = (p: string) => p.split('/').join(sep);

/** The current commit's manifest; undefined for a lake never committed to. */
export async function currentCommit(lake: string): Promise<CommitManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(lake, CURRENT_LINK, 'manifest.json'), 'utf8')) as CommitManifest;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The report of the current commit's run, as text (readers use it when runs/<id>/report.json is not there yet). */
export async function currentCommitReport(lake: string): Promise<{ runId: string; text: string } | undefined> {
  const m = await currentCommit(lake);
  if (!m) return undefined;
  try {
    return { runId: m.run_id, text: await readFile(join(lake, COMMITS, m.run_id, 'report.json'), 'utf8') };
  } catch {
    return undefined;
  }
}

/** Replaces (or creates) a symbolic link in one rename. */
async function swapLink(linkPath: string, target: string): Promise<void> {
  await mkdir(dirname(linkPath), { recursive: true });
  const tmp = `${linkPath}.${randomBytes(4).toString('hex')}.swap`;
  await symlink(target, tmp, 'dir');
  await rename(tmp, linkPath);
}

export interface CommitOptions {
  readonly runId: string;
  readonly units: readonly CommitUnit[];
  readonly reportText: string;
  readonly onWait?: (message: string) => void;
  readonly lockTimeoutMs?: number;
}

export async function commitRun(lake: string, opts: CommitOptions): Promise<void> {
  const what = `run ${opts.runId}`;
  await withLock(commitLockPath(lake), { what, ...(opts.onWait ? { onWait: opts.onWait } : {}), ...(opts.lockTimeoutMs ? { timeoutMs: opts.lockTimeoutMs } : {}) }, async () => {
    failpoint('commit-locked');
    const previous = await currentCommit(lake);
    if (previous) await rollForwardReport(lake, previous.run_id);
    const units: Record<string, string> = { ...(previous?.units ?? {}) };
    // An empty unit (a date without rejects) is left out of the commit instead of kept as an
    // empty version: the manifest of a five-year backfill stays as small as its rejects.
    const empty = new Set<string>();
    for (const u of opts.units) {
      if (!u.keepOtherPartitions && (await readdir(u.staged)).length === 0) {
        empty.add(u.unit);
        delete units[u.unit];
      } else units[u.unit] = await buildVersion(lake, u, opts.runId, previous);
    }
    const kept = opts.units.filter((u) => !empty.has(u.unit));
    failpoint('commit-versions');
    await writeCommitFolder(lake, { commit_version: 1, run_id: opts.runId, units }, opts.reportText);
    failpoint('commit-written');
    // a new unit's link dangles until the swap: to readers, the unit does not exist yet
    for (const u of kept) if (!(await lstat(join(lake, fromPosix(u.unit))).catch(() => undefined))) await ensureStableLink(lake, u.unit, opts.runId);
    failpoint('commit-linked');
    await swapLink(join(lake, CURRENT_LINK), `${COMMITS}/${opts.runId}`);
    failpoint('commit-swapped');
    // Committed. What follows is tidying that the next start (or commit) repeats, so a failure
    // here must not turn a published run into a failed one.
    await afterSwap(lake, kept, [...empty], units, opts.runId).catch(() => undefined);
  });
}

async function afterSwap(lake: string, kept: readonly CommitUnit[], emptied: readonly string[], units: Readonly<Record<string, string>>, runId: string): Promise<void> {
  // links of an older layout (straight to a version, or a plain folder) move to .current now
  for (const u of kept) await ensureStableLink(lake, u.unit, runId);
  for (const unit of emptied) await removeOwnLink(join(lake, fromPosix(unit)));
  const touched = [...kept.map((u) => u.unit), ...emptied];
  await rollForwardReport(lake, runId);
  failpoint('commit-reported');
  await collectGarbage(lake, units, touched, runId);
}

/** Removes a stable link (ours: into .current/tree) that now points at nothing; anything else is left alone. */
async function removeOwnLink(p: string): Promise<void> {
  const target = await readlink(p).catch(() => undefined);
  if (target?.includes(`${CURRENT_LINK}/tree/`) && !(await stat(p).then(() => true, () => false))) await rm(p, { force: true });
}

/** The version folder a unit points to now, or (old layouts) the folder its link or plain folder holds. */
async function currentVersion(lake: string, unit: string, previous: CommitManifest | undefined): Promise<string | undefined> {
  const known = previous?.units[unit];
  if (known) return join(lake, fromPosix(known));
  const linkPath = join(lake, fromPosix(unit));
  try {
    const st = await lstat(linkPath);
    if (!st.isSymbolicLink()) return st.isDirectory() ? linkPath : undefined;
    return resolve(dirname(linkPath), await readlink(linkPath));
  } catch {
    return undefined;
  }
}

async function buildVersion(lake: string, u: CommitUnit, runId: string, previous: CommitManifest | undefined): Promise<string> {
  const rel = `${VERSIONS}/${u.unit}/${runId}`;
  const next = join(lake, fromPosix(rel));
  await mkdir(dirname(next), { recursive: true });
  await rm(next, { recursive: true, force: true });
  await rename(u.staged, next);
  const current = await currentVersion(lake, u.unit, previous);
  if (current && u.keepOtherPartitions) await carryPartitions(current, next).catch((e: unknown) => {
    // a link that dangles (a first commit killed before its swap) has nothing to carry
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  });
  return rel;
}

async function writeCommitFolder(lake: string, manifest: CommitManifest, reportText: string): Promise<void> {
  const dir = join(lake, COMMITS, manifest.run_id);
  await rm(dir, { recursive: true, force: true });
  const entries = Object.entries(manifest.units);
  for (const parent of new Set(entries.map(([unit]) => dirname(join(dir, 'tree', fromPosix(unit)))))) await mkdir(parent, { recursive: true });
  // many units (a rejects folder per date): 64 links in flight at a time
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(
      entries.slice(i, i + 64).map(([unit, version]) => {
        const at = join(dir, 'tree', fromPosix(unit));
        return symlink(relative(dirname(at), join(lake, fromPosix(version))), at, 'dir');
      }),
    );
  }
  await writeFileAtomic(join(dir, 'report.json'), reportText);
  await writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** `curated/x` → `../.current/tree/curated/x`. A plain folder there (older layout) is kept as a version until collected. */
async function ensureStableLink(lake: string, unit: string, runId: string): Promise<void> {
  const linkPath = join(lake, fromPosix(unit));
  const target = relative(dirname(linkPath), join(lake, CURRENT_LINK, 'tree', fromPosix(unit)));
  const st = await lstat(linkPath).catch(() => undefined);
  if (st?.isSymbolicLink() && (await readlink(linkPath)) === target) return;
  if (st && !st.isSymbolicLink()) {
    // the older layout's plain folder: it is the previous version, keep it for the old commit's readers
    await rename(linkPath, join(lake, VERSIONS, fromPosix(unit), `adopted-${runId}`));
  }
  await swapLink(linkPath, target);
}

/** Writes runs/<id>/report.json from the commit, when the run was killed before writing it. */
export async function rollForwardReport(lake: string, runId: string): Promise<void> {
  const file = join(lake, 'runs', runId, 'report.json');
  if (await lstat(file).then(() => true, () => false)) return;
  const text = await readFile(join(lake, COMMITS, runId, 'report.json'), 'utf8').catch(() => undefined);
  if (text !== undefined) await writeFileAtomic(file, text);
}

/** Old commits, and the versions of the units this run touched that no commit refers to any more. */
async function collectGarbage(lake: string, units: Readonly<Record<string, string>>, touched: readonly string[], runId: string): Promise<void> {
  for (const name of await readdir(join(lake, COMMITS))) {
    if (name !== runId) await rm(join(lake, COMMITS, name), { recursive: true, force: true });
  }
  const live = new Set(Object.values(units).map((v) => join(lake, fromPosix(v))));
  for (const unit of touched) {
    const dir = join(lake, VERSIONS, fromPosix(unit));
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!live.has(join(dir, name))) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * At the start of a run after a run died (under the commit lock): the current commit's report is
 * copied out, and stable links that point at nothing (a first commit killed before its swap) are removed.
 */
export async function recoverCommits(lake: string): Promise<void> {
  await withLock(commitLockPath(lake), { what: 'recovery at the start of a run' }, async () => {
    const current = await currentCommit(lake);
    if (current) await rollForwardReport(lake, current.run_id);
    for (const unit of Object.keys(current?.units ?? {})) await ensureStableLink(lake, unit, current!.run_id);
    for (const top of ['curated', 'rejects']) await removeDanglingLinks(join(lake, top));
  });
}

async function removeDanglingLinks(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await removeDanglingLinks(p);
    else if (e.isSymbolicLink()) await removeOwnLink(p);
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
