import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bbRuntimePy } from './runtime.js';

/**
 * bb_runtime.py types raw text the way the embedded runner does, with DuckDB's TRY_CAST: every
 * ingested value and every cleanse cast goes through it. These tests ask DuckDB itself (the
 * reference) for each text and type, and the runtime must agree exactly.
 */

const TEXTS = [
  '12', ' 12 ', '12.5', '13.5', '-12.5', '2.5000000000000001', '0.49999999999', '1e3', '1.5e1', '1e-1', '5e-1', '+7', '-0', '00012', '12.', '.5', '.', '-', '',
  ' ', 'abc', '1,5', '1_000', '1__0', '_1', '1_', '1.5_0', '1e1_0', '0x10', '0X1f', '-0x10', '0b101', '0x', '12e', '1e', '.e5', 'e5', '1.e5',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '1e18', '1e19', '4e400', '1e-400', 'inf', '-Infinity', 'NaN', '\t12', '12\n', '1\r',
  '１２', '1.005', '1.015', '-1.005', '2.675', '0.125', '12345678901.99', '1234567890.999', '9999999999.995',
  'true', 'TRUE', 't', 'T', '1', '0', 'yes', 'no', 'y', 'n', 'f', 'false', ' true', 'true ', 'on', '2',
  '2026-11-24', '2026-1-5', ' 2026-11-24', '2026-11-24 ', '2026/11/24', '2026 11 24', '2026.11.24', '2026-11/24', '20261124', '2026-02-30', '2026-13-01',
  '0001-01-01', '26-11-24', '02026-11-24', '2026-011-24', '2026-11-245', '2026-1-05x', '2026-11-24 garbage', '2026-11-24T', 'epoch',
  '2026-11-24 10:00:00', '2026-11-24T10:00:00', '2026-11-24 10:00', '2026-11-24T10:00', '2026-11-24T 10:00', '2026-11-24  10:00:00', '2026-11-24 1:2:3',
  '2026-11-24 10:00:00+02:00', '2026-11-24 10:00:00+0200', '2026-11-24 10:00:00+02', '2026-11-24 10:00:00-0530', '2026-11-24 10:00:00Z',
  '2026-11-24 10:00:00Z ', '2026-11-24 10:00:00 Z', '2026-11-24T10:00:00z', '2026-11-24 10:00:00 UTC', '2026-11-24 10:00:00UTC', '2026-11-24 10:00:00 +02:00',
  '2026-11-24 10:00:00.5', '2026-11-24 10:00:00.1234567', '2026-11-24 10:00:00.', '2026-11-24 24:00:00', '2026-11-24 24:00:01', '2026-11-24 23:60:00',
  '2026-11-24 10:00:60', '2026-11-24 10', '2026-11-24 100:00', '2026-11-24x', '2026-11-24 x', '2026-11-24 10:00x',
];
const TYPES = ['BIGINT', 'DOUBLE', 'DECIMAL(12,2)', 'DECIMAL(4,2)', 'BOOLEAN', 'DATE', 'TIMESTAMP'] as const;
const LOGICAL: Record<(typeof TYPES)[number], string> = {
  BIGINT: 'integer',
  DOUBLE: 'double',
  'DECIMAL(12,2)': 'decimal(12,2)',
  'DECIMAL(4,2)': 'decimal(4,2)',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};

let connection: DuckDBConnection;
let work: string;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run("SET TimeZone = 'UTC'");
  work = mkdtempSync(join(tmpdir(), 'bb-runtime-'));
  writeFileSync(join(work, 'bb_runtime.py'), bbRuntimePy());
});

afterAll(() => connection.closeSync());

/** Runs Python over the runtime; the script prints JSON. */
function python(body: string): unknown {
  const file = join(work, 'script.py');
  writeFileSync(file, `import json, sys, datetime\nsys.path.insert(0, ${JSON.stringify(work)})\nimport bb_runtime as bb\n${body}`);
  return JSON.parse(execFileSync(process.env['BATCHBOOK_PYTHON'] ?? 'python3', [file], { encoding: 'utf8' }));
}

