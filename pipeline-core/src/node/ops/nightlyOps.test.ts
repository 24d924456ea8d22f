import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../core/spec/load.js';
import type { RunReport } from '../runner/report.js';
import { copySample, readRows, removeDir } from '../testing/fixtures.js';
import type { RunIndexEntry } from './history.js';
import { parseOpenMetrics, sampleValue, type ParsedFamily } from './openMetricsParser.js';
import { batchbook, runDir, runWithOps, webhookReceiver, type CliResult, type WebhookReceiver } from './opsTestkit.js';

/**
 * Done when: a failing nightly run (the reconciliation sample's day 2) produces a log, metrics,
 * a history entry and an alert to a local webhook receiver. Expected numbers come from the
 * sample's README (hand-derived) or from counting the files themselves, never from the run.
 */
const DAY2 = '2026-11-25';
const SECRET_PATH = '/services/T000/B000/s3cr3t';

let dir: string;
let lake: string;
let hook: WebhookReceiver;
let run: CliResult;
let entry: RunIndexEntry;
let report: RunReport;
let log: Record<string, unknown>[];
let metrics: ParsedFamily[];

beforeAll(async () => {
  dir = await copySample('nightly-reconciliation');
  lake = join(dir, 'lake');
  hook = await webhookReceiver();
  run = await batchbook(['run', dir, '--param', `run_date=${DAY2}`], { BATCHBOOK_ALERT_WEBHOOK: hook.url(SECRET_PATH) });
  const listed = await batchbook(['runs', dir, '--json']);
  entry = (JSON.parse(listed.stdout) as RunIndexEntry[])[0]!;
  const folder = runDir(lake, entry.run_id);
  report = JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as RunReport;
  log = (await readFile(join(folder, 'log.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  metrics = parseOpenMetrics(await readFile(join(folder, 'metrics.prom'), 'utf8'));
});
afterAll(async () => {
  await hook.close();
  await removeDir(dir);
});

const spec = async () => loadSpec(await readFile(join(dir, 'pipeline.yaml'), 'utf8')).spec!;

describe('a failing nightly run (reconciliation day 2)', () => {
  it('exits 3 and says so', () => {
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('settled_matches_sold');
  });

  it('is in the run history, failed, with its date and failing rules', () => {
    expect(entry).toMatchObject({ pipeline: 'nightly_reconciliation', status: 'failed', exit_code: 3, params: { run_date: DAY2 } });
    // README: M003 is 0.03 short (error) and one refund has no order (warning)
    expect(entry.rule_failures).toBe(2);
    expect(entry.rule_failures_error).toBe(1);
  });

  it('writes a JSON-lines log: one start and end per stage, one line per rule, the end with its cause', async () => {
    const s = await spec();
    for (const line of log) {
      expect(line).toMatchObject({ run_id: entry.run_id, pipeline: 'nightly_reconciliation' });
      expect(['debug', 'info', 'warn', 'error']).toContain(line['level']);
      expect(Date.parse(String(line['time']))).not.toBeNaN();
    }
    const events = (name: string) => log.filter((l) => l['event'] === name);
    expect(events('stage_start').map((l) => l['stage'])).toEqual(s.stages.map((x) => x.name));
    expect(events('stage_end').map((l) => l['stage'])).toEqual(s.stages.map((x) => x.name));
    const ruleCount = s.stages.reduce((a, x) => a + (x.kind === 'validate' ? x.rules.length : 0), 0);
    expect(events('rule')).toHaveLength(ruleCount);
    const recon = events('rule').find((l) => l['rule'] === 'settled_matches_sold')!;
    expect(recon).toMatchObject({ level: 'error', status: 'fail', failing: 1, stage: 'reconciliation' });
    const end = events('run_end');
    expect(end).toHaveLength(1);
    expect(end[0]).toMatchObject({ level: 'error', status: 'failed', exit_code: 3, published: false });
    // README: 41 POS records on day 2; 3 of them rejected (1 null key, 2 duplicates)
    expect(events('stage_end').find((l) => l['stage'] === 'clean_orders')).toMatchObject({ rows_in: 41, rows_out: 38, rows_rejected: 3 });
  });

  it('writes valid OpenMetrics whose values match independent counts', async () => {
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(metrics, `batchbook_${name}`, labels);
    expect(v('run_exit_code')).toBe(3);
    expect(v('run_success')).toBe(0);
    expect(metrics.find((f) => f.name === 'batchbook_run_details')!.samples[0]!.labels).toMatchObject({ run_id: entry.run_id, status: 'failed', run_date: DAY2 });
    const inbox = ['pos/orders_2026-11-25.csv', 'psp/settlements_2026-11-25.ndjson', 'erp/refunds_2026-11-25.parquet'];
    const inboxBytes = (await Promise.all(inbox.map((f) => stat(join(dir, 'data', f))))).reduce((a, s) => a + s.size, 0);
    expect(v('run_read_bytes')).toBe(inboxBytes);
    // README: 41 POS records + 35 settlements + 3 refunds
    expect(v('run_rows_in')).toBe(41 + 35 + 3);
    const rejectsDir = join(lake, 'rejects', DAY2);
    const rejectFiles = (await readdir(rejectsDir)).filter((f) => f.endsWith('.parquet'));
    const rejectedRows = (await Promise.all(rejectFiles.map((f) => readRows(join(rejectsDir, f))))).reduce((a, r) => a + r.length, 0);
    expect(rejectedRows).toBe(3 + 1); // README: 3 POS lines, the refund without order
    expect(v('run_rows_rejected')).toBe(rejectedRows);
    const rejectBytes = (await Promise.all(rejectFiles.map((f) => stat(join(rejectsDir, f))))).reduce((a, s) => a + s.size, 0);
    expect(v('run_written_bytes')).toBe(rejectBytes); // outputs are not published on a failed reconciliation
    expect(v('run_rows_out')).toBe(0);
    expect(v('run_rule_failures', { severity: 'error' })).toBe(1);
    expect(v('run_rule_failures', { severity: 'warn' })).toBe(1);
    expect(v('rule_failing', { stage: 'reconciliation', rule: 'settled_matches_sold' })).toBe(1);
    expect(v('stage_rows_out', { stage: 'merchant_day' })).toBe(4); // four merchants
    expect(v('stage_read_bytes', { stage: 'raw_orders' })).toBe((await stat(join(dir, 'data', inbox[0]!))).size);
    expect(v('run_peak_memory_bytes')).toBeGreaterThan(0);
  });

  it('puts the same metrics in the run report', () => {
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(metrics, `batchbook_${name}`, labels);
    expect(report.metrics.rows_in).toBe(v('run_rows_in'));
    expect(report.metrics.rows_rejected).toBe(v('run_rows_rejected'));
    expect(report.bytes_read).toBe(v('run_read_bytes'));
    expect(report.bytes_written).toBe(v('run_written_bytes'));
    for (const s of report.metrics.stages) expect(v('stage_duration_seconds', { stage: s.stage })).toBe(s.duration_seconds);
  });

  it('posts one Slack-compatible alert to the webhook with the cause, the failing rules and the run id', () => {
    expect(hook.requests).toHaveLength(1);
    const req = hook.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(SECRET_PATH);
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] };
    expect(body.text).toContain('nightly_reconciliation');
    expect(body.text).toContain(DAY2);
    expect(body.text).toContain('reconciliation.settled_matches_sold');
    const all = JSON.stringify(body.blocks);
    expect(all).toContain(entry.run_id);
    expect(all).toContain('M003');
    expect(all).toContain('checked_refunds.refund_without_order');
    expect(body.blocks[0]!.type).toBe('header');
  });

  it('logs the alert as sent without writing the secret webhook path into the log', async () => {
    expect(log.filter((l) => l['event'] === 'alert')).toEqual([expect.objectContaining({ status: 'sent', channel: 'webhook', http_status: 200, alert_event: 'failure' })]);
    const text = await readFile(join(runDir(lake, entry.run_id), 'log.jsonl'), 'utf8');
    expect(text).not.toContain('s3cr3t');
  });

  it('shows the run with its failing rules and failing rows', async () => {
    const shown = await batchbook(['runs', dir, '--show', 'latest']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(entry.run_id);
    expect(shown.stdout).toMatch(/✗ reconciliation\.settled_matches_sold .*1 failing/);
    expect(shown.stdout).toMatch(/M003\s+462\.97\s+462\.94\s+0\.03/); // README: sold 462.97, settled 462.94
    expect(shown.stdout).toContain('ORD-1125-041');
  });
});

describe('alerts that cannot be delivered', () => {
  it('a webhook answering 500 is tried twice, logged as failed, and the run still exits 3', async () => {
    const d = await copySample('nightly-reconciliation');
    const h = await webhookReceiver();
    h.status = 500;
    try {
      const r = await batchbook(['run', d, '--param', `run_date=${DAY2}`, '--alert-webhook', h.url()]);
      expect(r.code).toBe(3);
      expect(h.requests).toHaveLength(2);
      expect(r.stderr).toMatch(/alert failed via webhook: .*HTTP 500/);
      const [e] = JSON.parse((await batchbook(['runs', d, '--json'])).stdout) as RunIndexEntry[];
      const lines = (await readFile(join(runDir(join(d, 'lake'), e!.run_id), 'log.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l['event'] === 'alert')).toMatchObject({ level: 'warn', status: 'failed', http_status: 500 });
    } finally {
      await h.close();
      await removeDir(d);
    }
  });

  it('a webhook nobody listens on fails the alert, not the run: day 1 still exits 0', async () => {
    const d = await copySample('nightly-reconciliation');
    const h = await webhookReceiver();
    const url = h.url();
    await h.close(); // nothing listens there any more
    try {
      const r = await batchbook(['run', d, '--param', 'run_date=2026-11-24', '--alert-webhook', url]);
      expect(r.code).toBe(0); // day 1 succeeds with a warning (README: an orphan payment), which alerts
      expect(r.stderr).toMatch(/alert failed via webhook: POST http:\/\/127\.0\.0\.1:\d+\/…: .*ECONNREFUSED/);
    } finally {
      await removeDir(d);
    }
  });

  it('runs an alert command with the alert on stdin and the run in its environment', async () => {
    const d = await copySample('nightly-reconciliation');
    try {
      const out = join(d, 'alert.json');
      const script = join(d, 'notify.mjs');
      await writeFile(script, `import { readFileSync, writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(out)}, JSON.stringify({ stdin: JSON.parse(readFileSync(0, 'utf8')), run: process.env.BATCHBOOK_RUN_ID, event: process.env.BATCHBOOK_ALERT_EVENT }));\n`);
      const yaml = (await readFile(join(d, 'pipeline.yaml'), 'utf8')).replace(/\nalerts:[\s\S]*$/, `\nalerts:\n  on: [failure]\n  command: [${JSON.stringify(process.execPath)}, notify.mjs]\n`);
      await writeFile(join(d, 'pipeline.yaml'), yaml);
      const r = await runWithOps(d, { run_date: DAY2 }, { alerts: { enabled: true } });
      const got = JSON.parse(await readFile(out, 'utf8')) as { stdin: { event: string; run_id: string; failing_rules: { rule: string }[] }; run: string; event: string };
      expect(got.run).toBe(r.run_id);
      expect(got.event).toBe('failure');
      expect(got.stdin.run_id).toBe(r.run_id);
      expect(got.stdin.failing_rules[0]!.rule).toBe('settled_matches_sold');
    } finally {
      await removeDir(d);
    }
  });
});
