import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess, webContents, type WebContents } from 'electron';
import { EVENTS } from './ipc/contract.js';
import { registerIpc, type InvokeEvent } from './ipc/handlers.js';
import { menuTemplate, type MenuCommand } from './menu.js';
import { Projects } from './projects.js';
import { RunManager, type ChildProcessLike } from './runner/runManager.js';
import { TRUST_BUTTONS, TRUST_CANCEL, TRUST_DEFAULT, trustPrompt } from './trust/trustPrompt.js';
import { WorkspaceTrust } from './trust/workspaceTrust.js';
import { APP_URL, SCHEME, SCHEME_PRIVILEGES, assetPath, headersFor, rendererRoot } from './security.js';
import { hardenSession, hardenWebContents, windowPreferences } from './hardening.js';

/**
 * Batchbook's main process, kept thin: one hardened window showing the renderer from the
 * batchbook:// scheme, the native menu and dialogs, and IPC handlers that validate every call
 * before reaching the project folders or the runner's utility process.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = rendererRoot(here, app.isPackaged);
const dev = process.env['BATCHBOOK_DEV'] === '1';

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: SCHEME_PRIVILEGES }]);

let mainWindow: BrowserWindow | undefined;

function send(target: WebContents | undefined, channel: string, ...args: unknown[]): void {
  if (target && !target.isDestroyed()) target.send(channel, ...args);
}

function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const file = assetPath(root, request.url);
    if (!file) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(file), { headers: headersFor(file) });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    title: 'Batchbook',
    show: false,
    webPreferences: windowPreferences(join(here, 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

async function pickFolder(purpose: 'open' | 'save' | 'export'): Promise<string | undefined> {
  const titles = { open: 'Open a Batchbook project folder', save: 'Save the project into a folder', export: 'Export the pipeline into a folder' };
  const r = await dialog.showOpenDialog(mainWindow!, { title: titles[purpose], properties: ['openDirectory', ...(purpose === 'open' ? [] : (['createDirectory'] as const))] });
  return r.canceled ? undefined : r.filePaths[0];
}

app.enableSandbox();
// every web contents, the main window's and any created later, is locked down the moment it exists
app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  serveRenderer();

  const projects = new Projects(app.getPath('userData'));
  const runs = new RunManager(
    () => utilityProcess.fork(join(here, 'runner', 'runnerChild.js'), [], { serviceName: 'Batchbook runner', stdio: 'ignore' }) as unknown as ChildProcessLike,
    (runId, event) => send(mainWindow?.webContents, EVENTS.runEvent, runId, event),
  );
  registerIpc({
    ipcMain: ipcMain as unknown as { handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void },
    projects,
    runs,
    dialogs: {
      pickFolder,
      confirm: async (message, detail) => (await dialog.showMessageBox(mainWindow!, { type: 'question', buttons: ['Replace', 'Cancel'], defaultId: 1, cancelId: 1, message, detail })).response === 0,
      // native, from main: the page cannot draw, answer or skip this question itself
      trustAlerts: async (folderName, needs) => {
        const { response } = await dialog.showMessageBox(mainWindow!, { type: 'warning', buttons: TRUST_BUTTONS.map((b) => b.label), defaultId: TRUST_DEFAULT, cancelId: TRUST_CANCEL, noLink: true, ...trustPrompt(folderName, needs) });
        return TRUST_BUTTONS[response]?.answer ?? 'cancel';
      },
    },
    trust: new WorkspaceTrust(app.getPath('userData')),
    setDocument: (senderId, title, dirty) => {
      const win = BrowserWindow.fromWebContents(webContents.fromId(senderId)!);
      win?.setTitle(`${title} — Batchbook`);
      win?.setDocumentEdited(dirty);
    },
  });

  const menuSend = (command: MenuCommand) => send(mainWindow?.webContents, EVENTS.menuCommand, command);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ send: menuSend, quit: () => app.quit() }, process.platform, dev)));
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('before-quit', () => runs.cancelAll());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
