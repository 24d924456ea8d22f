import { decimalShape, isDecimal, type DataType } from '../../types/dataType.js';
import type { Expr, LiteralValue } from '../ast.js';
import { sparkDatePattern } from '../dateFormat.js';
import { emitWithDialect, type BinaryEmitter, type Dialect, type EmitArg, type EmitContext, type EmitOptions, type FunctionEmitterTable } from './emitter.js';
import { RegexRefusal, translateRegex } from '../regexDialect.js';
import { SQL_COMPARISONS, sqlBetween, sqlInList, sqlIsNull } from './sqlCommon.js';

/**
 * Spark SQL (3.5 and 4.x, ANSI mode on) for an expression. Where Spark's own behaviour differs
 * from the portable semantics (docs/expression-language.md) the SQL adds the guard that makes it
 * match: division and remainder by zero, code-point substr bounds, split_part index 0, floor of a
 * double, LIKE's backslash escape, regexp replacement syntax, integer casts of text…
 * Constructs it cannot translate faithfully throw SparkUnsupported (the exporter turns that into
 * a refusal naming the construct).
 */
export class SparkUnsupported extends Error {}

export function sparkType(type: DataType): string {
  switch (type) {
    case 'string':
      return 'STRING';
    case 'integer':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    default: {
      const d = decimalShape(type);
      if (!d) throw new Error(`unknown type ${String(type)}`);
      return `DECIMAL(${d.precision},${d.scale})`;
    }
  }
}

export function sparkIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** Spark string literals treat backslash as an escape; both it and the quote are escaped. */
export function sparkStringLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export function sparkExprLiteral(lit: LiteralValue, nullType?: DataType): string {
  switch (lit.type) {
    case 'null':
      return nullType ? `CAST(NULL AS ${sparkType(nullType)})` : 'NULL';
    case 'boolean':
      return lit.value ? 'TRUE' : 'FALSE';
    case 'integer':
      return `${lit.value}L`;
    case 'decimal':
      return `${lit.value.startsWith('.') ? `0${lit.value}` : lit.value.endsWith('.') ? `${lit.value}0` : lit.value}BD`;
    case 'double':
      return `${lit.value}D`;
    case 'string':
      return sparkStringLiteral(lit.value);
    case 'date':
      return `DATE ${sparkStringLiteral(lit.value)}`;
    case 'timestamp':
      return `TIMESTAMP ${sparkStringLiteral(lit.value.replace(/Z$|\+00:?00$/, ''))}`;
  }
}

export function emitSpark(expr: Expr, opts: EmitOptions = {}): string {
  const code = emitWithDialect(SPARK, expr, opts);
  const type = opts.types?.get(expr);
  const trivial = expr.k === 'cast' || expr.k === 'column' || (expr.k === 'literal' && expr.lit.type !== 'null');
  return type && !trivial ? `CAST(${code} AS ${sparkType(type)})` : code;
}

const call = (name: string, args: readonly EmitArg[]): string => `${name}(${args.map((a) => a.code).join(', ')})`;
const fn = (name: string) => (args: readonly EmitArg[]): string => call(name, args);
const asDouble = (a: EmitArg): string => (a.type === 'double' ? a.code : `CAST(${a.code} AS DOUBLE)`);

function isLiteralInt(a: EmitArg | undefined, min: number): boolean {
  return a?.expr.k === 'literal' && a.expr.lit.type === 'integer' && Number(a.expr.lit.value) >= min;
}
function atLeast(a: EmitArg, min: number): string {
  return isLiteralInt(a, min) ? a.code : `CASE WHEN ${a.operand} < ${min} THEN ${min} ELSE ${a.code} END`;
}
/** Spark's string functions take INT lengths and positions. */
const int32 = (code: string) => `CAST(${code} AS INT)`;

function finite(code: string): string {
  return `(CASE WHEN isnan(_v) OR abs(_v) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE _v END)`.replaceAll('_v', `(${code})`);
}

function literalString(a: EmitArg | undefined): string | undefined {
  return a?.expr.k === 'literal' && a.expr.lit.type === 'string' ? a.expr.lit.value : undefined;
}

function unit(a: EmitArg | undefined): string {
  const u = literalString(a);
  if (u === undefined) throw new Error('spark: a date unit must be a string literal; typecheck the expression before emitting it');
  return u.toLowerCase();
}

/**
 * A spec (RE2) pattern as a Java one that matches the same strings (regexDialect.ts). Only a
 * literal pattern can be translated before the job runs, so a pattern from a column is refused.
 */
export function sparkRegex(pattern: string): string {
  try {
    return translateRegex(pattern, 'java');
  } catch (e) {
    if (e instanceof RegexRefusal) throw new SparkUnsupported(`a regular expression with ${e.message}`);
    throw e;
  }
}

