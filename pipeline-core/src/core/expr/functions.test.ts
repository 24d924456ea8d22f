import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, FUNCTION_NAMES, renderFunctionTableMarkdown } from './functions.js';
import { parseExpression } from './parse.js';

const DOC = new URL('../../../docs/expression-language.md', import.meta.url);
const BEGIN = '<!-- BEGIN GENERATED FUNCTION TABLE: renderFunctionTableMarkdown() in src/core/expr/functions.ts -->';
const END = '<!-- END GENERATED FUNCTION TABLE -->';

describe('function catalog', () => {
  it('is documented: the table in docs/expression-language.md is the generated one', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, 'begin marker').toBeGreaterThan(-1);
    expect(end, 'end marker').toBeGreaterThan(start);
    const table = doc.slice(start + BEGIN.length, end).trim();
    const fresh = renderFunctionTableMarkdown().trim();
    if (process.env.UPDATE_EXPR_DOC && table !== fresh) {
      writeFileSync(DOC, `${doc.slice(0, start + BEGIN.length)}\n\n${fresh}\n\n${doc.slice(end)}`);
      return;
    }
    expect(table, 'stale: refresh with UPDATE_EXPR_DOC=1 npx vitest run src/core/expr/functions.test.ts').toBe(fresh);
  });

  it('has examples written in the language itself', () => {
    for (const name of FUNCTION_NAMES) {
      const [call, result] = FUNCTIONS[name].example;
      expect(parseExpression(call).ok, call).toBe(true);
      expect(parseExpression(result).ok, result).toBe(true);
      expect(call.startsWith(`${name}(`), call).toBe(true);
    }
  });
});
