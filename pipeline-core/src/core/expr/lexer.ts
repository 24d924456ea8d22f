import { diagnostic, type ExprDiagnostic } from './diagnostic.js';

/**
 * Tokens of the expression language. Keywords are recognised case-insensitively and carried
 * upper-cased in `value`; bare identifiers keep their spelling (column names are case-sensitive).
 */
export type TokenKind =
  | 'ident' // bare identifier
  | 'qident' // "double quoted" identifier, value unescaped
  | 'keyword'
  | 'param' // $name, value is the name without '$'
  | 'integer'
  | 'decimal'
  | 'double'
  | 'string' // 'single quoted', value unescaped
  | 'op' // operators and punctuation
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Reserved words: they cannot be bare column names (quote them: "case"). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'IS', 'NULL', 'TRUE', 'FALSE',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST', 'TRY_CAST', 'AS', 'DATE', 'TIMESTAMP',
]);

const OPERATORS = ['<>', '!=', '<=', '>=', '||', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', ','] as const;

/** Likely mistakes from other languages, with the way to write them here. */
const MISTAKES: Readonly<Record<string, string>> = {
  '==': "use '=' to compare values",
  '&&': 'use AND',
  '!': "use NOT, or '<>' for 'not equal'",
  '|': "use '||' to concatenate strings, or OR for logic",
  '&': 'use AND',
  '^': 'use power(x, y)',
  ';': 'an expression is not a statement: remove the semicolon',
  '.': 'qualified names (t.col) are not supported: refer to the column by name, and quote it if it contains a dot: "t.col"',
  '[': 'arrays are not supported; use IN (a, b) for a list of values',
  '{': 'braces are not part of the expression language',
  '`': 'quote identifiers with double quotes: "my column"',
  '?': 'parameters are written $name, e.g. $run_date',
  ':': "casts are written CAST(x AS type), not x::type",
};

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly errors: readonly ExprDiagnostic[];
}

/** Splits `text` into tokens. Keeps going after an error so that every bad token is reported. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const errors: ExprDiagnostic[] = [];
  let i = 0;
  const at = (k: number): string => text.charAt(k);

  while (i < text.length) {
    const c = at(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '-' && at(i + 1) === '-') {
      while (i < text.length && at(i) !== '\n') i++;
    } else if (c === '/' && at(i + 1) === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        errors.push(diagnostic('Unclosed comment', i, text.length, "close the comment with '*/'"));
        i = text.length;
      } else {
        i = close + 2;
      }
    } else if (c === "'") {
      const r = quoted(text, i, "'");
      if (r.closed) tokens.push({ kind: 'string', value: r.value, start: i, end: r.end });
      else errors.push(diagnostic('Unclosed string literal', i, text.length, "close the string with ' (write '' for a quote inside a string: 'it''s')"));
      i = r.end;
    } else if (c === '"') {
      const r = quoted(text, i, '"');
      if (!r.closed) {
        errors.push(diagnostic('Unclosed quoted identifier', i, text.length, 'close the column name with " (write "" for a quote inside a name); string values use single quotes'));
      } else if (r.value === '') {
        errors.push(diagnostic('Empty quoted identifier ""', i, r.end, "a column name cannot be empty; for an empty string write ''"));
      } else {
        tokens.push({ kind: 'qident', value: r.value, start: i, end: r.end });
      }
      i = r.end;
    } else if (c === '$') {
      let j = i + 1;
      if (IDENT_START.test(at(j))) {
        while (j < text.length && IDENT_PART.test(at(j))) j++;
        tokens.push({ kind: 'param', value: text.slice(i + 1, j), start: i, end: j });
      } else {
        while (j < text.length && IDENT_PART.test(at(j))) j++;
        errors.push(diagnostic(`Invalid parameter '${text.slice(i, Math.max(j, i + 1))}'`, i, Math.max(j, i + 1), 'parameters are written $name, starting with a letter or underscore, e.g. $run_date'));
      }
      i = Math.max(j, i + 1);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(at(i + 1)))) {
      const r = number(text, i);
      if (r.error) errors.push(r.error);
      else tokens.push({ kind: r.kind, value: text.slice(i, r.end), start: i, end: r.end });
      i = r.end;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(at(j))) j++;
      const word = text.slice(i, j);
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ kind: 'keyword', value: upper, start: i, end: j });
      else tokens.push({ kind: 'ident', value: word, start: i, end: j });
      i = j;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      const two = text.slice(i, i + 2);
      if (two in MISTAKES) {
        errors.push(diagnostic(`Unknown operator '${two}'`, i, i + 2, MISTAKES[two]));
        i += 2;
      } else if (op) {
        tokens.push({ kind: 'op', value: op === '!=' ? '<>' : op, start: i, end: i + op.length });
        i += op.length;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
        const hint = MISTAKES[ch] ?? (/\p{L}/u.test(ch) ? `bare names use only A-Z, 0-9 and _; quote other names: "${identifierAround(text, i)}"` : undefined);
        errors.push(diagnostic(`Unexpected character '${ch}'`, i, i + ch.length, hint));
        i += ch.length;
      }
    }
  }
  tokens.push({ kind: 'eof', value: '', start: text.length, end: text.length });
  return { tokens, errors };
}

function quoted(text: string, start: number, q: string): { value: string; end: number; closed: boolean } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === q) {
      if (text.charAt(i + 1) === q) {
        value += q;
        i += 2;
        continue;
      }
      return { value, end: i + 1, closed: true };
    }
    value += c;
    i++;
  }
  return { value, end: text.length, closed: false };
}

function number(text: string, start: number): { kind: 'integer' | 'decimal' | 'double'; end: number; error?: ExprDiagnostic } {
  let i = start;
  let kind: 'integer' | 'decimal' | 'double' = 'integer';
  while (DIGIT.test(text.charAt(i))) i++;
  if (text.charAt(i) === '.') {
    kind = 'decimal';
    i++;
    while (DIGIT.test(text.charAt(i))) i++;
  }
  if (/[eE]/.test(text.charAt(i))) {
    let j = i + 1;
    if (/[+-]/.test(text.charAt(j))) j++;
    if (DIGIT.test(text.charAt(j))) {
      while (DIGIT.test(text.charAt(j))) j++;
      kind = 'double';
      i = j;
    }
  }
  if (IDENT_PART.test(text.charAt(i)) || text.charAt(i) === '.') {
    let j = i;
    while (IDENT_PART.test(text.charAt(j)) || text.charAt(j) === '.') j++;
    const word = text.slice(start, j);
    const hint = /^[0-9.]+[eE][+-]?$/.test(word)
      ? 'an exponent needs digits, e.g. 1e3'
      : `names cannot start with a digit; quote the column name: "${word}"`;
    return { kind, end: j, error: diagnostic(`Invalid number '${word}'`, start, j, hint) };
  }
  return { kind, end: i };
}

function identifierAround(text: string, i: number): string {
  let s = i;
  let e = i;
  while (s > 0 && /[\p{L}\p{N}_]/u.test(text.charAt(s - 1))) s--;
  while (e < text.length && /[\p{L}\p{N}_]/u.test(text.charAt(e))) e++;
  return text.slice(s, Math.max(e, i + 1));
}
