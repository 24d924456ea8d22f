import { listSamples, openSample, readSampleFiles, sampleId } from './bundledSamples';
import { folderRunHistory, folderRunReport } from './webLake';
import { HostError, type DataFile, type Host, type OpenedProject, type ProjectRef, type RecentProject, type SaveOutcome } from './host';

/**
 * The browser adapter: project folders through the File System Access API (Chromium), samples
 * from the app's own origin, recent folders remembered in IndexedDB (handles survive a reload;
 * the browser asks for permission again), recovery copies in localStorage. A full pipeline run
 * needs the desktop app or the CLI.
 */
declare global {
  interface Window {
    showDirectoryPicker?(options?: { mode?: 'read' | 'readwrite'; id?: string }): Promise<FileSystemDirectoryHandle>;
  }
  interface FileSystemHandle {
    queryPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
    requestPermission?(d: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  }
}

const SPEC_FILE = 'pipeline.yaml';
const RECENT_LIMIT = 8;

function newId(prefix: string): string {
  return `${prefix}:${crypto.randomUUID()}`;
}

async function listFiles(dir: FileSystemDirectoryHandle, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (name.startsWith('.')) continue;
    if (handle.kind === 'file') out.push(prefix + name);
    else out.push(...(await listFiles(handle as FileSystemDirectoryHandle, `${prefix}${name}/`)));
  }
  return out.sort();
}

async function subdir(dir: FileSystemDirectoryHandle, path: readonly string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let d = dir;
  for (const part of path) d = await d.getDirectoryHandle(part, { create });
  return d;
}

async function readFile(dir: FileSystemDirectoryHandle, path: string): Promise<Uint8Array> {
  const parts = path.split('/');
  const folder = await subdir(dir, parts.slice(0, -1), false);
  const file = await (await folder.getFileHandle(parts[parts.length - 1]!)).getFile();
  return new Uint8Array(await file.arrayBuffer());
}

async function writeFile(dir: FileSystemDirectoryHandle, path: string, data: Uint8Array | string): Promise<void> {
  const parts = path.split('/');
  const folder = await subdir(dir, parts.slice(0, -1), true);
  const handle = await folder.getFileHandle(parts[parts.length - 1]!, { create: true });
  const w = await handle.createWritable();
  await w.write(data as FileSystemWriteChunkType);
  await w.close();
}

async function dataFiles(dir: FileSystemDirectoryHandle): Promise<string[]> {
  try {
    return await listFiles(await dir.getDirectoryHandle('data'));
  } catch {
    return [];
  }
}

async function ensurePermission(handle: FileSystemDirectoryHandle): Promise<boolean> {
  if (!handle.queryPermission || !handle.requestPermission) return true;
  if ((await handle.queryPermission({ mode: 'readwrite' })) === 'granted') return true;
  return (await handle.requestPermission({ mode: 'readwrite' })) === 'granted';
}

