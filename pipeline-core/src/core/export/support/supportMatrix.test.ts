import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { stringify } from 'yaml';
import { constructsOfSpec, exportConstructs } from './constructs.js';
import { probesFor } from './probes.js';
import { renderSupportMatrix, supportMatrix, type MatrixRow } from './supportMatrix.js';

const DOC = new URL('../../../../docs/export-support.md', import.meta.url);
const rows: MatrixRow[] = supportMatrix();
const row = (id: string) => rows.find((r) => r.construct.id === id)!;

describe('the export support matrix', () => {
  it('is documented: docs/export-support.md is the generated one', () => {
    const fresh = renderSupportMatrix(rows);
    const doc = readFileSync(DOC, 'utf8');
    if (process.env['UPDATE_SUPPORT_DOC'] && doc !== fresh) {
      writeFileSync(DOC, fresh);
      return;
    }
    expect(doc, 'stale: refresh with UPDATE_SUPPORT_DOC=1 npx vitest run src/core/export/support/supportMatrix.test.ts').toBe(fresh);
  });

  it('probes every construct with valid pipelines that use it', () => {
    for (const c of exportConstructs()) {
      const probes = probesFor(c);
      expect(probes.length, c.id).toBeGreaterThan(0);
      for (const p of probes) {
        const loaded = loadSpec(stringify(p.spec));
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        // a regex form the spec itself refuses (an inline flag group in a regex rule) is no target's business
        if (c.group === 'regex' && errors.length) continue;
        expect(errors, `${c.id}: ${p.label}`).toEqual([]);
        // regex syntax and format codes are not corpus constructs, so constructsOfSpec does not name them
        if (c.group !== 'regex' && c.group !== 'date_format') expect([...constructsOfSpec(loaded.spec!)], `${c.id}: ${p.label}`).toContain(c.id);
      }
    }
  });

  // Known answers, from reading each target's code and docs (export-*.md): the matrix must find them.
  it('finds what the targets are known to refuse and flag', () => {
    expect(row('step:cast:on_error=fail').cells).toMatchObject({ duckdb: { status: 'supported' }, spark: { status: 'refused' }, beam: { status: 'supported' }, dbt: { status: 'supported' }, airflow: { status: 'refused' } });
    expect(row('step:cast:on_error=fail').cells.spark).toMatchObject({ reason: expect.stringContaining('cast with on_error: fail') });
    expect(row('stage:sql').cells).toMatchObject({ duckdb: { status: 'supported' }, spark: { status: 'check' }, beam: { status: 'check' }, dbt: { status: 'supported' } });
    expect(row('function:regexp_replace').cells.spark).toMatchObject({ status: 'partly', reason: expect.stringContaining('arguments from columns') });
    expect(row('cast:double->string').cells.spark.status).toBe('refused');
    expect(row('regex:Unicode class \\p{L}').cells).toMatchObject({ duckdb: { status: 'supported' }, spark: { status: 'supported' }, beam: { status: 'refused' } });
    expect(row('date_format:%a').cells).toMatchObject({ spark: { status: 'refused' }, beam: { status: 'supported' } });
    expect(row('date_format:%-d').cells).toMatchObject({ spark: { status: 'refused' }, beam: { status: 'refused' }, duckdb: { status: 'supported' } });
    // the match stage's carried open items: the DuckDB script (state files) and dbt (incremental models) keep them; Beam does not
    expect(row('stage:match').cells).toMatchObject({ duckdb: { status: 'supported' }, beam: { status: 'refused' }, dbt: { status: 'supported' } });
    expect(row('stage:join').cells).toMatchObject({ duckdb: { status: 'supported' }, spark: { status: 'supported' }, beam: { status: 'supported' }, dbt: { status: 'supported' }, airflow: { status: 'supported' } });
  });
});
