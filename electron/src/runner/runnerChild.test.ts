import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunnerMessage } from './jobs.js';
import { exportOutcome, handleJob } from './runnerChild.js';
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

describe('the end of a desktop export', () => {
  it('is a success only when nothing was refused, and otherwise lists every refusal with its rewrite', () => {
    expect(exportOutcome({ written: ['duckdb', 'spark'], refusals: [] }, '/out')).toEqual({ exitCode: 0, status: 'exported', reportPath: '/out' });
    const refused = exportOutcome(
      {
        written: ['duckdb'],
        refusals: [
          { refused: true, target: 'spark', stage: 'c', construct: "expression 'CAST(d AS string)': CAST of a double to string", suggestion: 'CAST(CAST(d AS DECIMAL(18,2)) AS STRING)' },
          { refused: true, target: 'beam', stage: 'checks', construct: "regex rule 'r' with POSIX classes" },
        ],
      },
      '/out',
    );
    expect(refused).toMatchObject({ exitCode: 2, status: 'refused' });
    expect(refused.message).toBe(
      "wrote duckdb; refused:\nspark: stage 'c': cannot export expression 'CAST(d AS string)': CAST of a double to string; write instead: CAST(CAST(d AS DECIMAL(18,2)) AS STRING)\nbeam: stage 'checks': cannot export regex rule 'r' with POSIX classes",
    );
  });
});
