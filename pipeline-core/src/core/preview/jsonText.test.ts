import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../../node/duckdb/nodeEngine.js';
import { quoteString } from '../compile/sql.js';
import { duckdbJsonText, JsonNumber, JsonSyntaxError, parseJson } from './jsonText.js';

describe('parseJson', () => {
  it('keeps number text', () => {
    expect(parseJson('{"a": 1.20, "b": [1, -0.5e3]}')).toEqual({ a: new JsonNumber('1.20'), b: [new JsonNumber('1'), new JsonNumber('-0.5e3')] });
  });
  it('decodes escapes', () => expect(parseJson('"a\\"b\\u00e9\\n"')).toBe('a"bé\n'));
  it.each(['{"a":1,}', '{a:1}', '[1 2]', '"x', '01', '{"a":1} x', "{'a':1}", '', 'nul'])('refuses %j', (text) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
  });
});

describe('duckdbJsonText agrees with native DuckDB json_extract_string', () => {
  let engine: NodeDuckdbEngine;
  beforeAll(async () => {
    engine = await NodeDuckdbEngine.open();
    await engine.exec('INSTALL json; LOAD json').catch(() => undefined);
  });
  afterAll(() => engine.close());

  const values = ['1.20', '12345678901234567890', '1e3', '-0.0', '100.0', '0.1', '1e21', '1e20', '0.000001', '1e-7', '1.5e-7', '-12', '0', 'true', 'false', '"text"', '"é\\u00e9\\""', '{"x": 1.50, "y": [1, 2.50, {"z": null}]}', '[]', '{}', '-9223372036854775808', '123456789012345678901234'];
  it.each(values)('%s', async (v) => {
    const doc = `{"v": ${v}}`;
    const [row] = await engine.query(`SELECT json_extract_string(${quoteString(doc)}, '$.v') AS t`);
    const parsed = parseJson(doc) as Record<string, never>;
    expect(duckdbJsonText(parsed['v'])).toBe(row?.['t']);
  });
  it('null and missing keys are SQL NULL', () => {
    expect(duckdbJsonText(null)).toBeNull();
    expect(duckdbJsonText(undefined)).toBeNull();
  });
});
