import { describe, expect, it } from 'vitest';
import { csvSourceRelation } from '../../preview/csvRelation.js';
import { loadSpec } from '../../spec/load.js';
import { readMarker, shownMarker } from '../markers.js';
import { duckdbScript, markedDuckdbPlan } from './duckdbTarget.js';

/**
 * An exported plan reads the files a source's glob matches when it runs, not the one sample
 * file the reader SQL was made from. The rewrite matches the shapes of the runner's reader SQL,
 * so this test fails (rather than the export silently reading one file) if those shapes change.
 */
const spec = loadSpec(`version: 1
name: t
sources:
  items: { format: csv, path: "items/items_{run_date}*.csv", schema: [{ name: id, type: integer }] }
stages:
  - { name: raw, kind: ingest, source: items }
  - { name: o, kind: output, input: raw, format: csv, path: o }
`).spec!;
const source = spec.sources['items']!;
const marked = (name: string) => csvSourceRelation(name, source, [readMarker(name)], [shownMarker(name)], ['id'], 'insertion');

describe('exported DuckDB plans list the source files at run time', () => {
  it('read the listed files, map reader errors and file names through the list', () => {
    const plan = markedDuckdbPlan(spec, marked);
    const sql = plan.stages[0]!.compiled.statements.join('\n');
    expect(sql).toContain('SET VARIABLE bb_files_items = (SELECT coalesce(list(file ORDER BY file), []) FROM glob(');
    expect(sql).toContain("read_csv(getvariable('bb_files_items')");
    expect(sql).toContain("FROM (SELECT getvariable('bb_files_items') AS l)");
    // nothing is left reading the sample file alone
    expect(sql).not.toContain(`[${`'${readMarker('items')}'`}]`);
    expect(sql).not.toMatch(/VALUES \([^)]*\u0001(read|shown):items\u0001/);
  });

  it('stop with a clear error when no file matches', () => {
    const script = duckdbScript({ spec, specText: '', toolVersion: 't' }, marked);
    expect(script).toContain("error('source ''items'': no file matches ' || (getvariable('input_root') || '/' || 'items/items_' || getvariable('run_date') || '*.csv'))");
  });
});
