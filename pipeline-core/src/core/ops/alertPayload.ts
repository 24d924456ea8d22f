import type { RuleResult } from '../execute/executePlan.js';
import type { AlertEvent, AlertFormat } from './alertsSchema.js';

/** One failing rule as an alert names it. */
export interface AlertRule {
  readonly stage: string;
  readonly rule: string;
  readonly kind: string;
  readonly severity: string;
  readonly action: string;
  readonly failing: number;
  /** The first failing row or group, as `column=value, …` (shortened). */
  readonly sample?: string;
}

/**
 * The alert itself, format-neutral: the `json` webhook format posts exactly this object, the
 * alert command gets it on stdin, and the slack / teams formats render it.
 */
export interface AlertMessage {
  readonly source: 'batchbook';
  readonly kind: 'run' | 'backfill';
  readonly event: AlertEvent;
  readonly pipeline: string;
  /** The run id, or for a backfill its range, e.g. `backfill 2021-01-01..2025-12-31`. */
  readonly run_id: string;
  readonly run_date?: string;
  readonly status: string;
  readonly exit_code: number;
  /** One line: what went wrong (or "succeeded"). */
  readonly cause: string;
  readonly failing_rules: readonly AlertRule[];
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_seconds: number;
  /** Where the run report is, on the machine that ran it. */
  readonly report?: string;
}

export interface AlertRunInput {
  readonly pipeline: string;
  readonly run_id: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly status: string;
  readonly exit_code: number;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly rules: readonly RuleResult[];
  readonly error?: { readonly message: string; readonly stage?: string } | undefined;
}

/** failure: the run did not exit 0; warning: it did, but a warn-severity rule failed. */
export function alertEventOf(run: Pick<AlertRunInput, 'exit_code' | 'rules'>): AlertEvent {
  if (run.exit_code !== 0) return 'failure';
  return run.rules.some((r) => r.status === 'fail') ? 'warning' : 'success';
}

const MAX_RULES = 10;
const MAX_SAMPLE = 200;

function sampleText(row: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!row) return undefined;
  const text = Object.entries(row)
    .map(([k, v]) => `${k}=${v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return text.length > MAX_SAMPLE ? `${text.slice(0, MAX_SAMPLE)}…` : text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function alertMessageOfRun(run: AlertRunInput, reportPath?: string): AlertMessage {
  const event = alertEventOf(run);
  const failed = run.rules.filter((r) => r.status === 'fail');
  const ordered = [...failed.filter((r) => r.severity === 'error'), ...failed.filter((r) => r.severity !== 'error')];
  const failing_rules = ordered.slice(0, MAX_RULES).map((r): AlertRule => {
    const sample = sampleText(r.samples[0]);
    return { stage: r.stage, rule: r.name, kind: r.rule, severity: r.severity, action: r.action, failing: r.failing, ...(sample ? { sample } : {}) };
  });
  const runDate = run.params['run_date'];
  return {
    source: 'batchbook',
    kind: 'run',
    event,
    pipeline: run.pipeline,
    run_id: run.run_id,
    ...(runDate !== undefined ? { run_date: String(runDate) } : {}),
    status: run.status,
    exit_code: run.exit_code,
    cause: causeOf(run, ordered),
    failing_rules,
    started_at: run.started_at,
    finished_at: run.finished_at,
    duration_seconds: run.duration_ms / 1000,
    ...(reportPath ? { report: reportPath } : {}),
  };
}

function causeOf(run: AlertRunInput, failed: AlertRunInput['rules']): string {
  if (run.error) return `${run.error.stage ? `stage ${run.error.stage}: ` : ''}${run.error.message}`;
  if (failed.length === 0) return 'succeeded, all rules passed';
  const errors = failed.filter((r) => r.severity === 'error');
  const shown = (errors.length ? errors : failed).slice(0, 3).map((r) => `${r.stage}.${r.name} (${r.failing} failing)`);
  const more = (errors.length || failed.length) > 3 ? ', …' : '';
  return errors.length
    ? `${plural(errors.length, 'error rule')} failed: ${shown.join(', ')}${more}`
    : `${plural(failed.length, 'warning rule')} failed: ${shown.join(', ')}${more}`;
}

const ICON: Record<AlertEvent, string> = { failure: '🔴', warning: '🟠', success: '🟢' };

export function alertTitle(m: AlertMessage): string {
  const what = m.kind === 'backfill' ? m.run_id : `${m.pipeline}${m.run_date ? ` ${m.run_date}` : ''}`;
  const verb = m.event === 'failure' ? `${m.status} (exit ${m.exit_code})` : m.event === 'warning' ? 'succeeded with warnings' : 'succeeded';
  return `${ICON[m.event]} ${m.kind === 'backfill' ? `${m.pipeline} ${what}` : what} ${verb}`;
}

function facts(m: AlertMessage): [string, string][] {
  return [
    ['Pipeline', m.pipeline],
    [m.kind === 'backfill' ? 'Backfill' : 'Run', m.run_id],
    ...(m.run_date ? [['Run date', m.run_date] as [string, string]] : []),
    ['Status', `${m.status} (exit ${m.exit_code})`],
    ['Duration', `${m.duration_seconds.toFixed(1)} s`],
    ...(m.report ? [['Report', m.report] as [string, string]] : []),
  ];
}

const ruleLine = (r: AlertRule) => `${r.stage}.${r.rule} (${r.kind}, ${r.severity}): ${r.failing} failing${r.sample ? ` — e.g. ${r.sample}` : ''}`;

/** Slack's mrkdwn treats &, < and > as control characters. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The body to POST for a webhook format. */
export function alertPayload(m: AlertMessage, format: AlertFormat): unknown {
  if (format === 'json') return m;
  const title = alertTitle(m);
  if (format === 'slack') {
    const rules = m.failing_rules.map((r) => `• ${slackEscape(ruleLine(r))}`).join('\n');
    return {
      text: slackEscape(`${title}: ${m.cause}`),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: `*Cause:* ${slackEscape(m.cause)}` } },
        ...(rules ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Failing rules*\n${rules}`.slice(0, 3000) } }] : []),
        { type: 'section', fields: facts(m).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v)}` })) },
      ],
    };
  }
  // Microsoft Teams: an Adaptive Card message, as Teams workflow webhooks accept.
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, color: m.event === 'failure' ? 'Attention' : m.event === 'warning' ? 'Warning' : 'Good' },
            { type: 'TextBlock', text: m.cause, wrap: true },
            ...m.failing_rules.map((r) => ({ type: 'TextBlock', text: `- ${ruleLine(r)}`, wrap: true, spacing: 'None' })),
            { type: 'FactSet', facts: facts(m).map(([title, value]) => ({ title, value })) },
          ],
        },
      },
    ],
  };
}
