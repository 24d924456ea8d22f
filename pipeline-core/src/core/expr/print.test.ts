import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalType, SCALAR_TYPES, type DataType } from '../types/dataType.js';
import type { BinaryOp, Expr, LiteralValue } from './ast.js';
import { FUNCTION_NAMES } from './functions.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { childrenOf, stripSpans } from './walk.js';

// Any syntax tree, typed or not: the printer and the parser must agree on all of them.

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const dateText = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const timestampText = fc.tuple(dateText, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.option(digits(1, 6), { nil: undefined }))
  .map(([d, h, mi, s, f]) => `${d} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${f ? `.${f}` : ''}`);

const literal: fc.Arbitrary<LiteralValue> = fc.oneof(
  fc.constant<LiteralValue>({ type: 'null' }),
  fc.boolean().map((value): LiteralValue => ({ type: 'boolean', value })),
  fc.bigInt({ min: 0n, max: 9223372036854775807n }).map((v): LiteralValue => ({ type: 'integer', value: String(v) })),
  fc.tuple(digits(0, 6), digits(0, 6))
    .filter(([a, b]) => a.length + b.length > 0)
    .map(([a, b]): LiteralValue => ({ type: 'decimal', value: `${a}.${b}` })),
  fc.tuple(digits(1, 4), fc.option(digits(1, 3), { nil: undefined }), fc.constantFrom('e', 'E', 'e-', 'E+'), digits(1, 2))
    .map(([m, f, e, x]): LiteralValue => ({ type: 'double', value: `${m}${f ? `.${f}` : ''}${e}${x}` })),
  fc.string({ maxLength: 8, unit: 'grapheme' }).map((value): LiteralValue => ({ type: 'string', value })),
  dateText.map((value): LiteralValue => ({ type: 'date', value })),
  timestampText.map((value): LiteralValue => ({ type: 'timestamp', value })),
);

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const columnName = fc.oneof(
  identifier,
  fc.constantFrom('date', 'timestamp', 'case', 'AND', 'Order Total', 'a"b', 'x--y', "it's", 'é'),
  fc.string({ minLength: 1, maxLength: 6 }),
);

const dataType: fc.Arbitrary<DataType> = fc.oneof(
  fc.constantFrom(...SCALAR_TYPES),
  fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => decimalType(p, s))),
);

const BINARY_OPS: readonly BinaryOp[] = ['+', '-', '*', '/', '%', '||', '=', '<>', '<', '<=', '>', '>=', 'AND', 'OR'];

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const list = (min: number, max: number) => fc.array(sub, { minLength: min, maxLength: max });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      columnName.map((name): Expr => ({ k: 'column', name })),
      identifier.map((name): Expr => ({ k: 'param', name })),
      literal.map((lit): Expr => ({ k: 'literal', lit })),
      fc.tuple(fc.constantFrom('-' as const, 'NOT' as const), sub).map(([op, arg]): Expr => ({ k: 'unary', op, arg })),
      fc.tuple(fc.constantFrom(...BINARY_OPS), sub, sub).map(([op, left, right]): Expr => ({ k: 'binary', op, left, right })),
      fc.tuple(sub, list(1, 3), fc.boolean()).map(([arg, items, negated]): Expr => ({ k: 'in', arg, list: items, negated })),
      fc.tuple(sub, sub, sub, fc.boolean()).map(([arg, low, high, negated]): Expr => ({ k: 'between', arg, low, high, negated })),
      fc.tuple(sub, sub, fc.boolean(), fc.boolean()).map(([arg, pattern, negated, caseInsensitive]): Expr => ({ k: 'like', arg, pattern, negated, caseInsensitive })),
      fc.tuple(sub, fc.boolean()).map(([arg, negated]): Expr => ({ k: 'isnull', arg, negated })),
      fc.tuple(fc.option(sub, { nil: undefined }), fc.array(fc.tuple(sub, sub), { minLength: 1, maxLength: 2 }), fc.option(sub, { nil: undefined }))
        .map(([operand, whens, otherwise]): Expr => ({
          k: 'case',
          ...(operand ? { operand } : {}),
          whens: whens.map(([when, then]) => ({ when, then })),
          ...(otherwise ? { else: otherwise } : {}),
        })),
      fc.tuple(sub, dataType, fc.boolean()).map(([arg, type, safe]): Expr => ({ k: 'cast', arg, type, safe })),
      fc.tuple(fc.constantFrom(...FUNCTION_NAMES, 'date'), list(0, 3)).map(([fn, args]): Expr => ({ k: 'call', fn, args })),
    ),
  };
});

describe('printExpression ∘ parseExpression', () => {

  it('round-trips every syntax tree (spans aside)', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpression(e);
        const back = parseExpression(text);
        if (!back.ok) throw new Error(`${text}\n${JSON.stringify(back.errors)}`);
        expect(stripSpans(back.expr)).toEqual(e);
        expect(printExpression(back.expr)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('gives every parsed node a span inside the text', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpression(e);
        const back = parseExpression(text);
        if (!back.ok) return;
        const check = (n: Expr, outer: { start: number; end: number }): void => {
          expect(n.span).toBeDefined();
          const s = n.span ?? outer;
          expect(s.start).toBeGreaterThanOrEqual(outer.start);
          expect(s.end).toBeLessThanOrEqual(outer.end);
          expect(s.start).toBeLessThan(s.end);
          for (const c of childrenOf(n)) check(c, s);
        };
        check(back.expr, { start: 0, end: text.length });
      }),
      { numRuns: 200 },
    );
  });
});
