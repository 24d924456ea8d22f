import { describe, expect, it } from 'vitest';
import type { PlannedStage, StageResult } from '@batchbook/pipeline-core';
import { ResultCache } from './resultCache';

/**
 * The result cache's bound, against a fake database that records the statements: what is
 * dropped, in which order, and that a cell's kept result is only dropped once the bound is passed.
 * A cell of 3 columns holds 3 + 7 bookkeeping values a row, so 10 rows are 100 values.
 */
function fakeDb() {
  const statements: string[] = [];
  const sql = async (text: string) => {
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
    schema: [{ name: 'x' }, { name: 'y' }, { name: 'z' }],
  }) as unknown as PlannedStage;
const ingest = { stage: { name: 'raw', kind: 'ingest', source: 'f' }, index: 0, compiled: { statements: [] }, schema: [] } as unknown as PlannedStage;
const result = (rows: number) => ({ name: 'x', rows_in: rows, rows_out: rows, rejected: 0, filtered: 0 }) as unknown as StageResult;

/** A cell computed once, then run again: its first result goes aside. */
async function computeTwice(cache: ResultCache, name: string, rows = 10) {
  cache.computed(ingest, 'raw-sig', { result: result(rows), rules: [] }); // the cell's input, which its key names
  cache.computed(cleanse(name), 'sig-1', { result: result(rows), rules: [] });
  await cache.setAside(name);
}

describe('ResultCache bound', () => {
  it('keeps every result aside while they fit', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    expect(cache.kept).toEqual(['a', 'b']);
    expect(cache.keptValues).toBe(200);
    expect(db.statements.filter((s) => s.startsWith('DROP TABLE'))).toEqual([]);
  });

  it('drops the least recently kept result, and its DuckDB tables, once the bound is passed', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    await computeTwice(cache, 'c');
    // a + b + c = 300 > 250: a, kept first, goes
    expect(cache.kept).toEqual(['b', 'c']);
    expect(cache.keptValues).toBe(200);
    expect(db.statements.filter((s) => s.startsWith('DROP TABLE'))).toEqual(['DROP TABLE IF EXISTS "__bb_aside__a__all"']);
  });

  it('a result brought back counts as used: the one kept longest without use goes first', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'b');
    // a's second result is computed, then a's first comes back: a's second goes aside, now the most recent
    cache.computed(cleanse('a'), 'sig-2', { result: result(10), rules: [] });
    await cache.restore('a');
    expect(cache.kept).toEqual(['b', 'a']);
    await computeTwice(cache, 'c');
    expect(cache.kept).toEqual(['a', 'c']);
    expect(db.statements.filter((s) => s.startsWith('DROP TABLE IF EXISTS "__bb_aside'))).toEqual(['DROP TABLE IF EXISTS "__bb_aside__b__all"']);
  });

  it('keeps the result just set aside even when it alone is over the bound (a cell stopped half-way needs it)', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 250);
    await computeTwice(cache, 'a');
    await computeTwice(cache, 'big', 100);
    expect(cache.kept).toEqual(['big']);
  });
});

/** A filter-only cleanse in the preview: its `__all` is a view (planShape.ts), its counts a table. */
const filterCell = (name: string): PlannedStage =>
  ({
    ...cleanse(name),
    compiled: { statements: [`CREATE OR REPLACE VIEW "${name}__all" AS SELECT 1`, `CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM "${name}__all"`, `CREATE OR REPLACE TABLE "${name}__stats" AS SELECT 1`] },
  }) as unknown as PlannedStage;

describe('ResultCache, a cell whose __all changes between a view and a table', () => {
  it('drops the views of the result it sets aside, so the next statements can create a table of the same name', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 1_000);
    cache.computed(ingest, 'raw-sig', { result: result(10), rules: [] });
    cache.computed(filterCell('p'), 'sig-view', { result: result(10), rules: [] });
    await cache.setAside('p');
    // DuckDB will not CREATE OR REPLACE a TABLE over a view: the view named like the table must be gone
    expect(db.statements).toContain('DROP VIEW IF EXISTS "p__all"');
    expect(db.statements).toContain('ALTER TABLE "p__stats" RENAME TO "__bb_aside__p__stats"');
  });

  it('bringing back a table result over a view result drops the view before renaming the table in', async () => {
    const db = fakeDb();
    const cache = new ResultCache(db.sql, 1_000);
    cache.computed(ingest, 'raw-sig', { result: result(10), rules: [] });
    cache.computed(cleanse('p'), 'sig-table', { result: result(10), rules: [] });
    await cache.setAside('p');
    cache.computed(filterCell('p'), 'sig-view', { result: result(10), rules: [] });
    db.statements.length = 0;
    await cache.restore('p');
    const dropView = db.statements.indexOf('DROP VIEW IF EXISTS "p__all"');
    const renameIn = db.statements.indexOf('ALTER TABLE "__bb_aside__p__all" RENAME TO "p__all"');
    expect(dropView).toBeGreaterThanOrEqual(0);
    expect(renameIn).toBeGreaterThan(dropView);
  });
});
