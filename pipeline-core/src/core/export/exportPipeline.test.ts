import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import { exportPipeline } from './exportPipeline.js';
import { paramMarker, rewriteSqlMarkers } from './markers.js';
import { registerExportContributor, unregisterExportContributor } from './contributors.js';

const SPEC = `
version: 1
name: t
sources:
  s: { format: csv, path: "in/s_{run_date}.csv", schema: [{ name: a, type: string }, { name: b, type: string }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: c
    kind: cleanse
    input: raw
    steps:
      - { step: derive, column: x, expr: "regexp_replace(a, 'z', b)" }
  - { name: o, kind: output, input: c, format: csv, path: out }
`;

function ctx() {
  const loaded = loadSpec(SPEC);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return { spec: loaded.spec, specText: SPEC, toolVersion: '9.9.9' };
}

describe('exportPipeline', () => {
  it('refuses a construct Spark cannot run faithfully, naming the construct, the target and the stage, and writes nothing for it', () => {
    const result = exportPipeline(ctx(), { target: 'spark' });
    expect(result.written).toEqual([]);
    expect(result.files).toEqual([]);
    expect(result.refusals).toHaveLength(1);
    const [r] = result.refusals;
    expect(r).toMatchObject({ target: 'spark', stage: 'c' });
    expect(r!.construct).toContain('regexp_replace with a replacement that is not a string literal');
    expect(result.refused).toEqual(['spark']);
  });

  it('lists every refused target, so their old folders can be removed', () => {
    const sources = () => ({ sql: 'SELECT NULL AS a, NULL AS b, 0 AS _bb_file, NULL AS _bb_error WHERE FALSE', files: ['x'], rowNumbers: 'insertion' as const });
    const result = exportPipeline(ctx(), { target: 'all', duckdbSources: sources });
    // the airflow DAG submits the Spark job, so it goes with it
    expect(result.refused).toEqual(['spark', 'airflow']);
    expect(result.written).toEqual(expect.arrayContaining(['duckdb', 'dbt']));
    expect(result.written.filter((t) => result.refused.includes(t))).toEqual([]);
  });

  it('gives each written target a README, a provenance.json and the contributors’ files', () => {
    registerExportContributor({ id: 'test-cost', targets: ['all', 'duckdb'], contribute: () => [{ path: 'cost/report.html', content: '<p>cost</p>' }] });
    try {
      const sources = () => ({ sql: "SELECT NULL AS a, NULL AS b, 0 AS _bb_file, NULL AS _bb_error WHERE FALSE", files: ['x'], rowNumbers: 'insertion' as const });
      const result = exportPipeline(ctx(), { target: 'all', duckdbSources: sources });
      const paths = result.files.map((f) => f.path);
      expect(result.written).toContain('duckdb');
      expect(paths).toEqual(expect.arrayContaining(['duckdb/README.md', 'duckdb/provenance.json', 'duckdb/pipeline.sql', 'duckdb/cost/report.html', 'cost/report.html', 'README.md']));
      const prov = JSON.parse(result.files.find((f) => f.path === 'duckdb/provenance.json')!.content) as { tool: { version: string }; pipeline: string };
      expect(prov.tool.version).toBe('9.9.9');
      expect(prov.pipeline).toBe('t');
    } finally {
      unregisterExportContributor('test-cost');
    }
  });
});

const MANY = `
version: 1
name: many
sources:
  s: { format: csv, path: "in/s.csv", schema: [{ name: a, type: string }, { name: d, type: double }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: c
    kind: cleanse
    input: raw
    steps:
      - { step: derive, column: x, expr: "CAST(d AS string)" }
      - { step: derive, column: y, expr: "regexp_replace(a, '\\\\s*', '')" }
      - { step: derive, column: v, expr: "regexp_replace(a, 'b*', '-')" }
      - { step: derive, column: z, expr: "regexp_matches(a, '^[[:alpha:]]+$')" }
  - name: checks
    kind: validate
    input: c
    rules:
      - { rule: regex, column: a, pattern: "^(?<first>[A-Z])[a-z]*$" }
      - { rule: not_null, columns: [a] }
  - { name: o, kind: output, input: checks, format: csv, path: out }
`;

