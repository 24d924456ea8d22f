import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../../node/duckdb/nodeEngine.js';
import { nativeSourceRelation } from '../../node/runner/sourceRelation.js';
import type { Source } from '../spec/schema.js';
import { emptyColumns, JsonSourceError, readJsonArray, readNdjson, type SourceColumns } from './jsonRows.js';

// on_missing: null — files here lack some keys on purpose; both readers then read NULL
const source = (format: 'json' | 'ndjson'): Source => ({
  format,
  path: 'x',
  on_missing: 'null',
  schema: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'string' },
    { name: 'nested', type: 'string' },
  ],
});
const pinned = ['id', 'amount', 'nested'];

function rowsOf(c: SourceColumns): unknown[] {
  return c.row.map((_, i) => ({ id: c.columns[0]![i], amount: c.columns[1]![i], nested: c.columns[2]![i], _bb_file: c.file[i], _bb_row: c.row[i], _bb_error: c.error[i] }));
}

describe('JSON readers agree with the native runner’s readers', () => {
  let engine: NodeDuckdbEngine;
  const dir = mkdtempSync(join(tmpdir(), 'bb-json-'));
  beforeAll(async () => {
    engine = await NodeDuckdbEngine.open();
  });
  afterAll(() => engine.close());

  async function native(format: 'json' | 'ndjson', files: string[]): Promise<unknown[]> {
    const rel = await nativeSourceRelation('s', source(format), files, files);
    const rows = await engine.query(`SELECT id, amount, nested, _bb_file, ${rel.rowNumbers === 'insertion' ? 'row_number() OVER ()' : '_bb_row'} AS _bb_row, _bb_error FROM (${rel.sql}) ORDER BY _bb_row`);
    return rows.map((r) => ({ ...r, _bb_row: Number(r['_bb_row']) }));
  }

  it('NDJSON: bad lines become errors, blank lines are skipped but counted, rows number across files', async () => {
    const a = '{"id":"A1","amount":12.50,"nested":{"k":[1,2.0]}}\n\n{"id":"A2","amount":"7,5"}\nnot json at all\n  {"id": "A3", "extra": true}\n[1,2]\n{"id":"A4","amount":1e3}';
    const b = '{"id":"B1","amount":null}\n{"id":"B2", "amount": 3}\n';
    writeFileSync(join(dir, 'a.ndjson'), a);
    writeFileSync(join(dir, 'b.ndjson'), b);
    const out = emptyColumns(3);
    const next = readNdjson(out, pinned, a, 0, 1);
    readNdjson(out, pinned, b, 1, next);
    expect(rowsOf(out)).toEqual(await native('ndjson', [join(dir, 'a.ndjson'), join(dir, 'b.ndjson')]));
  });

  it('NDJSON with CRLF line ends', async () => {
    const a = '{"id":"A1"}\r\n\r\n{"id":"A2"}\r\nbad\r\n{"id":"A3"}\r\n';
    writeFileSync(join(dir, 'crlf.ndjson'), a);
    const out = emptyColumns(3);
    readNdjson(out, pinned, a, 0, 1);
    expect(rowsOf(out)).toEqual(await native('ndjson', [join(dir, 'crlf.ndjson')]));
  });

  it('JSON arrays: one row per element', async () => {
    const a = '[{"id":"A1","amount":0.10},{"id":"A2","nested":[{"x":1}]}]';
    const b = '[ {"id":"B1","amount":-4} ]';
    writeFileSync(join(dir, 'a.json'), a);
    writeFileSync(join(dir, 'b.json'), b);
    const out = emptyColumns(3);
    const next = readJsonArray(out, pinned, a, 0, 1, 'a.json');
    readJsonArray(out, pinned, b, 1, next, 'b.json');
    expect(rowsOf(out)).toEqual(await native('json', [join(dir, 'a.json'), join(dir, 'b.json')]));
  });

  it('a JSON file that is not an array of objects is a located error', () => {
    expect(() => readJsonArray(emptyColumns(3), pinned, '[{"id": 1},\n {"id": }]', 0, 1, 'a.json')).toThrow(new JsonSourceError("a.json:2:9: not valid JSON: unexpected '}', expected a value"));
    expect(() => readJsonArray(emptyColumns(3), pinned, '{"id": 1}', 0, 1, 'a.json')).toThrow(/expected a JSON array of objects/);
  });
});
