/** Date partitions of a backfill: every day, or the first day of every month, from..to inclusive. */
export type BackfillStep = 'day' | 'month';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export class PartitionError extends Error {}

function parseDate(label: string, value: string): number {
  const m = DATE_RE.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new PartitionError(`${label} '${value}' is not a date (YYYY-MM-DD)`);
  return t;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The partitions' run dates, lazily (a century of days costs nothing to describe). */
export function* partitionDates(from: string, to: string, step: BackfillStep): Generator<string> {
  let t = parseDate('--from', from);
  const end = parseDate('--to', to);
  if (t > end) throw new PartitionError(`--from ${from} is after --to ${to}`);
  if (step === 'day') {
    for (; t <= end; t += DAY_MS) yield iso(t);
    return;
  }
  const d = new Date(t);
  const y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  if (d.getUTCDate() !== 1) m += 1; // a month partition starts on the 1st inside the range
  for (;;) {
    const first = Date.UTC(y + Math.floor(m / 12), m % 12, 1);
    if (first > end) return;
    yield iso(first);
    m += 1;
  }
}

export function partitionCount(from: string, to: string, step: BackfillStep): number {
  let n = 0;
  for (const _ of partitionDates(from, to, step)) n++;
  return n;
}

/**
 * Fills the tokens of a backfill's --param values for one partition: {date} (YYYY-MM-DD),
 * {month} (YYYY-MM), {year} (YYYY). e.g. `--param run_month={month}` for monthly files.
 */
export function partitionParams(given: Readonly<Record<string, string>>, date: string): Record<string, string> {
  const tokens: Record<string, string> = { date, month: date.slice(0, 7), year: date.slice(0, 4) };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    out[k] = v.replace(/\{(date|month|year)\}/g, (_w, t: string) => tokens[t]!);
  }
  return out;
}
