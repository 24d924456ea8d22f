import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import { interpolateEnv } from './alertsSchema.js';

const SPEC = `version: 1
name: p
sources:
  s:
    format: csv
    path: s.csv
    schema: [{ name: a, type: string }]
stages:
  - { name: raw, kind: ingest, source: s }
`;

describe('the alerts section of a spec', () => {
  it('accepts a webhook from the environment and a command', () => {
    const loaded = loadSpec(`${SPEC}alerts:\n  on: [failure, warning]\n  webhook: { url: "\${HOOK_URL}", format: teams }\n  command: [notify-send, batchbook]\n`);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.spec!.alerts).toEqual({ on: ['failure', 'warning'], webhook: { url: '${HOOK_URL}', format: 'teams' }, command: ['notify-send', 'batchbook'] });
  });

  it('locates a bad url, an unknown event and an alerts block with nothing to call', () => {
    const bad = loadSpec(`${SPEC}alerts:\n  on: [failures]\n  webhook: { url: "ftp://x" }\n`).diagnostics.filter((d) => d.severity === 'error');
    expect(bad.map((d) => d.path.join('.')).sort()).toEqual(['alerts.on.0', 'alerts.webhook.url']);
    expect(bad.find((d) => d.path.join('.') === 'alerts.webhook.url')!.line).toBe(12); // line 10 is alerts:, 11 on:, 12 webhook:
    const empty = loadSpec(`${SPEC}alerts:\n  on: [failure]\n`).diagnostics.filter((d) => d.severity === 'error');
    expect(empty.map((d) => d.message)).toEqual([expect.stringContaining('alerts need a webhook, a command, or both')]);
  });
});

describe('${VAR} placeholders', () => {
  it('are filled from the given environment, and every missing one is named', () => {
    expect(interpolateEnv('https://h/${A}/x/${B}', { A: '1', B: '2' })).toEqual({ ok: true, value: 'https://h/1/x/2' });
    expect(interpolateEnv('${A}${B}${C}', { B: 'set', C: '' })).toEqual({ ok: false, missing: ['A', 'C'] });
    expect(interpolateEnv('no placeholders, ${lower} kept', {})).toEqual({ ok: true, value: 'no placeholders, ${lower} kept' });
  });
});
