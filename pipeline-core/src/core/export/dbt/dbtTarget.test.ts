import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec } from '../../spec/load.js';
import { exportPipeline } from '../exportPipeline.js';
import { readMarker, shownMarker } from '../markers.js';
import { jinjaEscape } from './dbtJinja.js';
import { refModels } from './dbtModels.js';

const SPEC = `
version: 1
name: t
sources:
  s: { format: csv, path: "in/s_{run_date}.csv", schema: [{ name: a, type: string }, { name: n, type: integer }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: checked
    kind: validate
    input: raw
    rules:
      - { rule: not_null, columns: [a, n], severity: warn, action: reject }
      - { rule: accepted_values, column: n, values: ["1", 2] }
      - { rule: expression, expr: "a <> '{{x}}' OR n > 1", action: reject }
      - { name: enough, rule: row_count, min: 1 }
  - { name: o, kind: output, input: checked, format: csv, path: "out/{run_date}" }
`;

// The node side supplies the real readers (with path markers); a relation of the contract's columns will do here.
const sources = (name: string) => ({
  sql: `SELECT NULL AS a, NULL AS n, 0 AS _bb_file, NULL AS _bb_error FROM (SELECT '${readMarker(name)}' AS path) WHERE FALSE`,
  files: [shownMarker(name)],
  rowNumbers: 'insertion' as const,
});

function exportOf(text: string) {
  const loaded = loadSpec(text);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return exportPipeline({ spec: loaded.spec, specText: text, toolVersion: '9.9.9' }, { target: 'dbt', duckdbSources: sources });
}

