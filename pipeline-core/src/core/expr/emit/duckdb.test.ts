import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbType, type Schema } from '../../types/dataType.js';
import { FUNCTIONS, FUNCTION_NAMES } from '../functions.js';
import { parseExpression } from '../parse.js';
import { typecheckExpression } from '../typecheck.js';
import { duckdbExprLiteral, emitDuckdb } from './duckdb.js';

// Expected values below are worked out by hand from the definitions in functions.ts and
// docs/expression-language.md, not copied from DuckDB. Values are as getRowObjectsJson gives
// them: BIGINT and DECIMAL as strings, DOUBLE as numbers, DATE / TIMESTAMP as ISO text.

const SCHEMA: Schema = [
  { name: 'id', type: 'integer' },
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'ratio', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'ok', type: 'boolean' },
];

let connection: DuckDBConnection;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE TABLE t (id BIGINT, amount DECIMAL(10,2), ratio DOUBLE, name VARCHAR, "day" DATE, "at" TIMESTAMP, ok BOOLEAN)`);
  await connection.run(`INSERT INTO t VALUES
    (1, 12.50, 0.5, 'Ada', DATE '2026-11-25', TIMESTAMP '2026-11-25 10:30:00', TRUE),
    (2, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(() => {
  connection.closeSync();
});

/** Unpinned SQL (so DuckDB's own result type can be compared with the logical type) and pinned SQL. */
function compile(text: string): { sql: string; pinned: string; type: string } {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`${text}: ${JSON.stringify(parsed.errors)}`);
  const checked = typecheckExpression(parsed.expr, { columns: SCHEMA, params: {} });
  if (checked.errors.length > 0 || !checked.type) throw new Error(`${text}: ${JSON.stringify(checked.errors)}`);
  return {
    sql: emitDuckdb(parsed.expr, { types: checked.types, pinType: false }),
    pinned: emitDuckdb(parsed.expr, { types: checked.types }),
    type: duckdbType(checked.type),
  };
}

/**
 * Runs the expression and checks DuckDB's result type against the logical one. Unpinned SQL must
 * already have the logical type, unless DuckDB folded the whole result to an untyped NULL: then
 * the pinned SQL must give the same (NULL) values with the logical type.
 */
async function evaluate(text: string, from = ''): Promise<{ values: unknown[]; sql: string }> {
  const { sql, pinned, type } = compile(text);
  const reader = await connection.runAndReadAll(`SELECT ${sql} AS v ${from}`);
  const values = reader.getRowObjectsJson().map((r) => r.v);
  if (String(reader.columnTypes()[0]) !== type) {
    expect(values.every((v) => v === null), `${sql}: DuckDB type ${String(reader.columnTypes()[0])}, logical ${type}`).toBe(true);
    const again = await connection.runAndReadAll(`SELECT ${pinned} AS v ${from}`);
    expect(String(again.columnTypes()[0]), pinned).toBe(type);
    expect(again.getRowObjectsJson().map((r) => r.v)).toEqual(values);
  }
  return { values, sql };
}

