import { listSamples, openSample, readSampleFiles, sampleId } from './bundledSamples';
import type { DesktopApi } from './desktopApi';
import { HostError, type DataFile, type Host, type RunEvent, type RunResult } from './host';

/**
 * The Electron adapter: every call goes to the main process through the preload's named
 * functions, which check their arguments and the sender. Samples ship with the renderer, so
 * they are read the same way as on the web.
 */
export function electronHost(api: DesktopApi): Host {
  const drafts = new Map<string, { name: string; files: DataFile[] }>();
  let drafted = 0;

  async function filesOf(projectId: string): Promise<DataFile[]> {
    const sample = sampleId(projectId);
    if (sample) return [...(await readSampleFiles(sample, (await openSample(sample)).files))].map(([path, bytes]) => ({ path, bytes }));
    return drafts.get(projectId)?.files ?? [];
  }

  return {
    kind: 'desktop',
    can: { runPipeline: true },
    listSamples,
    openSample,
    openFolder: async () => (await api.openFolder()) ?? undefined,
    recentProjects: () => api.recentProjects(),
    openRecent: async (id) => (sampleId(id) ? openSample(sampleId(id)!) : ((await api.openRecent(id)) ?? undefined)),
    async createProject(name, files) {
      const id = `new:${++drafted}`;
      drafts.set(id, { name, files: [...files] });
      return { ref: { id, name, kind: 'new' }, specText: '', files: files.map((f) => f.path).sort() };
    },
    async readFiles(ref, paths) {
      const sample = sampleId(ref.id);
      if (sample) return readSampleFiles(sample, paths);
      const draft = drafts.get(ref.id);
      if (draft) return new Map(draft.files.filter((f) => paths.includes(f.path)).map((f) => [f.path, f.bytes]));
      return new Map((await api.readProjectFiles(ref.id, [...paths])).map((f) => [f.path, f.bytes]));
    },
    async saveSpec(ref, text) {
      if (ref.kind === 'folder') return api.saveSpec(ref.id, text);
      return api.saveProjectAs(ref.name, text, await filesOf(ref.id));
    },
    recovery: {
      write: (id, text) => api.writeRecovery(id, text),
      read: async (id) => (await api.readRecovery(id)) ?? undefined,
      clear: (id) => api.clearRecovery(id),
    },
    runPipeline(ref, params, onEvent: (e: RunEvent) => void) {
      if (ref.kind !== 'folder') throw new HostError('save the project to a folder first: a run reads its data/ folder and writes its lake/');
      let runId: string | undefined;
      let cancelled = false;
      const done = new Promise<RunResult>((resolve, reject) => {
        const off = api.onRunEvent((id, e) => {
          if (id !== runId) return;
          if (e.type === 'done') {
            off();
            resolve(e.result);
          } else onEvent(e);
        });
        api.runPipeline(ref.id, { ...params }).then(
          (id) => {
            runId = id;
            if (cancelled) void api.cancelRun(id);
          },
          (e: unknown) => {
            off();
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
      return {
        done,
        cancel: () => {
          cancelled = true;
          if (runId) void api.cancelRun(runId);
        },
      };
    },
    onCommand: (listener) => api.onMenuCommand(listener),
    setDocument: (title, dirty) => api.setDocument(title, dirty),
  };
}
