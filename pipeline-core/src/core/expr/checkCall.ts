import { isNumeric, isTemporal, type DataType } from '../types/dataType.js';
import type { Expr } from './ast.js';
import { FUNCTION_NAMES, formatSignature, lookupFunction, type ArgInfo, type FunctionDef, type ParamDef, type ParamKind } from './functions.js';
import { parseDateFormat, STRFTIME_CODE_LIST } from './dateFormat.js';
import { printStringLiteral } from './print.js';
import { closestName } from './suggest.js';
import type { CheckContext } from './typecheck.js';
import { commonType, typeNoun, type ExprType } from './typeRules.js';

type Call = Extract<Expr, { k: 'call' }>;

/** Names from other SQL dialects, pointing at the function to use here. */
const OTHER_DIALECTS: Readonly<Record<string, string>> = {
  substring: 'substr', len: 'length', char_length: 'length', character_length: 'length',
  ifnull: 'coalesce', nvl: 'coalesce', isnull: 'coalesce', pow: 'power', ceiling: 'ceil',
  dayofweek: 'day_of_week', dow: 'day_of_week', isodow: 'day_of_week', weekday: 'day_of_week',
  dayofyear: 'day_of_year', doy: 'day_of_year', dayofmonth: 'day', datediff: 'date_diff',
  dateadd: 'date_add', date_sub: 'date_add', regexp_like: 'regexp_matches', rlike: 'regexp_matches',
  instr: 'contains', strpos: 'contains', position: 'contains', startswith: 'starts_with',
  endswith: 'ends_with', date_format: 'strftime', format_date: 'strftime', to_char: 'strftime', date: 'to_date', log: 'ln', truncate: 'date_trunc', eomonth: 'last_day',
};

/** The type a NULL argument takes when nothing else decides it. */
const NULL_DEFAULT: Readonly<Partial<Record<ParamKind, DataType>>> = {
  string: 'string', integer: 'integer', double: 'double', numeric: 'integer', boolean: 'boolean',
  date: 'date', timestamp: 'timestamp', temporal: 'date',
};

const KIND_NOUN: Readonly<Record<ParamKind, string>> = {
  string: 'a string', integer: 'an integer', double: 'a number', numeric: 'a number', boolean: 'a boolean',
  date: 'a date', timestamp: 'a timestamp', temporal: 'a date or timestamp', any: 'a value',
};

export function checkCall(ctx: CheckContext, e: Call): ExprType | undefined {
  const def = lookupFunction(e.fn);
  const argTypes = e.args.map((a) => ctx.check(a));
  if (!def) {
    const start = e.span?.start ?? 0;
    const near = OTHER_DIALECTS[e.fn] ?? closestName(e.fn, FUNCTION_NAMES);
    ctx.error({ start, end: start + e.fn.length }, `Unknown function ${e.fn}()`, near ? `did you mean ${near}()?` : 'see the function list in the expression language reference');
    return undefined;
  }
  const fixed = 'type' in def.returns ? def.returns.type : undefined;
  const { min, max } = arity(def);
  if (e.args.length < min || e.args.length > max) {
    const expected = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    ctx.error(e, `${e.fn}() takes ${expected} argument${min === 1 && (max === 1 || max === Infinity) ? '' : 's'}, but got ${e.args.length}`, `usage: ${formatSignature(e.fn, def)}`);
    return fixed;
  }

  const infos: ArgInfo[] = [];
  let ok = true;
  e.args.forEach((arg, index) => {
    const param = paramAt(def, index);
    const info = checkArg(ctx, e.fn, def, param, index, arg, argTypes[index]);
    if (!info) ok = false;
    infos.push(info ?? { type: 'null' });
  });
  if (!ok) return fixed;
  return resultType(ctx, e, def, infos);
}

function arity(def: FunctionDef): { min: number; max: number } {
  const min = def.params.filter((p) => !p.optional).length;
  const max = def.params.some((p) => p.variadic) ? Infinity : def.params.length;
  return { min, max };
}

function paramAt(def: FunctionDef, index: number): ParamDef {
  return (def.params[Math.min(index, def.params.length - 1)] as ParamDef);
}

function accepts(kind: ParamKind, t: DataType): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'double':
    case 'numeric':
      return isNumeric(t);
    case 'temporal':
      return isTemporal(t);
    default:
      return t === kind;
  }
}

