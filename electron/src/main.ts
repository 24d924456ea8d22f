import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess, webContents, type WebContents } from 'electron';
import { EVENTS } from './ipc/contract.js';
import { registerIpc, type InvokeEvent } from './ipc/handlers.js';
import { menuTemplate, type MenuCommand } from './menu.js';
import { Projects } from './projects.js';
import { RunManager, type ChildProcessLike } from './runner/runManager.js';
import { APP_URL, SCHEME, SCHEME_PRIVILEGES, assetPath, headersFor, isAllowedNavigation, rendererRoot } from './security.js';

/**
 * Batchbook's main process, kept thin: one hardened window showing the renderer from the
 * batchbook:// scheme, the native menu and dialogs, and IPC handlers that validate every call
 * before reaching the project folders or the runner's utility process.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = rendererRoot(here);
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
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadURL(APP_URL);
  return win;
}

async function pickFolder(purpose: 'open' | 'save' | 'export'): Promise<string | undefined> {
  const titles = { open: 'Open a Batchbook project folder', save: 'Save the project into a folder', export: 'Export the pipeline into a folder' };
  const r = await dialog.showOpenDialog(mainWindow!, { title: titles[purpose], properties: ['openDirectory', ...(purpose === 'open' ? [] : (['createDirectory'] as const))] });
  return r.canceled ? undefined : r.filePaths[0];
}

app.enableSandbox();

app.whenReady().then(() => {
  // no permission (camera, notifications, …) is ever granted, and no remote content loads
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !details.url.startsWith(`${SCHEME}:`) && !details.url.startsWith('devtools:') && !details.url.startsWith('data:') && !details.url.startsWith('blob:') }));
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
    },
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
