import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { OpenedProject } from '@batchbook/pipeline-core';

/**
 * The project folders the desktop app may touch. A folder becomes reachable only when the user
 * picks it in a dialog (or picked it before: the recent list); every path the renderer names is
 * checked to stay inside that folder's data/ before anything is read — after symbolic links are
 * resolved, so a link in a downloaded project cannot point the app at ~/.ssh.
 */
export const SPEC_FILE = 'pipeline.yaml';

export interface RecentEntry {
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly openedAt: string;
}

export class ProjectAccessError extends Error {}

export function projectIdFor(dir: string): string {
  return `folder:${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 24)}`;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended (for files not written yet). */
async function realpathOfNearest(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    const parent = dirname(path);
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) throw e;
    return join(await realpathOfNearest(parent), basename(path));
  }
}

const isInside = (root: string, path: string) => path.startsWith(root + sep) && !relative(root, path).startsWith('..');

/**
 * `path` (relative to the project's data/ folder) resolved through every link, refused unless it
 * stays inside data/, and data/ itself inside the project folder.
 */
async function realDataPath(projectDir: string, path: string): Promise<string> {
  const data = join(projectDir, 'data');
  const outside = () => new ProjectAccessError(`'${path}' is outside the project's data folder`);
  if (!isInside(data, resolve(data, path))) throw outside();
  const realData = await realpathOfNearest(data);
  if (realData !== data && !isInside(projectDir, realData)) throw new ProjectAccessError(`the project's data folder is a link to ${realData}, outside the project: Batchbook reads only files inside the project folder`);
  const real = await realpathOfNearest(resolve(data, path));
  if (!isInside(realData, real)) throw new ProjectAccessError(`'${path}' is a link to ${real}, outside the project's data folder`);
  return real;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.isFile()) out.push(prefix + e.name);
  }
  return out.sort();
}

export class Projects {
  private readonly open = new Map<string, string>();

  constructor(
    private readonly userData: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get recentFile(): string {
    return join(this.userData, 'recent-projects.json');
  }

  async recent(): Promise<RecentEntry[]> {
    try {
      const parsed = JSON.parse(await readFile(this.recentFile, 'utf8')) as unknown;
      return Array.isArray(parsed) ? (parsed as RecentEntry[]).filter((e) => typeof e?.id === 'string' && typeof e.dir === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(dir: string): Promise<void> {
    const id = projectIdFor(dir);
    const list = (await this.recent()).filter((e) => e.id !== id);
    list.unshift({ id, dir, name: basename(dir), openedAt: this.now().toISOString() });
    await writeAtomic(this.recentFile, JSON.stringify(list.slice(0, 10), null, 2));
  }

  /** Opens a folder the user chose: its spec and the files of its data/ folder. */
  async openDir(dir: string): Promise<OpenedProject> {
    let abs: string;
    let specText: string;
    try {
      // the real folder: every later check compares real paths against it
      abs = await realpath(resolve(dir));
      specText = await readFile(join(abs, SPEC_FILE), 'utf8');
    } catch {
      throw new ProjectAccessError(`'${basename(dir)}' has no ${SPEC_FILE}: choose a project folder, or start a new project from a data file`);
    }
    const id = projectIdFor(abs);
    this.open.set(id, abs);
    await this.remember(abs);
    return { ref: { id, name: basename(abs), kind: 'folder' }, specText, files: await listFiles(join(abs, 'data')) };
  }

  async hasSpec(dir: string): Promise<boolean> {
    return readFile(join(resolve(dir), SPEC_FILE)).then(
      () => true,
      () => false,
    );
  }

  async openRecent(id: string): Promise<OpenedProject> {
    const entry = (await this.recent()).find((e) => e.id === id);
    if (!entry) throw new ProjectAccessError('this project is not in the recent list any more: open its folder again');
    return this.openDir(entry.dir);
  }

  dirOf(id: string): string {
    const dir = this.open.get(id);
    if (!dir) throw new ProjectAccessError('that project is not open in this window');
    return dir;
  }

  /** A file of the project's data folder; refuses anything outside it, links resolved. */
  dataPath(id: string, path: string): Promise<string> {
    return realDataPath(this.dirOf(id), path);
  }

  async readFiles(id: string, paths: readonly string[]): Promise<{ path: string; bytes: Uint8Array }[]> {
    return Promise.all(paths.map(async (path) => ({ path, bytes: new Uint8Array(await readFile(await this.dataPath(id, path))) })));
  }

  async saveSpec(id: string, text: string): Promise<string> {
    const file = join(this.dirOf(id), SPEC_FILE);
    await writeAtomic(file, text);
    return file;
  }

  /** Writes a whole project (spec and data files) into a folder the user chose, then opens it. */
  async saveAs(dir: string, text: string, files: readonly { path: string; bytes: Uint8Array }[]): Promise<OpenedProject> {
    const abs = await realpathOfNearest(resolve(dir));
    for (const f of files) await writeAtomic(await realDataPath(abs, f.path), f.bytes);
    await writeAtomic(join(abs, SPEC_FILE), text);
    return this.openDir(abs);
  }

  private recoveryFile(id: string): string {
    return join(this.userData, 'recovery', `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`);
  }

  async writeRecovery(id: string, text: string): Promise<void> {
    await writeAtomic(this.recoveryFile(id), JSON.stringify({ text, savedAt: this.now().toISOString() }));
  }

  async readRecovery(id: string): Promise<{ text: string; savedAt: string } | null> {
    try {
      return JSON.parse(await readFile(this.recoveryFile(id), 'utf8')) as { text: string; savedAt: string };
    } catch {
      return null;
    }
  }

  async clearRecovery(id: string): Promise<void> {
    await rm(this.recoveryFile(id), { force: true });
  }
}
