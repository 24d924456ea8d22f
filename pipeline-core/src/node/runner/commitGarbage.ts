import { readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bucketVersionPath, BUCKET_COUNT, COMMITS, currentUnitPath, fromPosix, unitVersionPath, type CommitManifest } from './commitTree.js';
import { removeStaleLinks } from './readerLinks.js';

/**
 * Garbage of the commits (see commitRun.ts). Each commit records what it replaced, so collecting
 * costs what the run wrote, never a walk over the lake. Every step is idempotent: recovery
 * repeats it for a run killed halfway through.
 */
export async function collectGarbage(lake: string, manifest: CommitManifest): Promise<void> {
  const gone = [...manifest.replaced.units, ...manifest.replaced.buckets];
  if (manifest.previous) gone.push(`${COMMITS}/${manifest.previous}`);
  for (const rel of gone) await rm(join(lake, fromPosix(rel)), { recursive: true, force: true });
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
  const current = await realpath(join(lake, '.current')).catch(() => undefined);
  for (let b = 0; b < BUCKET_COUNT; b++) {
    const bucket = bucketVersionPath(String(b).padStart(2, '0'), runId);
    const real = await realpath(join(lake, fromPosix(bucket))).catch(() => undefined);
    if (real === undefined) continue;
    const used = current ? await realpath(join(current, 'tree', String(b).padStart(2, '0'))).catch(() => undefined) : undefined;
    if (real !== used) await rm(real, { recursive: true, force: true });
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
