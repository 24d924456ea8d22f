import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { installDesktop, type DesktopControl } from './desktopHarness';
import { installDirectoryPicker, type PickerControl } from './fakeDirectoryPicker';

/**
 * The designer as the end-to-end tests see it: the production web build served on localhost by
 * Vite's preview server, in Chromium (BATCHBOOK_CHROMIUM, default /usr/bin/chromium) with a fresh
 * profile, every request checked to stay on this machine.
 */
export const RENDERER = fileURLToPath(new URL('../../../renderer/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface App {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly url: string;
  readonly picker: PickerControl;
  /** With `desktop: true`: the stand-in for Electron's main process (its folder dialog, its runner). */
  readonly desktop?: DesktopControl;
  /** Every URL requested that is not on this machine (must stay empty). */
  readonly offsite: string[];
  /** Errors thrown in the page (must stay empty). */
  readonly pageErrors: string[];
  /** Saves a screenshot of the page, or of one element, as a test artifact (artifacts/<name>.png). */
  screenshot(name: string, of?: Locator): Promise<void>;
  close(): Promise<void>;
}

function isLocal(url: string): boolean {
  if (/^(data|blob|about|chrome-error):/.test(url)) return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export interface StartOptions {
  readonly viewport?: { width: number; height: number };
  /** Extra response headers on everything served (e.g. the desktop app's Content-Security-Policy). */
  readonly headers?: Record<string, string>;
  /** Run the renderer as in the desktop app: its preload API backed by Electron's main-process code (support/desktopHarness.ts). */
  readonly desktop?: boolean;
}

export async function startApp(options: StartOptions = {}): Promise<App> {
  const viewport = options.viewport ?? { width: 1440, height: 900 };
  if (!existsSync(join(RENDERER, 'dist/web/index.html'))) throw new Error('the renderer is not built: run npm run build -w @batchbook/renderer');
  const server: PreviewServer = await preview({ root: RENDERER, configFile: join(RENDERER, 'vite.config.ts'), logLevel: 'error', preview: { port: 0, host: '127.0.0.1', strictPort: false, ...(options.headers ? { headers: options.headers } : {}) } });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4173;
  const url = `http://127.0.0.1:${port}/`;
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bb-chromium-')), {
    executablePath: process.env['BATCHBOOK_CHROMIUM'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport,
  });
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  // anything leaving the machine is recorded and refused (workers' requests included)
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (isLocal(u)) return route.continue();
    offsite.push(u);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    if (!isLocal(r.url()) && !offsite.includes(r.url())) offsite.push(r.url());
  });
  const picker = await installDirectoryPicker(context);
  const holder: { page?: Page } = {};
  const desktop = options.desktop ? await installDesktop(context, () => holder.page) : undefined;
  const page = context.pages()[0] ?? (await context.newPage());
  holder.page = page;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(`CSP: ${m.text()}`);
  });
  if (process.env['BB_DEBUG']) page.on('console', (m) => console.log('[page]', m.text()));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(url);
  return {
    page,
    context,
    url,
    picker,
    ...(desktop ? { desktop } : {}),
    offsite,
    pageErrors,
    screenshot: async (name, of) => {
      await (of ?? page).screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    },
    close: async () => {
      await context.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

/**
 * One app for a test file: started before its tests, a screenshot of each failing test
 * (artifacts/failed-<test>.png), closed (then `cleanup`) at the end. Read `.app` inside tests and hooks.
 */
export function appForTests(options: StartOptions = {}, cleanup?: () => void): { readonly app: App } {
  const holder: { app?: App } = {};
  beforeAll(async () => {
    holder.app = await startApp(options);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await holder.app?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await holder.app?.close();
    cleanup?.();
  });
  return {
    get app() {
      if (!holder.app) throw new Error('the app has not started');
      return holder.app;
    },
  };
}
