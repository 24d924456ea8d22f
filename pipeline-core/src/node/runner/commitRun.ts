import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile, writeFileAtomic } from './commitFs.js';
import { basename, dirname, join, relative } from 'node:path';
import { failpoint, writeFileAtomic as writeSynced } from './atomic.js';
import {
  COMMITS,
  CURRENT_LINK,
  currentCommit,
  currentUnitPath,
  freshDir,
  fromPosix,
  nodeVersionPath,
  unitVersionPath,
  writeTree,
  type CommitManifest,
} from './commitTree.js';
import { collectGarbage, discardCommit } from './commitGarbage.js';
import { withLock } from './lakeLock.js';
import { migrateLegacyLayout } from './legacyLayout.js';
import { ensureReaderLinks, removeStaleLinks } from './readerLinks.js';

/**
 * One commit per run: every output, the rejects and the report of a run become visible
 * together, or not at all — at a cost proportional to what the run wrote, not to the lake.
 *
 * The lake's content is a set of units (a partition, an unpartitioned output, the rejects of one
 * date), each kept as immutable versions, and indexed by a small persistent trie (commitTree.ts):
 * 512 leaves, each a folder of links to the versions of the units whose path hashes to it, under
 * two levels of 8-way inner nodes. A commit writes new versions of only the nodes on the paths to
 * the units it wrote — about 4 folders of at most 8 links per unit — and shares every other node
 * with the commit before (structural sharing). Then one rename of `.current` makes all of it
 * visible at once; readers go through stable links into `.current/tree/…` (see readerLinks.ts), so
 * a reader, or a run killed at any instant, sees the whole old commit or the whole new one.
 *
 * Commits are made one at a time under a lake-wide lock. Each starts from the current commit, so
 * runs of different dates never lose each other's partitions. The report is part of the commit;
 * after the swap it is also written to runs/<run_id>/, where history readers look first (a run
 * killed in between is read from the commit, and its report copied out at the next start).
 * Layout and the steps in detail: commitTree.ts and docs/operations.md.
 */
export interface CommitUnit {
  /** Posix path inside the lake, e.g. `curated/daily/day=2026-11-24` or `rejects/2026-11-24`. */
  readonly unit: string;
  /** The staged content of this run; an empty folder removes the unit (a re-run without rejects). */
  readonly staged: string;
}

export { CURRENT_LINK, currentCommit, type CommitManifest };

export function commitLockPath(lake: string): string {
  return join(lake, '.locks', 'commit.lock');
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
  // the one file worth a disk flush, flushed before the lock (named like staging: removed if this process dies)
  const reportFile = join(lake, '.staging', `${opts.runId}-report.pid${process.pid}`);
  await writeSynced(reportFile, opts.reportText);
  await withLock(commitLockPath(lake), { what, ...(opts.onWait ? { onWait: opts.onWait } : {}), ...(opts.lockTimeoutMs ? { timeoutMs: opts.lockTimeoutMs } : {}) }, async () => {
    failpoint('commit-locked');
    await migrateLegacyLayout(lake, opts.units.map((u) => u.unit), opts.runId, makeCommit);
    await makeCommit(lake, { id: opts.runId, units: opts.units, reportFile }).catch(async (e: unknown) => {
      // failed before its swap (after it, nothing throws): take back what it wrote, then say why
      await discardCommit(lake, opts.runId).catch(() => undefined);
      throw e;
    });
  });
}

/** One commit, made under the commit lock. */
export interface CommitPlan {
  /** The run id, or a name of its own (a migration); names the versions and the commit folder. */
  readonly id: string;
  readonly units: readonly CommitUnit[];
  /** The run's report, written and synced beforehand; moved into the commit. */
  readonly reportFile?: string;
  /** Where to build a unit's reader links, when not in place (see legacyLayout.ts). */
  readonly linkDir?: (unit: string) => string | undefined;
}

