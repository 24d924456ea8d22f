import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../spec/schema.js';
import { planShape } from './planShape.js';

/**
 * The preview's plan shape: every cell a table, except a cleanse that only filters rows out (a
 * view over its input: a filter evaluated again on each read costs less than writing its rows).
 * Specs written by hand; which stage is a table is read off them.
 */
const spec = (steps: Record<string, unknown>[]): PipelineSpec =>
  ({
    version: 1,
    name: 'p',
    sources: { s: { format: 'csv', path: 'x.csv', schema: [{ name: 'a', type: 'string' }] } },
    stages: [
      { name: 'raw', kind: 'ingest', source: 's' },
      { name: 'f', kind: 'cleanse', input: 'raw', steps },
      { name: 'g', kind: 'aggregate', input: 'f', group_by: ['a'], measures: [{ name: 'n', fn: 'count' }] },
      { name: 'h', kind: 'aggregate', input: 'f', group_by: ['a'], measures: [{ name: 'n', fn: 'count' }] },
    ],
  }) as unknown as PipelineSpec;

const filter = { step: 'filter', expr: "a = 'x'", on_false: 'drop' };

describe('planShape, preview', () => {
  it('keeps a filter-only cleanse a view, every other stage a table, lineage everywhere', () => {
    const shape = planShape(spec([filter, { ...filter, expr: "a <> 'y'" }]), 'preview');
    expect([...shape.tables].sort()).toEqual(['g', 'h', 'raw']);
    expect([...shape.lineage].sort()).toEqual(['f', 'g', 'h', 'raw']);
  });

  it('materialises a cleanse with a step that rejects, computes, or no enabled step at all', () => {
    expect(planShape(spec([{ ...filter, on_false: 'reject' }]), 'preview').tables.has('f')).toBe(true);
    expect(planShape(spec([filter, { step: 'trim', columns: ['a'] }]), 'preview').tables.has('f')).toBe(true);
    expect(planShape(spec([{ ...filter, enabled: false }]), 'preview').tables.has('f')).toBe(true);
    // a disabled step that would compute does not count
    expect(planShape(spec([filter, { step: 'trim', columns: ['a'], enabled: false }]), 'preview').tables.has('f')).toBe(false);
  });

  it("leaves 'all' and 'auto' as they were: 'all' a table each, 'auto' the read-twice filter a table", () => {
    expect(planShape(spec([filter]), 'all').tables.has('f')).toBe(true);
    expect(planShape(spec([filter]), 'auto').tables.has('f')).toBe(true);
  });
});
