import { decimalShape, decimalType, type DataType } from '../types/dataType.js';
import { STRFTIME_CODE_LIST } from './dateFormat.js';
import { arithmeticType, comparable, typeNoun, type ExprType } from './typeRules.js';

/**
 * The function catalog: the single source of truth for which functions exist, their types and
 * their exact semantics. Every engine's emitter implements this table (its function-emitter
 * table is keyed by FunctionName, so a function added here does not compile until each emitter
 * handles it), and the reference doc's function table is generated from it.
 *
 * Unless a description says otherwise a function is strict: it returns NULL when any argument
 * is NULL. Strings are sequences of Unicode code points; timestamps are read in UTC.
 */

export type FunctionCategory = 'string' | 'numeric' | 'date' | 'conditional';

/**
 * What an argument accepts. `double` and `numeric` accept any number (integers and decimals
 * widen); `temporal` is date or timestamp; `any` is constrained by the result rule instead.
 */
export type ParamKind = 'string' | 'integer' | 'double' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'temporal' | 'any';

export interface ParamDef {
  readonly name: string;
  readonly kind: ParamKind;
  /** May be left out (only trailing parameters). */
  readonly optional?: true;
  /** The last parameter may repeat; at least one is needed. */
  readonly variadic?: true;
  /**
   * Must be written as a constant: an integer literal (optionally negated), a non-empty string
   * literal, or one of the listed strings (matched case-insensitively).
   */
  readonly constant?: 'integer' | 'string' | readonly string[];
  /** Allowed range of an integer constant. */
  readonly range?: readonly [min: number, max: number];
  /** A regular expression: literal patterns are checked for constructs other engines lack. */
  readonly regex?: true;
  /** A strftime format: its codes must be portable ones (dateFormat.ts). */
  readonly dateFormat?: true;
}

/** An argument as the result rule sees it: its type, and its value when it is a constant. */
export interface ArgInfo {
  readonly type: ExprType;
  readonly constant?: string | number;
}

export type ReturnRule =
  | { readonly type: DataType }
  /** The type of the named parameter. */
  | { readonly sameAs: string }
  /** The common type of all arguments (they must be comparable). */
  | { readonly common: true }
  | { readonly doc: string; readonly compute: (args: readonly ArgInfo[]) => ExprType | { readonly error: string; readonly arg?: number } };

export interface FunctionDef {
  readonly category: FunctionCategory;
  readonly params: readonly ParamDef[];
  readonly returns: ReturnRule;
  /** One line, precise enough for another engine to match exactly. */
  readonly description: string;
  /** `call => expected result`, both in the expression language; checked against DuckDB by the tests. */
  readonly example: readonly [call: string, result: string];
}

const s = (name: string, extra: Omit<ParamDef, 'name' | 'kind'> = {}): ParamDef => ({ name, kind: 'string', ...extra });
const i = (name: string, extra: Omit<ParamDef, 'name' | 'kind'> = {}): ParamDef => ({ name, kind: 'integer', ...extra });
const n = (name: string): ParamDef => ({ name, kind: 'numeric' });
const dbl = (name: string): ParamDef => ({ name, kind: 'double' });
const t = (name: string): ParamDef => ({ name, kind: 'temporal' });
const ts = (name: string): ParamDef => ({ name, kind: 'timestamp' });
const any = (name: string, extra: Omit<ParamDef, 'name' | 'kind'> = {}): ParamDef => ({ name, kind: 'any', ...extra });

const STRING = { type: 'string' } as const;
const INTEGER = { type: 'integer' } as const;
const DOUBLE = { type: 'double' } as const;
const BOOLEAN = { type: 'boolean' } as const;
const DATE = { type: 'date' } as const;

export const TRUNC_UNITS = ['year', 'quarter', 'month', 'week', 'day', 'hour'] as const;
export const DIFF_UNITS = ['day', 'month', 'year'] as const;

const RE_SYNTAX = 'Patterns use the syntax shared by RE2, Java and Python (no backreferences or lookaround)';

