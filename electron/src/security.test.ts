import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetPath, contentType, CSP, headersFor, isAllowedNavigation, isTrustedSender } from './security.js';

const root = '/opt/batchbook/renderer/dist/web';

describe('the batchbook:// scheme', () => {
  it('serves files of the built renderer', () => {
    expect(assetPath(root, 'batchbook://app/index.html')).toBe(join(root, 'index.html'));
    expect(assetPath(root, 'batchbook://app/')).toBe(join(root, 'index.html'));
    expect(assetPath(root, 'batchbook://app/assets/duckdb-eh-9ubY.wasm')).toBe(join(root, 'assets/duckdb-eh-9ubY.wasm'));
    expect(assetPath(root, 'batchbook://app/samples/nightly-reconciliation/data/pos/orders%202026.csv')).toBe(join(root, 'samples/nightly-reconciliation/data/pos/orders 2026.csv'));
  });
  it('keeps dot-segments inside the renderer (the URL parser folds them before the file is looked up)', () => {
    expect(assetPath(root, 'batchbook://app/../../../etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(assetPath(root, 'batchbook://app/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc/passwd'));
  });
  it.each([
    'batchbook://app/assets/..%2f..%2f..%2fetc%2fpasswd',
    'batchbook://app/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    'batchbook://other/index.html',
    'file:///etc/passwd',
    'https://example.com/index.html',
    'batchbook://app/a%00b',
    'not a url',
  ])('refuses %s', (url) => expect(assetPath(root, url)).toBeUndefined());
  it('answers with a strict content security policy and real types', () => {
    expect(contentType('x.wasm')).toBe('application/wasm');
    expect(contentType('x.js')).toMatch(/javascript/);
    const h = headersFor('index.html');
    expect(h['Content-Security-Policy']).toBe(CSP);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
  });
  it('the policy allows only the app itself, WebAssembly compilation and inline styles', () => {
    const directives = Object.fromEntries(CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });
});

describe('who may call the main process, and where the window may go', () => {
  it('trusts only the app’s own top frame', () => {
    expect(isTrustedSender('batchbook://app/index.html', true)).toBe(true);
    expect(isTrustedSender('batchbook://app/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('file:///home/x/index.html', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
  it('never navigates away from the app', () => {
    expect(isAllowedNavigation('batchbook://app/index.html#x')).toBe(true);
    expect(isAllowedNavigation('https://example.com')).toBe(false);
  });
});
