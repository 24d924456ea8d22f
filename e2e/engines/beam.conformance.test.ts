import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportProject, openProject, runPipeline, type RunReport } from '@batchbook/pipeline-core/node';

/**
 * Conformance of the Beam export: each case's exported pipeline.py runs on the DirectRunner
 * through its own command line (py/run_beam.py, one process per sample-day, two at a time) and
 * its curated rows, rejects (reason, source file, row, line) and rule outcomes must equal
 * `batchbook run` on the same raw data, as multisets (py/compare.py, shared with the other
 * engines), with the same exit status. Besides the samples, a generated project runs every stage
 * kind (custom SQL included), every cleanse step and every rule kind over deliberately awkward
 * data: a ragged CSV line, a semicolon delimiter and NA nulls, bad numbers, dates and booleans,
 * invalid JSON lines, a JSON array source over two files, a wall time inside a DST gap, ties in a
 * dedupe, NULL join keys, inner / full / anti joins, a union that widens a type, an empty day.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const python = join(repo, 'e2e', '.venv', 'bin', 'python');

const EVERY_STAGE_SPEC = `version: 1
name: every_stage
description: Every stage kind, cleanse step and rule, for the Beam conformance suite.
parameters:
  run_date: { type: date, default: "2026-03-08" }
  min_qty: { type: integer, default: 1 }
sources:
  items:
    format: csv
    path: items/items_{run_date}.csv
    options: { delimiter: ";", null_values: ["", "NA"] }
    schema:
      - { name: id, type: integer }
      - { name: code, type: string }
      - { name: qty, type: string }
      - { name: price, type: double }
      - { name: day, type: date }
      - { name: seen_at, type: string }
      - { name: active, type: boolean }
      - { name: shop, type: string }
      - { name: note, type: string }
  shops:
    format: ndjson
    path: shops/shops_{run_date}.ndjson
    schema:
      - { name: shop, type: string }
      - { name: budget, type: "decimal(10,2)" }
      - { name: region, type: string }
  extra:
    format: json
    path: extra/*_{run_date}.json
    schema:
      - { name: id, type: integer }
      - { name: label, type: string }
stages:
  - { name: raw_items, kind: ingest, source: items }
  - { name: raw_shops, kind: ingest, source: shops }
  - { name: raw_extra, kind: ingest, source: extra }
  - name: items
    kind: cleanse
    input: raw_items
    steps:
      - { step: trim, columns: [code, shop] }
      - { step: case, columns: [code], to: upper }
      - { step: standardise, column: shop, mapping: { "S1": s1, "shop-2": s2, "S3 ": s3 }, ignore_case: true, unmapped: keep }
      - { step: parse_number, column: qty, type: integer, thousands: ",", into: qty_n, on_error: "null" }
      - { step: parse_date, column: seen_at, formats: ["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"], timezone: America/New_York }
      - { step: cast, columns: [price], type: "decimal(8,2)" }
      - { step: fill_null, columns: [note], value: "n/a" }
      - { step: filter, expr: "coalesce(qty_n, 0) >= $min_qty" }
      - { step: filter, expr: "price >= 0", on_false: reject }
      - { step: dedupe, keys: [id], order_by: [{ column: seen_at, direction: desc }, { column: code, direction: asc }] }
      - { step: derive, column: total, expr: "qty_n * price" }
      - { step: derive, column: tag, expr: "CASE WHEN price > 10 THEN 'dear' WHEN price IS NULL THEN NULL ELSE lower(left(code, 2)) || '-' || CAST(qty_n % 3 AS string) END" }
      - { step: derive, column: week, expr: "date_trunc('week', day)" }
      - { step: rename, columns: { note: remark } }
      - { step: drop, columns: [qty] }
      - { step: standardise, column: tag, mapping: { "ab-1": first }, ignore_case: false, unmapped: keep, enabled: false }
  - name: cheap
    kind: cleanse
    input: items
    steps:
      - { step: filter, expr: "price < 2" }
  - name: dear
    kind: cleanse
    input: items
    steps:
      - { step: filter, expr: "price >= 2" }
      - { step: derive, column: total, expr: "CAST(total AS double) / 1" }
  - { name: all_items, kind: union, inputs: [cheap, dear] }
  - name: with_shop
    kind: join
    left: items
    right: raw_shops
    type: inner
    on: [shop]
  - name: not_extra
    kind: join
    left: items
    right: raw_extra
    type: anti
    on: [id]
  - name: by_shop
    kind: aggregate
    input: all_items
    group_by: [shop]
    measures:
      - { name: n, fn: count }
      - { name: codes, fn: count_distinct, column: code }
      - { name: total, fn: sum, column: total }
      - { name: avg_price, fn: avg, column: price }
      - { name: first_day, fn: min, column: day }
      - { name: last_seen, fn: max, column: seen_at }
      - { name: double_qty, fn: sum, expr: "qty_n * 2" }
  - name: shop_coverage
    kind: join
    left: by_shop
    right: raw_shops
    type: full
    on: [shop]
    right_prefix: r_
  - name: totals
    kind: aggregate
    input: not_extra
    group_by: []
    measures:
      - { name: rows, fn: count }
      - { name: qty, fn: sum, column: qty_n }
  - name: shop_sql
    kind: sql
    inputs: [items]
    sql: "SELECT shop, count(*) AS n, max(price) AS top FROM items GROUP BY shop"
    schema:
      - { name: shop, type: string }
      - { name: n, type: integer }
      - { name: top, type: "decimal(8,2)" }
  - name: checked
    kind: validate
    input: with_shop
    rules:
      - { rule: not_null, columns: [code, seen_at], severity: warn, action: reject }
      - { rule: unique, columns: [code], severity: warn, action: reject }
      - { rule: accepted_values, column: qty_n, values: [1, 2, 3, 5, 1000], severity: warn, action: warn }
      - { rule: range, column: day, min: "2026-01-01", max: "2026-12-31", severity: warn, action: reject }
      - { rule: regex, column: code, pattern: "[A-Z]{2}-\\\\d+", severity: warn, action: warn }
      - { name: shop_known, rule: relationship, columns: [shop], to: raw_shops, severity: warn, action: warn }
      - { name: positive_total, rule: expression, expr: "total > 0 AND active", severity: warn, action: reject }
      - { name: few_rows, rule: row_count, min: 1, max: 50, severity: error, action: fail }
      - { rule: freshness, column: seen_at, max_age_hours: 30, severity: warn, action: warn }
      - name: budget_covers
        rule: reconcile
        left: { fn: sum, column: total, group_by: [shop] }
        right: { stage: raw_shops, fn: sum, column: budget, group_by: [shop] }
        tolerance: { relative: 0.5 }
        severity: warn
        action: warn
      - { rule: conservation, stage: items, severity: error, action: fail }
      - { rule: conservation, stage: with_shop, severity: warn, action: warn }
  - { name: items_out, kind: output, input: checked, format: parquet, path: items, partition_by: [shop] }
  - { name: shops_out, kind: output, input: shop_coverage, format: csv, path: "shops/{run_date}" }
  - { name: totals_out, kind: output, input: totals, format: parquet, path: "totals/{run_date}" }
  - { name: sql_out, kind: output, input: shop_sql, format: csv, path: "sql/{run_date}" }
`;
const EVERY_STAGE_DATA: Record<string, string> = {
  "extra/a_2026-03-08.json": "[{\"id\": 3, \"label\": \"three\"}, {\"id\": 99, \"label\": null}]",
  "extra/a_2026-03-09.json": "[]",
  "extra/b_2026-03-08.json": "[{\"id\": 6, \"label\": \"six\"}, {\"id\": \"x\", \"label\": \"bad\"}]",
  "items/items_2026-03-08.csv": "id;code;qty;price;day;seen_at;active;shop;note\n1; ab-1 ;1;2.5;2026-03-07;2026-03-08 02:30:00;true;S1;first\n2;cd-22;1,000;3.0;2026-03-08;08/03/2026 11:00;false;shop-2;\"semi;colon\"\n3;xx-3;4;1.25;2026-03-08;2026-03-08 12:00:00;true;s2;NA\n4;;3;0;2026-03-08;2026-03-07 08:00:00;true;s2;\n5;EF-5;5;0.25;2025-12-31;2026-03-08 09:00:00;;S3 ;x\n6;GH-6;2;10;2026-03-08;2026-03-08 13:00:00;yes;;y\n7;IJ-7;two;1;2026-03-08;2026-03-08 13:00:00;true;s1;bad qty is null\n8;KL-8;2;-1;2026-03-08;2026-03-08 13:00:00;true;s1;negative price\n1;AB-1;2;2.5;2026-03-07;2026-03-08 03:30:00;true;s1;newer dup\n9;MN-9;1;abc;2026-03-08;2026-03-08 14:00:00;true;s1;bad price\n10;OP-10;1;2;2026-02-30;2026-03-08 14:00:00;true;s1;bad day\n11;QR-11;1;2\n12;ST-12;2;3.333;2026-03-08;not a date;maybe;a/b é;weird\n13;UV-13;0;5;2026-03-08;2026-03-08 15:00:00;true;s1;zero qty\n14;WX-14;3;20;2026-03-08;2026-03-08 16:00:00;true;s9;unknown shop\n",
  "items/items_2026-03-09.csv": "id;code;qty;price;day;seen_at;active;shop;note\n1;ZZ-1;1;2.5;2026-03-09;2026-03-09 10:00:00;true;s7;x\n2;ZZ-2;2;12;2026-03-09;2026-03-09 11:00:00;false;s8;\"a \"\"quoted\"\" note\"\n",
  "shops/shops_2026-03-08.ndjson": "{\"shop\":\"s1\",\"budget\":\"10.00\",\"region\":\"north\"}\n{\"shop\":\"s2\",\"budget\":5.5,\"region\":null}\n\n{\"shop\":\"s4\",\"budget\":\"1\",\"region\":\"south\"}\nnot json\n{\"shop\":\"s3\",\"budget\":\"x\",\"region\":\"east\"}\n{\"shop\":\"a/b é\",\"budget\":\"12.345\",\"region\":\"west\"}\n",
  "shops/shops_2026-03-09.ndjson": "{\"shop\":\"s1\",\"budget\":\"10.00\",\"region\":\"north\"}\n",
};

interface Case {
  readonly sample: string;
  readonly runDate: string;
  /** Also run the Beam YAML variant and compare it too. */
  readonly yaml?: boolean;
}
const GENERATED = 'every-stage (generated)';
const CASES: readonly Case[] = [
  { sample: 'nightly-reconciliation', runDate: '2026-11-24' },
  { sample: 'nightly-reconciliation', runDate: '2026-11-25', yaml: true },
  { sample: 'peak-sales', runDate: '2026-11-16' },
  { sample: GENERATED, runDate: '2026-03-08', yaml: true },
  { sample: GENERATED, runDate: '2026-03-09' },
];

