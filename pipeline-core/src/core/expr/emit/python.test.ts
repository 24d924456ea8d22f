import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../../types/dataType.js';
import { bbRuntimePy } from '../../export/beam/runtime.js';
import { FUNCTIONS, FUNCTION_NAMES } from '../functions.js';
import { parseExpression } from '../parse.js';
import { typecheckExpression } from '../typecheck.js';
import { emitDuckdb } from './duckdb.js';
import { emitPython, PythonUnsupported } from './python.js';

/**
 * The Python emitter (with the exported runtime, bb_runtime.py) against DuckDB, the reference
 * engine: every expression below is evaluated on each row by both, and the values must be the
 * same (an error on one side must be an error on the other). DuckDB computes the expectations
 * independently of the Python code; the hand-worked cases at the end pin the places where
 * plain Python would differ (banker's rounding, floor division, NULL, regex anchors…).
 */

const SCHEMA: Schema = [
  { name: 'id', type: 'integer' },
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'ratio', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'ok', type: 'boolean' },
];
const PARAMS = { run_date: 'date', n: 'integer' } as const;

const ROWS_SQL = `(1, 12.50, 0.5, 'Ada', DATE '2026-11-25', TIMESTAMP '2026-11-25 10:30:00', TRUE),
  (2, NULL, NULL, NULL, NULL, NULL, NULL),
  (-7, -2.55, -1.5, '  x_y%Z 12 ', DATE '2024-02-29', TIMESTAMP '2024-12-31 23:59:59.5', FALSE),
  (9223372036854775807, 0.00, 2.675, 'héllo, wörld\n', DATE '0044-03-15', TIMESTAMP '2026-03-29 02:30:00', TRUE)`;
const ROWS_PY = `[
 {"id": 1, "amount": bb.D("12.50"), "ratio": 0.5, "name": "Ada", "day": datetime.date(2026, 11, 25), "at": datetime.datetime(2026, 11, 25, 10, 30), "ok": True},
 {"id": 2, "amount": None, "ratio": None, "name": None, "day": None, "at": None, "ok": None},
 {"id": -7, "amount": bb.D("-2.55"), "ratio": -1.5, "name": "  x_y%Z 12 ", "day": datetime.date(2024, 2, 29), "at": datetime.datetime(2024, 12, 31, 23, 59, 59, 500000), "ok": False},
 {"id": 9223372036854775807, "amount": bb.D("0.00"), "ratio": 2.675, "name": "h\\u00e9llo, w\\u00f6rld\\n", "day": datetime.date(44, 3, 15), "at": datetime.datetime(2026, 3, 29, 2, 30), "ok": True},
]`;

