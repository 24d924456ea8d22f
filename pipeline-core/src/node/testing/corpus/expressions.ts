import { stringify } from 'yaml';
import type { CorpusCase } from './corpus.js';

/**
 * The expression language on every engine: each expression below is a derive step over typed
 * columns whose rows hold NULLs and edge values (the int64 bounds, decimal extremes and a value
 * that rounds on typing, -0.0, 1e-7, a leap day, year 44, a timestamp in Europe's DST gap,
 * non-ASCII text, regex metacharacters). Grouped by topic, one cleanse stage and output each.
 * Only expressions that cannot stop the run are here (no unsafe CAST of text, no overflow):
 * an error would hide every other value.
 */
export const EXPRESSION_GROUPS: Readonly<Record<string, readonly string[]>> = {
  numbers: [
    'id + 1', 'id - 1', 'id * 2', '-id', 'id / 0', 'id / 4', 'id % 3', 'id % -3', 'mod(id, 0)', 'amount + 1', 'amount - id',
    'amount * amount', 'amount * 1.005', 'amount / 3', 'amount % 0.3', '-amount', 'ratio * 2', 'ratio % 0.4', 'ratio / 0', 'ratio + amount',
    'ratio - id', 'abs(id)', 'abs(amount)', 'abs(ratio)', 'round(amount)', 'round(amount, 1)', 'round(amount, -1)', 'round(ratio)',
    'round(ratio, 2)', 'round(ratio, -1)', 'floor(amount)', 'ceil(amount)', 'floor(ratio)', 'ceil(ratio)', 'floor(id)', 'sign(amount)',
    'sign(ratio)', 'sign(id)', 'power(ratio, 2)', 'power(amount, 0.5)', 'sqrt(amount)', 'sqrt(ratio)', 'ln(ratio)', 'ln(amount)', 'exp(ratio)',
    'exp(id)', 'mod(amount, 2)', 'mod(ratio, 2)', 'greatest(amount, ratio, id)', 'least(amount, id)', 'big % 7', 'sign(big)', '1.5e3 * ratio',
    '2.50 + amount', 'ceil(-0.5)', 'round(-2.5)', 'round(2.675, 2)',
  ],
  strings: [
    'lower(name)', 'upper(name)', 'trim(name)', 'ltrim(name)', 'rtrim(name)', 'length(name)', 'substr(name, 2, 3)', 'substr(name, -1, 3)',
    'substr(name, 3)', "replace(name, 'l', 'L')", "replace(name, '', 'x')", 'left(name, 2)', 'right(name, 3)', "lpad(name, 6, '*')",
    "rpad(name, 6, 'ab')", 'lpad(name, 2)', "starts_with(name, 'A')", "ends_with(name, 'n')", "contains(name, 'l')",
    "regexp_matches(name, '[0-9]+')", "regexp_matches(name, '\\s\\d+\\s$')", "regexp_matches(name, 'd$')", "regexp_matches(name, '(?i)ADA')",
    "regexp_replace(name, '[aeiou]', '#')", "regexp_replace(name, '(\\w)(\\w)', '\\2\\1')",
    "regexp_replace(name, '\\.', '$')", "regexp_extract(name, '([a-z])([a-z])', 2)", "regexp_extract(name, 'q(z)?')", "split_part(name, 'l', 2)",
    "split_part(name, ' ', -1)", "split_part(name, '', 3)", "name || '!'", "concat(name, NULL, '!')", 'left(name, id)', 'substr(name, id, 2)',
    "lpad(name, id, '0')", 'right(name, id)', 'split_part(name, txt, 1)', "starts_with(name, '')", "contains(name, txt)",
  ],
  logic: [
    'id = 1', 'amount >= 0', 'ratio < amount', 'amount = 12.5', 'ratio = 0.5', '"day" < at', '"day" = to_date(at)', "name > 'B'",
    'ok AND id > 0', 'ok OR NULL', 'NOT ok', 'ok AND NULL', 'name IS NULL', 'name IS NOT NULL', 'id IN (1, -7, NULL)', 'id NOT IN (2, 3)',
    'amount IN (12.5, 0)', 'amount BETWEEN -3 AND 13', 'ratio NOT BETWEEN 0 AND 1', "name LIKE '%x%'", "name LIKE '_da'",
    "name NOT LIKE '%\\_%'", "name ILIKE 'a%'", "name NOT ILIKE '%É%'", "name LIKE '%\\%%'", 'CASE WHEN id > 0 THEN amount ELSE ratio END',
    "CASE name WHEN 'Ada' THEN 1 WHEN NULL THEN 2 ELSE 0 END", 'CASE WHEN ok THEN 1 ELSE 2.5 END', 'CASE WHEN ok THEN "day" ELSE at END',
    'CASE WHEN id > 5 THEN id END', 'coalesce(amount, ratio)', "coalesce(name, '-')", 'coalesce(at, "day")', 'nullif(id, 1)',
    "nullif(name, 'Ada')", "greatest(name, 'B')", 'least("day", at)', 'big > id', 'TRUE AND ok', 'FALSE OR ok', 'NOT (id > 1 OR ratio IS NULL)',
  ],
  dates: [
    'year("day")', 'quarter(at)', 'month("day")', 'day(at)', 'day_of_week("day")', 'day_of_week(at)', 'day_of_year("day")', 'hour(at)',
    'minute(at)', "date_trunc('week', \"day\")", "date_trunc('quarter', at)", "date_trunc('month', \"day\")", "date_trunc('year', at)",
    "date_trunc('day', at)", "date_trunc('hour', at)", 'date_add("day", 1)', 'date_add(at, -1)', 'date_add("day", id)', 'add_months("day", 12)',
    'add_months(at, -1)', 'add_months("day", id)', "date_diff('day', \"day\", at)", "date_diff('month', at, \"day\")",
    "date_diff('year', \"day\", DATE '2030-01-01')", 'last_day("day")', 'last_day(at)', 'to_date(at)', 'to_date("day")', 'make_date(2024, 2, id)',
    'make_date(id, 1, 1)', '$run_date', 'date_add($run_date, $n)', "TIMESTAMP '2026-03-08 02:30:00' > at", "DATE '2026-01-01' <= \"day\"",
  ],
  casts: [
    'TRY_CAST(txt AS integer)', 'TRY_CAST(trim(txt) AS integer)', 'TRY_CAST(txt AS double)', 'TRY_CAST(txt AS decimal(6,2))',
    'TRY_CAST(txt AS boolean)', 'TRY_CAST(txt AS date)', 'TRY_CAST(txt AS timestamp)', 'CAST(id AS string)', 'CAST(amount AS string)',
    'CAST(ok AS string)', 'CAST("day" AS string)', 'CAST(at AS string)', 'CAST(amount AS integer)', 'TRY_CAST(ratio AS integer)',
    'CAST(id AS double)', 'CAST(big AS double)', 'CAST(amount AS double)', 'CAST(id AS decimal(20,2))', 'TRY_CAST(ratio AS decimal(10,2))',
    'TRY_CAST(amount AS decimal(3,1))', 'CAST(ratio AS decimal(12,4))', 'CAST(ok AS integer)', 'CAST(id AS boolean)', 'CAST("day" AS timestamp)',
    'CAST(at AS date)', 'TRY_CAST(big AS decimal(10,2))', 'CAST(NULL AS integer)', 'TRY_CAST(name AS integer)',
  ],
};

