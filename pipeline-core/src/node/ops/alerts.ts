import { spawn } from 'node:child_process';
import { alertPayload, type AlertMessage } from '../../core/ops/alertPayload.js';
import { alertEvents, interpolateEnv, type AlertEvent, type AlertsConfig } from '../../core/ops/alertsSchema.js';
import type { Alerts } from '../../core/spec/schema.js';

/** What happened to one alert; logged, shown by the CLI, never changes the run's outcome. */
export interface AlertOutcome {
  readonly channel: 'webhook' | 'command';
  readonly event: AlertEvent;
  readonly status: 'sent' | 'failed' | 'skipped';
  readonly detail: string;
  readonly http_status?: number;
}

export interface AlertOptions {
  /**
   * Alerts are sent only when the caller asks: the CLI's run and backfill do; previews, exports
   * and tests that call runPipeline do not notify anyone by accident.
   */
  readonly enabled?: boolean;
  /** Overrides the spec's webhook url (CLI --alert-webhook); alerts on failures when the spec has none. */
  readonly webhookUrl?: string;
  /** Where ${VAR} placeholders are looked up; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of the alert command (the project folder). */
  readonly cwd?: string;
}

const DEFAULT_TIMEOUT_S = 10;

/** The spec's alerts with the CLI's override applied, or undefined when nothing is configured. */
export function effectiveAlerts(config: Alerts | AlertsConfig | undefined, opts: AlertOptions): Alerts | undefined {
  if (opts.enabled !== true) return undefined;
  if (!opts.webhookUrl) return config;
  return { ...config, webhook: { ...config?.webhook, url: opts.webhookUrl } };
}

/** Sends an alert through every configured channel that listens to its event. */
export async function sendAlerts(config: Alerts | undefined, message: AlertMessage, opts: AlertOptions = {}): Promise<AlertOutcome[]> {
  if (!config || !alertEvents(config).includes(message.event)) return [];
  const env = opts.env ?? process.env;
  const jobs: Promise<AlertOutcome>[] = [];
  if (config.webhook) jobs.push(postWebhook(config.webhook, message, env));
  if (config.command) jobs.push(runCommand(config.command, message, env, opts.cwd));
  return Promise.all(jobs);
}

async function postWebhook(webhook: NonNullable<Alerts['webhook']>, message: AlertMessage, env: Readonly<Record<string, string | undefined>>): Promise<AlertOutcome> {
  const base = { channel: 'webhook' as const, event: message.event };
  const url = interpolateEnv(webhook.url, env);
  if (!url.ok) return { ...base, status: 'skipped', detail: `alerts.webhook.url needs ${url.missing.map((m) => `$${m}`).join(', ')}, which is not set` };
  if (!/^https?:\/\//.test(url.value)) return { ...base, status: 'failed', detail: 'alerts.webhook.url is not an http(s) URL once its variables are filled in' };
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'batchbook' };
  for (const [name, value] of Object.entries(webhook.headers ?? {})) {
    const v = interpolateEnv(value, env);
    if (!v.ok) return { ...base, status: 'skipped', detail: `alerts.webhook.headers.${name} needs ${v.missing.map((m) => `$${m}`).join(', ')}, which is not set` };
    headers[name] = v.value;
  }
  const body = JSON.stringify(alertPayload(message, webhook.format ?? 'slack'));
  const timeoutMs = (webhook.timeout_seconds ?? DEFAULT_TIMEOUT_S) * 1000;
  const where = redactUrl(url.value);
  let last: AlertOutcome = { ...base, status: 'failed', detail: 'not attempted' };
  // One retry for what may be transient (network errors, 5xx); a 4xx will not get better.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const res = await fetch(url.value, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = (await res.text()).slice(0, 200);
      if (res.ok) return { ...base, status: 'sent', http_status: res.status, detail: `POST ${where}: HTTP ${res.status}` };
      last = { ...base, status: 'failed', http_status: res.status, detail: `POST ${where}: HTTP ${res.status}${text ? ` ${text}` : ''}` };
      if (res.status < 500) break;
    } catch (e) {
      last = { ...base, status: 'failed', detail: `POST ${where}: ${networkCause(e)}` };
    }
    if (attempt === 1) await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

/** Webhook URLs carry their secret in the path or query: log the host only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid url)';
  }
}

function networkCause(e: unknown): string {
  if (e instanceof Error && e.name === 'TimeoutError') return 'timed out';
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return cause ?? (e instanceof Error ? e.message : String(e));
}

function runCommand(argv: readonly string[], message: AlertMessage, env: Readonly<Record<string, string | undefined>>, cwd: string | undefined): Promise<AlertOutcome> {
  const base = { channel: 'command' as const, event: message.event };
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(file, args, {
      cwd,
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: DEFAULT_TIMEOUT_S * 3 * 1000,
      env: {
        ...env,
        BATCHBOOK_ALERT_EVENT: message.event,
        BATCHBOOK_PIPELINE: message.pipeline,
        BATCHBOOK_RUN_ID: message.run_id,
        BATCHBOOK_RUN_DATE: message.run_date ?? '',
        BATCHBOOK_STATUS: message.status,
        BATCHBOOK_EXIT_CODE: String(message.exit_code),
        BATCHBOOK_CAUSE: message.cause,
        BATCHBOOK_REPORT: message.report ?? '',
      },
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 400) stderr += d.toString('utf8');
    });
    child.stdin.on('error', () => {}); // a command that does not read stdin is fine
    child.stdin.end(JSON.stringify(message));
    child.on('error', (e) => resolve({ ...base, status: 'failed', detail: `${file}: ${e.message}` }));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ...base, status: 'sent', detail: `${file} exited 0` });
      else resolve({ ...base, status: 'failed', detail: `${file} ${signal ? `was killed (${signal})` : `exited ${code}`}${stderr.trim() ? `: ${stderr.trim().slice(0, 200)}` : ''}` });
    });
  });
}
