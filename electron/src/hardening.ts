import type { Session, WebContents, WebPreferences } from 'electron';
import { SCHEME, isAllowedNavigation } from './security.js';

/**
 * The window and session lock-down of Electron's security checklist, kept apart from main.ts so
 * each rule is one small function a test can call with a stand-in for Electron's objects.
 */

/** The renderer gets no Node, runs sandboxed and isolated from the preload, and may not relax web security. */
export function windowPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** What a page may request: the app's own scheme, and the in-memory URLs DuckDB-WASM and Monaco create. */
export function isAllowedRequest(url: string): boolean {
  return url.startsWith(`${SCHEME}://app/`) || url.startsWith('data:') || url.startsWith(`blob:${SCHEME}://app/`) || url.startsWith('devtools:');
}

/**
 * Applied to every web contents the app creates (main registers it on 'web-contents-created',
 * so nothing created later escapes it): no new windows, no navigation or redirect away from
 * the app, no <webview>.
 */
export function hardenWebContents(contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** No permission (camera, notifications, USB, …) is ever granted, and nothing remote loads. */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
}
