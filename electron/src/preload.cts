// The preload: a sandboxed CommonJS script (sandboxed preloads may only require 'electron').
// It gives the page a small set of named functions, one per thing the designer may ask of the
// main process; there is no way to send an arbitrary channel. Channel names match
// src/ipc/contract.ts (a test checks that).
import electron = require('electron');
// types only (erased): the sandboxed preload still requires nothing but 'electron'
import type { DesktopApi, MenuCommand, RunUpdate } from '@batchbook/pipeline-core';

const { contextBridge, ipcRenderer } = electron;

type Listener = (...args: unknown[]) => void;

function subscribe(channel: string, deliver: (...args: unknown[]) => void): () => void {
  // the page never sees Electron's event object, only the payload
  const wrapped: Listener = (_event, ...args) => deliver(...args);
  ipcRenderer.on(channel, wrapped as never);
  return () => {
    ipcRenderer.removeListener(channel, wrapped as never);
  };
}

const api = {
  openFolder: () => ipcRenderer.invoke('bb:open-folder'),
  recentProjects: () => ipcRenderer.invoke('bb:recent-projects'),
  openRecent: (id: string) => ipcRenderer.invoke('bb:open-recent', id),
  readProjectFiles: (projectId: string, paths: string[]) => ipcRenderer.invoke('bb:read-project-files', projectId, paths),
  saveSpec: (projectId: string, text: string) => ipcRenderer.invoke('bb:save-spec', projectId, text),
  saveProjectAs: (name: string, text: string, files: { path: string; bytes: Uint8Array }[]) => ipcRenderer.invoke('bb:save-project-as', name, text, files),
  writeRecovery: (projectId: string, text: string) => ipcRenderer.invoke('bb:write-recovery', projectId, text),
  readRecovery: (projectId: string) => ipcRenderer.invoke('bb:read-recovery', projectId),
  clearRecovery: (projectId: string) => ipcRenderer.invoke('bb:clear-recovery', projectId),
  runPipeline: (projectId: string, params: Record<string, string>) => ipcRenderer.invoke('bb:run-pipeline', projectId, params),
  cancelRun: (runId: string) => ipcRenderer.invoke('bb:cancel-run', runId),
  exportProject: (projectId: string, params: Record<string, string>) => ipcRenderer.invoke('bb:export-project', projectId, params),
  runHistory: (projectId: string, pipeline: string | null) => ipcRenderer.invoke('bb:run-history', projectId, pipeline),
  runReport: (projectId: string, runId: string) => ipcRenderer.invoke('bb:run-report', projectId, runId),
  // main sends these payloads (the shared contract's RunUpdate / MenuCommand)
  onRunEvent: (listener: (runId: string, event: RunUpdate) => void) => subscribe('bb:run-event', (runId, event) => listener(runId as string, event as RunUpdate)),
  onMenuCommand: (listener: (command: MenuCommand) => void) => subscribe('bb:menu-command', (command) => listener(command as MenuCommand)),
  setDocument: (title: string, dirty: boolean) => void ipcRenderer.invoke('bb:set-document', title, dirty),
} satisfies DesktopApi;

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('batchbook', api);
