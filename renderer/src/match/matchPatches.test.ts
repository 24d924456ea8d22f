import { describe, expect, it } from 'vitest';
import { checkDraft, updateStage, applyCommands, type SpecInput } from '@batchbook/pipeline-core';
import { keyOf, keyPair, toggleNormaliser, withAmount, withDate, withLabels, withOpenItems, type Match } from './matchPatches';

const match: Match = { name: 'm', kind: 'match', left: 'a', right: 'b', keys: ['id'], cardinality: 'one_to_one' };
const schema = [
  { name: 'id', type: 'string' as const },
  { name: 'amount', type: 'double' as const },
];

describe('the match editor’s patches', () => {
  it('writes a key the shortest way the spec allows', () => {
    expect(keyOf({ left: 'id', right: 'id', normalise: [] })).toBe('id');
    expect(keyOf({ left: 'ref', right: 'reference', normalise: [] })).toEqual({ left: 'ref', right: 'reference' });
    expect(keyOf(toggleNormaliser(keyPair('id'), 'upper', true))).toEqual({ left: 'id', right: 'id', normalise: ['upper'] });
  });

  it('keeps trim before upper whatever order they are ticked in, and drops normalise when both are off', () => {
    const k = toggleNormaliser(toggleNormaliser(keyPair('id'), 'upper', true), 'trim', true);
    expect(k.normalise).toEqual(['trim', 'upper']);
    expect(keyOf(toggleNormaliser(toggleNormaliser(k, 'trim', false), 'upper', false))).toBe('id');
  });

  it('fills the other side of an amount with a column of the same name, and clearing it removes what needs it', () => {
    expect(withAmount(match, 'left', 'amount', schema)).toEqual({ amount: { left: 'amount', right: 'amount' } });
    expect(withAmount(match, 'left', 'total', schema)).toEqual({ amount: { left: 'total', right: '' } });
    const full: Match = { ...match, amount: { left: 'x', right: 'y' }, tolerance: { absolute: 0.01 }, cardinality: 'one_to_many' };
    expect(withAmount(full, 'right', '', schema)).toEqual({ amount: undefined, tolerance: undefined, cardinality: 'one_to_one' });
  });

  it('keeps the window when a date column changes, and removes the date when cleared', () => {
    const dated: Match = { ...match, date: { left: 'd', right: 'e', within_days: 3 } };
    expect(withDate(dated, 'right', 'settled_on', schema)).toEqual({ date: { left: 'd', right: 'settled_on', within_days: 3 } });
    expect(withDate(dated, 'left', '', schema)).toEqual({ date: undefined });
  });

  it('leaves labels and open items out of the spec when they say only the defaults', () => {
    expect(withLabels(match, 'left', 'order')).toEqual({ labels: { left: 'order', right: '' } });
    expect(withLabels({ ...match, labels: { left: 'order', right: '' } }, 'left', '')).toEqual({ labels: undefined });
    expect(withOpenItems(match, { max_age_days: 3 })).toEqual({ open_items: { max_age_days: 3 } });
    expect(withOpenItems({ ...match, open_items: { max_age_days: 3, carry: true, severity: 'error' } }, { max_age_days: undefined })).toEqual({ open_items: undefined });
    expect(withOpenItems(match, { carry: false, severity: 'warn' })).toEqual({ open_items: { carry: false, severity: 'warn' } });
  });

  it('produces stages the spec accepts', () => {
    const spec: SpecInput = {
      version: 1,
      name: 'p',
      sources: { s: { format: 'csv', path: 's.csv', schema }, t: { format: 'csv', path: 't.csv', schema } },
      stages: [{ name: 'a', kind: 'ingest', source: 's' }, { name: 'b', kind: 'ingest', source: 't' }, match],
    };
    const edited = applyCommands(spec, [
      updateStage('m', withAmount(match, 'left', 'amount', schema)),
      updateStage('m', { keys: [keyOf(toggleNormaliser(keyPair('id'), 'trim', true))] }),
      updateStage('m', withOpenItems(match, { max_age_days: 2 })),
    ]);
    expect(checkDraft(edited).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
