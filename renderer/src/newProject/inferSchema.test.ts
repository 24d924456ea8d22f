import { describe, expect, it } from 'vitest';
import { loadSpec, saveSpec } from '@batchbook/pipeline-core';
import { formatOf, inferSchema, InferError, PREFIX_BYTES, typeOf } from './inferSchema';
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
    [['00501', '10001', '94105'], 'string'], // zip codes: the zero is part of the value
    [['0', '10', '-3'], 'integer'],
    [['0.5', '-0.25'], 'double'],
    [['007.5', '1.5'], 'string'],
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
  it('reads only the first bytes of a large text file, leaving out its cut last line', () => {
    // fixed-width rows 'NNNNNN,<pad>,2026-11-24\n' (pad + 19 bytes); the pad is chosen so that the
    // prefix ends inside the date of a row: read whole, that cut date would make the column text
    const header = 'n,pad,day\n';
    let pad = 500;
    const cutAt = (p: number) => (PREFIX_BYTES - header.length) % (p + 19);
    while (cutAt(pad) < pad + 10 || cutAt(pad) > pad + 16) pad++;
    const rows = Array.from({ length: 2000 }, (_, i) => `${100_000 + i},${'x'.repeat(pad)},2026-11-24\n`);
    const r = inferSchema('big.csv', bytes(header + rows.join('')));
    expect(r.columns.map((c) => c.type)).toEqual(['integer', 'string', 'date']);
    expect(r.rowsSeen).toBe(Math.floor((PREFIX_BYTES - header.length) / (pad + 19)));
  });
  it('reads the first elements of a large JSON array', () => {
    const big = '[' + Array.from({ length: 30_000 }, (_, i) => `{"id":"${String(i).padStart(6, '0')}","v":{"x":${i}}}`).join(',') + ']';
    expect(big.length).toBeGreaterThan(PREFIX_BYTES);
    const r = inferSchema('big.json', bytes(big));
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['id', 'string'], ['v', 'string']]);
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
