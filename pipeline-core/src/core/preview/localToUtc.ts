/**
 * Wall-clock time in an IANA zone -> UTC, without ICU in the engine: what DuckDB-WASM uses for
 * `bb_local_to_utc` (native DuckDB uses ICU's `timezone()`), computed with the JavaScript
 * `Intl` time-zone data instead.
 *
 * Times that do not exist or exist twice are resolved the way ICU's default calendar does, so
 * both engines agree:
 * - a wall time inside a gap (spring forward: 02:30 in Berlin on the last Sunday of March) is
 *   read with the offset in force *before* the transition (so 02:30 -> 01:30Z, i.e. 03:30 CEST);
 * - a wall time inside an overlap (fall back: 02:30 on the last Sunday of October happens twice)
 *   is the *later* of the two instants (standard time: 02:30 CET -> 01:30Z).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number | null>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset (ms, east positive) at an instant, to the whole second. */
function exactOffset(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(whole)) parts[p.type] = p.value;
  const year = parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - Number(parts['year']) : Number(parts['year']);
  const wall = Date.UTC(2000, Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  const withYear = new Date(wall);
  withYear.setUTCFullYear(year);
  return withYear.getTime() - whole;
}

/**
 * Offsets are constant within almost every hour; an hour whose two ends agree is cached as one
 * value. Hours holding a transition are computed exactly every time.
 */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  return hourOffset(zone, Math.floor(utcMs / HOUR_MS)) ?? exactOffset(zone, utcMs);
}

/** The offset of a whole UTC hour, or null where it holds a transition. */
function hourOffset(zone: string, hour: number): number | null {
  const key = `${zone}\u0000${hour}`;
  let cached = offsetCache.get(key);
  if (cached === undefined) {
    const start = exactOffset(zone, hour * HOUR_MS);
    const end = exactOffset(zone, (hour + 1) * HOUR_MS - 1000);
    cached = start === end ? start : null;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, cached);
  }
  return cached;
}

/**
 * Per zone, per wall-clock hour (read as UTC): the one offset of the hours a day before, at and a
 * day after it, or null where they differ or hold a transition. Where it is one offset,
 * localToUtcMsExact's candidates all collapse to `wall - offset` (a valid time or, failing its
 * check, a gap read with the offset before, the same one), so the answer is that; one numeric
 * lookup a value instead of three keyed by strings plus a Set (the preview converts every
 * naive timestamp of a column through this, ~5 µs a value before).
 */
const stableWallHours = new Map<string, Map<number, number | null>>();

/** The UTC instant (ms) of wall-clock time `wallMs` (read as if it were UTC) in `zone`. */
export function localToUtcMs(wallMs: number, zone: string): number {
  const hour = Math.floor(wallMs / HOUR_MS);
  let hours = stableWallHours.get(zone);
  if (!hours) stableWallHours.set(zone, (hours = new Map()));
  let stable = hours.get(hour);
  if (stable === undefined) {
    const [before, at, after] = [hourOffset(zone, hour - 24), hourOffset(zone, hour), hourOffset(zone, hour + 24)];
    stable = before !== null && before === at && at === after ? at : null;
    if (hours.size > 100_000) hours.clear();
    hours.set(hour, stable);
  }
  return stable === null ? localToUtcMsExact(wallMs, zone) : wallMs - stable;
}

/** localToUtcMs worked out from the offsets around the wall time, for any time (the transitions' too). */
export function localToUtcMsExact(wallMs: number, zone: string): number {
  const before = zoneOffsetMs(zone, wallMs - DAY_MS);
  const offsets = new Set([before, zoneOffsetMs(zone, wallMs), zoneOffsetMs(zone, wallMs + DAY_MS)]);
  const candidates = [...offsets].map((o) => wallMs - o).filter((t) => wallMs - zoneOffsetMs(zone, t) === t);
  if (candidates.length === 0) return wallMs - before; // a gap: the offset in force before the transition
  return Math.max(...candidates); // an overlap: the later instant
}

/** The same on microseconds since the epoch (what DuckDB's epoch_us gives), keeping the sub-millisecond part. */
export function localToUtcMicros(wallMicros: number, zone: string): number {
  const ms = Math.floor(wallMicros / 1000);
  const rest = wallMicros - ms * 1000;
  return localToUtcMs(ms, zone) * 1000 + rest;
}

/**
 * SQL that defines `bb_local_to_utc(ts, zone)` on top of a scalar function of doubles
 * (DuckDB-WASM's JavaScript functions take DOUBLE and VARCHAR, not TIMESTAMP; microseconds fit
 * a double exactly for any date in range).
 */
export function localToUtcMacro(udfName: string): string {
  return `CREATE OR REPLACE MACRO bb_local_to_utc(ts, zone) AS make_timestamp(CAST(${udfName}(CAST(epoch_us(ts) AS DOUBLE), zone) AS BIGINT))`;
}
