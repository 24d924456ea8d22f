import { join } from 'node:path';
import pino from 'pino';
import type { RunEvent } from '../runner/run.js';
import { logRecordsOf, type LogLevel, type LogRecord } from './logRecords.js';

export const LOG_FILE = 'log.jsonl';

/** A run's structured log: `<lake>/runs/<run_id>/log.jsonl`, one JSON object per line. */
export interface RunLog {
  event(e: RunEvent): void;
  write(record: LogRecord): void;
  close(): Promise<void>;
}

export interface RunLogOptions {
  readonly runDir: string;
  readonly runId: string;
  readonly pipeline: string;
  readonly now: () => Date;
  readonly level?: LogLevel;
  /** Also write every line here (e.g. stderr, for a container's log collector). */
  readonly mirror?: NodeJS.WritableStream;
}

export function openRunLog(opts: RunLogOptions): RunLog {
  const file = pino.destination({ dest: join(opts.runDir, LOG_FILE), sync: true, mkdir: true });
  const streams: pino.StreamEntry[] = [{ stream: file, level: opts.level ?? 'info' }];
  if (opts.mirror) streams.push({ stream: opts.mirror, level: opts.level ?? 'info' });
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: { run_id: opts.runId, pipeline: opts.pipeline },
      messageKey: 'msg',
      timestamp: () => `,"time":"${opts.now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  let closed = false;
  const write = (r: LogRecord) => {
    if (!closed) logger[r.level](r.fields, r.msg);
  };
  return {
    event: (e) => logRecordsOf(e).forEach(write),
    write,
    close: async () => {
      if (closed) return;
      closed = true;
      file.flushSync();
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      });
    },
  };
}