/** Jinja renders `{{ '{' }}` as `{`; text holding no other opener renders as itself. */
function renderEscapes(text: string): string {
  expect(text.replaceAll("{{ '{' }}", '').match(/\{[{%#]/)).toBeNull();
  return text.replaceAll("{{ '{' }}", '{');
}

describe('jinjaEscape', () => {
  it.each(['plain', "regexp '[A-Z]{2}-\\d{3}'", "'{{x}}' {%y%} {#z#}", '{{{', "{{ '{' }}"])('leaves no Jinja opener and renders back to %s', (text) => {
    expect(renderEscapes(jinjaEscape(text))).toBe(text);
  });
});

describe('refModels', () => {
  it('reads the known relations through ref() of their models after FROM / JOIN, leaves string literals and other names alone, and reports relations named elsewhere', () => {
    const sql = `SELECT 'FROM "a"' AS t FROM "a" x JOIN  "b" ON TRUE LEFT JOIN "c" USING (k) JOIN "s.matched" m ON TRUE WHERE x."a" = 1 AND (SELECT 1 FROM "b", "d")`;
    const r = refModels(sql, new Map([['a', 'a'], ['b', 'b'], ['d', 'd'], ['s.matched', 's__matched']]));
    expect(r.sql).toBe(
      `SELECT 'FROM "a"' AS t FROM {{ ref("a") }} x JOIN  {{ ref("b") }} ON TRUE LEFT JOIN "c" USING (k) JOIN {{ ref("s__matched") }} m ON TRUE WHERE x."a" = 1 AND (SELECT 1 FROM {{ ref("b") }}, "d")`,
    );
    expect([...r.refs].sort()).toEqual(['a', 'b', 's__matched']);
    // "d" after a comma is read by name: declared with depends_on
    expect([...r.named]).toEqual(['d']);
  });
});

describe('dbt export', () => {
  const result = exportOf(SPEC);
  const file = (p: string) => result.files.find((f) => f.path === `dbt/${p}`)?.content;

  it('writes one model per relation of each stage, a rejects model per stage that rejects, the project files and the publish macro, and no custom materialization', () => {
    expect(result.refusals).toEqual([]);
    const paths = result.files.map((f) => f.path.replace(/^dbt\//, ''));
    expect(paths).toEqual(
      expect.arrayContaining([
        'dbt_project.yml', 'profiles.yml', 'models/sources.yml', 'models/schema.yml', 'models/outputs/o.sql',
        // the ingest: its rows (every value read, rejects included), its reader errors' line numbers, its files, the view of kept rows, rejects, counts
        'models/stages/raw/raw__all.sql', 'models/stages/raw/raw__errlines.sql', 'models/stages/raw/raw__files.sql', 'models/stages/raw/raw.sql', 'models/stages/raw/raw__rejects.sql', 'models/stages/raw/raw__stats.sql',
        // the validate stage: every row judged, the kept rows, rejects, counts
        'models/stages/checked/checked__judged.sql', 'models/stages/checked/checked.sql', 'models/stages/checked/checked__rejects.sql', 'models/stages/checked/checked__stats.sql',
        'models/rejects/raw__rejected.sql', 'models/rejects/checked__rejected.sql', 'macros/batchbook_publish.sql', 'tests/checked__enough.sql', 'README.md', 'provenance.json',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('macros/'))).toEqual(['macros/batchbook_util.sql', 'macros/batchbook_tests.sql', 'macros/batchbook_publish.sql']);
    expect(result.files.filter((f) => f.content.includes('{% materialization'))).toEqual([]);
  });

  it('keeps the runner’s SELECT of each relation as a plain view or table model, reading the relations before it through ref(), with run-time values as dbt vars', () => {
    const judged = file('models/stages/checked/checked__judged.sql')!;
    expect(judged.split('\n')[0]).toBe('{{ config(materialized="view") }}');
    expect(judged).toContain('FROM {{ ref("raw") }} x');
    expect(judged).not.toContain('FROM "raw"');
    expect(judged).not.toContain('depends_on');
    expect(judged).not.toContain('CREATE');
    // the expression's literal '{{x}}' reaches DuckDB unchanged once dbt renders the escape
    expect(judged).toContain("'{{ '{' }}{x}}'");
    expect(file('models/stages/checked/checked.sql')).toContain('FROM {{ ref("checked__judged") }} WHERE NOT coalesce("_bb_fail_0" OR "_bb_fail_2", false)');
    const stats = file('models/stages/checked/checked__stats.sql')!;
    expect(stats.split('\n')[0]).toBe('{{ config(materialized="table") }}');
    expect(stats).toContain('FROM {{ ref("checked__judged") }} x');
  });

  it('reads the ingest’s files through source(), listing them in a pre-hook; rows are numbered by their position in the committed table', () => {
    const all = file('models/stages/raw/raw__all.sql')!;
    expect(all).toMatch(/FROM \{\{ source\("raw", "s"\) \}\} r0/);
    const config = all.split('\n')[0]!;
    expect(config).toContain('materialized="table"');
    // the file list of the run date, below input_root: set on the model's own connection before it reads
    expect(config).toContain('pre_hook=["SET VARIABLE bb_files_s = (SELECT coalesce(list(file ORDER BY file), []) FROM glob(({{ bb_literal(var(\\"input_root\\") ~ \\"/\\" ~ \\"in/s_\\" ~ var(\\"run_date\\") ~ \\".csv\\") }})))"');
    // no UPDATE of every row: the models reading the table (other transactions, after it commits) take rowid + 1
    expect(config).not.toContain('post_hook');
    expect(file('models/stages/raw/raw__rejects.sql')).toMatch(/, \(CASE WHEN _bb_line IS NULL THEN rowid \+ 1 END\) AS _bb_row, .* FROM \{\{ ref\("raw__all"\) \}\} WHERE/);
    // the source is Batchbook's reader (oldstyle formatter: only % is special to dbt-duckdb)
    const source = (parse(file('models/sources.yml')!) as { sources: { tables: { name: string; meta: Record<string, string> }[] }[] }).sources[0]!.tables[0]!;
    expect(source.meta['formatter']).toBe('oldstyle');
    // the test's reader holds a path marker: a literal dbt renders with its built-ins (YAML is rendered before macros exist)
    expect(source.meta['external_location']).toBe(
      `(SELECT NULL AS a, NULL AS n, 0 AS _bb_file, NULL AS _bb_error FROM (SELECT ('{{ (var("input_root") ~ "/" ~ "in/s_" ~ var("run_date") ~ ".csv") | string | replace("'", "''") }}') AS path) WHERE FALSE)`,
    );
  });

  it('turns each row rule into a generic test and each table rule into a singular test, at the rule’s own severity with the rule in meta, on the leaf rules model', () => {
    const schema = parse(file('models/schema.yml')!) as { models: { name: string; data_tests?: Record<string, { name: string; arguments: Record<string, unknown>; config: { severity: string; meta: { batchbook: Record<string, string> } } }>[] }[] };
    expect(schema.models.find((m) => m.name === 'checked')!.data_tests).toBeUndefined();
    const tests = schema.models.find((m) => m.name === 'checked__rules')!.data_tests!;
    expect(tests.map((t) => Object.keys(t)[0])).toEqual(['bb_not_null', 'bb_accepted_values', 'bb_expression']);
    expect(tests[0]!['bb_not_null']).toEqual({
      name: 'checked__not_null_a_n',
      arguments: { columns: ['a', 'n'] },
      // a warn rule: a dbt warning
      config: { severity: 'warn', meta: { batchbook: { stage: 'checked', name: 'not_null_a_n', rule: 'not_null', severity: 'warn', action: 'reject' } } },
    });
    // an integer column's accepted value written as text is a number, as Batchbook's compiler reads it
    expect(tests[1]!['bb_accepted_values']!.arguments).toEqual({ column_name: 'n', column_type: 'BIGINT', values: [1, 2] });
    // the accepted_values rule has the default severity, error: dbt build fails on it
    expect(tests[1]!['bb_accepted_values']!.config.severity).toBe('error');
    expect(file('models/rules/checked__rules.sql')).toContain('SELECT * FROM {{ ref("checked__judged") }}');
    const singular = file('tests/checked__enough.sql')!;
    expect(singular).toContain(`config(severity="error", fail_calc='coalesce(sum(failing), 0)'`);
    expect(singular).toContain('-- depends_on: {{ ref("checked__rules") }}');
    // the row count is read from the stage's counts model
    expect(singular).toContain('FROM {{ ref("checked__stats") }}');
    expect(singular).toContain('"rule":"row_count","severity":"error","action":"fail"');
  });

  it('publishes outputs under the run contract’s curated/ folder', () => {
    expect(file('macros/batchbook_publish.sql')).toContain('var("output_root") ~ "/" ~ "curated/out/" ~ var("run_date")');
  });

  it('refuses a stage named like another stage’s rules model', () => {
    const clash = exportOf(SPEC.replace('  - { name: o, kind: output', '  - { name: checked__rules, kind: aggregate, input: raw, group_by: [a], measures: [{ name: c, fn: count }] }\n  - { name: o, kind: output'));
    expect(clash.refusals).toEqual([
      expect.objectContaining({ target: 'dbt', stage: 'checked__rules', construct: "the stage name 'checked__rules'", detail: "dbt would name two models 'checked__rules' (stages 'checked__rules' and 'checked'); rename the stage" }),
    ]);
  });

  it('refuses a stage named like another stage’s rejects model, naming the construct and the stage', () => {
    const clash = exportOf(SPEC.replace('  - { name: o, kind: output', '  - { name: raw__rejected, kind: aggregate, input: raw, group_by: [a], measures: [{ name: c, fn: count }] }\n  - { name: o, kind: output'));
    expect(clash.files).toEqual([]);
    expect(clash.refusals).toEqual([expect.objectContaining({ target: 'dbt', stage: 'raw__rejected', construct: "the stage name 'raw__rejected'" })]);
  });

  it('refuses a stage named like another stage’s working relation', () => {
    const clash = exportOf(SPEC.replace('  - { name: o, kind: output', '  - { name: checked__stats, kind: aggregate, input: raw, group_by: [a], measures: [{ name: c, fn: count }] }\n  - { name: o, kind: output'));
    expect(clash.files).toEqual([]);
    expect(clash.refusals).toEqual([expect.objectContaining({ target: 'dbt', stage: 'checked__stats', construct: "the stage name 'checked__stats'", detail: expect.stringContaining("two models 'checked__stats'") })]);
  });
});

describe('a match stage in the dbt project', () => {
  const MATCH = `
version: 1
name: m
sources:
  s: { format: csv, path: "in/s_{run_date}.csv", schema: [{ name: a, type: string }, { name: n, type: integer }] }
  t: { format: csv, path: "in/t_{run_date}.csv", schema: [{ name: a, type: string }, { name: n, type: integer }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - { name: raw2, kind: ingest, source: t }
  - { name: settle, kind: match, left: raw, right: raw2, keys: [a], open_items: { max_age_days: 2, severity: error } }
  - { name: o, kind: output, input: settle.matched, format: csv, path: "out/{run_date}" }
`;
  const files = () => new Map(exportOf(MATCH).files.map((f) => [f.path, f.content]));

  it('keeps the open items in incremental models keyed by run_date, built from the match stage', () => {
    const left = files().get('dbt/models/state/settle__open_left.sql')!;
    expect(left).toContain("materialized='incremental', incremental_strategy='delete+insert', unique_key='run_date'");
    expect(left).toContain('-- depends_on: {{ ref("settle") }}');
    expect(left).toContain('FROM {{ ref("settle__ol") }}');
    expect(files().has('dbt/models/state/settle__open_right.sql')).toBe(true);
  });

  it('reads the latest earlier run_date of those models in the match stage’s items models without a ref (no cycle), and nothing on a first night', () => {
    const model = files().get('dbt/models/stages/settle/settle__l.sql')!;
    expect(model).not.toContain('ref("settle__open_left")');
    expect(model).toContain('adapter.get_relation(database=this.database, schema=this.schema, identifier="settle__open_left")');
    expect(model).toContain('WHERE run_date = (SELECT max(run_date) FROM {{ bb_settle_open_left }} WHERE run_date < CAST({{ bb_literal(var("run_date")) }} AS DATE))');
    expect(model).toContain('{% else %}(SELECT CAST(NULL AS VARCHAR) AS "a", CAST(NULL AS BIGINT) AS "n", CAST(NULL AS DATE) AS _bb_opened, CAST(NULL AS BIGINT) AS _bb_seq WHERE FALSE){% endif %}');
    expect(model).not.toContain('__bb_carried_');
  });

  it('checks that the carried state has every column the side has now, naming the state model and the missing columns', () => {
    const model = files().get('dbt/models/stages/settle/settle__r.sql')!;
    expect(model).toContain(`{%- set missing = ["a", "n", "_bb_opened", "_bb_seq"] | reject('in', have) | list -%}`);
    expect(model).toContain(`"match stage 'settle': the open items kept in settle__open_right have no column " ~ (missing | join(', ')) ~ ", which 'raw2' has now`);
  });

  it('tests the open_items_age rule, refs the stage for its output, and publishes only when the state models were built', () => {
    const f = files();
    expect(f.get('dbt/tests/settle__open_items_age.sql')).toContain('{"stage":"settle","name":"open_items_age","rule":"expression","severity":"error","action":"warn"}');
    // a stage output is its own model, under the runner's relation name
    expect(f.get('dbt/models/outputs/o.sql')).toContain('FROM {{ ref("settle__matched") }}');
    expect(f.get('dbt/models/stages/settle/settle__matched.sql')!.split('\n')[0]).toBe('{{ config(materialized="view", alias="settle.matched") }}');
    expect(f.get('dbt/macros/batchbook_publish.sql')).toContain('"settle__open_left", "settle__open_right"');
    expect(f.get('dbt/macros/batchbook_publish.sql')).toContain('DELETE FROM {{ relations["settle__open_left"] }} WHERE run_date');
  });
});
