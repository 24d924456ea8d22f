import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { CHANNELS, EVENTS } from '../../../electron/dist/ipc/contract.js';
import { registerIpc, type InvokeEvent } from '../../../electron/dist/ipc/handlers.js';
import { Projects } from '../../../electron/dist/projects.js';
import { RunManager, type ChildProcessLike } from '../../../electron/dist/runner/runManager.js';
import { APP_URL } from '../../../electron/dist/security.js';
import { WorkspaceTrust } from '../../../electron/dist/trust/workspaceTrust.js';

/**
 * The desktop app without Electron (whose binary cannot be downloaded here): the page gets a
 * `window.batchbook` shaped like the preload's (one function per channel, calling it by name),
 * and the calls reach Electron's own main-process code in this Node process — the IPC handlers
 * with their sender and argument checks, the project folder guard, and the RunManager running
 * the real runner child in a forked process (a Node stand-in for the utility process). So the
 * renderer's desktop adapter, progress events and cancel are exercised end to end.
 */
const SHIM = fileURLToPath(new URL('./runnerShim.mjs', import.meta.url));

export interface DesktopControl {
  /** The folder the next native folder dialog returns (undefined: cancelled). */
  setFolder(dir: string | undefined): void;
  /** Run processes started so far (their pids), for the tests to check they end. */
  readonly runnerPids: number[];
  /** Extra environment of the next run processes (e.g. a failpoint that holds a run). */
  readonly runnerEnv: Record<string, string>;
}

type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

// bytes cross the Playwright binding as base64 (the real IPC structured-clones them)
type Wire = { readonly $bytes: string } | readonly Wire[] | { readonly [k: string]: Wire } | string | number | boolean | null;
function toWire(v: unknown): Wire {
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(toWire);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  return (v ?? null) as Wire;
}
function fromWire(v: Wire): unknown {
  if (Array.isArray(v)) return v.map(fromWire);
  if (v && typeof v === 'object') return '$bytes' in v && typeof v.$bytes === 'string' ? new Uint8Array(Buffer.from(v.$bytes, 'base64')) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(x as Wire)]));
  return v;
}

export async function installDesktop(context: BrowserContext, page: () => Page | undefined): Promise<DesktopControl> {
  let folder: string | undefined;
  const runnerPids: number[] = [];
  const runnerEnv: Record<string, string> = {};
  const handlers = new Map<string, Listener>();
  const send = (channel: string, ...args: unknown[]) =>
    void page()
      ?.evaluate(([c, a]) => (window as unknown as { __bbEmit(c: string, a: unknown): void }).__bbEmit(c, JSON.parse(a)), [channel, JSON.stringify(toWire(args))] as const)
      .catch(() => undefined);
  const runs = new RunManager(
    () => {
      const child = fork(SHIM, [], { stdio: 'ignore', env: { ...process.env, ...runnerEnv } });
      runnerPids.push(child.pid!);
      return {
        postMessage: (job) => child.send(job),
        on(event: 'message' | 'exit', listener: (x: never) => void) {
          child.on(event, listener as never);
          return this;
        },
        kill: () => child.kill(),
      } as ChildProcessLike;
    },
    (runId, event) => send(EVENTS.runEvent, runId, event),
  );
  registerIpc({
    ipcMain: { handle: (channel, listener) => handlers.set(channel, listener) },
    projects: new Projects(mkdtempSync(join(tmpdir(), 'bb-userdata-'))),
    runs,
    // the workspace-trust question: run without the project's command / environment-reading alerts
    dialogs: { pickFolder: async () => folder, confirm: async () => true, trustAlerts: async () => 'without' },
    trust: new WorkspaceTrust(mkdtempSync(join(tmpdir(), 'bb-trust-'))),
    setDocument: () => undefined,
  });
  // what Electron tells main about a call from the app's own window
  const mainFrame = { url: APP_URL };
  const trusted: InvokeEvent = { senderFrame: mainFrame, sender: { mainFrame, id: 1 } };
  await context.exposeBinding('__bbInvoke', async (_source, channel: string, args: Wire) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return toWire(await handler(trusted, ...(fromWire(args) as unknown[])));
  });
  await context.addInitScript(
    ({ channels, events }) => {
      type W = unknown;
      const toWire = (v: unknown): W => {
        if (v instanceof Uint8Array) {
          let s = '';
          for (const b of v) s += String.fromCharCode(b);
          return { $bytes: btoa(s) };
        }
        if (Array.isArray(v)) return v.map(toWire);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
        return v ?? null;
      };
      const fromWire = (v: W): unknown => {
        if (Array.isArray(v)) return v.map(fromWire);
        if (v && typeof v === 'object') {
          const o = v as Record<string, W>;
          return typeof o['$bytes'] === 'string' ? Uint8Array.from(atob(o['$bytes']), (c) => c.charCodeAt(0)) : Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromWire(x)]));
        }
        return v;
      };
      const invoke = (window as unknown as { __bbInvoke(c: string, a: W): Promise<W> }).__bbInvoke;
      const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
      const subscribe = (channel: string, l: (...a: unknown[]) => void) => {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set.add(l));
        return () => void set.delete(l);
      };
      (window as unknown as { __bbEmit(c: string, a: W): void }).__bbEmit = (channel, args) => {
        for (const l of listeners.get(channel) ?? []) l(...(fromWire(args) as unknown[]));
      };
      const api: Record<string, unknown> = {};
      for (const [name, channel] of Object.entries(channels)) api[name] = async (...args: unknown[]) => fromWire(await invoke(channel, toWire(args)));
      api['setDocument'] = (...args: unknown[]) => void invoke(channels['setDocument']!, toWire(args));
      api['onRunEvent'] = (l: (...a: unknown[]) => void) => subscribe(events.runEvent, l);
      api['onMenuCommand'] = (l: (...a: unknown[]) => void) => subscribe(events.menuCommand, l);
      (window as unknown as { batchbook: unknown }).batchbook = Object.freeze(api);
    },
    { channels: CHANNELS as Record<string, string>, events: EVENTS },
  );
  return { setFolder: (dir) => (folder = dir), runnerPids, runnerEnv };
}