async function makeCommit(lake: string, plan: CommitPlan): Promise<void> {
  const previous = await currentCommit(lake);
  if (previous) await rollForwardReport(lake, previous.run_id);
  const dir = join(lake, COMMITS, plan.id);
  await freshDir(dir);
  // an empty unit (a date without rejects) is removed rather than kept empty; if absent, not touched at all
  const empty = new Set<string>();
  for (const u of plan.units) if ((await readdir(u.staged).catch(() => [])).length === 0) empty.add(u.unit);
  const touched: string[] = [];
  for (const u of plan.units) if (!empty.has(u.unit) || (await stat(join(lake, fromPosix(currentUnitPath(u.unit)))).then(() => true, () => false))) touched.push(u.unit);
  // written first, so that recovery knows what a commit killed before its swap left behind
  // (a plain write: a lost intent after a power cut only leaves garbage)
  await writeFile(join(dir, 'intent.json'), JSON.stringify({ touched }) + '\n');
  const kept: string[] = [];
  for (const u of plan.units) {
    if (empty.has(u.unit)) continue;
    const version = join(lake, fromPosix(unitVersionPath(u.unit, plan.id)));
    await mkdir(dirname(version), { recursive: true });
    await rm(version, { recursive: true, force: true });
    await rename(u.staged, version);
    kept.push(u.unit);
  }
  failpoint('commit-versions');
  const tree = await writeTree(lake, plan.id, previous?.nodes ?? {}, touched, new Set(kept));
  const manifest: CommitManifest = { commit_version: 2, run_id: plan.id, ...(previous ? { previous: previous.run_id } : {}), nodes: tree.nodes, touched, replaced: tree.replaced };
  await writeCommitFolder(lake, manifest, plan.reportFile);
  failpoint('commit-written');
  // a new file's link dangles until the swap: to readers, it does not exist yet
  for (const unit of kept) await ensureReaderLinks(lake, unit, join(lake, fromPosix(unitVersionPath(unit, plan.id))), plan.linkDir?.(unit));
  failpoint('commit-linked');
  await swapLink(join(lake, CURRENT_LINK), `${COMMITS}/${plan.id}`);
  failpoint('commit-swapped');
  // Committed. What follows is tidying that recovery repeats, so a failure here must not
  // turn a published run into a failed one.
  await afterSwap(lake, manifest).catch(() => undefined);
}

async function afterSwap(lake: string, manifest: CommitManifest): Promise<void> {
  for (const unit of manifest.touched) await removeStaleLinks(lake, unit);
  await rollForwardReport(lake, manifest.run_id);
  failpoint('commit-reported');
  await collectGarbage(lake, manifest);
}

async function writeCommitFolder(lake: string, manifest: CommitManifest, reportFile: string | undefined): Promise<void> {
  const dir = join(lake, COMMITS, manifest.run_id);
  await symlink(relative(dir, join(lake, fromPosix(nodeVersionPath([], manifest.nodes['root']!)))), join(dir, 'tree'), 'dir');
  if (reportFile !== undefined) await rename(reportFile, join(dir, 'report.json'));
  // not synced: it would hold every other run's commit for a disk flush; currentCommit() reads
  // the tree back if a power cut leaves it empty
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest) + '\n');
}

/** Makes runs/<id>/report.json the commit's report (a hard link: it is immutable, and already on disk). */
export async function rollForwardReport(lake: string, runId: string): Promise<void> {
  const file = join(lake, 'runs', runId, 'report.json');
  if (await lstat(file).then(() => true, () => false)) return;
  const committed = join(lake, COMMITS, runId, 'report.json');
  await mkdir(dirname(file), { recursive: true });
  await link(committed, file).catch(async (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EEXIST') return; // no report in that commit (a migration), or written meanwhile
    await writeFileAtomic(file, await readFile(committed, 'utf8')); // a file system without hard links
  });
}

/**
 * At the start of a run after a run died (under the commit lock): the current commit's report is
 * copied out and its garbage collected again; commits that never swapped are discarded with
 * their versions and the reader links they made. Proportional to what the dead runs wrote.
 */
export async function recoverCommits(lake: string): Promise<void> {
  await withLock(commitLockPath(lake), { what: 'recovery at the start of a run' }, async () => {
    const current = await currentCommit(lake);
    if (current) {
      await rollForwardReport(lake, current.run_id);
      await afterSwap(lake, current);
    }
    // by the link, not the manifest: a commit of an older layout that is current is not discarded
    const currentName = basename(await readlink(join(lake, CURRENT_LINK)).catch(() => ''));
    for (const name of await readdir(join(lake, COMMITS)).catch(() => [] as string[])) {
      if (name === currentName) continue;
      await discardCommit(lake, name);
    }
  });
}
