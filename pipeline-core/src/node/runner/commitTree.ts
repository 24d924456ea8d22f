import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, rm, symlink } from './commitFs.js';
import { join, posix, relative, sep } from 'node:path';

/**
 * The shape of a lake's commits (see commitRun.ts for how a run commits). Paths are relative to
 * the lake, in posix form:
 *
 *   .units/<unit>/<run_id>/          one version of one unit, immutable
 *   .tree/<node>/<run_id>/           one version of one node of a trie of depth TREE_DEPTH and fan-out
 *                                    TREE_FANOUT: `root`, then nodes named by their digits (`3`,
 *                                    `35`, `357`). An inner node holds a link per child (`0`…`7`)
 *                                    to the child's version; a leaf holds a link per unit in it
 *                                    (named by escapeUnit()) to the unit's version
 *   .commits/<run_id>/tree           link to the commit's root node version
 *   .commits/<run_id>/manifest.json  a CommitManifest
 *   .current                         link to the current commit folder
 *
 * A unit is the smallest thing a run replaces: one partition of a partitioned output, an
 * unpartitioned output, or the rejects of one run date. Its leaf is fixed by a hash of its path,
 * so a reader's link to it (`.current/tree/3/5/7/<unit>`) never changes. Every node version
 * folder sits at the same depth, so a link copied from one version to the next stays valid.
 */
export const CURRENT_LINK = '.current';
export const COMMITS = '.commits';
export const UNITS = '.units';
export const TREE = '.tree';
/**
 * 8 × 8 × 8 = 512 leaves: with 1,826 daily partitions a leaf holds ~4 units, and a commit of one
 * unit writes 4 node versions of at most 8 links each, whatever the lake's size up to ~10^4 units
 * (beyond, leaves grow linearly: N / 512 links per touched leaf).
 */
export const TREE_FANOUT = 8;
export const TREE_DEPTH = 3;

export interface CommitManifest {
  readonly commit_version: 2;
  readonly run_id: string;
  /** The commit this one replaced; its folder is removed after the swap. */
  readonly previous?: string;
  /** Every node of the trie that exists (`root`, `3`, `35`, `357`…) → its version (a run id): at most 585 entries. */
  readonly nodes: Readonly<Record<string, string>>;
  /** The units this run wrote or removed. */
  readonly touched: readonly string[];
  /** What this commit made garbage: unit versions and node versions (lake-relative). */
  readonly replaced: readonly string[];
}

export const fromPosix = (p: string) => p.split('/').join(sep);

/** The digits of a unit's leaf, e.g. ['3', '5', '7']. */
export function leafOf(unit: string): string[] {
  let n = createHash('sha1').update(unit).digest().readUInt32BE(0);
  const digits: string[] = [];
  for (let i = 0; i < TREE_DEPTH; i++) {
    digits.push(String(n % TREE_FANOUT));
    n = Math.floor(n / TREE_FANOUT);
  }
  return digits;
}

/** A unit path as one file name: `curated/daily/day=1` → `curated%2Fdaily%2Fday=1`. */
export const escapeUnit = (unit: string) => unit.replaceAll('%', '%25').replaceAll('/', '%2F');

export const unitVersionPath = (unit: string, runId: string) => `${UNITS}/${unit}/${runId}`;
/** `[]` is the root; `['3', '5']` the node `35`. */
export const nodeVersionPath = (digits: readonly string[], runId: string) => `${TREE}/${digits.length ? digits.join('') : 'root'}/${runId}`;
/** Where a unit is read through the current commit: stable across commits. */
export const currentUnitPath = (unit: string) => `${CURRENT_LINK}/tree/${leafOf(unit).join('/')}/${escapeUnit(unit)}`;

/** The current commit's manifest; undefined for a lake never committed to. */
export async function currentCommit(lake: string): Promise<CommitManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(lake, CURRENT_LINK, 'manifest.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const m = JSON.parse(text) as CommitManifest;
    return m.commit_version === 2 ? m : undefined;
  } catch {
    // The manifest is not synced (it would hold the lock for a disk flush): after a power cut it
    // may be empty. The tree it describes is what readers use; the node map is read back from it.
    return manifestFromTree(lake);
  }
}

