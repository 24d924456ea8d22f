import { decimalShape, duckdbType, isDecimal, type DataType } from '../../types/dataType.js';
import type { Expr, LiteralValue } from '../ast.js';
import { emitWithDialect, type BinaryEmitter, type Dialect, type EmitArg, type EmitOptions, type FunctionEmitterTable } from './emitter.js';
import { infix, SQL_COMPARISONS, sqlBetween, sqlInList, sqlIsNull } from './sqlCommon.js';

export interface DuckdbEmitOptions extends EmitOptions {
  /**
   * Wrap the result in CAST(… AS <logical type>) (default true, needs `types`). DuckDB's optimizer
   * folds an expression whose value is always NULL (x + TRY_CAST('' AS …), CASE WHEN FALSE THEN x
   * END, 'a' || $p with a NULL parameter) into an untyped NULL that materialises as INTEGER; the
   * cast keeps the column type right. A WHERE clause does not care and may pass false.
   */
  readonly pinType?: boolean;
}

/**
 * DuckDB SQL for an expression. Where DuckDB's own behaviour differs from the portable
 * semantics (division by zero, integer casts, domain errors of sqrt/ln, date arithmetic types…)
 * the SQL adds the guard or cast that makes it match; see docs/expression-language.md.
 */
export function emitDuckdb(expr: Expr, opts: DuckdbEmitOptions = {}): string {
  const sql = emitWithDialect(DUCKDB, expr, opts);
  const type = opts.types?.get(expr);
  const trivial = expr.k === 'cast' || expr.k === 'column' || (expr.k === 'literal' && expr.lit.type !== 'null');
  return type && !trivial && opts.pinType !== false ? `CAST(${sql} AS ${duckdbType(type)})` : sql;
}

export function duckdbIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** DuckDB string literals have no backslash escapes; only the quote is doubled. */
export function duckdbStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const INT32_MAX = 2147483647;

/** A literal in DuckDB SQL. Integer literals are BIGINT (DuckDB would type small ones as 32-bit). */
export function duckdbExprLiteral(lit: LiteralValue, bareIntegers = false, nullType?: DataType): string {
  switch (lit.type) {
    case 'null':
      return nullType ? `CAST(NULL AS ${duckdbType(nullType)})` : 'NULL';
    case 'boolean':
      return lit.value ? 'TRUE' : 'FALSE';
    case 'integer':
      return bareIntegers || Number(lit.value) > INT32_MAX ? lit.value : `CAST(${lit.value} AS BIGINT)`;
    case 'decimal':
    case 'double':
      return lit.value; // DuckDB types 12.50 as DECIMAL(4,2) and 1e3 as DOUBLE, like the language
    case 'string':
      return duckdbStringLiteral(lit.value);
    case 'date':
      return `DATE ${duckdbStringLiteral(lit.value)}`;
    case 'timestamp':
      return `TIMESTAMP ${duckdbStringLiteral(lit.value)}`; // TIMESTAMP has no zone: read as UTC
  }
}

const call = (name: string, args: readonly EmitArg[]): string => `${name}(${args.map((a) => a.code).join(', ')})`;
const fn = (name: string) => (args: readonly EmitArg[]): string => call(name, args);

function isIntegerLiteral(a: EmitArg | undefined, min: number): boolean {
  return a?.expr.k === 'literal' && a.expr.lit.type === 'integer' && Number(a.expr.lit.value) >= min;
}

/** `x` clamped below at `min`, keeping NULL (greatest() would skip a NULL). */
function atLeast(a: EmitArg, min: number): string {
  return isIntegerLiteral(a, min) ? a.code : `CASE WHEN ${a.operand} < ${min} THEN ${min} ELSE ${a.code} END`;
}

/** lpad/rpad only take a 32-bit length. */
function int32(a: EmitArg): string {
  return a.expr.k === 'literal' && a.expr.lit.type === 'integer' ? a.code : `CAST(${a.code} AS INTEGER)`;
}

/** NULL instead of NaN or ±Infinity. */
function finite(code: string): string {
  return `nullif(nullif(nullif(${code}, CAST('Infinity' AS DOUBLE)), CAST('-Infinity' AS DOUBLE)), CAST('NaN' AS DOUBLE))`;
}

const asDouble = (a: EmitArg): string => (a.type === 'double' ? a.code : `CAST(${a.code} AS DOUBLE)`);

