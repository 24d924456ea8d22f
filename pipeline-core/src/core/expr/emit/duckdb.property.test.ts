import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbType, isDecimal, type DataType, type Schema } from '../../types/dataType.js';
import type { BinaryOp, Expr, LiteralValue } from '../ast.js';
import { DIFF_UNITS, TRUNC_UNITS } from '../functions.js';
import { printExpression } from '../print.js';
import { childrenOf, walkExpr } from '../walk.js';
import { typecheckExpression } from '../typecheck.js';
import { duckdbExprLiteral, emitDuckdb } from './duckdb.js';

// Random well-typed expressions over a schema with every column type: the checker must give the
// type the generator aimed for, and DuckDB must bind and run the emitted SQL, producing exactly
// the logical type. Generated trees use TRY_CAST, so no runtime error is acceptable.

type Kind = 'integer' | 'double' | 'decimal' | 'string' | 'boolean' | 'date' | 'timestamp';

const SCHEMA: Schema = [
  { name: 'i', type: 'integer' },
  { name: 'small', type: 'integer' },
  { name: 'x', type: 'double' },
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'rate', type: 'decimal(5,4)' },
  { name: 's', type: 'string' },
  { name: 'b', type: 'boolean' },
  { name: 'd', type: 'date' },
  { name: 'ts', type: 'timestamp' },
];
const PARAMS: Record<string, DataType> = { p_int: 'integer', p_date: 'date' };
const PARAM_VALUES: Record<string, LiteralValue> = { p_int: { type: 'integer', value: '3' }, p_date: { type: 'date', value: '2026-11-25' } };

const col = (name: string): Expr => ({ k: 'column', name });
const lit = (l: LiteralValue): Expr => ({ k: 'literal', lit: l });
const int = (n: number): Expr => (n < 0 ? { k: 'unary', op: '-', arg: int(-n) } : lit({ type: 'integer', value: String(n) }));
const str = (value: string): Expr => lit({ type: 'string', value });
// A fresh node each time: types are recorded per node, and a NULL takes its type from where it sits.
const nul = (): Expr => lit({ type: 'null' });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: 'call', fn, args });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ k: 'binary', op, left, right });
const tryCast = (arg: Expr, type: DataType): Expr => ({ k: 'cast', arg, type, safe: true });

/** Small integers for lengths, counts and offsets (keeps lpad and date_add cheap and in range). */
const smallInt: fc.Arbitrary<Expr> = fc.oneof(fc.integer({ min: -3, max: 12 }).map(int), fc.constant(col('small')), fc.constant(col('$p_int')).map(() => ({ k: 'param', name: 'p_int' }) as Expr));

const memo = new Map<string, fc.Arbitrary<Expr>>();

function gen(kind: Kind, depth: number): fc.Arbitrary<Expr> {
  const key = `${kind}:${depth}`;
  let a = memo.get(key);
  if (!a) {
    a = build(kind, depth);
    memo.set(key, a);
  }
  return a;
}