export const FUNCTIONS = {
  // --- string ---------------------------------------------------------------------------------
  lower: {
    category: 'string', params: [s('s')], returns: STRING,
    description: "s in lower case (Unicode case mapping; characters without a one-to-one mapping, like 'ẞ', are engine-defined).",
    example: ["lower('AbC')", "'abc'"],
  },
  upper: {
    category: 'string', params: [s('s')], returns: STRING,
    description: "s in upper case (Unicode case mapping; characters without a one-to-one mapping, like 'ß', are engine-defined).",
    example: ["upper('AbC')", "'ABC'"],
  },
  trim: {
    category: 'string', params: [s('s')], returns: STRING,
    description: 's without leading and trailing spaces (U+0020 only: tabs and newlines are kept).',
    example: ["trim('  a b  ')", "'a b'"],
  },
  ltrim: {
    category: 'string', params: [s('s')], returns: STRING,
    description: 's without leading spaces (U+0020 only).',
    example: ["ltrim('  a ')", "'a '"],
  },
  rtrim: {
    category: 'string', params: [s('s')], returns: STRING,
    description: 's without trailing spaces (U+0020 only).',
    example: ["rtrim('  a ')", "'  a'"],
  },
  length: {
    category: 'string', params: [s('s')], returns: INTEGER,
    description: 'The number of Unicode code points in s.',
    example: ["length('héllo')", '5'],
  },
  substr: {
    category: 'string', params: [s('s'), i('start'), i('length', { optional: true })], returns: STRING,
    description: 'The code points of s from 1-based position start, at most length of them (to the end when omitted); start < 1 counts as 1, length < 0 as 0, and a start past the end gives \'\'.',
    example: ["substr('hello', 2, 3)", "'ell'"],
  },
  replace: {
    category: 'string', params: [s('s'), s('search'), s('replacement')], returns: STRING,
    description: "s with every non-overlapping occurrence of search (scanning left to right) replaced by replacement; an empty search leaves s unchanged.",
    example: ["replace('a-b-c', '-', '+')", "'a+b+c'"],
  },
  concat: {
    category: 'string', params: [s('s', { variadic: true })], returns: STRING,
    description: "The arguments joined together; NULL arguments count as '' (so the result is never NULL).",
    example: ["concat('a', NULL, 'b')", "'ab'"],
  },
  left: {
    category: 'string', params: [s('s'), i('n')], returns: STRING,
    description: "The first n code points of s (all of s when shorter); n ≤ 0 gives ''.",
    example: ["left('hello', 2)", "'he'"],
  },
  right: {
    category: 'string', params: [s('s'), i('n')], returns: STRING,
    description: "The last n code points of s (all of s when shorter); n ≤ 0 gives ''.",
    example: ["right('hello', 2)", "'lo'"],
  },
  lpad: {
    category: 'string', params: [s('s'), i('n'), s('fill', { optional: true, constant: 'string' })], returns: STRING,
    description: "s padded on the left to exactly n code points with repetitions of fill (default ' ', a non-empty string literal), the padding cut to fit; a longer s is cut to its first n code points; n ≤ 0 gives ''.",
    example: ["lpad('7', 3, '0')", "'007'"],
  },
  rpad: {
    category: 'string', params: [s('s'), i('n'), s('fill', { optional: true, constant: 'string' })], returns: STRING,
    description: "s padded on the right to exactly n code points with repetitions of fill (default ' ', a non-empty string literal), the padding cut to fit; a longer s is cut to its first n code points; n ≤ 0 gives ''.",
    example: ["rpad('ab', 5, 'xy')", "'abxyx'"],
  },
  starts_with: {
    category: 'string', params: [s('s'), s('prefix')], returns: BOOLEAN,
    description: 'TRUE when s begins with prefix (case-sensitive; an empty prefix always matches).',
    example: ["starts_with('hello', 'he')", 'TRUE'],
  },
  ends_with: {
    category: 'string', params: [s('s'), s('suffix')], returns: BOOLEAN,
    description: 'TRUE when s ends with suffix (case-sensitive; an empty suffix always matches).',
    example: ["ends_with('hello', 'lo')", 'TRUE'],
  },
  contains: {
    category: 'string', params: [s('s'), s('part')], returns: BOOLEAN,
    description: 'TRUE when part occurs in s (case-sensitive; an empty part always matches).',
    example: ["contains('hello', 'ell')", 'TRUE'],
  },
  regexp_matches: {
    category: 'string', params: [s('s'), s('pattern', { regex: true })], returns: BOOLEAN,
    description: `TRUE when pattern matches anywhere in s (a partial match: anchor with ^ and $ for a full match). ${RE_SYNTAX}.`,
    example: ["regexp_matches('order-123', '[0-9]+')", 'TRUE'],
  },
  regexp_replace: {
    category: 'string', params: [s('s'), s('pattern', { regex: true }), s('replacement')], returns: STRING,
    description: `s with every non-overlapping match of pattern (left to right) replaced; in replacement \\0 is the whole match and \\1-\\9 are groups. ${RE_SYNTAX}.`,
    example: ["regexp_replace('a1b22c', '[0-9]+', '#')", "'a#b#c'"],
  },
  regexp_extract: {
    category: 'string', params: [s('s'), s('pattern', { regex: true }), i('group', { optional: true, constant: 'integer', range: [0, 99] })], returns: STRING,
    description: `The text captured by group (an integer literal, default 0 = the whole match) in the first match of pattern; '' when nothing matches or the group did not take part. ${RE_SYNTAX}.`,
    example: ["regexp_extract('id=42;', 'id=([0-9]+)', 1)", "'42'"],
  },
  split_part: {
    category: 'string', params: [s('s'), s('delimiter'), i('index')], returns: STRING,
    description: "Field index of s split on every occurrence of delimiter (1-based; negative counts from the end, -1 = last); index 0 or out of range gives ''; an empty delimiter splits into single code points.",
    example: ["split_part('a,b,c', ',', 2)", "'b'"],
  },

  // --- numeric --------------------------------------------------------------------------------
  abs: {
    category: 'numeric', params: [n('x')], returns: { sameAs: 'x' },
    description: 'The absolute value of x (same type; overflow of the smallest integer is an error).',
    example: ['abs(-3)', '3'],
  },
  round: {
    category: 'numeric', params: [n('x'), i('digits', { optional: true, constant: 'integer', range: [-38, 38] })],
    returns: { doc: 'type of x; decimal(p,s) → decimal(p, min(s, max(digits, 0)))', compute: roundType },
    description: 'x rounded half away from zero to digits decimal places (an integer literal in -38..38, default 0; negative rounds to tens, hundreds…). For a double: r = x × 10^digits (x ÷ 10^-digits when negative) in IEEE double, rounded half away from zero exactly, then scaled back the same way; x itself if that is not finite.',
    example: ['round(-2.5)', '-3'],
  },
  floor: {
    category: 'numeric', params: [n('x')], returns: { doc: 'type of x; decimal(p,s) → decimal(p,0)', compute: wholeNumberType },
    description: 'The largest whole number ≤ x.',
    example: ['floor(-2.5)', '-3'],
  },
  ceil: {
    category: 'numeric', params: [n('x')], returns: { doc: 'type of x; decimal(p,s) → decimal(p,0)', compute: wholeNumberType },
    description: 'The smallest whole number ≥ x.',
    example: ['ceil(2.1)', '3'],
  },
  sign: {
    category: 'numeric', params: [n('x')], returns: INTEGER,
    description: '-1, 0 or 1 for negative, zero or positive x.',
    example: ['sign(-4.5)', '-1'],
  },
  power: {
    category: 'numeric', params: [dbl('x'), dbl('y')], returns: DOUBLE,
    description: 'x raised to the power y in IEEE double arithmetic; NULL when the result is not a finite number (power(-8, 0.5), power(0, -1)).',
    example: ['power(2, 10)', '1024e0'],
  },
  sqrt: {
    category: 'numeric', params: [dbl('x')], returns: DOUBLE,
    description: 'The square root of x; NULL when x < 0.',
    example: ['sqrt(16)', '4e0'],
  },
  ln: {
    category: 'numeric', params: [dbl('x')], returns: DOUBLE,
    description: 'The natural logarithm of x; NULL when x ≤ 0.',
    example: ['ln(1)', '0e0'],
  },
  exp: {
    category: 'numeric', params: [dbl('x')], returns: DOUBLE,
    description: 'e raised to the power x; NULL when the result overflows a double.',
    example: ['exp(0)', '1e0'],
  },
  mod: {
    category: 'numeric', params: [n('a'), n('b')], returns: { doc: 'as for a % b', compute: modType },
    description: 'The remainder of a ÷ b with the quotient truncated toward zero, so the result has the sign of a (mod(-7, 3) = -1); NULL when b = 0. The same as a % b.',
    example: ['mod(-7, 3)', '-1'],
  },
  greatest: {
    category: 'numeric', params: [any('x', { variadic: true })], returns: { common: true },
    description: 'The largest non-NULL argument (NULL only when all are NULL); the arguments must be comparable.',
    example: ['greatest(3, NULL, 7)', '7'],
  },
  least: {
    category: 'numeric', params: [any('x', { variadic: true })], returns: { common: true },
    description: 'The smallest non-NULL argument (NULL only when all are NULL); the arguments must be comparable.',
    example: ['least(3, NULL, 7)', '3'],
  },

  // --- date and time --------------------------------------------------------------------------
  year: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The year of d.',
    example: ["year(DATE '2026-11-25')", '2026'],
  },
  quarter: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The quarter of d, 1-4.',
    example: ["quarter(DATE '2026-11-25')", '4'],
  },
  month: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The month of d, 1-12.',
    example: ["month(DATE '2026-11-25')", '11'],
  },
  day: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The day of the month of d, 1-31.',
    example: ["day(DATE '2026-11-25')", '25'],
  },
  day_of_week: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The ISO day of the week of d: 1 = Monday … 7 = Sunday.',
    example: ["day_of_week(DATE '2026-11-29')", '7'],
  },
  day_of_year: {
    category: 'date', params: [t('d')], returns: INTEGER,
    description: 'The day of the year of d, 1-366.',
    example: ["day_of_year(DATE '2024-12-31')", '366'],
  },
  hour: {
    category: 'date', params: [ts('ts')], returns: INTEGER,
    description: 'The hour of ts (UTC), 0-23.',
    example: ["hour(TIMESTAMP '2026-11-25 17:45:00')", '17'],
  },
  minute: {
    category: 'date', params: [ts('ts')], returns: INTEGER,
    description: 'The minute of ts, 0-59.',
    example: ["minute(TIMESTAMP '2026-11-25 17:45:00')", '45'],
  },
  date_trunc: {
    category: 'date', params: [s('unit', { constant: TRUNC_UNITS }), t('d')], returns: { doc: 'type of d', compute: truncType },
    description: "d moved back to the start of its year, quarter, month, ISO week (Monday), day or hour; unit is a string literal and 'hour' needs a timestamp.",
    example: ["date_trunc('week', DATE '2026-11-29')", "DATE '2026-11-23'"],
  },
  date_add: {
    category: 'date', params: [t('d'), i('days')], returns: { sameAs: 'd' },
    description: 'd plus days days (negative goes back); a timestamp moves by whole 24-hour UTC days and keeps its time of day.',
    example: ["date_add(DATE '2024-02-28', 2)", "DATE '2024-03-01'"],
  },
  add_months: {
    category: 'date', params: [t('d'), i('months')], returns: { sameAs: 'd' },
    description: 'd plus months calendar months; a day past the end of the target month becomes its last day; a timestamp keeps its time of day.',
    example: ["add_months(DATE '2024-01-31', 1)", "DATE '2024-02-29'"],
  },
  date_diff: {
    category: 'date', params: [s('unit', { constant: DIFF_UNITS }), t('a'), t('b')], returns: INTEGER,
    description: "b − a in calendar units of the UTC dates, ignoring times of day: 'day' = days between the dates, 'month' = (12·year(b) + month(b)) − (12·year(a) + month(a)), 'year' = year(b) − year(a).",
    example: ["date_diff('month', DATE '2024-01-31', DATE '2024-02-01')", '1'],
  },
  strftime: {
    category: 'date', params: [t('d'), s('format', { constant: 'string', dateFormat: true })], returns: STRING,
    description: `d written as text by format, a string literal of strftime codes (${STRFTIME_CODE_LIST}); other text is copied; a date has time 00:00:00; names are English.`,
    example: ["strftime(DATE '2026-11-05', '%Y-%m')", "'2026-11'"],
  },
  last_day: {
    category: 'date', params: [t('d')], returns: DATE,
    description: 'The last day of the month of d, as a date.',
    example: ["last_day(DATE '2024-02-10')", "DATE '2024-02-29'"],
  },
  to_date: {
    category: 'date', params: [t('ts')], returns: DATE,
    description: 'The UTC calendar date of ts (a date is returned unchanged).',
    example: ["to_date(TIMESTAMP '2026-11-25 23:59:59')", "DATE '2026-11-25'"],
  },
  make_date: {
    category: 'date', params: [i('year'), i('month'), i('day')], returns: DATE,
    description: 'The date year-month-day; NULL unless 1 ≤ year ≤ 9999 and the day exists in that month.',
    example: ['make_date(2023, 2, 29)', 'NULL'],
  },

  // --- conditional ----------------------------------------------------------------------------
  coalesce: {
    category: 'conditional', params: [any('x', { variadic: true })], returns: { common: true },
    description: 'The first non-NULL argument, NULL when all are NULL; the arguments must have a common type.',
    example: ["coalesce(NULL, 'b', 'c')", "'b'"],
  },
  nullif: {
    category: 'conditional', params: [any('a'), any('b')], returns: { doc: 'type of a', compute: nullifType },
    description: 'NULL when a = b, otherwise a; a and b must be comparable.',
    example: ["nullif('', '')", 'NULL'],
  },
} as const satisfies Record<string, FunctionDef>;