/** Checks one argument; returns undefined when it is wrong (the error is reported). */
function checkArg(ctx: CheckContext, fn: string, def: FunctionDef, param: ParamDef, index: number, arg: Expr, type: ExprType | undefined): ArgInfo | undefined {
  if (type === undefined) return undefined;
  const label = `Argument ${index + 1} (${param.name}) of ${fn}()`;
  if (type !== 'null' && !accepts(param.kind, type)) {
    ctx.error(arg, `${label} must be ${KIND_NOUN[param.kind]}, but it is ${typeNoun(type)}`, argHint(param.kind, type, fn, def));
    return undefined;
  }
  let resolved: ExprType = type;
  if (type === 'null' && NULL_DEFAULT[param.kind]) {
    resolved = NULL_DEFAULT[param.kind] as DataType;
    ctx.contextualize(arg, resolved);
  }
  if (param.regex) checkPattern(ctx, arg);
  if (param.dateFormat) checkDateFormat(ctx, arg);
  if (!param.constant) return { type: resolved };
  const constant = constantValue(arg);
  if (param.constant === 'integer') {
    if (typeof constant !== 'number') {
      ctx.error(arg, `${label} must be an integer literal`, 'write a number, e.g. 2 (it decides the result type, so it cannot be computed)');
      return undefined;
    }
    if (param.range && (constant < param.range[0] || constant > param.range[1])) {
      ctx.error(arg, `${label} must be between ${param.range[0]} and ${param.range[1]}, got ${constant}`);
      return undefined;
    }
    return { type: resolved, constant };
  }
  if (typeof constant !== 'string' || (param.constant === 'string' && constant === '')) {
    const what = param.constant === 'string' ? 'a non-empty string literal' : `one of ${param.constant.map((u) => `'${u}'`).join(', ')}`;
    ctx.error(arg, `${label} must be ${what}`);
    return undefined;
  }
  if (param.constant !== 'string') {
    const value = constant.toLowerCase();
    if (!param.constant.includes(value)) {
      const near = closestName(value, param.constant);
      ctx.error(arg, `${label} must be one of ${param.constant.map((u) => `'${u}'`).join(', ')}, got '${constant}'`, near ? `did you mean '${near}'?` : undefined);
      return undefined;
    }
    return { type: resolved, constant: value };
  }
  return { type: resolved, constant };
}

/** An integer literal (possibly negated) as a number, a string literal as a string. */
export function constantValue(e: Expr): string | number | undefined {
  if (e.k === 'literal' && e.lit.type === 'integer') return Number(e.lit.value);
  if (e.k === 'literal' && e.lit.type === 'string') return e.lit.value;
  if (e.k === 'unary' && e.op === '-' && e.arg.k === 'literal' && e.arg.lit.type === 'integer') return -Number(e.arg.lit.value);
  return undefined;
}

function argHint(kind: ParamKind, t: DataType, fn: string, def: FunctionDef): string {
  if ((kind === 'temporal' || kind === 'date' || kind === 'timestamp') && t === 'string') return "write DATE '2024-01-01', or convert with CAST(x AS date)";
  if (kind === 'timestamp' && t === 'date') return 'a date has no time of day; CAST(d AS timestamp) gives midnight';
  if (kind === 'integer' && isNumeric(t)) return 'CAST(x AS integer) truncates toward zero';
  if (kind === 'string') return 'convert it with CAST(x AS string)';
  if ((kind === 'numeric' || kind === 'double') && t === 'string') return 'convert it with CAST(x AS double), or TRY_CAST to get NULL for bad values';
  return `usage: ${formatSignature(fn, def)}`;
}

/** A literal strftime format with a code outside the portable table is refused where it is written. */
function checkDateFormat(ctx: CheckContext, arg: Expr): void {
  if (arg.k !== 'literal' || arg.lit.type !== 'string') return;
  const parsed = parseDateFormat(arg.lit.value);
  if ('error' in parsed) ctx.error(arg, `Format ${printStringLiteral(arg.lit.value)}: ${parsed.error}`, `the portable codes are ${STRFTIME_CODE_LIST} (write %% for a literal %)`);
}

/** Constructs RE2 (DuckDB, Go) lacks; refusing them keeps patterns portable across engines. */
function checkPattern(ctx: CheckContext, arg: Expr): void {
  if (arg.k !== 'literal' || arg.lit.type !== 'string') return;
  const p = arg.lit.value;
  if (/\(\?<?[=!]/.test(p)) ctx.error(arg, 'Lookahead and lookbehind are not portable', 'RE2 (used by DuckDB) does not support (?=…), (?!…), (?<=…) or (?<!…)');
  else if (/(^|[^\\])(\\\\)*\\[1-9]/.test(p)) ctx.error(arg, 'Backreferences are not portable', 'RE2 (used by DuckDB) does not support \\1 in patterns');
  else if (/\(\?>/.test(p)) ctx.error(arg, 'Atomic groups are not portable', 'RE2 (used by DuckDB) does not support (?>…)');
}

function resultType(ctx: CheckContext, e: Call, def: FunctionDef, infos: readonly ArgInfo[]): ExprType | undefined {
  const r = def.returns;
  if ('type' in r) return r.type;
  if ('sameAs' in r) {
    const index = def.params.findIndex((p) => p.name === r.sameAs);
    return infos[index]?.type;
  }
  if ('common' in r) {
    let common: ExprType = 'null';
    let ok = true;
    infos.forEach((info, index) => {
      const c = commonType(common, info.type);
      if (c === undefined) {
        ok = false;
        ctx.error(e.args[index] as Expr, `${e.fn}() arguments must have one type, but this is ${typeNoun(info.type)} and an earlier one is ${typeNoun(common)}`, 'CAST the arguments to a common type');
      } else {
        common = c;
      }
    });
    for (const a of e.args) ctx.contextualize(a, common);
    return ok ? common : undefined;
  }
  const out = r.compute(infos);
  if (typeof out === 'string') {
    e.args.forEach((a, index) => {
      if (paramAt(def, index).kind === 'any') ctx.contextualize(a, out);
    });
    return out;
  }
  ctx.error(out.arg !== undefined ? (e.args[out.arg] ?? e) : e, out.error);
  return undefined;
}