function build(kind: Kind, depth: number): fc.Arbitrary<Expr> {
  const leaves = LEAVES[kind];
  if (depth === 0) return leaves;
  const g = (k: Kind) => gen(k, depth - 1);
  const num = fc.oneof(g('integer'), g('decimal'), g('double'));
  const sameKind = fc.constantFrom<Kind>('integer', 'decimal', 'double', 'string', 'date', 'timestamp', 'boolean');
  const common = [
    fc.tuple(g('boolean'), g(kind), g(kind)).map(([c, t, e]) => ({ k: 'case', whens: [{ when: c, then: t }], else: e }) as Expr),
    fc.tuple(g(kind), g(kind)).map(([p, q]) => call('coalesce', p, nul(), q)),
  ];
  const composite: Record<Kind, fc.Arbitrary<Expr>[]> = {
    integer: [
      fc.tuple(fc.constantFrom<BinaryOp>('+', '-', '%'), g('integer'), g('integer')).map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(g('integer'), smallInt).map(([l, r]) => bin('*', l, r)),
      g('integer').map((e) => ({ k: 'unary', op: '-', arg: e }) as Expr),
      g('string').map((e) => call('length', e)),
      fc.tuple(fc.constantFrom('year', 'quarter', 'month', 'day', 'day_of_week', 'day_of_year'), fc.oneof(g('date'), g('timestamp'))).map(([f, e]) => call(f, e)),
      fc.tuple(fc.constantFrom('hour', 'minute'), g('timestamp')).map(([f, e]) => call(f, e)),
      fc.tuple(fc.constantFrom(...DIFF_UNITS), fc.oneof(g('date'), g('timestamp')), fc.oneof(g('date'), g('timestamp'))).map(([u, p, q]) => call('date_diff', str(u), p, q)),
      num.map((e) => call('sign', e)),
      fc.tuple(g('integer'), fc.integer({ min: -3, max: 2 })).map(([e, n]) => call('round', e, int(n))),
      fc.tuple(fc.constantFrom('abs', 'floor', 'ceil'), g('integer')).map(([f, e]) => call(f, e)),
      fc.tuple(g('integer'), g('integer')).map(([p, q]) => call('mod', p, q)),
      fc.tuple(fc.constantFrom('greatest', 'least'), g('integer'), g('integer')).map(([f, p, q]) => call(f, p, q)),
      fc.tuple(g('integer'), g('integer')).map(([p, q]) => call('nullif', p, q)),
      fc.oneof(num, g('string'), g('boolean')).map((e) => tryCast(e, 'integer')),
    ],
    double: [
      fc.tuple(fc.constantFrom<BinaryOp>('+', '-', '*', '%'), g('double'), num).map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(num, num).map(([l, r]) => bin('/', l, r)),
      fc.tuple(fc.constantFrom('sqrt', 'ln', 'exp', 'abs', 'floor', 'ceil'), g('double')).map(([f, e]) => call(f, e)),
      fc.tuple(fc.constantFrom('sqrt', 'ln', 'exp'), num).map(([f, e]) => call(f, e)),
      fc.tuple(num, num).map(([p, q]) => call('power', p, q)),
      fc.tuple(g('double'), fc.integer({ min: -2, max: 3 })).map(([e, n]) => call('round', e, int(n))),
      fc.tuple(g('double'), num).map(([p, q]) => call('greatest', p, q)),
      fc.oneof(num, g('string')).map((e) => tryCast(e, 'double')),
    ],
    decimal: [
      fc.tuple(fc.constantFrom<BinaryOp>('+', '-', '%'), g('decimal'), fc.oneof(g('decimal'), g('integer'))).map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(g('decimal'), fc.oneof(g('integer'), fc.constant(col('rate')))).map(([l, r]) => bin('*', l, r)),
      fc.tuple(fc.constantFrom('abs', 'floor', 'ceil'), g('decimal')).map(([f, e]) => call(f, e)),
      g('decimal').map((e) => ({ k: 'unary', op: '-', arg: e }) as Expr),
      fc.tuple(g('decimal'), fc.integer({ min: -2, max: 5 })).map(([e, n]) => call('round', e, int(n))),
      g('decimal').map((e) => call('round', e)),
      fc.tuple(g('decimal'), g('integer')).map(([p, q]) => call('mod', p, q)),
      fc.tuple(g('decimal'), g('integer')).map(([p, q]) => call('least', p, q)),
      fc.tuple(g('decimal'), g('decimal')).map(([p, q]) => call('nullif', p, q)),
      fc.oneof(num, g('string')).map((e) => tryCast(e, 'decimal(12,3)')),
    ],
    string: [
      fc.tuple(g('string'), g('string')).map(([l, r]) => bin('||', l, r)),
      fc.tuple(g('string'), g('string')).map(([l, r]) => call('concat', l, nul(), r)),
      fc.tuple(fc.constantFrom('lower', 'upper', 'trim', 'ltrim', 'rtrim'), g('string')).map(([f, e]) => call(f, e)),
      fc.tuple(g('string'), smallInt, fc.option(smallInt, { nil: undefined })).map(([e, p, n]) => (n ? call('substr', e, p, n) : call('substr', e, p))),
      fc.tuple(fc.constantFrom('left', 'right'), g('string'), smallInt).map(([f, e, n]) => call(f, e, n)),
      fc.tuple(fc.constantFrom('lpad', 'rpad'), g('string'), smallInt).map(([f, e, n]) => call(f, e, n, str('*'))),
      fc.tuple(g('string'), g('string'), g('string')).map(([e, p, q]) => call('replace', e, p, q)),
      g('string').map((e) => call('regexp_replace', e, str('[aeiou]'), str('<\\0>'))),
      g('string').map((e) => call('regexp_extract', e, str('([a-z]+)([0-9]*)'), int(2))),
      fc.tuple(g('string'), fc.integer({ min: -3, max: 3 })).map(([e, n]) => call('split_part', e, str(','), int(n))),
      fc.oneof(g('integer'), g('decimal'), g('boolean'), g('date'), g('timestamp')).map((e) => tryCast(e, 'string')),
    ],
    boolean: [
      fc.tuple(fc.constantFrom<BinaryOp>('AND', 'OR'), g('boolean'), g('boolean')).map(([op, l, r]) => bin(op, l, r)),
      g('boolean').map((e) => ({ k: 'unary', op: 'NOT', arg: e }) as Expr),
      sameKind.chain((k) => fc.tuple(fc.constantFrom<BinaryOp>('=', '<>', '<', '<=', '>', '>='), g(k), g(k))).map(([op, l, r]) => bin(op, l, r)),
      fc.tuple(num, num).map(([l, r]) => bin('<', l, r)),
      fc.tuple(g('date'), g('timestamp')).map(([l, r]) => bin('<=', l, r)),
      sameKind.chain((k) => fc.tuple(g(k), fc.array(g(k), { minLength: 1, maxLength: 3 }), fc.boolean())).map(([arg, list, negated]) => ({ k: 'in', arg, list: [...list, nul()], negated }) as Expr),
      sameKind.chain((k) => fc.tuple(g(k), g(k), g(k), fc.boolean())).map(([arg, low, high, negated]) => ({ k: 'between', arg, low, high, negated }) as Expr),
      fc.tuple(g('string'), fc.constantFrom('a%', '%b_', '%', ''), fc.boolean(), fc.boolean()).map(([arg, p, negated, caseInsensitive]) => ({ k: 'like', arg, pattern: str(p), negated, caseInsensitive }) as Expr),
      fc.tuple(fc.oneof(g('string'), num, g('date')), fc.boolean()).map(([arg, negated]) => ({ k: 'isnull', arg, negated }) as Expr),
      fc.tuple(fc.constantFrom('starts_with', 'ends_with', 'contains'), g('string'), g('string')).map(([f, p, q]) => call(f, p, q)),
      g('string').map((e) => call('regexp_matches', e, str('^[A-Z][a-z]+'))),
      fc.oneof(g('integer'), g('string')).map((e) => tryCast(e, 'boolean')),
    ],
    date: [
      fc.tuple(g('date'), smallInt).map(([e, n]) => call('date_add', e, n)),
      fc.tuple(g('date'), smallInt).map(([e, n]) => call('add_months', e, n)),
      fc.tuple(fc.constantFrom(...TRUNC_UNITS.filter((u) => u !== 'hour')), g('date')).map(([u, e]) => call('date_trunc', str(u), e)),
      fc.oneof(g('date'), g('timestamp')).map((e) => call('last_day', e)),
      g('timestamp').map((e) => call('to_date', e)),
      fc.tuple(fc.integer({ min: -1, max: 10000 }), fc.integer({ min: 0, max: 13 }), smallInt).map(([y, m, dd]) => call('make_date', int(y), int(m), dd)),
      fc.oneof(g('timestamp'), g('string')).map((e) => tryCast(e, 'date')),
    ],
    timestamp: [
      fc.tuple(g('timestamp'), smallInt).map(([e, n]) => call('date_add', e, n)),
      fc.tuple(g('timestamp'), smallInt).map(([e, n]) => call('add_months', e, n)),
      fc.tuple(fc.constantFrom(...TRUNC_UNITS), g('timestamp')).map(([u, e]) => call('date_trunc', str(u), e)),
      g('date').map((e) => tryCast(e, 'timestamp')),
      fc.tuple(g('timestamp'), g('date')).map(([p, q]) => call('greatest', p, q)),
    ],
  };
  return fc.oneof({ weight: 2, arbitrary: leaves }, ...[...composite[kind], ...common].map((arbitrary) => ({ weight: 1, arbitrary })));
}

