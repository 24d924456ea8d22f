import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../../node/duckdb/nodeEngine.js';
import { loadSpec } from '../spec/load.js';
import type { PipelineSpec } from '../spec/schema.js';
import { sampledRelation, sampleFractions, sampleKeys } from './sampling.js';

const nightly = loadSpec(readFileSync(new URL('../../../../samples/nightly-reconciliation/pipeline.yaml', import.meta.url), 'utf8')).spec!;

function spec(stages: unknown[], sources: Record<string, string[]>): PipelineSpec {
  const src = Object.fromEntries(Object.entries(sources).map(([n, cols]) => [n, { format: 'csv', path: `${n}.csv`, schema: cols.map((c) => ({ name: c, type: 'string' })) }]));
  const loaded = loadSpec(JSON.stringify({ version: 1, name: 'p', sources: src, stages }));
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.spec;
}

describe('sampleKeys', () => {
  it('follows the reconciliation pipeline’s join and relationship keys back to each source', () => {
    // orders join settlements on order_id (settlements call it order_ref before a rename);
    // refunds are checked against orders on order_id: all three belong together.
    const keys = sampleKeys(nightly);
    expect(Object.fromEntries([...keys].map(([s, k]) => [s, k.column]))).toEqual({ pos_orders: 'order_id', settlements: 'order_ref', refunds: 'order_id' });
    expect(new Set([...keys.values()].map((k) => k.group)).size).toBe(1);
  });
  it('leaves unlinked sources out and keeps separate groups apart', () => {
    const s = spec(
      [
        { name: 'a', kind: 'ingest', source: 'A' },
        { name: 'b', kind: 'ingest', source: 'B' },
        { name: 'c', kind: 'ingest', source: 'C' },
        { name: 'd', kind: 'ingest', source: 'D' },
        { name: 'e', kind: 'ingest', source: 'E' },
        { name: 'ab', kind: 'join', left: 'a', right: 'b', type: 'inner', on: [{ left: 'x', right: 'y' }] },
        { name: 'cd', kind: 'join', left: 'c', right: 'd', type: 'left', on: ['k'] },
        { name: 'o1', kind: 'output', input: 'ab', format: 'csv', path: 'o1' },
        { name: 'o2', kind: 'output', input: 'cd', format: 'csv', path: 'o2' },
        { name: 'o3', kind: 'output', input: 'e', format: 'csv', path: 'o3' },
      ],
      { A: ['x'], B: ['y'], C: ['k'], D: ['k'], E: ['z'] },
    );
    const keys = sampleKeys(s);
    expect(keys.get('A')?.column).toBe('x');
    expect(keys.get('B')?.column).toBe('y');
    expect(keys.get('A')?.group).toBe(keys.get('B')?.group);
    expect(keys.get('C')?.group).toBe(keys.get('D')?.group);
    expect(keys.get('A')?.group).not.toBe(keys.get('C')?.group);
    expect(keys.has('E')).toBe(false);
  });
});

describe('sampleFractions', () => {
  it('gives a group the rate of its largest source and keeps small sources whole', () => {
    const keys = new Map([['A', { column: 'x', group: 0 }], ['B', { column: 'y', group: 0 }]]);
    const f = sampleFractions(keys, new Map([['A', 1000], ['B', 4000], ['C', 50], ['D', 200]]), { size: 100, seed: 1 });
    expect(Object.fromEntries(f)).toEqual({ A: 0.025, B: 0.025, C: 1, D: 0.5 });
  });
});

describe('sampledRelation keeps joined rows together', () => {
  let engine: NodeDuckdbEngine;
  beforeAll(async () => {
    engine = await NodeDuckdbEngine.open();
    // 2000 orders; every order has 0-2 payments whose key differs in case and spacing
    await engine.exec(`CREATE TABLE orders AS SELECT 'ORD-' || i AS order_id, CAST(NULL AS VARCHAR) AS _bb_error, 0 AS _bb_file, i AS _bb_row FROM range(1, 2001) t(i)`);
    await engine.exec(`CREATE TABLE pays AS SELECT ' ord-' || i || ' ' AS order_ref, CAST(NULL AS VARCHAR) AS _bb_error, 0 AS _bb_file, row_number() OVER () AS _bb_row FROM range(1, 2001) t(i), range(0, 2) r(j) WHERE (i + j) % 3 <> 0`);
  });
  afterAll(() => engine.close());

  it('samples about the asked fraction, on the same keys in both sources', async () => {
    const o = sampledRelation({ sql: 'SELECT * FROM orders', files: [] }, 'order_id', 0.1, 7);
    const p = sampledRelation({ sql: 'SELECT * FROM pays', files: [] }, 'order_ref', 0.1, 7);
    const [counts] = await engine.query(`SELECT (SELECT count(*) FROM (${o.sql})) AS orders,
      (SELECT count(*) FROM (${p.sql}) s WHERE NOT EXISTS (SELECT 1 FROM (${o.sql}) q WHERE q.order_id = upper(trim(s.order_ref)))) AS orphans,
      (SELECT count(*) FROM pays x WHERE EXISTS (SELECT 1 FROM (${o.sql}) q WHERE q.order_id = upper(trim(x.order_ref)))
         AND NOT EXISTS (SELECT 1 FROM (${p.sql}) s WHERE s._bb_row = x._bb_row)) AS lost`);
    expect(Number(counts?.['orders'])).toBeGreaterThan(140);
    expect(Number(counts?.['orders'])).toBeLessThan(260);
    expect(Number(counts?.['orphans'])).toBe(0); // no sampled payment lacks its order
    expect(Number(counts?.['lost'])).toBe(0); // no sampled order lacks its payments
  });
  it('changes with the seed and leaves full relations alone', async () => {
    const a = await engine.query(`SELECT order_id FROM (${sampledRelation({ sql: 'SELECT * FROM orders', files: [] }, 'order_id', 0.1, 1).sql}) ORDER BY 1`);
    const b = await engine.query(`SELECT order_id FROM (${sampledRelation({ sql: 'SELECT * FROM orders', files: [] }, 'order_id', 0.1, 2).sql}) ORDER BY 1`);
    expect(a).not.toEqual(b);
    const full = { sql: 'SELECT * FROM orders', files: [] };
    expect(sampledRelation(full, 'order_id', 1, 1)).toBe(full);
  });
});