/** A tiny IndexedDB store of recent projects (folder handles are structured-cloneable). */
function recentStore() {
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('batchbook', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('recent', { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  const tx = async <T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const req = f(db.transaction('recent', mode).objectStore('recent'));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  };
  type Row = { id: string; name: string; kind: ProjectRef['kind']; openedAt: string; handle?: FileSystemDirectoryHandle };
  return {
    all: () => tx<Row[]>('readonly', (s) => s.getAll() as IDBRequest<Row[]>),
    put: (row: Row) => tx('readwrite', (s) => s.put(row)),
    delete: (id: string) => tx('readwrite', (s) => s.delete(id)),
  };
}

export function webHost(now: () => Date = () => new Date()): Host {
  const folders = new Map<string, FileSystemDirectoryHandle>();
  const drafts = new Map<string, { name: string; files: Map<string, Uint8Array> }>();
  const memoryRecents = new Map<string, RecentProject>();
  const store = recentStore();

  async function remember(ref: ProjectRef, handle?: FileSystemDirectoryHandle): Promise<void> {
    if (ref.kind === 'new') return;
    const openedAt = now().toISOString();
    memoryRecents.set(ref.id, { ref, openedAt });
    try {
      await store.put({ id: ref.id, name: ref.name, kind: ref.kind, openedAt, ...(handle ? { handle } : {}) });
    } catch {
      // not cloneable or storage refused: this session still remembers it
    }
  }

  async function openDirectory(id: string, handle: FileSystemDirectoryHandle): Promise<OpenedProject> {
    let specText = '';
    try {
      specText = new TextDecoder().decode(await readFile(handle, SPEC_FILE));
    } catch {
      throw new HostError(`the folder '${handle.name}' has no ${SPEC_FILE}: choose a project folder, or start a new project from a data file`);
    }
    const ref: ProjectRef = { id, name: handle.name, kind: 'folder' };
    folders.set(id, handle);
    await remember(ref, handle);
    return { ref, specText, files: await dataFiles(handle) };
  }

  async function pickFolder(): Promise<FileSystemDirectoryHandle | undefined> {
    if (!window.showDirectoryPicker) throw new HostError('this browser cannot open folders: use Chromium, Chrome or Edge, or the desktop app');
    try {
      return await window.showDirectoryPicker({ mode: 'readwrite', id: 'batchbook-project' });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return undefined;
      throw e;
    }
  }

  async function saveAs(ref: ProjectRef, text: string): Promise<SaveOutcome> {
    const dir = await pickFolder();
    if (!dir) return { saved: false };
    const sample = sampleId(ref.id);
    const draft = drafts.get(ref.id);
    const files = sample ? await readSampleFiles(sample, (await openSample(sample)).files) : (draft?.files ?? new Map<string, Uint8Array>());
    for (const [path, bytes] of files) await writeFile(dir, `data/${path}`, bytes);
    await writeFile(dir, SPEC_FILE, text);
    const saved: ProjectRef = { id: newId('folder'), name: dir.name, kind: 'folder' };
    folders.set(saved.id, dir);
    await remember(saved, dir);
    return { saved: true, ref: saved, where: dir.name };
  }

  return {
    kind: 'web',
    can: { runPipeline: false },
    listSamples,
    async openSample(id) {
      const p = await openSample(id);
      await remember(p.ref);
      return p;
    },
    async openFolder() {
      const dir = await pickFolder();
      if (!dir) return undefined;
      // the same folder keeps its id (recent list, recovery copies) however it is reopened
      const known = await store.all().catch(() => []);
      let id: string | undefined;
      for (const row of known) if (row.handle && (await row.handle.isSameEntry?.(dir).catch(() => false))) id = row.id;
      return openDirectory(id ?? newId('folder'), dir);
    },
    async recentProjects() {
      let rows: RecentProject[] = [];
      try {
        rows = (await store.all()).map((r) => ({ ref: { id: r.id, name: r.name, kind: r.kind }, openedAt: r.openedAt }));
      } catch {
        // IndexedDB unavailable: only this session's projects
      }
      const all = new Map([...rows, ...memoryRecents.values()].map((r) => [r.ref.id, r]));
      return [...all.values()].sort((a, b) => b.openedAt.localeCompare(a.openedAt)).slice(0, RECENT_LIMIT);
    },
    async openRecent(id) {
      const sample = sampleId(id);
      if (sample) return this.openSample(sample);
      let handle = folders.get(id);
      if (!handle) {
        const row = (await store.all().catch(() => [])).find((r) => r.id === id);
        handle = row?.handle;
      }
      if (!handle) {
        await store.delete(id).catch(() => undefined);
        throw new HostError('this project is no longer available: open its folder again');
      }
      if (!(await ensurePermission(handle))) return undefined;
      return openDirectory(id, handle);
    },
    async createProject(name, files: readonly DataFile[]) {
      const id = newId('new');
      drafts.set(id, { name, files: new Map(files.map((f) => [f.path, f.bytes])) });
      return { ref: { id, name, kind: 'new' }, specText: '', files: files.map((f) => f.path).sort() };
    },
    async readFiles(ref, paths) {
      const sample = sampleId(ref.id);
      if (sample) return readSampleFiles(sample, paths);
      const draft = drafts.get(ref.id);
      if (draft) return new Map(paths.map((p) => [p, draft.files.get(p) ?? new Uint8Array()]));
      const dir = folders.get(ref.id);
      if (!dir) throw new HostError(`project '${ref.name}' is not open`);
      return new Map(await Promise.all(paths.map(async (p) => [p, await readFile(dir, `data/${p}`)] as const)));
    },
    async saveSpec(ref, text) {
      const dir = folders.get(ref.id);
      if (ref.kind !== 'folder' || !dir) return saveAs(ref, text);
      await writeFile(dir, SPEC_FILE, text);
      return { saved: true, ref, where: `${dir.name}/${SPEC_FILE}` };
    },
    recovery: {
      async write(id, text) {
        localStorage.setItem(`batchbook.recovery.${id}`, JSON.stringify({ text, savedAt: now().toISOString() }));
      },
      async read(id) {
        const raw = localStorage.getItem(`batchbook.recovery.${id}`);
        return raw ? (JSON.parse(raw) as { text: string; savedAt: string }) : undefined;
      },
      async clear(id) {
        localStorage.removeItem(`batchbook.recovery.${id}`);
      },
    },
    runPipeline() {
      throw new HostError('running the whole pipeline needs the desktop app, or the CLI: batchbook run <project folder>');
    },
    async exportProject() {
      throw new HostError('exporting needs the desktop app, or the CLI: batchbook export <project folder> --out <folder>');
    },
    async runHistory(ref, pipeline) {
      const dir = folders.get(ref.id);
      return ref.kind === 'folder' && dir ? folderRunHistory(dir, pipeline) : undefined;
    },
    async runReport(ref, runId) {
      const dir = folders.get(ref.id);
      return dir ? folderRunReport(dir, runId) : undefined;
    },
    onCommand: () => () => undefined,
    setDocument(title, dirty) {
      document.title = `${dirty ? '● ' : ''}${title} — Batchbook`;
    },
  };
}
