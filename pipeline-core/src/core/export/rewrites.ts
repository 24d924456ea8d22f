import type { Expr } from '../expr/ast.js';
import type { ExprTypes } from '../expr/typecheck.js';

/**
 * Rewrites that keep an expression's meaning (as the runner's DuckDB computes it) while avoiding
 * a construct an export target refuses. Each is exact, or says in a note what it changes; the
 * caller (refusalScan.ts) offers one only after the rewritten text type-checks and the target
 * emits it.
 */

const REGEX_FUNCTIONS = new Set(['regexp_matches', 'regexp_replace', 'regexp_extract']);

/** RE2's POSIX classes are ASCII-only, so these ranges are exactly what they match. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  xdigit: '0-9A-Fa-f',
  word: 'a-zA-Z0-9_',
  blank: ' \\t',
  space: ' \\t\\n\\r\\f\\v',
};

export const LITERAL_BRACES_NOTE = 'RE2, which the runner uses, reads {,n} as the text "{,n}", so it is written [{],n} here; write {0,n} if you meant zero to n repetitions';

/**
 * The same pattern, as RE2 (the runner) reads it, in syntax every engine reads alike: POSIX
 * classes as ranges, named groups as plain groups (regexp_extract counts groups by position, so
 * numbering is unchanged), `{,n}` — literal text to RE2, a quantifier to Python — escaped.
 * Undefined when nothing changes or a construct has no portable spelling.
 */
export function portablePattern(pattern: string, notes: Set<string> = new Set()): string | undefined {
  let unknownClass = false;
  const out = pattern
    .replace(/\[:([a-z]+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? ((unknownClass = true), whole))
    .replace(/\(\?P?<([A-Za-z][A-Za-z0-9_]*)>/g, '(')
    .replace(/(?<!\\)\{,(\d+)\}/g, (_whole, n: string) => {
      notes.add(LITERAL_BRACES_NOTE);
      return `[{],${n}}`; // the brace as a class: no engine reads it as a quantifier
    });
  return out !== pattern && !unknownClass ? out : undefined;
}

/** One regex atom: an escape, a bracket class, a group without nested groups, or a plain character. */
const ATOM = String.raw`(?:\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\((?:\\.|[^()\\])*\)|[^\\()[\]{}*+?|^$.])`;
const EMPTY_QUANTIFIED = new RegExp(String.raw`^(${ATOM}|\.)(\*|\?|\{0,(\d+)\})$`);

/**
 * For a replacement of '' only: `X*` → `X+`, `X?` → `X`, `X{0,n}` → `X{1,n}`. Replacing an empty
 * match with '' changes nothing, so the non-empty matches are all that count, and those are the
 * same (greedy, leftmost) for a single atom. Undefined for any other pattern.
 */
export function nonEmptyPattern(pattern: string): string | undefined {
  const m = EMPTY_QUANTIFIED.exec(pattern);
  if (!m) return undefined;
  const [, atom, quantifier, max] = m;
  return quantifier === '*' ? `${atom}+` : quantifier === '?' ? atom : `${atom}{1,${max}}`;
}

const stringLiteral = (e: Expr | undefined): string | undefined => (e?.k === 'literal' && e.lit.type === 'string' ? e.lit.value : undefined);
const stringOf = (value: string): Expr => ({ k: 'literal', lit: { type: 'string', value } });

/** What a rewrite changes that the reader must know (the one rewrite here that is not exact). */
export const DECIMAL_TEXT_NOTE = "a fixed number of decimals: 1.5 becomes '1.50'; choose the scale the data needs";

/** A double's text differs between engines; a decimal's does not (scale 2: choose the one the data needs). */
function castRewrite(e: Extract<Expr, { k: 'cast' }>, arg: Expr, types: ExprTypes, notes: Set<string>): Expr {
  if (e.type !== 'string' || types.get(e.arg) !== 'double') return { ...e, arg };
  notes.add(DECIMAL_TEXT_NOTE);
  return { ...e, arg: { k: 'cast', arg, type: 'decimal(18,2)', safe: false } };
}

function callRewrite(e: Extract<Expr, { k: 'call' }>, args: readonly Expr[], notes: Set<string>): Expr {
  if (!REGEX_FUNCTIONS.has(e.fn)) return { ...e, args };
  const pattern = stringLiteral(args[1]);
  if (pattern === undefined) return { ...e, args };
  let p = portablePattern(pattern, notes) ?? pattern;
  if (e.fn === 'regexp_replace' && stringLiteral(args[2]) === '') p = nonEmptyPattern(p) ?? p;
  return { ...e, args: args.map((a, i) => (i === 1 && p !== pattern ? stringOf(p) : a)) };
}

/**
 * The expression with every rewrite applied, bottom up (types are looked up on the original
 * nodes); what a rewrite does not keep exactly is added to `notes`.
 */
export function rewriteExpression(e: Expr, types: ExprTypes, notes: Set<string> = new Set()): Expr {
  const r = (x: Expr) => rewriteExpression(x, types, notes);
  switch (e.k) {
    case 'column':
    case 'param':
    case 'literal':
      return e;
    case 'unary':
      return { ...e, arg: r(e.arg) };
    case 'isnull':
      return { ...e, arg: r(e.arg) };
    case 'cast':
      return castRewrite(e, r(e.arg), types, notes);
    case 'binary':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'in':
      return { ...e, arg: r(e.arg), list: e.list.map(r) };
    case 'between':
      return { ...e, arg: r(e.arg), low: r(e.low), high: r(e.high) };
    case 'like':
      return { ...e, arg: r(e.arg), pattern: r(e.pattern) };
    case 'case':
      return { ...e, ...(e.operand ? { operand: r(e.operand) } : {}), whens: e.whens.map((w) => ({ when: r(w.when), then: r(w.then) })), ...(e.else ? { else: r(e.else) } : {}) };
    case 'call':
      return callRewrite(e, e.args.map(r), notes);
  }
}