const CASES: readonly (readonly [string, unknown])[] = [
  // arithmetic and NULL
  ['7 / 2', 3.5],
  ['7 / 0', null],
  ['-7 / 0.0', null],
  ['7 % 0', null],
  ['7.5 % 0', null],
  ['-7 % 3', '-1'],
  ['7 % -3', '1'],
  ['7.5 % 2', '1.5'],
  ['-7.5e0 % 2', -1.5],
  ['1 + NULL', null],
  ['NULL || \'a\'', null],
  ['2147483647 + 1', '2147483648'],
  ['0.1 + 0.2', '0.3'],
  ['1.5 * 2.25', '3.375'],
  ['-(-5)', '5'],
  ['2 + 3 * 4', '14'],
  ['(2 + 3) * 4', '20'],
  ["'a' || 'b' || 'c'", 'abc'],
  // rounding: half away from zero for decimals, doubles and integers
  ['round(2.5)', '3'],
  ['round(-2.5)', '-3'],
  ['round(2.5e0)', 3],
  ['round(-2.5e0)', -3],
  ['round(0.5e0)', 1],
  ['round(1.5e0)', 2],
  ['round(1234.5678, 2)', '1234.57'],
  ['round(-1234.5678, 3)', '-1234.568'],
  ['round(1250, -2)', '1300'],
  ['round(-1250, -2)', '-1300'],
  ['round(1249, -2)', '1200'],
  ['round(7)', '7'],
  ['round(1234.5e0, -2)', 1200],
  ['round(2.675e0, 2)', 2.68], // 2.675 × 100 rounds to exactly 267.5 in double arithmetic
  ['round(1.005e0, 2)', 1], // 1.005 × 100 is 100.49999999999999 in double arithmetic
  ['floor(-2.5)', '-3'],
  ['ceil(2.1)', '3'],
  ['floor(7)', '7'],
  ['floor(-2.5e0)', -3],
  ['sign(-4.5)', '-1'],
  ['sign(0)', '0'],
  ['abs(-3)', '3'],
  // strings
  ["concat('a', NULL, 'b')", 'ab'],
  ['concat(NULL)', ''],
  ["substr('hello', 2, 3)", 'ell'],
  ["substr('hello', 0, 2)", 'he'],
  ["substr('hello', -3, 2)", 'he'],
  ["substr('hello', 4)", 'lo'],
  ["substr('hello', 2, -1)", ''],
  ["substr('hello', 9)", ''],
  ["substr('hello', NULL)", null],
  ["left('hello', -2)", ''],
  ["right('hello', -2)", ''],
  ["right('hello', 2)", 'lo'],
  ["left('hé', 9)", 'hé'],
  ["lpad('hello', 3, 'x')", 'hel'],
  ["rpad('hello', 3, 'x')", 'hel'],
  ["lpad('7', 3, '0')", '007'],
  ["lpad('ab', 5)", '   ab'],
  ["rpad('ab', 5, 'xy')", 'abxyx'],
  ["lpad('ab', -1, 'x')", ''],
  ["split_part('a,b,c', ',', -1)", 'c'],
  ["split_part('a,b,c', ',', 0)", ''],
  ["split_part('a,b,c', ',', 4)", ''],
  ["split_part('abc', '', 2)", 'b'],
  ["split_part('a,,c', ',', 2)", ''],
  ["replace('abc', '', 'x')", 'abc'],
  ["replace('aaa', 'aa', 'b')", 'ba'],
  ["length('héllo')", '5'],
  ["trim('  a  ')", 'a'],
  ["ltrim('  a  ')", 'a  '],
  ["upper('abc') || lower('DEF')", 'ABCdef'],
  ["starts_with('abc', '')", true],
  ["ends_with('abc', 'bc')", true],
  ["contains('abc', 'd')", false],
  ["regexp_replace('aaa', 'a', 'b')", 'bbb'],
  ["regexp_replace('a1b22c', '[0-9]+', '#')", 'a#b#c'],
  ["regexp_replace('2026-11-25', '([0-9]+)-([0-9]+)-([0-9]+)', '\\3/\\2/\\1')", '25/11/2026'],
  ["regexp_matches('abc', 'b')", true],
  ["regexp_matches('abc', '^b')", false],
  ["regexp_extract('id=42;', 'id=([0-9]+)', 1)", '42'],
  ["regexp_extract('abc', 'x')", ''],
  ["regexp_extract('abc', 'b.')", 'bc'],
  ["regexp_extract('b', '(a)?b', 1)", ''],
  ["regexp_matches('ABC', '(?i)^abc$')", true],
  ["regexp_replace('abc', 'x*', '-')", '-a-b-c-'],
  // numeric functions with domain guards
  ['power(-8, 0.5)', null],
  ['power(0, -1)', null],
  ['power(2, 10)', 1024],
  ['sqrt(-1)', null],
  ['sqrt(16)', 4],
  ['ln(0)', null],
  ['ln(-1)', null],
  ['exp(1000)', null],
  ['exp(0)', 1],
  ['mod(-7, 3)', '-1'],
  ['mod(7, 0)', null],
  ['mod(7.5, 2)', '1.5'],
  ['greatest(3, NULL, 7)', '7'],
  ['least(1, 2.5)', '1.0'],
  ['greatest(CAST(NULL AS integer), NULL)', null],
  ["coalesce(NULL, 'b', 'c')", 'b'],
  ['nullif(1, 1)', null],
  ['nullif(1, 2)', '1'],
  // dates and times
  ["day_of_week(DATE '2026-11-29')", '7'], // a Sunday
  ["day_of_week(DATE '2026-11-23')", '1'], // a Monday
  ["day_of_week(TIMESTAMP '2026-11-25 23:00:00')", '3'], // a Wednesday
  ["year(DATE '2026-11-25') * 100 + month(DATE '2026-11-25')", '202611'],
  ["quarter(DATE '2026-04-01')", '2'],
  ["day_of_year(DATE '2024-12-31')", '366'],
  ["day_of_year(DATE '2023-12-31')", '365'],
  ["hour(TIMESTAMP '2026-11-25 17:45:00') * 60 + minute(TIMESTAMP '2026-11-25 17:45:00')", '1065'],
  ["date_trunc('week', DATE '2026-11-29')", '2026-11-23'],
  ["date_trunc('quarter', DATE '2026-11-25')", '2026-10-01'],
  ["date_trunc('YEAR', DATE '2026-11-25')", '2026-01-01'],
  ["date_trunc('hour', TIMESTAMP '2026-11-25 10:45:12')", '2026-11-25 10:00:00'],
  ["date_trunc('day', TIMESTAMP '2026-11-25 10:45:12')", '2026-11-25 00:00:00'],
  ["date_add(DATE '2024-02-28', 2)", '2024-03-01'],
  ["date_add(TIMESTAMP '2024-02-28 10:00:00', -1)", '2024-02-27 10:00:00'],
  ["add_months(DATE '2024-01-31', 1)", '2024-02-29'],
  ["add_months(DATE '2023-01-31', 1)", '2023-02-28'],
  ["add_months(DATE '2024-01-15', -13)", '2022-12-15'],
  ["add_months(TIMESTAMP '2024-03-31 08:00:00', -1)", '2024-02-29 08:00:00'],
  ["date_diff('day', TIMESTAMP '2024-01-31 23:59:00', TIMESTAMP '2024-02-01 00:01:00')", '1'],
  ["date_diff('day', DATE '2024-03-01', DATE '2024-02-28')", '-2'],
  ["date_diff('month', DATE '2024-01-31', DATE '2024-02-01')", '1'],
  ["date_diff('year', DATE '2024-12-31', TIMESTAMP '2025-01-01 00:00:00')", '1'],
  ["last_day(DATE '2024-02-10')", '2024-02-29'],
  ["last_day(TIMESTAMP '2023-02-10 10:00:00')", '2023-02-28'],
  ["to_date(TIMESTAMP '2026-11-25 23:59:59')", '2026-11-25'],
  ['make_date(2023, 2, 29)', null],
  ['make_date(2024, 2, 29)', '2024-02-29'],
  ['make_date(10000, 1, 1)', null],
  ['make_date(2024, 13, 1)', null],
  ["TIMESTAMP '2026-11-25T10:00:00Z' = TIMESTAMP '2026-11-25 10:00:00'", true],
  ["DATE '2026-11-25' < TIMESTAMP '2026-11-25 00:00:01'", true],
  // casts
  ['CAST(2.7 AS integer)', '2'],
  ['CAST(-2.7 AS integer)', '-2'],
  ['CAST(2.5e0 AS integer)', '2'],
  ['CAST(-3.5e0 AS integer)', '-3'],
  ["TRY_CAST('12.5' AS integer)", null],
  ["CAST(' 12 ' AS integer)", '12'],
  ["TRY_CAST('+7' AS integer)", '7'],
  ["TRY_CAST('abc' AS integer)", null],
  ['CAST(TRUE AS integer)', '1'],
  ['CAST(0 AS boolean)', false],
  ["CAST(TIMESTAMP '2026-11-25 10:00:00' AS date)", '2026-11-25'],
  ["CAST(DATE '2026-11-25' AS timestamp)", '2026-11-25 00:00:00'],
  ['CAST(1.25 AS DECIMAL(2,1))', '1.3'],
  ['CAST(-1.25 AS DECIMAL(2,1))', '-1.3'],
  ['CAST(12.50 AS string)', '12.50'],
  ['CAST(TRUE AS string)', 'true'],
  ["CAST(DATE '2026-01-05' AS string)", '2026-01-05'],
  ["CAST('2026-01-05' AS date)", '2026-01-05'],
  ['CAST(NULL AS date)', null],
  // logic, predicates and CASE
  ['NULL AND FALSE', false],
  ['NULL OR TRUE', true],
  ['NULL AND TRUE', null],
  ['NOT CAST(NULL AS boolean)', null],
  ['1 IN (NULL, 2)', null],
  ['1 IN (NULL, 1)', true],
  ['1 NOT IN (2, 3)', true],
  ['1 NOT IN (2, NULL)', null],
  ['CAST(NULL AS integer) IS NULL', true],
  ['1.5 IN (1, 1.5)', true],
  ['5 BETWEEN 1 AND 5', true],
  ['5 NOT BETWEEN 1 AND 4', true],
  ["'abc' LIKE 'a%'", true],
  ["'abc' LIKE 'a_'", false],
  ["'a%b' LIKE 'a\\%b'", false], // no escape character: the backslash is an ordinary character
  ["'a\\xb' LIKE 'a\\%b'", true],
  ["'ABC' ILIKE 'a%'", true],
  ["'ABC' NOT ILIKE 'a%'", false],
  ['CASE WHEN NULL THEN 1 ELSE 2 END', '2'],
  ["CASE 2 WHEN 1 THEN 'a' WHEN 2 THEN 'b' END", 'b'],
  ['CASE WHEN FALSE THEN 1 END', null],
  ['CASE WHEN TRUE THEN 1 ELSE 2.5 END', '1.0'],
  ['CASE WHEN TRUE THEN NULL ELSE 1 END IS NULL', true],
  ['NOT TRUE = FALSE', true],
];