const COLUMNS = [
  { name: 'id', type: 'integer' },
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'ratio', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'ok', type: 'boolean' },
  { name: 'big', type: 'integer' },
  { name: 'txt', type: 'string' },
];

// Row by row: ordinary values; all NULL; negatives and a leap day; a comma and non-ASCII in the
// text, year 44, a wall time in Europe's DST gap; -0.0 and the decimal minimum with an empty
// quoted text; a decimal that rounds on typing (1.005 → 1.01), letters with one-to-one case maps, the last
// microsecond of a leap day; regex metacharacters and a backslash; an apostrophe, DST end.
const ROWS = `id,amount,ratio,name,day,at,ok,big,txt
1,12.50,0.5,Ada,2026-11-25,2026-11-25 10:30:00,true,9223372036854775807,12
2,,,,,,,,
-7,-2.55,-1.5,"  x_y%Z 12 ",2024-02-29,2024-12-31 23:59:59.5,false,-9223372036854775807, 7 
4,0.00,2.675,"héllo, wörld",0044-03-15,2026-03-29 02:30:00,true,0,1e3
5,-99999999.99,-0.0,"",1970-01-01,1970-01-01 00:00:00,true,1,-0
6,1.005,0.1,ÿ ǅ Ωmega,2000-02-29,2000-02-29 23:59:59.999999,,-1,12.5
7,0.01,1e-7,a.b*c(d)[e]\\f,2026-03-08,2026-03-08 07:00:00,false,42,true
8,12345678.9,12345.678,O'Brien,2026-10-25,2026-10-25 01:30:00,true,100,2026-11-25 10:30:00.25
`;