const LEAVES: Record<Kind, fc.Arbitrary<Expr>> = {
  integer: fc.oneof(fc.constantFrom(col('i'), col('small'), { k: 'param', name: 'p_int' } as Expr), fc.integer({ min: -1000, max: 3000000000 }).map(int)),
  double: fc.oneof(fc.constant(col('x')), fc.constantFrom('1e0', '2.5e0', '1e-3', '0e0', '1.5E2').map((value) => lit({ type: 'double', value }))),
  decimal: fc.oneof(fc.constantFrom(col('amount'), col('rate')), fc.constantFrom('12.50', '0.5', '.25', '100.', '2.675').map((value) => lit({ type: 'decimal', value }))),
  string: fc.oneof(fc.constant(col('s')), fc.constantFrom('', 'abc', "it's", 'a,b,c', 'Ünïcode', '  pad ', '42', '2026-01-31').map(str)),
  boolean: fc.oneof(fc.constant(col('b')), fc.boolean().map((value) => lit({ type: 'boolean', value }))),
  date: fc.oneof(fc.constantFrom(col('d'), { k: 'param', name: 'p_date' } as Expr), fc.constantFrom('2024-02-29', '2026-12-31', '0001-01-01').map((value) => lit({ type: 'date', value }))),
  timestamp: fc.oneof(fc.constant(col('ts')), fc.constantFrom('2024-02-29 23:59:59', '2026-01-01 00:00:00.5').map((value) => lit({ type: 'timestamp', value }))),
};