/** DuckDB's answer as text (NULL as null), one per text and type. */
async function duckdb(sqlOf: (text: string) => string, texts: readonly string[]): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const t of texts) {
    const reader = await connection.runAndReadAll(`SELECT CAST(${sqlOf(t)} AS VARCHAR) AS v`);
    out.push((reader.getRowObjectsJson()[0]?.v as string | null) ?? null);
  }
  return out;
}

const sqlString = (t: string) => `'${t.replaceAll("'", "''")}'`;

describe('bb_runtime.from_text types text as DuckDB TRY_CAST does', () => {
  it.each(TYPES)('%s', async (type) => {
    const expected = await duckdb((t) => `TRY_CAST(${sqlString(t)} AS ${type})`, TEXTS);
    const actual = python(`print(json.dumps([bb.text(bb.from_text(t, ${JSON.stringify(LOGICAL[type])})) for t in ${JSON.stringify(TEXTS)}]))`) as (string | null)[];
    const differ = TEXTS.flatMap((t, i) => (expected[i] === actual[i] ? [] : [`${JSON.stringify(t)}: duckdb ${expected[i]} python ${actual[i]}`]));
    // DuckDB keeps dates it cannot show in Python (BC, year 0, year > 9999): the runtime reads them as NULL
    const unrepresentable = differ.filter((d) => !/duckdb (\d{5,}-|.*\(BC\)|-?infinity)/.test(d));
    expect(unrepresentable).toEqual([]);
  });
});