function spec(): string {
  const stages: Record<string, unknown>[] = [{ name: 'raw_vals', kind: 'ingest', source: 'vals' }];
  const outputs: Record<string, unknown>[] = [];
  for (const [group, exprs] of Object.entries(EXPRESSION_GROUPS)) {
    stages.push({
      name: `e_${group}`,
      kind: 'cleanse',
      input: 'raw_vals',
      steps: exprs.map((expr, i) => ({ step: 'derive', column: `x${String(i + 1).padStart(2, '0')}`, expr })),
    });
    outputs.push({ name: `${group}_out`, kind: 'output', input: `e_${group}`, format: 'parquet', path: group });
  }
  // cleanse cast steps between typed values (DuckDB's TRY_CAST rules, not the language's CAST)
  stages.push({
    name: 'typed_casts',
    kind: 'cleanse',
    input: 'raw_vals',
    steps: [
      { step: 'derive', column: 'r2', expr: 'ratio' },
      { step: 'cast', columns: ['ratio'], type: 'integer', on_error: 'null' },
      { step: 'cast', columns: ['r2'], type: 'decimal(8,2)', on_error: 'null' },
      { step: 'cast', columns: ['amount'], type: 'integer', on_error: 'null' },
      { step: 'cast', columns: ['at'], type: 'date', on_error: 'null' },
      { step: 'cast', columns: ['day'], type: 'timestamp', on_error: 'null' },
      { step: 'cast', columns: ['id', 'ok'], type: 'string', on_error: 'null' },
      { step: 'cast', columns: ['big'], type: 'decimal(12,2)', on_error: 'reject' },
    ],
  });
  outputs.push({ name: 'typed_casts_out', kind: 'output', input: 'typed_casts', format: 'parquet', path: 'typed_casts' });
  outputs.push({ name: 'numbers_csv', kind: 'output', input: 'e_numbers', format: 'csv', path: 'numbers_csv/{run_date}' });
  outputs.push({ name: 'logic_csv', kind: 'output', input: 'e_logic', format: 'csv', path: 'logic_csv/{run_date}' });
  return stringify({
    version: 1,
    name: 'expressions',
    description: 'The expression language over edge values (conformance corpus).',
    parameters: { run_date: { type: 'date', default: '2026-11-24' }, n: { type: 'integer', default: 3 } },
    sources: { vals: { format: 'csv', path: 'vals/vals_{run_date}.csv', schema: COLUMNS } },
    stages: [...stages, ...outputs],
  });
}

export function expressionsCase(): CorpusCase {
  return {
    name: 'expressions',
    description: 'every function and operator of the expression language, every CAST pair, over NULLs and edge values',
    spec: spec(),
    days: [{ runDate: '2026-11-24', files: { 'vals/vals_2026-11-24.csv': ROWS }, expect: { exitCode: 0, published: true, failing: [] } }],
  };
}
