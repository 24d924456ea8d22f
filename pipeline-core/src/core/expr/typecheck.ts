import { findColumn, isNumeric, isTemporal, type DataType, type Schema } from '../types/dataType.js';
import type { BinaryOp, Expr, Span } from './ast.js';
import { checkCall } from './checkCall.js';
import { diagnostic, type ExprDiagnostic } from './diagnostic.js';
import { FUNCTION_NAMES } from './functions.js';
import { isIntegerInRange, literalType, normalizeDateLiteral, normalizeTimestampLiteral } from './literals.js';
import { closestName, listNames } from './suggest.js';
import { arithmeticType, castAllowed, commonType, typeNoun, type ArithmeticOp, type ExprType } from './typeRules.js';

export interface TypeEnv {
  readonly columns: Schema;
  readonly params: Readonly<Record<string, DataType>>;
}

/**
 * The type of every well-typed node, keyed by node identity. A NULL literal gets the type its
 * context gives it (the other side of `+`, the parameter it is passed to…), so emitters can
 * write a typed NULL. Emitters need this map for constructs whose translation depends on types.
 * Because it is keyed by identity, a tree must not reuse one node object in two places (parsed
 * trees never do; code that builds trees should create a fresh NULL literal for each use).
 */
export type ExprTypes = ReadonlyMap<Expr, DataType>;

export interface TypecheckResult {
  /** The expression's type; undefined when it cannot be determined. */
  readonly type?: DataType;
  /** Every type error found (checking continues past errors, without cascading). */
  readonly errors: ExprDiagnostic[];
  readonly types: ExprTypes;
}

export function typecheckExpression(expr: Expr, env: TypeEnv): TypecheckResult {
  const checker = new Checker(env);
  const type = checker.check(expr);
  if (type === 'null') {
    checker.error(expr, 'The type of this NULL cannot be inferred', 'give it a type: CAST(NULL AS integer)');
  }
  const concrete = type === undefined || type === 'null' ? undefined : type;
  return concrete ? { type: concrete, errors: checker.errors, types: checker.types } : { errors: checker.errors, types: checker.types };
}

/** What checkCall needs from the checker. */
export interface CheckContext {
  check(e: Expr): ExprType | undefined;
  error(at: Expr | Span, message: string, hint?: string): void;
  /** Gives a NULL literal its type from context (a no-op for anything else). */
  contextualize(e: Expr, type: ExprType | undefined): void;
}

export function spanOf(at: Expr | Span): Span {
  if ('k' in at) return at.span ?? { start: 0, end: 0 };
  return at;
}

export function isNullLiteral(e: Expr): boolean {
  return e.k === 'literal' && e.lit.type === 'null';
}

const ARITHMETIC: ReadonlySet<BinaryOp> = new Set(['+', '-', '*', '/', '%']);
const COMPARISON: ReadonlySet<BinaryOp> = new Set(['=', '<>', '<', '<=', '>', '>=']);

class Checker implements CheckContext {
  readonly errors: ExprDiagnostic[] = [];
  readonly types = new Map<Expr, DataType>();

  constructor(private readonly env: TypeEnv) {}

  error(at: Expr | Span, message: string, hint?: string): void {
    const s = spanOf(at);
    this.errors.push(diagnostic(message, s.start, s.end, hint));
  }

  contextualize(e: Expr, type: ExprType | undefined): void {
    if (isNullLiteral(e) && type !== undefined && type !== 'null') this.types.set(e, type);
  }

  check(e: Expr): ExprType | undefined {
    const t = this.checkNode(e);
    if (t !== undefined && t !== 'null') this.types.set(e, t);
    return t;
  }

