import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

const spec = (bType: string) => `version: 1
name: t
sources:
  a: { format: csv, path: a.csv, schema: [{ name: id, type: string }, { name: v, type: integer }] }
  b: { format: csv, path: b.csv, schema: [{ name: v, type: "${bType}" }, { name: id, type: string }] }
stages:
  - { name: ra, kind: ingest, source: a }
  - { name: rb, kind: ingest, source: b }
  - { name: u, kind: union, inputs: [ra, rb] }
`;

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('union', () => {
  it('stacks inputs by column name, widening integer and decimal to a decimal', async () => {
    run = await runStages(spec('decimal(5,1)'), { 'a.csv': 'id,v\nx,1\n', 'b.csv': 'v,id\n2.5,y\n' });
    // integer counts as decimal(19,0): 19 integer digits and scale 1 → decimal(20,1)
    expect(run.plan.stages[2]!.schema).toEqual([{ name: 'id', type: 'string' }, { name: 'v', type: 'decimal(20,1)' }]);
    expect(await run.rows('u', 'id')).toEqual([{ id: 'x', v: '1.0' }, { id: 'y', v: '2.5' }]);
    // rows keep their lineage, so rejects downstream can still name the source row
    expect(await run.rows('u', 'id').then(() => run!.result.stages[2])).toMatchObject({ rows_in: 2, rows_out: 2 });
  });

  it('refuses inputs whose columns do not mix', () => {
    const diags = loadSpec(spec('date')).diagnostics.filter((d) => d.severity === 'error');
    expect(diags.map((d) => d.message)).toEqual(["column 'v' is integer in 'ra' but date in 'rb'"]);
  });
});
