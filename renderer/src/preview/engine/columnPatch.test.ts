import { describe, expect, it } from 'vitest';
import type { Stage } from '@batchbook/pipeline-core';
import { columnsReadOf, planColumnPatch, unaffectedCells } from './columnPatch';

/** Which edits the column patch covers, which columns it recomputes, and which cells it spares; cases written by hand. */
const cleanse = (steps: unknown[]): Stage => ({ name: 'c', kind: 'cleanse', input: 'raw', steps }) as unknown as Stage;
const trim = { step: 'trim', columns: ['a', 'b', 'id'] };
const upper = { step: 'case', columns: ['a', 'b'], to: 'upper' };
const parse = { step: 'parse_number', column: 'amount', type: { kind: 'double' } };
const dedupe = { step: 'dedupe', keys: ['id'], order_by: [] };
const base = [trim, upper, parse, dedupe];

describe('planColumnPatch', () => {
  it('switching a case step off recomputes its columns with the value maps before it, on those columns only', () => {
    const plan = planColumnPatch(cleanse(base), cleanse([trim, { ...upper, enabled: false }, parse, dedupe]));
    expect(plan?.columns).toEqual(['a', 'b']);
    expect((plan?.stage as unknown as { steps: unknown[] }).steps).toEqual([{ step: 'trim', columns: ['a', 'b'] }]);
  });

  it('covers the union of the columns before and after an edit', () => {
    const plan = planColumnPatch(cleanse(base), cleanse([trim, { ...upper, columns: ['b'] }, parse, dedupe]));
    expect(plan?.columns).toEqual(['a', 'b']);
  });

  it('does not cover a step that parses, a standardise that rejects, or a column another step reads', () => {
    expect(planColumnPatch(cleanse(base), cleanse([trim, upper, { ...parse, enabled: false }, dedupe]))).toBeUndefined();
    const std = { step: 'standardise', column: 'a', mapping: { x: 'X' }, unmapped: 'reject' };
    expect(planColumnPatch(cleanse([...base, std]), cleanse([...base, { ...std, enabled: false }]))).toBeUndefined();
    // the dedupe reads id
    expect(planColumnPatch(cleanse(base), cleanse([trim, { ...upper, columns: ['a', 'id'] }, parse, dedupe]))).toBeUndefined();
    // an expression naming the column
    const derive = { step: 'derive', column: 'z', expr: 'lower(B)' };
    expect(planColumnPatch(cleanse([...base, derive]), cleanse([trim, { ...upper, enabled: false }, parse, dedupe, derive]))).toBeUndefined();
  });

  it('does not cover a change of anything but the steps, or of the number of steps', () => {
    expect(planColumnPatch(cleanse(base), { ...cleanse([trim, { ...upper, enabled: false }, parse, dedupe]), input: 'other' } as Stage)).toBeUndefined();
    expect(planColumnPatch(cleanse(base), cleanse([trim, parse, dedupe]))).toBeUndefined();
  });
});

describe('columnsReadOf and unaffectedCells', () => {
  const v = (name: string, input: string, rules: unknown[]) => ({ name, kind: 'validate', input, rules }) as unknown as Stage;
  const rel = v('checked', 'other', [{ rule: 'relationship', columns: ['id'], to: 'c' }]);
  const rec = v('rec', 'other', [{ rule: 'reconcile', left: { stage: 'c', fn: 'sum', column: 'x' }, right: { fn: 'sum', column: 'x' } }]);
  const own = v('own', 'c', [{ rule: 'relationship', columns: ['id'], to: 'other' }]);

  it('reads the key columns of a relationship rule, and anything through any other reference', () => {
    expect(columnsReadOf(rel, 'c')).toEqual(['id']);
    expect(columnsReadOf(rec, 'c')).toBeUndefined();
    expect(columnsReadOf(own, 'c')).toBeUndefined();
  });

  it('spares the cells that read none of the patched columns, and what reads only them', () => {
    const after = { name: 'after', kind: 'aggregate', input: 'checked' } as unknown as Stage;
    const stages = [cleanse([]), rel, rec, own, after];
    const inputs = (s: Stage): string[] => (s.name === 'c' ? ['raw'] : s.name === 'after' ? ['checked'] : s.name === 'own' ? ['c', 'other'] : ['other', 'c']);
    const all = new Set(['c', 'checked', 'rec', 'own', 'after']);
    expect([...unaffectedCells(stages, all, new Set(['c']), new Map([['c', ['a']]]), inputs)].sort()).toEqual(['after', 'checked']);
    // the patch recomputes the key the relationship reads: nothing is spared
    expect([...unaffectedCells(stages, all, new Set(['c']), new Map([['c', ['id']]]), inputs)]).toEqual([]);
    // not patched: nothing is spared
    expect([...unaffectedCells(stages, all, new Set(['c']), new Map(), inputs)]).toEqual([]);
  });
});