describe('emitDuckdb: hand-computed values', () => {
  it.each(CASES)('%s', async (text, expected) => {
    const r = await evaluate(text);
    expect(r.values, r.sql).toEqual([expected]);
  });
});

/** The documented procedure for round(double, digits), written independently of any engine. */
function roundDouble(x: number, digits: number): number {
  const scale = 10 ** Math.abs(digits);
  const r = digits >= 0 ? x * scale : x / scale;
  const a = Math.abs(r);
  const whole = Math.floor(a);
  const rounded = Math.sign(r) * (a - whole >= 0.5 ? whole + 1 : whole);
  const result = digits >= 0 ? rounded / scale : rounded * scale;
  return Number.isFinite(result) ? result : x;
}

describe('round(double, digits) follows the documented procedure', () => {
  it('agrees with DuckDB on random doubles', async () => {
    const doubles = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -100000, max: 100000 }).map((n) => n / 1000 + 0.0005), // near ties
      fc.integer({ min: -2000, max: 2000 }).map((n) => n / 8), // exact ties
    );
    await fc.assert(
      fc.asyncProperty(doubles, fc.integer({ min: -3, max: 4 }), async (x, digits) => {
        const reader = await connection.runAndReadAll(`SELECT ${emitDuckdb(parseOk(`round(${x.toExponential(17)}, ${digits})`))} AS v`);
        const got = reader.getRowObjectsJson()[0]?.v;
        expect(got === 0 ? 0 : got, `round(${x}, ${digits})`).toBe(roundDouble(x, digits) + 0);
      }),
      { numRuns: 300 },
    );
  });
});