function wholeNumber(name: 'floor' | 'ceil') {
  return ([x]: readonly EmitArg[], ctx: Parameters<FunctionEmitterTable['floor']>[1]): string => {
    const arg = x as EmitArg;
    return ctx.requireType(arg, `${name}()`) === 'integer' ? arg.operand : call(name, [arg]);
  };
}

const FUNCTIONS: FunctionEmitterTable = {
  lower: fn('lower'),
  upper: fn('upper'),
  trim: fn('trim'),
  ltrim: fn('ltrim'),
  rtrim: fn('rtrim'),
  length: fn('length'),
  substr: ([s, start, len]) => `substr(${[s?.code, start && atLeast(start, 1), len && atLeast(len, 0)].filter(Boolean).join(', ')})`,
  replace: fn('replace'),
  concat: fn('concat'),
  left: ([s, n]) => `left(${s?.code}, ${n && atLeast(n, 0)})`,
  right: ([s, n]) => `right(${s?.code}, ${n && atLeast(n, 0)})`,
  lpad: ([s, n, fill]) => `lpad(${s?.code}, ${n && int32(n)}, ${fill?.code ?? "' '"})`,
  rpad: ([s, n, fill]) => `rpad(${s?.code}, ${n && int32(n)}, ${fill?.code ?? "' '"})`,
  starts_with: fn('starts_with'),
  ends_with: fn('ends_with'),
  contains: fn('contains'),
  regexp_matches: fn('regexp_matches'),
  regexp_replace: ([s, p, r]) => `regexp_replace(${s?.code}, ${p?.code}, ${r?.code}, 'g')`,
  regexp_extract: fn('regexp_extract'),
  split_part: fn('split_part'),

  abs: fn('abs'),
  // DuckDB's round() is already half away from zero for every numeric type (for doubles by the
  // scale-round-unscale procedure the catalog defines), with the same result types.
  round: fn('round'),
  floor: wholeNumber('floor'),
  ceil: wholeNumber('ceil'),
  sign: ([x]) => `CAST(sign(${x?.code}) AS BIGINT)`,
  power: ([x, y]) => finite(`pow(${x && asDouble(x)}, ${y && asDouble(y)})`),
  sqrt: ([x]) => finite(`sqrt(CASE WHEN ${x?.operand} < 0 THEN NULL ELSE ${x && asDouble(x)} END)`),
  ln: ([x]) => finite(`ln(CASE WHEN ${x?.operand} > 0 THEN ${x && asDouble(x)} END)`),
  exp: ([x]) => finite(`exp(${x && asDouble(x)})`),
  mod: ([a, b]) => `(${a?.operand} % NULLIF(${b?.code}, 0))`,
  greatest: fn('greatest'),
  least: fn('least'),

  year: fn('year'),
  quarter: fn('quarter'),
  month: fn('month'),
  day: fn('day'),
  day_of_week: fn('isodow'),
  day_of_year: fn('dayofyear'),
  hour: fn('hour'),
  minute: fn('minute'),
  date_trunc: ([unit, d], ctx) => {
    const arg = d as EmitArg;
    const code = `date_trunc(${unitLiteral(unit)}, ${arg.code})`;
    return ctx.requireType(arg, 'date_trunc()') === 'date' ? `CAST(${code} AS DATE)` : code;
  },
  date_add: ([d, days], ctx) => {
    const arg = d as EmitArg;
    const n = `CAST(${days?.code} AS INTEGER)`;
    return ctx.requireType(arg, 'date_add()') === 'date' ? `(${arg.operand} + ${n})` : `(${arg.operand} + to_days(${n}))`;
  },
  add_months: ([d, months], ctx) => {
    const arg = d as EmitArg;
    const sum = `${arg.operand} + to_months(CAST(${months?.code} AS INTEGER))`;
    return ctx.requireType(arg, 'add_months()') === 'date' ? `CAST(${sum} AS DATE)` : `(${sum})`;
  },
  date_diff: ([unit, a, b]) => `date_diff(${unitLiteral(unit)}, ${a && asDate(a)}, ${b && asDate(b)})`,
  strftime: fn('strftime'),
  last_day: fn('last_day'),
  to_date: ([d]) => `CAST(${d?.code} AS DATE)`,
  make_date: ([y, m, d]) => `CASE WHEN ${y?.operand} BETWEEN 1 AND 9999 THEN try(make_date(${y?.code}, ${m?.code}, ${d?.code})) END`,

  coalesce: fn('coalesce'),
  nullif: fn('nullif'),
};

