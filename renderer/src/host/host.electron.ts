import { listSamples, openSample, readSampleFiles, sampleId } from './bundledSamples';
import type { DesktopApi } from '@batchbook/pipeline-core';
import { HostError, type DataFile, type Host, type RunEvent, type RunHandle, type RunResult } from './host';

/**
 * Follows one run (or export) in the runner's process: its progress, its end, a cancel. Listens
 * before starting, so an end that arrives before the run's id is known is not missed.
 */
function follow(api: DesktopApi, start: () => Promise<string | null>, onEvent: (e: RunEvent) => void): { done: Promise<RunResult | undefined>; cancel(): void } {
  let runId: string | null | undefined;
  let cancelled = false;
  const early = new Map<string, RunResult>();
  let settle: (r: RunResult | undefined) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const done = new Promise<RunResult | undefined>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const off = api.onRunEvent((id, e) => {
    if (runId === undefined) {
      if (e.type === 'done') early.set(id, e.result);
      return;
    }
    if (id !== runId) return;
    if (e.type === 'done') {
      off();
      settle(e.result);
    } else onEvent(e);
  });
  start().then(
    (id) => {
      runId = id;
      const finished = id ? early.get(id) : undefined;
      if (!id || finished) {
        off();
        settle(finished);
      } else if (cancelled) void api.cancelRun(id);
    },
    (e: unknown) => {
      off();
      fail(e instanceof Error ? e : new Error(String(e)));
    },
  );
  return {
    done,
    cancel: () => {
      cancelled = true;
      if (runId) void api.cancelRun(runId);
    },
  };
}

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
    runPipeline(ref, params, onEvent: (e: RunEvent) => void): RunHandle {
      if (ref.kind !== 'folder') throw new HostError('save the project to a folder first: a run reads its data/ folder and writes its lake/');
      const run = follow(api, () => api.runPipeline(ref.id, { ...params }), onEvent);
      return { done: run.done.then((r) => r ?? { exitCode: 1, status: 'error', message: 'the run did not start' }), cancel: run.cancel };
    },
    async exportProject(ref, params) {
      if (ref.kind !== 'folder') throw new HostError('save the project to a folder first: the export reads it from disk');
      return follow(api, () => api.exportProject(ref.id, { ...params }), () => undefined).done;
    },
    runHistory: async (ref, pipeline) => (ref.kind === 'folder' ? api.runHistory(ref.id, pipeline ?? null) : undefined),
    runReport: async (ref, runId) => (ref.kind === 'folder' ? ((await api.runReport(ref.id, runId)) ?? undefined) : undefined),
    onCommand: (listener) => api.onMenuCommand(listener),
    setDocument: (title, dirty) => api.setDocument(title, dirty),
  };
}
