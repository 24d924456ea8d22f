import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/**
 * Playwright cannot answer Chromium's folder picker, so tests put a stand-in for
 * `window.showDirectoryPicker` in the page that returns a FileSystemDirectoryHandle-shaped object
 * backed by a real folder on disk (through an exposed binding). The app's own File System Access
 * code runs unchanged against it, and the test can read what was written.
 */
export interface PickerControl {
  /** The folder the next pick returns (undefined: the user cancels). */
  setFolder(dir: string | undefined): void;
}

export async function installDirectoryPicker(context: BrowserContext): Promise<PickerControl> {
  let root: string | undefined;
  const inside = (rel: string) => {
    if (!root) throw new Error('no folder picked');
    const abs = resolve(root, rel);
    if (abs !== root && !abs.startsWith(root + sep)) throw new Error(`outside the picked folder: ${rel}`);
    return abs;
  };
  await context.exposeBinding('__bbFs', (_source, op: string, rel: string, data?: string) => {
    switch (op) {
      case 'pick':
        return root ? root.split(sep).pop() : null;
      case 'stat': {
        const abs = inside(rel);
        try {
          return statSync(abs).isDirectory() ? 'directory' : 'file';
        } catch {
          return null;
        }
      }
      case 'list':
        return readdirSync(inside(rel), { withFileTypes: true }).map((e) => [e.name, e.isDirectory() ? 'directory' : 'file']);
      case 'mkdir':
        mkdirSync(inside(rel), { recursive: true });
        return null;
      case 'read':
        return readFileSync(inside(rel)).toString('base64');
      case 'write':
        mkdirSync(dirname(inside(rel)), { recursive: true });
        writeFileSync(inside(rel), Buffer.from(data ?? '', 'base64'));
        return null;
      default:
        throw new Error(`unknown op ${op}`);
    }
  });
  await context.addInitScript(() => {
    type Fs = (op: string, rel: string, data?: string) => Promise<unknown>;
    const fs = (window as unknown as { __bbFs: Fs }).__bbFs;
    const b64 = (bytes: Uint8Array) => {
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    };
    const join = (a: string, b: string) => (a ? `${a}/${b}` : b);
    const notFound = (name: string) => new DOMException(`${name} not found`, 'NotFoundError');
    class FileHandle {
      readonly kind = 'file';
      constructor(readonly name: string, private readonly path: string) {}
      async getFile() {
        const data = (await fs('read', this.path)) as string;
        return new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], this.name);
      }
      async createWritable() {
        const chunks: Uint8Array[] = [];
        const path = this.path;
        return {
          async write(d: string | Uint8Array | ArrayBuffer | Blob) {
            if (typeof d === 'string') chunks.push(new TextEncoder().encode(d));
            else if (d instanceof Blob) chunks.push(new Uint8Array(await d.arrayBuffer()));
            else chunks.push(d instanceof Uint8Array ? d : new Uint8Array(d));
          },
          async close() {
            const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
            let at = 0;
            for (const c of chunks) {
              all.set(c, at);
              at += c.length;
            }
            await fs('write', path, b64(all));
          },
        };
      }
      async queryPermission() {
        return 'granted';
      }
      async requestPermission() {
        return 'granted';
      }
    }
    class DirHandle {
      readonly kind = 'directory';
      constructor(readonly name: string, private readonly path: string) {}
      async getDirectoryHandle(name: string, opts?: { create?: boolean }) {
        const p = join(this.path, name);
        const kind = await fs('stat', p);
        if (kind !== 'directory') {
          if (!opts?.create || kind === 'file') throw notFound(name);
          await fs('mkdir', p);
        }
        return new DirHandle(name, p);
      }
      async getFileHandle(name: string, opts?: { create?: boolean }) {
        const p = join(this.path, name);
        const kind = await fs('stat', p);
        if (kind !== 'file' && !opts?.create) throw notFound(name);
        return new FileHandle(name, p);
      }
      async *entries(): AsyncGenerator<[string, FileHandle | DirHandle]> {
        for (const [name, kind] of (await fs('list', this.path)) as [string, string][]) yield [name, kind === 'directory' ? new DirHandle(name, join(this.path, name)) : new FileHandle(name, join(this.path, name))];
      }
      async queryPermission() {
        return 'granted';
      }
      async requestPermission() {
        return 'granted';
      }
    }
    (window as unknown as { showDirectoryPicker: () => Promise<DirHandle> }).showDirectoryPicker = async () => {
      const name = (await fs('pick', '')) as string | null;
      if (!name) throw new DOMException('The user aborted a request.', 'AbortError');
      return new DirHandle(name, '');
    };
  });
  return { setFolder: (dir) => (root = dir === undefined ? undefined : resolve(dir)) };
}

export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}