function unitLiteral(unit: EmitArg | undefined): string {
  const e = unit?.expr;
  if (e?.k === 'literal' && e.lit.type === 'string') return duckdbStringLiteral(e.lit.value.toLowerCase());
  throw new Error('duckdb: a date unit must be a string literal; typecheck the expression before emitting it');
}

/** The calendar date of a date or timestamp (a cast is harmless on a date, so no type is needed). */
function asDate(a: EmitArg): string {
  return a.type === 'date' ? a.code : `CAST(${a.code} AS DATE)`;
}


/**
 * DuckDB keeps the product of two decimals of precision ≤ 18 at precision 18 (failing on overflow)
 * where the language gives p1 + p2; widening one side first and casting back gives the exact type.
 */
const multiply: BinaryEmitter = (l, r, ctx) => {
  const result = ctx.type && decimalShape(ctx.type);
  const [a, b] = [l.type && decimalShape(l.type), r.type && decimalShape(r.type)];
  if (!result || result.precision <= 18 || !a || !b || a.precision > 18 || b.precision > 18) return infix('*')(l, r, ctx);
  return `CAST(CAST(${l.code} AS DECIMAL(38,${a.scale})) * ${r.operand} AS ${duckdbType(ctx.type as DataType)})`;
};

const INTEGER_TEXT = "'^\\s*([+-]?[0-9]+)\\s*$'";

function cast(arg: EmitArg, to: DataType, safe: boolean): string {
  const keyword = safe ? 'TRY_CAST' : 'CAST';
  const from = arg.type;
  if (from === undefined && arg.expr.k === 'literal' && arg.expr.lit.type === 'null') return `CAST(NULL AS ${duckdbType(to)})`;
  if (to === 'integer' && (from === 'double' || (from && isDecimal(from)))) {
    // The language truncates toward zero; DuckDB alone would round.
    return `${keyword}(trunc(${arg.code}) AS BIGINT)`;
  }
  if (to === 'integer' && from === 'string') {
    // Only integer text converts ('12.5' is an error, not 13): anything else extracts '' and fails.
    return `${keyword}(regexp_extract(${arg.code}, ${INTEGER_TEXT}, 1) AS BIGINT)`;
  }
  return `${keyword}(${arg.code} AS ${duckdbType(to)})`;
}

const DUCKDB: Dialect = {
  name: 'duckdb',
  column: duckdbIdentifier,
  param: (name) => `getvariable(${duckdbStringLiteral(name)})`,
  literal: (lit, ctx) => duckdbExprLiteral(lit, ctx.typeInsensitive, ctx.type),
  // `--` would start a comment, so a negated negative gets parentheses.
  unary: (op, arg) => (op === 'NOT' ? `NOT ${arg.operand}` : arg.operand.startsWith('-') ? `-(${arg.operand})` : `-${arg.operand}`),
  binary: {
    '+': infix('+'),
    '-': infix('-'),
    '*': multiply,
    // Always a double, and NULL (not an error or Infinity) when dividing by zero.
    '/': (l, r) => `${l.type === 'double' ? l.operand : `CAST(${l.code} AS DOUBLE)`} / NULLIF(${asDouble(r)}, 0)`,
    '%': (l, r) => `${l.operand} % NULLIF(${r.code}, 0)`,
    '||': infix('||'),
    ...SQL_COMPARISONS,
  },
  inList: sqlInList,
  between: sqlBetween,
  like: (arg, pattern, negated, ci) => `${arg.operand} ${negated ? 'NOT ' : ''}${ci ? 'ILIKE' : 'LIKE'} ${pattern.operand}`,
  isNull: sqlIsNull,
  caseExpr: (operand, whens, otherwise) => {
    const parts = ['CASE'];
    if (operand) parts.push(operand.code);
    for (const w of whens) parts.push('WHEN', w.when.code, 'THEN', w.then.code);
    if (otherwise) parts.push('ELSE', otherwise.code);
    parts.push('END');
    return parts.join(' ');
  },
  cast: (arg, to, safe) => cast(arg, to, safe),
  functions: FUNCTIONS,
};
