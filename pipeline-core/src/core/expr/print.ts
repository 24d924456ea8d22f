import type { BinaryOp, Expr, LiteralValue } from './ast.js';
import { KEYWORDS } from './lexer.js';
import { printTypeName } from './sqlTypes.js';

/**
 * Canonical text for an expression: upper-case keywords, lower-case function names, single
 * spaces around binary operators, and parentheses only where precedence needs them. Parsing the
 * result gives back the same tree (spans aside).
 */
export function printExpression(expr: Expr): string {
  return print(expr, 0);
}

// Binding strength of each construct; a child printed where a tighter level is needed gets parentheses.
const OR = 1;
const AND = 2;
const NOT = 3;
const PREDICATE = 4; // comparisons, IS NULL, IN, BETWEEN, LIKE: these do not chain
const CONCAT = 5;
const ADDITIVE = 6;
const MULTIPLICATIVE = 7;
const NEGATION = 8;
const PRIMARY = 9;

const BINARY_LEVEL: Readonly<Record<BinaryOp, number>> = {
  OR, AND,
  '=': PREDICATE, '<>': PREDICATE, '<': PREDICATE, '<=': PREDICATE, '>': PREDICATE, '>=': PREDICATE,
  '||': CONCAT,
  '+': ADDITIVE, '-': ADDITIVE,
  '*': MULTIPLICATIVE, '/': MULTIPLICATIVE, '%': MULTIPLICATIVE,
};

function level(e: Expr): number {
  switch (e.k) {
    case 'binary':
      return BINARY_LEVEL[e.op];
    case 'unary':
      return e.op === 'NOT' ? NOT : NEGATION;
    case 'in':
    case 'between':
    case 'like':
    case 'isnull':
      return PREDICATE;
    default:
      return PRIMARY;
  }
}

function print(e: Expr, min: number): string {
  const text = printNode(e);
  return level(e) < min ? `(${text})` : text;
}

function printNode(e: Expr): string {
  const not = (negated: boolean): string => (negated ? 'NOT ' : '');
  switch (e.k) {
    case 'column':
      return printIdentifier(e.name);
    case 'param':
      return `$${e.name}`;
    case 'literal':
      return printLiteral(e.lit);
    case 'unary':
      return e.op === 'NOT' ? `NOT ${print(e.arg, NOT)}` : `-${print(e.arg, PRIMARY)}`;
    case 'binary': {
      const l = BINARY_LEVEL[e.op];
      // Comparisons do not associate, so neither side may be a bare comparison; the rest are left-associative.
      const [left, right] = l === PREDICATE ? [CONCAT, CONCAT] : [l, l + 1];
      return `${print(e.left, left)} ${e.op} ${print(e.right, right)}`;
    }
    case 'in':
      return `${print(e.arg, CONCAT)} ${not(e.negated)}IN (${e.list.map((x) => print(x, 0)).join(', ')})`;
    case 'between':
      return `${print(e.arg, CONCAT)} ${not(e.negated)}BETWEEN ${print(e.low, CONCAT)} AND ${print(e.high, CONCAT)}`;
    case 'like':
      return `${print(e.arg, CONCAT)} ${not(e.negated)}${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${print(e.pattern, CONCAT)}`;
    case 'isnull':
      return `${print(e.arg, CONCAT)} IS ${not(e.negated)}NULL`;
    case 'case': {
      const parts = ['CASE'];
      if (e.operand) parts.push(print(e.operand, 0));
      for (const w of e.whens) parts.push('WHEN', print(w.when, 0), 'THEN', print(w.then, 0));
      if (e.else) parts.push('ELSE', print(e.else, 0));
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${print(e.arg, 0)} AS ${printTypeName(e.type)})`;
    case 'call':
      return `${e.fn}(${e.args.map((a) => print(a, 0)).join(', ')})`;
  }
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column name as written in the language: bare when possible, else "double quoted". */
export function printIdentifier(name: string): string {
  return BARE_NAME.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function printStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function printLiteral(lit: LiteralValue): string {
  switch (lit.type) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return lit.value ? 'TRUE' : 'FALSE';
    case 'string':
      return printStringLiteral(lit.value);
    case 'date':
      return `DATE ${printStringLiteral(lit.value)}`;
    case 'timestamp':
      return `TIMESTAMP ${printStringLiteral(lit.value)}`;
    default:
      return lit.value;
  }
}
