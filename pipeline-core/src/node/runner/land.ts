import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { chmod, lstat, mkdir, readFile, readlink, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { glob } from 'tinyglobby';
import type { PipelineSpec } from '../../core/spec/schema.js';
import { substitutePath, type ParamValues } from '../../core/spec/params.js';
import { RUN_DATE } from '../../core/spec/analyze.js';
import type { LandedFile, LandedSource } from '../../core/ops/runReport.js';
import { writeFileAtomic } from './atomic.js';
import { withLock } from './lakeLock.js';

export class LandingError extends Error {}

// Their shape is part of the run report, which lives in the browser-safe core.
export type { LandedFile, LandedSource } from '../../core/ops/runReport.js';

interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly landed_at: string;
  readonly from: string;
  /** The incoming file's modification time when it was landed (ms), for the no-op fast path. */
  readonly from_mtime_ms?: number;
}

/** Copies a file and returns the sha256 of the bytes written, reading the source once. */
async function copyHashing(from: string, to: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(
    createReadStream(from),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(to, { flags: 'wx' }),
  );
  return hash.digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const toPosix = (p: string) => p.split(sep).join('/');

/** The raw-zone folder of one source for one run date. */
export function rawFolder(lake: string, source: string, runDate: string): string {
  return join(lake, 'raw', source, runDate);
}

async function readManifest(folder: string): Promise<ManifestEntry[]> {
  try {
    return (JSON.parse(await readFile(join(folder, '_manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new LandingError(`the raw-zone manifest in ${folder} is unreadable: ${(e as Error).message}`);
  }
}

/**
 * A file or folder of the inbox that is a symbolic link could point anywhere on the machine, and
 * would be landed and published without a word: refused unless the source says follow_links.
 */
async function refuseLinks(source: string, inbox: string, matches: readonly string[]): Promise<void> {
  const checked = new Set<string>();
  for (const rel of matches) {
    const parts = rel.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const sub = parts.slice(0, n).join('/');
      if (checked.has(sub)) continue;
      checked.add(sub);
      const abs = join(inbox, sub);
      if (!(await lstat(abs)).isSymbolicLink()) continue;
      const target = await readlink(abs).catch(() => '?');
      const what = n < parts.length ? `the folder ${sub} (holding ${rel})` : sub;
      throw new LandingError(`source '${source}': ${what} in the inbox is a symbolic link to ${target}; links are not landed unless the source says follow_links: true`);
    }
  }
}

/**
 * Lands each source's incoming files into the raw zone before anything reads them:
 * `<lake>/raw/<source>/<run_date>/<path in inbox>`, read-only, with a sha256 manifest.
 * Landing the same bytes again is a no-op; different bytes at a landed path are refused,
 * because the raw zone is never rewritten (that is what makes every run replayable).
 * Two runs of one date land one source at a time (a lock per source and date): the second
 * finds the first one's files in the manifest.
 */
export async function landSources(spec: PipelineSpec, params: ParamValues, inbox: string, lake: string, now: () => Date, onWait?: (message: string) => void): Promise<LandedSource[]> {
  const runDate = String(params[RUN_DATE]);
  const landed: LandedSource[] = [];
  for (const [name, source] of Object.entries(spec.sources)) {
    const pattern = substitutePath(source.path, params);
    const matches = (await glob(pattern, { cwd: inbox, onlyFiles: true, dot: false })).sort();
    if (matches.length === 0) throw new LandingError(`source '${name}': no file in ${inbox} matches ${pattern}`);
    if (!source.follow_links) await refuseLinks(name, inbox, matches);
    const lock = join(lake, '.locks', `land-${name}-${runDate}.lock`);
    const files = await withLock(lock, { what: `landing of ${name} for ${runDate}`, ...(onWait ? { onWait } : {}) }, () => landSource(lake, name, runDate, inbox, matches, now));
    landed.push({ source: name, files });
  }
  return landed;
}

async function landSource(lake: string, name: string, runDate: string, inbox: string, matches: readonly string[], now: () => Date): Promise<LandedFile[]> {
  const folder = rawFolder(lake, name, runDate);
  const manifest = await readManifest(folder);
  const files: LandedFile[] = [];
  for (const rel of matches) {
    const from = join(inbox, rel);
    const info = await stat(from);
    const dest = join(folder, rel);
    const known = manifest.find((m) => m.path === toPosix(rel));
    const lakePath = toPosix(relative(lake, dest));
    // Same size and modification time as when it was landed: the same file, no need to hash it again.
    if (known && known.bytes === info.size && known.from_mtime_ms === Math.trunc(info.mtimeMs)) {
      files.push({ path: lakePath, sha256: known.sha256, bytes: known.bytes, status: 'already' });
      continue;
    }
    if (known) {
      const sha256 = await sha256File(from);
      if (known.sha256 !== sha256) {
        throw new LandingError(
          `source '${name}': ${lakePath} was landed on ${known.landed_at} with sha256 ${known.sha256.slice(0, 12)}…, but the incoming ${rel} has ${sha256.slice(0, 12)}…. The raw zone is never rewritten: deliver the correction under a new file name, or land it for another run date.`,
        );
      }
      files.push({ path: lakePath, sha256, bytes: info.size, status: 'already' });
      continue;
    }
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.landing`;
    await rm(tmp, { force: true }); // left by a landing that was killed
    const sha256 = await copyHashing(from, tmp);
    const after = await stat(from);
    if (after.size !== info.size || after.mtimeMs !== info.mtimeMs) throw new LandingError(`source '${name}': ${rel} changed while it was being landed; try again`);
    await chmod(tmp, 0o444);
    await rename(tmp, dest);
    manifest.push({ path: toPosix(rel), sha256, bytes: info.size, landed_at: now().toISOString(), from: toPosix(from), from_mtime_ms: Math.trunc(info.mtimeMs) });
    await writeFileAtomic(join(folder, '_manifest.json'), JSON.stringify({ source: name, run_date: runDate, files: manifest }, null, 2) + '\n');
    files.push({ path: lakePath, sha256, bytes: info.size, status: 'landed' });
  }
  return files;
}

/**
 * A replay reads what was landed for the run date, without looking at the inbox: re-running
 * after a bug fix gives the same inputs as the night it first ran.
 */
export async function landedSources(spec: PipelineSpec, params: ParamValues, lake: string): Promise<LandedSource[]> {
  const runDate = String(params[RUN_DATE]);
  const out: LandedSource[] = [];
  for (const [name, source] of Object.entries(spec.sources)) {
    const folder = rawFolder(lake, name, runDate);
    const manifest = await readManifest(folder);
    const pattern = substitutePath(source.path, params);
    const matches = new Set(await glob(pattern, { cwd: folder, onlyFiles: true }));
    const files = manifest
      .filter((m) => matches.has(m.path))
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((m) => ({ path: toPosix(relative(lake, join(folder, m.path))), sha256: m.sha256, bytes: m.bytes, status: 'already' as const }));
    if (files.length === 0) throw new LandingError(`source '${name}': nothing was landed for ${RUN_DATE}=${runDate} in ${toPosix(relative(lake, folder))}; run without --replay to land it first`);
    out.push({ source: name, files });
  }
  return out;
}