interface Outcome {
  readonly report: RunReport;
  readonly exit: number;
  readonly seconds: number;
  readonly stderr: string;
  readonly streamingCompiles: boolean;
  readonly compileErrors: string;
  readonly streamingGraph: number;
  readonly streamingErrors: string;
  readonly problems: unknown[];
  readonly yaml?: { readonly exit: number; readonly stderr: string; readonly problems: unknown[] };
}
const outcomes = new Map<Case, Outcome>();

beforeAll(async () => {
  const t0 = performance.now();
  execFileSync('bash', [join(here, 'setup-venv.sh')], { stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'batchbook-beam-'));
  const generated = join(work, 'every-stage');
  await mkdir(generated);
  await writeFile(join(generated, 'pipeline.yaml'), EVERY_STAGE_SPEC);
  for (const [path, text] of Object.entries(EVERY_STAGE_DATA)) {
    await mkdir(dirname(join(generated, 'data', path)), { recursive: true });
    await writeFile(join(generated, 'data', path), text);
  }
  const t1 = performance.now();
  const prepared = [];
  for (const [i, c] of CASES.entries()) {
    const project = await openProject(c.sample === GENERATED ? generated : join(repo, 'samples', c.sample));
    const spec = project.loaded.spec;
    if (!spec) throw new Error(`${c.sample}: invalid spec`);
    const dir = join(work, `case-${i}`);
    const lake = join(dir, 'lake');
    const report = await runPipeline({ spec, specText: project.specText, projectDir: project.dir, inbox: project.inbox, lake, params: { run_date: c.runDate }, threads: 2 });
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    const exported = await exportProject({ project: project as never, target: 'beam', out: join(dir, 'export'), params: report.params, toolVersion: 'test', preview: false });
    if (exported.refusals.length) throw new Error(`${c.sample}: beam export refused: ${JSON.stringify(exported.refusals)}`);
    const job = { dir: join(dir, 'export', 'beam'), run_date: c.runDate, input_root: project.inbox, output_root: join(dir, 'beam-out'), yaml: c.yaml ?? false };
    const compare = {
      lake,
      report: join(dir, 'report.json'),
      out: job.output_root,
      run_date: c.runDate,
      outputs: spec.stages.flatMap((s) => (s.kind === 'output' ? [{ stage: s.name, path: s.path.replace(/\{run_date\}/g, c.runDate), format: s.format }] : [])),
      reject_stages: spec.stages.filter((s) => s.kind === 'ingest' || s.kind === 'cleanse' || s.kind === 'validate').map((s) => s.name),
    };
    await writeFile(join(dir, 'compare.json'), JSON.stringify(compare));
    await writeFile(join(dir, 'compare-yaml.json'), JSON.stringify({ ...compare, out: `${job.output_root}-yaml` }));
    prepared.push({ c, report, job, compareFile: join(dir, 'compare.json'), compareYaml: join(dir, 'compare-yaml.json') });
  }
  const t2 = performance.now();
  await writeFile(join(work, 'jobs.json'), JSON.stringify(prepared.map((p) => p.job)));
  const run = spawnSync(python, [join(here, 'py', 'run_beam.py'), join(work, 'jobs.json'), join(work, 'results.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`beam batch failed:\n${run.stderr.slice(-3000)}`);
  const t3 = performance.now();
  const results = JSON.parse(await readFile(join(work, 'results.json'), 'utf8')) as {
    jobs: {
      exit: number;
      seconds: number;
      stderr: string;
      streaming_compiles: boolean;
      compile_errors: string;
      streaming_graph: number;
      streaming_errors: string;
      yaml: { exit: number; seconds: number; stderr: string } | null;
    }[];
  };
  const compare = (file: string): unknown[] => {
    const cmp = spawnSync(python, [join(here, 'py', 'compare.py'), file], { encoding: 'utf8' });
    if (cmp.status !== 0) throw new Error(`compare failed: ${cmp.stderr}`);
    return JSON.parse(cmp.stdout) as unknown[];
  };
  for (const [i, p] of prepared.entries()) {
    const r = results.jobs[i]!;
    outcomes.set(p.c, {
      report: p.report,
      exit: r.exit,
      seconds: r.seconds,
      stderr: r.stderr,
      streamingCompiles: r.streaming_compiles,
      compileErrors: r.compile_errors,
      streamingGraph: r.streaming_graph,
      streamingErrors: r.streaming_errors,
      problems: compare(p.compareFile),
      ...(r.yaml ? { yaml: { exit: r.yaml.exit, stderr: r.yaml.stderr, problems: compare(p.compareYaml) } } : {}),
    });
  }
  const s = (a: number, b: number) => Math.round((b - a) / 100) / 10;
  process.stderr.write(
    `beam suite timings (s): ${JSON.stringify({ venv: s(t0, t1), 'runner+export': s(t1, t2), beam: s(t2, t3), compare: s(t3, performance.now()), per_pipeline: results.jobs.map((j) => j.seconds), yaml: results.jobs.flatMap((j) => (j.yaml ? [j.yaml.seconds] : [])) })}\n`,
  );
});

describe.each(CASES)('Beam DirectRunner: $sample on $runDate', (c) => {
  it('gives the runner’s curated rows, rejects and rule outcomes, and its exit status', () => {
    const o = outcomes.get(c)!;
    expect(o.problems, o.stderr).toEqual([]);
    expect(o.exit, o.stderr).toBe(o.report.exit_code);
  });

  it('ships a streaming variant and runtime that compile (python -m py_compile), and a streaming graph Beam accepts', () => {
    const o = outcomes.get(c)!;
    expect(o.compileErrors).toBe('');
    expect(o.streamingCompiles).toBe(true);
    if (c.sample === GENERATED) {
      // custom SQL gathers all its rows: the streaming variant says so instead of building
      expect(o.streamingGraph).toBe(1);
      expect(o.streamingErrors).toContain("stage 'shop_sql': custom SQL gathers all its input rows, so it cannot run in streaming");
    } else {
      expect(o.streamingErrors.replace(/WARNING:root:apitools.*\n/, '')).toBe('');
      expect(o.streamingGraph).toBe(0);
    }
  });
});

describe.each(CASES.filter((c) => c.yaml))('Beam YAML variant (python -m apache_beam.yaml.main): $sample on $runDate', (c) => {
  it('gives the same curated rows, rejects and rule outcomes as batchbook run', () => {
    const y = outcomes.get(c)!.yaml!;
    expect(y.exit, y.stderr).toBe(0);
    expect(y.problems, y.stderr).toEqual([]);
  });
});

describe('the generated every-stage project covers what it is meant to', () => {
  it('day 1 rejects at every row-level stage kind and fails rules of several kinds without stopping', () => {
    const o = outcomes.get(CASES[3]!)!;
    expect(o.report.exit_code).toBe(0);
    expect(o.report.published).toBe(true);
    const failed = new Set(o.report.rules.filter((r) => r.status === 'fail').map((r) => r.rule));
    expect([...failed].sort()).toEqual(['accepted_values', 'conservation', 'expression', 'not_null', 'reconcile']);
    const stagesWithRejects = o.report.stages.filter((st) => st.rejected > 0).map((st) => st.name);
    expect(stagesWithRejects).toEqual(expect.arrayContaining(['raw_items', 'raw_shops', 'raw_extra', 'items', 'checked']));
  });

  it('day 2: an error-severity rule with action fail fails — nothing is published and both exit 3', () => {
    const o = outcomes.get(CASES[4]!)!;
    expect(o.report.rules.find((r) => r.name === 'few_rows')).toMatchObject({ status: 'fail' });
    expect(o.report.published).toBe(false);
    expect(o.exit).toBe(3);
    expect(o.stderr).toContain('outputs NOT published');
  });
});
