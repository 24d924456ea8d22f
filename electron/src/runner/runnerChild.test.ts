import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunnerMessage } from './jobs.js';
import { handleJob } from './runnerChild.js';
import { alertsDigest } from '../trust/alertsTrust.js';

/**
 * The desktop runner with a project whose alert command leaves a mark on disk: the command runs
 * only when the user trusted exactly these alerts. Real runs on the embedded DuckDB (small data).
 */
const notify = `import { writeFileSync } from 'node:fs';\nwriteFileSync('alerted.txt', process.env.BATCHBOOK_ALERT_EVENT ?? '');\n`;
const alerts = { on: ['success' as const], command: [process.execPath, 'notify.mjs'] };
const spec = (command: readonly string[]) => `version: 1
name: alerting
sources:
  people:
    format: csv
    path: people.csv
    schema:
      - { name: id, type: integer }
stages:
  - { name: raw, kind: ingest, source: people }
  - { name: out, kind: output, input: raw, format: csv, path: people }
alerts:
  on: [success]
  command: ${JSON.stringify(command)}
`;

function project(command: readonly string[] = alerts.command): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-child-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'people.csv'), 'id\n1\n2\n');
  writeFileSync(join(dir, 'notify.mjs'), notify);
  writeFileSync(join(dir, 'pipeline.yaml'), spec(command));
  return dir;
}

async function run(dir: string, mode: 'trusted' | 'untrusted', digest = alertsDigest(alerts)) {
  const messages: RunnerMessage[] = [];
  await handleJob({ kind: 'run', projectDir: dir, params: { run_date: '2026-12-01' }, alerts: { mode, digest } }, (m) => messages.push(m));
  return messages;
}

describe('alerts of a desktop run', () => {
  it('runs the command the user trusted, and says so in the progress', async () => {
    const dir = project();
    const messages = await run(dir, 'trusted');
    expect(messages.at(-1)).toMatchObject({ type: 'done', outcome: { exitCode: 0, status: 'succeeded' } });
    expect(readFileSync(join(dir, 'alerted.txt'), 'utf8')).toBe('success');
    expect(messages).toContainEqual({ type: 'progress', progress: { type: 'log', message: expect.stringMatching(/^alert sent via command: /) } });
  }, 30_000);

  it('does not run it when the user chose to run without these alerts', async () => {
    const dir = project();
    expect((await run(dir, 'untrusted')).at(-1)).toMatchObject({ type: 'done', outcome: { exitCode: 0 } });
    expect(existsSync(join(dir, 'alerted.txt'))).toBe(false);
  }, 30_000);

  it('does not run a command that changed after the user trusted the old one', async () => {
    const dir = project([process.execPath, 'notify.mjs', '--changed']);
    expect((await run(dir, 'trusted')).at(-1)).toMatchObject({ type: 'done', outcome: { exitCode: 0 } });
    expect(existsSync(join(dir, 'alerted.txt'))).toBe(false);
  }, 30_000);
});