  private checkNode(e: Expr): ExprType | undefined {
    switch (e.k) {
      case 'column':
        return this.column(e);
      case 'param': {
        if (Object.hasOwn(this.env.params, e.name)) return this.env.params[e.name];
        const near = closestName(e.name, Object.keys(this.env.params));
        this.error(e, `Unknown parameter $${e.name}`, near ? `did you mean $${near}?` : "declare it in the pipeline's parameters");
        return undefined;
      }
      case 'literal':
        return this.literal(e);
      case 'unary':
        return this.unary(e);
      case 'binary':
        return this.binary(e);
      case 'in':
        return this.inList(e);
      case 'between': {
        const arg = this.check(e.arg);
        const low = this.check(e.low);
        const high = this.check(e.high);
        const common = this.unifyComparable(e.arg, arg, [[e.low, low], [e.high, high]], 'BETWEEN');
        for (const x of [e.arg, e.low, e.high]) this.contextualize(x, common);
        return 'boolean';
      }
      case 'like':
        for (const [x, what] of [[e.arg, 'the value'], [e.pattern, 'the pattern']] as const) {
          const t = this.check(x);
          this.contextualize(x, 'string');
          if (t !== undefined && t !== 'null' && t !== 'string') {
            this.error(x, `${e.caseInsensitive ? 'ILIKE' : 'LIKE'} needs strings, but ${what} is ${typeNoun(t)}`, 'convert it first: CAST(x AS string)');
          }
        }
        return 'boolean';
      case 'isnull':
        this.check(e.arg);
        return 'boolean';
      case 'case':
        return this.caseExpr(e);
      case 'cast': {
        const from = this.check(e.arg);
        if (from !== undefined && !castAllowed(from, e.type)) this.error(e, `Cannot CAST ${typeNoun(from)} to ${e.type}`, castHint(from, e.type));
        return e.type;
      }
      case 'call':
        return checkCall(this, e);
    }
  }

  private column(e: Extract<Expr, { k: 'column' }>): ExprType | undefined {
    const col = findColumn(this.env.columns, e.name);
    if (col) return col.type;
    const names = this.env.columns.map((c) => c.name);
    const sameButCase = names.find((n) => n.toLowerCase() === e.name.toLowerCase());
    const near = closestName(e.name, names);
    let hint: string;
    if (sameButCase) hint = `did you mean '${sameButCase}'? Column names are case-sensitive`;
    else if (near) hint = `did you mean '${near}'?`;
    else if (Object.hasOwn(this.env.params, e.name)) hint = `parameters are written with a dollar sign: $${e.name}`;
    else if ((FUNCTION_NAMES as readonly string[]).includes(e.name.toLowerCase())) hint = `${e.name.toLowerCase()} is a function: call it as ${e.name.toLowerCase()}(…)`;
    else if (/[^A-Za-z0-9_]/.test(e.name)) hint = `string values use single quotes: '${e.name}'; double quotes name a column`;
    else hint = names.length > 0 ? `the columns are ${listNames(names)}` : 'the input has no columns';
    this.error(e, `Unknown column '${e.name}'`, hint);
    return undefined;
  }

  private literal(e: Extract<Expr, { k: 'literal' }>): ExprType | undefined {
    const lit = e.lit;
    const valid =
      lit.type === 'integer' ? isIntegerInRange(lit.value)
        : lit.type === 'double' ? Number.isFinite(Number(lit.value)) && /^[0-9.]+[eE][+-]?\d+$/.test(lit.value)
          : lit.type === 'date' ? normalizeDateLiteral(lit.value) === lit.value
            : lit.type === 'timestamp' ? normalizeTimestampLiteral(lit.value) === lit.value
              : true;
    const type = literalType(lit);
    if (!valid || (lit.type === 'decimal' && !type)) {
      this.error(e, `Invalid ${lit.type} literal '${'value' in lit ? String(lit.value) : ''}'`);
      return undefined;
    }
    return type ?? 'null';
  }