async function manifestFromTree(lake: string): Promise<CommitManifest> {
  const runId = posix.basename(await readlink(join(lake, CURRENT_LINK)));
  const nodes: Record<string, string> = {};
  const walk = async (digits: string[], linkPath: string): Promise<void> => {
    const version = posix.basename(await readlink(linkPath));
    nodes[digits.length ? digits.join('') : 'root'] = version;
    if (digits.length === TREE_DEPTH) return;
    const dir = join(lake, fromPosix(nodeVersionPath(digits, version)));
    for (const child of await readdir(dir)) await walk([...digits, child], join(dir, child));
  };
  await walk([], join(lake, COMMITS, runId, 'tree'));
  return { commit_version: 2, run_id: runId, nodes, touched: [], replaced: [] };
}

/** An empty folder at `dir`: usually one mkdir (the parent exists, the name is new). */
export async function freshDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') await rm(dir, { recursive: true, force: true }); // left by a killed attempt of the same id
    else if (code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true });
  }
}

export interface WrittenTree {
  /** Every node of the new tree → its version. */
  readonly nodes: Record<string, string>;
  readonly replaced: string[];
}

const nodeName = (digits: readonly string[]) => (digits.length ? digits.join('') : 'root');

/**
 * New versions of the nodes on the paths to the touched units. An inner node's links are written
 * from the manifest's node map (no reading of the old node); a leaf copies its previous version's
 * links except the touched units'. Every other node version is shared with the previous commit.
 * `kept` are the touched units that have a new version (the others are removed).
 */
export async function writeTree(lake: string, runId: string, previous: Readonly<Record<string, string>>, touched: readonly string[], kept: ReadonlySet<string>): Promise<WrittenTree> {
  const nodes: Record<string, string> = { ...previous };
  const replaced: string[] = [];
  const paths = touched.map((unit) => ({ unit, leaf: leafOf(unit) }));
  // the nodes to rewrite: every prefix of every touched unit's leaf, the leaf included
  const onPath = new Set(paths.flatMap((p) => [0, ...p.leaf.map((_, i) => i + 1)].map((n) => nodeName(p.leaf.slice(0, n)))));
  const writeNode = async (digits: readonly string[]): Promise<void> => {
    const name = nodeName(digits);
    const before = previous[name];
    if (before !== undefined) replaced.push(nodeVersionPath(digits, before));
    nodes[name] = runId;
    const dir = join(lake, fromPosix(nodeVersionPath(digits, runId)));
    await freshDir(dir);
    if (digits.length === TREE_DEPTH) return writeLeaf(dir, digits, before);
    const children = Array.from({ length: TREE_FANOUT }, (_, d) => [...digits, String(d)]);
    await Promise.all(children.filter((c) => onPath.has(nodeName(c))).map(writeNode));
    // node versions sit at the same depth: `../../<child>/<version>` from any of them
    await Promise.all(children.filter((c) => nodes[nodeName(c)] !== undefined).map((c) => symlink(`../../${nodeName(c)}/${nodes[nodeName(c)]}`, join(dir, c.at(-1)!), 'dir')));
  };
  const writeLeaf = async (dir: string, digits: readonly string[], before: string | undefined): Promise<void> => {
    const mine = paths.filter((p) => digits.every((d, i) => p.leaf[i] === d));
    const changed = new Set(mine.map((p) => escapeUnit(p.unit)));
    if (before !== undefined) {
      const from = nodeVersionPath(digits, before);
      await Promise.all(
        (await readdir(join(lake, fromPosix(from)))).map(async (entry) => {
          const target = await readlink(join(lake, fromPosix(from), entry));
          if (changed.has(entry)) replaced.push(posix.join(from, target));
          else await symlink(target, join(dir, entry), 'dir');
        }),
      );
    }
    await Promise.all(mine.filter((p) => kept.has(p.unit)).map((p) => symlink(relative(dir, join(lake, fromPosix(unitVersionPath(p.unit, runId)))), join(dir, escapeUnit(p.unit)), 'dir')));
  };
  await writeNode([]);
  return { nodes, replaced };
}
