import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from './contract.js';
import { registerIpc, type InvokeEvent } from './handlers.js';
import { projectIdFor, Projects } from '../projects.js';
import type { RunManager } from '../runner/runManager.js';
import { alertsDigest } from '../trust/alertsTrust.js';
import { WorkspaceTrust, type TrustAnswer } from '../trust/workspaceTrust.js';

type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

const mainFrame = {};
const trusted: InvokeEvent = { senderFrame: Object.assign(mainFrame, { url: 'batchbook://app/index.html' }), sender: { mainFrame, id: 1 } };
const subFrame: InvokeEvent = { senderFrame: { url: 'batchbook://app/index.html' }, sender: { mainFrame, id: 1 } };
const foreign = (url: string): InvokeEvent => {
  const frame = { url };
  return { senderFrame: frame, sender: { mainFrame: frame, id: 2 } };
};

function setup() {
  const handlers = new Map<string, Listener>();
  const userData = mkdtempSync(join(tmpdir(), 'bb-userdata-'));
  const project = mkdtempSync(join(tmpdir(), 'bb-project-'));
  mkdirSync(join(project, 'data', 'pos'), { recursive: true });
  writeFileSync(join(project, 'pipeline.yaml'), '# my pipeline\nversion: 1\n');
  writeFileSync(join(project, 'data', 'pos', 'orders.csv'), 'id\n1\n');
  writeFileSync(join(project, 'secret.txt'), 'do not read');
  const picks: (string | undefined)[] = [];
  const runs = { start: vi.fn(() => 'run-abc'), cancel: vi.fn(), notStarted: vi.fn(() => 'run-none') } as unknown as RunManager;
  const setDocument = vi.fn();
  const confirm = vi.fn(async () => true);
  const trustAlerts = vi.fn(async (): Promise<TrustAnswer> => 'cancel');
  registerIpc({
    ipcMain: { handle: (channel, listener) => handlers.set(channel, listener) },
    projects: new Projects(userData, () => new Date('2026-11-26T08:00:00Z')),
    runs,
    dialogs: { pickFolder: async () => picks.shift(), confirm, trustAlerts },
    trust: new WorkspaceTrust(userData),
    setDocument,
  });
  const call = (channel: keyof typeof CHANNELS, event: InvokeEvent, ...args: unknown[]) => Promise.resolve().then(() => handlers.get(CHANNELS[channel])!(event, ...args));
  return { handlers, project, picks, runs, setDocument, confirm, trustAlerts, call };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  t = setup();
});

