import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENTS } from './ipc/contract.js';

/** The preload, loaded as Electron loads it (CommonJS) with `electron` replaced by a recorder. */
function loadPreload() {
  const exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: vi.fn((...a: unknown[]) => {
        invoked.push(a);
        return Promise.resolve(undefined);
      }),
      on: (ch: string, l: (...a: unknown[]) => void) => listeners.set(ch, [...(listeners.get(ch) ?? []), l]),
      removeListener: (ch: string, l: (...a: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l)),
    },
  };
  const source = readFileSync(new URL('../dist/preload.cjs', import.meta.url), 'utf8');
  const module = { exports: {} };
  const requireElectronOnly = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  new Function('require', 'module', 'exports', source)(requireElectronOnly, module, module.exports);
  return { api: exposed['batchbook']!, invoked, listeners };
}

describe('the preload', () => {
  const { api, invoked, listeners } = loadPreload();

  it('exposes one named function per channel, and nothing that sends arbitrary messages', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CHANNELS), 'onMenuCommand', 'onRunEvent'].sort());
    expect(Object.keys(api)).not.toContain('send');
    expect(Object.keys(api)).not.toContain('invoke');
  });

  it('calls exactly the main process’s channel for each function', () => {
    const args: Record<keyof typeof CHANNELS, unknown[]> = {
      openFolder: [],
      recentProjects: [],
      openRecent: ['folder:abc'],
      readProjectFiles: ['folder:abc', ['a.csv']],
      saveSpec: ['folder:abc', 'text'],
      saveProjectAs: ['n', 'text', []],
      writeRecovery: ['folder:abc', 't'],
      readRecovery: ['folder:abc'],
      clearRecovery: ['folder:abc'],
      runPipeline: ['folder:abc', {}],
      cancelRun: ['run-1'],
      exportProject: ['folder:abc', {}],
      runHistory: ['folder:abc', null],
      runReport: ['folder:abc', '20261125T010000Z-bbbbbb'],
      setDocument: ['t', true],
    };
    for (const [name, a] of Object.entries(args) as [keyof typeof CHANNELS, unknown[]][]) {
      invoked.length = 0;
      void api[name]!(...a);
      expect(invoked, name).toEqual([[CHANNELS[name], ...a]]);
    }
  });

  it('hands listeners the payload only, never Electron’s event, and can unsubscribe', () => {
    const got: unknown[][] = [];
    const off = api['onRunEvent']!((...a: unknown[]) => got.push(a)) as () => void;
    const fire = () => listeners.get(EVENTS.runEvent)!.forEach((l) => l({ sender: 'ipc event' }, 'run-1', { type: 'log', message: 'x' }));
    fire();
    expect(got).toEqual([['run-1', { type: 'log', message: 'x' }]]);
    off();
    expect(listeners.get(EVENTS.runEvent)).toEqual([]);
    const commands: unknown[] = [];
    api['onMenuCommand']!((c: unknown) => commands.push(c));
    listeners.get(EVENTS.menuCommand)![0]!({}, 'save');
    expect(commands).toEqual(['save']);
  });
});
