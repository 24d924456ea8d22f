import { describe, expect, it } from 'vitest';
import { nativeSourceRelation } from '../../node/runner/sourceRelation.js';
import type { Source } from '../spec/schema.js';
import { checkCsvHeaders, csvSourceRelation, CsvSourceError, splitCsvLine } from './csvRelation.js';

const source: Source = {
  format: 'csv',
  path: 'x.csv',
  options: { delimiter: ';', quote: "'", header: true, encoding: 'latin-1', skip_rows: 2, null_values: ['NA', ''] },
  schema: [
    { name: 'a', type: 'string' },
    { name: 'b c', type: 'integer' },
  ],
};

describe('csvSourceRelation', () => {
  it('reads a CSV exactly as the native runner does', async () => {
    const files = ['/lake/raw/s/2026-11-24/x_1.csv', '/lake/raw/s/2026-11-24/x_2.csv'];
    const shown = ['x_1.csv', 'x_2.csv'];
    const native = await nativeSourceRelation('s', source, files, shown, false);
    const ours = csvSourceRelation('s', source, files, shown, ['a', 'b c']);
    expect(ours).toEqual(native);
  });
  it('can number rows itself, for a sample to filter them', () => {
    const rel = csvSourceRelation('s', source, ['f.csv'], ['f.csv'], ['a', 'b c'], 'column');
    expect(rel.rowNumbers).toBe('column');
    expect(rel.sql).toContain('row_number() OVER () AS _bb_row');
  });
});

describe('CSV headers', () => {
  it('splits quoted names', () => expect(splitCsvLine('a,"b,c", "d""e" ', ',', '"')).toEqual(['a', 'b,c', 'd"e']));
  it('accepts files that share a header with every pinned column', () => {
    expect(checkCsvHeaders('s', source, ["\uFEFFz;a;'b c'", "z;a;'b c'"], ['1.csv', '2.csv'])).toEqual(['z', 'a', 'b c']);
  });
  it('names the file missing a pinned column', () => {
    expect(() => checkCsvHeaders('s', source, ['a;b'], ['1.csv'])).toThrow(new CsvSourceError("source 's': 1.csv has no column 'b c' (its header: a, b)"));
  });
  it('refuses files whose headers differ', () => {
    expect(() => checkCsvHeaders('s', source, ["a;'b c'", "'b c';a"], ['1.csv', '2.csv'])).toThrow(/2.csv has a different header from 1.csv/);
  });
});
