import type { Expr } from './ast.js';

/** The direct sub-expressions of a node, in source order. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'column':
    case 'param':
    case 'literal':
      return [];
    case 'unary':
    case 'isnull':
    case 'cast':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'in':
      return [e.arg, ...e.list];
    case 'between':
      return [e.arg, e.low, e.high];
    case 'like':
      return [e.arg, e.pattern];
    case 'case':
      return [
        ...(e.operand ? [e.operand] : []),
        ...e.whens.flatMap((w) => [w.when, w.then]),
        ...(e.else ? [e.else] : []),
      ];
    case 'call':
      return e.args;
  }
}

/** Every node of the tree, parents before children. */
export function* walkExpr(e: Expr): Generator<Expr> {
  yield e;
  for (const c of childrenOf(e)) yield* walkExpr(c);
}

/** Column names the expression reads, each once, in order of first use. */
export function referencedColumns(e: Expr): string[] {
  return unique([...walkExpr(e)].flatMap((n) => (n.k === 'column' ? [n.name] : [])));
}

/** Parameter names (without '$') the expression reads, each once, in order of first use. */
export function referencedParams(e: Expr): string[] {
  return unique([...walkExpr(e)].flatMap((n) => (n.k === 'param' ? [n.name] : [])));
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** A copy without source spans, for structural comparison (two parses of equal text compare equal). */
export function stripSpans(e: Expr): Expr {
  switch (e.k) {
    case 'column':
      return { k: 'column', name: e.name };
    case 'param':
      return { k: 'param', name: e.name };
    case 'literal':
      return { k: 'literal', lit: e.lit };
    case 'unary':
      return { k: 'unary', op: e.op, arg: stripSpans(e.arg) };
    case 'binary':
      return { k: 'binary', op: e.op, left: stripSpans(e.left), right: stripSpans(e.right) };
    case 'in':
      return { k: 'in', arg: stripSpans(e.arg), list: e.list.map(stripSpans), negated: e.negated };
    case 'between':
      return { k: 'between', arg: stripSpans(e.arg), low: stripSpans(e.low), high: stripSpans(e.high), negated: e.negated };
    case 'like':
      return { k: 'like', arg: stripSpans(e.arg), pattern: stripSpans(e.pattern), negated: e.negated, caseInsensitive: e.caseInsensitive };
    case 'isnull':
      return { k: 'isnull', arg: stripSpans(e.arg), negated: e.negated };
    case 'case': {
      const whens = e.whens.map((w) => ({ when: stripSpans(w.when), then: stripSpans(w.then) }));
      const operand = e.operand ? { operand: stripSpans(e.operand) } : {};
      const otherwise = e.else ? { else: stripSpans(e.else) } : {};
      return { k: 'case', ...operand, whens, ...otherwise };
    }
    case 'cast':
      return { k: 'cast', arg: stripSpans(e.arg), type: e.type, safe: e.safe };
    case 'call':
      return { k: 'call', fn: e.fn, args: e.args.map(stripSpans) };
  }
}
