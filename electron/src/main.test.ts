import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * main.ts run against a recording stand-in for the `electron` module (the binary cannot be
 * downloaded here): what it asks of Electron at start-up is what these tests check. The expected
 * values are Electron's security checklist, written out here, not read back from the code.
 */
const fake = vi.hoisted(() => {
  // a tiny emitter: imports are not available yet inside vi.hoisted
  class Emitter {
    private readonly map = new Map<string, ((...a: unknown[]) => void)[]>();
    on(event: string, l: (...a: never[]) => void) {
      this.map.set(event, [...this.listeners(event), l as (...a: unknown[]) => void]);
      return this;
    }
    once(event: string, l: (...a: never[]) => void) {
      return this.on(event, l);
    }
    emit(event: string, ...a: unknown[]) {
      this.listeners(event).forEach((l) => l(...a));
      return true;
    }
    listeners(event: string) {
      return this.map.get(event) ?? [];
    }
  }
  class FakeContents extends Emitter {
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    id = 7;
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
    isDestroyed() {
      return false;
    }
    send() {}
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(),
    whenReady: () => Promise.resolve(),
    getPath: () => '',
    quit: vi.fn(),
  });
  const windows: { options: Record<string, unknown>; url?: string; webContents: FakeContents; hardenedFirst: boolean }[] = [];
  class BrowserWindow extends Emitter {
    webContents = new FakeContents();
    // Electron announces a window's contents on 'web-contents-created' as it builds the window
    hardenedFirst = app.listeners('web-contents-created').length > 0;
    constructor(public options: Record<string, unknown>) {
      super();
      windows.push(this as unknown as (typeof windows)[number]);
    }
    loadURL(url: string) {
      (this as unknown as { url: string }).url = url;
      return Promise.resolve();
    }
    show() {}
    static getAllWindows = () => windows;
    static fromWebContents = () => undefined;
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onBeforeRequest: vi.fn() },
    },
  };
  const electron = {
    app,
    BrowserWindow,
    session,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) },
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn() },
    utilityProcess: { fork: vi.fn() },
    webContents: { fromId: vi.fn() },
  };
  return { electron, windows, FakeContents, enableSandbox: app.enableSandbox };
});
vi.mock('electron', () => fake.electron);

const here = dirname(fileURLToPath(import.meta.url));

beforeAll(async () => {
  fake.electron.app.getPath = () => mkdtempSync(join(tmpdir(), 'bb-main-userdata-'));
  await import('./main.js');
  await new Promise((r) => setTimeout(r, 0)); // app.whenReady().then(...)
});

/** A new web contents as Electron would announce it, with main's hardening applied. */
function announced() {
  const contents = new fake.FakeContents();
  fake.electron.app.emit('web-contents-created', {}, contents);
  return contents;
}

function fire(contents: { emit(event: string, ...a: unknown[]): boolean }, event: string, url?: string): boolean {
  const e = { preventDefault: vi.fn() };
  contents.emit(event, e, url);
  return e.preventDefault.mock.calls.length > 0;
}

describe('main.ts: the window', () => {
  it('opens one window on the app’s own scheme, hidden until painted', () => {
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.url).toBe('batchbook://app/index.html');
    expect(fake.windows[0]!.options['show']).toBe(false);
  });

  it('gives the page no Node, a sandbox, context isolation and full web security', () => {
    const prefs = fake.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    // the preload is the compiled CommonJS file next to main.js (a sandboxed preload cannot be ESM)
    expect(basename(prefs['preload'] as string)).toBe('preload.cjs');
    expect(dirname(prefs['preload'] as string)).toBe(here);
  });

  it('sandboxes every renderer and registers the scheme as secure and standard before the app is ready', () => {
    expect(fake.enableSandbox).toHaveBeenCalled();
    const [schemes] = fake.electron.protocol.registerSchemesAsPrivileged.mock.calls[0] as [{ scheme: string; privileges: Record<string, boolean> }[]];
    expect(schemes).toEqual([{ scheme: 'batchbook', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(schemes[0]!.privileges['bypassCSP']).toBeUndefined();
    expect(schemes[0]!.privileges['corsEnabled']).toBeUndefined();
    expect(fake.electron.protocol.handle).toHaveBeenCalledWith('batchbook', expect.any(Function));
  });
});

describe('main.ts: every web contents', () => {
  it('opens no new window, whatever the page asks', () => {
    const c = announced();
    for (const url of ['https://evil.example/', 'batchbook://app/index.html', 'file:///etc/passwd', 'about:blank']) expect(c.openHandler!({ url })).toEqual({ action: 'deny' });
  });

  it('navigates and follows redirects only inside the app', () => {
    const c = announced();
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'http://127.0.0.1:4173/', 'file:///etc/passwd', 'batchbook://other/index.html', 'javascript:alert(1)', 'data:text/html,<script>1</script>']) {
        expect(fire(c, event, url), `${event} ${url}`).toBe(true);
      }
      expect(fire(c, event, 'batchbook://app/index.html#runs'), event).toBe(false);
    }
  });

  it('attaches no <webview>', () => {
    expect(fire(announced(), 'will-attach-webview')).toBe(true);
  });

  it('also covers the main window’s own contents (hardening is registered before the window exists)', () => {
    expect(fake.windows[0]!.hardenedFirst).toBe(true);
  });
});

describe('main.ts: the session', () => {
  const ses = fake.electron.session.defaultSession;

  it('grants no permission request and answers every permission check with no', () => {
    const [handler] = ses.setPermissionRequestHandler.mock.calls[0] as [(wc: unknown, p: string, cb: (ok: boolean) => void) => void];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const cb = vi.fn();
      handler({}, permission, cb);
      expect(cb, permission).toHaveBeenCalledWith(false);
    }
    const [check] = ses.setPermissionCheckHandler.mock.calls[0] as [(...a: unknown[]) => boolean];
    expect(check({}, 'media', 'batchbook://app', {})).toBe(false);
    const [device] = ses.setDevicePermissionHandler.mock.calls[0] as [(d: unknown) => boolean];
    expect(device({ deviceType: 'usb', origin: 'batchbook://app' })).toBe(false);
  });

  it('cancels every request that leaves the app', () => {
    const [filter] = ses.webRequest.onBeforeRequest.mock.calls[0] as [(d: { url: string }, cb: (r: { cancel: boolean }) => void) => void];
    const cancelled = (url: string) => {
      let answer: { cancel: boolean } | undefined;
      filter({ url }, (r) => (answer = r));
      return answer!.cancel;
    };
    for (const url of ['https://cdn.jsdelivr.net/npm/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm', 'http://127.0.0.1:4173/', 'wss://evil.example/', 'file:///etc/passwd', 'batchbook://other/x.js', 'blob:https://evil.example/1', 'ftp://x/']) {
      expect(cancelled(url), url).toBe(true);
    }
    for (const url of ['batchbook://app/index.html', 'batchbook://app/assets/duckdb-eh.wasm', 'data:image/png;base64,AA==', 'blob:batchbook://app/6f1c2d4e']) {
      expect(cancelled(url), url).toBe(false);
    }
  });
});
