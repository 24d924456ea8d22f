import type { DataType } from '../../types/dataType.js';
import type { BinaryOp, Expr, LiteralValue, UnaryOp } from '../ast.js';
import { isFunctionName, lookupFunction, type FunctionName, type ParamDef } from '../functions.js';
import type { ExprTypes } from '../typecheck.js';

/**
 * The shape every engine emitter shares. An engine is a Dialect: one hook per node kind, one
 * entry per binary operator and one per catalog function. `emitWithDialect` walks the tree and
 * calls the hooks with the children already emitted, so a new engine (Spark SQL, PySpark, Python
 * for Beam) is a sibling file that fills in the same tables; the compiler refuses a dialect that
 * misses a function or an operator.
 */

export interface EmitOptions {
  /** How to write a column reference; defaults to the dialect's quoted identifier. */
  readonly column?: (name: string) => string;
  /** How to write a parameter; callers usually inline a typed literal. */
  readonly param?: (name: string) => string;
  /**
   * Node types from typecheckExpression. Needed wherever the translation depends on a type
   * (date vs timestamp arguments, typed NULLs); emitting such a node without them throws.
   */
  readonly types?: ExprTypes;
}

/** A child that has already been emitted. */
export interface EmitArg {
  readonly expr: Expr;
  /** The child's code, safe to use as a function argument or list item. */
  readonly code: string;
  /** The child's code, safe as an operand of an operator (parenthesised when compound). */
  readonly operand: string;
  readonly type: DataType | undefined;
}

export interface EmitContext {
  /** The node being emitted. */
  readonly node: Expr;
  /** The node's own type, when types were given. */
  readonly type: DataType | undefined;
  /** The type of an argument, or an Error that explains types are needed to emit this node. */
  requireType(arg: EmitArg, why: string): DataType;
}

/** Emits a call; the result is used as an operand unparenthesised, so it must be self-delimiting. */
export type FunctionEmitter = (args: readonly EmitArg[], ctx: EmitContext) => string;
export type FunctionEmitterTable = { readonly [F in FunctionName]: FunctionEmitter };
export type BinaryEmitter = (left: EmitArg, right: EmitArg, ctx: EmitContext) => string;
export type BinaryEmitterTable = { readonly [Op in BinaryOp]: BinaryEmitter };

/** Where a literal sits: engines that type integer literals narrowly may leave them bare here. */
export interface LiteralContext {
  /** A comparison / IN / BETWEEN operand or an integer-only function argument: the type cannot leak into the result. */
  readonly typeInsensitive: boolean;
  readonly type: DataType | undefined;
}

export interface Dialect {
  readonly name: string;
  column(name: string): string;
  param(name: string): string;
  literal(lit: LiteralValue, ctx: LiteralContext): string;
  unary(op: UnaryOp, arg: EmitArg, ctx: EmitContext): string;
  readonly binary: BinaryEmitterTable;
  inList(arg: EmitArg, list: readonly EmitArg[], negated: boolean, ctx: EmitContext): string;
  between(arg: EmitArg, low: EmitArg, high: EmitArg, negated: boolean, ctx: EmitContext): string;
  like(arg: EmitArg, pattern: EmitArg, negated: boolean, caseInsensitive: boolean, ctx: EmitContext): string;
  isNull(arg: EmitArg, negated: boolean, ctx: EmitContext): string;
  caseExpr(operand: EmitArg | undefined, whens: readonly { when: EmitArg; then: EmitArg }[], otherwise: EmitArg | undefined, ctx: EmitContext): string;
  cast(arg: EmitArg, to: DataType, safe: boolean, ctx: EmitContext): string;
  readonly functions: FunctionEmitterTable;
}

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['=', '<>', '<', '<=', '>', '>=']);

/** Nodes whose code is an operator application and needs parentheses inside another operator. */
function isCompound(e: Expr): boolean {
  if (e.k === 'unary') return e.op === 'NOT' || e.arg.k !== 'literal'; // -5 reads as one token
  return e.k === 'binary' || e.k === 'in' || e.k === 'between' || e.k === 'like' || e.k === 'isnull';
}

export function emitWithDialect(dialect: Dialect, expr: Expr, opts: EmitOptions = {}): string {
  const typeOf = (e: Expr): DataType | undefined => opts.types?.get(e);

  const context = (node: Expr): EmitContext => ({
    node,
    type: typeOf(node),
    requireType(arg, why) {
      if (arg.type) return arg.type;
      throw new Error(`${dialect.name}: ${why} depends on the type of its argument; pass { types } from typecheckExpression to the emitter`);
    },
  });

  const emit = (e: Expr, typeInsensitive: boolean): EmitArg => {
    const code = emitNode(e, typeInsensitive);
    return { expr: e, code, operand: isCompound(e) ? `(${code})` : code, type: typeOf(e) };
  };

  const emitNode = (e: Expr, typeInsensitive: boolean): string => {
    const ctx = context(e);
    switch (e.k) {
      case 'column':
        return opts.column ? opts.column(e.name) : dialect.column(e.name);
      case 'param':
        return opts.param ? opts.param(e.name) : dialect.param(e.name);
      case 'literal':
        return dialect.literal(e.lit, { typeInsensitive, type: typeOf(e) });
      case 'unary':
        // A negated literal inherits the context, so `x > -5` stays as plain as `x > 5`.
        return dialect.unary(e.op, emit(e.arg, e.op === '-' && typeInsensitive), ctx);
      case 'binary': {
        const insensitive = COMPARISONS.has(e.op);
        return dialect.binary[e.op](emit(e.left, insensitive), emit(e.right, insensitive), ctx);
      }
      case 'in':
        return dialect.inList(emit(e.arg, true), e.list.map((x) => emit(x, true)), e.negated, ctx);
      case 'between':
        return dialect.between(emit(e.arg, true), emit(e.low, true), emit(e.high, true), e.negated, ctx);
      case 'like':
        return dialect.like(emit(e.arg, true), emit(e.pattern, true), e.negated, e.caseInsensitive, ctx);
      case 'isnull':
        return dialect.isNull(emit(e.arg, true), e.negated, ctx);
      case 'case':
        return dialect.caseExpr(
          e.operand ? emit(e.operand, true) : undefined,
          e.whens.map((w) => ({ when: emit(w.when, e.operand !== undefined), then: emit(w.then, false) })),
          e.else ? emit(e.else, false) : undefined,
          ctx,
        );
      case 'cast':
        return dialect.cast(emit(e.arg, false), e.type, e.safe, ctx);
      case 'call': {
        const def = lookupFunction(e.fn);
        if (!def || !isFunctionName(e.fn)) throw new Error(`${dialect.name}: unknown function ${e.fn}(); typecheck the expression before emitting it`);
        const params = def.params;
        const args = e.args.map((a, index) => {
          const p = params[Math.min(index, params.length - 1)] as ParamDef;
          return emit(a, p.kind === 'integer');
        });
        return dialect.functions[e.fn](args, ctx);
      }
    }
  };

  return emit(expr, false).code;
}