describe('refusals of one export', () => {
  const many = () => {
    const loaded = loadSpec(MANY);
    if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
    return exportPipeline({ spec: loaded.spec, specText: MANY, toolVersion: '9.9.9' }, { target: 'all', duckdbSources: () => ({ sql: 'SELECT 1', files: ['x'] }) });
  };

  it('come all together, every refused construct of a stage in the same round', () => {
    const spark = many().refusals.filter((r) => r.target === 'spark');
    expect(spark.map((r) => [r.stage, r.construct.replace(/:.*/s, '')])).toEqual([
      ['c', "expression 'CAST(d AS string)'"],
      ['c', "expression 'regexp_replace(a, '\\s*', '')'"],
      ['c', "expression 'regexp_replace(a, 'b*', '-')'"],
      // (?<name>…) is not RE2: no target's regex dialect translates it
      ['checks', "regex rule 'regex_a' with a named group written (?<name>…) (write (?P<name>…))"],
    ]);
    // [[:alpha:]] has an exact Python form ([A-Za-z]), so Beam refuses only the rule
    const beam = many().refusals.filter((r) => r.target === 'beam');
    expect(beam.map((r) => [r.stage, r.construct])).toEqual([['checks', "regex rule 'regex_a' with a named group written (?<name>…) (write (?P<name>…))"]]);
  });

  it('each with a rewrite the target accepts where one exists', () => {
    const refusals = many().refusals;
    const suggestion = (target: string, start: string) => refusals.find((r) => r.target === target && r.construct.startsWith(start))!.suggestion;
    expect(suggestion('spark', "expression 'CAST(d AS string)'")).toBe("CAST(CAST(d AS DECIMAL(18,2)) AS STRING) (a fixed number of decimals: 1.5 becomes '1.50'; choose the scale the data needs)");
    expect(suggestion('spark', "expression 'regexp_replace(a, '\\s*', '')'")).toBe("regexp_replace(a, '\\s+', '')");
    // replacing the empty matches with '-' has no equivalent without them
    expect(suggestion('spark', "expression 'regexp_replace(a, 'b*', '-')'")).toBeUndefined();
    expect(suggestion('beam', "regex rule 'regex_a'")).toBe("pattern: '^([A-Z])[a-z]*$'");
    expect(suggestion('spark', "regex rule 'regex_a'")).toBe("pattern: '^([A-Z])[a-z]*$'");
  });

  it('include every refused step of a stage, not only the first the compiler meets', () => {
    const text = `
version: 1
name: steps
sources:
  s: { format: csv, path: "in/s.csv", schema: [{ name: a, type: string }, { name: t, type: string }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: c
    kind: cleanse
    input: raw
    steps:
      - { step: parse_date, column: t, formats: ["%d/%m/%Y %Z"], on_error: reject }
      - { step: trim, columns: [a] }
      - { step: parse_date, column: a, formats: ["%Y-%m-%d %X"], on_error: reject }
  - { name: o, kind: output, input: c, format: csv, path: out }
`;
    const loaded = loadSpec(text);
    const result = exportPipeline({ spec: loaded.spec!, specText: text, toolVersion: '9.9.9' }, { target: 'beam' });
    expect(result.refusals.map((r) => [r.stage, r.construct])).toEqual([
      ['c', 'parse_date format code %Z'],
      ['c', 'parse_date format code %X'],
    ]);
  });

  it('adds nothing to a target its compiler accepted', () => {
    const r = many();
    expect(r.written).toEqual(expect.arrayContaining(['duckdb', 'dbt']));
    expect(r.refusals.filter((x) => r.written.includes(x.target))).toEqual([]);
  });
});

describe('rewriteSqlMarkers', () => {
  it('turns a literal holding a parameter marker into a concatenation, and a typed literal into a cast', () => {
    const sql = `SELECT DATE '${paramMarker('run_date')}' AS d, 'a/${paramMarker('run_date')}/b''c' AS p, 'plain' AS q`;
    expect(rewriteSqlMarkers(sql, (m) => (m.kind === 'param' ? `v(${m.name})` : '?'))).toBe("SELECT CAST((v(run_date)) AS DATE) AS d, ('a/' || v(run_date) || '/b''c') AS p, 'plain' AS q");
  });
});