export type FunctionName = keyof typeof FUNCTIONS;

export function lookupFunction(name: string): FunctionDef | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? (FUNCTIONS as Record<string, FunctionDef>)[name] : undefined;
}

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

// --- result rules -------------------------------------------------------------------------------

function roundType(args: readonly ArgInfo[]): ExprType {
  const x = args[0]?.type ?? 'null';
  const d = decimalShape(x === 'null' ? 'integer' : x);
  if (!d) return x;
  const digits = typeof args[1]?.constant === 'number' ? args[1].constant : 0;
  return decimalType(d.precision, Math.min(d.scale, Math.max(digits, 0)));
}

function wholeNumberType(args: readonly ArgInfo[]): ExprType {
  const x = args[0]?.type ?? 'null';
  const d = decimalShape(x === 'null' ? 'integer' : x);
  return d ? decimalType(d.precision, 0) : x;
}

function modType(args: readonly ArgInfo[]): ExprType | { error: string } {
  const a = args[0]?.type ?? 'integer';
  const b = args[1]?.type ?? 'integer';
  const r = arithmeticType('%', a === 'null' ? 'integer' : a, b === 'null' ? 'integer' : b);
  return typeof r === 'string' ? r : { error: r.error };
}

function nullifType(args: readonly ArgInfo[]): ExprType | { error: string; arg: number } {
  const a = args[0]?.type ?? 'null';
  const b = args[1]?.type ?? 'null';
  if (!comparable(a, b)) return { error: `nullif() compares its arguments, but ${typeNoun(a)} cannot be compared with ${typeNoun(b)}`, arg: 1 };
  return a;
}

