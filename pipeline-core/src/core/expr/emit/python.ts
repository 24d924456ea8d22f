import { regexProblem, translateRegex } from '../regexDialect.js';
import { isDecimal, type DataType } from '../../types/dataType.js';
import type { Expr, LiteralValue } from '../ast.js';
import { emitWithDialect, type BinaryEmitter, type Dialect, type EmitArg, type EmitContext, type EmitOptions, type FunctionEmitter, type FunctionEmitterTable } from './emitter.js';

/**
 * Python for an expression, as used by the Beam export: code over a row dict `r` (columns as
 * `r["name"]`) and the parameters `P` (`P["run_date"]`). Python's own operators differ from the
 * portable semantics (None is not NULL-propagating, `//` and `%` floor, `round` is banker's,
 * `$` matches before a final newline…), so every operator and function becomes a call to a
 * helper in the exported runtime module (`bb_runtime.py`, imported as `bb`) that implements the
 * semantics of docs/expression-language.md; only `IS [NOT] NULL` and CASE are plain Python.
 * Constructs Python cannot run faithfully throw PythonUnsupported (the exporter refuses them).
 */
export class PythonUnsupported extends Error {}

/** A Python string literal (JSON's escapes are Python's). */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

export const PY_ROW = 'r';
export const PY_PARAMS = 'P';

export function pythonLiteral(lit: LiteralValue): string {
  switch (lit.type) {
    case 'null':
      return 'None';
    case 'boolean':
      return lit.value ? 'True' : 'False';
    case 'integer':
      return BigInt(lit.value).toString(); // Python 3 refuses leading zeros in int literals
    case 'decimal':
      return `bb.D(${pythonString(lit.value)})`;
    case 'double':
      return /^[0-9]*\.?[0-9]*[eE][+-]?[0-9]+$/.test(lit.value) && /[0-9]/.test(lit.value.split(/[eE]/)[0] ?? '') ? lit.value : `float(${pythonString(lit.value)})`;
    case 'string':
      return pythonString(lit.value);
    case 'date':
      return `bb.date(${pythonString(lit.value)})`;
    case 'timestamp':
      return `bb.ts(${pythonString(lit.value)})`;
  }
}

/**
 * What keeps a spec (RE2) pattern from an exact Python `re` form (regexDialect.ts), or undefined;
 * such a pattern is refused rather than silently matching something else.
 */
export function pythonRegexProblem(pattern: string): string | undefined {
  return regexProblem(pattern, 'python');
}

function literalString(a: EmitArg | undefined): string | undefined {
  return a?.expr.k === 'literal' && a.expr.lit.type === 'string' ? a.expr.lit.value : undefined;
}

function checkedPattern(a: EmitArg | undefined): string {
  const p = literalString(a);
  const problem = p === undefined ? undefined : pythonRegexProblem(p);
  if (problem) throw new PythonUnsupported(`a regular expression with ${problem}`);
  return p === undefined ? (a?.code ?? 'None') : pythonString(translateRegex(p, 'python'));
}

const helper = (name: string): FunctionEmitter => (args) => `bb.${name}(${args.map((a) => a.code).join(', ')})`;

/** Numeric and temporal values of a common type: widen the arguments whose type differs. */
function widened(args: readonly EmitArg[], type: DataType | undefined): string[] {
  const widen = type !== undefined && (type === 'double' || type === 'timestamp' || isDecimal(type));
  return args.map((a) => (widen && a.type !== undefined && a.type !== type ? `bb.as_type(${a.code}, ${pythonString(type)})` : a.code));
}

const common = (name: string): FunctionEmitter => (args, ctx) => `bb.${name}(${widened(args, ctx.type).join(', ')})`;

const FUNCTIONS: FunctionEmitterTable = {
  lower: helper('lower'),
  upper: helper('upper'),
  trim: helper('trim'),
  ltrim: helper('ltrim'),
  rtrim: helper('rtrim'),
  length: helper('length'),
  substr: helper('substr'),
  replace: helper('replace'),
  concat: helper('concat'),
  left: helper('left'),
  right: helper('right'),
  lpad: helper('lpad'),
  rpad: helper('rpad'),
  starts_with: helper('starts_with'),
  ends_with: helper('ends_with'),
  contains: helper('contains'),
  regexp_matches: ([s, p]) => `bb.regexp_matches(${s?.code}, ${checkedPattern(p)})`,
  regexp_replace: ([s, p, r]) => `bb.regexp_replace(${s?.code}, ${checkedPattern(p)}, ${r?.code})`,
  regexp_extract: ([s, p, g]) => `bb.regexp_extract(${s?.code}, ${checkedPattern(p)}${g ? `, ${g.code}` : ''})`,
  split_part: helper('split_part'),

  abs: helper('abs_'),
  round: helper('round_'),
  floor: helper('floor'),
  ceil: helper('ceil'),
  sign: helper('sign'),
  power: helper('power'),
  sqrt: helper('sqrt'),
  ln: helper('ln'),
  exp: helper('exp'),
  mod: helper('mod'),
  greatest: common('greatest'),
  least: common('least'),

  year: helper('year'),
  quarter: helper('quarter'),
  month: helper('month'),
  day: helper('day'),
  day_of_week: helper('day_of_week'),
  day_of_year: helper('day_of_year'),
  hour: helper('hour'),
  minute: helper('minute'),
  date_trunc: helper('date_trunc'),
  date_add: helper('date_add'),
  add_months: helper('add_months'),
  date_diff: helper('date_diff'),
  strftime: helper('strftime'),
  last_day: helper('last_day'),
  to_date: helper('to_date'),
  make_date: helper('make_date'),

  coalesce: common('coalesce'),
  nullif: helper('nullif'),
};

