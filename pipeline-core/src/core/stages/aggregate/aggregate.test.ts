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

  it('counts rows where a condition holds, computes measures from measures and rounds them', async () => {
    const measures = `measures:
      - { name: rows, fn: count }
      - { name: big, fn: count_if, expr: "n > 1" }
      - { name: none, fn: count_if, expr: "m > 100" }
      - { name: share, expr: "big / rows" }
      - { name: share_r, expr: "big / rows", round: 2 }
      - { name: m_avg, fn: avg, column: m, round: 1 }
      - { name: m_sum, fn: sum, column: m, round: 1 }
      - { name: n_sum, fn: sum, column: n, round: -1 }
      - { name: per_row, expr: "m_sum / rows" }
`;
    run = await runStages(spec.replace(/measures:[\s\S]*$/, measures), { 's.csv': csv });
    // a: n > 1 only for 2 (NULL is not counted); m avg 3.35 / 3 = 1.1166… → 1.1; m sum 3.35 → 3.4 (half away
    // from zero); n sum 3 → 0 at tens; per_row reads the rounded m_sum. b: one row, n = 10, m NULL.
    expect(await run.rows('agg', 'g')).toEqual([
      { g: 'a', rows: '3', big: '1', none: '0', share: 1 / 3, share_r: 0.33, m_avg: 1.1, m_sum: '3.4', n_sum: '0', per_row: 3.4 / 3 },
      { g: 'b', rows: '1', big: '1', none: '0', share: 1, share_r: 1, m_avg: null, m_sum: null, n_sum: '10', per_row: null },
    ]);
    expect(run.plan.stages[1]!.schema.map((c) => `${c.name}:${c.type}`)).toEqual([
      'g:string', 'rows:integer', 'big:integer', 'none:integer', 'share:double', 'share_r:double', 'm_avg:double', 'm_sum:decimal(38,1)', 'n_sum:integer', 'per_row:double',
    ]);
  });

  it('refuses count_if of a non-condition and computed measures reading later ones; warns on count of a condition', () => {
    const measures = `measures:
      - { name: a, fn: count_if, column: n }
      - { name: b, expr: "c + 1" }
      - { name: c, fn: count, expr: "n > 1" }
      - { name: d, fn: sum, column: w, round: 1 }
      - { name: e, column: n }
`;
    const diags = loadSpec(spec.replace(/measures:[\s\S]*$/, measures)).diagnostics;
    expect(diags.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'count_if counts rows where a condition is true, but this is integer',
      "Unknown column 'c'",
      'sum needs a number, but this is string',
      'a measure without fn is computed by its expr; column needs an fn',
      'a measure needs fn (an aggregate function) or expr (computed from the group columns and the measures before it)',
    ]);
    expect(diags.filter((d) => d.severity === 'warning' && d.message.startsWith('count')).map((d) => [d.message, d.hint])).toEqual([
      ['count counts every non-NULL value, so this counts the rows where the condition is true and those where it is false', 'to count the rows where it is true, write fn: count_if'],
    ]);
  });
});
