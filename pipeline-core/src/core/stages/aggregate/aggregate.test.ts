import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

const spec = `version: 1
name: t
sources:
  s: { format: csv, path: s.csv, schema: [{ name: g, type: string }, { name: n, type: integer }, { name: m, type: "decimal(6,2)" }, { name: w, type: string }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: agg
    kind: aggregate
    input: raw
    group_by: [g]
    measures:
      - { name: rows, fn: count }
      - { name: n_count, fn: count, column: n }
      - { name: n_sum, fn: sum, column: n }
      - { name: m_sum, fn: sum, column: m }
      - { name: n_avg, fn: avg, column: n }
      - { name: n_min, fn: min, column: n }
      - { name: w_max, fn: max, column: w }
      - { name: w_distinct, fn: count_distinct, column: w }
      - { name: twice, fn: sum, expr: "n * 2" }
`;
// group a: n = 1, 2, NULL; m = 1.10, 2.20, 0.05; w = x, y, x.  group b: n = 10; m = NULL; w = NULL
const csv = 'g,n,m,w\na,1,1.10,x\na,2,2.20,y\na,,0.05,x\nb,10,,\n';

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('aggregate', () => {
  it('computes every function per group with SQL NULL semantics', async () => {
    run = await runStages(spec, { 's.csv': csv });
    expect(await run.rows('agg', 'g')).toEqual([
      { g: 'a', rows: '3', n_count: '2', n_sum: '3', m_sum: '3.35', n_avg: 1.5, n_min: '1', w_max: 'y', w_distinct: '2', twice: '6' },
      { g: 'b', rows: '1', n_count: '1', n_sum: '10', m_sum: null, n_avg: 10, n_min: '10', w_max: null, w_distinct: '0', twice: '20' },
    ]);
    expect(run.plan.stages[1]!.schema.map((c) => `${c.name}:${c.type}`)).toEqual([
      'g:string', 'rows:integer', 'n_count:integer', 'n_sum:integer', 'm_sum:decimal(38,2)', 'n_avg:double', 'n_min:integer', 'w_max:string', 'w_distinct:integer', 'twice:integer',
    ]);
  });

  it('refuses sum over text and measures without a column', () => {
    const bad = spec.replace('{ name: n_sum, fn: sum, column: n }', '{ name: n_sum, fn: sum, column: w }').replace('{ name: n_avg, fn: avg, column: n }', '{ name: n_avg, fn: avg }');
    const diags = loadSpec(bad).diagnostics.filter((d) => d.severity === 'error');
    expect(diags.map((d) => d.message)).toEqual(['sum needs a number, but this is string', 'avg needs a column or an expr']);
  });
});
