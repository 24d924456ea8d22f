import { describe, expect, it } from 'vitest';
import { addStage, renameStage, updateStage, type SpecInput } from '@batchbook/pipeline-core';
import { EMPTY_HISTORY, record, redo, undo } from './history';

const base: SpecInput = {
  version: 1,
  name: 'p',
  sources: { s: { format: 'csv', path: 's.csv', schema: [{ name: 'a', type: 'string' }] } },
  stages: [{ name: 'raw', kind: 'ingest', source: 's' }],
};

describe('undo history', () => {
  it('undoes and redoes named commands in order', () => {
    let h = EMPTY_HISTORY;
    let s = base;
    ({ spec: s, history: h } = record(h, s, addStage({ name: 'out', kind: 'output', input: 'raw', format: 'csv', path: 'o' }), 0));
    ({ spec: s, history: h } = record(h, s, renameStage('raw', 'orders'), 10_000));
    expect(s.stages.map((x) => x.name)).toEqual(['orders', 'out']);
    const u1 = undo(h)!;
    expect(u1.label).toBe("Rename stage 'raw' to 'orders'");
    expect(u1.spec.stages.map((x) => x.name)).toEqual(['raw', 'out']);
    const u2 = undo(u1.history)!;
    expect(u2.spec).toBe(base);
    expect(undo(u2.history)).toBeUndefined();
    const r1 = redo(u2.history)!;
    expect(r1.spec.stages).toHaveLength(2);
    expect(redo(redo(r1.history)!.history)).toBeUndefined();
  });
  it('merges quick edits of one field into one step, not edits far apart', () => {
    let h = EMPTY_HISTORY;
    let s = base;
    ({ spec: s, history: h } = record(h, s, addStage({ name: 'out', kind: 'output', input: 'raw', format: 'csv', path: 'o' }), 0));
    for (const [i, path] of ['o1', 'o12', 'o123'].entries()) ({ spec: s, history: h } = record(h, s, updateStage('out', { path }), 10_000 + i * 100, 'out.path'));
    expect(h.past).toHaveLength(2);
    ({ spec: s, history: h } = record(h, s, updateStage('out', { path: 'late' }), 20_000, 'out.path'));
    expect(h.past).toHaveLength(3);
    expect((undo(h)!.spec.stages[1] as { path: string }).path).toBe('o123');
    expect((undo(undo(h)!.history)!.spec.stages[1] as { path: string }).path).toBe('o');
  });
  it('records nothing for a command that changes nothing, and a new edit clears redo', () => {
    const same = record(EMPTY_HISTORY, base, updateStage('raw', { source: 's' }), 0);
    expect(same.spec).not.toBe(base); // updateStage always builds a new object
    let h = record(EMPTY_HISTORY, base, renameStage('raw', 'raw'), 0).history;
    expect(h.past).toHaveLength(0);
    h = record(h, base, renameStage('raw', 'r2'), 0).history;
    const u = undo(h)!;
    expect(record(u.history, u.spec, renameStage('raw', 'r3'), 5).history.future).toHaveLength(0);
  });
});
