import { createHash } from 'node:crypto';
import { interpolateEnv, type PipelineSpec } from '@batchbook/pipeline-core';

type AlertsConfig = NonNullable<PipelineSpec['alerts']>;

/**
 * What in a project's `alerts:` section acts on the user's machine with the user's rights, and so
 * needs their trust before a desktop run does it: a command (any program, with their files and
 * environment), and a webhook whose URL or headers read environment variables (their values are
 * sent to a host the project's author chose). A webhook with a literal URL reads nothing of theirs.
 */
export interface TrustNeeds {
  /** The program and its arguments, when the spec has `alerts.command`. */
  readonly command?: readonly string[];
  /** Environment variables the webhook's URL and headers read, in order of appearance. */
  readonly envVars: readonly string[];
  /** Where the webhook posts, when the URL's host is written out (not itself a variable). */
  readonly webhookHost?: string;
}

/** Names of the `${VAR}` placeholders in `text`, with the runner's own placeholder syntax. */
function placeholders(text: string): string[] {
  const filled = interpolateEnv(text, {});
  return filled.ok ? [] : [...filled.missing];
}

function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host && !/[${}]/.test(host) ? host : undefined; // a host made of variables is not known yet
  } catch {
    return undefined;
  }
}

/** What needs trust in these alerts; undefined when nothing does. */
export function trustNeeds(alerts: AlertsConfig | undefined): TrustNeeds | undefined {
  const webhook = alerts?.webhook;
  const envVars = webhook ? [...new Set([webhook.url, ...Object.values(webhook.headers ?? {})].flatMap(placeholders))] : [];
  if (!alerts?.command && envVars.length === 0) return undefined;
  const host = envVars.length && webhook ? hostOf(webhook.url) : undefined;
  return { ...(alerts?.command ? { command: alerts.command } : {}), envVars, ...(host ? { webhookHost: host } : {}) };
}

/** JSON with object keys sorted, so the same alerts always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The hash a trust decision is remembered under: of the spec's alerts section, not of the whole
 * file, so editing a cell does not ask again (prompts that come back on every save teach people
 * to click "Trust" unread), while any change to the command or webhook does.
 */
export function alertsDigest(alerts: AlertsConfig | undefined): string {
  return createHash('sha256').update(canonical(alerts ?? null)).digest('hex');
}

/** The alerts with what needs trust taken out: no command, no webhook that reads the environment. */
export function withoutUntrusted(alerts: AlertsConfig | undefined): AlertsConfig | undefined {
  if (!alerts) return undefined;
  const { command: _command, webhook, ...rest } = alerts;
  const readsEnv = webhook !== undefined && trustNeeds({ webhook }) !== undefined;
  return webhook && !readsEnv ? { ...rest, webhook } : undefined;
}

/** What the user allowed for one run: everything in the alerts with this digest, or only what needs no trust. */
export interface AlertsPermission {
  readonly mode: 'trusted' | 'untrusted';
  readonly digest: string;
}

/**
 * The alerts a run may send, decided again where the run reads its spec: if the file changed
 * since the user answered (another digest), the trusted parts are dropped, never run unasked.
 */
export function permittedAlerts(alerts: AlertsConfig | undefined, permission: AlertsPermission): AlertsConfig | undefined {
  return permission.mode === 'trusted' && permission.digest === alertsDigest(alerts) ? alerts : withoutUntrusted(alerts);
}
