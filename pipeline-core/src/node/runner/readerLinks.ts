import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rmdir, stat, symlink, unlink } from './commitFs.js';
import { dirname, join, relative } from 'node:path';
import { currentUnitPath, fromPosix } from './commitTree.js';

/**
 * The paths readers use (`curated/<output>/<partition>/<file>`, `rejects/<date>/<file>`) are real
 * folders holding one symbolic link per file, into `.current/tree/<leaf digits>/<unit>/<file>`.
 * Files, not folders, are links because DuckDB's recursive glob (`**`) does not enter linked
 * folders, while it reads linked files. A link names its unit's leaf, so it never changes:
 * it is made once, before the swap that first commits its file (dangling until then, which
 * readers and globs skip), and removed only when a later commit leaves it dangling.
 */
const exists = (p: string) => stat(p).then(() => true, () => false);

/** Relative paths of the files under `dir`. */
export async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? join(rel, e.name) : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, r)));
    else out.push(r);
  }
  return out;
}

/**
 * Makes the reader links for every file of a unit's new version (`versionDir`). `linkDir` (a
 * folder at the same depth as the unit's own) builds them elsewhere, to be moved into place.
 */
export async function ensureReaderLinks(lake: string, unit: string, versionDir: string, linkDir?: string): Promise<void> {
  const unitDir = join(lake, fromPosix(unit));
  const through = join(lake, fromPosix(currentUnitPath(unit)));
  for (const f of await filesUnder(versionDir)) {
    const target = relative(dirname(join(unitDir, f)), join(through, f));
    const at = join(linkDir ?? unitDir, f);
    const st = await lstat(at).catch(() => undefined);
    if (st?.isSymbolicLink() && (await readlink(at)) === target) continue;
    await mkdir(dirname(at), { recursive: true });
    if (!st) await symlink(target, at, 'file');
    else {
      // something else is there (a link of an older layout): replace it in one rename
      const tmp = `${at}.${randomBytes(4).toString('hex')}.swap`;
      await symlink(target, tmp, 'file');
      await rename(tmp, at);
    }
  }
}

/** Removes our links under `unit` that point at nothing now, then the folders left empty (up to `curated/` or `rejects/`). */
export async function removeStaleLinks(lake: string, unit: string): Promise<void> {
  const unitDir = join(lake, fromPosix(unit));
  await removeDangling(unitDir);
  let dir = unitDir;
  while (relative(lake, dir).includes('/') || relative(lake, dir).includes('\\')) {
    if (!(await rmdir(dir).then(() => true, () => false))) break;
    dir = dirname(dir);
  }
}

async function removeDangling(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      await removeDangling(p);
      await rmdir(p).catch(() => undefined); // only when empty
    } else if (e.isSymbolicLink() && (await readlink(p)).includes('.current/tree/') && !(await exists(p))) {
      await unlink(p).catch(() => undefined);
    }
  }
}
