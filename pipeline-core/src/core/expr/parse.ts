import type { DataType } from '../types/dataType.js';
import type { BinaryOp, Expr, Span } from './ast.js';
import { diagnostic, type ExprDiagnostic } from './diagnostic.js';
import { lex, type Token } from './lexer.js';
import { decimalLiteralType, isIntegerInRange, normalizeDateLiteral, normalizeTimestampLiteral } from './literals.js';
import { ALL_TYPE_NAMES, checkedDecimal, DECIMAL_NAMES, LENGTH_TYPES, TYPE_ALIASES } from './sqlTypes.js';
import { closestName } from './suggest.js';

export type ParseResult =
  | { readonly ok: true; readonly expr: Expr }
  | { readonly ok: false; readonly errors: ExprDiagnostic[] };

/**
 * Parses one expression. Every node carries its source span. Lexical errors are all reported;
 * a syntax error stops the parse, so at most one syntax error is reported (the first).
 *
 * Precedence, loosest first: OR; AND; NOT; comparisons, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN,
 * [NOT] LIKE / ILIKE (these do not chain); ||; + -; * / %; unary minus.
 */
export function parseExpression(text: string): ParseResult {
  const lexed = lex(text);
  if (lexed.errors.length > 0) return { ok: false, errors: [...lexed.errors] };
  try {
    const parser = new Parser(lexed.tokens);
    const expr = parser.expression();
    parser.expectEnd();
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, errors: [e.diagnostic] };
    throw e;
  }
}

class ParseFailure extends Error {
  constructor(readonly diagnostic: ExprDiagnostic) {
    super(diagnostic.message);
  }
}

const COMPARISON_OPS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const NEGATABLE_PREDICATES: ReadonlySet<string> = new Set(['IN', 'BETWEEN', 'LIKE', 'ILIKE']);

function span(e: Expr): Span {
  return e.span ?? { start: 0, end: 0 };
}

function between(a: Span | Token, b: Span | Token): Span {
  return { start: a.start, end: b.end };
}

