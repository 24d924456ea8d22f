import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { stripSpans } from './walk.js';

function parsed(text: string): Expr {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.errors)}`);
  return r.expr;
}

function tree(text: string): Expr {
  return stripSpans(parsed(text));
}

/** Fully parenthesised rendering, to make precedence visible in assertions. */
function shape(e: Expr): string {
  switch (e.k) {
    case 'column':
      return e.name;
    case 'param':
      return `$${e.name}`;
    case 'literal':
      return 'value' in e.lit ? String(e.lit.value) : 'NULL';
    case 'unary':
      return `(${e.op} ${shape(e.arg)})`;
    case 'binary':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'in':
      return `(${shape(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} [${e.list.map(shape).join(', ')}])`;
    case 'between':
      return `(${shape(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${shape(e.low)} ${shape(e.high)})`;
    case 'like':
      return `(${shape(e.arg)} ${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${shape(e.pattern)})`;
    case 'isnull':
      return `(${shape(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'case':
      return `case(${e.operand ? shape(e.operand) : ''}; ${e.whens.map((w) => `${shape(w.when)}→${shape(w.then)}`).join('; ')}; ${e.else ? shape(e.else) : ''})`;
    case 'cast':
      return `${e.safe ? 'try_cast' : 'cast'}(${shape(e.arg)} ${e.type})`;
    case 'call':
      return `${e.fn}(${e.args.map(shape).join(', ')})`;
  }
}

function errorsOf(text: string): readonly { message: string; start: number; end: number; hint?: string }[] {
  const r = parseExpression(text);
  if (r.ok) throw new Error(`expected a parse error for ${text}`);
  return r.errors;
}

describe('parseExpression: precedence', () => {
  it.each([
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b % c', '((a / b) % c)'],
    ['-a * b', '((- a) * b)'],
    ['- -a', '(- (- a))'],
    ['a || b + c', '(a || (b + c))'],
    ['a || b = c', '((a || b) = c)'],
    ['a = b AND c = d OR e', '(((a = b) AND (c = d)) OR e)'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['a BETWEEN 1 AND 2 AND b', '((a BETWEEN 1 2) AND b)'],
    ['a NOT BETWEEN b + 1 AND c * 2', '(a NOT BETWEEN (b + 1) (c * 2))'],
    ['a + 1 IS NOT NULL', '((a + 1) IS NOT NULL)'],
    ['NOT a IS NULL', '(NOT (a IS NULL))'],
    ['a NOT IN (1, 2 + 3)', '(a NOT IN [1, (2 + 3)])'],
    ["a || 'x' LIKE 'a%'", '((a || x) LIKE a%)'],
    ["a NOT ILIKE 'x'", '(a NOT ILIKE x)'],
    ['(a OR b) AND c', '((a OR b) AND c)'],
    ['a != b', '(a <> b)'],
    ['+a', 'a'],
  ])('%s', (text, expected) => {
    expect(shape(parsed(text))).toBe(expected);
  });

  it('parses CASE in both forms, CAST with SQL type aliases, calls and parameters', () => {
    expect(shape(parsed("CASE WHEN x > 1 THEN 'big' ELSE 'small' END"))).toBe('case(; (x > 1)→big; small)');
    expect(shape(parsed("case status when 'A' then 1 when 'B' then 2 end"))).toBe('case(status; A→1; B→2; )');
    expect(shape(parsed('CAST(a AS VARCHAR)'))).toBe('cast(a string)');
    expect(shape(parsed('try_cast(a as bigint)'))).toBe('try_cast(a integer)');
    expect(shape(parsed('CAST(a AS Numeric(12, 2))'))).toBe('cast(a decimal(12,2))');
    expect(shape(parsed('CAST(a AS DOUBLE PRECISION)'))).toBe('cast(a double)');
    expect(shape(parsed('CAST(a AS varchar(20))'))).toBe('cast(a string)');
    expect(shape(parsed('CAST(a AS timestamp)'))).toBe('cast(a timestamp)');
    expect(shape(parsed('COALESCE(a, $run_date, Upper(b))'))).toBe('coalesce(a, $run_date, upper(b))');
  });

  it('keeps column names as written, unescapes quoted names and strings', () => {
    expect(tree('"Order Total" + "a""b"')).toEqual({
      k: 'binary', op: '+', left: { k: 'column', name: 'Order Total' }, right: { k: 'column', name: 'a"b' },
    });
    expect(tree("'it''s'")).toEqual({ k: 'literal', lit: { type: 'string', value: "it's" } });
    expect(tree('Amount')).toEqual({ k: 'column', name: 'Amount' });
  });

  it('classifies numbers and normalises typed literals', () => {
    expect(tree('12')).toEqual({ k: 'literal', lit: { type: 'integer', value: '12' } });
    expect(tree('12.50')).toEqual({ k: 'literal', lit: { type: 'decimal', value: '12.50' } });
    expect(tree('.5')).toEqual({ k: 'literal', lit: { type: 'decimal', value: '.5' } });
    expect(tree('1e3')).toEqual({ k: 'literal', lit: { type: 'double', value: '1e3' } });
    expect(tree('2.5E-3')).toEqual({ k: 'literal', lit: { type: 'double', value: '2.5E-3' } });
    expect(tree("date '2024-02-29'")).toEqual({ k: 'literal', lit: { type: 'date', value: '2024-02-29' } });
    expect(tree("TIMESTAMP '2026-11-25T10:00Z'")).toEqual({ k: 'literal', lit: { type: 'timestamp', value: '2026-11-25 10:00:00' } });
    expect(tree("TIMESTAMP '2026-11-25'")).toEqual({ k: 'literal', lit: { type: 'timestamp', value: '2026-11-25 00:00:00' } });
    expect(tree('NULL')).toEqual({ k: 'literal', lit: { type: 'null' } });
    expect(tree('true AND False')).toEqual({
      k: 'binary', op: 'AND',
      left: { k: 'literal', lit: { type: 'boolean', value: true } },
      right: { k: 'literal', lit: { type: 'boolean', value: false } },
    });
  });

  it('reads date and timestamp as names when no string follows', () => {
    expect(tree('date > DATE \'2024-01-01\'')).toEqual({
      k: 'binary', op: '>', left: { k: 'column', name: 'date' }, right: { k: 'literal', lit: { type: 'date', value: '2024-01-01' } },
    });
    expect(tree('date(ts)')).toEqual({ k: 'call', fn: 'date', args: [{ k: 'column', name: 'ts' }] });
  });

  it('skips comments', () => {
    expect(shape(parsed('a + /* note */ b -- trailing'))).toBe('(a + b)');
  });

  it('records spans, widening parenthesised expressions to include the parentheses', () => {
    const e = parsed('(a + b) * foo(c)');
    expect(e.span).toEqual({ start: 0, end: 16 });
    if (e.k !== 'binary') throw new Error('expected binary');
    expect(e.left.span).toEqual({ start: 0, end: 7 });
    expect(e.right.span).toEqual({ start: 10, end: 16 });
    const lit = parsed("x = DATE '2024-01-01'");
    if (lit.k !== 'binary') throw new Error('expected binary');
    expect(lit.right.span).toEqual({ start: 4, end: 21 });
  });
});

describe('parseExpression: errors', () => {
  it('reports an unclosed string from the quote to the end', () => {
    const [e] = errorsOf("name = 'abc");
    expect(e).toMatchObject({ message: 'Unclosed string literal', start: 7, end: 11 });
    expect(e?.hint).toContain("''");
  });

  it('reports every lexical error', () => {
    const errs = errorsOf('a == b && c');
    expect(errs.map((e) => [e.message, e.start, e.end, e.hint])).toEqual([
      ["Unknown operator '=='", 2, 4, "use '=' to compare values"],
      ["Unknown operator '&&'", 7, 9, 'use AND'],
    ]);
  });

  it('names the unexpected character', () => {
    expect(errorsOf('a # b')[0]).toMatchObject({ message: "Unexpected character '#'", start: 2, end: 3 });
    expect(errorsOf('t.amount')[0]).toMatchObject({ message: "Unexpected character '.'", start: 1, end: 2 });
    expect(errorsOf('x::int')[0]?.hint).toContain('CAST(x AS type)');
  });

  it("reports a missing ')' at the token found, naming it", () => {
    const [e] = errorsOf('(a + b');
    expect(e).toMatchObject({ message: "Expected ')' but found end of input", start: 6, end: 6 });
    expect(e?.hint).toBe("add ')' to close the '(' at position 1");
    expect(errorsOf('lower(a b)')[0]).toMatchObject({ message: "Expected ',' or ')' in the arguments of lower() but found name 'b'", start: 8, end: 9 });
  });

  it('reports a dangling operator', () => {
    expect(errorsOf('a +')[0]).toMatchObject({ message: "Expected an expression after '+' but found end of input", start: 3, end: 3 });
    expect(errorsOf('a AND OR b')[0]).toMatchObject({ message: 'Expected an expression after AND but found OR', start: 6, end: 8 });
  });

  it('reports trailing tokens', () => {
    expect(errorsOf('a b')[0]).toMatchObject({ message: "Unexpected name 'b' after the end of the expression", start: 2, end: 3 });
    expect(errorsOf('a)')[0]).toMatchObject({ start: 1, end: 2, hint: "there is no '(' for this ')' to close" });
  });

  it('refuses chained comparisons', () => {
    expect(errorsOf('a < b < c')[0]).toMatchObject({ message: "Comparisons cannot be chained: unexpected '<'", start: 6, end: 7 });
  });

  it('explains IS, IN, BETWEEN and NOT misuse', () => {
    expect(errorsOf('a IS 3')[0]).toMatchObject({ message: 'Expected NULL after IS but found number 3', start: 5, end: 6 });
    expect(errorsOf('a IN 3')[0]).toMatchObject({ message: "Expected '(' after IN but found number 3", hint: 'write IN (1, 2, 3)' });
    expect(errorsOf('a IN ()')[0]).toMatchObject({ message: 'IN needs at least one value', start: 5, end: 7 });
    expect(errorsOf('a BETWEEN 1, 2')[0]).toMatchObject({ message: "Expected AND in BETWEEN but found ','", start: 11, end: 12 });
    expect(errorsOf('a NOT = b')[0]).toMatchObject({ message: "Expected IN, BETWEEN, LIKE or ILIKE after NOT but found '='", start: 6, end: 7 });
    expect(errorsOf('a = NOT b')[0]).toMatchObject({ message: "Expected an expression after '=' but found NOT", start: 4, end: 7 });
  });

  it('explains CASE and CAST mistakes', () => {
    expect(errorsOf('CASE WHEN a THEN 1')[0]).toMatchObject({ message: 'Expected WHEN, ELSE or END but found end of input', start: 18, end: 18 });
    expect(errorsOf('CASE a END')[0]).toMatchObject({ message: 'Expected WHEN in CASE but found END', start: 7, end: 10 });
    expect(errorsOf('CAST(a, integer)')[0]).toMatchObject({ message: "Expected AS in CAST but found ','", start: 6, end: 7 });
    expect(errorsOf('CAST(a AS intger)')[0]).toMatchObject({ message: "Unknown type 'intger'", start: 10, end: 16 });
    expect(errorsOf('CAST(a AS intger)')[0]?.hint).toMatch(/^did you mean INTEGER\?/);
    expect(errorsOf('CAST(a AS DECIMAL)')[0]).toMatchObject({ message: 'DECIMAL needs a precision and scale', start: 10, end: 17 });
    expect(errorsOf('CAST(a AS DECIMAL(40,2))')[0]).toMatchObject({ message: 'DECIMAL precision must be between 1 and 38, got 40', start: 10, end: 23 });
  });

  it('validates literals', () => {
    expect(errorsOf("DATE '2023-02-29'")[0]).toMatchObject({ message: "Invalid DATE literal '2023-02-29'", start: 5, end: 17 });
    expect(errorsOf("TIMESTAMP '2026-11-25 10:00:00+01:00'")[0]?.message).toBe("Invalid TIMESTAMP literal '2026-11-25 10:00:00+01:00'");
    expect(errorsOf('9223372036854775808')[0]).toMatchObject({ message: 'Integer 9223372036854775808 is out of the 64-bit range', start: 0, end: 19 });
    expect(errorsOf('12abc')[0]).toMatchObject({ message: "Invalid number '12abc'", start: 0, end: 5 });
    expect(errorsOf('1e')[0]?.hint).toBe('an exponent needs digits, e.g. 1e3');
    expect(errorsOf('$ + 1')[0]).toMatchObject({ message: "Invalid parameter '$'", start: 0, end: 1 });
    expect(errorsOf('"" = 1')[0]).toMatchObject({ message: 'Empty quoted identifier ""', start: 0, end: 2 });
  });

  it('suggests quoting reserved words used as names', () => {
    expect(errorsOf('case = 1')[0]).toMatchObject({ message: "Expected an expression after CASE but found '='", hint: 'CASE is a reserved word; to use it as a column name, quote it: "case"' });
    expect(errorsOf('a + end')[0]).toMatchObject({ message: "Expected an expression after '+' but found END", hint: 'END is a reserved word; to use it as a column name, quote it: "end"' });
  });
});

describe('printExpression', () => {
  it.each([
    ['a + b * c', 'a + b * c'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['- (-a)', '-(-a)'],
    ['a - -1', 'a - -1'],
    ['-(a + 1)', '-(a + 1)'],
    ['(a = b) = c', '(a = b) = c'],
    ['not (a and b)', 'NOT (a AND b)'],
    ['(not a) and b', 'NOT a AND b'],
    ['(a or b) and c', '(a OR b) AND c'],
    ['a and (b and c)', 'a AND (b AND c)'],
    ['(a || b) || c', "a || b || c"],
    ['a || (b || c)', 'a || (b || c)'],
    ['(a + b) is null', 'a + b IS NULL'],
    ['(a = 1) is not null', '(a = 1) IS NOT NULL'],
    ['x between (a and b) and c', 'x BETWEEN (a AND b) AND c'],
    ['"order" + "Total Amount" + "date" + "when"', 'order + "Total Amount" + "date" + "when"'],
    ["concat('it''s', $p)", "concat('it''s', $p)"],
    ["case when a then date '2024-01-01' end", "CASE WHEN a THEN DATE '2024-01-01' END"],
    ['try_cast(a as numeric(10,2))', 'TRY_CAST(a AS DECIMAL(10,2))'],
    ['cast(a as varchar)', 'CAST(a AS STRING)'],
    ['a not in (1, (2))', 'a NOT IN (1, 2)'],
    ["NOT a LIKE 'x'", "NOT a LIKE 'x'"],
    ["a NOT LIKE 'x'", "a NOT LIKE 'x'"],
  ])('%s → %s', (text, expected) => {
    const printed = printExpression(parsed(text));
    expect(printed).toBe(expected);
    expect(tree(printed)).toEqual(tree(text));
  });
});
