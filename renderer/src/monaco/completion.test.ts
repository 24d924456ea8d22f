import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '@batchbook/pipeline-core';
import { hoverFor, suggestions } from './completion';

const cols = [{ name: 'amount', type: 'decimal(12,2)' as const }, { name: 'order id', type: 'string' as const }];

describe('suggestions', () => {
  it('offers the input columns (quoted when needed), every catalog function, parameters and keywords', () => {
    const s = suggestions(cols, { run_date: 'date' }, 'expr');
    expect(s.filter((x) => x.kind === 'column').map((x) => x.insertText)).toEqual(['amount', '"order id"']);
    expect(s.filter((x) => x.kind === 'function').map((x) => x.label).sort()).toEqual([...FUNCTION_NAMES].sort());
    expect(s.find((x) => x.kind === 'param')?.insertText).toBe('$run_date');
    expect(s.some((x) => x.label === 'IS NOT NULL')).toBe(true);
  });
  it('offers input tables in SQL, not the expression functions', () => {
    const s = suggestions(undefined, {}, 'sql', new Map([['paid_orders', cols]]));
    expect(s.find((x) => x.kind === 'table')?.label).toBe('paid_orders');
    expect(s.some((x) => x.kind === 'function')).toBe(false);
    expect(s.some((x) => x.label === 'SELECT')).toBe(true);
  });
});

describe('hoverFor', () => {
  it('shows a column’s type and a function’s signature', () => {
    expect(hoverFor('amount', cols)).toContain('decimal(12,2)');
    expect(hoverFor('upper', cols)).toContain('upper(');
    expect(hoverFor('nothing', cols)).toBeUndefined();
  });
});
