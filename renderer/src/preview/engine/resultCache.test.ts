import { describe, expect, it } from 'vitest';
import type { PlannedStage, StageResult } from '@batchbook/pipeline-core';
import { ResultCache } from './resultCache';

/**
 * The result cache's bound, against a fake database that records the statements and answers the
 * size query from sizes given by hand: what is dropped, in which order, and that a cell's kept
 * result is only dropped once the bound is passed.
 */
function fakeDb(sizes: Readonly<Record<string, number>>) {
  const statements: string[] = [];
  const sql = async (text: string) => {
    if (text.startsWith('SELECT')) {
      const names = [...text.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      return [{ n: names.reduce((sum, t) => sum + (sizes[t] ?? 0), 0) }];
    }
    statements.push(...text.split(';\n').filter((s) => !/^(BEGIN TRANSACTION|COMMIT)$/.test(s)));
    return [];
  };
  return { sql, statements };
}

const cleanse = (name: string): PlannedStage =>
  ({
    stage: { name, kind: 'cleanse', input: 'raw', steps: [] },
    index: 0,
    compiled: { statements: [`CREATE OR REPLACE TABLE "${name}__all" AS SELECT 1`, `CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM "${name}__all"`] },
    schema: [],
  }) as unknown as PlannedStage;
const ingest = { stage: { name: 'raw', kind: 'ingest', source: 'f' }, index: 0, compiled: { statements: [] }, schema: [] } as unknown as PlannedStage;
const result = { name: 'x', rows_in: 1, rows_out: 1, rejected: 0, filtered: 0 } as unknown as StageResult;

/** A cell computed once, then run again: its first result goes aside. */
async function computeTwice(cache: ResultCache, name: string) {
  cache.computed(ingest, 'raw-sig', { result, rules: [] }); // the cell's input, which its key names
  cache.computed(cleanse(name), 'sig-1', { result, rules: [] });
  await cache.setAside(name);
}

describe('ResultCache bound', () => {
  it('keeps every result aside while they fit', async () => {
    const db = fakeDb({ __bb_aside__a__all: 100, __bb_aside__b__all: 100 });
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    expect(cache.kept).toEqual(['a', 'b']);
    expect(cache.keptValues).toBe(200);
    expect(db.statements.filter((s) => s.startsWith('DROP'))).toEqual([]);
  });

  it('drops the least recently kept result, and its DuckDB tables, once the bound is passed', async () => {
    const db = fakeDb({ __bb_aside__a__all: 100, __bb_aside__b__all: 100, __bb_aside__c__all: 100 });
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    await computeTwice(cache, 'c');
    // a + b + c = 300 > 250: a, kept first, goes
    expect(cache.kept).toEqual(['b', 'c']);
    expect(cache.keptValues).toBe(200);
    expect(db.statements.filter((s) => s.startsWith('DROP'))).toEqual(['DROP TABLE IF EXISTS "__bb_aside__a__all"']);
  });

  it('a result brought back counts as used: the one kept longest without use goes first', async () => {
    const db = fakeDb({ __bb_aside__a__all: 100, __bb_aside__b__all: 100, __bb_aside__c__all: 100 });
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    // a's second result is computed, then a's first comes back: a's second goes aside, now the most recent
    cache.computed(cleanse('a'), 'sig-2', { result, rules: [] });
    await cache.restore('a');
    expect(cache.kept).toEqual(['b', 'a']);
    await computeTwice(cache, 'c');
    expect(cache.kept).toEqual(['a', 'c']);
    expect(db.statements.filter((s) => s.startsWith('DROP TABLE IF EXISTS "__bb_aside'))).toEqual(['DROP TABLE IF EXISTS "__bb_aside__b__all"']);
  });

  it('keeps the result just set aside even when it alone is over the bound (a cell stopped half-way needs it)', async () => {
    const db = fakeDb({ __bb_aside__a__all: 100, __bb_aside__big__all: 1000 });
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'big');
    expect(cache.kept).toEqual(['big']);
  });
});
