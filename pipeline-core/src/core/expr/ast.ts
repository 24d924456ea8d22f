import type { DataType } from '../types/dataType.js';

/**
 * The portable expression language's syntax tree. Engine-neutral: every engine has its own
 * emitter from this tree; nothing here knows about DuckDB, Spark or Beam.
 *
 * `span` is the half-open character range [start, end) of the node in the source text, so
 * errors can be shown as editor squiggles. Structural equality ignores spans.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '||'
  | '=' | '<>' | '<' | '<=' | '>' | '>='
  | 'AND' | 'OR';

export type UnaryOp = '-' | 'NOT';

export type LiteralValue =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'integer'; readonly value: string }
  | { readonly type: 'decimal'; readonly value: string }
  | { readonly type: 'double'; readonly value: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'date'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: string };

export type Expr =
  | { readonly k: 'column'; readonly name: string; readonly span?: Span }
  | { readonly k: 'param'; readonly name: string; readonly span?: Span }
  | { readonly k: 'literal'; readonly lit: LiteralValue; readonly span?: Span }
  | { readonly k: 'unary'; readonly op: UnaryOp; readonly arg: Expr; readonly span?: Span }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span?: Span }
  | { readonly k: 'in'; readonly arg: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly span?: Span }
  | { readonly k: 'between'; readonly arg: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean; readonly span?: Span }
  | { readonly k: 'like'; readonly arg: Expr; readonly pattern: Expr; readonly negated: boolean; readonly caseInsensitive: boolean; readonly span?: Span }
  | { readonly k: 'isnull'; readonly arg: Expr; readonly negated: boolean; readonly span?: Span }
  | {
      readonly k: 'case';
      readonly operand?: Expr;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly else?: Expr;
      readonly span?: Span;
    }
  | { readonly k: 'cast'; readonly arg: Expr; readonly type: DataType; readonly safe: boolean; readonly span?: Span }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly span?: Span };

export type ExprKind = Expr['k'];