function truncType(args: readonly ArgInfo[]): ExprType | { error: string; arg: number } {
  const d = args[1]?.type ?? 'null';
  if (d === 'date' && args[0]?.constant === 'hour') return { error: "date_trunc('hour', …) needs a timestamp, not a date", arg: 1 };
  return d;
}

// --- documentation ------------------------------------------------------------------------------

const KIND_LABEL: Readonly<Record<ParamKind, string>> = {
  string: 'string', integer: 'integer', double: 'number', numeric: 'number', boolean: 'boolean',
  date: 'date', timestamp: 'timestamp', temporal: 'date|timestamp', any: 'any',
};

/** `substr(s string, start integer[, length integer])`, as shown in docs and hints. */
export function formatSignature(name: string, def: FunctionDef): string {
  let text = '';
  def.params.forEach((p, index) => {
    const sep = index === 0 ? '' : ', ';
    const label = `${p.name} ${KIND_LABEL[p.kind]}${p.constant ? ' literal' : ''}`;
    if (p.variadic) text += `${sep}${label}, …`;
    else if (p.optional) text += `[${sep}${label}]`;
    else text += `${sep}${label}`;
  });
  return `${name}(${text})`;
}

export function formatReturns(def: FunctionDef): string {
  const r = def.returns;
  if ('type' in r) return r.type;
  if ('sameAs' in r) return `type of ${r.sameAs}`;
  if ('common' in r) return 'common type of the arguments';
  return r.doc;
}

const CATEGORY_TITLES: Readonly<Record<FunctionCategory, string>> = {
  string: 'String', numeric: 'Numeric', date: 'Date and time', conditional: 'Conditional',
};

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The function reference as a Markdown table, grouped by category; the doc embeds this verbatim. */
export function renderFunctionTableMarkdown(): string {
  const lines: string[] = [];
  for (const category of Object.keys(CATEGORY_TITLES) as FunctionCategory[]) {
    lines.push(`### ${CATEGORY_TITLES[category]}`, '', '| Function | Returns | Semantics | Example |', '| --- | --- | --- | --- |');
    for (const name of FUNCTION_NAMES) {
      const def: FunctionDef = FUNCTIONS[name];
      if (def.category !== category) continue;
      const [call, result] = def.example;
      lines.push(`| \`${cell(formatSignature(name, def))}\` | ${cell(formatReturns(def))} | ${cell(def.description)} | \`${cell(call)}\` → \`${cell(result)}\` |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