function parseOk(text: string) {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.expr;
}

describe('emitDuckdb: columns', () => {
  it.each([
    ['amount * 2', ['25.00', null]],
    ['amount / 4', [3.125, null]],
    ['ratio + id', [1.5, null]],
    ["coalesce(name, '?')", ['Ada', '?']],
    ["name || '!'", ['Ada!', null]],
    ['concat(name, \'!\')', ['Ada!', '!']],
    ['day_of_week("day")', ['3', null]],
    ['date_add("day", 7)', ['2026-12-02', null]],
    ['date_trunc(\'month\', at)', ['2026-11-01 00:00:00', null]],
    ['hour(at)', ['10', null]],
    ['ok AND id = 1', [true, false]],
    ['ok IS NULL', [false, true]],
    ['round(amount / 3, 1)', [4.2, null]],
    ['round(amount * 1.005, 2)', ['12.56', null]], // 12.56250 → 12.56
    ['CAST(amount AS integer)', ['12', null]],
  ] as const)('%s', async (text, expected) => {
    const r = await evaluate(text, 'FROM t ORDER BY id');
    expect(r.values, r.sql).toEqual(expected);
  });
});

describe('emitDuckdb: SQL text', () => {
  it('quotes identifiers, escapes strings and guards division', () => {
    expect(compile("\"day\" > DATE '2026-01-01' AND name = 'O''Brien'").sql).toBe(`("day" > DATE '2026-01-01') AND ("name" = 'O''Brien')`);
    expect(compile('amount / id').sql).toBe('CAST("amount" AS DOUBLE) / NULLIF(CAST("id" AS DOUBLE), 0)');
    expect(compile('id % 2 = 0').sql).toBe('("id" % NULLIF(CAST(2 AS BIGINT), 0)) = 0');
    expect(compile('id > -5').sql).toBe('"id" > -5');
  });

  it('uses the column and param callbacks', () => {
    const parsed = parseExpression('id > $min_id');
    if (!parsed.ok) throw new Error('parse');
    const checked = typecheckExpression(parsed.expr, { columns: SCHEMA, params: { min_id: 'integer' } });
    expect(emitDuckdb(parsed.expr, { types: checked.types, pinType: false })).toBe(`"id" > getvariable('min_id')`);
    expect(emitDuckdb(parsed.expr, { types: checked.types, column: (n) => `src.${n}`, param: () => '42' })).toBe('CAST(src.id > 42 AS BOOLEAN)');
  });

  it('pins the logical type of the result unless told not to', () => {
    expect(compile('amount * 2').pinned).toBe('CAST("amount" * CAST(2 AS BIGINT) AS DECIMAL(29,2))');
    expect(compile('amount').pinned).toBe('"amount"');
  });

  it('refuses to guess a type it needs', () => {
    const parsed = parseExpression("date_add(\"day\", 1)");
    if (!parsed.ok) throw new Error('parse');
    expect(() => emitDuckdb(parsed.expr)).toThrow(/pass \{ types \}/);
  });

  it('writes typed literals for callers that inline parameters', () => {
    expect(duckdbExprLiteral({ type: 'date', value: '2026-11-25' })).toBe("DATE '2026-11-25'");
    expect(duckdbExprLiteral({ type: 'string', value: "it's" })).toBe("'it''s'");
    expect(duckdbExprLiteral({ type: 'integer', value: '5' })).toBe('CAST(5 AS BIGINT)');
    expect(duckdbExprLiteral({ type: 'null' }, false, 'decimal(10,2)')).toBe('CAST(NULL AS DECIMAL(10,2))');
  });
});

describe('function catalog examples hold in DuckDB', () => {
  it.each(FUNCTION_NAMES)('%s', async (name) => {
    const [call, result] = FUNCTIONS[name].example;
    const left = compile(call);
    const right = compile(`CAST(${result} AS ${left.type === 'VARCHAR' ? 'string' : left.type.toLowerCase().replace('bigint', 'integer')})`);
    const reader = await connection.runAndReadAll(`SELECT (${left.sql}) IS NOT DISTINCT FROM (${right.sql}) AS same, ${left.sql} AS got`);
    expect(reader.getRowObjectsJson()[0], `${call} should be ${result}`).toMatchObject({ same: true });
  });
});