/** How a token is named in "found …" messages. */
export function describeToken(t: Token): string {
  const short = (s: string): string => (s.length > 20 ? `${s.slice(0, 20)}…` : s);
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'keyword':
      return t.value;
    case 'ident':
      return `name '${short(t.value)}'`;
    case 'qident':
      return `name "${short(t.value)}"`;
    case 'param':
      return `parameter $${t.value}`;
    case 'string':
      return `string '${short(t.value)}'`;
    case 'op':
      return `'${t.value}'`;
    default:
      return `number ${t.value}`;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Expr {
    return this.or();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'eof') return;
    let hint = 'is an operator (AND, OR, =, +, …) or a comma missing before it?';
    if (t.kind === 'op' && t.value === ')') hint = "there is no '(' for this ')' to close";
    else if (t.kind === 'op' && t.value === ',') hint = 'a filter or derived column is a single expression; combine conditions with AND';
    else if (t.kind === 'qident' || t.kind === 'ident') hint = `is an operator missing before ${describeToken(t)}? String values use single quotes`;
    this.fail(`Unexpected ${describeToken(t)} after the end of the expression`, t, hint);
  }

  // --- precedence levels -------------------------------------------------------------------

  private or(): Expr {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      left = binary('OR', left, this.and());
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      left = binary('AND', left, this.not());
    }
    return left;
  }

  private not(): Expr {
    if (!this.isKeyword('NOT')) return this.comparison();
    const t = this.next();
    const arg = this.not();
    return { k: 'unary', op: 'NOT', arg, span: between(t, span(arg)) };
  }

  private comparison(): Expr {
    const left = this.concat();
    const result = this.predicateTail(left);
    if (result !== left && this.startsPredicate()) {
      this.fail(`Comparisons cannot be chained: unexpected ${describeToken(this.peek())}`, this.peek(),
        'add parentheses, e.g. (a = b) = c, or combine the conditions with AND');
    }
    return result;
  }

  private startsPredicate(): boolean {
    const t = this.peek();
    if (t.kind === 'op') return COMPARISON_OPS.has(t.value);
    if (t.kind !== 'keyword') return false;
    return t.value === 'IS' || t.value === 'NOT' || NEGATABLE_PREDICATES.has(t.value);
  }

  private predicateTail(left: Expr): Expr {
    const t = this.peek();
    if (t.kind === 'op' && COMPARISON_OPS.has(t.value)) {
      this.next();
      return binary(t.value as BinaryOp, left, this.operand(t));
    }
    if (t.kind !== 'keyword') return left;
    if (t.value === 'IS') {
      this.next();
      const negated = this.isKeyword('NOT');
      if (negated) this.next();
      const n = this.peek();
      if (!this.isKeyword('NULL')) {
        this.fail(`Expected NULL after ${negated ? 'IS NOT' : 'IS'} but found ${describeToken(n)}`, n,
          'IS only tests for NULL (x IS NULL, x IS NOT NULL); compare values with = or <>');
      }
      this.next();
      return { k: 'isnull', arg: left, negated, span: between(span(left), n) };
    }
    let negated = false;
    if (t.value === 'NOT') {
      const after = this.peek(1);
      if (after.kind !== 'keyword' || !NEGATABLE_PREDICATES.has(after.value)) {
        this.fail(`Expected IN, BETWEEN, LIKE or ILIKE after NOT but found ${describeToken(after)}`, after,
          'to negate a condition put NOT in front of it: NOT (a = b)');
      }
      this.next();
      negated = true;
    }
    const kw = this.peek();
    if (kw.kind !== 'keyword' || !NEGATABLE_PREDICATES.has(kw.value)) return left;
    this.next();
    if (kw.value === 'IN') return this.inList(left, negated);
    if (kw.value === 'BETWEEN') {
      const low = this.operand(kw);
      const and = this.peek();
      if (!this.isKeyword('AND')) {
        this.fail(`Expected AND in BETWEEN but found ${describeToken(and)}`, and, 'write x BETWEEN low AND high');
      }
      this.next();
      const high = this.operand(and);
      return { k: 'between', arg: left, low, high, negated, span: between(span(left), span(high)) };
    }
    const pattern = this.operand(kw);
    return { k: 'like', arg: left, pattern, negated, caseInsensitive: kw.value === 'ILIKE', span: between(span(left), span(pattern)) };
  }

  private inList(left: Expr, negated: boolean): Expr {
    const open = this.peek();
    if (!this.isOp('(')) this.fail(`Expected '(' after IN but found ${describeToken(open)}`, open, 'write IN (1, 2, 3)');
    this.next();
    if (this.isOp(')')) this.fail('IN needs at least one value', between(open, this.peek()), 'write IN (1, 2, 3)');
    const list: Expr[] = [this.expression()];
    while (this.isOp(',')) {
      this.next();
      list.push(this.expression());
    }
    const close = this.expectClose(open, 'in the IN list', true);
    return { k: 'in', arg: left, list, negated, span: between(span(left), close) };
  }

  /** The right side of a comparison-level operator: binds tighter than AND, so BETWEEN a AND b works. */
  private operand(after: Token): Expr {
    return this.concat(after);
  }

  private concat(after?: Token): Expr {
    let left = this.additive(after);
    while (this.isOp('||')) {
      const op = this.next();
      left = binary('||', left, this.additive(op));
    }
    return left;
  }

  private additive(after?: Token): Expr {
    let left = this.multiplicative(after);
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      left = binary(op.value as BinaryOp, left, this.multiplicative(op));
    }
    return left;
  }

  private multiplicative(after?: Token): Expr {
    let left = this.unary(after);
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next();
      left = binary(op.value as BinaryOp, left, this.unary(op));
    }
    return left;
  }

  private unary(after?: Token): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next();
      const arg = this.unary(op);
      if (op.value === '+') return { ...arg, span: between(op, span(arg)) };
      return { k: 'unary', op: '-', arg, span: between(op, span(arg)) };
    }
    return this.primary(after);
  }

  // --- primaries -----------------------------------------------------------------------------

  private primary(after?: Token): Expr {
    const t = this.peek();
    const s = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'integer':
        this.next();
        if (!isIntegerInRange(t.value)) {
          this.fail(`Integer ${t.value} is out of the 64-bit range`, t, `write it as a decimal (${t.value}.0) or a double (${t.value}e0)`);
        }
        return { k: 'literal', lit: { type: 'integer', value: t.value }, span: s };
      case 'decimal':
        this.next();
        if (!decimalLiteralType(t.value)) {
          this.fail(`Decimal ${t.value} has more than 38 digits`, t, 'use exponent notation for a double, e.g. 1.5e40');
        }
        return { k: 'literal', lit: { type: 'decimal', value: t.value }, span: s };
      case 'double':
        this.next();
        if (!Number.isFinite(Number(t.value))) this.fail(`Number ${t.value} is too large for a double`, t);
        return { k: 'literal', lit: { type: 'double', value: t.value }, span: s };
      case 'string':
        this.next();
        return { k: 'literal', lit: { type: 'string', value: t.value }, span: s };
      case 'param':
        this.next();
        return { k: 'param', name: t.value, span: s };
      case 'qident':
        this.next();
        return { k: 'column', name: t.value, span: s };
      case 'ident':
        this.next();
        if (this.isOp('(')) return this.call(t, t.value);
        return { k: 'column', name: t.value, span: s };
      case 'keyword':
        return this.keywordPrimary(t, after);
      case 'op':
        if (t.value === '(') return this.parenthesized();
        break;
      default:
        break;
    }
    return this.expectedExpression(t, after);
  }

  private keywordPrimary(t: Token, after?: Token): Expr {
    const s = { start: t.start, end: t.end };
    switch (t.value) {
      case 'NULL':
        this.next();
        return { k: 'literal', lit: { type: 'null' }, span: s };
      case 'TRUE':
      case 'FALSE':
        this.next();
        return { k: 'literal', lit: { type: 'boolean', value: t.value === 'TRUE' }, span: s };
      case 'DATE':
      case 'TIMESTAMP':
        return this.typedLiteralOrName(t);
      case 'CASE':
        return this.caseExpr();
      case 'CAST':
      case 'TRY_CAST':
        return this.cast();
      default:
        return this.expectedExpression(t, after);
    }
  }

  /** DATE '…' and TIMESTAMP '…' are literals; otherwise the words are ordinary names (a column "date"). */
  private typedLiteralOrName(t: Token): Expr {
    this.next();
    const str = this.peek();
    const original = t.value.toLowerCase();
    if (str.kind !== 'string') {
      if (this.isOp('(')) return this.call(t, original);
      return { k: 'column', name: original, span: { start: t.start, end: t.end } };
    }
    this.next();
    const s = between(t, str);
    if (t.value === 'DATE') {
      const value = normalizeDateLiteral(str.value);
      if (!value) this.fail(`Invalid DATE literal '${str.value}'`, str, "dates are written DATE 'YYYY-MM-DD' with a real calendar day, e.g. DATE '2026-11-25'");
      return { k: 'literal', lit: { type: 'date', value }, span: s };
    }
    const value = normalizeTimestampLiteral(str.value);
    if (!value) {
      this.fail(`Invalid TIMESTAMP literal '${str.value}'`, str,
        "timestamps are UTC and written TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.ffffff]' (a trailing Z is allowed; other offsets are not)");
    }
    return { k: 'literal', lit: { type: 'timestamp', value }, span: s };
  }

  private parenthesized(): Expr {
    const open = this.next();
    const inner = this.expression();
    const close = this.expectClose(open, '', false);
    return { ...inner, span: between(open, close) };
  }

  private call(nameToken: Token, name: string): Expr {
    const open = this.next();
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.expression());
      while (this.isOp(',')) {
        this.next();
        args.push(this.expression());
      }
    }
    const close = this.expectClose(open, `in the arguments of ${name}()`, true);
    return { k: 'call', fn: name.toLowerCase(), args, span: between(nameToken, close) };
  }

  private caseExpr(): Expr {
    const start = this.next();
    const operand = this.isKeyword('WHEN') ? undefined : this.expression();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.isKeyword('WHEN')) {
      this.next();
      const when = this.expression();
      const thenTok = this.peek();
      if (!this.isKeyword('THEN')) this.fail(`Expected THEN but found ${describeToken(thenTok)}`, thenTok, 'write WHEN condition THEN value');
      this.next();
      whens.push({ when, then: this.expression() });
    }
    if (whens.length === 0) {
      const t = this.peek();
      this.fail(`Expected WHEN in CASE but found ${describeToken(t)}`, t, 'write CASE WHEN condition THEN value [ELSE value] END');
    }
    let elseExpr: Expr | undefined;
    if (this.isKeyword('ELSE')) {
      this.next();
      elseExpr = this.expression();
    }
    const end = this.peek();
    if (!this.isKeyword('END')) {
      this.fail(`Expected ${elseExpr ? 'END' : 'WHEN, ELSE or END'} but found ${describeToken(end)}`, end,
        `close the CASE that starts at position ${start.start + 1} with END`);
    }
    this.next();
    const s = between(start, end);
    if (operand) return elseExpr ? { k: 'case', operand, whens, else: elseExpr, span: s } : { k: 'case', operand, whens, span: s };
    return elseExpr ? { k: 'case', whens, else: elseExpr, span: s } : { k: 'case', whens, span: s };
  }

  private cast(): Expr {
    const kw = this.next();
    const open = this.peek();
    if (!this.isOp('(')) this.fail(`Expected '(' after ${kw.value} but found ${describeToken(open)}`, open, `write ${kw.value}(x AS type)`);
    this.next();
    const arg = this.expression();
    const as = this.peek();
    if (!this.isKeyword('AS')) this.fail(`Expected AS in ${kw.value} but found ${describeToken(as)}`, as, `write ${kw.value}(x AS type)`);
    this.next();
    const type = this.typeName();
    const close = this.expectClose(open, `in ${kw.value}`, false);
    return { k: 'cast', arg, type, safe: kw.value === 'TRY_CAST', span: between(kw, close) };
  }

  private typeName(): DataType {
    const t = this.peek();
    const typesHint = 'types are STRING, INTEGER, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE and TIMESTAMP';
    if (t.kind !== 'ident' && t.kind !== 'keyword') this.fail(`Expected a type name after AS but found ${describeToken(t)}`, t, typesHint);
    this.next();
    const name = t.value.toUpperCase();
    if (DECIMAL_NAMES.has(name)) return this.decimalType(t);
    const type = TYPE_ALIASES[name];
    if (!type) {
      const near = closestName(name, ALL_TYPE_NAMES);
      this.fail(`Unknown type '${t.value}'`, t, near ? `did you mean ${near}? ${typesHint}` : typesHint);
    }
    if (name === 'DOUBLE' && this.peek().kind === 'ident' && this.peek().value.toUpperCase() === 'PRECISION') this.next();
    if (LENGTH_TYPES.has(name) && this.isOp('(')) {
      const open = this.next();
      this.integerToken(`a length for ${name}`);
      this.expectClose(open, `in ${name}(n)`, false);
    }
    return type;
  }

  private decimalType(nameToken: Token): DataType {
    const open = this.peek();
    if (!this.isOp('(')) {
      this.fail(`${nameToken.value.toUpperCase()} needs a precision and scale`, nameToken, 'write DECIMAL(p,s), e.g. DECIMAL(18,2): there is no portable default');
    }
    this.next();
    const precision = this.integerToken('the DECIMAL precision');
    let scale = 0;
    if (this.isOp(',')) {
      this.next();
      scale = this.integerToken('the DECIMAL scale');
    }
    const close = this.expectClose(open, 'in DECIMAL(p,s)', true);
    const checked = checkedDecimal(precision, scale);
    if ('error' in checked) this.fail(checked.error, between(nameToken, close), 'precision is 1-38 and scale is 0-precision');
    return checked.type;
  }

  private integerToken(what: string): number {
    const t = this.peek();
    if (t.kind !== 'integer') this.fail(`Expected ${what} but found ${describeToken(t)}`, t);
    this.next();
    return Number(t.value);
  }

  // --- helpers -------------------------------------------------------------------------------

  private expectClose(open: Token, where: string, commaAllowed: boolean): Token {
    const t = this.peek();
    if (this.isOp(')')) return this.next();
    const expected = commaAllowed ? "',' or ')'" : "')'";
    const context = where ? ` ${where}` : '';
    this.fail(`Expected ${expected}${context} but found ${describeToken(t)}`, t, `add ')' to close the '(' at position ${open.start + 1}`);
  }

  private expectedExpression(t: Token, after?: Token): never {
    const prev = after ?? this.tokens[this.pos - 1];
    const context = prev ? ` after ${describeToken(prev)}` : '';
    let hint: string | undefined;
    if (t.kind === 'eof') hint = 'the expression is incomplete';
    else if (t.kind === 'keyword' && t.value === 'NOT') hint = 'put NOT in parentheses here: (NOT x)';
    else if (t.kind === 'keyword') hint = `${t.value} is a reserved word; to use it as a column name, quote it: "${t.value.toLowerCase()}"`;
    else if (t.kind === 'op' && t.value === ',') hint = 'is there an extra comma?';
    else if (t.kind === 'op' && t.value === ')') hint = prev?.kind === 'op' && prev.value === ',' ? 'remove the trailing comma' : 'something is missing before the closing parenthesis';
    else if (t.kind === 'op' && t.value === '*') hint = '* (all columns) is not an expression';
    if (prev?.kind === 'keyword' && t.kind === 'op' && t.value !== '(') {
      hint = `${prev.value} is a reserved word; to use it as a column name, quote it: "${prev.value.toLowerCase()}"`;
    }
    this.fail(`Expected an expression${context} but found ${describeToken(t)}`, t, hint);
  }

  private fail(message: string, at: Span | Token, hint?: string): never {
    throw new ParseFailure(diagnostic(message, at.start, at.end, hint));
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isKeyword(value: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.value === value;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { k: 'binary', op, left, right, span: between(span(left), span(right)) };
}