const EXPRESSIONS = [
  // arithmetic, overflow and NULL
  'id + 1', 'id - 1', 'id * 2', '-id', 'id / 0', 'id / 4', 'id % 3', 'id % -3', 'mod(id, 0)', 'amount + 1', 'amount - id',
  'amount * amount', 'amount * 1.005', 'amount / 3', 'amount % 0.3', '-amount', 'ratio * 2', 'ratio % 0.4', 'ratio / 0', 'ratio + amount',
  'ratio - id', "name || '!'", "concat(name, NULL, '!')", 'abs(id)', 'abs(amount)', 'abs(ratio)',
  // comparisons and logic
  'id = 1', 'amount >= 0', 'ratio < amount', 'amount = 12.5', 'ratio = 0.5', '"day" < at', '"day" = to_date(at)', "name > 'B'",
  'ok AND id > 0', 'ok OR NULL', 'NOT ok', 'ok AND NULL', 'name IS NULL', 'name IS NOT NULL', 'id IN (1, -7, NULL)',
  'id NOT IN (2, 3)', 'amount IN (12.5, 0)', 'amount BETWEEN -3 AND 13', 'ratio NOT BETWEEN 0 AND 1', "name LIKE '%x%'",
  "name LIKE '_da'", "name NOT LIKE '%\\_%'", "name ILIKE 'a%'", "name LIKE '%\\%%'",
  // CASE
  'CASE WHEN id > 0 THEN amount ELSE ratio END', "CASE name WHEN 'Ada' THEN 1 WHEN NULL THEN 2 ELSE 0 END",
  'CASE WHEN ok THEN 1 ELSE 2.5 END', 'CASE WHEN ok THEN "day" ELSE at END', 'CASE WHEN id > 5 THEN id END',
  // casts
  'CAST(amount AS integer)', 'TRY_CAST(ratio AS integer)', 'TRY_CAST(name AS integer)', 'CAST(id AS string)', 'CAST(amount AS string)',
  'CAST(ratio AS string)', 'CAST(at AS string)', 'CAST("day" AS string)', 'CAST(ok AS string)', 'CAST("day" AS timestamp)', 'CAST(at AS date)',
  'CAST(ok AS integer)', 'CAST(id AS boolean)', 'TRY_CAST(name AS date)', 'TRY_CAST(name AS double)', 'TRY_CAST(name AS decimal(6,2))',
  'TRY_CAST(name AS boolean)', 'TRY_CAST(name AS timestamp)', 'CAST(ratio AS decimal(10,2))', 'CAST(amount AS double)', 'CAST(amount AS decimal(3,1))',
  'TRY_CAST(amount AS decimal(2,1))', 'CAST(id AS double)', "TRY_CAST(trim(name) AS integer)",
  // strings
  'lower(name)', 'upper(name)', 'trim(name)', 'ltrim(name)', 'rtrim(name)', 'length(name)', 'substr(name, 2, 3)', 'substr(name, -1, 3)',
  'substr(name, 3)', "replace(name, 'l', 'L')", "replace(name, '', 'x')", 'left(name, 2)', 'right(name, 3)',
  "lpad(name, 6, '*')", "rpad(name, 6, 'ab')", 'lpad(name, 2)', "starts_with(name, 'A')", "ends_with(name, '\n')", "contains(name, 'l')",
  "regexp_matches(name, '[0-9]+')", "regexp_matches(name, '\\s\\d+\\s$')", "regexp_matches(name, 'd$')", "regexp_replace(name, '[aeiou]', '#')",
  "regexp_replace(name, '(\\w)(\\w)', '\\2\\1')", "regexp_replace(name, 'x*', '-')", "regexp_extract(name, '([a-z])([a-z])', 2)",
  "regexp_extract(name, 'q(z)?')", "split_part(name, 'l', 2)", "split_part(name, ' ', -1)", "split_part(name, '', 3)",
  // numbers
  'round(amount)', 'round(amount, 1)', 'round(amount, -1)', 'round(ratio)', 'round(ratio, 2)', 'round(ratio, -1)',
  'floor(amount)', 'ceil(amount)', 'floor(ratio)', 'ceil(ratio)', 'floor(id)', 'sign(amount)', 'sign(ratio)', 'sign(id)', 'power(ratio, 2)',
  'power(amount, 0.5)', 'sqrt(amount)', 'sqrt(ratio)', 'ln(ratio)', 'ln(amount)', 'exp(ratio)', 'exp(id)', 'mod(amount, 2)', 'mod(ratio, 2)',
  'greatest(amount, ratio, id)', 'least(amount, id)', 'greatest(name, \'B\')', 'least("day", at)',
  // dates
  'year("day")', 'quarter(at)', 'month("day")', 'day(at)', 'day_of_week("day")', 'day_of_week(at)', 'day_of_year("day")', 'hour(at)', 'minute(at)',
  "date_trunc('week', \"day\")", "date_trunc('quarter', at)", "date_trunc('month', \"day\")", "date_trunc('year', at)", "date_trunc('day', at)",
  "date_trunc('hour', at)", 'date_add("day", 1)', 'date_add(at, -1)', 'date_add("day", id)', 'add_months("day", 12)', 'add_months(at, -1)',
  "date_diff('day', \"day\", at)", "date_diff('month', at, \"day\")", "date_diff('year', \"day\", DATE '2030-01-01')", 'last_day("day")', 'last_day(at)',
  "strftime(at, '%Y-%m-%d %H:%M:%S.%f')", "strftime(\"day\", '%y/%j %b %B %a %A')", "strftime(at, '%I%p %% 100%%')", "strftime(\"day\", 'week ''%d''')",
  'to_date(at)', 'make_date(2024, 2, id)', 'make_date(id, 1, 1)', '$run_date', 'date_add($run_date, $n)',
  // conditional
  'coalesce(amount, ratio)', 'coalesce(name, \'-\')', 'coalesce(at, "day")', 'nullif(id, 1)', 'nullif(name, \'Ada\')',
];

