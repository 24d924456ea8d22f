import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../../electron/src/security';
import { startApp, type App } from '../support/app';
import { DesignerPage } from '../pages/designerPage';

/**
 * The desktop app serves the renderer under a strict Content-Security-Policy (no remote code,
 * WebAssembly compilation allowed, inline styles for Monaco). The Electron binary cannot run
 * here, so the same build is served in Chromium with the same policy: the preview engine, its
 * worker, Monaco and the samples must all work under it, with no violation reported.
 */
let app: App;
let ui: DesignerPage;

beforeAll(async () => {
  app = await startApp({ headers: { 'Content-Security-Policy': CSP } });
  ui = new DesignerPage(app.page);
  await app.page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __violations: string[] }).__violations ??= [];
      (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
    });
  });
  await app.page.reload();
});
afterAll(async () => {
  await app?.close();
});

describe('under the desktop app’s content security policy', () => {
  it('starts the preview engine, previews the sample and loads Monaco', async () => {
    const response = await app.page.request.get(app.url);
    expect(response.headers()['content-security-policy']).toBe(CSP);
    await ui.openSample('nightly-reconciliation');
    await ui.waitIdle();
    expect((await ui.counts('merchant_day')).rows).toBeGreaterThan(0);
    await ui.scrollTo('paid_orders');
    await ui.id('paid_orders-0-expr').locator('.monaco-editor').waitFor();
    await ui.id('tab-profile-paid_orders').click();
    await ui.id('profile-paid_orders').waitFor();
    expect(await app.page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])).toEqual([]);
    expect(app.pageErrors).toEqual([]);
    expect(app.offsite).toEqual([]);
  });
});
