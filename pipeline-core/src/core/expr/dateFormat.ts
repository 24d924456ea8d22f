/**
 * The strftime() format codes: the portable subset every engine writes the same way (DuckDB's
 * strftime, Spark's date_format pattern letters, the Beam runtime's own formatter). Names of
 * months and days are English, whatever the machine's locale. A code outside this table is
 * refused when the spec loads, rather than giving different text on different engines.
 */
export interface DateFormatCode {
  /** What the code writes, for the reference doc. */
  readonly writes: string;
  /** Spark / Java DateTimeFormatter pattern letters writing the same text. */
  readonly spark: string;
}

export const STRFTIME_CODES: Readonly<Record<string, DateFormatCode>> = {
  Y: { writes: 'year, 4 digits zero-padded (2026, 0099)', spark: 'yyyy' },
  y: { writes: 'year without century, 2 digits (26)', spark: 'yy' },
  m: { writes: 'month, 01-12', spark: 'MM' },
  d: { writes: 'day of the month, 01-31', spark: 'dd' },
  j: { writes: 'day of the year, 001-366', spark: 'DDD' },
  H: { writes: 'hour (24-hour clock), 00-23', spark: 'HH' },
  I: { writes: 'hour (12-hour clock), 01-12', spark: 'hh' },
  p: { writes: 'AM or PM', spark: 'a' },
  M: { writes: 'minute, 00-59', spark: 'mm' },
  S: { writes: 'second, 00-59', spark: 'ss' },
  f: { writes: 'microseconds, 6 digits', spark: 'SSSSSS' },
  b: { writes: 'month name, abbreviated (Nov)', spark: 'MMM' },
  B: { writes: 'month name (November)', spark: 'MMMM' },
  a: { writes: 'weekday name, abbreviated (Wed)', spark: 'EEE' },
  A: { writes: 'weekday name (Wednesday)', spark: 'EEEE' },
  '%': { writes: 'a literal %', spark: '' },
};

export type FormatPiece = { readonly text: string } | { readonly code: string };

/** A format split into literal text and codes, or the first problem with its offset in the format. */
export function parseDateFormat(format: string): { pieces: FormatPiece[] } | { error: string; at: number } {
  const pieces: FormatPiece[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      text += ch;
      continue;
    }
    const code = format[i + 1];
    if (code === undefined) return { error: "the format ends with a lone '%'", at: i };
    if (!Object.hasOwn(STRFTIME_CODES, code)) return { error: `'%${code}' is not a portable strftime code`, at: i };
    if (code === '%') text += '%';
    else {
      if (text) pieces.push({ text });
      text = '';
      pieces.push({ code });
    }
    i++;
  }
  if (text) pieces.push({ text });
  return { pieces };
}

/** A Java DateTimeFormatter pattern for a checked format: codes become letters, text is quoted. */
export function sparkDatePattern(format: string): string {
  const parsed = parseDateFormat(format);
  if ('error' in parsed) throw new Error(`spark: ${parsed.error}; typecheck the expression before emitting it`);
  return parsed.pieces.map((p) => ('code' in p ? STRFTIME_CODES[p.code]!.spark : `'${p.text.replaceAll("'", "''")}'`)).join('');
}

export const STRFTIME_CODE_LIST = Object.keys(STRFTIME_CODES).map((c) => `%${c}`).join(' ');
