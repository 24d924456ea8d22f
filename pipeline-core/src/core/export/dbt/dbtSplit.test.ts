import { describe, expect, it } from 'vitest';
import type { PlannedStage } from '../../compile/duckdb/plan.js';
import { modelNameOf, splitStage } from './dbtSplit.js';

const planned = (statements: string[]): PlannedStage =>
  ({ stage: { name: 's', kind: 'ingest', source: 'x' }, index: 0, compiled: { statements }, schema: [] }) as unknown as PlannedStage;

describe('splitStage', () => {
  it('makes each CREATE a model of the same materialization, runs the set-up before the model reading the files and the finishing statements after its table', () => {
    const setVar = "SET VARIABLE bb_files_x = (SELECT list(file) FROM glob('a/*.csv'))";
    const drop = 'DROP TABLE IF EXISTS "x__reader_errors"';
    const update = 'UPDATE "s__all" SET _bb_row = rowid + 1';
    const insert = `INSERT INTO "s__all" (_bb_line) SELECT line FROM "x__reader_errors"`;
    const split = splitStage(
      planned([
        setVar,
        drop,
        `CREATE OR REPLACE TABLE "s__all" AS\nSELECT * FROM read_csv(getvariable('bb_files_x'))`,
        update,
        insert,
        'CREATE OR REPLACE VIEW "s" AS SELECT * FROM "s__all" WHERE _bb_reason IS NULL',
        `CREATE OR REPLACE TABLE "s__files" AS SELECT unnest(getvariable('bb_files_x')) AS path`,
        'CREATE OR REPLACE VIEW "s.matched" AS SELECT 1',
      ]),
    );
    expect(split.unsupported).toEqual([]);
    expect(split.models).toEqual([
      { name: 's__all', relation: 's__all', materialized: 'table', select: "SELECT * FROM read_csv(getvariable('bb_files_x'))", preHooks: [setVar, drop], postHooks: [update, insert] },
      { name: 's', relation: 's', materialized: 'view', select: 'SELECT * FROM "s__all" WHERE _bb_reason IS NULL', preHooks: [], postHooks: [] },
      // it reads the session variable again: on its own connection, it sets it again
      { name: 's__files', relation: 's__files', materialized: 'table', select: "SELECT unnest(getvariable('bb_files_x')) AS path", preHooks: [setVar, drop], postHooks: [] },
      { name: 's__matched', relation: 's.matched', materialized: 'view', select: 'SELECT 1', preHooks: [], postHooks: [] },
    ]);
  });

  it('reports what no model can hold: other statements, a view reading a session variable, finishing a relation it did not build', () => {
    const split = splitStage(
      planned(['CREATE INDEX i ON "t" (a)', `CREATE OR REPLACE VIEW "v" AS SELECT getvariable('x')`, 'UPDATE "elsewhere" SET a = 1', 'CREATE OR REPLACE VIEW "w" AS SELECT 1', 'INSERT INTO "w" VALUES (1)']),
    );
    expect(split.unsupported).toEqual(['CREATE INDEX i ON "t" (a)', `CREATE OR REPLACE VIEW "v" AS SELECT getvariable('x')`, 'UPDATE "elsewhere" SET a = 1', 'INSERT INTO "w" VALUES (1)']);
  });
});

describe('modelNameOf', () => {
  it('names a stage output’s model with __ for the dot dbt does not allow in names', () => {
    expect(modelNameOf('settle.unmatched_left')).toBe('settle__unmatched_left');
    expect(modelNameOf('clean__all')).toBe('clean__all');
  });
});
