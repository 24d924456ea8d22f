import { describe, expect, it } from 'vitest';
import { loadSpec, saveSpec } from '@batchbook/pipeline-core';
import { formatOf, inferSchema, InferError, typeOf } from './inferSchema';
import { identifierFrom, projectFromFile, projectFromFiles } from './projectFromFile';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('typeOf', () => {
  it.each([
    [['1', '-2', ''], 'integer'],
    [['1', '2.5', '1e3'], 'double'],
    [['true', 'FALSE'], 'boolean'],
    [['2026-11-24', '2026-01-01'], 'date'],
    [['2026-11-24 10:00:00', '2026-11-24T10:00'], 'timestamp'],
    [['2026-11-24T10:00:00+01:00'], 'string'], // offsets: a parse_date step decides
    [['12', 'x'], 'string'],
    [['', ' '], 'string'],
  ])('%j is %s', (values, type) => expect(typeOf(values)).toBe(type));
});

describe('inferSchema', () => {
  it('reads a CSV header, its delimiter and the types of the first rows', () => {
    const r = inferSchema('orders.csv', bytes('id;amount;note\n1;2.50;"a; b"\n2;3;"multi\nline"\n'));
    expect(r).toMatchObject({ format: 'csv', delimiter: ';', rowsSeen: 2 });
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['id', 'integer'], ['amount', 'double'], ['note', 'string']]);
  });
  it('collects the keys of NDJSON objects, skipping bad lines', () => {
    const r = inferSchema('s.ndjson', bytes('{"a":1,"b":"x"}\nnot json\n{"a":2,"c":true}\n'));
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['a', 'integer'], ['b', 'string'], ['c', 'boolean']]);
  });
  it('reads a JSON array', () => expect(inferSchema('r.json', bytes('[{"x": 1.5}]')).columns).toEqual([{ name: 'x', type: 'double', examples: ['1.5'] }]));
  it('explains what it cannot read', () => {
    expect(() => inferSchema('x.xlsx', bytes(''))).toThrow(InferError);
    expect(() => inferSchema('e.csv', bytes(''))).toThrow(/empty/);
    expect(() => inferSchema('d.csv', bytes('a,a\n1,2'))).toThrow(/'a' twice/);
    expect(() => inferSchema('p.parquet', bytes('not parquet'))).toThrow(/Parquet/);
    expect(() => inferSchema('gz.csv', Uint8Array.from([0x1f, 0x8b, 8, 0, 10]))).toThrow(/not readable text/);
  });
  it('knows formats by extension', () => expect(['a.CSV', 'b.jsonl', 'c.pq', 'd.doc'].map(formatOf)).toEqual(['csv', 'ndjson', 'parquet', undefined]));
});

describe('projectFromFile', () => {
  it('makes a valid spec whose source pins the confirmed schema', () => {
    expect(identifierFrom('2026 Orders-Export.csv')).toBe('data_2026_orders_export');
    const spec = projectFromFile('orders.csv', inferSchema('orders.csv', bytes('id,amount\n1,2.5\n')));
    const loaded = loadSpec(saveSpec('', spec));
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.spec?.sources['orders']?.schema).toEqual([{ name: 'id', type: 'integer' }, { name: 'amount', type: 'double' }]);
  });
});

describe('projectFromFiles', () => {
  it('makes a source and an ingest cell per file, with distinct names', () => {
    const spec = projectFromFiles([
      { fileName: 'orders.csv', inferred: inferSchema('orders.csv', bytes('id\n1\n')) },
      { fileName: 'orders.ndjson', inferred: inferSchema('orders.ndjson', bytes('{"id": 1}\n')) },
    ]);
    expect(Object.keys(spec.sources)).toEqual(['orders', 'orders_2']);
    expect(spec.stages.map((s) => s.name)).toEqual(['raw_orders', 'raw_orders_2']);
    expect(loadSpec(saveSpec('', spec)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