const call = (name: string): BinaryEmitter => (l, r) => `bb.${name}(${l.code}, ${r.code})`;

/** AND / OR chains read as one call: bb.and_(a, b, c). */
function logical(name: 'and_' | 'or_'): BinaryEmitter {
  const prefix = `bb.${name}(`;
  const flat = (a: EmitArg, op: 'AND' | 'OR') => (a.expr.k === 'binary' && a.expr.op === op && a.code.startsWith(prefix) ? a.code.slice(prefix.length, -1) : a.code);
  const op = name === 'and_' ? 'AND' : 'OR';
  return (l, r) => `${prefix}${flat(l, op)}, ${flat(r, op)})`;
}

function negatedLiteral(arg: EmitArg): string | undefined {
  const e = arg.expr;
  if (e.k !== 'literal') return undefined;
  if (e.lit.type === 'integer') return `(-${BigInt(e.lit.value).toString()})`;
  if (e.lit.type === 'decimal') return `bb.D(${pythonString(`-${e.lit.value}`)})`;
  if (e.lit.type === 'double') return `float(${pythonString(`-${e.lit.value}`)})`;
  return undefined;
}

function caseExpr(operand: EmitArg | undefined, whens: readonly { when: EmitArg; then: EmitArg }[], otherwise: EmitArg | undefined, ctx: EmitContext): string {
  const [thens, other] = ((): [string[], string] => {
    const all = widened([...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])], ctx.type);
    return [all.slice(0, whens.length), otherwise ? all[whens.length]! : 'None'];
  })();
  // SQL evaluates only the branch taken: a conditional expression does the same
  const test = (w: EmitArg) => (operand ? `bb.true(bb.eq(o, ${w.code}))` : `bb.true(${w.code})`);
  const chain = whens.reduceRight((rest, w, i) => `${thens[i]} if ${test(w.when)} else ${rest}`, other);
  return operand ? `(lambda o: (${chain}))(${operand.code})` : `(${chain})`;
}

const PYTHON: Dialect = {
  name: 'python',
  column: (name) => `${PY_ROW}[${pythonString(name)}]`,
  param: (name) => `${PY_PARAMS}[${pythonString(name)}]`,
  literal: (lit) => pythonLiteral(lit),
  unary: (op, arg) => (op === 'NOT' ? `bb.not_(${arg.code})` : (negatedLiteral(arg) ?? `bb.neg(${arg.code})`)),
  binary: {
    '+': call('add'),
    '-': call('sub'),
    '*': call('mul'),
    '/': call('div'),
    '%': call('mod'),
    '||': call('concat2'),
    '=': call('eq'),
    '<>': call('ne'),
    '<': call('lt'),
    '<=': call('le'),
    '>': call('gt'),
    '>=': call('ge'),
    AND: logical('and_'),
    OR: logical('or_'),
  },
  inList: (arg, list, negated) => {
    const code = `bb.in_(${arg.code}, [${list.map((x) => x.code).join(', ')}])`;
    return negated ? `bb.not_(${code})` : code;
  },
  between: (arg, low, high, negated) => {
    const code = `bb.between(${arg.code}, ${low.code}, ${high.code})`;
    return negated ? `bb.not_(${code})` : code;
  },
  like: (arg, pattern, negated, ci) => {
    const code = `bb.like(${arg.code}, ${pattern.code}${ci ? ', True' : ''})`;
    return negated ? `bb.not_(${code})` : code;
  },
  isNull: (arg, negated) => `(${arg.code} is ${negated ? 'not None' : 'None'})`,
  caseExpr,
  cast: (arg, to, safe) => {
    if (arg.expr.k === 'literal' && arg.expr.lit.type === 'null') return 'None';
    return `bb.cast(${arg.code}, ${pythonString(to)}${safe ? ', True' : ''})`;
  },
  functions: FUNCTIONS,
};

/**
 * Python code for an expression. With `types`, a numeric result is pinned to its logical type
 * (a decimal gets its exact scale, a double is a float) as the SQL engines' result types are.
 */
export function emitPython(expr: Expr, opts: EmitOptions = {}): string {
  const code = emitWithDialect(PYTHON, expr, opts);
  const type = opts.types?.get(expr);
  const trivial = expr.k === 'cast' || expr.k === 'column' || expr.k === 'param' || expr.k === 'literal';
  const pin = type !== undefined && (type === 'double' || isDecimal(type));
  return pin && !trivial ? `bb.as_type(${code}, ${pythonString(type)})` : code;
}
