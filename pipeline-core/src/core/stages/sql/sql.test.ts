import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

const spec = (sql: string) => `version: 1
name: t
sources:
  s: { format: csv, path: s.csv, schema: [{ name: id, type: string }, { name: v, type: integer }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: q
    kind: sql
    inputs: [raw]
    sql: ${JSON.stringify(sql)}
    schema: [{ name: id, type: string }, { name: total, type: "decimal(10,2)" }]
`;

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('custom SQL stage', () => {
  it('runs DuckDB SQL over its inputs by name and casts to the declared schema', async () => {
    run = await runStages(spec('SELECT id, sum(v) * 1.5 AS total FROM raw GROUP BY id'), { 's.csv': 'id,v\na,1\na,2\nb,5\n' });
    expect(await run.rows('q', 'id')).toEqual([{ id: 'a', total: '4.50' }, { id: 'b', total: '7.50' }]);
  });

  it('fails at run time, naming the stage, when the result lacks a declared column', async () => {
    await expect(runStages(spec('SELECT id FROM raw'), { 's.csv': 'id,v\na,1\n' })).rejects.toThrow(/stage 'q': .*total/);
  });

  it('holds one statement', () => {
    expect(loadSpec(spec('SELECT 1; DROP TABLE raw')).diagnostics.map((d) => d.message)).toContain('a sql stage holds one SELECT statement');
  });
});
