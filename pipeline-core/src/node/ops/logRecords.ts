import type { RunEvent } from '../runner/run.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of a run's log.jsonl, before the logger adds time, level, run_id and pipeline. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>> & { readonly event: string };
}

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

/**
 * The log lines of one runner event. Field names are shared by every line so a log query can
 * rely on them: event, stage, rows_*, duration_ms, cause.
 */
export function logRecordsOf(e: RunEvent): LogRecord[] {
  switch (e.event) {
    case 'run_start':
      return [{ level: 'info', msg: 'run started', fields: { event: 'run_start', params: e.params } }];
    case 'landed':
      return e.landed.map((l) => ({
        level: 'info' as const,
        msg: `source ${l.source} landed`,
        fields: {
          event: 'landed',
          source: l.source,
          files: l.files.length,
          new_files: l.files.filter((f) => f.status === 'landed').length,
          bytes: sum(l.files.map((f) => f.bytes)),
        },
      }));
    case 'waiting':
      return [{ level: 'warn', msg: e.message, fields: { event: 'waiting' } }];
    case 'stage_start':
      return [{ level: 'info', msg: `stage ${e.stage} started`, fields: { event: 'stage_start', stage: e.stage, kind: e.kind, index: e.index + 1, total: e.total } }];
    case 'stage_end': {
      const r = e.result;
      return [
        {
          level: 'info',
          msg: `stage ${r.name} done`,
          fields: { event: 'stage_end', stage: r.name, kind: r.kind, rows_in: r.rows_in, rows_out: r.rows_out, rows_rejected: r.rejected, rows_filtered: r.filtered, duration_ms: r.ms },
        },
      ];
    }
    case 'rule': {
      const r = e.result;
      const level: LogLevel = r.status === 'pass' ? 'info' : r.severity === 'error' ? 'error' : 'warn';
      return [
        {
          level,
          msg: `rule ${r.stage}.${r.name} ${r.status === 'pass' ? 'passed' : `failed: ${r.failing} failing`}`,
          fields: {
            event: 'rule',
            stage: r.stage,
            rule: r.name,
            rule_kind: r.rule,
            severity: r.severity,
            action: r.action,
            status: r.status,
            failing: r.failing,
            ...(r.samples.length ? { samples: r.samples.slice(0, 3) } : {}),
          },
        },
      ];
    }
    case 'output_written': {
      const o = e.output;
      return [
        {
          level: 'info',
          msg: `output ${o.stage} written to ${o.path}`,
          fields: { event: 'output_written', stage: o.stage, path: o.path, format: o.format, rows: o.rows, files: o.files.length, bytes: sum(o.files.map((f) => f.bytes)) },
        },
      ];
    }
    case 'run_end': {
      const r = e.report;
      const failedStage = r.error?.stage;
      const end: LogRecord = {
        level: r.status === 'succeeded' ? (r.rules.some((x) => x.status === 'fail') ? 'warn' : 'info') : 'error',
        msg: `run ${r.status}`,
        fields: {
          event: 'run_end',
          ...(r.params['run_date'] !== undefined ? { run_date: String(r.params['run_date']) } : {}),
          status: r.status,
          exit_code: r.exit_code,
          published: r.published,
          duration_ms: r.duration_ms,
          rows_in: r.metrics.rows_in,
          rows_out: r.metrics.rows_out,
          rows_rejected: r.metrics.rows_rejected,
          bytes_read: r.metrics.bytes_read,
          bytes_written: r.metrics.bytes_written,
          rule_failures: r.metrics.rule_failures,
          peak_memory_bytes: r.metrics.peak_memory_bytes,
          ...(failedStage ? { stage: failedStage } : {}),
          ...(r.error ? { cause: r.error.message } : {}),
        },
      };
      const stageFailed: LogRecord[] = failedStage ? [{ level: 'error', msg: `stage ${failedStage} failed`, fields: { event: 'stage_failed', stage: failedStage, cause: r.error?.message } }] : [];
      return [...stageFailed, end];
    }
    case 'alert': {
      const a = e.outcome;
      return [
        {
          level: a.status === 'sent' ? 'info' : 'warn',
          msg: `alert ${a.status} (${a.channel})`,
          fields: { event: 'alert', channel: a.channel, alert_event: a.event, status: a.status, ...(a.http_status !== undefined ? { http_status: a.http_status } : {}), detail: a.detail },
        },
      ];
    }
  }
}
