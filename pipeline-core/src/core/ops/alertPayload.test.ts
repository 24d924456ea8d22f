import { describe, expect, it } from 'vitest';
import { alertEventOf, alertMessageOfRun, alertPayload, type AlertRunInput } from './alertPayload.js';

const rule = (over: Partial<AlertRunInput['rules'][number]>): AlertRunInput['rules'][number] => ({
  stage: 'checks', name: 'r', rule: 'not_null', severity: 'error', action: 'fail', status: 'pass', failing: 0, samples: [], ...over,
});
const run = (over: Partial<AlertRunInput>): AlertRunInput => ({
  pipeline: 'nightly', run_id: '20261125T023000Z-abc123', params: { run_date: '2026-11-25' }, status: 'succeeded', exit_code: 0,
  started_at: '2026-11-25T02:30:00.000Z', finished_at: '2026-11-25T02:31:30.000Z', duration_ms: 90_000, rules: [], ...over,
});

describe('alert messages', () => {
  it('classify runs: a non-zero exit is a failure, a failed warn rule a warning', () => {
    expect(alertEventOf(run({ exit_code: 3 }))).toBe('failure');
    expect(alertEventOf(run({ rules: [rule({ severity: 'warn', status: 'fail', failing: 2 })] }))).toBe('warning');
    expect(alertEventOf(run({ rules: [rule({})] }))).toBe('success');
  });

  it('name the cause, error rules first, with a shortened sample of the failing row', () => {
    const m = alertMessageOfRun(
      run({
        status: 'failed', exit_code: 3,
        rules: [rule({ name: 'orphans', severity: 'warn', status: 'fail', failing: 1 }), rule({ name: 'totals', rule: 'reconcile', status: 'fail', failing: 1, samples: [{ merchant_id: 'M003', difference: 0.03, note: 'x'.repeat(300) }] })],
      }),
      '/lake/runs/x/report.json',
    );
    expect(m).toMatchObject({ event: 'failure', run_id: '20261125T023000Z-abc123', run_date: '2026-11-25', exit_code: 3, duration_seconds: 90, report: '/lake/runs/x/report.json' });
    expect(m.cause).toBe('1 error rule failed: checks.totals (1 failing)');
    expect(m.failing_rules.map((r) => r.rule)).toEqual(['totals', 'orphans']);
    expect(m.failing_rules[0]!.sample!.startsWith('merchant_id=M003, difference=0.03, note=xxx')).toBe(true);
    expect(m.failing_rules[0]!.sample!.length).toBe(201); // 200 characters and the ellipsis
  });

  it('a runtime error is its own cause, with the stage', () => {
    expect(alertMessageOfRun(run({ status: 'error', exit_code: 1, error: { message: 'file is truncated', stage: 'raw' } })).cause).toBe('stage raw: file is truncated');
  });
});

describe('webhook payloads', () => {
  const m = alertMessageOfRun(run({ status: 'failed', exit_code: 3, rules: [rule({ name: 'a<b>&c', status: 'fail', failing: 4 })] }));

  it('slack: text for notifications, blocks for the message, mrkdwn control characters escaped', () => {
    const p = alertPayload(m, 'slack') as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(p.text).toBe('🔴 nightly 2026-11-25 failed (exit 3): 1 error rule failed: checks.a&lt;b&gt;&amp;c (4 failing)');
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section']);
    expect(p.blocks[2]!.text!.text).toContain('• checks.a&lt;b&gt;&amp;c (not_null, error): 4 failing');
  });

  it('teams: an Adaptive Card message; json: the message itself', () => {
    const p = alertPayload(m, 'teams') as { type: string; attachments: { contentType: string; content: { type: string; body: { type: string; facts?: { title: string; value: string }[] }[] } }[] };
    expect(p.type).toBe('message');
    expect(p.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const facts = p.attachments[0]!.content.body.find((b) => b.type === 'FactSet')!.facts!;
    expect(facts).toContainEqual({ title: 'Run', value: '20261125T023000Z-abc123' });
    expect(alertPayload(m, 'json')).toBe(m);
  });
});
