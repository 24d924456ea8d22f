import { extname, join, normalize, resolve, sep } from 'node:path';

/**
 * The renderer is served from its own privileged scheme (never file://), with a strict content
 * security policy: only the app's own code, DuckDB-WASM's compilation ('wasm-unsafe-eval'),
 * Monaco's inline styles; no remote anything.
 */
export const SCHEME = 'batchbook';
export const APP_ORIGIN = `${SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.yaml': 'text/yaml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a batchbook://app/… URL names inside the built renderer, or undefined when it is outside. */
export function assetPath(root: string, url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${SCHEME}:` || u.host !== 'app') return undefined;
  const path = decodeURIComponent(u.pathname);
  if (path.includes('\0')) return undefined;
  const base = resolve(root);
  const abs = resolve(base, normalize(`.${path === '/' ? '/index.html' : path}`));
  return abs.startsWith(base + sep) ? abs : undefined;
}

export function headersFor(path: string): Record<string, string> {
  return {
    'Content-Type': contentType(path),
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Only the app's own pages may call the main process, and only from the top frame. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === `${SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/** Navigation stays inside the app: anything else (a link, a dropped URL) is refused. */
export function isAllowedNavigation(url: string): boolean {
  return isTrustedSender(url, true);
}

/**
 * Where the built renderer is: beside electron/ in the repository, and inside app.asar's
 * renderer/ folder in a packaged app (electron-builder.yml copies it there, so the archive's
 * integrity check covers the page's code too).
 */
export function rendererRoot(electronDist: string, packaged = false): string {
  return packaged ? join(electronDist, '..', PACKAGED_RENDERER_DIR) : join(electronDist, '..', '..', 'renderer', 'dist', 'web');
}

/** The folder of app.asar that holds the renderer (electron-builder.yml's `files` puts it there). */
export const PACKAGED_RENDERER_DIR = 'renderer';
