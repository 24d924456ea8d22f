import { describe, expect, it } from 'vitest';
import type { DataType, Schema } from '../types/dataType.js';
import type { Expr } from './ast.js';
import { parseExpression } from './parse.js';
import { typecheckExpression } from './typecheck.js';
import { referencedColumns, referencedParams } from './walk.js';

const SCHEMA: Schema = [
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'qty', type: 'integer' },
  { name: 'ratio', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'order_date', type: 'date' },
  { name: 'created_at', type: 'timestamp' },
  { name: 'active', type: 'boolean' },
  { name: 'Region', type: 'string' },
];
const PARAMS: Record<string, DataType> = { run_date: 'date', min_qty: 'integer' };

function parsed(text: string): Expr {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.errors)}`);
  return r.expr;
}

function check(text: string) {
  return typecheckExpression(parsed(text), { columns: SCHEMA, params: PARAMS });
}

function typeOf(text: string): DataType | undefined {
  const r = check(text);
  if (r.errors.length > 0) throw new Error(`${text}: ${JSON.stringify(r.errors)}`);
  return r.type;
}

/** Errors as [message, the text under the squiggle, hint]. */
function errors(text: string): [string, string, string | undefined][] {
  return check(text).errors.map((e) => [e.message, text.slice(e.start, e.end), e.hint]);
}

describe('typecheckExpression: types', () => {
  it.each([
    ['qty + 1', 'integer'],
    ['qty + amount', 'decimal(22,2)'], // integer acts as decimal(19,0): max(19, 8) + 2 + 1
    ['amount + 1.5', 'decimal(11,2)'],
    ['amount * 1.005', 'decimal(14,5)'],
    ['amount % 3', 'decimal(21,2)'],
    ['amount + ratio', 'double'],
    ['qty / 2', 'double'],
    ['-amount', 'decimal(10,2)'],
    ["name || 'x'", 'string'],
    ['qty > 1.5 AND active', 'boolean'],
    ['order_date < created_at', 'boolean'],
    ['order_date = $run_date', 'boolean'],
    ['qty IN (1, 2.5, NULL)', 'boolean'],
    ['CASE WHEN active THEN qty ELSE amount END', 'decimal(21,2)'],
    ["CASE qty WHEN 1 THEN 'one' ELSE NULL END", 'string'],
    ['coalesce(qty, amount)', 'decimal(21,2)'],
    ['coalesce(order_date, created_at)', 'timestamp'],
    ['greatest(1, 2.5, ratio)', 'double'],
    ['round(amount, 1)', 'decimal(10,1)'],
    ['round(amount, 5)', 'decimal(10,2)'],
    ['round(amount, -1)', 'decimal(10,0)'],
    ['round(amount)', 'decimal(10,0)'],
    ['round(ratio, 2)', 'double'],
    ['round(qty, -2)', 'integer'],
    ['floor(amount)', 'decimal(10,0)'],
    ['mod(amount, qty)', 'decimal(21,2)'],
    ["date_trunc('month', order_date)", 'date'],
    ["date_trunc('hour', created_at)", 'timestamp'],
    ['date_add(created_at, 1)', 'timestamp'],
    ["date_diff('day', order_date, created_at)", 'integer'],
    ['last_day(created_at)', 'date'],
    ['sqrt(qty)', 'double'],
    ['substr(name, 2)', 'string'],
    ['TRY_CAST(name AS decimal(12,2))', 'decimal(12,2)'],
    ['nullif(qty, 0)', 'integer'],
    ['abs(NULL) + 1', 'integer'],
    ['1 + NULL', 'integer'],
    ['NULL / 2', 'double'],
  ])('%s : %s', (text, expected) => {
    expect(typeOf(text)).toBe(expected);
  });

  it('gives NULL literals the type of their context', () => {
    const e = parsed("coalesce(NULL, name) || NULL");
    const r = typecheckExpression(e, { columns: SCHEMA, params: PARAMS });
    if (e.k !== 'binary' || e.left.k !== 'call') throw new Error('shape');
    expect(r.types.get(e.left.args[0] as Expr)).toBe('string');
    expect(r.types.get(e.right)).toBe('string');
  });
});

describe('typecheckExpression: errors with spans and hints', () => {
  it('suggests the closest column name', () => {
    expect(errors('amout > 10')).toEqual([["Unknown column 'amout'", 'amout', "did you mean 'amount'?"]]);
    expect(errors("region = 'EU'")).toEqual([["Unknown column 'region'", 'region', "did you mean 'Region'? Column names are case-sensitive"]]);
    expect(errors('zzzzzz')[0]?.[2]).toMatch(/^the columns are amount, qty, ratio/);
    expect(errors('min_qty < qty')[0]?.[2]).toBe('parameters are written with a dollar sign: $min_qty');
    expect(errors('name = "EU North"')[0]).toEqual(["Unknown column 'EU North'", '"EU North"', "string values use single quotes: 'EU North'; double quotes name a column"]);
  });

  it('reports unknown parameters', () => {
    expect(errors('order_date = $run_dat')).toEqual([['Unknown parameter $run_dat', '$run_dat', 'did you mean $run_date?']]);
  });

  it('reports every error, not just the first, without cascades', () => {
    expect(errors('amout > 1 AND nme = 2 AND qty')).toEqual([
      ["Unknown column 'amout'", 'amout', "did you mean 'amount'?"],
      ["Unknown column 'nme'", 'nme', "did you mean 'name'?"],
      ['AND needs boolean operands, but this is an integer', 'qty', 'compare it, e.g. x <> 0'],
    ]);
  });

  it('refuses comparing strings with numbers or dates, with a fix in the hint', () => {
    expect(errors("order_date > '2024-01-01'")).toEqual([
      ['Cannot compare a date with a string', "order_date > '2024-01-01'", "write DATE '2024-01-01' for a date literal"],
    ]);
    expect(errors('name = qty')).toEqual([
      ['Cannot compare a string with an integer', 'name = qty', 'strings and numbers do not mix implicitly: convert with CAST(x AS double) or TRY_CAST(x AS integer)'],
    ]);
    expect(errors("qty = '5'")[0]?.[2]).toBe('remove the quotes to write a number: 5');
    expect(errors("created_at BETWEEN '2024-01-01' AND $run_date")[0]).toEqual([
      'BETWEEN value is a string, but the tested value is a timestamp', "'2024-01-01'", "write TIMESTAMP '2024-01-01' for a timestamp literal",
    ]);
    expect(errors("qty IN (1, 'two')")[0]?.slice(0, 2)).toEqual(['IN list value is a string, but the tested value is an integer', "'two'"]);
  });

  it('flags comparisons with NULL', () => {
    expect(errors('name = NULL')).toEqual([['Comparing with NULL with = always gives NULL', 'NULL', 'use x IS NULL or x IS NOT NULL']]);
  });

  it('checks operators', () => {
    expect(errors("name + 'x'")).toEqual([["'+' needs numbers, but these are a string and a string", "name + 'x'", 'use || or concat() to join strings']]);
    expect(errors('name * 2')).toEqual([["'*' needs numbers, but this is a string", 'name', 'convert it with CAST(x AS double), or TRY_CAST to get NULL for bad values']]);
    expect(errors('order_date + 1')).toEqual([["'+' needs numbers, but this is a date", 'order_date', 'use date_add(d, days) or add_months(d, months)']]);
    expect(errors('order_date - $run_date')[0]?.[2]).toBe("use date_diff('day', a, b) for the days between two dates");
    expect(errors('qty || name')[0]?.slice(0, 2)).toEqual(['|| joins strings, but this is an integer', 'qty']);
    expect(errors('NOT qty')[0]?.slice(0, 2)).toEqual(['NOT needs a boolean, but this is an integer', 'qty']);
    expect(errors("qty LIKE '1%'")[0]?.slice(0, 2)).toEqual(['LIKE needs strings, but the value is an integer', 'qty']);
    expect(errors('-name')[0]?.slice(0, 2)).toEqual(['Cannot negate a string', 'name']);
  });

  it('checks CASE', () => {
    expect(errors("CASE WHEN active THEN 1 ELSE 'x' END")).toEqual([
      ['CASE results must have one type, but this is a string and an earlier one is an integer', "'x'", 'CAST the results to a common type'],
    ]);
    expect(errors('CASE WHEN qty THEN 1 END')[0]?.slice(0, 2)).toEqual(['WHEN needs a condition, but this is an integer', 'qty']);
    expect(errors("CASE qty WHEN 'a' THEN 1 END")[0]?.slice(0, 2)).toEqual(['WHEN value is a string, but the CASE value is an integer', "'a'"]);
  });

  it('checks CAST', () => {
    expect(errors('CAST(order_date AS integer)')).toEqual([
      ['Cannot CAST a date to integer', 'CAST(order_date AS integer)', 'use year(d), month(d), day(d) … to get numbers from a date'],
    ]);
  });

  it('checks function names, arity and argument types', () => {
    expect(errors('lowr(name)')).toEqual([['Unknown function lowr()', 'lowr', 'did you mean lower()?']]);
    expect(errors('substring(name, 1, 2)')[0]?.[2]).toBe('did you mean substr()?');
    expect(errors('lower(name, 1)')).toEqual([['lower() takes 1 argument, but got 2', 'lower(name, 1)', 'usage: lower(s string)']]);
    expect(errors('substr(name)')[0]?.slice(0, 1)).toEqual(['substr() takes 2 to 3 arguments, but got 1']);
    expect(errors('coalesce()')[0]?.[0]).toBe('coalesce() takes at least 1 argument, but got 0');
    expect(errors('substr(name, 1.5)')).toEqual([
      ['Argument 2 (start) of substr() must be an integer, but it is decimal(2,1)', '1.5', 'CAST(x AS integer) truncates toward zero'],
    ]);
    expect(errors("year('2024-01-01')")[0]?.[2]).toBe("write DATE '2024-01-01', or convert with CAST(x AS date)");
    expect(errors('hour(order_date)')[0]?.slice(0, 2)).toEqual(['Argument 1 (ts) of hour() must be a timestamp, but it is a date', 'order_date']);
    expect(errors('coalesce(qty, name)')[0]?.slice(0, 2)).toEqual(['coalesce() arguments must have one type, but this is a string and an earlier one is an integer', 'name']);
    expect(errors('nullif(qty, name)')[0]?.slice(0, 2)).toEqual(['nullif() compares its arguments, but an integer cannot be compared with a string', 'name']);
  });

  it('checks constant arguments', () => {
    expect(errors("date_trunc('mnth', order_date)")).toEqual([
      ["Argument 1 (unit) of date_trunc() must be one of 'year', 'quarter', 'month', 'week', 'day', 'hour', got 'mnth'", "'mnth'", "did you mean 'month'?"],
    ]);
    expect(errors("date_trunc('hour', order_date)")[0]?.slice(0, 2)).toEqual(["date_trunc('hour', …) needs a timestamp, not a date", 'order_date']);
    expect(errors('date_trunc(name, order_date)')[0]?.[0]).toMatch(/must be one of/);
    expect(errors('round(amount, qty)')[0]?.slice(0, 2)).toEqual(['Argument 2 (digits) of round() must be an integer literal', 'qty']);
    expect(errors('round(amount, 40)')[0]?.[0]).toBe('Argument 2 (digits) of round() must be between -38 and 38, got 40');
    expect(errors("lpad(name, 5, '')")[0]?.[0]).toBe('Argument 3 (fill) of lpad() must be a non-empty string literal');
  });

  it('strftime: a date or timestamp and a literal format of portable codes gives a string', () => {
    expect(typeOf("strftime(order_date, '%Y-%m')")).toBe('string');
    expect(typeOf("strftime(created_at, '%H:%M:%S.%f %p')")).toBe('string');
    expect(typeOf("date_trunc('month', order_date)")).toBe('date');
    expect(errors("strftime(order_date, '%Y-%-m')")).toEqual([
      ["Format '%Y-%-m': '%-' is not a portable strftime code", "'%Y-%-m'", 'the portable codes are %Y %y %m %d %j %H %I %p %M %S %f %b %B %a %A %% (write %% for a literal %)'],
    ]);
    expect(errors("strftime(order_date, '100%')")[0]?.[0]).toBe("Format '100%': the format ends with a lone '%'");
    expect(errors('strftime(order_date, name)')[0]?.[0]).toBe('Argument 2 (format) of strftime() must be a non-empty string literal');
    expect(errors("strftime(name, '%Y')")[0]?.[0]).toBe('Argument 1 (d) of strftime() must be a date or timestamp, but it is a string');
  });

  it('refuses regular expression features other engines lack', () => {
    expect(errors("regexp_matches(name, 'a(?=b)')")[0]?.slice(0, 2)).toEqual(['Lookahead and lookbehind are not portable', "'a(?=b)'"]);
    expect(errors("regexp_matches(name, '(a)\\1')")[0]?.[0]).toBe('Backreferences are not portable');
    expect(errors("regexp_matches(name, '\\\\1')")).toEqual([]);
  });

  it('refuses a bare NULL whose type cannot be known', () => {
    expect(errors('NULL')).toEqual([['The type of this NULL cannot be inferred', 'NULL', 'give it a type: CAST(NULL AS integer)']]);
    expect(errors('coalesce(NULL, NULL)')[0]?.[0]).toBe('The type of this NULL cannot be inferred');
  });

  it('refuses decimal products that need too much scale', () => {
    const schema: Schema = [{ name: 'a', type: 'decimal(38,20)' }];
    const r = typecheckExpression(parsed('a * a'), { columns: schema, params: {} });
    expect(r.errors[0]?.message).toBe('Multiplying decimal(38,20) by decimal(38,20) needs scale 40, above the maximum of 38');
  });
});

describe('referenced names', () => {
  it('lists columns and parameters once, in order of first use', () => {
    const e = parsed('qty > $min_qty AND coalesce(name, "Region") <> name OR order_date = $run_date AND qty < $min_qty');
    expect(referencedColumns(e)).toEqual(['qty', 'name', 'Region', 'order_date']);
    expect(referencedParams(e)).toEqual(['min_qty', 'run_date']);
  });
});
