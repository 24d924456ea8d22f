import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openProject } from '../project/project.js';
import { landSources } from '../runner/land.js';
import { resolveParams } from '../../core/spec/params.js';

const run = promisify(execFile);

/** One whole-process measurement: wall seconds, CPU seconds (user + system), peak RSS bytes. */
export interface Measured {
  readonly label: string;
  readonly wall: number;
  readonly cpu: number;
  readonly rss: number;
}

const mid = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Median of each figure separately. */
export function median(ms: readonly Measured[]): Measured {
  return { label: ms[0]?.label ?? '', wall: mid(ms.map((m) => m.wall)), cpu: mid(ms.map((m) => m.cpu)), rss: mid(ms.map((m) => m.rss)) };
}

export const MB = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** Landing a project's inbox into a fresh lake (copy + sha256 manifest + read-only), timed in process. */
export async function landOnce(projectDir: string, lake: string): Promise<Measured> {
  const project = await openProject(projectDir);
  const spec = project.loaded.spec;
  if (!spec) throw new Error(`${projectDir}: invalid spec`);
  const t0 = performance.now();
  await landSources(spec, resolveParams(spec, {}, '2024-12-31'), project.inbox, lake, () => new Date());
  return { label: 'landing', wall: (performance.now() - t0) / 1000, cpu: 0, rss: 0 };
}

/** The baseline for landing: `cp -r` of the same files, then `sha256sum` of every copy. */
export async function cpSha256(from: string, to: string): Promise<Measured> {
  await rm(to, { recursive: true, force: true });
  const t0 = performance.now();
  await run('cp', ['-r', from, to]);
  const files = (await readdir(to, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  await run('sha256sum', files);
  const wall = (performance.now() - t0) / 1000;
  await rm(to, { recursive: true, force: true });
  return { label: 'cp + sha256sum', wall, cpu: 0, rss: 0 };
}
