import { z } from 'zod';

/**
 * The spec's optional `alerts` section: who hears about a run that failed (or warned).
 * Webhook URLs are secrets, so the spec usually names an environment variable
 * (`url: "${BATCHBOOK_ALERT_WEBHOOK}"`) that the runner resolves when it sends.
 */
export const ALERT_EVENTS = ['failure', 'warning', 'success'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const ALERT_FORMATS = ['slack', 'teams', 'json'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** `${NAME}` placeholders: upper-case environment variable names only. */
export const ENV_PLACEHOLDER_RE = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

const webhookUrlSchema = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^(https?:\/\/|\$\{[A-Z_][A-Z0-9_]*\})/, 'a webhook url starts with http:// or https://, or is an ${ENV_VAR} placeholder')
  .meta({ description: 'http(s) URL; may contain ${ENV_VAR} placeholders, resolved from the environment when the alert is sent (keep secret URLs out of the spec)' });

export const alertWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  format: z
    .enum(ALERT_FORMATS)
    .optional()
    .meta({ description: 'payload shape: slack (text + blocks, the default), teams (MessageCard) or json (the plain alert object)' }),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'header names hold letters, digits and -'), z.string())
    .optional()
    .meta({ description: 'extra HTTP headers; values may contain ${ENV_VAR} placeholders (e.g. an Authorization token)' }),
  timeout_seconds: z.number().positive().max(120).optional().meta({ description: 'default 10' }),
});

export const alertsSchema = z
  .strictObject({
    on: z
      .array(z.enum(ALERT_EVENTS))
      .min(1)
      .optional()
      .meta({ description: 'which outcomes alert: failure (exit code not 0), warning (succeeded with warn-severity rule failures), success; default [failure]' }),
    webhook: alertWebhookSchema.optional(),
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .meta({ description: 'a program and its arguments (no shell); it gets the alert JSON on stdin and BATCHBOOK_* environment variables' }),
  })
  .refine((a) => a.webhook !== undefined || a.command !== undefined, { message: 'alerts need a webhook, a command, or both' });

export type AlertsConfig = z.output<typeof alertsSchema>;

/** The events a config alerts on (default: failures only). */
export function alertEvents(config: { readonly on?: readonly AlertEvent[] | undefined }): readonly AlertEvent[] {
  return config.on ?? ['failure'];
}

export type Interpolated = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly missing: readonly string[] };

/** Replaces `${NAME}` placeholders from `env`; names every variable that is unset or empty. */
export function interpolateEnv(text: string, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const missing: string[] = [];
  const value = text.replace(ENV_PLACEHOLDER_RE, (_whole, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') {
      missing.push(name);
      return '';
    }
    return v;
  });
  return missing.length ? { ok: false, missing } : { ok: true, value };
}