describe('IPC', () => {
  it('has one handler per named function, no catch-all', () => {
    expect([...t.handlers.keys()].sort()).toEqual(Object.values(CHANNELS).sort());
  });

  it('refuses callers other than the app’s own top frame, touching nothing', async () => {
    for (const event of [foreign('https://evil.example/'), foreign('file:///tmp/x.html'), subFrame, { senderFrame: null, sender: { mainFrame, id: 1 } }]) {
      await expect(t.call('openFolder', event)).rejects.toThrow(/not the Batchbook window/);
    }
    expect(t.picks).toEqual([]);
  });

  it('refuses arguments that do not fit the function', async () => {
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string } };
    const bad: [keyof typeof CHANNELS, unknown[]][] = [
      ['readProjectFiles', [opened.ref.id, ['../secret.txt']]],
      ['readProjectFiles', [opened.ref.id, ['/etc/passwd']]],
      ['readProjectFiles', [opened.ref.id, ['pos\\..\\..\\secret.txt']]],
      ['readProjectFiles', [opened.ref.id, 'pos/orders.csv']],
      ['readProjectFiles', ['../../etc', ['pos/orders.csv']]],
      ['saveSpec', [opened.ref.id, 42]],
      ['openFolder', ['extra']],
      ['runPipeline', [opened.ref.id, { 'bad name': 'x' }]],
      ['cancelRun', ['; rm -rf /']],
      ['setDocument', ['title']],
      ['runReport', [opened.ref.id, '../../../etc/passwd']],
      ['runReport', [opened.ref.id, '20261125T010000Z-abcdef/../x']],
      ['runHistory', [opened.ref.id, 7]],
      ['runHistory', [opened.ref.id]],
    ];
    for (const [channel, args] of bad) await expect(t.call(channel, trusted, ...args), `${channel} ${JSON.stringify(args)}`).rejects.toThrow(/refused/);
  });

  it('opens a folder the user picks, then reads only its data files', async () => {
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string; kind: string }; specText: string; files: string[] };
    expect(opened.ref).toMatchObject({ id: projectIdFor(t.project), kind: 'folder' });
    expect(opened.specText).toBe('# my pipeline\nversion: 1\n');
    expect(opened.files).toEqual(['pos/orders.csv']);
    const files = (await t.call('readProjectFiles', trusted, opened.ref.id, ['pos/orders.csv'])) as { path: string; bytes: Uint8Array }[];
    expect(new TextDecoder().decode(files[0]!.bytes)).toBe('id\n1\n');
    expect(await t.call('openFolder', trusted)).toBeNull(); // the user cancelled
  });

  it('reads nothing of a project the user did not open', async () => {
    await expect(t.call('readProjectFiles', trusted, projectIdFor('/etc'), ['passwd'])).rejects.toThrow(/not open/);
  });

  it('saves the spec in place, and saves a new project into a chosen folder', async () => {
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string } };
    await t.call('saveSpec', trusted, opened.ref.id, '# edited\nversion: 1\n');
    expect(readFileSync(join(t.project, 'pipeline.yaml'), 'utf8')).toBe('# edited\nversion: 1\n');

    const target = mkdtempSync(join(tmpdir(), 'bb-saveas-'));
    t.picks.push(target);
    const out = (await t.call('saveProjectAs', trusted, 'orders', 'version: 1\n', [{ path: 'in/orders.csv', bytes: new TextEncoder().encode('a\n') }])) as { saved: boolean; ref: { id: string } };
    expect(out.saved).toBe(true);
    expect(out.ref.id).toBe(projectIdFor(target));
    expect(readFileSync(join(target, 'data/in/orders.csv'), 'utf8')).toBe('a\n');
    expect(t.confirm).not.toHaveBeenCalled();
    t.picks.push(target); // the folder now holds a project: replacing it asks first
    t.confirm.mockResolvedValueOnce(false);
    expect(await t.call('saveProjectAs', trusted, 'orders', 'version: 2\n', [])).toEqual({ saved: false });
    expect(readFileSync(join(target, 'pipeline.yaml'), 'utf8')).toBe('version: 1\n');
  });

  it('keeps, returns and clears recovery copies', async () => {
    const id = 'sample:nightly-reconciliation';
    expect(await t.call('readRecovery', trusted, id)).toBeNull();
    await t.call('writeRecovery', trusted, id, 'unsaved work');
    expect(await t.call('readRecovery', trusted, id)).toEqual({ text: 'unsaved work', savedAt: '2026-11-26T08:00:00.000Z' });
    await t.call('clearRecovery', trusted, id);
    expect(await t.call('readRecovery', trusted, id)).toBeNull();
  });

  it('lists recent projects and reopens them', async () => {
    t.picks.push(t.project);
    await t.call('openFolder', trusted);
    const recent = (await t.call('recentProjects', trusted)) as { ref: { id: string } }[];
    expect(recent.map((r) => r.ref.id)).toEqual([projectIdFor(t.project)]);
    expect(((await t.call('openRecent', trusted, recent[0]!.ref.id)) as { files: string[] }).files).toEqual(['pos/orders.csv']);
  });

  it('starts runs and exports in the runner for an open project only', async () => {
    await expect(t.call('runPipeline', trusted, projectIdFor(t.project), {})).rejects.toThrow(/not open/);
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string } };
    expect(await t.call('runPipeline', trusted, opened.ref.id, { run_date: '2026-11-24' })).toBe('run-abc');
    expect(t.runs.start).toHaveBeenCalledWith({ kind: 'run', projectDir: t.project, params: { run_date: '2026-11-24' }, alerts: { mode: 'trusted', digest: alertsDigest(undefined) } });
    expect(t.trustAlerts).not.toHaveBeenCalled(); // no alerts: nothing to ask
    await t.call('cancelRun', trusted, 'run-abc');
    expect(t.runs.cancel).toHaveBeenCalledWith('run-abc');
    const out = mkdtempSync(join(tmpdir(), 'bb-export-'));
    t.picks.push(out);
    await t.call('exportProject', trusted, opened.ref.id, {});
    expect(t.runs.start).toHaveBeenLastCalledWith({ kind: 'export', projectDir: t.project, out, params: {} });
  });

  it('asks before the first run of a project whose alerts run a command, and runs nothing on cancel', async () => {
    const alerts = { on: ['failure' as const], command: ['./notify.sh'] };
    writeFileSync(join(t.project, 'pipeline.yaml'), `version: 1\nname: p\nsources:\n  s: { format: csv, path: s.csv, schema: [{ name: id, type: integer }] }\nstages:\n  - { name: raw, kind: ingest, source: s }\nalerts:\n  on: [failure]\n  command: [./notify.sh]\n`);
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string } };
    expect(await t.call('runPipeline', trusted, opened.ref.id, {})).toBe('run-none');
    expect(t.runs.start).not.toHaveBeenCalled();
    expect(t.runs.notStarted).toHaveBeenCalledWith(expect.objectContaining({ status: 'cancelled', message: expect.stringMatching(/not run: you cancelled/) }));
    t.trustAlerts.mockResolvedValueOnce('without');
    await t.call('runPipeline', trusted, opened.ref.id, {});
    await t.call('runPipeline', trusted, opened.ref.id, {}); // remembered: not asked again
    expect(t.trustAlerts).toHaveBeenCalledTimes(2);
    expect(t.trustAlerts).toHaveBeenLastCalledWith(basename(t.project), { command: ['./notify.sh'], envVars: [] });
    expect(t.runs.start).toHaveBeenLastCalledWith({ kind: 'run', projectDir: t.project, params: {}, alerts: { mode: 'untrusted', digest: alertsDigest(alerts) } });
  });

  it('reads the run history and reports of an open project’s lake, with the runner’s readers', async () => {
    const A = '20261124T010000Z-aaaaaa';
    const B = '20261125T010000Z-bbbbbb';
    const runs = join(t.project, 'lake', 'runs');
    mkdirSync(join(runs, A), { recursive: true });
    mkdirSync(join(runs, B), { recursive: true });
    const line = (run_id: string, pipeline: string, started_at: string) => JSON.stringify({ run_id, pipeline, params: { run_date: started_at.slice(0, 10) }, status: 'succeeded', exit_code: 0, started_at });
    writeFileSync(join(runs, 'index.jsonl'), `${line(A, 'nightly', '2026-11-24T01:00:00Z')}\n${line('20261123T010000Z-cccccc', 'other', '2026-11-23T01:00:00Z')}\n`);
    // B's report was written but its index line was lost (killed in between)
    const reportB = { run_id: B, pipeline: 'nightly', params: { run_date: '2026-11-25' }, status: 'failed', exit_code: 3, started_at: '2026-11-25T01:00:00Z', landed: [], stages: [], rules: [], outputs: [], rejects: [] };
    writeFileSync(join(runs, B, 'report.json'), JSON.stringify(reportB));

    await expect(t.call('runHistory', trusted, projectIdFor(t.project), null)).rejects.toThrow(/not open/);
    t.picks.push(t.project);
    const opened = (await t.call('openFolder', trusted)) as { ref: { id: string } };
    const history = (await t.call('runHistory', trusted, opened.ref.id, 'nightly')) as { where: string; entries: { run_id: string; status: string }[] };
    expect(history.where).toBe(join(t.project, 'lake', 'runs'));
    expect(history.entries.map((e) => [e.run_id, e.status])).toEqual([[A, 'succeeded'], [B, 'failed']]);
    expect(((await t.call('runHistory', trusted, opened.ref.id, null)) as { entries: unknown[] }).entries).toHaveLength(3);
    expect(await t.call('runReport', trusted, opened.ref.id, B)).toMatchObject({ run_id: B, exit_code: 3 });
    expect(await t.call('runReport', trusted, opened.ref.id, A)).toBeNull();
  });

  it('passes the document title and unsaved marker to the window', async () => {
    await t.call('setDocument', trusted, 'Nightly', true);
    expect(t.setDocument).toHaveBeenCalledWith(1, 'Nightly', true);
  });
});
