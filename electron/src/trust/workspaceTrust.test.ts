import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TrustNeeds } from './alertsTrust.js';
import { alertsPermission, WorkspaceTrust, type TrustAnswer } from './workspaceTrust.js';

const SPEC = (alerts: string, stage = 'out') => `version: 1
name: trusty
sources:
  people:
    format: csv
    path: people.csv
    schema:
      - { name: id, type: integer }
stages:
  - { name: raw, kind: ingest, source: people }
  - { name: ${stage}, kind: output, input: raw, format: csv, path: people }
${alerts}`;

const COMMAND = `alerts:\n  command: [./notify.sh, --channel, ops]\n`;

function project(specText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-trust-project-'));
  writeFileSync(join(dir, 'pipeline.yaml'), specText);
  return dir;
}

function setup(...answers: TrustAnswer[]) {
  const userData = mkdtempSync(join(tmpdir(), 'bb-trust-userdata-'));
  const asked: [string, TrustNeeds][] = [];
  const ask = vi.fn(async (name: string, needs: TrustNeeds) => {
    asked.push([name, needs]);
    return answers.shift() ?? 'cancel';
  });
  const trust = () => new WorkspaceTrust(userData, () => new Date('2026-12-03T10:00:00Z'));
  return { userData, asked, ask, trust };
}

describe('the workspace-trust question before a desktop run', () => {
  it('is not asked when the alerts need no trust', async () => {
    const t = setup();
    const dir = project(SPEC(`alerts:\n  webhook: { url: "https://hooks.example.com/x" }\n`));
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'trusted' });
    expect(await alertsPermission(project(SPEC('')), t.trust(), t.ask)).toMatchObject({ mode: 'trusted' });
    expect(t.ask).not.toHaveBeenCalled();
  });

  it('is asked the first time, with what would run, and the answer is remembered for the folder', async () => {
    const t = setup('trust');
    const dir = project(SPEC(COMMAND));
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'trusted' });
    expect(t.asked).toEqual([[dir.split('/').pop(), { command: ['./notify.sh', '--channel', 'ops'], envVars: [] }]]);
    // a new app session (a new store over the same userData) remembers it
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'trusted' });
    expect(t.ask).toHaveBeenCalledTimes(1);
    const saved = JSON.parse(readFileSync(join(t.userData, 'workspace-trust.json'), 'utf8')) as { folders: Record<string, { mode: string; decidedAt: string }> };
    expect(saved.folders[dir]).toMatchObject({ mode: 'trusted', decidedAt: '2026-12-03T10:00:00.000Z' });
  });

  it('remembers "run without these alerts" too', async () => {
    const t = setup('without');
    const dir = project(SPEC(`alerts:\n  webhook: { url: "\${SLACK_URL}" }\n`));
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'untrusted' });
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'untrusted' });
    expect(t.ask).toHaveBeenCalledTimes(1);
  });

  it('asks again when the alerts change, not when another part of the spec does', async () => {
    const t = setup('trust', 'trust');
    const dir = project(SPEC(COMMAND));
    await alertsPermission(dir, t.trust(), t.ask);
    writeFileSync(join(dir, 'pipeline.yaml'), SPEC(COMMAND, 'curated'));
    await alertsPermission(dir, t.trust(), t.ask);
    expect(t.ask).toHaveBeenCalledTimes(1);
    writeFileSync(join(dir, 'pipeline.yaml'), SPEC(`alerts:\n  command: [./notify.sh, --channel, everyone]\n`));
    await alertsPermission(dir, t.trust(), t.ask);
    expect(t.ask).toHaveBeenCalledTimes(2);
  });

  it('asks for each folder: trusting one project trusts no other with the same spec', async () => {
    const t = setup('trust', 'cancel');
    await alertsPermission(project(SPEC(COMMAND)), t.trust(), t.ask);
    expect(await alertsPermission(project(SPEC(COMMAND)), t.trust(), t.ask)).toBeNull();
    expect(t.ask).toHaveBeenCalledTimes(2);
  });

  it('a cancel stops the run and is not remembered', async () => {
    const t = setup('cancel', 'trust');
    const dir = project(SPEC(COMMAND));
    expect(await alertsPermission(dir, t.trust(), t.ask)).toBeNull();
    expect(await alertsPermission(dir, t.trust(), t.ask)).toMatchObject({ mode: 'trusted' });
    expect(t.ask).toHaveBeenCalledTimes(2);
  });

  it('asks again rather than trust when the store is unreadable', async () => {
    const t = setup('trust', 'trust');
    const dir = project(SPEC(COMMAND));
    await alertsPermission(dir, t.trust(), t.ask);
    writeFileSync(join(t.userData, 'workspace-trust.json'), '{ not json');
    await alertsPermission(dir, t.trust(), t.ask);
    expect(t.ask).toHaveBeenCalledTimes(2);
  });
});
