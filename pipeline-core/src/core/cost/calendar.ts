import { Cron } from 'croner';

/** One day of the modelled year: how many runs start that day and whether it is a peak day. */
export interface RunDay {
  /** YYYY-MM-DD, local date in the schedule's time zone */
  readonly date: string;
  /** 1..12 */
  readonly month: number;
  readonly runs: number;
  readonly peak: boolean;
}

export class CalendarError extends Error {}

const MAX_RUNS_PER_YEAR = 100_000;

export function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDay(year: number, dayIndex: number): string {
  return new Date(Date.UTC(year, 0, 1 + dayIndex)).toISOString().slice(0, 10);
}

// Formatters are costly to build; one per time zone is enough.
const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formattersFor(timezone: string) {
  let f = formatters.get(timezone);
  if (!f) {
    f = {
      // en-CA formats as YYYY-MM-DD
      date: new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    formatters.set(timezone, f);
  }
  return f;
}

interface CronYear { readonly perDay: ReadonlyMap<string, number>; readonly firstStart?: string }
// A pure function of its arguments: the what-if analyses ask for the same year many times.
const cronCache = new Map<string, CronYear>();

/** Runs per local date of `year` for a five-field cron in a time zone. */
export function cronRunsPerDay(cron: string, timezone: string, year: number): CronYear {
  const key = `${cron}\u0000${timezone}\u0000${year}`;
  let hit = cronCache.get(key);
  if (!hit) {
    hit = countCronRuns(cron, timezone, year);
    if (cronCache.size > 64) cronCache.clear();
    cronCache.set(key, hit);
  }
  return hit;
}

function countCronRuns(cron: string, timezone: string, year: number): CronYear {
  const fmt = formattersFor(timezone);
  let job: Cron;
  try {
    job = new Cron(cron, { paused: true, timezone });
  } catch (e) {
    throw new CalendarError(`schedule.cron '${cron}': ${(e as Error).message}`);
  }
  const perDay = new Map<string, number>();
  const prefix = `${year}-`;
  // Start a day early in UTC so the local 1 January 00:00 of any zone is covered.
  let cursor: Date | null = new Date(Date.UTC(year, 0, 1) - 86_400_000);
  let firstStart: string | undefined;
  let count = 0;
  for (;;) {
    cursor = job.nextRun(cursor);
    if (!cursor) break;
    const day = fmt.date.format(cursor);
    if (day < prefix) continue;
    if (!day.startsWith(prefix)) break;
    firstStart ??= fmt.time.format(cursor);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (++count > MAX_RUNS_PER_YEAR) throw new CalendarError(`schedule.cron '${cron}' starts more than ${MAX_RUNS_PER_YEAR.toLocaleString('en-US')} runs a year: set cost.runs_per_day instead`);
  }
  return firstStart === undefined ? { perDay } : { perDay, firstStart };
}

export interface PeakPlacement {
  readonly daysPerYear: number;
  readonly months: readonly number[];
  readonly dates?: readonly string[];
}

/**
 * Peak days: the explicit dates, or `daysPerYear` split evenly over `months` (earlier-listed
 * months take the remainder), each month's share being its last days that have runs — the
 * weeks before Christmas, Black Friday onward. Returns the peak dates and any shortfall.
 */
export function placePeakDays(year: number, runsByDate: ReadonlyMap<string, number>, peak: PeakPlacement): { dates: Set<string>; unplaced: number; outsideYear: string[] } {
  if (peak.dates) {
    const inYear = peak.dates.filter((d) => d.startsWith(`${year}-`));
    return { dates: new Set(inYear), unplaced: 0, outsideYear: peak.dates.filter((d) => !d.startsWith(`${year}-`)) };
  }
  const dates = new Set<string>();
  const months = peak.months;
  let unplaced = 0;
  months.forEach((month, i) => {
    const share = Math.floor(peak.daysPerYear / months.length) + (i < peak.daysPerYear % months.length ? 1 : 0);
    const candidates: string[] = [];
    for (let day = daysInMonth(year, month); day >= 1 && candidates.length < share; day--) {
      const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if ((runsByDate.get(date) ?? 0) > 0 && !dates.has(date)) candidates.push(date);
    }
    for (const d of candidates) dates.add(d);
    unplaced += share - candidates.length;
  });
  return { dates, unplaced, outsideYear: [] };
}

export interface CalendarInput {
  readonly year: number;
  /** Fixed runs every day; when absent, counted from the cron. */
  readonly runsPerDay?: number;
  readonly cron?: { readonly expr: string; readonly timezone: string };
  readonly peak: PeakPlacement;
}

export interface Calendar {
  readonly days: readonly RunDay[];
  /** Local start time of the first run (HH:MM), when a cron gives it. */
  readonly firstStart?: string;
  readonly peakUnplaced: number;
  readonly peakOutsideYear: readonly string[];
}

/** The modelled year, day by day. */
export function runCalendar(input: CalendarInput): Calendar {
  const n = daysInYear(input.year);
  let perDay: ReadonlyMap<string, number>;
  let firstStart: string | undefined;
  if (input.runsPerDay !== undefined || !input.cron) {
    const r = input.runsPerDay ?? 1;
    perDay = new Map(Array.from({ length: n }, (_, i) => [isoDay(input.year, i), r]));
    firstStart = input.cron ? cronRunsPerDay(input.cron.expr, input.cron.timezone, input.year).firstStart : undefined;
  } else {
    ({ perDay, firstStart } = cronRunsPerDay(input.cron.expr, input.cron.timezone, input.year));
  }
  const placed = placePeakDays(input.year, perDay, input.peak);
  const days: RunDay[] = Array.from({ length: n }, (_, i) => {
    const date = isoDay(input.year, i);
    return { date, month: Number(date.slice(5, 7)), runs: perDay.get(date) ?? 0, peak: placed.dates.has(date) };
  });
  return { days, ...(firstStart ? { firstStart } : {}), peakUnplaced: placed.unplaced, peakOutsideYear: placed.outsideYear };
}
