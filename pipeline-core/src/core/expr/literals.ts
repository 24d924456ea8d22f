import { decimalType, type DataType } from '../types/dataType.js';
import type { LiteralValue } from './ast.js';

/** Literal rules shared by the parser (which rejects bad literals) and the type checker. */

export const INT64_MAX = 9223372036854775807n;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?:Z|[+-]00(?::?00)?)?$/;

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** 'YYYY-MM-DD' with a real calendar day in years 0001-9999, else undefined. */
export function normalizeDateLiteral(text: string): string | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * Timestamps are UTC instants. Accepts 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|+00:00]' and
 * normalises to 'YYYY-MM-DD HH:MM:SS[.f…]'. Other offsets are refused rather than converted,
 * so that the text a user reads is the instant the pipeline uses.
 */
export function normalizeTimestampLiteral(text: string): string | undefined {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (!m) return undefined;
  const date = normalizeDateLiteral(m[1] ?? '');
  if (!date) return undefined;
  const [hh, mi, ss] = [m[2] ?? '00', m[3] ?? '00', m[4] ?? '00'];
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  return `${date} ${hh}:${mi}:${ss}${m[5] ? `.${m[5]}` : ''}`;
}

/** A decimal literal such as 12.50 is DECIMAL(digits written, digits after the point). */
export function decimalLiteralType(value: string): DataType | undefined {
  const m = /^(\d*)\.(\d*)$/.exec(value);
  if (!m) return undefined;
  const scale = (m[2] ?? '').length;
  const precision = Math.max(1, (m[1] ?? '').length + scale);
  return precision > 38 ? undefined : decimalType(precision, scale);
}

export function isIntegerInRange(value: string): boolean {
  return /^\d+$/.test(value) && BigInt(value) <= INT64_MAX;
}

/** The logical type of a literal; undefined for NULL (which takes its type from context). */
export function literalType(lit: LiteralValue): DataType | undefined {
  switch (lit.type) {
    case 'null':
      return undefined;
    case 'decimal':
      return decimalLiteralType(lit.value);
    default:
      return lit.type;
  }
}