const PARAM_SQL = "SET VARIABLE run_date = DATE '2026-11-24'; SET VARIABLE n = CAST(3 AS BIGINT);";
const PARAM_PY = '{"run_date": datetime.date(2026, 11, 24), "n": 3}';

let connection: DuckDBConnection;
let work: string;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('CREATE TABLE t (id BIGINT, amount DECIMAL(10,2), ratio DOUBLE, name VARCHAR, "day" DATE, "at" TIMESTAMP, ok BOOLEAN)');
  await connection.run(`INSERT INTO t VALUES ${ROWS_SQL}`);
  await connection.run(PARAM_SQL);
  work = mkdtempSync(join(tmpdir(), 'bb-python-emit-'));
  writeFileSync(join(work, 'bb_runtime.py'), bbRuntimePy());
});

afterAll(() => connection.closeSync());

function check(text: string) {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`${text}: ${JSON.stringify(parsed.errors)}`);
  const checked = typecheckExpression(parsed.expr, { columns: SCHEMA, params: PARAMS });
  if (checked.errors.length > 0) throw new Error(`${text}: ${JSON.stringify(checked.errors)}`);
  return { expr: parsed.expr, types: checked.types };
}

function pythonOf(text: string): string {
  const c = check(text);
  return emitPython(c.expr, { types: c.types });
}

/** Python values as DuckDB's getRowObjectsJson gives them: BIGINT / DECIMAL as text, DOUBLE as numbers. */
const CANON_PY = `
def canon(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float('inf'), float('-inf')) else bb.text(v)
    return bb.text(v)
`;

/** Evaluates Python expression code on the rows: one list of values (or {error}) per expression. */
function runPython(codes: readonly string[], rows = ROWS_PY): unknown[][] {
  const script = `import datetime, json, sys
sys.path.insert(0, ${JSON.stringify(work)})
import bb_runtime as bb
${CANON_PY}
P = ${PARAM_PY}
ROWS = ${rows}
FNS = [${codes.map((c) => `\n    lambda r: ${c}`).join(',')}
]
out = []
for f in FNS:
    vals = []
    for r in ROWS:
        try:
            vals.append(canon(f(r)))
        except bb.EvalError as e:
            vals.append({'error': str(e)})
        except Exception as e:  # a crash, not a defined error: never equal to DuckDB's
            vals.append({'crash': '%s: %s' % (type(e).__name__, e)})
    out.append(vals)
print(json.dumps(out))
`;
  const file = join(work, `eval-${codes.length}.py`);
  writeFileSync(file, script);
  return JSON.parse(execFileSync(process.env['BATCHBOOK_PYTHON'] ?? 'python3', [file], { encoding: 'utf8' })) as unknown[][];
}

async function runDuckdb(text: string): Promise<unknown[]> {
  const { expr, types } = check(text);
  const sql = emitDuckdb(expr, { types });
  const out: unknown[] = [];
  for (const id of [1, 2, -7, 9223372036854775807n]) {
    try {
      const reader = await connection.runAndReadAll(`SELECT ${sql} AS v FROM t WHERE id = ${id}`);
      out.push(reader.getRowObjectsJson()[0]?.v ?? null);
    } catch {
      out.push({ error: true });
    }
  }
  return out;
}