function sparkRegexArg(p: EmitArg | undefined): string {
  const pattern = literalString(p);
  if (pattern === undefined) throw new SparkUnsupported('a regular expression that is not a string literal (it is translated from RE2 to Java when exported; write the pattern in the expression)');
  return sparkStringLiteral(sparkRegex(pattern));
}

/** \0..\9 in the language's replacement become Java's $0..$9; a literal $ or \ is escaped. */
function javaReplacement(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined && /[0-9]/.test(next)) {
      out += `$${next}`;
      i++;
    } else if (ch === '$' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * Whether a regular expression can match the empty string, judged by JavaScript's engine on the
 * syntax the three share (an inline flag group is read as flags). Unreadable patterns count as
 * "can": refusing is safer than giving other values.
 */
export function mayMatchEmpty(pattern: string): boolean {
  const m = /^\(\?([a-z]+)\)/.exec(pattern);
  const body = (m ? pattern.slice(m[0].length) : pattern).replaceAll('(?P<', '(?<');
  try {
    return new RegExp(body, (m?.[1] ?? '').replace(/[^ims]/g, '')).test('');
  } catch {
    return true;
  }
}

function roundDouble(x: EmitArg, digits: number): string {
  if (digits === 0) return `round(${x.code})`;
  const scale = `1e${Math.abs(digits)}D`;
  const scaled = digits > 0 ? `${x.operand} * ${scale}` : `${x.operand} / ${scale}`;
  const back = digits > 0 ? `round(${scaled}) / ${scale}` : `round(${scaled}) * ${scale}`;
  return `(CASE WHEN isnan(${scaled}) OR abs(${scaled}) = CAST('Infinity' AS DOUBLE) THEN ${x.code} ELSE ${back} END)`;
}

function digitsOf(a: EmitArg | undefined): number {
  if (!a) return 0;
  const e = a.expr;
  if (e.k === 'literal' && e.lit.type === 'integer') return Number(e.lit.value);
  if (e.k === 'unary' && e.op === '-' && e.arg.k === 'literal' && e.arg.lit.type === 'integer') return -Number(e.arg.lit.value);
  throw new Error('spark: round() digits must be an integer literal');
}

const FUNCTIONS: FunctionEmitterTable = {
  lower: fn('lower'),
  upper: fn('upper'),
  trim: ([s]) => `trim(BOTH ' ' FROM ${s?.code})`,
  ltrim: ([s]) => `trim(LEADING ' ' FROM ${s?.code})`,
  rtrim: ([s]) => `trim(TRAILING ' ' FROM ${s?.code})`,
  length: ([s]) => `CAST(char_length(${s?.code}) AS BIGINT)`,
  substr: ([s, start, len]) =>
    len ? `substr(${s?.code}, ${int32(atLeast(start!, 1))}, ${int32(atLeast(len, 0))})` : `substr(${s?.code}, ${int32(atLeast(start!, 1))})`,
  replace: ([s, search, rep]) => `CASE WHEN ${search?.code} = '' THEN ${s?.code} ELSE replace(${s?.code}, ${search?.code}, ${rep?.code}) END`,
  concat: (args) => `concat_ws('', ${args.map((a) => a.code).join(', ')})`,
  left: ([s, n]) => `substr(${s?.code}, 1, ${int32(atLeast(n!, 0))})`,
  right: ([s, n]) => `CASE WHEN ${n?.operand} <= 0 THEN '' ELSE right(${s?.code}, ${int32(n!.code)}) END`,
  lpad: ([s, n, fill]) => `lpad(${s?.code}, ${int32(atLeast(n!, 0))}, ${fill?.code ?? "' '"})`,
  rpad: ([s, n, fill]) => `rpad(${s?.code}, ${int32(atLeast(n!, 0))}, ${fill?.code ?? "' '"})`,
  starts_with: fn('startswith'),
  ends_with: fn('endswith'),
  contains: fn('contains'),
  regexp_matches: ([s, p]) => `${s?.operand} RLIKE ${sparkRegexArg(p)}`,
  regexp_replace: ([s, p, r]) => {
    const lit = literalString(r);
    if (lit === undefined) throw new SparkUnsupported('regexp_replace with a replacement that is not a string literal');
    const pattern = literalString(p);
    if (pattern === undefined) throw new SparkUnsupported('regexp_replace with a pattern that is not a string literal (Java replaces an empty match right after a match, RE2 does not)');
    if (mayMatchEmpty(pattern)) throw new SparkUnsupported(`regexp_replace with the pattern '${pattern}', which can match the empty string (Java replaces an empty match right after a match, RE2 does not)`);
    return `regexp_replace(${s?.code}, ${sparkRegexArg(p)}, ${sparkStringLiteral(javaReplacement(lit))})`;
  },
  regexp_extract: ([s, p, g]) => `regexp_extract(${s?.code}, ${sparkRegexArg(p)}, ${g ? int32(g.code) : '0'})`,
  // strict (NULL in, NULL out); index 0 gives ''; an empty delimiter splits into code points
  split_part: ([s, d, i]) =>
    `CASE WHEN ${s?.operand} IS NULL OR ${d?.operand} IS NULL OR ${i?.operand} IS NULL THEN CAST(NULL AS STRING) WHEN ${i?.operand} = 0 THEN '' ` +
    `WHEN ${d?.operand} = '' THEN CASE WHEN abs(${i?.operand}) > char_length(${s?.code}) THEN '' WHEN ${i?.operand} > 0 THEN substr(${s?.code}, ${int32(i!.code)}, 1) ` +
    `ELSE substr(${s?.code}, ${int32(`char_length(${s?.code}) + ${i?.operand} + 1`)}, 1) END ELSE split_part(${s?.code}, ${d?.code}, ${int32(i!.code)}) END`,

  abs: fn('abs'),
  round: ([x, d], ctx) => {
    const type = ctx.requireType(x!, 'round()');
    const digits = digitsOf(d);
    if (type === 'double') return roundDouble(x!, digits);
    return `round(${x?.code}, ${digits})`;
  },
  floor: ([x], ctx) => {
    const type = ctx.requireType(x!, 'floor()');
    return type === 'integer' ? x!.operand : `CAST(floor(${x?.code}) AS ${sparkType(type === 'double' ? 'double' : wholeDecimal(type))})`;
  },
  ceil: ([x], ctx) => {
    const type = ctx.requireType(x!, 'ceil()');
    return type === 'integer' ? x!.operand : `CAST(ceil(${x?.code}) AS ${sparkType(type === 'double' ? 'double' : wholeDecimal(type))})`;
  },
  sign: ([x]) => `CAST(signum(${x?.code}) AS BIGINT)`,
  power: ([x, y]) => finite(`pow(${asDouble(x!)}, ${asDouble(y!)})`),
  sqrt: ([x]) => `CASE WHEN ${x?.operand} < 0 THEN NULL ELSE sqrt(${asDouble(x!)}) END`,
  ln: ([x]) => `CASE WHEN ${x?.operand} > 0 THEN ln(${asDouble(x!)}) END`,
  exp: ([x]) => finite(`exp(${asDouble(x!)})`),
  mod: ([a, b]) => `(${a?.operand} % NULLIF(${b?.code}, 0))`,
  greatest: fn('greatest'),
  least: fn('least'),

  year: ([d]) => `CAST(year(${d?.code}) AS BIGINT)`,
  quarter: ([d]) => `CAST(quarter(${d?.code}) AS BIGINT)`,
  month: ([d]) => `CAST(month(${d?.code}) AS BIGINT)`,
  day: ([d]) => `CAST(dayofmonth(${d?.code}) AS BIGINT)`,
  day_of_week: ([d]) => `CAST(weekday(${d?.code}) + 1 AS BIGINT)`,
  day_of_year: ([d]) => `CAST(dayofyear(${d?.code}) AS BIGINT)`,
  hour: ([d]) => `CAST(hour(${d?.code}) AS BIGINT)`,
  minute: ([d]) => `CAST(minute(${d?.code}) AS BIGINT)`,
  date_trunc: ([u, d], ctx) => {
    const arg = d as EmitArg;
    const code = `date_trunc(${sparkStringLiteral(unit(u))}, ${arg.code})`;
    return ctx.requireType(arg, 'date_trunc()') === 'date' ? `CAST(${code} AS DATE)` : code;
  },
  date_add: ([d, n], ctx) => {
    const arg = d as EmitArg;
    return ctx.requireType(arg, 'date_add()') === 'date' ? `date_add(${arg.code}, ${int32(n!.code)})` : `timestampadd(DAY, ${n?.code}, ${arg.code})`;
  },
  add_months: ([d, n], ctx) => {
    const arg = d as EmitArg;
    return ctx.requireType(arg, 'add_months()') === 'date' ? `add_months(${arg.code}, ${int32(n!.code)})` : `timestampadd(MONTH, ${n?.code}, ${arg.code})`;
  },
  date_diff: ([u, a, b]) => {
    const [x, y] = [`CAST(${a?.code} AS DATE)`, `CAST(${b?.code} AS DATE)`];
    switch (unit(u)) {
      case 'day':
        return `CAST(datediff(${y}, ${x}) AS BIGINT)`;
      case 'month':
        return `CAST((year(${y}) * 12 + month(${y})) - (year(${x}) * 12 + month(${x})) AS BIGINT)`;
      default:
        return `CAST(year(${y}) - year(${x}) AS BIGINT)`;
    }
  },
  strftime: ([d, f]) => {
    const format = literalString(f);
    if (format === undefined) throw new Error('spark: a strftime format must be a string literal; typecheck the expression before emitting it');
    return `date_format(${d?.code}, ${sparkStringLiteral(sparkDatePattern(format))})`;
  },
  last_day: ([d]) => `last_day(CAST(${d?.code} AS DATE))`,
  to_date: ([d]) => `CAST(${d?.code} AS DATE)`,
  make_date: ([y, m, d]) =>
    `CASE WHEN ${y?.operand} BETWEEN 1 AND 9999 AND ${m?.operand} BETWEEN 1 AND 12 AND ${d?.operand} BETWEEN 1 AND 31 THEN CAST(try_to_timestamp(format_string('%04d-%02d-%02d', ${y?.code}, ${m?.code}, ${d?.code}), 'yyyy-MM-dd') AS DATE) END`,

  coalesce: fn('coalesce'),
  nullif: fn('nullif'),
};

function wholeDecimal(type: DataType): DataType {
  const d = decimalShape(type);
  return d ? (`decimal(${d.precision},0)` as DataType) : type;
}


/** Decimal results are cast to the language's exact type (Spark's own precision rules differ). */
const arithmetic = (op: string): BinaryEmitter => (l, r, ctx) => {
  const code = `${l.operand} ${op} ${r.operand}`;
  return ctx.type && isDecimal(ctx.type) ? `CAST(${code} AS ${sparkType(ctx.type)})` : code;
};

const INTEGER_TEXT = "'^\\\\s*([+-]?[0-9]+)\\\\s*$'";

function cast(arg: EmitArg, to: DataType, safe: boolean, _ctx: EmitContext): string {
  const kw = safe ? 'try_cast' : 'CAST';
  const from = arg.type;
  if (from === undefined && arg.expr.k === 'literal' && arg.expr.lit.type === 'null') return `CAST(NULL AS ${sparkType(to)})`;
  if (to === 'integer' && from === 'string') return `${kw}(regexp_extract(${arg.code}, ${INTEGER_TEXT}, 1) AS BIGINT)`;
  if (to === 'string' && from === 'double') throw new SparkUnsupported('CAST of a double to string (its formatting is engine-defined)');
  return `${kw}(${arg.code} AS ${sparkType(to)})`;
}

/** LIKE without an escape character: a control character nobody writes stands in for it. */
const NO_ESCAPE = " ESCAPE '\\u0001'";

const SPARK: Dialect = {
  name: 'spark',
  column: sparkIdentifier,
  param: (name) => `__bb_param_${name}__`,
  literal: (lit, ctx) => sparkExprLiteral(lit, ctx.type),
  unary: (op, arg) => (op === 'NOT' ? `NOT ${arg.operand}` : `-${arg.operand.startsWith('-') ? `(${arg.operand})` : arg.operand}`),
  binary: {
    '+': arithmetic('+'),
    '-': arithmetic('-'),
    '*': arithmetic('*'),
    '/': (l, r) => `${asDouble(l)} / NULLIF(${asDouble(r)}, 0)`,
    '%': (l, r, ctx) => {
      const code = `${l.operand} % NULLIF(${r.code}, 0)`;
      return ctx.type && isDecimal(ctx.type) ? `CAST(${code} AS ${sparkType(ctx.type)})` : code;
    },
    '||': (l, r) => `concat(${l.code}, ${r.code})`,
    ...SQL_COMPARISONS,
  },
  inList: sqlInList,
  between: sqlBetween,
  like: (arg, pattern, negated, ci) =>
    ci ? `lower(${arg.code}) ${negated ? 'NOT ' : ''}LIKE lower(${pattern.code})${NO_ESCAPE}` : `${arg.operand} ${negated ? 'NOT ' : ''}LIKE ${pattern.operand}${NO_ESCAPE}`,
  isNull: sqlIsNull,
  caseExpr: (operand, whens, otherwise) => {
    const parts = ['CASE'];
    if (operand) parts.push(operand.code);
    for (const w of whens) parts.push('WHEN', w.when.code, 'THEN', w.then.code);
    if (otherwise) parts.push('ELSE', otherwise.code);
    parts.push('END');
    return parts.join(' ');
  },
  cast,
  functions: FUNCTIONS,
};
