import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, posix, relative } from 'node:path';
import { failpoint, writeFileAtomic } from './atomic.js';
import {
  bucketOf,
  bucketVersionPath,
  COMMITS,
  CURRENT_LINK,
  currentCommit,
  escapeUnit,
  fromPosix,
  unitVersionPath,
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
 * date), each kept as immutable versions. A commit is a folder with the run's report and a tree
 * of BUCKET_COUNT links, one per bucket; a bucket version is a folder of links, one per unit in
 * that bucket (the bucket is a hash of the unit's path). A run copies only the buckets holding
 * units it wrote (their other links are copied, not the data) and shares every other bucket
 * version with the commit before — structural sharing, as in a persistent tree. Then one rename
 * of `.current` makes all of it visible at once; readers go through stable links into
 * `.current/tree/…` (see readerLinks.ts), so a reader, or a run killed at any instant, sees the
 * whole old commit or the whole new one.
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
  await withLock(commitLockPath(lake), { what, ...(opts.onWait ? { onWait: opts.onWait } : {}), ...(opts.lockTimeoutMs ? { timeoutMs: opts.lockTimeoutMs } : {}) }, async () => {
    failpoint('commit-locked');
    await migrateLegacyLayout(lake, opts.units.map((u) => u.unit), opts.runId, makeCommit);
    await makeCommit(lake, { id: opts.runId, units: opts.units, reportText: opts.reportText });
  });
}

/** One commit, made under the commit lock. */
export interface CommitPlan {
  /** The run id, or a name of its own (a migration); names the versions and the commit folder. */
  readonly id: string;
  readonly units: readonly CommitUnit[];
  readonly reportText?: string;
  /** Where to build a unit's reader links, when not in place (see legacyLayout.ts). */
  readonly linkDir?: (unit: string) => string | undefined;
}

async function makeCommit(lake: string, plan: CommitPlan): Promise<void> {
  const previous = await currentCommit(lake);
  if (previous) await rollForwardReport(lake, previous.run_id);
  const dir = join(lake, COMMITS, plan.id);
  await rm(dir, { recursive: true, force: true });
  // written first, so that recovery knows what a commit killed before its swap left behind
  await writeFileAtomic(join(dir, 'intent.json'), JSON.stringify({ touched: plan.units.map((u) => u.unit) }) + '\n');
  const kept: string[] = [];
  for (const u of plan.units) {
    // an empty unit (a date without rejects) is left out instead of kept as an empty version
    if ((await readdir(u.staged).catch(() => [])).length === 0) continue;
    const version = join(lake, fromPosix(unitVersionPath(u.unit, plan.id)));
    await mkdir(dirname(version), { recursive: true });
    await rm(version, { recursive: true, force: true });
    await rename(u.staged, version);
    kept.push(u.unit);
  }
  failpoint('commit-versions');
  const manifest = await writeBuckets(lake, plan.id, previous, plan.units.map((u) => u.unit), new Set(kept));
  await writeCommitFolder(lake, manifest, plan.reportText);
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

/**
 * New versions of the buckets holding touched units: each copies the links of its previous
 * version except the touched units', and links the units this run kept. Other buckets are shared.
 */
async function writeBuckets(lake: string, runId: string, previous: CommitManifest | undefined, touched: readonly string[], kept: ReadonlySet<string>): Promise<CommitManifest> {
  const byBucket = new Map<string, string[]>();
  for (const unit of touched) byBucket.set(bucketOf(unit), [...(byBucket.get(bucketOf(unit)) ?? []), unit]);
  const buckets: Record<string, string> = { ...(previous?.buckets ?? {}) };
  const replaced = { units: [] as string[], buckets: [] as string[] };
  for (const [bucket, units] of byBucket) {
    const dir = join(lake, fromPosix(bucketVersionPath(bucket, runId)));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const mine = new Set(units.map(escapeUnit));
    const before = previous?.buckets[bucket];
    if (before) {
      const from = join(lake, fromPosix(bucketVersionPath(bucket, before)));
      for (const entry of await readdir(from)) {
        const target = await readlink(join(from, entry));
        // bucket versions sit at the same depth: a relative target stays valid when copied
        if (mine.has(entry)) replaced.units.push(posix.join(bucketVersionPath(bucket, before), target));
        else await symlink(target, join(dir, entry), 'dir');
      }
      replaced.buckets.push(bucketVersionPath(bucket, before));
    }
    for (const unit of units.filter((u) => kept.has(u))) {
      await symlink(relative(dir, join(lake, fromPosix(unitVersionPath(unit, runId)))), join(dir, escapeUnit(unit)), 'dir');
    }
    buckets[bucket] = runId;
  }
  return { commit_version: 2, run_id: runId, ...(previous ? { previous: previous.run_id } : {}), buckets, touched, replaced };
}

async function writeCommitFolder(lake: string, manifest: CommitManifest, reportText: string | undefined): Promise<void> {
  const dir = join(lake, COMMITS, manifest.run_id);
  await mkdir(join(dir, 'tree'), { recursive: true });
  await Promise.all(Object.entries(manifest.buckets).map(([b, v]) => symlink(relative(join(dir, 'tree'), join(lake, fromPosix(bucketVersionPath(b, v)))), join(dir, 'tree', b), 'dir')));
  if (reportText !== undefined) await writeFileAtomic(join(dir, 'report.json'), reportText);
  await writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** Writes runs/<id>/report.json from the commit, when the run was killed before writing it. */
export async function rollForwardReport(lake: string, runId: string): Promise<void> {
  const file = join(lake, 'runs', runId, 'report.json');
  if (await lstat(file).then(() => true, () => false)) return;
  const text = await readFile(join(lake, COMMITS, runId, 'report.json'), 'utf8').catch(() => undefined);
  if (text !== undefined) await writeFileAtomic(file, text);
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
    for (const name of await readdir(join(lake, COMMITS)).catch(() => [] as string[])) {
      if (name === current?.run_id) continue;
      await discardCommit(lake, name);
    }
  });
}
