import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/** Validates a five-field cron expression (croner does the parsing) and describes it in words. */
export function parseCron(expr: string): { ok: true; description: string } | { ok: false; error: string } {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `expected 5 fields, found ${fields.length}` };
  try {
    new Cron(expr, { paused: true });
    return { ok: true, description: cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: false }) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The next `count` run times after `from`, in UTC ISO form (for schedule previews and exports). */
export function nextRuns(expr: string, timezone: string, from: Date, count: number): string[] {
  const cron = new Cron(expr, { paused: true, timezone });
  const out: string[] = [];
  let cursor: Date | null = from;
  for (let i = 0; i < count && cursor; i++) {
    cursor = cron.nextRun(cursor);
    if (cursor) out.push(cursor.toISOString());
  }
  return out;
}
