import { describe, expect, it } from 'vitest';
import { nativeSourceRelation } from '../../node/runner/sourceRelation.js';
import type { Source } from '../spec/schema.js';
import { checkCsvHeaders, csvSourceRelation, CsvSourceError, declaredHeader, readerColumnNames, splitCsvLine } from './csvRelation.js';

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

describe('awkward headers', () => {
  const positioned: Source = {
    format: 'csv',
    path: 'x.csv',
    schema: [
      { name: 'id', type: 'string' },
      { name: 'quoted', type: 'string', position: 2 },
      { name: 'blank', type: 'string', position: 3 },
    ],
  };

  it('gives empty and repeated header names (case-insensitively, as DuckDB compares them) a column<N> name', () => {
    // '' at 2 → column2; 'A' repeats 'a' → column3; 'column2' now repeats the name given at 2 → column4
    expect(readerColumnNames(['a', '', 'A', 'column2', ''])).toEqual(['a', 'column2', 'column3', 'column4', 'column5']);
  });

  it('reads positioned columns by the reader name at their position, the rest by name', () => {
    const header = checkCsvHeaders('s', positioned, ['id,"say ""hi""",,id'], ['1.csv']);
    expect(header).toEqual(['id', 'say "hi"', '', 'id']);
    const rel = csvSourceRelation('s', positioned, ['1.csv'], ['1.csv'], header);
    expect(rel.sql).toContain(`SELECT "id", "say ""hi""" AS "quoted", "column3" AS "blank", CAST(file_index`);
    expect(rel.sql).toContain(`columns = {'id': 'VARCHAR', 'say "hi"': 'VARCHAR', 'column3': 'VARCHAR', 'column4': 'VARCHAR'}`);
  });

  it('without a header, positions place columns in the file and the gaps get column<N> names', () => {
    const rel = csvSourceRelation('s', { ...positioned, options: { header: false } }, ['1.csv'], ['1.csv'], []);
    expect(rel.sql).toContain(`columns = {'id': 'VARCHAR', 'column2': 'VARCHAR', 'column3': 'VARCHAR'}`);
    expect(rel.sql).toContain(`SELECT "id", "column2" AS "quoted", "column3" AS "blank"`);
  });

  it('a stand-in header for the plan places positioned columns', () => {
    expect(declaredHeader({ ...positioned, schema: [{ name: 'a', type: 'string', position: 3 }, { name: 'b', type: 'string' }] })).toEqual(['b', '', 'a']);
  });

  it('a declared column missing from the header is NULL under on_missing: null, an error otherwise', () => {
    const src: Source = { format: 'csv', path: 'x.csv', schema: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'string' }] };
    expect(() => checkCsvHeaders('s', src, ['id'], ['1.csv'])).toThrow("source 's': 1.csv has no column 'amount' (its header: id)");
    const header = checkCsvHeaders('s', { ...src, on_missing: 'null' }, ['id'], ['1.csv']);
    expect(csvSourceRelation('s', { ...src, on_missing: 'null' }, ['1.csv'], ['1.csv'], header).sql).toContain('SELECT "id", CAST(NULL AS VARCHAR) AS "amount"');
  });
});
