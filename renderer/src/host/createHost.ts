import type { DesktopApi } from '@batchbook/pipeline-core';
import type { Host } from './host';
import { electronHost } from './host.electron';
import { webHost } from './host.web';

declare global {
  interface Window {
    /** Put there by Electron's preload; absent in a browser. */
    readonly batchbook?: DesktopApi;
  }
}

/** The one place that knows which platform the designer runs on. */
export function createHost(): Host {
  return window.batchbook ? electronHost(window.batchbook) : webHost();
}
