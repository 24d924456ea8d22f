import { quoteIdent, quoteString } from '../compile/sql.js';

/**
 * Help for a parse_date step: the strptime codes DuckDB reads (what each means, an example),
 * and the common formats a column's sample values are tried against, counted by the engine
 * itself with the same `try_strptime` over trimmed text the compiled step uses — so a
 * suggestion's "parses 312 of 312" is what the step will do.
 */
export interface FormatCode {
  readonly code: string;
  readonly meaning: string;
  readonly example: string;
}

export const FORMAT_CODES: readonly FormatCode[] = [
  { code: '%Y', meaning: 'year, 4 digits', example: '1998' },
  { code: '%y', meaning: 'year, 2 digits', example: '98' },
  { code: '%m', meaning: 'month number', example: '06' },
  { code: '%b', meaning: 'month, abbreviated name', example: 'Jun' },
  { code: '%B', meaning: 'month, full name', example: 'June' },
  { code: '%d', meaning: 'day of the month', example: '12' },
  { code: '%j', meaning: 'day of the year', example: '163' },
  { code: '%a', meaning: 'weekday, abbreviated name', example: 'Fri' },
  { code: '%A', meaning: 'weekday, full name', example: 'Friday' },
  { code: '%H', meaning: 'hour, 00–23', example: '14' },
  { code: '%I', meaning: 'hour, 01–12 (with %p)', example: '02' },
  { code: '%p', meaning: 'AM or PM', example: 'PM' },
  { code: '%M', meaning: 'minute', example: '05' },
  { code: '%S', meaning: 'second', example: '09' },
  { code: '%f', meaning: 'fraction of a second, up to 6 digits', example: '250000' },
  { code: '%z', meaning: 'UTC offset', example: '+01:00' },
  { code: '%%', meaning: 'a literal %', example: '%' },
];

/** Formats tried against a column's values, most common first (ties keep this order). */
export const CANDIDATE_DATE_FORMATS: readonly string[] = [
  '%Y-%m-%d',
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%dT%H:%M:%S%z',
  '%Y-%m-%d %H:%M:%S%z',
  '%Y-%m-%dT%H:%M:%S.%f',
  '%Y-%m-%dT%H:%M:%S.%f%z',
  '%Y-%m-%d %H:%M',
  '%Y/%m/%d',
  '%Y%m%d',
  '%d/%m/%Y',
  '%m/%d/%Y',
  '%d/%m/%y',
  '%m/%d/%y',
  '%d.%m.%Y',
  '%d-%m-%Y',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %I:%M %p',
  '%m/%d/%Y %I:%M:%S %p',
  '%b %d %Y',
  '%b %d, %Y',
  '%d %b %Y',
  '%d-%b-%Y',
  '%d-%b-%y',
  '%B %d %Y',
  '%B %d, %Y',
  '%d %B %Y',
  '%a %b %d %Y',
  '%b %d %Y %H:%M:%S',
  '%a, %d %b %Y %H:%M:%S %z',
];

export interface FormatSuggestion {
  readonly format: string;
  /** Values (non-empty) the format reads. */
  readonly parses: number;
  /** Non-empty values looked at. */
  readonly of: number;
}

/**
 * One query counting, over `relation`, the non-empty values of `column` and how many each
 * format reads. Columns of the result: `present`, then `f0`, `f1`, … in `formats` order.
 */
export function formatCountsSql(relation: string, column: string, formats: readonly string[]): string {
  const text = `trim(CAST(${quoteIdent(column)} AS VARCHAR))`;
  const present = `${text} IS NOT NULL AND ${text} <> ''`;
  const counts = formats.map((f, i) => `count(*) FILTER (WHERE ${present} AND try_strptime(regexp_replace(${text}, '[Zz]$', '+00:00'), ${quoteString(f)}) IS NOT NULL) AS f${i}`);
  return `SELECT count(*) FILTER (WHERE ${present}) AS present, ${counts.join(', ')} FROM ${relation}`;
}

/** The formats that read at least one value, best first; the counts come from `formatCountsSql`. */
export function rankFormats(formats: readonly string[], row: Readonly<Record<string, unknown>>): FormatSuggestion[] {
  const of = Number(row['present'] ?? 0);
  return formats
    .map((format, i) => ({ format, parses: Number(row[`f${i}`] ?? 0), of, i }))
    .filter((s) => s.parses > 0)
    .sort((a, b) => b.parses - a.parses || a.i - b.i)
    .map(({ format, parses }) => ({ format, parses, of }));
}
