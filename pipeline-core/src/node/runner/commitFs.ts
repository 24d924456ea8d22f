import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * The file calls of a commit, made synchronously behind promise-shaped functions.
 *
 * A commit is a critical section under the lake lock made of ~100 small metadata calls (mkdir,
 * symlink, readlink, unlink…). Through fs/promises each call is a round trip through libuv's
 * thread pool and back to the event loop; on a loaded machine every round trip waits for the
 * scheduler, and a commit took 30–150 ms of waiting for ~1 ms of work. Called directly, the same
 * calls take what the kernel needs. The lock is held either way, and a run has nothing else to do
 * while it commits, so blocking the event loop for those few milliseconds costs nothing.
 * Errors reject the returned promise, as with fs/promises.
 */
const now =
  <A extends unknown[], R>(f: (...args: A) => R) =>
  async (...args: A): Promise<R> =>
    f(...args);

export const link = now((existing: string, p: string) => fs.linkSync(existing, p));
export const lstat = now((p: string) => fs.lstatSync(p));
export const stat = now((p: string) => fs.statSync(p));
export const mkdir = now((p: string, opts?: fs.MakeDirectoryOptions) => void fs.mkdirSync(p, opts));
export const readFile = now((p: string, encoding: 'utf8') => fs.readFileSync(p, encoding));
export const readlink = now((p: string) => fs.readlinkSync(p));
export const realpath = now((p: string) => fs.realpathSync(p));
export const rename = now((from: string, to: string) => fs.renameSync(from, to));
export const rm = now((p: string, opts?: fs.RmOptions) => fs.rmSync(p, opts));
export const rmdir = now((p: string) => fs.rmdirSync(p));
export const symlink = now((target: string, p: string, type?: 'dir' | 'file') => fs.symlinkSync(target, p, type));
export const unlink = now((p: string) => fs.unlinkSync(p));
export const writeFile = now((p: string, text: string) => fs.writeFileSync(p, text));

export function readdir(p: string): Promise<string[]>;
export function readdir(p: string, opts: { withFileTypes: true }): Promise<fs.Dirent[]>;
export async function readdir(p: string, opts?: { withFileTypes: true }): Promise<string[] | fs.Dirent[]> {
  return opts ? fs.readdirSync(p, opts) : fs.readdirSync(p);
}

/** Readers see the old content or the new, never half (a temp file, synced, renamed over). */
export const writeFileAtomic = now((file: string, content: string) => {
  fs.mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
});