describe('bb_runtime.convert is DuckDB TRY_CAST between types (cleanse cast steps, union widening)', () => {
  const VALUES: readonly (readonly [string, string, string])[] = [
    // [DuckDB value, Python value, logical type of the value]
    ['2.5::DOUBLE', '2.5', 'double'],
    ['3.5::DOUBLE', '3.5', 'double'],
    ['-2.5::DOUBLE', '-2.5', 'double'],
    ['2.675::DOUBLE', '2.675', 'double'],
    ['1.005::DOUBLE', '1.005', 'double'],
    ['1e30::DOUBLE', '1e30', 'double'],
    ['2.5::DECIMAL(5,1)', 'bb.D("2.5")', 'decimal(5,1)'],
    ['-2.5::DECIMAL(5,1)', 'bb.D("-2.5")', 'decimal(5,1)'],
    ['-12.345::DECIMAL(6,3)', 'bb.D("-12.345")', 'decimal(6,3)'],
    ['9223372036854775807::BIGINT', '9223372036854775807', 'integer'],
    ['TRUE', 'True', 'boolean'],
    ['0::BIGINT', '0', 'integer'],
    ["TIMESTAMP '2026-01-01 10:00:00.25'", 'datetime.datetime(2026, 1, 1, 10, 0, 0, 250000)', 'timestamp'],
    ["DATE '2026-01-01'", 'datetime.date(2026, 1, 1)', 'date'],
  ];
  const TARGETS = ['BIGINT', 'DOUBLE', 'DECIMAL(5,2)', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP'] as const;
  const LOG: Record<(typeof TARGETS)[number], string> = { BIGINT: 'integer', DOUBLE: 'double', 'DECIMAL(5,2)': 'decimal(5,2)', BOOLEAN: 'boolean', VARCHAR: 'string', DATE: 'date', TIMESTAMP: 'timestamp' };

  it.each(TARGETS)('to %s', async (target) => {
    const expected: (string | null)[] = [];
    for (const [sql] of VALUES) {
      try {
        const reader = await connection.runAndReadAll(`SELECT CAST(TRY_CAST(${sql} AS ${target}) AS VARCHAR) AS v`);
        expected.push((reader.getRowObjectsJson()[0]?.v as string | null) ?? null);
      } catch {
        expected.push(null); // a conversion DuckDB does not bind (DATE -> BIGINT…) is refused by the type checker
      }
    }
    const actual = python(`print(json.dumps([bb.text(bb.convert(v, ${JSON.stringify(LOG[target])})) for v in [${VALUES.map((v) => v[1]).join(', ')}]]))`) as (string | null)[];
    expect(VALUES.map((v, i) => `${v[0]} → ${actual[i]}`)).toEqual(VALUES.map((v, i) => `${v[0]} → ${expected[i]}`));
  });
});

describe('bb_runtime.text writes values as CAST(x AS VARCHAR) does', () => {
  it('for every logical type, as reject reasons and CSV outputs show them', async () => {
    const cases: readonly (readonly [string, string])[] = [
      ['0.1::DOUBLE', '0.1'],
      ['1e20::DOUBLE', '1e20'],
      ['1e-7::DOUBLE', '1e-7'],
      ['1e15::DOUBLE', '1e15'],
      ['1e16::DOUBLE', '1e16'],
      ['-0.0::DOUBLE', '-0.0'],
      ['0.000123::DOUBLE', '0.000123'],
      ['123456789012345678.0::DOUBLE', '123456789012345678.0'],
      ['12.50::DECIMAL(12,2)', 'bb.D("12.50")'],
      ['-0.00::DECIMAL(12,2)', 'bb.D("-0.00")'],
      ["TIMESTAMP '2026-11-24 10:00:00.5'", 'datetime.datetime(2026, 11, 24, 10, 0, 0, 500000)'],
      ["TIMESTAMP '2026-11-24 10:00:00'", 'datetime.datetime(2026, 11, 24, 10, 0)'],
      ["DATE '0044-03-15'", 'datetime.date(44, 3, 15)'],
      ['FALSE', 'False'],
    ];
    const expected = await duckdb((t) => t, cases.map((c) => c[0]));
    const actual = python(`print(json.dumps([bb.text(v) for v in [${cases.map((c) => c[1]).join(', ')}]]))`);
    expect(actual).toEqual(expected);
  });
});

describe('bb_runtime rows', () => {
  it('a wall time in a DST gap or overlap becomes UTC as DuckDB (ICU) reads it', async () => {
    const walls = ['2026-03-29 02:30:00', '2026-10-25 02:30:00', '2026-03-08 02:30:00', '2026-11-24 10:00:00'];
    const zones = ['Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'Europe/Berlin'];
    const expected = [];
    for (const [i, w] of walls.entries()) {
      const reader = await connection.runAndReadAll(`SELECT CAST(CAST(timezone('${zones[i]}', TIMESTAMP '${w}') AS TIMESTAMP) AS VARCHAR) AS v`);
      expected.push(reader.getRowObjectsJson()[0]?.v);
    }
    const actual = python(
      `print(json.dumps([bb.text(bb.ParseDate('c', ['%Y-%m-%d %H:%M:%S'], timezone=z).parse(w)) for w, z in zip(${JSON.stringify(walls)}, ${JSON.stringify(zones)})]))`,
    );
    expect(actual).toEqual(expected);
  });

  it("parse_date reads %z offsets as DuckDB's strptime does (a bare hour +02 too), and only with %z formats", async () => {
    const texts = ['2026-10-25 02:30:00+02', '2026-10-25 02:30:00+0200', '2026-10-25 02:30:00+02:00', '2026-10-25 02:30:00-0530', '2026-10-25 02:30:00Z', '2026-10-25 02:30:00', '2026-10-25'];
    const formats = ['%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d'];
    const expected = await duckdb((t) => `coalesce(${formats.map((f) => `CAST(try_strptime(regexp_replace(${sqlString(t)}, '[Zz]$', '+00:00'), '${f}') AS TIMESTAMP)`).join(', ')})`, texts);
    const actual = python(`print(json.dumps([bb.text(bb.ParseDate('c', ${JSON.stringify(formats)}).parse(t)) for t in ${JSON.stringify(texts)}]))`);
    expect(actual).toEqual(expected);
  });

  it('group keys treat equal numbers of any type as one key, and keep NULL', () => {
    expect(python('print(json.dumps([bb.group_key([1]) == bb.group_key([bb.D("1.00")]) == bb.group_key([1.0]), bb.group_key([None]) == (None,), bb.join_key(["a", None])]))')).toEqual([
      true,
      true,
      null,
    ]);
  });
});

describe('split reads of one big text file', () => {
  // every line once, whatever the range size: lines of 0..9 characters, one without its '\n' at the end
  const lines = ['a\n', '\n', 'bcd\n', 'efghijklm\n', 'n\n', '\n', '\n', 'opqrstuv\n', 'w'];
  const run = (body: string) => python(`import io\ndata = ${JSON.stringify(lines.join(''))}.encode()\n${body}`);

  it('gives every line to exactly one byte range, in order, for every range size', () => {
    const got = run(`out = {}
for size in range(1, len(data) + 2):
    parts = [p or ('whole', 0, len(data)) for p in bb.file_parts('ndjson', {}, len(data), size, None)]
    out[size] = [[pos, line.decode()] for (_, s, e) in parts for pos, line in bb.lines_in_range(io.BytesIO(data), s, e)]
print(json.dumps(out))`) as Record<string, [number, string][]>;
    // expected: the lines with their byte offsets, counted here by hand from the list
    const expected: [number, string][] = [];
    lines.reduce((pos, l) => (expected.push([pos, l]), pos + l.length), 0);
    expect(Object.keys(got)).toHaveLength(lines.join('').length + 1);
    for (const [size, found] of Object.entries(got)) expect(found, `range size ${size}`).toEqual(expected);
  });

  it('reads CSV records in ranges as the whole-file reader does, a record of the wrong width rejected with its raw text', () => {
    const csv = 'id,name,score\n1,ann,3\n2,"bo, b",\n3,cy\n4,dee,7\n';
    const got = python(`import io
data = ${JSON.stringify(csv)}.encode()
cols = ['name', 'id', 'score']
split = [list(t) for (_, s, e) in bb.file_parts('csv', {}, len(data), 9, None) for t in bb.read_text_range('csv', io.BytesIO(data), s, e, 'x.csv', cols, {})]
whole = [list(t) for t in bb.read_csv_bytes(data, 'x.csv', cols, {})]
print(json.dumps({'split': split, 'whole': whole, 'unsplit': bb.file_parts('csv', {}, len(data), len(data), None)}))`) as Record<string, unknown[][]>;
    // by hand: byte offsets 14, 22, 33, 38 (header 14 bytes, records 8, 11, 5); values in the pinned column order; '' is NULL
    expect(got['split']).toEqual([
      [14, null, null, 'ann', '1', '3'],
      [22, null, null, 'bo, b', '2', null],
      [33, 'Expected Number of Columns: 3 Found: 2', '3,cy', null, null, null],
      [38, null, null, 'dee', '4', '7'],
    ]);
    // the same values as the whole-file reader, which also numbers the lines
    expect(got['whole']!.filter((t) => t[2] === null).map((t) => t.slice(5))).toEqual(got['split']!.filter((t) => t[1] === null).map((t) => t.slice(3)));
    expect(got['unsplit']).toEqual([null]);
  });

  it('reads NDJSON lines in ranges, a line that is not an object rejected with its raw text', () => {
    const ndjson = '{"a": 1, "b": "x"}\n\nnot json\n{"b": null}\n';
    const got = python(`import io
data = ${JSON.stringify(ndjson)}.encode()
print(json.dumps([list(t) for (_, s, e) in bb.file_parts('ndjson', {}, len(data), 5, None) for t in bb.read_text_range('ndjson', io.BytesIO(data), s, e, 'x.ndjson', ['a', 'b'], {})]))`);
    expect(got).toEqual([
      [0, null, null, '1', 'x'],
      [20, 'not valid JSON: not json', 'not json', null, null],
      [29, null, null, null, null],
    ]);
  });

  it('never splits UTF-16 text, JSON arrays or a file within the size', () => {
    expect(python(`print(json.dumps([bb.file_parts('csv', {'encoding': 'utf-16'}, 100, 10, None), bb.file_parts('json', {}, 100, 10, None), bb.file_parts('csv', {}, 100, 0, None)]))`)).toEqual([[null], [null], [null]]);
  });
});