  private unary(e: Extract<Expr, { k: 'unary' }>): ExprType | undefined {
    const t = this.check(e.arg);
    if (e.op === 'NOT') {
      this.contextualize(e.arg, 'boolean');
      if (t !== undefined && t !== 'null' && t !== 'boolean') this.error(e.arg, `NOT needs a boolean, but this is ${typeNoun(t)}`, booleanHint(t));
      return 'boolean';
    }
    if (t === undefined) return undefined;
    if (t !== 'null' && !isNumeric(t)) {
      this.error(e.arg, `Cannot negate ${typeNoun(t)}`, 'unary minus needs a number');
      return undefined;
    }
    this.contextualize(e.arg, 'integer');
    return t === 'null' ? 'integer' : t;
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): ExprType | undefined {
    const lt = this.check(e.left);
    const rt = this.check(e.right);
    if (e.op === 'AND' || e.op === 'OR') {
      for (const [x, t] of [[e.left, lt], [e.right, rt]] as const) {
        this.contextualize(x, 'boolean');
        if (t !== undefined && t !== 'null' && t !== 'boolean') this.error(x, `${e.op} needs boolean operands, but this is ${typeNoun(t)}`, booleanHint(t));
      }
      return 'boolean';
    }
    if (e.op === '||') {
      for (const [x, t] of [[e.left, lt], [e.right, rt]] as const) {
        this.contextualize(x, 'string');
        if (t !== undefined && t !== 'null' && t !== 'string') {
          this.error(x, `|| joins strings, but this is ${typeNoun(t)}`, 'convert it with CAST(x AS string), or use concat()');
        }
      }
      return 'string';
    }
    if (COMPARISON.has(e.op)) {
      const nullSide = [e.left, e.right].find(isNullLiteral);
      if (nullSide) {
        this.error(nullSide, `Comparing with NULL with ${e.op} always gives NULL`, e.op === '<>' ? 'use x IS NOT NULL' : 'use x IS NULL or x IS NOT NULL');
      } else if (lt !== undefined && rt !== undefined && commonType(lt, rt) === undefined) {
        this.error(e, `Cannot compare ${typeNoun(lt)} with ${typeNoun(rt)}`, compareHint(lt, rt, e.left, e.right));
      }
      return 'boolean';
    }
    if (ARITHMETIC.has(e.op)) return this.arithmetic(e, e.op as ArithmeticOp, lt, rt);
    return undefined;
  }

  private arithmetic(e: Extract<Expr, { k: 'binary' }>, op: ArithmeticOp, lt: ExprType | undefined, rt: ExprType | undefined): ExprType | undefined {
    const bad = ([[e.left, lt, rt], [e.right, rt, lt]] as const).filter(([, t]) => t !== undefined && t !== 'null' && !isNumeric(t));
    const [first, second] = bad;
    if (first && second) {
      this.error(e, `'${op}' needs numbers, but these are ${typeNoun(first[1] as DataType)} and ${typeNoun(second[1] as DataType)}`, arithmeticHint(op, first[1] as DataType, second[1]));
    } else if (first) {
      this.error(first[0], `'${op}' needs numbers, but this is ${typeNoun(first[1] as DataType)}`, arithmeticHint(op, first[1] as DataType, first[2]));
    }
    if (first || lt === undefined || rt === undefined) return undefined;
    if (lt === 'null' && rt === 'null') return op === '/' ? 'double' : 'null';
    this.contextualize(e.left, rt);
    this.contextualize(e.right, lt);
    const r = arithmeticType(op, lt === 'null' ? (rt as DataType) : lt, rt === 'null' ? (lt as DataType) : rt);
    if (typeof r === 'string') return r;
    this.error(e, r.error, r.hint);
    return undefined;
  }

  private inList(e: Extract<Expr, { k: 'in' }>): ExprType {
    const arg = this.check(e.arg);
    if (isNullLiteral(e.arg)) this.error(e.arg, 'Testing NULL with IN always gives NULL', 'use x IS NULL');
    const items = e.list.map((x) => [x, this.check(x)] as const);
    const common = this.unifyComparable(e.arg, arg, items, 'IN list');
    for (const x of [e.arg, ...e.list]) this.contextualize(x, common);
    return 'boolean';
  }

  /** Folds values into one comparable type, reporting each value that does not fit. */
  private unifyComparable(first: Expr, firstType: ExprType | undefined, rest: readonly (readonly [Expr, ExprType | undefined])[], what: string): ExprType | undefined {
    let common = firstType;
    for (const [x, t] of rest) {
      if (t === undefined) continue;
      if (common === undefined) {
        common = t;
        continue;
      }
      const c = commonType(common, t);
      if (c === undefined) this.error(x, `${what} value is ${typeNoun(t)}, but the tested value is ${typeNoun(common)}`, compareHint(common, t, first, x));
      else common = c;
    }
    return common;
  }

