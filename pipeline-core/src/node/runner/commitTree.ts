import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The shape of a lake's commits (see commitRun.ts for how a run commits). Paths are relative to
 * the lake, in posix form:
 *
 *   .units/<unit>/<run_id>/          one version of one unit, immutable
 *   .buckets/<b>/<run_id>/<entry>    one version of bucket b: a link per unit, named by escapeUnit()
 *   .commits/<run_id>/tree/<b>       link to the bucket version this commit uses
 *   .commits/<run_id>/manifest.json  a CommitManifest
 *   .current                         link to the current commit folder
 *
 * A unit is the smallest thing a run replaces: one partition of a partitioned output, an
 * unpartitioned output, or the rejects of one run date. Its bucket is fixed by its path, so a
 * reader's link to it never changes.
 */
export const CURRENT_LINK = '.current';
export const COMMITS = '.commits';
export const UNITS = '.units';
export const BUCKETS = '.buckets';
/** Enough that a bucket stays small (1,826 daily partitions: ~29 each), few enough that a commit writes little. */
export const BUCKET_COUNT = 64;

export interface CommitManifest {
  readonly commit_version: 2;
  readonly run_id: string;
  /** The commit this one replaced; its folder is removed after the swap. */
  readonly previous?: string;
  /** Bucket → the run id of the bucket version this commit uses. */
  readonly buckets: Readonly<Record<string, string>>;
  /** The units this run wrote or removed. */
  readonly touched: readonly string[];
  /** Unit versions (lake-relative) and bucket versions this commit made garbage. */
  readonly replaced: { readonly units: readonly string[]; readonly buckets: readonly string[] };
}

export const fromPosix = (p: string) => p.split('/').join(sep);

export function bucketOf(unit: string): string {
  const n = createHash('sha1').update(unit).digest().readUInt32BE(0) % BUCKET_COUNT;
  return String(n).padStart(2, '0');
}

/** A unit path as one file name: `curated/daily/day=1` → `curated%2Fdaily%2Fday=1`. */
export const escapeUnit = (unit: string) => unit.replaceAll('%', '%25').replaceAll('/', '%2F');
export const unescapeUnit = (entry: string) => entry.replaceAll('%2F', '/').replaceAll('%25', '%');

export const unitVersionPath = (unit: string, runId: string) => `${UNITS}/${unit}/${runId}`;
export const bucketVersionPath = (bucket: string, runId: string) => `${BUCKETS}/${bucket}/${runId}`;
/** Where a unit is read through the current commit: stable across commits. */
export const currentUnitPath = (unit: string) => `${CURRENT_LINK}/tree/${bucketOf(unit)}/${escapeUnit(unit)}`;

async function readManifest(file: string): Promise<CommitManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as CommitManifest;
    return m.commit_version === 2 ? m : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The current commit's manifest; undefined for a lake never committed to. */
export function currentCommit(lake: string): Promise<CommitManifest | undefined> {
  return readManifest(join(lake, CURRENT_LINK, 'manifest.json'));
}
