import { join } from 'node:path';
import { openProject, readReport, readRunHistory } from '@batchbook/pipeline-core/node';
import { ARGS, CHANNELS, type ArgsOf, type Channel } from './contract.js';
import { isTrustedSender } from '../security.js';
import type { Projects } from '../projects.js';
import type { RunManager } from '../runner/runManager.js';
import { alertsPermission, type AskTrust, type WorkspaceTrust } from '../trust/workspaceTrust.js';

/** The parts of an IPC event the checks need (Electron's IpcMainInvokeEvent has them). */
export interface InvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
  readonly sender: { readonly mainFrame: unknown; readonly id: number };
}

export interface IpcDeps {
  readonly ipcMain: { handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void };
  readonly projects: Projects;
  readonly runs: RunManager;
  readonly dialogs: {
    /** A folder the user picks; undefined when they cancel. */
    pickFolder(purpose: 'open' | 'save' | 'export'): Promise<string | undefined>;
    confirm(message: string, detail: string): Promise<boolean>;
    /** Asks whether a project's alert command / environment-reading webhook may run. */
    trustAlerts: AskTrust;
  };
  readonly trust: WorkspaceTrust;
  readonly setDocument: (senderId: number, title: string, dirty: boolean) => void;
}

export class IpcRefused extends Error {}

type Handler<C extends Channel> = (event: InvokeEvent, ...args: ArgsOf<C>) => unknown;

/**
 * Registers one handler per channel. Before any handler runs, the sender must be the app's own
 * top-level page and the arguments must match the channel's schema; anything else is refused
 * with a message (and nothing is touched).
 */
export function registerIpc(deps: IpcDeps): void {
  const { projects, runs, dialogs } = deps;
  const handlers: { [C in Channel]: Handler<C> } = {
    openFolder: async () => {
      const dir = await dialogs.pickFolder('open');
      return dir ? projects.openDir(dir) : null;
    },
    recentProjects: async () => (await projects.recent()).map((e) => ({ ref: { id: e.id, name: e.name, kind: 'folder' as const }, openedAt: e.openedAt })),
    openRecent: (_e, id) => projects.openRecent(id),
    readProjectFiles: (_e, id, paths) => projects.readFiles(id, paths),
    saveSpec: async (_e, id, text) => {
      const file = await projects.saveSpec(id, text);
      return { saved: true, ref: { id, name: file.split(/[\\/]/).slice(-2, -1)[0] ?? id, kind: 'folder' }, where: file };
    },
    saveProjectAs: async (_e, _name, text, files) => {
      const dir = await dialogs.pickFolder('save');
      if (!dir) return { saved: false };
      if ((await projects.hasSpec(dir)) && !(await dialogs.confirm('Replace the pipeline.yaml in this folder?', 'The folder already holds a Batchbook project; its data files with the same names are replaced too.'))) return { saved: false };
      const opened = await projects.saveAs(dir, text, files);
      return { saved: true, ref: opened.ref, where: dir };
    },
    writeRecovery: (_e, id, text) => projects.writeRecovery(id, text),
    readRecovery: (_e, id) => projects.readRecovery(id),
    clearRecovery: (_e, id) => projects.clearRecovery(id),
    runPipeline: async (_e, id, params) => {
      const projectDir = projects.dirOf(id);
      const alerts = await alertsPermission(projectDir, deps.trust, dialogs.trustAlerts);
      if (!alerts) return runs.notStarted({ exitCode: 130, status: 'cancelled', message: 'not run: you cancelled at the question about this project’s alerts' });
      return runs.start({ kind: 'run', projectDir, params, alerts });
    },
    cancelRun: (_e, runId) => runs.cancel(runId),
    exportProject: async (_e, id, params) => {
      const projectDir = projects.dirOf(id);
      const out = await dialogs.pickFolder('export');
      return out ? runs.start({ kind: 'export', projectDir, out, params }) : null;
    },
    // the lake is the runner's (openProject's defaultLake), read with the CLI's own history readers
    runHistory: async (_e, id, pipeline) => {
      const { defaultLake } = await openProject(projects.dirOf(id));
      return { where: join(defaultLake, 'runs'), entries: await readRunHistory(defaultLake, pipeline ? { pipeline } : {}) };
    },
    runReport: async (_e, id, runId) => (await readReport((await openProject(projects.dirOf(id))).defaultLake, runId)) ?? null,
    setDocument: (e, title, dirty) => deps.setDocument(e.sender.id, title, dirty),
  };
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    deps.ipcMain.handle(CHANNELS[channel], (event, ...args) => {
      if (!isTrustedSender(event.senderFrame?.url, event.senderFrame !== null && event.senderFrame === event.sender.mainFrame)) {
        throw new IpcRefused(`refused ${CHANNELS[channel]}: the caller is not the Batchbook window`);
      }
      const parsed = ARGS[channel].safeParse(args);
      if (!parsed.success) throw new IpcRefused(`refused ${CHANNELS[channel]}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
      return (handlers[channel] as (event: InvokeEvent, ...a: unknown[]) => unknown)(event, ...(parsed.data as unknown[]));
    });
  }
}