const readsColumn = (e: Expr): boolean => e.k === 'column' || childrenOf(e).some(readsColumn);

/**
 * Whether DuckDB's optimizer may fold part of the tree and so retype it: a constant that can be
 * NULL (a NULL literal, a parameter, a constant sub-expression, a constant divisor), or a
 * constant condition or argument that lets it pick one branch of CASE / coalesce / greatest / least.
 */
function foldable(root: Expr): boolean {
  return [...walkExpr(root)].some((e) => {
    if (e.k === 'literal') return e.lit.type === 'null';
    if (e.k === 'param') return true;
    if (e.k !== 'column' && !readsColumn(e)) return true;
    if (e.k === 'case') return e.whens.some((w) => !readsColumn(w.when));
    if (e.k === 'binary' && (e.op === '/' || e.op === '%')) return !readsColumn(e.right);
    if (e.k === 'call' && ['coalesce', 'greatest', 'least', 'nullif', 'mod', 'make_date'].includes(e.fn)) return e.args.some((a) => !readsColumn(a));
    return false;
  });
}

const KINDS: readonly Kind[] = ['integer', 'double', 'decimal', 'string', 'boolean', 'date', 'timestamp'];

let connection: DuckDBConnection;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE TABLE t (i BIGINT, small BIGINT, x DOUBLE, amount DECIMAL(10,2), rate DECIMAL(5,4), s VARCHAR, b BOOLEAN, d DATE, ts TIMESTAMP)`);
  await connection.run(`INSERT INTO t VALUES
    (42, 3, 2.5, 1234.56, 0.0825, 'Hello, World 7', TRUE, DATE '2024-01-31', TIMESTAMP '2024-01-31 13:45:10'),
    (-7, 0, -0.125, -0.01, 1.0000, 'abc', FALSE, DATE '2026-11-29', TIMESTAMP '2026-11-29 00:00:00'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(() => {
  connection.closeSync();
});

function kindOf(t: DataType): Kind {
  return isDecimal(t) ? 'decimal' : (t as Kind);
}

describe('well-typed random expressions run in DuckDB with the logical type', () => {
  it('checks, emits, binds and executes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS).chain((k) => fc.tuple(fc.constant(k), gen(k, 3))), async ([kind, e]) => {
        const text = printExpression(e);
        const checked = typecheckExpression(e, { columns: SCHEMA, params: PARAMS });
        expect(checked.errors, text).toEqual([]);
        expect(checked.type && kindOf(checked.type), text).toBe(kind);
        const param = (name: string): string => duckdbExprLiteral(PARAM_VALUES[name] as LiteralValue);
        const expected = duckdbType(checked.type as DataType);
        const run = async (sql: string) => {
          try {
            return await connection.runAndReadAll(`SELECT ${sql} AS v FROM t`);
          } catch (err) {
            throw new Error(`${text}\n${sql}\n${(err as Error).message}`);
          }
        };
        // Pinned, the result always has the logical type. Unpinned, DuckDB's own type must already
        // be the logical one (this cross-checks the decimal rules), unless its optimizer can fold
        // part of the tree and retype it.
        const pinned = await run(emitDuckdb(e, { types: checked.types, param }));
        expect(String(pinned.columnTypes()[0]), text).toBe(expected);
        const sql = emitDuckdb(e, { types: checked.types, param, pinType: false });
        const reader = await run(sql);
        if (!foldable(e)) expect(String(reader.columnTypes()[0]), `${text}\n${sql}`).toBe(expected);
      }),
      { numRuns: Number(process.env.EXPR_PROPERTY_RUNS ?? 500) },
    );
  });
});