/** DuckDB's JSON of a DOUBLE is a number; of NaN / Infinity a string ('nan', 'inf' as Python prints them). */
function normalise(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && 'error' in v) return { error: true };
  if (v === 'NaN') return 'nan';
  if (v === 'Infinity') return 'inf';
  if (v === '-Infinity') return '-inf';
  return v;
}

describe('emitPython agrees with DuckDB, row by row', () => {
  it('on every operator and catalog function over typed columns, NULLs and edge values', async () => {
    const py = runPython(EXPRESSIONS.map(pythonOf));
    const mismatches: string[] = [];
    for (const [i, text] of EXPRESSIONS.entries()) {
      const expected = (await runDuckdb(text)).map(normalise);
      const actual = py[i]!.map(normalise);
      const same = expected.every((e, k) => {
        const a = actual[k];
        if (typeof e === 'number' && typeof a === 'number') return e === a || Math.abs(e - a) <= 1e-12 * Math.max(Math.abs(e), Math.abs(a));
        return JSON.stringify(e) === JSON.stringify(a);
      });
      if (!same) mismatches.push(`${text}\n   duckdb ${JSON.stringify(expected)}\n   python ${JSON.stringify(actual)}`);
    }
    expect(mismatches.join('\n')).toBe('');
  });

  it('on every catalog example', () => {
    const pairs = FUNCTION_NAMES.map((name) => FUNCTIONS[name].example);
    const emit = (t: string) => (t === 'NULL' ? 'None' : pythonOf(t));
    const codes = pairs.flatMap(([call, result]) => [emit(call), emit(result)]);
    const values = runPython(codes, '[{}]');
    pairs.forEach(([call, result], i) => expect(values[2 * i], `${call} → ${result}`).toEqual(values[2 * i + 1]));
  });
});

describe('emitPython: where plain Python would differ (hand-worked)', () => {
  const CASES: readonly (readonly [string, unknown])[] = [
    ['round(2.5e0)', 3], // Python's round() gives 2
    ['round(-0.5e0)', -1],
    ['round(0.125, 2)', '0.13'],
    ['round(-1250, -2)', '-1300'],
    ['7 / 2', 3.5], // not 3 (no floor division)
    ['-7 % 3', '-1'], // Python's % gives 2
    ['-7.5e0 % 2', -1.5],
    ['CAST(-2.7 AS integer)', '-2'],
    ['1 + NULL', null],
    ["NULL || 'a'", null],
    ["regexp_matches('ab\n', 'b$')", false], // Python's $ also matches before a final newline
    ["regexp_matches('٣', '\\d')", false], // Python's \\d matches any Unicode digit
    ["length('héllo')", '5'],
    ["substr('hello', 0, 2)", 'he'],
    ["'a%b' LIKE 'a\\%b'", false],
    ['9223372036854775807 + 1', { error: 'integer out of range: 9223372036854775808' }],
    ['0.1 + 0.2 = 0.3', true],
    ['CASE WHEN TRUE THEN 1 ELSE 2.5 END', '1.0'],
  ];
  let values: unknown[][] = [];
  beforeAll(() => {
    values = runPython(CASES.map(([text]) => pythonOf(text)), '[{}]');
  });
  it.each(CASES.map((c, i) => [...c, i] as const))('%s', (_text, expected, i) => {
    expect(values[i]).toEqual([expected]);
  });
});

describe('emitPython: code', () => {
  it('reads like the expression: helper calls over r[...] and P[...]', () => {
    const a = check('name IS NULL OR id > -5');
    expect(emitPython(a.expr, { types: a.types })).toBe('bb.or_((r["name"] is None), bb.gt(r["id"], (-5)))');
    const b = check('amount > 0 AND ok AND "day" >= $run_date');
    expect(emitPython(b.expr, { types: b.types })).toBe('bb.and_(bb.gt(r["amount"], 0), r["ok"], bb.ge(r["day"], P["run_date"]))');
  });

  it('refuses regular expressions whose syntax Python reads differently', () => {
    const c = check("regexp_matches(name, '\\p{L}+')");
    expect(() => emitPython(c.expr, { types: c.types })).toThrow(PythonUnsupported);
  });
});