  private caseExpr(e: Extract<Expr, { k: 'case' }>): ExprType | undefined {
    const operand = e.operand ? this.check(e.operand) : undefined;
    for (const w of e.whens) {
      const wt = this.check(w.when);
      if (e.operand) {
        this.contextualize(w.when, operand);
        if (operand !== undefined && wt !== undefined && commonType(operand, wt) === undefined) {
          this.error(w.when, `WHEN value is ${typeNoun(wt)}, but the CASE value is ${typeNoun(operand)}`, compareHint(operand, wt, e.operand ?? w.when, w.when));
        }
      } else {
        this.contextualize(w.when, 'boolean');
        if (wt !== undefined && wt !== 'null' && wt !== 'boolean') {
          this.error(w.when, `WHEN needs a condition, but this is ${typeNoun(wt)}`, 'write WHEN x = value THEN …, or put the tested value after CASE: CASE x WHEN value THEN …');
        }
      }
    }
    const branches = [...e.whens.map((w) => w.then), ...(e.else ? [e.else] : [])];
    let result: ExprType = 'null';
    let failed = false;
    for (const b of branches) {
      const bt = this.check(b);
      if (bt === undefined) {
        failed = true;
        continue;
      }
      const c = commonType(result, bt);
      if (c === undefined) {
        failed = true;
        this.error(b, `CASE results must have one type, but this is ${typeNoun(bt)} and an earlier one is ${typeNoun(result)}`, 'CAST the results to a common type');
      } else {
        result = c;
      }
    }
    for (const b of branches) this.contextualize(b, result);
    return failed ? undefined : result;
  }
}

function booleanHint(t: ExprType): string {
  if (t === 'string') return "compare it, e.g. x = 'yes'";
  if (t !== 'null' && isNumeric(t)) return 'compare it, e.g. x <> 0';
  return 'use a comparison or a function that returns a boolean';
}

function arithmeticHint(op: ArithmeticOp, t: DataType, other: ExprType | undefined): string {
  if (t === 'string' && op === '+') return 'use || or concat() to join strings';
  if (t === 'string') return 'convert it with CAST(x AS double), or TRY_CAST to get NULL for bad values';
  if (isTemporal(t) && op === '-' && other !== undefined && other !== 'null' && isTemporal(other)) return "use date_diff('day', a, b) for the days between two dates";
  if (isTemporal(t) && (op === '+' || op === '-')) return 'use date_add(d, days) or add_months(d, months)';
  if (t === 'boolean') return 'convert it with CAST(x AS integer) (TRUE is 1)';
  return 'arithmetic needs numbers';
}

function compareHint(a: ExprType, b: ExprType, left: Expr, right: Expr): string {
  const stringSide = a === 'string' ? left : right;
  const other = a === 'string' ? b : a;
  if ((a === 'string' || b === 'string') && other !== 'null' && isTemporal(other)) {
    const lit = stringSide.k === 'literal' && stringSide.lit.type === 'string' ? stringSide.lit.value : undefined;
    const example = other === 'date' ? '2024-01-01' : '2024-01-01 00:00:00';
    return lit !== undefined
      ? `write ${other.toUpperCase()} '${lit}' for a ${other} literal`
      : `write ${other.toUpperCase()} '${example}' for a ${other} literal, or convert with CAST(x AS ${other})`;
  }
  if ((a === 'string' || b === 'string') && other !== 'null' && isNumeric(other)) {
    const lit = stringSide.k === 'literal' && stringSide.lit.type === 'string' ? stringSide.lit.value : undefined;
    if (lit !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(lit)) return `remove the quotes to write a number: ${lit.trim()}`;
    return 'strings and numbers do not mix implicitly: convert with CAST(x AS double) or TRY_CAST(x AS integer)';
  }
  if (a === 'boolean' || b === 'boolean') return 'booleans compare only with booleans (TRUE, FALSE)';
  return 'compare values of the same kind: numbers with numbers, strings with strings, dates with dates';
}

function castHint(from: ExprType, to: DataType): string {
  if (from !== 'null' && isTemporal(from) && isNumeric(to)) return 'use year(d), month(d), day(d) … to get numbers from a date';
  if (from !== 'null' && isNumeric(from) && isTemporal(to)) return 'use make_date(year, month, day) to build a date from numbers';
  if (from === 'boolean' || to === 'boolean') return 'booleans convert only to and from integer and string';
  return 'CAST converts between numbers, to and from string, between date and timestamp, and between boolean and integer';
}
